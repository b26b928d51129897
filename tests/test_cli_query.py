"""`queries`, `query`, `path`, `central` in-process: formats, errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sparql.queries import list_queries


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def run_bytes(*args: str) -> tuple[int, str]:
    """Like run, but without click's newline normalization (CSV needs CRLF)."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout_bytes.decode("utf-8")


def test_queries_lists_names_and_titles() -> None:
    code, out = run("queries")
    assert code == 0
    for q in list_queries():
        assert q.name in out and q.title_zh in out
    assert "--param enterprise=" in out


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_every_named_query_in_every_format(fmt: str, engine: str) -> None:
    for q in list_queries():
        code, out = run("query", q.name, "--format", fmt, "--engine", engine)
        assert code == 0, (q.name, out)
        if fmt == "json":
            parsed = ox.parse_query_results(out.encode("utf-8"), ox.QueryResultsFormat.JSON)
            assert [v.value for v in parsed.variables] == json.loads(out)["head"]["vars"]
        elif fmt == "tsv":
            ox.parse_query_results(out.encode("utf-8"), ox.QueryResultsFormat.TSV)
        elif fmt == "table":
            assert out.rstrip().endswith("rows)") or out.rstrip().endswith("row)")


def test_table_shows_labels() -> None:
    code, out = run("query", "enterprise-projects", "-p", "enterprise=聚合顺")
    assert code == 0
    assert "聚合顺50万吨尼龙新材料项目" in out and "化工主导产业链" in out
    assert "https://" not in out


def test_inline_sparql_with_predeclared_prefixes() -> None:
    code, out = run_bytes("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?r lz:namesChallenge ?c }", "-f", "csv")
    assert code == 0
    assert out == "n\r\n10\r\n"


def test_inline_parameter_as_iri() -> None:
    code, out = run_bytes(
        "query",
        "--sparql",
        "SELECT ?l WHERE { ?e rdfs:label ?l FILTER(lang(?l)='zh') }",
        "-p",
        "e=<https://w3id.org/linzi-kg/id/enterprise/juheshun>",
        "-f",
        "csv",
    )
    assert code == 0 and out.endswith("聚合顺\r\n")


def test_query_file(tmp_path: Path) -> None:
    file = tmp_path / "mine.rq"
    file.write_text("SELECT ?x WHERE { ?x a lz:Province }", encoding="utf-8")
    code, out = run("query", str(file), "-f", "csv")
    assert code == 0 and "shandong" in out


def test_syntax_error_exit_2_with_position() -> None:
    code, out = run("query", "--sparql", "SELECT ?x WHERE {\n  ?x ?y \n}")
    assert code == 2
    assert out.startswith("error: SPARQL syntax error at line 3, column")


def test_unknown_name_lists_close_matches() -> None:
    code, out = run("query", "chain-456")
    assert code == 2
    assert "no named query 'chain-456'; did you mean chains-456" in out


def test_name_and_sparql_together() -> None:
    code, out = run("query", "chains-456", "--sparql", "ASK {}")
    assert code == 2 and "not both" in out


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("enterprise", "expected NAME=VALUE"),
        ("1x=2", "expected NAME=VALUE"),
        ("firm=聚合顺", "has no parameter firm"),
        ("enterprise=不存在", "no entity is called '不存在'"),
        ("enterprise=石化", "matches"),
    ],
)
def test_bad_parameters(param: str, message: str) -> None:
    code, out = run("query", "enterprise-projects", "--param", param)
    assert code == 2, out
    assert message in out
    assert "Traceback" not in out


def test_bad_format_and_engine() -> None:
    assert run("query", "chains-456", "--format", "yaml")[0] == 2
    assert run("query", "chains-456", "--engine", "virtuoso")[0] == 2


def test_format_xml_like_the_endpoint() -> None:
    from xml.etree import ElementTree

    code, out = run("query", "chains-456", "--format", "xml")
    assert code == 0, out
    root = ElementTree.fromstring(out)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    code, out = run("query", "--sparql", "CONSTRUCT { ?e a lz:Enterprise } WHERE { ?e a lz:Enterprise }", "-f", "xml")
    assert code == 0, out
    from rdflib import Graph

    assert len(Graph().parse(data=out, format="xml")) > 5


def test_path() -> None:
    code, out = run("path", "聚合顺", "临淄区")
    assert code == 0
    assert (
        out.splitlines()[0]
        == "聚合顺 <-[承担单位]- 聚合顺50万吨尼龙新材料项目 -[服务产业链群]-> 化工主导产业链 <-[聚焦]- 临淄区"
    )
    assert "(3 links)" in out


def test_path_in_english_by_iri() -> None:
    code, out = run("path", "https://w3id.org/linzi-kg/id/person/cai-huagang", "Linzi District", "--lang", "en")
    assert code == 0
    assert out.startswith("Cai Huagang -[holds]-> Head of Linzi District")


def test_path_walks_editorial_links_only_when_asked() -> None:
    # The article never says Zibo lies in Shandong; the editors' link is not walked by default.
    code, out = run("path", "临淄区", "山东省")
    assert code == 2 and "not connected by relations the article states" in out and "--editorial" in out
    code, out = run("path", "临淄区", "山东省", "--editorial")
    assert code == 0 and out.splitlines()[0] == "临淄区 -[隶属于]-> 淄博市 -[隶属于]-> 山东省"


def test_path_ambiguous_and_unknown() -> None:
    code, out = run("path", "石化", "临淄区")
    assert code == 2 and "be more specific" in out and "鑫泰石化" in out
    code, out = run("path", "火星", "临淄区")
    assert code == 2 and "no entity is called '火星'" in out


def test_central() -> None:
    code, out = run("central", "--top", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("  1  ")
    assert run("central", "--top", "0")[0] == 2


def test_endpoint_must_be_http() -> None:
    code, out = run("query", "chains-456", "--endpoint", "notaurl")
    assert code == 2 and "expected an http:// or https:// URL" in out


def test_serve_bad_inputs(tmp_path: Path) -> None:
    import socket

    garbage = tmp_path / "bad.ttl"
    garbage.write_text("<<< not turtle", encoding="utf-8")
    code, out = run("serve", "--port", "1", "--data", str(tmp_path / "missing.ttl"))
    assert code in (1, 2) and "error:" in out
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        code, out = run("serve", "--port", port)
        assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in out
    with socket.create_server(("127.0.0.1", 0)) as probe:
        free = str(probe.getsockname()[1])
    code, out = run("serve", "--port", free, "--data", str(garbage))
    assert code == 1 and "not valid Turtle" in out
