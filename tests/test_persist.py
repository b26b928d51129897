"""The on-disk store (``--store DIR``): built once, reopened, rebuilt when the
inputs change, never left half-written, clear errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.core.terms import canonical
from kg.errors import StoreError
from kg.graph.persist import prepare_store
from kg.graph.store import ASSERTED_GRAPH, KnowledgeGraph, load_graph
from kg.rdf.load import RDFFileError
from tests.conftest import replace_in

SCHOOL = (
    "@prefix lz: <https://w3id.org/linzi-kg/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<urn:x:school> a lz:SewageProject ; rdfs:label "虚拟学校"@zh ; lz:sourceTerm "虚拟学校"@zh .\n'
)


def builds(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def test_built_once_then_reused(tmp_path: Path) -> None:
    first = prepare_store(tmp_path / "s")
    again = prepare_store(tmp_path / "s")
    assert first.built and not again.built
    assert first.path == again.path
    assert builds(tmp_path / "s") == [first.path.name]
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["quads"] > 5000 and set(manifest["inputs"]["data"]) >= {
        "linzi-2023/figures.yaml",
        "shared/places.yaml",
    }


def canonical_graph(graph: Graph) -> Graph:
    # The store writes decimals in canonical form (46010.0 -> 46010).
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, canonical(o)))
    return out


def test_same_graph_as_in_memory(kgraph: KnowledgeGraph, stored: KnowledgeGraph) -> None:
    # The store's entailments come from SPARQL updates, the in-memory ones
    # from Python: the two must agree triple for triple.
    import pyoxigraph as ox

    dumped = stored.oxigraph().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    on_disk = Graph().parse(data=dumped, format="nt")
    assert isomorphic(on_disk, canonical_graph(kgraph.full_graph()))
    assert stored.source is not None and stored.source.sha256 == kgraph.source.sha256  # type: ignore[union-attr]


def test_rebuilt_when_the_data_changes_and_old_build_removed(tmp_path: Path, data_copy: Path) -> None:
    root = tmp_path / "s"
    first = prepare_store(root, data_dir=data_copy)
    replace_in(data_copy / "linzi-2023" / "figures.yaml", "value: 2778", "value: 2779")
    second = prepare_store(root, data_dir=data_copy)
    assert second.built and second.path != first.path
    assert builds(root) == [second.path.name]
    assert (
        second.manifest["inputs"]["data"]["linzi-2023/figures.yaml"]
        != first.manifest["inputs"]["data"]["linzi-2023/figures.yaml"]
    )


def test_extra_data_and_its_entailments(tmp_path: Path) -> None:
    extra = tmp_path / "school.ttl"
    extra.write_text(SCHOOL, encoding="utf-8")
    kg = load_graph(store=tmp_path / "s", extra=[extra])
    memory = load_graph(extra=[extra])
    ask = "ASK { <urn:x:school> a lz:Project }"
    from kg.sparql.engines import run_query

    assert run_query(kg, ask).boolean and run_query(memory, ask).boolean
    # Touching the file is a change: the store is rebuilt.
    before = prepare_store(tmp_path / "s", extra=[extra])
    extra.write_text(SCHOOL + "<urn:x:school> rdfs:comment 'x' .\n", encoding="utf-8")
    assert prepare_store(tmp_path / "s", extra=[extra]).built and not before.built


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("<urn:a> <urn:b> .\n", ".ttl", "not valid Turtle"),
        ("\xff\xfe garbage", ".nt", "not valid N-Triples"),
        ("@prefix : <urn:> . :a :b :c .", ".csv", "unknown RDF file extension '.csv'"),
    ],
)
def test_bad_extra_file_leaves_nothing(tmp_path: Path, text: str, suffix: str, message: str) -> None:
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(text, encoding="latin-1")
    root = tmp_path / "s"
    with pytest.raises((RDFFileError, StoreError)) as info:
        prepare_store(root, extra=[bad])
    assert str(bad) in str(info.value) and message in str(info.value)
    assert not root.exists() or builds(root) == []


def test_missing_extra_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"nope\.ttl"):
        prepare_store(tmp_path / "s", extra=[tmp_path / "nope.ttl"])


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    file = tmp_path / "store"
    file.write_text("not a directory", encoding="utf-8")
    with pytest.raises(StoreError, match="exists and is not a directory"):
        prepare_store(file)
    assert file.read_text(encoding="utf-8") == "not a directory"


def test_corrupt_store_names_what_to_delete(tmp_path: Path) -> None:
    prepared = prepare_store(tmp_path / "s")
    for f in prepared.location.iterdir():
        f.write_bytes(b"garbage") if f.is_file() else None
    with pytest.raises(StoreError, match=f"delete {prepared.path}"):
        load_graph(store=tmp_path / "s")


def test_unrelated_files_in_the_store_directory_are_left_alone(tmp_path: Path, data_copy: Path) -> None:
    root = tmp_path / "s"
    root.mkdir()
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    (root / "graph-mine").mkdir()
    prepare_store(root, data_dir=data_copy)
    replace_in(data_copy / "linzi-2023" / "figures.yaml", "value: 2778", "value: 2779")
    prepare_store(root, data_dir=data_copy)
    assert {"notes.txt", "graph-mine"} <= set(builds(root))


def test_two_processes_building_at_once(tmp_path: Path) -> None:
    code = "import sys; from kg.graph.persist import prepare_store; print(prepare_store(sys.argv[1]).path)"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "s")], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    paths = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(paths) == 1
    assert builds(tmp_path / "s") == [Path(paths.pop()).name]


def test_cli_query_from_a_store_and_from_the_environment(tmp_path: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(main, ["query", "chains-456", "-f", "csv"])
    stored = runner.invoke(main, ["query", "chains-456", "-f", "csv", "--store", str(tmp_path / "s")])
    env = runner.invoke(main, ["query", "chains-456", "-f", "csv"], env={"LINZI_KG_STORE": str(tmp_path / "s")})
    assert plain.exit_code == stored.exit_code == env.exit_code == 0, stored.output
    assert plain.output == stored.output == env.output
    assert len(builds(tmp_path / "s")) == 1


def test_cli_store_error_exit_code(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "chains-456", "--store", str(file)])
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_serve_from_a_store(stored: KnowledgeGraph) -> None:
    from starlette.testclient import TestClient

    from kg.web.server import Settings, create_app

    app = create_app(stored, settings=Settings(workers=1, timeout=5.0))
    with TestClient(app) as client:
        answer = client.get(
            "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?e a lz:Enterprise }"},
            headers={"accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) >= 8
        assert client.get("/id/enterprise/juheshun", headers={"accept": "text/html"}).status_code == 200
        # The store's own named graphs (what the pages read) are not the endpoint's data.
        graphs = client.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { } }"})
        assert graphs.status_code == 200 and graphs.json()["results"]["bindings"] == []


def test_queries_do_not_see_the_stores_named_graphs(stored: KnowledgeGraph) -> None:
    from kg.sparql.engines import run_query, select_values

    assert stored.oxigraph().contains_named_graph(ox.NamedNode(ASSERTED_GRAPH))  # they are there, for the pages
    assert run_query(stored, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows == []
    assert select_values(stored, "SELECT ?g WHERE { GRAPH ?g { } }") == []
    everything = run_query(stored, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(everything) == len(stored.full_graph())


@pytest.mark.server
def test_scaling_out_to_an_oxigraph_server(tmp_path: Path) -> None:
    # README "Scaling out": push a store with several reports into a real
    # Oxigraph server, then ask the named queries there.
    from kg.bench.servers import oxigraph_server
    from kg.bench.synth import write_synthetic

    synth = tmp_path / "three.nt"
    write_synthetic(synth, 3)
    local = ["--store", str(tmp_path / "s"), "--data", str(synth)]
    runner = CliRunner()
    with oxigraph_server() as base:
        pushed = runner.invoke(main, ["push", *local, "--endpoint", f"{base}/store"])
        assert pushed.exit_code == 0, pushed.output
        assert "pushed" in pushed.output
        for name in ("targets-2023", "enterprise-projects", "chains-456", "provenance"):
            here = runner.invoke(main, ["query", name, "-f", "csv", *local])
            there = runner.invoke(main, ["query", name, "-f", "csv", *local, "--endpoint", f"{base}/query"])
            assert here.exit_code == there.exit_code == 0, there.output
            assert sorted(here.output.splitlines()) == sorted(there.output.splitlines()), name
            assert len(here.output.splitlines()) > 2
