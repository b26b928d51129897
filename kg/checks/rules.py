"""Rules as data: the file of rules the checks run, read and checked with line numbers.

The packaged file is ``kg/checks/rules.yaml``; ``--rules FILE`` replaces it.
Each rule has an ``id``, a ``kind`` (:class:`Kind`), the indicators it
``relates`` (by id, matched as the last part of an indicator IRI, or by full
IRI), a ``formula`` over the kind's roles, where its tolerance comes from,
and a ``severity``. The kinds say how figures are matched to roles (which
year, which status); the arithmetic is in the formula, not in code per rule.

>>> rules = load_rules()
>>> rules.get("industrial-output-growth").formula.text
'rate = (level / level_prev - 1) * 100'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from kg.checks.formula import Formula
from kg.documents.records import _DuplicateKey, _Loader, _Map
from kg.errors import CheckFileError, Problem, UsageError

RULES_FILE = Path(__file__).with_name("rules.yaml")


class Kind(StrEnum):
    """The closed set of rule kinds."""

    GROWTH = "growth"  # a growth rate against the two levels it relates
    SHARE = "share"  # share = part / total
    COMPLETION = "completion"  # completion rate = actual / plan
    COMPONENTS = "components"  # parts against their total
    RESPECTIVELY = "respectively"  # a 分别 list: one value per item, parts within the total
    POINTS = "points"  # a change in percentage points against two percentages
    AVERAGE = "average"  # a total over a count (the total investment of N projects)
    DUPLICATE = "duplicate"  # one indicator, year, area, status stated twice with different values
    ACTUAL_MARKER = "actual-marker"  # an actual worded like a target (计划, 力争, 确保)
    UNIT_MISMATCH = "unit-mismatch"  # one indicator in units of different dimensions
    TARGET_BELOW_ACTUAL = "target-below-actual"  # a 增长 target below the previous actual


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Tolerance(StrEnum):
    """Where a rule's tolerance comes from."""

    PRINTED = "printed"  # the printed precision only (94.3 → [94.25, 94.35))
    STATED = "stated"  # printed precision, and 左右 within settings.about
    RULE = "rule"  # printed precision plus the rule's own `slack`


#: Roles each kind matches: role -> (key in `relates`, year offset, status).
#: Status "same" is the anchor's status (the first role); "any" accepts any.
KIND_ROLES: dict[Kind, dict[str, tuple[str, int, str]]] = {
    Kind.GROWTH: {"rate": ("rate", 0, "same"), "level": ("level", 0, "same"), "level_prev": ("level", -1, "actual")},
    Kind.SHARE: {"share": ("share", 0, "same"), "part": ("part", 0, "same"), "total": ("total", 0, "same")},
    Kind.COMPLETION: {"rate": ("rate", 0, "actual"), "actual": ("actual", 0, "actual"), "plan": ("plan", 0, "target")},
    Kind.COMPONENTS: {"total": ("total", 0, "same"), "parts": ("parts", 0, "same")},
    Kind.RESPECTIVELY: {"parts": ("parts", 0, "same"), "total": ("total", 0, "same")},
    Kind.POINTS: {
        "change": ("change", 0, "same"),
        "level": ("level", 0, "same"),
        "level_prev": ("level", -1, "actual"),
    },
    Kind.AVERAGE: {"total": ("total", 0, "any"), "count": ("count", 0, "any")},
}
LIST_ROLES = {"parts"}
#: Kinds that look at every indicator unless `relates` names some.
GENERIC = {Kind.DUPLICATE, Kind.ACTUAL_MARKER, Kind.UNIT_MISMATCH, Kind.TARGET_BELOW_ACTUAL}


@dataclass(frozen=True)
class Rule:
    """One rule of the rules file."""

    id: str
    kind: Kind
    severity: Severity
    relates: dict[str, tuple[str, ...]]
    formula: Formula | None
    tolerance: Tolerance = Tolerance.PRINTED
    slack: float = 0.0
    loose: float | None = None
    loose_cause: str = ""
    inverse: Formula | None = None
    alternative: Formula | None = None
    alternative_note: str = ""
    solve: dict[str, Formula] = field(default_factory=dict)
    bounds: tuple[Formula, ...] = ()
    markers: tuple[str, ...] = ()
    wordings: tuple[str, ...] = ()
    description: str = ""
    line: int = 0

    def indicators(self, key: str) -> tuple[str, ...]:
        return self.relates.get(key, ())


@dataclass(frozen=True)
class RuleSet:
    """The rules and the settings they share."""

    rules: tuple[Rule, ...]
    about: float = 0.05
    loose: float = 1.0
    path: Path = RULES_FILE

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def indicator_matches(ref: str, iri: str) -> bool:
    """Whether a rule's indicator reference names ``iri``: the full IRI, or
    its last path segments (``industrial-output`` matches
    ``…/id/indicator/industrial-output`` in any document).

    >>> indicator_matches("gdp-growth", "https://w3id.org/linzi-kg/id/synth/d0002/indicator/gdp-growth")
    True
    >>> indicator_matches("growth", "https://w3id.org/linzi-kg/id/indicator/gdp-growth")
    False
    """
    return iri == ref or (":" not in ref and iri.endswith("/" + ref))


def load_rules(path: str | os.PathLike[str] | None = None) -> RuleSet:
    """Read a rules file (the packaged one by default); every problem at once
    in one :class:`~kg.errors.DataError` naming file and line."""
    source = Path(path) if path is not None else RULES_FILE
    doc = read_yaml(source, what="rules file", option="--rules")
    label = str(source)
    reader = _RuleReader(label)
    return reader.read(doc, source)


def read_yaml(source: Path, *, what: str, option: str) -> Any:
    """A checks file parsed with line numbers (mappings remember their keys'
    lines); a missing file is a UsageError naming ``option``, anything else
    unreadable a :class:`~kg.errors.CheckFileError`."""
    label = str(source)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{option} {source}: no such file") from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as exc:
        raise CheckFileError([Problem(label, None, None, None, f"cannot read it: {exc}")], what) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        raise CheckFileError([Problem(label, exc.line, None, str(exc.key), "duplicate key")], what) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = Problem(label, line, None, None, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        raise CheckFileError([problem], what) from None


_RULE_KEYS = {
    "id",
    "kind",
    "severity",
    "relates",
    "formula",
    "tolerance",
    "slack",
    "loose",
    "loose_cause",
    "inverse",
    "alternative",
    "alternative_note",
    "solve",
    "bounds",
    "markers",
    "wordings",
    "description",
}


class _RuleReader:
    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []

    def problem(self, line: int | None, record: str | None, fld: str | None, message: str) -> None:
        self.problems.append(Problem(self.label, line, record, fld, message))

    def read(self, doc: Any, source: Path) -> RuleSet:
        if not isinstance(doc, _Map) or not isinstance(doc.get("rules"), list):
            self.problem(1, None, None, "the file must be a mapping with 'rules:' (a list) and optional 'settings:'")
            raise CheckFileError(self.problems, "rules file")
        settings = doc.get("settings")
        about, loose = 0.05, 1.0
        if settings is not None and not isinstance(settings, _Map):
            self.problem(doc.key_lines.get("settings"), None, "settings", "must be a mapping")
        elif settings is not None:
            for key in settings:
                if key not in ("about", "loose"):
                    self.problem(settings.key_lines.get(key), None, f"settings.{key}", "unknown setting (about, loose)")
            about = self._number(settings, "about", 0.05, None, "settings")
            loose = self._number(settings, "loose", 1.0, None, "settings")
        rules: list[Rule] = []
        seen: set[str] = set()
        for item in doc["rules"]:
            rule = self._rule(item)
            if rule is None:
                continue
            if rule.id in seen:
                self.problem(rule.line, rule.id, "id", "duplicate rule id")
            seen.add(rule.id)
            rules.append(rule)
        if self.problems:
            raise CheckFileError(self.problems, "rules file")
        return RuleSet(tuple(rules), about=about, loose=loose, path=source)

    def _number(self, item: Any, key: str, default: float, rid: str | None, where: str) -> float:
        if key not in item:
            return default
        value = item[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.problem(item.key_lines.get(key), rid, key, f"{where}: must be a number >= 0")
            return default
        return float(value)

    def _formula(self, text: Any, line: int | None, rid: str, fld: str) -> Formula | None:
        if not isinstance(text, str):
            self.problem(line, rid, fld, "must be a formula text such as 'share = part / total * 100'")
            return None
        try:
            return Formula.parse(text)
        except UsageError as exc:
            self.problem(line, rid, fld, str(exc))
            return None

    def _rule(self, item: Any) -> Rule | None:
        if not isinstance(item, _Map):
            self.problem(getattr(item, "line", None), None, None, "a rule must be a mapping")
            return None
        line = item.line
        rid = item.get("id")
        if not isinstance(rid, str) or not rid:
            self.problem(line, None, "id", "every rule needs an id")
            return None
        for key in item:
            if key not in _RULE_KEYS:
                self.problem(
                    item.key_lines[key], rid, str(key), f"unknown field (fields: {', '.join(sorted(_RULE_KEYS))})"
                )

        def line_of(key: str) -> int:
            return int(item.key_lines.get(key, line))

        try:
            kind = Kind(str(item.get("kind")))
        except ValueError:
            self.problem(line_of("kind"), rid, "kind", f"must be one of {', '.join(k.value for k in Kind)}")
            return None
        try:
            severity = Severity(item.get("severity", "warning"))
        except ValueError:
            self.problem(line_of("severity"), rid, "severity", "must be error, warning or info")
            severity = Severity.WARNING
        try:
            tolerance = Tolerance(item.get("tolerance", "stated"))
        except ValueError:
            self.problem(line_of("tolerance"), rid, "tolerance", "must be printed, stated or rule")
            tolerance = Tolerance.STATED
        relates = self._relates(item.get("relates"), line_of("relates"), rid, kind)
        formula = None
        if "formula" in item:
            formula = self._formula(item["formula"], line_of("formula"), rid, "formula")
        elif kind not in GENERIC:
            self.problem(line, rid, "formula", f"a {kind} rule needs a formula")
        if formula is not None and kind in KIND_ROLES:
            known = set(KIND_ROLES[kind])
            unknown = sorted(
                (formula.roles | {formula.target}) - known - ({formula.target} if kind is Kind.AVERAGE else set())
            )
            if unknown:
                self.problem(
                    line_of("formula"),
                    rid,
                    "formula",
                    f"unknown role {', '.join(unknown)} (roles: {', '.join(sorted(known))})",
                )
        solve = {}
        raw_solve = item.get("solve") or {}
        if not isinstance(raw_solve, dict):
            self.problem(line_of("solve"), rid, "solve", "must map a role to a formula for it")
        else:
            for role, text in raw_solve.items():
                parsed = self._formula(text, line_of("solve"), rid, f"solve.{role}")
                if parsed is not None:
                    solve[str(role)] = parsed
        bounds = []
        for text in item.get("bounds") or []:
            parsed = self._formula(text, line_of("bounds"), rid, "bounds")
            if parsed is not None:
                bounds.append(parsed)
        return Rule(
            id=rid,
            kind=kind,
            severity=severity,
            relates=relates,
            formula=formula,
            tolerance=tolerance,
            slack=self._number(item, "slack", 0.0, rid, "slack"),
            loose=self._number(item, "loose", -1.0, rid, "loose") if "loose" in item else None,
            loose_cause=str(item.get("loose_cause", "")),
            inverse=self._formula(item["inverse"], line_of("inverse"), rid, "inverse") if "inverse" in item else None,
            alternative=self._formula(item["alternative"], line_of("alternative"), rid, "alternative")
            if "alternative" in item
            else None,
            alternative_note=str(item.get("alternative_note", "")),
            solve=solve,
            bounds=tuple(bounds),
            markers=tuple(str(m) for m in item.get("markers") or ()),
            wordings=tuple(str(m) for m in item.get("wordings") or ()),
            description=str(item.get("description", "")),
            line=line,
        )

    def _relates(self, raw: Any, line: int, rid: str, kind: Kind) -> dict[str, tuple[str, ...]]:
        if raw is None:
            if kind not in GENERIC:
                self.problem(line, rid, "relates", f"a {kind} rule must name its indicators")
            return {}
        if not isinstance(raw, dict):
            self.problem(line, rid, "relates", "must map each role to an indicator id (or a list of ids)")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for key, value in raw.items():
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str) and v for v in values):
                self.problem(line, rid, f"relates.{key}", "must be an indicator id or IRI, or a list of them")
                continue
            out[str(key)] = tuple(values)
        if kind in KIND_ROLES:
            needed = {spec[0] for spec in KIND_ROLES[kind].values()}
            missing = sorted(needed - set(out) - ({"total"} if kind is Kind.RESPECTIVELY else set()))
            if missing:
                self.problem(line, rid, "relates", f"a {kind} rule needs {', '.join(missing)}")
        return out
