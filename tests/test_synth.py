"""The synthetic graph generator: reproducible, Linzi-shaped, one district per report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.bench.synth import base_lines, report_lines
from kg.cli import main
from kg.rdf.pipeline import build


def test_report_zero_is_linzi(graph: Graph) -> None:
    lines = base_lines(graph)
    zero = Graph().parse(data="\n".join(report_lines(lines, 0, seed=1)), format="nt")
    assert isomorphic(zero, graph)


def test_reports_are_reproducible_and_distinct(graph: Graph, tmp_path: Path) -> None:
    runner = CliRunner()
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    for out, seed in ((a, "7"), (b, "7"), (c, "8")):
        result = runner.invoke(main, ["synth", "--reports", "3", "--seed", seed, "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    store = ox.Store()
    store.bulk_load(path=str(a), format=ox.RdfFormat.N_TRIPLES)
    # Each synthetic report is shaped like the Linzi document alone.
    linzi = build(document="linzi-2023", check_source=False, validate=False).graph
    assert len(store) == 3 * len(linzi)
    districts = list(
        store.query("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/linzi-kg/ontology#District> }")
    )
    assert districts[0]["n"].value == "3"


def test_figures_scale_consistently(graph: Graph) -> None:
    lines = base_lines(graph)
    one = Graph().parse(data="\n".join(report_lines(lines, 1, seed=3)), format="nt")
    query = """
        PREFIX lz: <https://w3id.org/linzi-kg/ontology#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?v ?n WHERE { ?f sdmx-measure:obsValue ?v ; lz:normalizedValue ?n ;
                               lz:originalWording ?w . FILTER(CONTAINS(STR(?w), "亿元")) }"""
    rows = list(one.query(query))
    assert rows
    for v, n in rows:
        assert Decimal(str(n)) == Decimal(str(v)) * 100_000_000
    labels = {str(o) for o in one.objects(None, None) if "（虚拟区1）" in str(o)}
    assert "临淄区（虚拟区1）" in labels


def test_bad_inputs(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["synth", "--reports", "0", "-o", str(tmp_path / "x.nt")])
    assert result.exit_code == 2
    result = runner.invoke(main, ["synth", "--reports", "2", "-o", str(tmp_path / "no" / "x.nt")])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert list(tmp_path.iterdir()) == []
