"""linzi-kg review: the draft folder cleared by keyboard in real Chromium, and the API it uses."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ARTIFACTS, PageWatch
from starlette.testclient import TestClient

from kg.bench.servers import free_port, service
from kg.cli import main
from kg.ingest.review import DraftFolder, review_app

REPORT = Path(__file__).parent / "data" / "ingest" / "yunxi-2024.txt"


def draft_folder(tmp: Path) -> Path:
    out = tmp / "draft"
    result = CliRunner().invoke(main, ["ingest", str(REPORT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def records(folder: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    out = {}
    for path in folder.glob("*.yaml"):
        for rec in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("records") or []:
            out[rec["id"]] = rec
    return out


def test_api_accept_edit_reject_and_the_folder_still_builds(tmp_path: Path) -> None:
    folder = draft_folder(tmp_path)
    client = TestClient(review_app(DraftFolder(folder, REPORT)))
    page = client.get("/")
    assert (
        page.status_code == 200
        and "<mark" in page.text
        and "script-src 'self'" in page.headers["content-security-policy"]
    )
    assert client.post("/records/figure-1", json={"action": "accept"}).status_code == 403  # no header: refused
    h = {"X-Linzi-Review": "1"}
    assert client.post("/records/figure-1", json={"action": "accept"}, headers=h).json()["ok"]
    bad = client.post("/records/figure-2", json={"action": "edit", "fields": {"year": "twenty"}}, headers=h)
    assert bad.status_code == 400 and "year must be" in bad.json()["error"]
    ok = client.post(
        "/records/figure-2", json={"action": "edit", "fields": {"year": "2023", "value": "6.2"}}, headers=h
    )
    assert ok.status_code == 200
    assert client.post("/records/nope", json={"action": "accept"}, headers=h).status_code == 404
    assert client.post("/records/indicator-1", json={"action": "reject"}, headers=h).status_code == 400
    place = next(r for r in records(folder).values() if r["type"] == "Person")
    assert client.post(f"/records/{place['id']}", json={"action": "reject"}, headers=h).json()["ok"]
    recs = records(folder)
    assert recs["figure-1"]["draft"] == "accepted"
    assert recs["figure-2"]["value"] == 6.2 and recs["figure-2"]["draft"] == "accepted"
    assert place["id"] not in recs
    assert not any(place["id"] in str(r) for r in recs.values())  # links to it are gone too
    assert list(folder.glob(".*")) == []  # atomic saves leave no temporary files
    built = CliRunner().invoke(main, ["build", "--data-dir", str(folder), "--source", str(REPORT)])
    assert built.exit_code == 0, built.output


def test_reviewed_names_feed_the_next_ingest(tmp_path: Path) -> None:
    folder = draft_folder(tmp_path)
    client = TestClient(review_app(DraftFolder(folder, REPORT)))
    ent = next(r for r in records(folder).values() if r.get("zh") == "云溪化工")
    client.post(f"/records/{ent['id']}", json={"action": "accept"}, headers={"X-Linzi-Review": "1"})
    other = tmp_path / "next.txt"
    other.write_text("一、2024年工作回顾\n云溪化工完成技术改造。\n", encoding="utf-8")
    from kg.ingest.run import ingest_file

    names = {e.label: e.reasons for e in ingest_file(other, known=[folder]).entities}
    assert names.get("云溪化工") == []  # known now: no "new enterprise name" reason


def test_review_refuses_another_text(tmp_path: Path) -> None:
    folder = draft_folder(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text("另一份报告。", encoding="utf-8")
    r = CliRunner().invoke(main, ["review", str(folder), "--source", str(other)])
    assert r.exit_code == 1 and "not the text this draft was made from" in r.output


@pytest.fixture
def review_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = draft_folder(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "kg", "review", str(folder), "--source", str(REPORT), "--port", str(port)]
    with service(command, f"{base}/", timeout=60):
        yield base, folder


@pytest.mark.browser
def test_review_by_keyboard_in_chromium(review_server: tuple[str, Path], browser) -> None:  # type: ignore[no-untyped-def]
    base, folder = review_server
    watch = PageWatch(browser, block_http=False)
    page = watch.page
    try:
        page.goto(f"{base}/")
        page.wait_for_selector("body[data-ready='1']")
        assert page.locator("#text mark").count() > 40
        first = page.locator("#records li.sel")
        first_id = first.get_attribute("data-id")
        assert page.locator("#text mark.sel").count() >= 1  # the selected record's span is highlighted
        pending = int(page.locator("#pending").inner_text())

        page.keyboard.press("a")  # accept the first record
        page.wait_for_selector(f"#records li.accepted[data-id='{first_id}']")
        assert int(page.locator("#pending").inner_text()) == pending - 1

        figure = page.locator("#records li[data-id='figure-3']")
        figure.locator("button[data-act=edit]").click()  # edit by mouse once, then keys
        page.fill("#records li[data-id='figure-3'] input[name=value]", "21.6")
        page.keyboard.press("Enter")
        page.wait_for_selector("#records li.accepted[data-id='figure-3']")

        page.locator("#records li[data-id='indicator-5'] .sum").click()
        page.keyboard.press("x")  # an indicator that figures use cannot go: the page says why
        page.wait_for_selector("#records li[data-id='indicator-5'] .error")
        assert "reject or edit those first" in page.locator("#records li[data-id='indicator-5'] .error").inner_text()
        page.keyboard.press("j")
        target = page.locator("#records li.sel").get_attribute("data-id")
        assert target == "figure-5"
        page.keyboard.press("x")  # reject it
        page.wait_for_selector(f"#records li.rejected[data-id='{target}']")

        page.keyboard.press("k")
        page.keyboard.press("e")
        page.keyboard.press("Escape")  # cancel an edit: nothing is sent
        assert page.locator("#records form").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=False)
        # The one refused request (the indicator) is the only console message.
        assert [e for e in watch.errors if "status of 400" not in e] == [] and watch.dialogs == []
        assert len(watch.errors) == 1
    finally:
        watch.close()
    recs = records(folder)
    assert recs[str(first_id)]["draft"] == "accepted"
    assert recs["figure-3"]["value"] == 21.6 and recs["figure-3"]["draft"] == "accepted"
    assert target not in recs
    built = CliRunner().invoke(main, ["build", "--data-dir", str(folder), "--source", str(REPORT)])
    assert built.exit_code == 0, built.output
