"""The ontology is complete where users look (labels, comments, metadata) and
the closed namespaces match it."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.core import model
from kg.core.namespaces import LZ, LZUNIT, ONTOLOGY_IRI, PREFIXES
from kg.rdf.ontology import load_ontology


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def terms(ontology: Graph, ns: str) -> set[str]:
    return {str(s)[len(ns) :] for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}


def test_lz_namespace_matches_ontology(ontology: Graph) -> None:
    declared = set(LZ.__annotations__)
    assert declared == terms(ontology, str(LZ._NS))
    assert set(LZUNIT.__annotations__) == terms(ontology, str(LZUNIT._NS))


def test_namespace_fails_on_typos() -> None:
    with pytest.raises(AttributeError):
        _ = LZ.carriedOutby


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_term_has_zh_en_label_and_comment(ontology: Graph, kind: URIRef) -> None:
    subjects = [s for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(LZ._NS))]
    assert subjects
    for s in subjects:
        langs = {lit.language for lit in ontology.objects(s, RDFS.label)}
        assert {"zh", "en"} <= langs, s
        assert ontology.value(s, RDFS.comment) is not None, s


def test_ontology_metadata(ontology: Graph) -> None:
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, URIRef(PREFIXES["dcterms"] + "license")) is not None
    assert ontology.value(ONTOLOGY_IRI, URIRef(PREFIXES["dcterms"] + "description")) is not None


def test_authoring_types_are_ontology_classes(ontology: Graph) -> None:
    for name, info in model.TYPES.items():
        if str(info.cls).startswith(str(LZ._NS)):
            assert (info.cls, RDF.type, OWL.Class) in ontology, name


def test_authoring_links_are_ontology_properties(ontology: Graph) -> None:
    for name, spec in model.LINK_FIELDS.items():
        if str(spec.predicate).startswith(str(LZ._NS)):
            assert (spec.predicate, RDF.type, OWL.ObjectProperty) in ontology, name


def test_scaled_units_convert(ontology: Graph) -> None:
    qudt = PREFIXES["qudt"]
    for info in model.UNITS.values():
        if info.iri != info.base:
            multiplier = ontology.value(info.iri, URIRef(qudt + "conversionMultiplier"))
            assert float(multiplier) == float(info.multiplier)
            assert ontology.value(info.iri, URIRef(qudt + "scalingOf")) == info.base
