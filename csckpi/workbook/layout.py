"""The documented layout: the sheets csckpi reads and the columns each one has.

docs/workbook.md describes them; ``csckpi template`` writes them; the reader checks them.
"""

from __future__ import annotations

INDICATORS = ("code", "title", "unit", "polarity", "measure")
INDICATORS_OPTIONAL = (
    "section",
    "target",
    "tolerance",
    "definition",
    "phrase",
    "decimals",
    "pattern",
    "label",
    "records_measure",
    "baseline",
    "new_process_from",
)
#: Every Indicators column, in the order docs/workbook.md and ``csckpi template`` give them.
INDICATORS_COLUMNS = (
    "code",
    "title",
    "section",
    "unit",
    "polarity",
    "measure",
    "target",
    "tolerance",
    "definition",
    "phrase",
    "decimals",
    "pattern",
    "label",
    "records_measure",
    "baseline",
    "new_process_from",
)
MONTHLY_WIDE = ("code",)
MONTHLY_WIDE_OPTIONAL = ("part",)
#: What a wide Monthly row's `part` names (blank = value); the long layout's figure columns.
PARTS = ("value", "numerator", "denominator")
MONTHLY_LONG = ("code", "month", "value")
MONTHLY_LONG_OPTIONAL = ("numerator", "denominator")
PERIODS = ("code", "period", "value")
PERIODS_OPTIONAL = ("numerator", "denominator", "figure", "note")
BENCHMARKS = ("code", "comparator", "value")
#: `source` is the older name of `release` (read when a sheet has no `release` column).
BENCHMARKS_OPTIONAL = ("year", "release", "version", "source")
#: Every Benchmarks column, in the order docs/workbook.md and ``csckpi template`` give them.
BENCHMARKS_COLUMNS = ("code", "comparator", "value", "year", "release", "version")
TARGETS = ("code", "year", "target")
TARGETS_OPTIONAL = ("tolerance", "per")
#: Every Targets column, in the order docs/workbook.md and ``csckpi template`` give them.
TARGETS_COLUMNS = ("code", "year", "target", "tolerance", "per")
#: The analyst's commentary: one row per indicator and period (docs/commentary.md).
COMMENTARY = ("code", "period", "text")
COMMENTARY_OPTIONAL = ("carry", "author")
CONTEXT = ("key", "value")
CONTEXT_OPTIONAL = ("year",)

SHEETS: dict[str, bool] = {  # name -> required
    "Indicators": True,
    "Monthly": True,
    "Periods": False,
    "Targets": False,
    "Benchmarks": False,
    "Context": False,
    "Commentary": False,
}
