"""Tables for spreadsheets (kg.tables, kg.xlsx): label columns, numbers as
numbers, CSV for Excel, .xlsx; opened by a real spreadsheet program
(LibreOffice, headless: `.ci/run` installs libreoffice-calc-nogui) and by
openpyxl; served by the explorer and written by `linzi-kg query`."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from starlette.testclient import TestClient

from kg.cli import main
from kg.core.xlsx import sheet_name, workbook
from kg.errors import UsageError
from kg.sparql.engines import QueryResult
from kg.sparql.queries import run
from kg.sparql.tables import Labels, TableFormat, render, table
from kg.web.server import Settings, create_app

NAMES = {"urn:x:juheshun": "聚合顺", "urn:x:linzi": "临淄区"}
HOSTILE = '=HYPERLINK("http://127.0.0.1/","x")\x01</t>\t<b>'
#: The rows of targets-2023 on the shipped data, and its enterprises.
TARGETS = len(run("targets-2023").rows)
ENTERPRISES = len(run("SELECT ?e WHERE { ?e a lz:Enterprise }").rows)
RESULT = QueryResult(
    "select",
    ["who", "where", "value", "note"],
    [
        (URIRef("urn:x:juheshun"), URIRef("urn:x:linzi"), Literal("2778.0", datatype=XSD.decimal), Literal("a\tb\nc")),
        (URIRef("urn:x:unnamed"), None, Literal(-5), Literal(HOSTILE)),
        (BNode("b1"), URIRef("urn:x:linzi"), Literal("5.5", datatype=XSD.decimal), Literal("临淄", lang="zh")),
    ],
)


def _xlsx_rows(data: bytes) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for row in book.active.iter_rows(values_only=True)]


def test_labels_beside_only_none() -> None:
    header, rows = table(RESULT, labels=Labels.BESIDE, label_of=NAMES.get)
    assert header == ["who", "who_label", "where", "where_label", "value", "note"]
    assert rows[0][:4] == ["urn:x:juheshun", "聚合顺", "urn:x:linzi", "临淄区"]
    assert rows[1][:4] == ["urn:x:unnamed", "", None, ""]  # no name: empty label; unbound: empty cell
    assert rows[0][4] == 2778 and rows[2][4] == Decimal("5.5") and rows[1][4] == -5
    header, rows = table(RESULT, labels=Labels.ONLY, label_of=NAMES.get)
    assert header == ["who", "where", "value", "note"]
    assert rows[0][:2] == ["聚合顺", "临淄区"] and rows[1][0] == "urn:x:unnamed"
    header, rows = table(RESULT, labels=Labels.NONE, label_of=NAMES.get)
    assert header == RESULT.variables and rows[2][0] == "_:b1"


def test_csv_tsv_and_csv_for_excel() -> None:
    plain = render(RESULT, TableFormat.CSV, label_of=NAMES.get)
    assert not plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(plain.decode("utf-8"))))
    assert rows[1][5] == "a\tb\nc" and rows[2][5] == HOSTILE  # CSV quotes; data unchanged
    excel = render(RESULT, TableFormat.EXCEL, label_of=NAMES.get)
    assert excel.startswith(b"\xef\xbb\xbf") and b"\r\n" in excel
    rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig"))))
    assert rows[2][5] == "'" + HOSTILE  # a formula is made inert for a spreadsheet
    assert rows[2][4] == "-5"  # a negative number stays a number
    tsv = render(RESULT, TableFormat.TSV, label_of=NAMES.get).decode("utf-8")
    lines = tsv.split("\r\n")
    assert lines[0] == "who\twho_label\twhere\twhere_label\tvalue\tnote"
    assert [len(line.split("\t")) for line in lines[1:4]] == [6, 6, 6]  # tabs and breaks inside values gone


def test_xlsx_holds_strings_numbers_and_hostile_text() -> None:
    data = render(RESULT, TableFormat.XLSX, label_of=NAMES.get, title="targets/2023")
    assert data == render(RESULT, TableFormat.XLSX, label_of=NAMES.get, title="targets/2023")  # same bytes
    rows = _xlsx_rows(data)
    assert rows[0] == ("who", "who_label", "where", "where_label", "value", "note")
    assert rows[1][:5] == ("urn:x:juheshun", "聚合顺", "urn:x:linzi", "临淄区", 2778)
    assert rows[2][4] == -5 and rows[3][4] == 5.5
    assert rows[2][5] == HOSTILE.replace("\x01", "")  # text, never a formula; the control character dropped
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.active.title == "targets 2023" and book.active.freeze_panes == "A2"
    assert book.active["A1"].font.b and book.active["A2"].data_type == "s"


def test_ask_and_graph_answers() -> None:
    ask = QueryResult("ask", boolean=True)
    assert render(ask, TableFormat.CSV, label_of=NAMES.get) == b"_askResult\r\ntrue\r\n"
    with pytest.raises(UsageError):
        render(QueryResult("graph"), TableFormat.CSV, label_of=NAMES.get)


def test_sheet_names_and_limits() -> None:
    assert sheet_name("[]:*?/\\") == "Sheet1" and len(sheet_name("长" * 40)) == 31
    with pytest.raises(UsageError):
        workbook([["x"] * 16_385])


# -- a real spreadsheet program ----------------------------------------------------------


@pytest.fixture(scope="module")
def soffice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    found = shutil.which("soffice")
    if found is None:
        pytest.fail("LibreOffice is missing: apt-get install -y libreoffice-calc-nogui (see .ci/run)")
    profile = tmp_path_factory.mktemp("lo-profile")
    yield [found, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]


def _convert(soffice: list[str], source: Path, to: str, *extra: str) -> Path:
    out = source.parent / "out"
    proc = subprocess.run(
        [*soffice, *extra, "--convert-to", to, "--outdir", str(out), str(source)],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = list(out.glob(f"{source.stem}.*"))
    assert proc.returncode == 0 and converted, proc.stderr.decode("utf-8", "replace")
    return converted[0]


def test_libreoffice_opens_the_xlsx(soffice: list[str], tmp_path: Path) -> None:
    source = tmp_path / "answer.xlsx"
    source.write_bytes(render(RESULT, TableFormat.XLSX, label_of=NAMES.get))
    # As CSV, UTF-8 (76), comma (44), quote (34): what the spreadsheet program read.
    back = _convert(soffice, source, "csv:Text - txt - csv (StarCalc):44,34,76,1")
    rows = list(csv.reader(io.StringIO(back.read_text(encoding="utf-8"))))
    assert rows[0] == ["who", "who_label", "where", "where_label", "value", "note"]
    assert rows[1][:5] == ["urn:x:juheshun", "聚合顺", "urn:x:linzi", "临淄区", "2778"]
    assert rows[2][4] == "-5" and rows[3][4] == "5.5" and rows[3][5] == "临淄"
    assert rows[2][5] == HOSTILE.replace("\x01", "")  # shown as text: it was not run as a formula


def test_libreoffice_reads_the_excel_csv_as_utf8(soffice: list[str], tmp_path: Path) -> None:
    source = tmp_path / "answer.csv"
    source.write_bytes(render(RESULT, TableFormat.EXCEL, label_of=NAMES.get))
    # No character set given: the byte-order mark tells the program it is UTF-8.
    sheet = _convert(soffice, source, "xlsx", "--infilter=CSV:44,34,,1")
    rows = _xlsx_rows(sheet.read_bytes())
    assert rows[1][1] == "聚合顺" and rows[3][5] == "临淄" and rows[1][4] == 2778


def test_libreoffice_opens_a_served_named_query(soffice: list[str], tmp_path: Path) -> None:
    with TestClient(create_app(settings=Settings(workers=1))) as client:
        r = client.get("/queries/targets-2023/download", params={"as": "xlsx"})
    source = tmp_path / "targets-2023.xlsx"
    source.write_bytes(r.content)
    back = _convert(soffice, source, "csv:Text - txt - csv (StarCalc):44,34,76,1")
    rows = list(csv.reader(io.StringIO(back.read_text(encoding="utf-8"))))
    header = rows[0]
    at = header.index("indicator_label")
    assert header[at - 1] == "indicator"
    labels = {row[at] for row in rows[1:]}
    assert "规上工业总产值" in labels and len(rows) == 1 + TARGETS


# -- served and written ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings=Settings(workers=1))) as c:
        yield c


def test_named_query_downloads(client: TestClient) -> None:
    r = client.get("/queries/enterprise-projects/download", params={"enterprise": "聚合顺", "as": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="enterprise-projects.csv"'
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:4] == ["enterprise", "enterprise_label", "project", "project_label"]
    assert rows[1][1] == "聚合顺" and rows[1][3] == "聚合顺50万吨尼龙新材料项目" and len(rows) == 2
    only = client.get("/queries/enterprise-projects/download", params={"enterprise": "聚合顺", "labels": "only"})
    assert only.text.splitlines()[1].startswith("聚合顺,聚合顺50万吨尼龙新材料项目")
    english = client.get("/queries/enterprise-projects/download", params={"as": "tsv", "lang": "en"})
    assert "\tQilu Petrochemical\t" in english.text
    excel = client.get("/queries/challenges/download", params={"as": "excel"})
    assert excel.content.startswith(b"\xef\xbb\xbf")
    sheet = client.get("/queries/challenges/download", params={"as": "xlsx"})
    assert sheet.headers["content-type"] == TableFormat.XLSX.media_type
    assert len(_xlsx_rows(sheet.content)) == 11  # ten challenges and the header


def test_page_offers_the_downloads(client: TestClient) -> None:
    page = client.get("/queries/enterprise-projects", params={"enterprise": "聚合顺"}).text
    assert 'action="/queries/enterprise-projects/download"' in page
    assert 'name="enterprise" value="聚合顺"' in page and 'value="xlsx"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as": "pdf"}, "as='pdf': give one of csv, tsv, excel, xlsx"),
        ({"labels": "all"}, "labels='all': give one of beside, only, none"),
    ],
)
def test_bad_download_parameters(client: TestClient, params: dict[str, str], message: str) -> None:
    r = client.get("/queries/challenges/download", params=params)
    assert r.status_code == 400 and r.text == message + "\n"


def test_query_downloads_and_garbage(client: TestClient) -> None:
    r = client.get("/query/download", params={"query": "SELECT ?e WHERE { ?e a lz:Enterprise }", "as": "xlsx"})
    assert r.status_code == 200 and len(_xlsx_rows(r.content)) == 1 + ENTERPRISES
    assert client.get("/query/download").status_code == 400
    bad = client.get("/query/download", params={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400 and "syntax error" in bad.text and "\n" not in bad.text.strip()
    graph = client.get("/query/download", params={"query": "CONSTRUCT WHERE { ?s a lz:Enterprise }"})
    assert graph.status_code == 400 and "downloaded as RDF" in graph.text
    assert client.get("/query/download", params={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}).status_code == 403
    assert client.get("/queries/no-such/download").status_code == 404


def test_cli_query_tables(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "targets.xlsx"
    result = runner.invoke(main, ["query", "targets-2023", "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(_xlsx_rows(out.read_bytes())) == 1 + TARGETS and out.stat().st_mode & 0o777 == 0o644
    result = runner.invoke(main, ["query", "enterprise-projects", "-f", "csv", "--labels", "beside"])
    assert result.output.splitlines()[0].startswith("enterprise,enterprise_label,project,project_label")
    result = runner.invoke(main, ["query", "enterprise-projects", "-f", "csv"])
    assert result.output.splitlines()[0].startswith("enterprise,project")  # the W3C CSV without --labels
    result = runner.invoke(main, ["query", "targets-2023", "-f", "xlsx"])
    assert (
        result.exit_code == 2
        and result.output == "error: --format xlsx writes a binary file: give --output FILE.xlsx\n"
    )
    result = runner.invoke(main, ["query", "targets-2023", "--labels", "only"])
    assert result.exit_code == 2 and "--labels goes with --format csv, tsv or xlsx" in result.output
