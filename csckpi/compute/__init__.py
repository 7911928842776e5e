"""Period figures, RAG and direction of travel: polars expressions over whole frames.

Every indicator is computed at once. The months of every period asked for are laid out as one
frame (indicator x period x month), joined to the monthly figures and aggregated per
(indicator, period); how the months combine is the indicator's measure rule
(``measures.py``: one record per kind of measure). Nothing loops over indicators or figures in
Python. The modules, in the order they are used:

    measures   the measure table: how each kind of measure makes a period's figure
    inputs     the indicators as a frame; each month's value (rates from their counts)
    reported   the workbook's figures for whole periods, and which answer a period
    resolve    resolve_period(): the period asked for, checked against the data
    figures    the pass: every indicator x period in one query (figures())
    reasons    why a value is missing, in words, from the fields the pass keeps
    judge      rounding as shown, RAG, direction of travel
    table      compute(): one period with its target, last year, period before, YTD
    annual     annual(): each financial year (the annual trend)

See ``docs/computation.md`` for the rules in words.
"""

from __future__ import annotations

from csckpi.compute import series
from csckpi.compute.annual import annual
from csckpi.compute.figures import figures
from csckpi.compute.inputs import indicator_frame, latest_month, monthly_values
from csckpi.compute.judge import round_half_up, shown
from csckpi.compute.measures import MEASURES, MULTIPLIER, MeasureRule, measure_rule
from csckpi.compute.resolve import resolve_period
from csckpi.compute.table import COLUMNS, compute

#: Measures whose period figure is the figure at the period's last month (``MeasureRule.at_end``).
AT_END = tuple(m.value for m, r in MEASURES.items() if r.at_end)

__all__ = [
    "AT_END",
    "COLUMNS",
    "MEASURES",
    "MULTIPLIER",
    "MeasureRule",
    "annual",
    "compute",
    "figures",
    "indicator_frame",
    "latest_month",
    "measure_rule",
    "monthly_values",
    "resolve_period",
    "round_half_up",
    "series",
    "shown",
]
