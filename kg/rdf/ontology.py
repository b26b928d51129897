"""The ontology and SHACL shapes (ontology/*.ttl), parsed once per process."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from kg.resources import ontology_dir


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """``ontology/linzi.ttl`` as a graph (cached; do not modify it)."""
    return Graph().parse(ontology_dir() / "linzi.ttl", format="turtle")


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """``ontology/shapes.ttl`` as a graph (cached; do not modify it)."""
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
