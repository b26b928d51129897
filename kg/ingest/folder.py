"""Write a draft as an authoring data folder that ``linzi-kg build`` accepts as it is.

``linzi-kg ingest TEXT --out DIR`` writes ``document.yaml`` (the source text
and its digest), ``context.yaml`` (the report, places, bodies, people, posts),
``projects.yaml`` (enterprises, parks, projects, works, groups) and
``figures.yaml`` (indicators and figures) in the format of ``kg/data``. Every
record carries its spans and ``draft: draft``, ``rule``, ``confidence`` and
``review`` (the reasons to look at it). The folder is written to a temporary
folder beside DIR and renamed into place, so a failure never leaves half a
draft; a DIR that already holds a document is refused unless ``force``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kg.core.namespaces import LZ, SCHEMA, SKOS
from kg.errors import OutputError
from kg.ingest.draft import Draft, DraftEntity, DraftFigure, DraftIndicator, Span
from kg.ingest.rdf import entity_class
from kg.ingest.text import TextMap, read_report

_TYPE_NAMES = {
    LZ.Province: "Province",
    LZ.City: "City",
    LZ.District: "District",
    LZ.AdministrativeDivision: "AdministrativeDivision",
    LZ.GovernmentOrganization: "GovernmentOrganization",
    LZ.PartyCommittee: "PartyCommittee",
    LZ.PeoplesCongress: "PeoplesCongress",
    LZ.MediaOrganization: "MediaOrganization",
    LZ.School: "School",
    LZ.Hospital: "Hospital",
    LZ.Enterprise: "Enterprise",
    LZ.IndustrialPark: "IndustrialPark",
    LZ.Project: "Project",
    LZ.Road: "Road",
    LZ.Facility: "Facility",
    SCHEMA.Person: "Person",
    SKOS.Concept: "Concept",
}
_CONTEXT_TYPES = {"place", "government", "person", "media"}
_HEADER = """# {title}
# Drafted by linzi-kg ingest from {source} ({what}). Every record is a draft
# (draft: draft) until a person reviews it: check the spans, fix what is wrong,
# set draft: accepted (or delete the record). rule says how it was found,
# confidence how sure the draft is (0 to 1), review why to look at it.
# English labels (en) are copies of the Chinese until someone translates them.
# Build it with: linzi-kg build --data-dir {folder} --source {source}
"""


def _marks(rule: str, confidence: float, reasons: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"draft": "draft", "rule": rule, "confidence": confidence}
    if reasons:
        out["review"] = list(reasons)
    return out


def _number(value: str) -> int | float:
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() and "." not in value else float(value)


def _lcs_span(text: TextMap, label: str, around: int) -> tuple[str, Span] | None:
    """The longest part of ``label`` written in the sentence around ``around`` (normalized offsets)."""
    norm = text.text
    start = max(norm.rfind(c, 0, around) for c in "。!?\n") + 1
    ends = [i for i in (norm.find(c, around) for c in "。!?\n") if i != -1]
    sentence = norm[start : min(ends) if ends else len(norm)]
    best = ""
    for i in range(len(label)):
        for j in range(len(label), i + len(best), -1):
            if label[i:j] in sentence:
                best = label[i:j]
                break
    if len(best) < 2:
        return None
    # The occurrence nearest to the figure.
    positions = [m.start() + start for m in re.finditer(re.escape(best), sentence)]
    pos = min(positions, key=lambda p: abs(p - around))
    return best, (pos, pos + len(best))


class _Folder:
    def __init__(self, draft: Draft, text: TextMap) -> None:
        self.d = draft
        self.text = text
        self.context: list[dict[str, Any]] = []
        self.projects: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []
        self.records: dict[str, dict[str, Any]] = {}
        self._norm_of: dict[int, int] = {}

    def normalized(self, original: int) -> int:
        """The normalized offset of an original offset (the first char at or after it)."""
        if not self._norm_of:
            for i, o in enumerate(self.text.origin):
                self._norm_of.setdefault(o, i)
        while original not in self._norm_of and original < len(self.text.original):
            original += 1
        return self._norm_of.get(original, len(self.text.text) - 1)

    def entity(self, ent: DraftEntity) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "id": ent.id,
            "type": _TYPE_NAMES.get(entity_class(ent), "Concept"),
            "zh": ent.label,
            "en": ent.label,
            "spans": [list(s) for s in ent.spans],
        }
        aliases = [a for a in ent.aliases if a != ent.label]
        if aliases:
            rec["aliases"] = aliases
        rec.update(_marks(ent.rule, ent.confidence, ent.reasons))
        (self.context if ent.type in _CONTEXT_TYPES else self.projects).append(rec)
        self.records[ent.id] = rec
        return rec

    def report(self) -> str:
        norm = self.text.text
        first = next((m for m in re.finditer(r"[^\n]+", norm) if m.group(0).strip()), None)
        assert first is not None  # a draft always has text
        s, e = self.text.original_span(first.start(), first.end())
        zh = self.text.original_wording(first.start(), first.end())
        rec = {"id": "report", "type": "WorkReport", "zh": zh, "en": zh, "spans": [[s, e]]}
        rec.update(_marks("first line of the text", 0.5, ["the report's title is its first line"]))
        self.context.append(rec)
        return "report"

    def link(self, subject_id: str, field: str, target: str, span: Span) -> None:
        rec = self.records[subject_id]
        links = rec.setdefault(field, [])
        entry = {"to": target, "spans": [list(span)]}
        if entry not in links:
            links.append(entry)

    def relations(self) -> None:
        for rel in self.d.relations:
            if isinstance(rel.object, DraftEntity):
                if rel.object.id in self.records and rel.subject.id in self.records:
                    self.link(rel.subject.id, rel.predicate, rel.object.id, rel.span)
                continue
            if rel.object_span is None or rel.subject.id not in self.records:
                continue
            kind = "Post" if rel.predicate == "holds" else "ProjectGroup"
            oid = f"{'post' if kind == 'Post' else 'group'}-{rel.object_span[0]}"
            if oid not in self.records:
                zh = self.text.original.__getitem__(slice(*rel.object_span))
                zh = re.sub(r"\*\*|\s+", "", zh)
                rec: dict[str, Any] = {"id": oid, "type": kind, "zh": zh, "en": zh, "spans": [list(rel.object_span)]}
                count = re.match(r"\d+", zh)
                if kind == "ProjectGroup" and count:
                    rec["count"] = int(count.group(0))
                rec.update(_marks(rel.rule, 0.6, []))
                (self.context if kind == "Post" else self.projects).append(rec)
                self.records[oid] = rec
            self.link(rel.subject.id, rel.predicate, oid, rel.span)

    def indicator(self, ind: DraftIndicator, first: DraftFigure) -> None:
        rec: dict[str, Any] = {"id": ind.id, "type": "Ranking" if ind.ranking else "Indicator", "zh": ind.label}
        rec["en"] = ind.label
        found = _lcs_span(self.text, ind.label, self.normalized(first.span[0]))
        if found is None:
            term, span = first.wording, first.wording_span
        else:
            term, nspan = found
            span = self.text.original_span(*nspan)
            term = self.text.original_wording(*nspan)
        if term != ind.label:
            rec["term"] = term
        rec["spans"] = [list(span)]
        reasons = [] if ind.known else ["indicator not seen before"]
        if ind.similar_to:
            reasons.append(f"similar to known indicator {ind.similar_to}: the same?")
        rec.update(_marks("known indicator" if ind.known else "label from the clause", 0.8, reasons))
        self.figures.append(rec)

    def figure(self, fig: DraftFigure, area: str) -> None:
        rec: dict[str, Any] = {
            "id": fig.id,
            "type": "Observation",
            "indicator": fig.indicator.id,
            "year": fig.year,
            "status": fig.status,
            "value": _number(fig.value),
            "unit": fig.unit.printed,
            "comparator": fig.comparator,
            "wording": fig.wording,
            "spans": [list(fig.wording_span)],
            # Each figure of a report is of the report's area; the figure's own
            # span seldom names it, so the link is the draft's reading, marked.
            "area": {"to": area, "editorial": "the area of the report the figure is stated in"},
        }
        if fig.modality:
            rec["modality"] = fig.modality
        if fig.about and fig.about in self.records:
            # The link's span must name both ends: from the nearest mention of
            # the work to the figure, when they are close.
            start, end = fig.wording_span
            mentions: list[list[int]] = self.records[fig.about]["spans"]
            hulls: list[tuple[int, int]] = [(min(s, start), max(e, end)) for s, e in mentions]
            near = sorted((e - s, s, e) for s, e in hulls if e - s <= _ABOUT_REACH)
            if near:
                rec["about"] = {"to": fig.about, "spans": [[near[0][1], near[0][2]]]}
        rec.update(_marks(fig.rule, fig.confidence, fig.reasons))
        self.figures.append(rec)


#: How far apart (code points) a work and its figure may be for the draft to link them.
_ABOUT_REACH = 80


def draft_files(draft: Draft, text: TextMap, *, source: Path, folder: Path) -> dict[str, str]:
    """The YAML files of a draft folder, by file name."""
    f = _Folder(draft, text)
    report_id = f.report()
    for ent in draft.entities:
        f.entity(ent)
    f.relations()
    places = [e for e in draft.entities if e.type == "place"]
    if draft.figures and not places:
        raise OutputError(
            f"{source}: no place found for the figures' area (refArea); the draft folder needs one: "
            "add the district, city or province name to a --known data folder"
        )
    if any(fig.year <= 0 for fig in draft.figures):
        raise OutputError(f"{source}: the text names no year, so the figures have none; pass --year")
    area = places[0].id if places else ""
    seen: set[str] = set()
    for fig in draft.figures:
        if fig.indicator.id not in seen:
            seen.add(fig.indicator.id)
            f.indicator(fig.indicator, fig)
    for fig in draft.figures:
        f.figure(fig, area)
    raw = source.read_bytes()
    area_type = _TYPE_NAMES.get(entity_class(places[0])) if places else None
    meta = {
        "document": {
            "id": _document_id(folder),
            "title": {"zh": f"{source.name} 草稿", "en": f"Draft of {source.name}"},
            "kind": "work-report",
            "area": area or report_id,
            "level": _LEVELS.get(area_type or "", "other"),
            "reportYear": draft.report_year,
        },
        "dataset": {
            "title": {"zh": f"{source.name} 草稿", "en": f"Draft of {source.name}"},
            "description": {"en": "Drafted by linzi-kg ingest; every record is a draft until reviewed."},
            "version": "0.0.0-draft",
        },
        "source": {
            "id": "source-text",
            "file": source.name,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "characters": len(text.original),
            "textOf": report_id,
        },
    }
    head = {"source": source, "folder": folder}
    return {
        "document.yaml": _dump(meta, "文档与源文本 / the draft's document and source text", "its digest", head),
        "context.yaml": _dump({"records": f.context}, "背景 / report, places, bodies, people", "context", head),
        "projects.yaml": _dump({"records": f.projects}, "项目 / enterprises, parks, projects", "works", head),
        "figures.yaml": _dump({"records": f.figures}, "指标与数据 / indicators and figures", "figures", head),
    }


#: A draft's level from its area's type; "other" where the type does not say.
_LEVELS = {"Province": "province", "City": "city", "District": "district"}


def _document_id(folder: Path) -> str:
    """The draft's document id: its folder's name as a slug (``drafts/Zibo 2023`` -> ``zibo-2023``)."""
    from kg.core import model

    slug = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")
    return slug if slug and slug not in model.RESERVED_DOCUMENT_IDS else "draft"


def _dump(doc: dict[str, Any], title: str, what: str, head: dict[str, Path]) -> str:
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    return _HEADER.format(title=title, what=what, source=head["source"], folder=head["folder"]) + "\n" + body


def holds_document(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.yaml"))


def write_folder(draft: Draft, folder: Path, *, source: Path, force: bool = False) -> None:
    """Write the draft folder atomically (see the module docstring)."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--out {folder}: exists and is not a folder")
    if holds_document(folder) and not force:
        raise OutputError(f"--out {folder}: already holds a document (*.yaml); pass --force to replace it")
    text = read_report(source)
    files = draft_files(draft, text, source=source, folder=folder)
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"--out {folder}: folder {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as err:
        raise OutputError(f"--out {folder}: cannot write: {err.strerror}") from None
    try:
        for name, content in files.items():
            (tmp / name).write_text(content, encoding="utf-8")
        # mkdtemp makes the folder private; a draft folder gets the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=parent))
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"--out {folder}: cannot write: {err.strerror}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
