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


# -- JSON-LD compacted, formats from file names ---------------------------------------


def test_jsonld_is_compacted_with_the_context_it_uses(graph: Graph) -> None:
    import json

    doc = json.loads(serialize(graph, Format.JSONLD))
    iris: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, list):
            for x in item:
                walk(x)
        elif isinstance(item, dict):
            for key, value in item.items():
                if not key.startswith("@"):
                    iris.append(key)
                if key in ("@id", "@type"):
                    iris.extend(value if isinstance(value, list) else [value])
                walk(value)

    walk(doc["@graph"])
    # Every IRI under a prefix is compacted (the ontology's own IRI, ...#'s base, has no local part to keep).
    assert iris and not [i for i in iris if i.startswith(("https://w3id.org/linzi-kg/id/", "http://www.w3.org/"))]
    used = {i.split(":", 1)[0] for i in iris if not i.startswith(("http://", "https://", "_:"))}
    assert set(doc["@context"]) == used, "the context holds exactly the prefixes used"
    assert "qudt" not in doc["@context"]  # bound in the graph, used by no triple of it
    assert isomorphic(Graph().parse(data=json.dumps(doc), format="json-ld"), graph)


def test_jsonld_keeps_iris_no_prefix_can_shorten() -> None:
    g = Graph()
    g.bind("ex", "http://example.org/")
    g.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), URIRef("http://example.org//b")))
    g.add((URIRef("http://example.org/a"), URIRef("http://other.example/q"), Literal("1", datatype=URIRef("urn:t"))))
    data = serialize(g, Format.JSONLD)
    assert b'"@id": "http://example.org//b"' in data and b'"http://other.example/q"' in data
    assert isomorphic(Graph().parse(data=data, format="json-ld"), g)
    assert isomorphic(from_oxigraph(data, Format.JSONLD), g)


def _export(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "export", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("g.jsonld", Format.JSONLD),
        ("g.json", Format.JSONLD),
        ("g.nt", Format.NTRIPLES),
        ("g.rdf", Format.XML),
        ("g.owl", Format.XML),
        ("g.ttl", Format.TURTLE),
    ],
)
def test_format_from_the_extension(graph: Graph, tmp_path: Path, name: str, fmt: Format) -> None:
    proc = _export("-o", name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / name
    assert isomorphic(Graph().parse(out, format=fmt.rdflib_name), graph)
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()  # 0644 under the usual umask 022


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


def test_usual_permissions(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "export", "-o", "g.jsonld"],
        capture_output=True,
        cwd=tmp_path,
        preexec_fn=lambda: os.umask(0o022),
        check=False,
    )
    assert proc.returncode == 0 and (tmp_path / "g.jsonld").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "g.txt"], "error: cannot tell the RDF format of g.txt from its extension; give --format"),
        (["-o", "g"], "error: cannot tell the RDF format of g from its extension"),
        (["-f", "turtle", "-o", "g.jsonld"], "error: --format turtle does not match g.jsonld"),
        (["-f", "csv"], "Error: Invalid value for '--format' / '-f': 'csv' is not an RDF format"),
    ],
)
def test_refuses_rather_than_guessing(tmp_path: Path, args: list[str], message: str) -> None:
    proc = _export(*args, cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("alias", "fmt"),
    [
        ("ttl", Format.TURTLE),
        ("nt", Format.NTRIPLES),
        ("json-ld", Format.JSONLD),
        ("rdf", Format.XML),
        ("application/ld+json", Format.JSONLD),
    ],
)
def test_format_aliases(graph: Graph, tmp_path: Path, alias: str, fmt: Format) -> None:
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "-f", alias], capture_output=True, check=False)
    assert proc.returncode == 0
    assert isomorphic(Graph().parse(data=proc.stdout, format=fmt.rdflib_name), graph)
    # An explicit format that agrees with the extension, or a file name that names none.
    assert _export("-f", alias, "-o", f"g.{fmt.extension}", cwd=tmp_path).returncode == 0
    assert _export("-f", alias, "-o", "graph.data", cwd=tmp_path).returncode == 0
