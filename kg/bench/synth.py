"""Synthetic graphs for benchmarks: N reports of imaginary districts, each the
shape and density of the Linzi graph, reproducible from a seed.

Report 0 is the Linzi graph itself, unchanged. Report i > 0 is a copy whose
IRIs live under ``id/synth/dNNNN/``, whose names carry the district's number,
whose figures are scaled by a factor drawn per figure (value and normalized
value alike), and whose source text is an imaginary one with its own digest.
The copies are written as N-Triples line by line, so a million triples need
no more memory than one report.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from rdflib import Graph

from kg.core.namespaces import ID, LZ, SDMX_MEASURE, SKOS

_LINE = re.compile(r"^(<[^>]*>|_:\S+) (<[^>]*>) (.*) \.$")
_NAMES = {f"<{p}>" for p in ("http://www.w3.org/2000/01/rdf-schema#label", LZ.sourceTerm, SKOS.altLabel)}
_NUMBERS = {f"<{p}>" for p in (SDMX_MEASURE.obsValue, LZ.normalizedValue)}
_SHA = f"<{LZ.sha256}>"
_DECIMAL = re.compile(r'^"([0-9.]+)"\^\^<http://www.w3.org/2001/XMLSchema#decimal>$')
_NAMED = re.compile(r'^"(.*)"@(zh|en)$')


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def report_lines(base: list[str], index: int, seed: int) -> Iterator[str]:
    """The N-Triples lines of report ``index`` (0 is ``base`` itself)."""
    if index == 0:
        yield from base
        return
    rng = random.Random(f"{seed}:{index}")  # noqa: S311 - reproducible data, not security
    prefix = f"<{ID}"
    district = f"<{ID}synth/d{index:04d}/"
    factors: dict[str, Decimal] = {}
    for line in base:
        match = _LINE.match(line)
        if match is None:
            continue
        subject, predicate, obj = match.groups()
        if predicate in _NUMBERS:
            factor = factors.setdefault(subject, Decimal(rng.randint(50, 150)) / 100)
            number = _DECIMAL.match(obj)
            if number:
                obj = f'"{_decimal(Decimal(number.group(1)) * factor)}"^^<http://www.w3.org/2001/XMLSchema#decimal>'
        elif predicate in _NAMES:
            named = _NAMED.match(obj)
            if named:
                suffix = f"（虚拟区{index}）" if named.group(2) == "zh" else f" (district {index})"
                obj = f'"{named.group(1)}{suffix}"@{named.group(2)}'
        elif predicate == _SHA:
            digest = hashlib.sha256(f"synthetic:{seed}:{index}".encode()).hexdigest()
            obj = f'"{digest}"^^<http://www.w3.org/2001/XMLSchema#hexBinary>'
        yield f"{subject.replace(prefix, district)} {predicate} {obj.replace(prefix, district)} ."


def base_lines(graph: Graph | None = None) -> list[str]:
    """The Linzi document's graph (asserted triples) as sorted N-Triples lines."""
    if graph is None:
        from kg.rdf.pipeline import build

        graph = build(document="linzi-2023", check_source=False, validate=False).graph
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def write_synthetic(path: str | Path, reports: int, *, seed: int = 0, graph: Graph | None = None) -> int:
    """Write ``reports`` reports as N-Triples to ``path`` (atomically); returns the triple count.

    >>> import tempfile, os
    >>> out = os.path.join(tempfile.mkdtemp(), "two.nt")
    >>> write_synthetic(out, 2) == 2 * len(base_lines())
    True
    """
    from kg.errors import UsageError
    from kg.output import atomic_output

    if reports < 1:
        raise UsageError("--reports must be at least 1")
    base = base_lines(graph)
    target = Path(path)
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: directory {target.parent} does not exist")
    count = 0
    with atomic_output(target) as out:
        for index in range(reports):
            lines = list(report_lines(base, index, seed))
            out.write("".join(line + "\n" for line in lines).encode("utf-8"))
            count += len(lines)
    return count
