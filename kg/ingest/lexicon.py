"""What the corpus already holds: names, indicators, and pairs that must never merge.

Names and indicators come from authored data folders (the packaged
``kg/data`` by default, plus any ``--known DIR``, e.g. a reviewed draft), so
accepted names feed the next ingest. An indicator drafted from a report is
linked to a known one when their normalized labels are equal (规模以上 = 规上);
a close but different label is only *proposed* for review, never merged, and
never at all across a pair of ``NEVER_MERGE`` (总产值 ≠ 增加值, 城镇 ≠ 农村).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KGError

#: Record types of the authoring format, as entity types of the corpus gold.
GOLD_TYPES: dict[str, str] = {
    "Province": "place",
    "City": "place",
    "District": "place",
    "GovernmentOrganization": "government",
    "PartyCommittee": "government",
    "PeoplesCongress": "government",
    "MediaOrganization": "media",
    "School": "school",
    "Hospital": "hospital",
    "Road": "road",
    "Facility": "facility",
    "Enterprise": "enterprise",
    "EnterpriseUnit": "facility",
    "Person": "person",
    "IndustrialPark": "park",
}

#: Words that make two indicators different however alike the rest is.
NEVER_MERGE: tuple[tuple[str, str], ...] = (
    ("总产值", "增加值"),
    ("城镇", "农村"),
    ("城镇", "城乡"),
    ("农村", "城乡"),
    ("一般公共预算收入", "财政总收入"),
    ("收入", "支出"),
    ("增长", "总额"),
    ("进口", "出口"),
    ("内资", "外资"),
    ("一般债券", "专项债券"),
    ("新增", "累计"),
    ("实际使用", "合同"),
)


@dataclass
class Lexicon:
    """Known names (name → gold type) and known indicators (normalized label → label)."""

    names: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)

    def link_indicator(self, label: str) -> tuple[str | None, str | None]:
        """(known label it is, known label it resembles) for a drafted label.

        >>> lex = Lexicon(indicators={normalize_indicator("规上工业总产值"): "规上工业总产值"})
        >>> lex.link_indicator("规模以上工业总产值"), lex.link_indicator("规上工业增加值")
        (('规上工业总产值', None), (None, None))
        """
        key = normalize_indicator(label)
        if key in self.indicators:
            return self.indicators[key], None
        best, best_score = None, 0.0
        for other_key, other in self.indicators.items():
            if never_merge(key, other_key):
                continue
            score = _dice(key, other_key)
            if score > best_score:
                best, best_score = other, score
        return None, best if best_score >= 0.75 else None


def normalize_indicator(label: str) -> str:
    text = re.sub(r"[“”\"'《》()（）\s]", "", label)
    text = text.replace("规模以上", "规上")
    text = re.sub(r"^(全市|全区|全县|全省|全年)", "", text)
    return re.sub(r"(率|数)$", "", text)


def never_merge(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` sit on two sides of a never-merge pair."""
    return any((x in a and y in b and y not in a) or (y in a and x in b and x not in a) for x, y in NEVER_MERGE)


def _dice(a: str, b: str) -> float:
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


_GENERIC_NAMES = {"人民代表大会", "人民政府", "政府", "省委", "市委", "区委", "县委", "省政府", "市政府", "区政府"}


def load_lexicon(directories: Iterable[Path]) -> Lexicon:
    """Names and indicators of the authored data folders (records of known types only).

    Reads the records' ``type``, ``zh``, ``term`` and ``aliases`` only (with
    libyaml when present): a lexicon needs no spans checked, and the full
    loader would cost more than the drafting itself.
    """
    lex = Lexicon()
    for directory in directories:
        if not directory.is_dir():
            raise KGError(f"--known {directory}: data folder not found")
        # A corpus directory holds shared/ and one folder per document; a
        # document names a shared entity with `mention:` and its own wordings.
        records: dict[str, dict[str, Any]] = {}
        mentions: list[dict[str, Any]] = []
        for path in sorted(directory.rglob("*.yaml")):
            for n, rec in enumerate(_records(path)):
                if isinstance(rec.get("mention"), str):
                    mentions.append(rec)
                else:
                    records[str(rec.get("id", f"{path}:{n}"))] = dict(rec)
        for rec in mentions:
            shared = records.get(rec["mention"])
            if shared is not None:
                words = [w for w in [rec.get("term"), *(rec.get("aliases") or [])] if isinstance(w, str)]
                shared["aliases"] = [*(shared.get("aliases") or []), *words]
        for rec in records.values():
            _add(lex, rec)
    return lex


def _records(path: Path) -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise KGError(f"{path}: cannot read it as a data file: {' '.join(str(err).split())[:200]}") from None
    records = doc.get("records") if isinstance(doc, dict) else None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _add(lex: Lexicon, rec: dict[str, Any]) -> None:
    if rec.get("draft") == "draft":  # only reviewed records of a draft folder feed the next ingest
        return
    kind = rec.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    zh = rec.get("zh")
    if not isinstance(kind, str) or not isinstance(zh, str):
        return
    aliases = [a for a in rec.get("aliases") or [] if isinstance(a, str)]
    words = {zh, *aliases}
    if kind in ("Indicator", "Ranking"):
        # Not the record's term: it is the article's wording near the figure
        # (增长, 总投资) and would link any growth figure to that indicator.
        for word in words:
            lex.indicators.setdefault(normalize_indicator(word), zh)
    elif kind in GOLD_TYPES:
        # Projects are left out: a report's projects are its own, and their
        # names in the data (新增城镇就业) read as phrases in another report.
        gold = GOLD_TYPES[kind]
        for word in words:
            # 全省, 本市: a name only in its own article; 人民政府: any body's.
            if len(word) >= 2 and word[0] not in "全本我该" and word not in _GENERIC_NAMES:
                lex.names.setdefault(word, gold)
