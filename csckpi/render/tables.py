"""Rows of plain values written as CSV, TSV, JSON or Markdown, safe to open in Excel."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers pass through untouched (a negative number is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "value") and not isinstance(value, str | int | float):  # enums
        return value.value
    return value


def to_json(rows: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> str:
    def default(obj: Any) -> Any:
        if hasattr(obj, "isoformat"):
            return obj.isoformat()
        if hasattr(obj, "value"):
            return obj.value
        return str(obj)

    def clean(obj: Any) -> Any:
        if isinstance(obj, Mapping):
            return {k: clean(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [clean(v) for v in obj]
        return _plain(obj)

    return json.dumps(clean(rows), indent=2, ensure_ascii=False, default=default) + "\n"


def to_delimited(rows: Sequence[Mapping[str, Any]], delimiter: str = ",") -> str:
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(
        out, fieldnames=list(rows[0].keys()), delimiter=delimiter, lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_text(_plain(v)) for k, v in row.items()})
    return out.getvalue()


def to_markdown(rows: Sequence[Mapping[str, Any]], floatfmt: str = "g") -> str:
    from tabulate import tabulate

    if not rows:
        return ""
    headers = list(rows[0].keys())
    body = [["" if _plain(r[h]) is None else _plain(r[h]) for h in headers] for r in rows]
    text: str = tabulate(body, headers=headers, tablefmt="github", floatfmt=floatfmt)
    return text + "\n"
