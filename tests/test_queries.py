"""Named queries: headers, parameters, every .rq on both embedded engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import SKOS, Literal, URIRef

from kg.core.namespaces import ID
from kg.errors import QueryNotFound, QuerySyntaxError, UsageError
from kg.graph.lookup import AmbiguousEntity, EntityNotFound
from kg.graph.store import Engine, KnowledgeGraph
from kg.sparql.engines import run_query
from kg.sparql.queries import HeaderError, bindings_for, get_query, list_queries, parse_query_file, run

NAMED = list_queries()
REQUIRED = {
    "achievements-2022",
    "targets-2023",
    "enterprise-projects",
    "chain-enterprises",
    "chains-456",
    "eight-actions",
    "environment",
    "livelihood",
    "challenges",
    "provenance",
    "connection",
}


def test_the_competency_questions_are_there() -> None:
    assert REQUIRED <= {q.name for q in NAMED}


@pytest.mark.parametrize("query", NAMED, ids=lambda q: q.name)
def test_every_named_query_has_a_header(query) -> None:  # type: ignore[no-untyped-def]
    assert query.title_zh and query.title_en
    assert query.description
    for param in query.params:
        assert param.default and param.description


@pytest.mark.parametrize("query", NAMED, ids=lambda q: q.name)
def test_every_named_query_runs_the_same_on_both_engines_and_from_disk(  # type: ignore[no-untyped-def]
    query, kgraph: KnowledgeGraph, stored: KnowledgeGraph
) -> None:
    bindings = bindings_for(query, {}, kgraph.asserted)
    ox = run_query(kgraph, query.text, bindings, engine=Engine.OXIGRAPH)
    rl = run_query(kgraph, query.text, bindings, engine=Engine.RDFLIB)
    disk = run_query(stored, query.text, bindings_for(query, {}, stored), engine=Engine.OXIGRAPH)
    assert ox.variables == rl.variables == disk.variables
    assert ox.rows, f"{query.name} returned nothing with its defaults"
    if "ORDER BY" in query.text:
        assert ox.comparable() == rl.comparable() == disk.comparable()
    else:
        assert sorted(ox.comparable()) == sorted(rl.comparable()) == sorted(disk.comparable())


def answers(name: str, **params: str) -> list[dict[str, str]]:
    """Rows of a named query, asked of the Linzi document where the query takes a report."""
    if any(p.name == "report" for p in get_query(name).params):
        params.setdefault("report", "linzi-2023")
    result = run(name, params)
    return [{k: str(v) if v is not None else "" for k, v in row.items()} for row in result.dicts()]


def test_achievements_include_ranks() -> None:
    rows = answers("achievements-2022")
    assert len(rows) == 8
    ranks = {r["wording"]: r["rank"] for r in rows if r["rank"]}
    assert ranks == {"第4名": "4", "第54位": "54", "第60位": "60"}
    output = next(r for r in rows if r["wording"] == "2778亿元")
    assert output["normalized"] == "277800000000"


def test_targets_beside_actuals() -> None:
    rows = {r["target"]: r for r in answers("targets-2023")}
    assert rows["突破3000亿元"]["result2022"] == "2778亿元"
    assert rows["突破3000亿元"]["result2022Is"].startswith("同一指标")
    assert rows["突破3000亿元"]["comparator"] == ">"
    assert rows["10%以上"]["result2022"] == "2778亿元"
    assert rows["10%以上"]["result2022Is"].startswith("增长所依据")
    assert rows["10%以上"]["comparator"] == ">="
    assert rows["5.5%以上"]["result2022"] == ""


def test_enterprise_projects_through_units() -> None:
    projects = {r["project"].split("/")[-1] for r in answers("enterprise-projects")}
    assert projects == {"ethylene-1mt", "refinery-tail-gas"}
    assert [r["project"].split("/")[-1] for r in answers("enterprise-projects", enterprise="Juheshun")] == [
        "juheshun-nylon"
    ]


def test_chain_enterprises_of_the_whole_group() -> None:
    rows = answers("chain-enterprises", chain="“456”产业链群")
    names = {r["enterprise"].split("/")[-1] for r in rows}
    assert {"juheshun", "qilu-petrochemical", "qidu-pharmaceutical", "xiandai-qingfang"} <= names


def test_challenges_have_sentences() -> None:
    rows = answers("challenges")
    assert len(rows) == 10
    assert all(r["sentence"] for r in rows)


def test_provenance_of_a_project() -> None:
    rows = answers("provenance", entity="聚合顺50万吨尼龙新材料项目")
    kinds = {r["what"] for r in rows}
    assert kinds == {"mention", "relation", "figure"}
    assert all("聚合顺" in r["sentence"] for r in rows)


def test_connection() -> None:
    rows = answers("connection", a="聚合顺", b="临淄区")
    assert rows and rows[0]["hops"] == "3"


def test_unknown_query_lists_close_matches() -> None:
    with pytest.raises(QueryNotFound, match="did you mean enterprise-projects"):
        get_query("enterprise-project")


def test_query_file_by_path(tmp_path: Path) -> None:
    file = tmp_path / "mine.rq"
    file.write_text("#+ title: 我的 | mine\nSELECT ?x WHERE { ?x a lz:Enterprise }\n", encoding="utf-8")
    assert len(run(get_query(str(file))).rows) >= 8


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#+ param: x nonsense 1\n", "'param' must be NAME TYPE DEFAULT"),
        ("#+ sentence: start\n", "'sentence' needs two or three variable names"),
        ("#+ title\n", "header line needs 'key: value'"),
    ],
)
def test_malformed_header(tmp_path: Path, header: str, message: str) -> None:
    file = tmp_path / "bad.rq"
    file.write_text(header + "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(HeaderError, match=message):
        parse_query_file(file)


def test_garbage_query_file(tmp_path: Path) -> None:
    file = tmp_path / "garbage.rq"
    file.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(UsageError, match="not UTF-8"):
        get_query(str(file))


def test_unknown_parameter() -> None:
    with pytest.raises(UsageError, match="has no parameter firm; its parameters: enterprise"):
        run("enterprise-projects", {"firm": "聚合顺"})


def test_entity_parameter_not_found() -> None:
    with pytest.raises(EntityNotFound, match="no entity is called '不存在公司'"):
        run("enterprise-projects", {"enterprise": "不存在公司"})


def test_ambiguous_entity_lists_candidates() -> None:
    with pytest.raises(AmbiguousEntity, match="鑫泰石化") as info:
        run("enterprise-projects", {"enterprise": "石化"})
    assert "<https://w3id.org/linzi-kg/id/" in str(info.value)


def test_entity_by_iri_and_relative_iri(kgraph: KnowledgeGraph) -> None:
    from kg.graph.lookup import find_entity

    iri = ID["enterprise/juheshun"]
    assert find_entity(kgraph.asserted, f"<{iri}>") == iri
    assert find_entity(kgraph.asserted, "enterprise/juheshun") == iri


def test_parameters_are_bound_not_pasted(kgraph: KnowledgeGraph) -> None:
    # A value full of SPARQL syntax is just a literal that matches nothing.
    hostile = '"} . ?s ?p ?o . FILTER(true) #'
    text = "SELECT ?e WHERE { ?e lz:sourceTerm ?name }"
    for engine in Engine:
        assert run_query(kgraph, text, {"name": Literal(hostile)}, engine=engine).rows == []
        assert run_query(kgraph, text, {"name": Literal("聚合顺", lang="zh")}, engine=engine).rows == [
            (URIRef(ID["enterprise/juheshun"]),)
        ]


def test_unprojected_parameter_falls_back_to_values(kgraph: KnowledgeGraph) -> None:
    result = run_query(kgraph, "ASK { ?e lz:sourceTerm ?name }", {"name": Literal("聚合顺", lang="zh")})
    assert result.boolean is True


@pytest.mark.parametrize("engine", list(Engine))
def test_syntax_error_has_line_and_column(kgraph: KnowledgeGraph, engine: Engine) -> None:
    with pytest.raises(QuerySyntaxError, match=r"line \d+, column \d+") as info:
        run_query(kgraph, "SELECT ?x WHERE {\n  ?x ?y \n}", engine=engine)
    assert info.value.line in (2, 3)
    assert info.value.exit_code == 2


def test_construct_and_ask(kgraph: KnowledgeGraph) -> None:
    graph = run_query(kgraph, "CONSTRUCT { ?e a lz:Enterprise } WHERE { ?e a lz:Enterprise }").graph
    assert graph is not None and len(graph) >= 8
    assert run_query(kgraph, "ASK { ?x a lz:Challenge }").boolean is True


def test_reach_is_materialized_on_both_engines(kgraph: KnowledgeGraph) -> None:
    # skos:broader and org:unitOf chains become transitive links (ORG's and
    # SKOS's own axioms), which the queries join on instead of `*` paths.
    refinery, qilu = ID["enterprise/qilu-refinery"], ID["enterprise/qilu-petrochemical"]
    chemical, group = ID["chain-set/chemical-chains"], ID["chain-set/chain-group-456"]
    for engine in Engine:
        reach = ((refinery, "org:transitiveSubOrganizationOf", qilu), (chemical, "skos:broaderTransitive", group))
        for s, p, o in reach:
            assert run_query(kgraph, f"ASK {{ <{s}> {p} <{o}> }}", engine=engine).boolean is True, (s, p)
    assert (URIRef(chemical), SKOS.broaderTransitive, URIRef(group)) not in kgraph.asserted  # inferred, not authored


@pytest.mark.parametrize("query", NAMED, ids=lambda q: q.name)
def test_no_named_query_uses_a_repeated_path(query) -> None:  # type: ignore[no-untyped-def]
    # Virtuoso 7.2 loses rows of `*`, `+` and `?` paths at random; the
    # materialized transitive properties serve instead (see chain-enterprises).
    from rdflib.paths import MulPath
    from rdflib.plugins.sparql import prepareQuery

    found: list[object] = []

    def walk(node: object) -> None:
        if isinstance(node, MulPath):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(prepareQuery(query.text).algebra)
    assert not found, f"{query.name} uses {found}"


def test_inference_a_school_is_a_project(kgraph: KnowledgeGraph) -> None:
    # lz:EducationProject is asserted; lz:Project comes from the subclass axiom.
    for engine in Engine:
        result = run_query(kgraph, f"ASK {{ <{ID['project/louyuan-school']}> a lz:Project }}", engine=engine)
        assert result.boolean is True
    assert (URIRef(ID["project/louyuan-school"]), None, None) in kgraph.asserted
