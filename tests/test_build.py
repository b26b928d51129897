"""The graph says what the article says: a sample of the inventory, checked by SPARQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from kg.core.namespaces import ID, LZ, ORG, PREFIXES, SCHEMA, SKOS

PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def rows(graph: Graph, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) if v is not None else "" for v in row) for row in graph.query(PREFIX + query))


def test_no_blank_nodes(graph: Graph) -> None:
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_every_entity_has_zh_and_en_labels(graph: Graph) -> None:
    for node in set(graph.subjects(LZ.sourceTerm, None)):
        langs = {lit.language for lit in graph.objects(node, RDFS.label)}
        assert {"zh", "en"} <= langs, node


def test_places(graph: Graph) -> None:
    assert (ID["place/linzi"], SCHEMA.containedInPlace, ID["place/zibo"]) in graph
    assert (ID["place/zibo"], SCHEMA.containedInPlace, ID["place/shandong"]) in graph
    assert (ID["place/linzi"], RDF.type, LZ.District) in graph


def test_report_delivery(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT ?date ?speaker ?post ?meeting WHERE {
          ?report a lz:WorkReport ; lz:delivery ?d .
          ?d schema:startDate ?date ; lz:speaker/rdfs:label ?speaker ; lz:inPost/rdfs:label ?post ;
             lz:atMeeting/rdfs:label ?meeting .
          FILTER(lang(?speaker) = "zh" && lang(?post) = "zh" && lang(?meeting) = "zh")
        }""",
    )
    assert ("--02-02", "蔡华刚", "临淄区区长", "临淄区第十九届人民代表大会第二次会议") in found
    assert (ID["person/cai-huagang"], ORG.holds, ID["post/district-head"]) in graph


def test_article_credits(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT ?role ?name WHERE {
          ?a a lz:NewsArticle ; ?role ?p . ?p a schema:Person ; rdfs:label ?name . FILTER(lang(?name) = "zh")
        }""",
    )
    assert found == [
        (str(LZ.correspondent), "郑雪菲"),
        (str(LZ.reporter), "张吉宝"),
        (str(LZ.reporter), "李鸿斐"),
    ]
    assert (ID["article/news-article"], SCHEMA.publisher, ID["org/dazhong-daily"]) in graph


def test_provincial_context(graph: Graph) -> None:
    conf = ID["event/provincial-industry-conference"]
    assert (conf, LZ.heldIn, ID["place/jinan"]) in graph
    assert (conf, LZ.speaker, ID["person/lin-wu"]) in graph
    assert graph.value(conf, SCHEMA.startDate) == Literal("--02-01", datatype=XSD.gMonthDay)
    assert graph.value(ID["chain-set/provincial-landmark-chains"], LZ.declaredCount).toPython() == 11


def test_eight_actions(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT ?emphasis ?focus WHERE {
          ?a a lz:Action ; skos:broader id:framework/eight-actions ; lz:emphasis ?emphasis ;
             lz:focusArea/rdfs:label ?focus . FILTER(lang(?focus) = "zh")
        }""".replace("id:framework/eight-actions", f"<{ID['framework/eight-actions']}>"),
    )
    assert len(found) == 8
    assert ("绿色低碳", "改善生态环境") in found
    assert ("共同富裕", "厚植民生底色") in found


def test_chain_group_456(graph: Graph) -> None:
    counts = {
        str(graph.value(s, SKOS.notation)): graph.value(s, LZ.declaredCount).toPython()
        for s in graph.subjects(SKOS.broader, ID["chain-set/chain-group-456"])
    }
    assert counts == {"4": 4, "5": 5, "6": 6}
    chemical = set(graph.subjects(LZ.servesChainSet, ID["chain-set/chemical-chains"]))
    assert chemical == {ID["project/ethylene-1mt"], ID["project/ruilin-alkane-olefin"], ID["project/juheshun-nylon"]}
    emerging_parks = {
        s
        for s in graph.subjects(LZ.servesChainSet, ID["chain-set/emerging-chains"])
        if (s, RDF.type, LZ.IndustrialPark) in graph
    }
    assert len(emerging_parks) == 3


def test_enterprise_projects(graph: Graph) -> None:
    assert (ID["project/juheshun-nylon"], LZ.carriedOutBy, ID["enterprise/juheshun"]) in graph
    assert (ID["project/refinery-tail-gas"], LZ.carriedOutBy, ID["enterprise/qilu-refinery"]) in graph
    assert (ID["enterprise/qilu-refinery"], ORG.unitOf, ID["enterprise/qilu-petrochemical"]) in graph


def test_counted_group_with_named_members(graph: Graph) -> None:
    group = ID["project/pollution-control-39"]
    assert graph.value(group, LZ.declaredCount).toPython() == 39
    assert len(set(graph.subjects(LZ.memberOfGroup, group))) == 3


def test_challenges(graph: Graph) -> None:
    assert len(set(graph.objects(ID["report/work-report-2023"], LZ.namesChallenge))) == 10


@pytest.mark.parametrize(
    ("obs", "value", "unit", "normalized", "base", "comparator", "status"),
    [
        ("2022-industrial-output", "2778", "lzunit:YiYuan", "277800000000", "unit:CCY_CNY", "lz:Equal", "lz:Actual"),
        (
            "2023-industrial-output",
            "3000",
            "lzunit:YiYuan",
            "300000000000",
            "unit:CCY_CNY",
            "lz:Exceeding",
            "lz:Target",
        ),
        ("2023-industrial-output-growth", "10", "unit:PERCENT", "10", "unit:PERCENT", "lz:AtLeast", "lz:Target"),
        ("2023-distributed-pv-capacity", "8", "lzunit:WanKiloW", "80000", "unit:KiloW", "lz:Equal", "lz:Target"),
        ("ethylene-capacity", "100", "lzunit:WanTonne", "1000000", "unit:TONNE", "lz:Equal", "lz:Specification"),
        (
            "2022-rank-comprehensive-strength",
            "54",
            "lzunit:RankPosition",
            "54",
            "lzunit:RankPosition",
            "lz:Equal",
            "lz:Actual",
        ),
        ("2022-disposable-income", "46010", "unit:CCY_CNY", "46010", "unit:CCY_CNY", "lz:Equal", "lz:Actual"),
    ],
)
def test_figures(
    graph: Graph, obs: str, value: str, unit: str, normalized: str, base: str, comparator: str, status: str
) -> None:
    (row,) = rows(
        graph,
        f"""
        SELECT ?v ?u ?n ?b ?c ?s WHERE {{
          <{ID["linzi-2023/observation/" + obs]}> sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure ?u ;
            lz:normalizedValue ?n ; lz:normalizedUnit ?b ; lz:comparator ?c ; lz:valueStatus ?s .
        }}""",
    )

    def expand(curie: str) -> str:
        prefix, local = curie.split(":")
        return PREFIXES[prefix] + local

    assert Decimal(row[0]) == Decimal(value)
    assert Decimal(row[2]) == Decimal(normalized)
    assert row[1] == expand(unit) and row[3] == expand(base)
    assert row[4] == expand(comparator) and row[5] == expand(status)


def test_target_beside_actual(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT ?actual ?target WHERE {
          ?a lz:indicator ?i ; lz:valueStatus lz:Actual ; lz:originalWording ?actual .
          ?t lz:indicator ?i ; lz:valueStatus lz:Target ; lz:originalWording ?target .
        }""",
    )
    assert found == [("2778亿元", "突破3000亿元")]


def test_modalities(graph: Graph) -> None:
    assert graph.value(ID["linzi-2023/observation/2023-air-quality-good-rate"], LZ.modality) == LZ.Striving
    assert graph.value(ID["linzi-2023/observation/2023-new-urban-jobs"], LZ.modality) == LZ.Planned
