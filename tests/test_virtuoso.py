"""A real Virtuoso (Debian's virtuoso-opensource 7.2): push at 1, 4 and 10
synthetic reports answers the digest challenge before the body goes out,
every named query gives the same rows there as in-process, and what
Virtuoso says (401, 500, a 200 HTML page) reaches the user as one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner

from kg.bench.synth import write_synthetic
from kg.cli import main
from kg.errors import EndpointError
from kg.graph.store import KnowledgeGraph, load_graph
from kg.sparql.engines import run_query, run_remote
from kg.sparql.queries import NamedQuery, bindings_for, get_query, list_queries
from kg.sparql.remote import Credentials, push

pytestmark = pytest.mark.server

DBA = Credentials("dba", "dba")  # a fresh Virtuoso database's administrator


class Synthetic(NamedTuple):
    kg: KnowledgeGraph
    iri: str
    virtuoso: str  # the base URL of its own Virtuoso


def crud(base: str) -> str:
    return f"{base}/sparql-graph-crud-auth"


def synthetic_graph(folder: Path, reports: int) -> tuple[KnowledgeGraph, str]:
    """``linzi-kg synth --reports N`` loaded in-process, and its graph IRI."""
    path = folder / f"synth-{reports}.nt"
    write_synthetic(path, reports)
    return load_graph(extra=[path]), f"https://w3id.org/linzi-kg/graph/synth-{reports}"


def assert_same_rows(kg: KnowledgeGraph, virtuoso: str, iri: str, query: NamedQuery, bindings: dict[str, Any]) -> None:
    embedded = run_query(kg, query.text, bindings)
    remote = run_remote(f"{virtuoso}/sparql", query.text, bindings, graph_iri=iri)
    assert remote.variables == embedded.variables
    assert embedded.rows, f"{query.name} {bindings}: a query that answers nothing proves nothing"
    # Rows tied on the ORDER BY keys may come in any order: compare as multisets.
    assert sorted(remote.comparable()) == sorted(embedded.comparable()), (query.name, bindings)


def chain_sets(kg: KnowledgeGraph) -> list[Any]:
    """Every chain set a project serves, and every set above one."""
    from rdflib import SKOS

    from kg.core.namespaces import LZ

    served = set(kg.asserted.objects(None, LZ.servesChainSet))
    return sorted(served | {o for s in served for o in kg.full_graph().transitive_objects(s, SKOS.broader)})


@pytest.fixture(scope="module", params=[1, 4, 10], ids=lambda n: f"{n}-reports")
def synthetic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthetic]:
    """``linzi-kg synth --reports N`` loaded in-process and pushed to a fresh
    Virtuoso database (at 10 reports an 8 MB body: more than urllib's
    send-then-authenticate got through). Graphs pushed in turn into one
    database: test_graphs_pushed_in_turn_into_one_database."""
    from kg.bench.servers import virtuoso_server

    folder = tmp_path_factory.mktemp(f"synth-{request.param}")
    kg, iri = synthetic_graph(folder, request.param)
    with virtuoso_server(folder / "virtuoso") as base:
        report = push(kg.oxigraph(), crud(base), graph_iri=iri, credentials=DBA)
        assert report.counted == report.triples == len(kg.oxigraph())
        yield Synthetic(kg, iri, base)


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_answers_the_same_on_virtuoso(synthetic: Synthetic, query: NamedQuery) -> None:
    kg, iri, virtuoso = synthetic
    assert_same_rows(kg, virtuoso, iri, query, bindings_for(query, {}, kg.asserted))


def test_chain_enterprises_for_every_chain_set(synthetic: Synthetic) -> None:
    # The query Virtuoso once answered with 1 row of 6 (see its comment).
    kg, iri, virtuoso = synthetic
    query = get_query("chain-enterprises")
    sets = chain_sets(kg)
    assert len(sets) >= 4
    for chain in sets:
        assert_same_rows(kg, virtuoso, iri, query, {"chain": chain})


def test_graphs_pushed_in_turn_into_one_database(virtuoso: str, tmp_path: Path) -> None:
    # What once lost rows of `*` paths (0 or 1 of 3 at 10 reports): 1, 4 and
    # 10 reports pushed and queried in turn, each into its own graph.
    for reports in (1, 4, 10):
        kg, iri = synthetic_graph(tmp_path, reports)
        push(kg.oxigraph(), crud(virtuoso), graph_iri=iri, credentials=DBA)
        for query in list_queries():
            assert_same_rows(kg, virtuoso, iri, query, bindings_for(query, {}, kg.asserted))
        for chain in chain_sets(kg):
            assert_same_rows(kg, virtuoso, iri, get_query("chain-enterprises"), {"chain": chain})


def test_cli_push_replaces_and_queries(virtuoso: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Credentials from the environment; no --auth: Digest because Virtuoso asks for it.
    monkeypatch.setenv("LINZI_KG_USER", "dba")
    monkeypatch.setenv("LINZI_KG_PASSWORD", "dba")
    iri = "https://w3id.org/linzi-kg/graph/linzi"
    runner = CliRunner()
    for _ in range(2):  # the second push replaces the first
        result = runner.invoke(main, ["push", "--endpoint", crud(virtuoso), "--graph", iri])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("pushed ") and "counted there" in result.output
    count = run_remote(f"{virtuoso}/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph_iri=iri)
    assert int(str(count.rows[0][0])) == load_graph().oxigraph().__len__()
    args = ["query", "chains-456", "-f", "csv"]
    here = runner.invoke(main, args)
    there = runner.invoke(main, [*args, "--endpoint", f"{virtuoso}/sparql", "--graph", iri])
    assert there.exit_code == 0, there.output
    assert sorted(there.output.splitlines()) == sorted(here.output.splitlines())


def _one_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    return str(result.output)


def test_wrong_password_is_401(virtuoso: str) -> None:
    args = ["push", "--endpoint", crud(virtuoso), "--graph", "urn:x:linzi", "--user", "dba", "--password", "nope"]
    out = _one_line(CliRunner().invoke(main, args))
    assert "HTTP 401" in out and "refused the credentials of user 'dba'" in out and "nope" not in out


def test_missing_credentials_say_what_the_store_wants(virtuoso: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINZI_KG_USER", raising=False)
    monkeypatch.delenv("LINZI_KG_PASSWORD", raising=False)
    out = _one_line(CliRunner().invoke(main, ["push", "--endpoint", crud(virtuoso), "--graph", "urn:x:linzi"]))
    assert "HTTP 401" in out and "Digest" in out and "--user" in out


def test_basic_where_digest_is_asked_is_a_usage_error(virtuoso: str) -> None:
    args = ["push", "--endpoint", crud(virtuoso), "--graph", "urn:x:l", "--user", "dba", "--password", "dba"]
    result = CliRunner().invoke(main, [*args, "--auth", "basic"])
    assert result.exit_code == 2 and "asks for Digest" in result.output and "Traceback" not in result.output


def test_missing_graph_is_virtuosos_500(virtuoso: str) -> None:
    args = ["push", "--endpoint", crud(virtuoso), "--user", "dba", "--password", "dba"]
    out = _one_line(CliRunner().invoke(main, args))
    assert "HTTP 500" in out and "default graph" in out and "--graph" in out


def test_push_to_the_query_endpoint_is_refused_at_once(virtuoso: str) -> None:
    # Virtuoso's /sparql never answers a PUT: refuse before sending anything.
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{virtuoso}/sparql", "--graph", "urn:x:l"])
    assert result.exit_code == 2 and "sparql-graph-crud-auth" in result.output


def test_query_errors_are_what_virtuoso_said(virtuoso: str) -> None:
    out = _one_line(CliRunner().invoke(main, ["query", "chains-456", "--endpoint", f"{virtuoso}/nothing-here"]))
    assert "HTTP 404" in out
    # Valid SPARQL that Virtuoso cannot run: its 500 and its reason, not the echoed query.
    bad = ["query", "--sparql", "SELECT (<urn:x:f>(1) AS ?x) WHERE {}", "--endpoint", f"{virtuoso}/sparql"]
    out = _one_line(CliRunner().invoke(main, bad))
    assert "HTTP 500" in out and "Undefined procedure" in out and "PREFIX" not in out


def test_a_count_that_does_not_match_fails_the_push(virtuoso: str, oxigraph_server: str, tmp_path: Path) -> None:
    # Pushed into Oxigraph, counted on Virtuoso (which does not hold the graph).
    iri = "urn:x:counted-elsewhere"
    with pytest.raises(EndpointError, match="counts 0 triples"):
        push(load_graph().asserted, f"{oxigraph_server}/store", graph_iri=iri, query_endpoint=f"{virtuoso}/sparql")
