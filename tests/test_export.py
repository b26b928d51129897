"""Export: every format parses back, in rdflib and in pyoxigraph, to the same graph;
bytes are identical across runs; files are written atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import OutputError
from kg.rdf.export import Format, serialize, write_atomic

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OX_FORMATS = {
    Format.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    Format.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    Format.JSONLD: pyoxigraph.RdfFormat.JSON_LD,
    Format.XML: pyoxigraph.RdfFormat.RDF_XML,
}


def from_oxigraph(data: bytes, fmt: Format) -> Graph:
    """Parse with pyoxigraph (an independent parser) and convert to rdflib terms."""

    def term(t: object) -> URIRef | BNode | Literal:
        if isinstance(t, pyoxigraph.NamedNode):
            return URIRef(t.value)
        if isinstance(t, pyoxigraph.BlankNode):
            return BNode(t.value)
        assert isinstance(t, pyoxigraph.Literal)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    g = Graph()
    for triple in pyoxigraph.parse(data, OX_FORMATS[fmt]):
        g.add((term(triple.subject), term(triple.predicate), term(triple.object)))
    return g


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_round_trip_rdflib(graph: Graph, fmt: Format) -> None:
    back = Graph().parse(data=serialize(graph, fmt), format=fmt.rdflib_name)
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_round_trip_pyoxigraph(graph: Graph, fmt: Format) -> None:
    back = from_oxigraph(serialize(graph, fmt), fmt)
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_bytes_identical_across_processes(fmt: Format, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = tmp_path / f"out.{seed}.{fmt.extension}"
        subprocess.run(
            [sys.executable, "-m", "kg", "export", "--format", fmt.value, "--output", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_turtle_is_readable(graph: Graph) -> None:
    text = serialize(graph, Format.TURTLE).decode("utf-8")
    assert text.startswith("@prefix ")
    assert "@prefix lz: <https://w3id.org/linzi-kg/ontology#> ." in text
    assert '"聚合顺"@zh' in text  # Chinese stays Chinese, not \\u escapes


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "g.ttl"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_write_atomic_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "g.ttl"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match=r"cannot write .*g.ttl: No space left on device"):
        write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_write_atomic_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"directory .*nowhere does not exist"):
        write_atomic(tmp_path / "nowhere" / "g.ttl", b"x")
