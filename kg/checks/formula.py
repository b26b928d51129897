"""Rule formulas: ``share = part / total * 100`` as data, evaluated safely.

A formula is ``ROLE OP EXPRESSION`` with OP one of ``=``, ``>=``, ``<=``;
the expression uses role names, numbers, ``+ - * /``, parentheses and
``sum(ROLE)`` for a list role. It is parsed with :mod:`ast` and only those
nodes are allowed, so a rules file cannot run code. The same expression is
evaluated on intervals (every value the printed figures allow) and on the
printed values themselves.

>>> f = Formula.parse("share = part / total * 100")
>>> f.target, f.relation, sorted(f.roles)
('share', '=', ['part', 'total'])
>>> f.evaluate({"part": 528.0, "total": 560.0})
94.28571428571428
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import Any

from kg.errors import UsageError

_RELATION = re.compile(r"^\s*([A-Za-z_]\w*)\s*(>=|<=|=)\s*(.+)$")
_ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Call,
)


@dataclass(frozen=True)
class Formula:
    """A parsed rule formula: ``target relation expression``."""

    text: str
    target: str
    relation: str
    tree: ast.Expression
    roles: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> Formula:
        match = _RELATION.match(text)
        if not match:
            raise UsageError(f"formula {text!r}: expected 'ROLE = EXPRESSION' (or >=, <=)")
        target, relation, expression = match.groups()
        try:
            tree = ast.parse(expression, mode="eval")
        except SyntaxError:
            raise UsageError(f"formula {text!r}: the expression does not parse") from None
        roles: set[str] = set()
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED):
                raise UsageError(f"formula {text!r}: {type(node).__name__} is not allowed (use + - * / sum())")
            if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
                raise UsageError(f"formula {text!r}: only numbers may be constants")
            if isinstance(node, ast.Call):
                if not (isinstance(node.func, ast.Name) and node.func.id == "sum" and len(node.args) == 1):
                    raise UsageError(f"formula {text!r}: the only function is sum(ROLE)")
                if not isinstance(node.args[0], ast.Name):
                    raise UsageError(f"formula {text!r}: sum() takes a role name")
            if isinstance(node, ast.Name) and node.id != "sum":
                roles.add(node.id)
        if target in roles:
            raise UsageError(f"formula {text!r}: {target} is on both sides")
        return cls(text.strip(), target, relation, tree, frozenset(roles))

    def evaluate(self, env: dict[str, Any]) -> Any:
        """The expression's value with roles from ``env`` (intervals or numbers;
        a list for a ``sum()`` role). A division by zero on numbers gives NaN."""
        return _eval(self.tree.body, env)


def _eval(node: ast.expr, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call):
        items = env[node.args[0].id]  # type: ignore[attr-defined]
        total: Any = 0.0
        for item in items:
            total = total + item
        return total
    assert isinstance(node, ast.BinOp)
    left, right = _eval(node.left, env), _eval(node.right, env)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if isinstance(right, float) and right == 0:
        return math.nan
    return left / right
