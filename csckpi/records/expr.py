"""The small language a definition uses to say which rows count. Parsed here, never evaluated
by Python: an expression becomes a polars expression over the list's columns, or an error that
says where it went wrong.

    working_days(assessment_start, assessment_authorised) <= 45
    previous(referral_date) >= referral_date - 12 months
    plan_end >= plan_start + 2 years
    code(activity) in ('F1', 'P1', 'F2') and age >= 19

Grammar (lowest precedence first)::

    expr       := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum [("=" | "!=" | "<" | "<=" | ">" | ">=") sum]
                | sum "is" ["not"] "blank"
                | sum ["not"] "in" "(" literal ("," literal)* ")"
    sum        := atom (("+" | "-") atom)*
    atom       := NUMBER [UNIT] | STRING | "true" | "false" | NAME
                | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

Names are the list's fields (docs/records.md lists them), ``extract_date`` and ``month_end``
(the date a month is counted at: its last day, or the extract date in the extract's month).
UNIT is day(s), week(s), month(s) or year(s): ``referral_date - 12 months``. Functions:
``working_days(a, b)``, ``days(a, b)``, ``previous(f)`` / ``next(f)`` (the same child's
previous or next row of the list, ordered by ``f``), ``code(t)`` (a coded answer's code in
capitals: ``a) Yes`` -> ``YES``, ``F1: Full time in higher education`` -> ``F1``) and
``yes(t)``. A comparison with a blank is neither true nor false, so a row with a blank the
expression needs does not count.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

import polars as pl

from csckpi.errors import CsckpiError
from csckpi.records.lists import Kind
from csckpi.records.workdays import working_days

MAX_LENGTH = 2000
MAX_DEPTH = 40


class ExpressionError(CsckpiError):
    """A definition's expression cannot be read; the message says where and why."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op><=|>=|!=|<>|[=<>+\-(),])
    )""",
    re.VERBOSE,
)
_UNITS = {
    "day": "d",
    "days": "d",
    "week": "w",
    "weeks": "w",
    "month": "mo",
    "months": "mo",
    "year": "y",
    "years": "y",
}
_KEYWORDS = {"and", "or", "not", "is", "blank", "in", "true", "false"}
_COMPARE = {"=", "!=", "<>", "<", "<=", ">", ">="}
YES_CODES = ("Y", "YES", "TRUE", "1")

# Types of values in the language.
DATE, NUMBER, TEXT, BOOL, DURATION = "date", "number", "text", "yes/no", "duration"
_KIND_TYPE = {Kind.DATE: DATE, Kind.NUMBER: NUMBER, Kind.TEXT: TEXT, Kind.ID: TEXT}


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, op, end
    text: str
    at: int  # 1-based column in the expression


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            at = len(text) - len(text[position:].lstrip()) + 1
            raise ExpressionError(f"'{text[at - 1]}' at column {at} is not part of the language")
        kind = match.lastgroup or "op"
        value = match.group(kind)
        tokens.append(Token(kind, value, match.start(kind) + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# ----------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Node:
    at: int


@dataclass(frozen=True)
class Literal(Node):
    value: Any
    type: str


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Blank(Node):
    operand: Node
    negated: bool


@dataclass(frozen=True)
class In(Node):
    operand: Node
    items: tuple[Literal, ...]
    negated: bool


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def accept(self, *texts: str) -> Token | None:
        token = self.token
        if token.kind in ("op", "name") and token.text.lower() in texts:
            self.i += 1
            return token
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            raise self.error(f"expected '{text}'")
        return token

    def error(self, what: str) -> ExpressionError:
        token = self.token
        found = f"'{token.text}'" if token.kind != "end" else "the end"
        return ExpressionError(f"{what} at column {token.at}, found {found}")

    def parse(self) -> Node:
        node = self.expr()
        if self.token.kind != "end":
            raise self.error("expected 'and', 'or' or the end")
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("the expression nests too deeply")
        node = self.conjunction()
        while token := self.accept("or"):
            node = Binary(token.at, "or", node, self.conjunction())
        self.depth -= 1
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while token := self.accept("and"):
            node = Binary(token.at, "and", node, self.negation())
        return node

    def negation(self) -> Node:
        if token := self.accept("not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("the expression nests too deeply")
            node = Unary(token.at, "not", self.negation())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        token = self.token
        if token.kind == "op" and token.text in _COMPARE:
            self.i += 1
            op = "!=" if token.text == "<>" else token.text
            return Binary(token.at, op, left, self.sum())
        if self.accept("is"):
            negated = self.accept("not") is not None
            self.expect("blank")
            return Blank(token.at, left, negated)
        negated = self.accept("not") is not None
        if self.accept("in"):
            self.expect("(")
            items = [self.literal()]
            while self.accept(","):
                items.append(self.literal())
            self.expect(")")
            return In(token.at, left, tuple(items), negated)
        if negated:
            raise self.error("expected 'in' after 'not'")
        return left

    def literal(self) -> Literal:
        node = self.atom()
        if not isinstance(node, Literal) or node.type == DURATION:
            raise ExpressionError(
                f"the list after 'in' at column {node.at} holds only text or numbers"
            )
        return node

    def sum(self) -> Node:
        node = self.atom()
        while (token := self.token).kind == "op" and token.text in "+-":
            self.i += 1
            node = Binary(token.at, token.text, node, self.atom())
        return node

    def atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.i += 1
            unit = self.token
            if unit.kind == "name" and unit.text.lower() in _UNITS:
                self.i += 1
                if "." in token.text:
                    raise ExpressionError(f"a duration at column {token.at} is a whole number")
                return Literal(token.at, f"{token.text}{_UNITS[unit.text.lower()]}", DURATION)
            return Literal(token.at, float(token.text), NUMBER)
        if token.kind == "string":
            self.i += 1
            return Literal(token.at, token.text[1:-1], TEXT)
        if token.kind == "name":
            self.i += 1
            lowered = token.text.lower()
            if lowered in ("true", "false"):
                return Literal(token.at, lowered == "true", BOOL)
            if lowered in _KEYWORDS:
                raise ExpressionError(f"'{token.text}' at column {token.at} is out of place")
            if self.accept("("):
                args: list[Node] = []
                if not self.accept(")"):
                    args.append(self.expr())
                    while self.accept(","):
                        args.append(self.expr())
                    self.expect(")")
                return Call(token.at, lowered, tuple(args))
            return Name(token.at, token.text)
        if self.accept("("):
            node = self.expr()
            self.expect(")")
            return node
        raise self.error("expected a field, a number, text or '('")


@lru_cache(maxsize=256)
def parse(text: str) -> Node:
    """The syntax tree of an expression; ExpressionError says where it is wrong."""
    return _Parser(text).parse()


# ----------------------------------------------------------------------------- compiling


@dataclass
class Scope:
    """What an expression may name: the list's fields (id -> Kind), and the context."""

    fields: Mapping[str, Kind]
    holidays: tuple[dt.date, ...] = ()
    extract_date: dt.date | None = None
    child: str = "child_id"
    #: window columns an expression needs, computed on the list before rows are placed
    #: (:func:`add_windows`): column name -> (field, 1 for previous(f) or -1 for next(f))
    windows: dict[str, tuple[str, int]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # fields named
    working: list[tuple[str, str]] = field(default_factory=list)  # working_days(a, b) pairs


MONTH_END = "_month_end"
FrameT = TypeVar(
    "FrameT", pl.DataFrame, pl.LazyFrame
)  # the column derive gives each placed row: the date it is counted at


def add_windows(frame: FrameT, scope: Scope) -> FrameT:
    """The columns ``previous(f)`` and ``next(f)`` read: the same child's row before or after,
    ordered by ``f``. Sorted once per field and shifted, rather than a window per child."""
    child = pl.col(scope.child)
    for column, (name, direction) in scope.windows.items():
        frame = frame.sort(scope.child, name, nulls_last=True).with_columns(
            pl.when(child.shift(direction) == child)
            .then(pl.col(name).shift(direction))
            .alias(column)
        )
    return frame


def names(node: Node) -> set[str]:
    """Every field name in an expression (to check and to read only what is needed)."""
    if isinstance(node, Name):
        return {node.name}
    children: tuple[Node, ...] = ()
    if isinstance(node, Call):
        children = node.args
    elif isinstance(node, Unary | Blank | In):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    found: set[str] = set()
    for child in children:
        found |= names(child)
    return found - {"extract_date", "month_end"}


def compile_expression(text: str, scope: Scope, *, keep_blanks: bool = False) -> pl.Expr:
    """A yes/no expression -> a polars boolean expression: blank (null, "cannot tell") where
    a value it needs is blank when ``keep_blanks``, else false."""
    node = parse(text)
    expr, kind = _compile(node, scope)
    if kind != BOOL:
        raise ExpressionError(f"the expression gives {_a(kind)}, not yes or no")
    return expr if keep_blanks else expr.fill_null(False)


def check(text: str, fields: Mapping[str, Kind]) -> set[str]:
    """Check an expression against a list's fields; the fields it names."""
    scope = Scope(fields)
    compile_expression(text, scope)
    return scope.used


Compiled = tuple[pl.Expr, str]


def _compile(node: Node, scope: Scope) -> Compiled:
    compiler = _COMPILERS.get(type(node))
    if compiler is None:  # pragma: no cover - every node type has one
        raise ExpressionError(f"cannot compile {type(node).__name__}")
    return compiler(node, scope)


def _literal(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, Literal)
    if node.type == DURATION:
        return pl.lit(node.value), DURATION
    return pl.lit(node.value), node.type


def _name(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, Name)
    if node.name == "extract_date":
        if scope.extract_date is None:
            return pl.lit(None, dtype=pl.Date), DATE
        return pl.lit(scope.extract_date), DATE
    if node.name == "month_end":
        return pl.col(MONTH_END), DATE
    kind = scope.fields.get(node.name)
    if kind is None:
        raise ExpressionError(_unknown(node.name, node.at, scope.fields))
    scope.used.add(node.name)
    return pl.col(node.name), _KIND_TYPE[kind]


def _unknown(name: str, at: int, fields: Mapping[str, Kind]) -> str:
    near = difflib.get_close_matches(name, list(fields), n=1)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    return f"'{name}' at column {at} is not a field of this list.{hint}"


def _unary(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, Unary)
    expr, kind = _compile(node.operand, scope)
    _want(kind, BOOL, node.operand.at, "'not'")
    return ~expr, BOOL


def _want(kind: str, wanted: str, at: int, what: str) -> None:
    if kind != wanted:
        raise ExpressionError(f"{what} needs {_a(wanted)} at column {at}, not {_a(kind)}")


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _binary(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, Binary)
    left, left_kind = _compile(node.left, scope)
    right, right_kind = _compile(node.right, scope)
    op = node.op
    if op in ("and", "or"):
        _want(left_kind, BOOL, node.left.at, f"'{op}'")
        _want(right_kind, BOOL, node.right.at, f"'{op}'")
        return (left & right if op == "and" else left | right), BOOL
    if op in ("+", "-"):
        return _arithmetic(node, left, left_kind, right, right_kind)
    if left_kind != right_kind or left_kind == DURATION:
        raise ExpressionError(
            f"'{op}' at column {node.at} compares {_a(left_kind)} with {_a(right_kind)}"
        )
    compare: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    return compare[op](left, right), BOOL


def _arithmetic(
    node: Binary, left: pl.Expr, left_kind: str, right: pl.Expr, right_kind: str
) -> Compiled:
    op = node.op
    if left_kind == NUMBER and right_kind == NUMBER:
        return (left + right if op == "+" else left - right), NUMBER
    if left_kind == DATE and right_kind == DURATION:
        assert isinstance(node.right, Literal)
        offset = node.right.value if op == "+" else f"-{node.right.value}"
        return left.dt.offset_by(offset), DATE
    raise ExpressionError(
        f"'{op}' at column {node.at} cannot take {_a(left_kind)} and {_a(right_kind)}"
        + (
            " (add a duration such as 12 months to a date)"
            if DATE in (left_kind, right_kind)
            else ""
        )
    )


def _blank_node(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, Blank)
    expr, _kind = _compile(node.operand, scope)
    return (expr.is_not_null() if node.negated else expr.is_null()), BOOL


def _in(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, In)
    expr, kind = _compile(node.operand, scope)
    for item in node.items:
        if item.type != kind:
            raise ExpressionError(f"'in' at column {node.at} lists {_a(item.type)} for {_a(kind)}")
    values = [item.value for item in node.items]
    found = pl.when(expr.is_null()).then(None).otherwise(expr.is_in(values))
    return (~found if node.negated else found), BOOL


def _call(node: Node, scope: Scope) -> Compiled:
    assert isinstance(node, Call)
    function = _FUNCTIONS.get(node.name)
    if function is None:
        near = difflib.get_close_matches(node.name, list(_FUNCTIONS), n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        raise ExpressionError(f"'{node.name}' at column {node.at} is not a function.{hint}")
    arity, handler = function
    if len(node.args) != arity:
        raise ExpressionError(
            f"{node.name}() at column {node.at} takes {arity} value{'s' if arity > 1 else ''}"
        )
    return handler(node, scope)


def _dates(node: Call, scope: Scope) -> tuple[pl.Expr, pl.Expr]:
    (start, start_kind), (end, end_kind) = (_compile(arg, scope) for arg in node.args)
    _want(start_kind, DATE, node.args[0].at, f"{node.name}()")
    _want(end_kind, DATE, node.args[1].at, f"{node.name}()")
    return start, end


def _working_days(node: Call, scope: Scope) -> Compiled:
    start, end = _dates(node, scope)
    first, second = node.args
    if isinstance(first, Name) and isinstance(second, Name):
        scope.working.append((first.name, second.name))
    return working_days(start, end, scope.holidays), NUMBER


def _days(node: Call, scope: Scope) -> Compiled:
    start, end = _dates(node, scope)
    return (end - start).dt.total_days(), NUMBER


def _window(direction: int) -> Callable[[Call, Scope], Compiled]:
    def handler(node: Call, scope: Scope) -> Compiled:
        (arg,) = node.args
        if not isinstance(arg, Name):
            raise ExpressionError(f"{node.name}() at column {node.at} takes a field's name")
        _expr, kind = _compile(arg, scope)
        if kind not in (DATE, NUMBER):
            raise ExpressionError(f"{node.name}() at column {node.at} needs a date or number field")
        if scope.child not in scope.fields:
            raise ExpressionError(f"{node.name}() needs the list's child unique ID column")
        scope.used.add(scope.child)
        column = f"_{node.name}_{arg.name}"
        scope.windows[column] = (arg.name, direction)
        return pl.col(column), kind

    return handler


def _code(node: Call, scope: Scope) -> Compiled:
    (arg,) = node.args
    expr, kind = _compile(arg, scope)
    _want(kind, TEXT, arg.at, "code()")
    return code(expr), TEXT


def code(text: pl.Expr) -> pl.Expr:
    """`a) Yes` -> YES, `F1: Full time ...` -> F1, `Suitable` -> SUITABLE, `N` -> N.

    Worked out once for each different answer and looked up for the rows: a list of ten
    thousand rows holds a handful of answers, and the patterns cost far more than the look-up.
    """
    answers = text.unique(maintain_order=True)
    return text.replace_strict(answers, _coded(answers), default=None)


def _coded(text: pl.Expr) -> pl.Expr:
    stripped = text.str.strip_chars().str.replace(r"^[A-Za-z]{1,2}\d?\)\s*", "")
    return stripped.str.extract(r"^([^\s:;,]+)", 1).str.strip_chars(".-").str.to_uppercase()


def _yes(node: Call, scope: Scope) -> Compiled:
    (arg,) = node.args
    expr, kind = _compile(arg, scope)
    _want(kind, TEXT, arg.at, "yes()")
    coded = code(expr)
    return pl.when(coded.is_null()).then(None).otherwise(coded.is_in(YES_CODES)), BOOL


_FUNCTIONS: dict[str, tuple[int, Callable[[Call, Scope], Compiled]]] = {
    "working_days": (2, _working_days),
    "days": (2, _days),
    "previous": (1, _window(1)),
    "next": (1, _window(-1)),
    "code": (1, _code),
    "yes": (1, _yes),
}

_COMPILERS: dict[type, Callable[[Any, Scope], Compiled]] = {
    Literal: _literal,
    Name: _name,
    Unary: _unary,
    Binary: _binary,
    Blank: _blank_node,
    In: _in,
    Call: _call,
}
