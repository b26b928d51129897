"""Tiny documents of our own for the checks: a text we write, and its figures
as Turtle in the project's model, ready for ``--data``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kg.core import model

ID = "https://w3id.org/linzi-kg/id/"

PREFIXES = """@prefix id: <https://w3id.org/linzi-kg/id/> .
@prefix lz: <https://w3id.org/linzi-kg/ontology#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
"""


@dataclass
class Fig:
    """One figure: the wording must occur in the text (its first occurrence is the span)."""

    id: str
    indicator: str
    year: int
    status: str
    value: str
    unit: str
    wording: str
    comparator: str = "="
    modality: str | None = None
    area: str = "demo-district"
    basis: str | None = None
    about: str | None = None


def write_document(
    directory: Path,
    name: str,
    text: str,
    figures: list[Fig],
    *,
    labels: dict[str, str] | None = None,
    extra: str = "",
) -> tuple[Path, Path]:
    """Write ``name.txt`` and ``name.ttl`` (``extra``: more Turtle, with the
    prefixes above); return both paths."""
    txt = directory / f"{name}.txt"
    txt.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    base = f"doc/{name}"
    out = [PREFIXES, f'<{ID}{base}/source> a lz:SourceText ; lz:sha256 "{sha}"^^xsd:hexBinary .']
    for key, label in (labels or {}).items():
        out.append(f'<{ID}{key}> rdfs:label "{label}"@zh .')
    for f in figures:
        start = text.find(f.wording)
        assert start >= 0, f"{f.wording!r} not in the text"
        end = start + len(f.wording)
        unit = model.UNITS[f.unit]
        norm = Decimal(f.value) * unit.multiplier
        node = f"<{ID}{base}/observation/{f.id}>"
        span = f"<{ID}{base}/span/{start}-{end}>"
        lines = [
            f"{node} a qb:Observation ;",
            f"  lz:indicator <{ID}indicator/{f.indicator}> ;",
            f"  sdmx-dimension:refArea <{ID}place/{f.area}> ;",
            f'  sdmx-dimension:refPeriod "{f.year}"^^xsd:gYear ;',
            f"  lz:valueStatus <{model.STATUSES[f.status]}> ;",
            f'  sdmx-measure:obsValue "{f.value}"^^xsd:decimal ;',
            f"  sdmx-attribute:unitMeasure <{unit.iri}> ;",
            f'  lz:normalizedValue "{norm}"^^xsd:decimal ;',
            f"  lz:normalizedUnit <{unit.base}> ;",
            f"  lz:comparator <{model.COMPARATORS[f.comparator]}> ;",
            f'  lz:originalWording "{f.wording}"@zh ;',
        ]
        if f.modality:
            lines.append(f"  lz:modality <{model.MODALITIES[f.modality]}> ;")
        if f.basis:
            lines.append(f'  lz:declaredBasis "{f.basis}"@zh ;')
        if f.about:
            lines.append(f"  lz:aboutEntity <{ID}{f.about}> ;")
        lines.append(f"  prov:wasDerivedFrom {span} .")
        lines.append(
            f"{span} a oa:SpecificResource ; oa:hasSource <{ID}{base}/source> ; "
            f"oa:hasSelector <{ID}{base}/selector/{start}-{end}> ."
        )
        lines.append(
            f"<{ID}{base}/selector/{start}-{end}> a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ."
        )
        out.append("\n".join(lines))
    out.append(extra)
    ttl = directory / f"{name}.ttl"
    ttl.write_text("\n".join(out) + "\n", encoding="utf-8")
    return txt, ttl
