"""What each published output shows, as cells and relations for :mod:`csckpi.disclosure`, and
the marks (`c`, `z`, `x`) each output reads back.

A :class:`Publication` is what a renderer is given under ``--publish``: for each indicator
(key) the figures it writes as a symbol instead of a number, and the note. Renderers never
decide: they look a figure up (:meth:`Publication.mark`) and write the symbol
(:func:`csckpi.numbers.symbol`) where there is one. docs/publishing.md has the rules.

    records      Publication
    scorecard    the scorecard's cells and relations (csckpi compute)
    breakdown    a breakdown's (csckpi compute --by team): the teams, and the whole they add
                 up to as the published scorecard shows it
    comparisons  a comparison's (csckpi compare, narrate and the report): its figures, months
                 and annual trend, and the comparisons with the withheld figures taken out
"""

from __future__ import annotations

from csckpi.publish.records import RATE_BASE, Publication
from csckpi.publish.scorecard import scorecard, scorecard_cells, small_months

__all__ = ["RATE_BASE", "Publication", "scorecard", "scorecard_cells", "small_months"]
