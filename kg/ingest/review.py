"""``linzi-kg review DRAFT --source TEXT``: clear a draft folder in the browser, by keyboard.

The page shows the report's text with every drafted span highlighted and the
draft records beside it. A person moves with j/k (or the arrow keys), accepts
with a, rejects with x, edits with e (Enter saves, Escape cancels). Each action
rewrites the record's YAML file atomically (a temporary file renamed into
place): accept sets ``draft: accepted``, edit changes the fields and accepts,
reject deletes the record and the links that point to it. A reviewed folder
feeds the next ingest (``linzi-kg ingest --known DRAFT``): accepted names and
indicators are linked to.

The app (Starlette) binds to loopback by default, answers only its own page,
script and API, and refuses API calls without its ``X-Linzi-Review`` header, so
another site cannot post to it from a visitor's browser.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kg.core.model import COMPARATORS, MODALITIES, STATUSES
from kg.errors import KGError, UsageError
from kg.rdf.export import write_atomic

#: Fields a reviewer may edit, per kind of record.
EDITABLE = {
    "Observation": ("year", "status", "value", "unit", "comparator", "modality", "indicator"),
    "entity": ("zh", "en", "type"),
}
_HEADER = "X-Linzi-Review"
_STATIC = Path(__file__).resolve().parent / "static"


class ReviewError(KGError):
    """A draft folder cannot be reviewed (missing, wrong text, unreadable YAML)."""


@dataclass
class _File:
    path: Path
    header: str
    doc: dict[str, Any]


class DraftFolder:
    """The YAML files of a draft folder, with atomic saves (one lock for all)."""

    def __init__(self, folder: Path, source: Path) -> None:
        if not folder.is_dir():
            raise ReviewError(f"{folder}: draft folder not found")
        self.folder = folder
        self.lock = threading.Lock()
        self.files: dict[str, _File] = {}
        for path in sorted(folder.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
            try:
                doc = yaml.safe_load(text) or {}
            except yaml.YAMLError as err:
                raise ReviewError(f"{path}: not valid YAML: {' '.join(str(err).split())[:160]}") from None
            if not isinstance(doc, dict):
                raise ReviewError(f"{path}: not a data file (a mapping with records:)")
            self.files[path.name] = _File(path, header, doc)
        if not self.files:
            raise ReviewError(f"{folder}: no *.yaml files; write one with linzi-kg ingest TEXT --out {folder}")
        source_info = next(
            (f.doc["source"] for f in self.files.values() if isinstance(f.doc.get("source"), dict)), None
        )
        try:
            raw = source.read_bytes()
        except OSError as err:
            raise ReviewError(f"{source}: cannot read: {err.strerror or err}") from None
        if source_info and source_info.get("sha256") != hashlib.sha256(raw).hexdigest():
            raise ReviewError(f"{source}: not the text this draft was made from (SHA-256 differs from document.yaml)")
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ReviewError(f"{source}: not UTF-8 text") from None

    def records(self) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for name, f in self.files.items():
            for rec in f.doc.get("records") or []:
                if isinstance(rec, dict) and "id" in rec:
                    out.append((name, rec))
        return out

    def find(self, rid: str) -> tuple[_File, dict[str, Any]]:
        for f in self.files.values():
            for rec in f.doc.get("records") or []:
                if isinstance(rec, dict) and rec.get("id") == rid:
                    return f, rec
        raise KeyError(rid)

    def save(self, f: _File) -> None:
        body = yaml.safe_dump(f.doc, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
        write_atomic(f.path, (f.header + ("\n" if f.header else "") + body).encode("utf-8"))

    # -- actions -----------------------------------------------------------

    def accept(self, rid: str) -> dict[str, Any]:
        with self.lock:
            f, rec = self.find(rid)
            rec["draft"] = "accepted"
            self.save(f)
            return rec

    def reject(self, rid: str) -> None:
        with self.lock:
            f, rec = self.find(rid)
            users = [r["id"] for _n, r in self.records() if r.get("indicator") == rid]
            if users:
                raise UsageError(f"{rid} is the indicator of {', '.join(users[:5])}: reject or edit those first")
            f.doc["records"].remove(rec)
            touched = {f.path.name: f}
            for name, other in self.records():
                for key, value in list(other.items()):
                    if isinstance(value, list) and any(isinstance(v, dict) and v.get("to") == rid for v in value):
                        kept = [v for v in value if not (isinstance(v, dict) and v.get("to") == rid)]
                        if kept:
                            other[key] = kept
                        else:
                            del other[key]
                        touched[name] = self.files[name]
                    elif key == "about" and value == rid:
                        del other[key]
                        touched[name] = self.files[name]
            for changed in touched.values():
                self.save(changed)

    def edit(self, rid: str, fields: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            f, rec = self.find(rid)
            kind = "Observation" if rec.get("type") == "Observation" else "entity"
            updated = dict(rec)
            for key, value in fields.items():
                if key not in EDITABLE[kind]:
                    raise UsageError(f"field {key!r} cannot be edited here (editable: {', '.join(EDITABLE[kind])})")
                updated[key] = _checked(key, value)
            if updated.get("modality") is None:
                updated.pop("modality", None)
            if kind == "Observation" and updated.get("indicator") != rec.get("indicator"):
                try:
                    self.find(str(updated["indicator"]))
                except KeyError:
                    raise UsageError(f"indicator {updated['indicator']!r} is not a record of this draft") from None
            updated["draft"] = "accepted"
            rec.clear()
            rec.update(updated)
            self.save(f)
            return rec


def _checked(key: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if key == "year":
        if not text.isdigit() or not 1900 <= int(text) <= 2100:
            raise UsageError(f"year must be a year such as 2023, got {text!r}")
        return int(text)
    if key == "value":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise UsageError(f"value must be a number, got {text!r}") from None
        if not number.is_finite():
            raise UsageError(f"value must be a number, got {text!r}")
        return int(number) if number == number.to_integral_value() and "." not in text else float(text)
    choices = {"status": STATUSES, "comparator": COMPARATORS}
    if key in choices:
        if text not in choices[key]:
            raise UsageError(f"{key} must be one of {', '.join(choices[key])}, got {text!r}")
        return text
    if key == "modality":
        if text in ("", "none", "null"):
            return None
        if text not in MODALITIES:
            raise UsageError(f"modality must be one of {', '.join(MODALITIES)} or empty, got {text!r}")
        return text
    if key == "unit":
        from kg.core.model import UNITS

        if text not in UNITS:
            raise UsageError(f"unknown unit {text!r}")
        return text
    if not text:
        raise UsageError(f"{key} must not be empty")
    return text


# -- the page --------------------------------------------------------------------


def _summary(rec: dict[str, Any], labels: dict[str, str] | None = None) -> str:
    if rec.get("type") == "Observation":
        mod = f" · {rec['modality']}" if rec.get("modality") else ""
        ind = str(rec.get("indicator", ""))
        ind = f"{(labels or {}).get(ind, '')} ({ind})" if labels and ind in labels else ind
        return (
            f"{rec.get('wording', '')} · {ind} · {rec.get('year', '')} {rec.get('status', '')}"
            f" · {rec.get('comparator', '=')}{mod}"
        )
    return f"{rec.get('zh', '')} · {rec.get('type', '')}"


def _highlighted(text: str, records: list[tuple[str, dict[str, Any]]]) -> str:
    cover: dict[int, list[str]] = {}
    for _name, rec in records:
        for span in rec.get("spans") or []:
            if isinstance(span, list) and len(span) == 2:
                for i in range(max(0, span[0]), min(len(text), span[1])):
                    cover.setdefault(i, []).append(str(rec["id"]))
    out: list[str] = []
    i = 0
    while i < len(text):
        ids = cover.get(i)
        j = i + 1
        while j < len(text) and cover.get(j) == ids:
            j += 1
        chunk = html.escape(text[i:j])
        if ids:
            out.append(f'<mark data-recs="{html.escape(" ".join(ids))}">{chunk}</mark>')
        else:
            out.append(chunk)
        i = j
    return "".join(out)


def _first_start(rec: dict[str, Any]) -> int:
    starts = [s[0] for s in rec.get("spans") or [] if isinstance(s, list) and s]
    return min(starts) if starts else 0


def _page(folder: DraftFolder) -> str:
    # In text order, so the highlight moves down the page as the person works.
    records = sorted(folder.records(), key=lambda item: (_first_start(item[1]), str(item[1]["id"])))
    labels = {str(r["id"]): str(r.get("zh", "")) for _n, r in records}
    items = []
    for name, rec in records:
        state = rec.get("draft", "accepted")
        reasons = "; ".join(rec.get("review") or [])
        kind = "Observation" if rec.get("type") == "Observation" else "entity"
        data = {k: rec.get(k) for k in EDITABLE[kind] if k in rec or (k == "modality" and kind == "Observation")}
        items.append(
            f'<li class="rec {html.escape(str(state))}" tabindex="-1" data-id="{html.escape(str(rec["id"]))}" '
            f"data-fields='{html.escape(json.dumps(data, ensure_ascii=False))}'"
            f' data-kind="{kind}">'
            f'<span class="state">{html.escape(str(state))}</span> '
            f'<b>{html.escape(str(rec["id"]))}</b> <span class="sum">{html.escape(_summary(rec, labels))}</span>'
            f'<div class="why">{html.escape(str(rec.get("rule", "")))}'
            f"{' · ' + html.escape(reasons) if reasons else ''}"
            f" · {html.escape(name)}</div>"
            '<div class="buttons"><button data-act="accept">accept (a)</button> '
            '<button data-act="edit">edit (e)</button> <button data-act="reject">reject (x)</button></div></li>'
        )
    pending = sum(1 for _n, r in records if r.get("draft") == "draft")
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>review {html.escape(folder.folder.name)}</title>
<link rel="stylesheet" href="/review.css"></head>
<body>
<header><h1>review <code>{html.escape(str(folder.folder))}</code></h1>
<p id="status"><span id="pending">{pending}</span> drafts to review ·
j/k or ↓/↑ move · a accept · x reject · e edit (Enter saves, Esc cancels)</p></header>
<main><pre id="text">{_highlighted(folder.text, records)}</pre>
<ol id="records">{"".join(items)}</ol></main>
<script src="/review.js"></script>
</body></html>"""


_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'"


def review_app(folder: DraftFolder) -> Starlette:
    """The review app for one draft folder."""

    def headers(kind: str) -> dict[str, str]:
        return {"Content-Type": kind, "Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff"}

    async def page(_request: Request) -> Response:
        return HTMLResponse(_page(folder), headers={"Content-Security-Policy": _CSP})

    async def script(_request: Request) -> Response:
        return Response((_STATIC / "review.js").read_bytes(), headers=headers("text/javascript; charset=utf-8"))

    async def style(_request: Request) -> Response:
        return Response((_STATIC / "review.css").read_bytes(), headers=headers("text/css; charset=utf-8"))

    async def act(request: Request) -> Response:
        if request.headers.get(_HEADER) != "1":
            return JSONResponse({"error": f"missing {_HEADER} header"}, status_code=403)
        rid = request.path_params["rid"]
        try:
            body = json.loads(await request.body() or b"{}")
        except json.JSONDecodeError:
            return JSONResponse({"error": "the body must be JSON"}, status_code=400)
        action = body.get("action") if isinstance(body, dict) else None
        try:
            if action == "accept":
                rec = folder.accept(rid)
            elif action == "reject":
                folder.reject(rid)
                return JSONResponse({"ok": True, "rejected": rid})
            elif action == "edit" and isinstance(body.get("fields"), dict):
                rec = folder.edit(rid, body["fields"])
            else:
                return JSONResponse({"error": "action must be accept, reject or edit (with fields)"}, status_code=400)
        except KeyError:
            return JSONResponse({"error": f"no record {rid!r}"}, status_code=404)
        except KGError as err:
            return JSONResponse({"error": str(err)}, status_code=err.http_status if err.http_status < 500 else 500)
        labels = {str(r["id"]): str(r.get("zh", "")) for _n, r in folder.records()}
        return JSONResponse({"ok": True, "record": rec, "summary": _summary(rec, labels)})

    return Starlette(
        routes=[
            Route("/", page),
            Route("/review.js", script),
            Route("/review.css", style),
            Route("/favicon.ico", lambda _request: Response(status_code=204)),
            Route("/records/{rid}", act, methods=["POST"]),
        ]
    )
