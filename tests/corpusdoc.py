"""The real corpus (../shared/corpus) as --data documents: each gold file's
figures written as observations with their spans, for checking the checks on
real reports until the ingest (issue 11) drafts them itself.

Texts stay in ../shared and are read at run time; only names, figures and
offsets from the gold files are written. An indicator is the Linzi graph's
own when the gold indicator equals its zh label or its source term (so
Shandong's 地区生产总值增长 target meets Linzi's); otherwise the document's own.

    python tests/corpusdoc.py OUTDIR      # writes OUTDIR/NN-name.ttl for each text
"""

from __future__ import annotations

import json
import sys
import urllib.parse
from decimal import Decimal
from pathlib import Path

from kg.core import model

ID = "https://w3id.org/linzi-kg/id/"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
#: The corpus documents other than Linzi's (which the graph holds already), and their area.
DOCUMENTS = {
    "02-zibo-2023": (f"{ID}place/zibo", None),
    "05-shandong-2023-qdwb": (f"{ID}place/shandong", None),
    "06-hanbin-2025": (f"{ID}corpus/06-hanbin-2025/place/hanbin", "汉滨区"),
}
_UNITS = {"名": "位", "": "位"}
_STATUS = {"estimate": "actual", "actual": "actual", "target": "target", "specification": "specification"}


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _indicators() -> dict[str, str]:
    """zh label and source term -> IRI of the Linzi graph's indicators."""
    from rdflib.namespace import RDF, RDFS

    from kg.core.namespaces import LZ
    from kg.rdf.pipeline import build

    g = build(check_source=False, validate=False).graph
    out: dict[str, str] = {}
    for node in g.subjects(RDF.type, LZ.Indicator):
        for p in (RDFS.label, LZ.sourceTerm):
            for name in g.objects(node, p):
                if getattr(name, "language", None) == "zh" and len(str(name)) > 3:
                    out[str(name)] = str(node)
    return out


def corpus_document(name: str, out: Path, known: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write ``out/NAME.ttl`` from the gold file; return (text path, Turtle path)."""
    import hashlib

    known = _indicators() if known is None else known
    text_path = CORPUS / f"{name}.txt"
    gold = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    sha = hashlib.sha256(text_path.read_bytes()).hexdigest()
    base = f"{ID}corpus/{name}"
    area, area_label = DOCUMENTS[name]
    lines = [
        f"<{base}/source> a <https://w3id.org/linzi-kg/ontology#SourceText> ; "
        f'<https://w3id.org/linzi-kg/ontology#sha256> "{sha}"^^<http://www.w3.org/2001/XMLSchema#hexBinary> .'
    ]
    if area_label:
        lines.append(
            f"<{area}> a <https://w3id.org/linzi-kg/ontology#District> ; "
            f"<http://www.w3.org/2000/01/rdf-schema#label> {_lit(area_label)}@zh ."
        )
    own: dict[str, str] = {}
    for n, fig in enumerate(gold["figures"]):
        indicator = known.get(fig["indicator"])
        if indicator is None:
            if fig["indicator"] not in own:
                own[fig["indicator"]] = f"{base}/indicator/{len(own)}"
                lines.append(
                    f"<{own[fig['indicator']]}> <http://www.w3.org/2000/01/rdf-schema#label> "
                    f"{_lit(fig['indicator'])}@zh ."
                )
            indicator = own[fig["indicator"]]
        unit_text = _UNITS.get(fig["unit"], fig["unit"])
        if unit_text in model.UNITS:
            info = model.UNITS[unit_text]
            unit, multiplier, base_unit = str(info.iri), info.multiplier, str(info.base)
        else:
            unit = f"{ID}corpus/unit/{urllib.parse.quote(unit_text)}"
            multiplier, base_unit = Decimal(1), unit
            lines.append(f"<{unit}> <http://www.w3.org/2000/01/rdf-schema#label> {_lit(unit_text)}@zh .")
        value = Decimal(fig["value"])
        node = f"{base}/observation/{n}"
        span = f"{base}/span/{fig['start']}-{fig['end']}"
        triples = [
            ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://purl.org/linked-data/cube#Observation>"),
            ("<https://w3id.org/linzi-kg/ontology#indicator>", f"<{indicator}>"),
            ("<http://purl.org/linked-data/sdmx/2009/dimension#refArea>", f"<{area}>"),
            (
                "<http://purl.org/linked-data/sdmx/2009/dimension#refPeriod>",
                f'"{fig["year"]}"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            ),
            ("<https://w3id.org/linzi-kg/ontology#valueStatus>", f"<{model.STATUSES[_STATUS[fig['status']]]}>"),
            (
                "<http://purl.org/linked-data/sdmx/2009/measure#obsValue>",
                f'"{value}"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            ),
            ("<http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure>", f"<{unit}>"),
            (
                "<https://w3id.org/linzi-kg/ontology#normalizedValue>",
                f'"{value * multiplier}"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            ),
            ("<https://w3id.org/linzi-kg/ontology#normalizedUnit>", f"<{base_unit}>"),
            ("<https://w3id.org/linzi-kg/ontology#comparator>", f"<{model.COMPARATORS[fig['comparator']]}>"),
            ("<https://w3id.org/linzi-kg/ontology#originalWording>", f"{_lit(fig['mention'])}@zh"),
            ("<http://www.w3.org/ns/prov#wasDerivedFrom>", f"<{span}>"),
        ]
        if fig.get("modality"):
            triples.append(("<https://w3id.org/linzi-kg/ontology#modality>", f"<{model.MODALITIES[fig['modality']]}>"))
        lines.extend(f"<{node}> {p} {o} ." for p, o in triples)
        lines.append(
            f"<{span}> <http://www.w3.org/ns/oa#hasSource> <{base}/source> ; "
            f"<http://www.w3.org/ns/oa#hasSelector> <{base}/selector/{fig['start']}-{fig['end']}> ."
        )
        lines.append(
            f"<{base}/selector/{fig['start']}-{fig['end']}> <http://www.w3.org/ns/oa#start> {fig['start']} ; "
            f"<http://www.w3.org/ns/oa#end> {fig['end']} ."
        )
    ttl = out / f"{name}.ttl"
    ttl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return text_path, ttl


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("build/corpus")
    out.mkdir(parents=True, exist_ok=True)
    known = _indicators()
    for name in DOCUMENTS:
        text, ttl = corpus_document(name, out, known)
        print(f"{ttl}  (text: {text})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
