"""The explorer's two languages (kg/i18n.py): a complete catalogue, a switch
that persists, ``lang`` attributes, column labels from the named queries'
headers, and error messages in Chinese. In-process (Starlette's TestClient)."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kg.core.i18n import Lang, parse_lang, request_lang, switch_href, text, translate_error
from kg.core.i18n_catalogue import CATALOGUE, ERRORS
from kg.sparql.queries import list_queries

TEMPLATES = Path(__file__).resolve().parent.parent / "kg" / "templates"
KG = TEMPLATES.parent


@pytest.fixture(scope="module")
def client(kgraph) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    from kg.web.server import Settings, create_app

    with TestClient(create_app(kgraph, settings=Settings(workers=1))) as c:
        yield c


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_key_has_chinese_and_english_with_the_same_fields() -> None:
    for key, pair in CATALOGUE.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        zh, en = pair
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        # Chinese, or punctuation alone (the full-width colon), never an English text left over.
        assert re.search(r"[\u4e00-\u9fff]", zh) or not re.search(r"[A-Za-z]", zh), key


def test_every_key_the_templates_and_code_use_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in [*TEMPLATES.glob("*.html"), *(p for p in KG.glob("*.py") if p.name != "i18n.py")]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bui\.([a-z][a-z0-9_]*)\b", source))
        used |= set(re.findall(r"\bui\(\s*[\"']([a-z][a-z0-9_]*)[\"']", source))
        used |= set(re.findall(r"\btext\(\s*\"([a-z][a-z0-9_]*)\"", source))
    methods = {"lang", "html_lang", "other_html_lang", "switch_href", "switch_label", "name", "alt", "maybe", "error"}
    missing = sorted(used - methods - set(CATALOGUE))
    assert missing == [], missing


def test_language_from_query_then_cookie_then_chinese() -> None:
    assert request_lang("", None) == (Lang.ZH, None)
    assert request_lang("lang=en", "lang=zh") == (Lang.EN, Lang.EN)
    assert request_lang("", "lang=en") == (Lang.EN, None)
    for garbage in ("lang=<script>", "lang=" + "x" * 5000, "lang=%ff%fe", "lang="):
        assert request_lang(garbage, "lang=\x00;;==") == (Lang.ZH, None)
    assert parse_lang("en-GB") is Lang.EN and parse_lang("") is None


def test_switch_keeps_the_page_and_its_parameters() -> None:
    from kg.core.i18n import Current

    href = switch_href(Current(Lang.EN, "/queries/enterprise-projects", "enterprise=%E8%81%9A&lang=en"))
    assert href == "/queries/enterprise-projects?enterprise=%E8%81%9A&lang=zh"


def test_switch_persists_in_a_cookie(client: TestClient) -> None:
    client.cookies.clear()
    zh = client.get("/")
    assert '<html lang="zh-Hans">' in zh.text and 'href="/?lang=en"' in zh.text
    en = client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in en.text and "lang=en" in en.headers["set-cookie"]
    assert "Cookie" in en.headers["vary"]
    # Another page, no parameter: still English (the cookie), and it offers Chinese back.
    later = client.get("/queries")
    assert '<html lang="en">' in later.text and "Named questions" in later.text and "?lang=zh" in later.text
    client.get("/", params={"lang": "zh"})
    assert '<html lang="zh-Hans">' in client.get("/queries").text
    client.cookies.clear()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/queries",
        "/queries/targets-2023",
        "/id/place/linzi",
        "/id/indicator/industrial-output",
        "/search?q=污水处理设施",
        "/class/lz:Enterprise",
        "/article",
        "/checks",
        "/followup",
        "/compare",
        "/id/nothing-here",
    ],
)
def test_pages_mark_the_other_language(client: TestClient, path: str) -> None:
    zh = client.get(path, headers={"cookie": "lang=zh", "accept": "text/html"}).text
    en = client.get(path, headers={"cookie": "lang=en", "accept": "text/html"}).text
    assert '<html lang="zh-Hans">' in zh and '<html lang="en">' in en
    # The frame is in the page's language: the navigation and the switch.
    assert "命名查询" in zh and ">Named questions<" in en and ">English<" in zh and ">中文<" in en
    if path not in ("/id/nothing-here", "/checks", "/followup", "/queries"):
        # Chinese data on the English page is marked Chinese; English labels on the Chinese page English.
        assert 'lang="zh-Hans"' in en, path
    if path in ("/", "/id/place/linzi", "/class/lz:Enterprise", "/search?q=污水处理设施"):
        assert '<span lang="en">' in zh, path


def test_column_headers_come_from_the_query_header(client: TestClient) -> None:
    zh = client.get("/queries/enterprise-projects", headers={"cookie": "lang=zh"}).text
    en = client.get("/queries/enterprise-projects", headers={"cookie": "lang=en"}).text
    head = re.search(r"<thead>(.*?)</thead>", zh, re.S)
    assert head is not None and "承担单位" in head.group(1) and "carriedOutBy" not in head.group(1).split("title=")[0]
    head_en = re.search(r"<thead>(.*?)</thead>", en, re.S)
    assert head_en is not None and ">Carried out by<" in head_en.group(1)
    # The form: the parameter's label and help in the page's language.
    assert '<label for="param-enterprise">企业' in zh and "企业：中文或英文名称" in zh
    assert ">Enterprise</" in en and "the enterprise: a Chinese or English name" in en


def test_every_named_query_labels_every_column_and_parameter(kgraph) -> None:  # type: ignore[no-untyped-def]
    from kg.sparql.queries import run

    for q in list_queries():
        assert q.description_zh, q.name
        result = run(q, {}, kg=kgraph)
        for v in [*result.variables, *(p.name for p in q.params)]:
            if v == "sentence":
                continue
            assert q.column(v) is not None, f"{q.name}: no '#+ column: {v} …' in its header"
        for p in q.params:
            assert p.name in q.param_zh, f"{q.name}: no '#+ param-zh: {p.name} -- …'"


def test_bad_column_headers_are_one_line_errors(tmp_path: Path) -> None:
    from kg.sparql.queries import HeaderError, parse_query_file

    for line in ("#+ column: x", "#+ column: 1 | 2 | 3", "#+ param-zh: nothing -- 说明", "#+ param-zh: 没有分隔"):
        path = tmp_path / "q.rq"
        path.write_text(f"#+ title: t\n{line}\nSELECT * WHERE {{ ?s ?p ?o }}\n", encoding="utf-8")
        with pytest.raises(HeaderError) as info:
            parse_query_file(path)
        assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_known_errors_are_translated_from_the_real_messages(kgraph) -> None:  # type: ignore[no-untyped-def]
    from kg.errors import KGError
    from kg.graph.lookup import find_entity
    from kg.sparql.queries import coerce, get_query

    raised: list[str] = []
    for call in (
        lambda: find_entity(kgraph.asserted, "火星公司"),
        lambda: find_entity(kgraph.asserted, "石化"),
        lambda: get_query("no-such-query"),
        lambda: coerce("x", "integer", name="year"),
        lambda: coerce("not an iri", "iri", name="p"),
    ):
        with pytest.raises(KGError) as info:
            call()
        raised.append(str(info.value))
    for message in raised:
        zh = translate_error(message, Lang.ZH)
        assert zh is not None and re.search(r"[\u4e00-\u9fff]{2}", zh), message
        assert translate_error(message, Lang.EN) is None
    assert len(ERRORS) == len({p for p, _ in ERRORS})


def test_error_page_in_chinese_with_the_original_beside(client: TestClient) -> None:
    r = client.get("/id/nothing-here", headers={"accept": "text/html", "cookie": "lang=zh"})
    assert r.status_code == 404 and "404 · 找不到" in r.text and "图谱中没有关于" in r.text
    assert '<span class="muted original" lang="en">(nothing is known about' in r.text
    en = client.get("/id/nothing-here", headers={"accept": "text/html", "cookie": "lang=en"})
    assert "404 · Not found" in en.text and "图谱中没有" not in en.text


def test_text_helper() -> None:
    assert text("rows", Lang.ZH, n=2) == "2 行"
    with pytest.raises(KeyError):
        text("no-such-key", Lang.ZH)


@pytest.mark.parametrize(
    "cookie", ['lang="; x', "lang=" + "e" * 10_000, "lang=en; lang=zh", "\x7f=\x7f", ";;;", "lang=<script>"]
)
def test_garbage_language_cookies_and_parameters(client: TestClient, cookie: str) -> None:
    r = client.get("/queries", headers={"cookie": cookie})
    assert r.status_code == 200 and "<script>" not in r.text.split("</head>")[1]
    bad = client.get("/queries", params={"lang": "<script>alert(1)</script>"}, headers={"cookie": cookie})
    assert bad.status_code == 200 and "alert(1)</script>" not in bad.text and "set-cookie" not in bad.headers
