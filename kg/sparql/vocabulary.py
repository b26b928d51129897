"""What the SPARQL workbench completes, from the served graph itself: the
project's prefixes, the classes and properties it declares or uses, and the
labels of its entities (so that result tables show names beside IRIs).

The workbench's editor would otherwise ask services on the internet
(prefix.cc for prefixes, Linked Open Vocabularies for terms); this is its
local replacement, read by SPARQL from the pyoxigraph store, so an on-disk
store of many reports is never copied into rdflib for it.

>>> from kg.graph.store import load_graph
>>> v = vocabulary(load_graph())
>>> v["prefixes"]["lz"]
'https://w3id.org/linzi-kg/ontology#'
>>> "https://w3id.org/linzi-kg/ontology#Enterprise" in v["classes"]
True
>>> v["labels"]["https://w3id.org/linzi-kg/id/enterprise/juheshun"]
['聚合顺', 'Juheshun']
"""

from __future__ import annotations

from typing import Any

from kg.core.namespaces import ID, PREFIXES
from kg.graph.store import KnowledgeGraph
from kg.sparql.engines import select_values

#: Labels sent at most: the page's table needs names, not a dump of a province.
MAX_LABELS = 20_000

_CLASSES = """SELECT DISTINCT ?c WHERE {
  { ?c a owl:Class } UNION { ?c a rdfs:Class } UNION { [] a ?c }
  FILTER(isIRI(?c))
}"""

_PROPERTIES = """SELECT DISTINCT ?p WHERE {
  { ?p a owl:ObjectProperty } UNION { ?p a owl:DatatypeProperty } UNION { ?p a owl:AnnotationProperty }
  UNION { ?p a rdf:Property } UNION { [] ?p [] }
}"""

_LABELS = f"""SELECT ?s ?label (LANG(?label) AS ?lang) WHERE {{
  ?s rdfs:label ?label .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && LANG(?label) IN ("zh", "en"))
}} ORDER BY ?s LIMIT {MAX_LABELS * 2}"""


def vocabulary(kg: KnowledgeGraph) -> dict[str, Any]:
    """``{"prefixes": {name: namespace}, "classes": [IRI], "properties": [IRI],
    "labels": {IRI: [zh, en]}}``, every list sorted."""
    classes = sorted({row["c"] for row in select_values(kg, _CLASSES) if row["c"]})
    properties = sorted({row["p"] for row in select_values(kg, _PROPERTIES) if row["p"]})
    labels: dict[str, list[str]] = {}
    for row in select_values(kg, _LABELS):
        iri, text, lang = row["s"] or "", row["label"] or "", row["lang"]
        pair = labels.setdefault(iri, ["", ""])
        slot = 0 if lang == "zh" else 1
        if not pair[slot]:
            pair[slot] = text
    for pair in labels.values():  # a name in one language stands in for the other
        pair[0], pair[1] = pair[0] or pair[1], pair[1] or pair[0]
    return {
        "prefixes": dict(sorted(PREFIXES.items())),
        "classes": classes,
        "properties": properties,
        "labels": dict(list(labels.items())[:MAX_LABELS]),
    }
