"""Statistical process control: is a month's change a signal or noise?

XmR charts for every indicator at once (polars over the long frame of monthly values), the
tests for special cause variation of a named rule set (NHS England's Making Data Count by
default), and its two icons: variation (common cause, special cause improvement or concern)
and assurance against the target. The rules, their sources and every choice: docs/spc.md.

    from csckpi import spc
    result = spc.analyse(values, spc.indicator_frame(dataset.indicators))
    result.summary          # one row per indicator: limits, icons, reason
    result.facts("CSC038")  # a frozen SpcFacts for compare, narrate and the report

Importing the package does not import polars: the records, enums and settings load alone (a
renderer or the CLI can name an icon); ``analyse`` and the frames load polars when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csckpi.spc.model import (
    Assurance,
    Change,
    Judgement,
    Limits,
    Profile,
    Rule,
    RuleKind,
    Segment,
    Side,
    Signal,
    SpcError,
    SpcFacts,
    SpcOptions,
    SpcSettings,
    Variation,
    judge,
)
from csckpi.spc.profiles import (
    DEFAULT_PROFILE,
    OFF,
    PROFILES,
    RUN_LENGTHS,
    declared,
    options,
    parse_baseline,
    parse_change,
    parse_months,
    settings,
)

if TYPE_CHECKING:
    from csckpi.spc.analysis import INDICATOR_SCHEMA, SpcResult, analyse, indicator_frame

_ANALYSIS = ("INDICATOR_SCHEMA", "SpcResult", "analyse", "indicator_frame")


def __getattr__(name: str) -> Any:
    if name in _ANALYSIS:
        from csckpi.spc import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'csckpi.spc' has no attribute {name!r}")


__all__ = [
    "DEFAULT_PROFILE",
    "INDICATOR_SCHEMA",
    "OFF",
    "PROFILES",
    "RUN_LENGTHS",
    "Assurance",
    "Change",
    "Judgement",
    "Limits",
    "Profile",
    "Rule",
    "RuleKind",
    "Segment",
    "Side",
    "Signal",
    "SpcError",
    "SpcFacts",
    "SpcOptions",
    "SpcResult",
    "SpcSettings",
    "Variation",
    "analyse",
    "declared",
    "indicator_frame",
    "judge",
    "options",
    "parse_baseline",
    "parse_change",
    "parse_months",
    "settings",
]
