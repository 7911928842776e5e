"""A breakdown's cells and relations (`csckpi compute --by team --publish`).

A code's teams (or workers) add up to the whole, and the whole is published on its own: the
ordinary scorecard (`compute --publish`) shows it. A team's count suppressed in the breakdown
would be the whole less the other teams (27 - 8 - 6 - 10 = 3), so the breakdown is checked
with the whole in it, as the ordinary scorecard publishes it: a figure that scorecard shows is
known to every reader and cannot be taken back (it is public here), one it withholds is not
known. Each figure that adds up across the teams — a count and its previous, last year's,
year to date and changes; a rate (one population, so the teams' rates add up) and its count;
a percentage's numerator, denominator and rest — is a total and its parts, where the whole's
figure is the sum of the teams' (a figure the workbook gives, not the records', is not).
Secondary suppression then gives up the next smallest team, never the whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from csckpi.disclosure import THRESHOLD, Relation, Role, suppress
from csckpi.model import Context, Unit
from csckpi.publish.scorecard import publication, scorecard_cells

if TYPE_CHECKING:
    from csckpi.periods import Period
    from csckpi.publish.records import Publication

#: A breakdown's row is `CSC 038 · Assessment Team 1`: its whole's code, this, the team.
SEPARATOR = " · "
#: The figures of a row that add up across its teams, by the row's unit.
ADDITIVE: dict[str, tuple[str, ...]] = {
    Unit.COUNT.value: (
        "value",
        "previous",
        "ytd",
        "last_year",
        "flow",
        "last_year_flow",
        "change",
        "previous_change",
        "flow_change",
        "earlier",
        "before",
        "running_earlier",
        "running_before",
    ),
    Unit.RATE.value: (
        "value",
        "previous",
        "ytd",
        "last_year",
        "change",
        "previous_change",
        "numerator",
        "value_count",
        "previous_count",
        "last_year_count",
        "earlier",
        "before",
    ),
    Unit.PERCENT.value: ("numerator", "denominator", "rest"),
}
#: The whole's cells and relations, apart from the teams'.
_WHOLE = "whole:"


def breakdown_cells(
    frame: pl.DataFrame,
    whole: pl.DataFrame,
    context: Context,
    period: Period,
    threshold: int = THRESHOLD,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cells and relations of a breakdown ``frame`` (one row per code and team) with those
    of its ``whole`` (one row per code, as the ordinary scorecard computes it) and the
    relations that tie each whole to its teams (module docstring)."""
    cells, relations = scorecard_cells(frame, context, period)
    whole_cells, whole_relations = scorecard_cells(whole, context, period)
    withheld = suppress(whole_cells, whole_relations, threshold).marks.get_column("cell")
    hidden = pl.col("cell").is_in(withheld.implode())
    published = whole_cells.with_columns(
        role=pl.when(pl.col("shown") & ~hidden)
        .then(pl.lit(Role.PUBLIC.value))
        .otherwise(pl.col("role")),
        shown=pl.col("shown") & ~hidden,
        cell=pl.lit(_WHOLE) + pl.col("cell"),
    )
    tied = whole_relations.with_columns(
        relation=pl.lit(_WHOLE) + pl.col("relation"), cell=pl.lit(_WHOLE) + pl.col("cell")
    )
    parts = _parts(frame, whole, cells, whole_cells)
    return pl.concat([cells, published]), pl.concat([relations, tied, parts])


def _split(cells: pl.DataFrame) -> pl.DataFrame:
    """cell, value, key, name: a cell `KEY|name` split."""
    return cells.select(
        "cell",
        "value",
        key=pl.col("cell").str.extract(r"^(.*)\|[^|]*$", 1),
        name=pl.col("cell").str.extract(r"\|([^|]*)$", 1),
    )


def _parts(
    frame: pl.DataFrame, whole: pl.DataFrame, cells: pl.DataFrame, whole_cells: pl.DataFrame
) -> pl.DataFrame:
    """A total and its parts for each whole's figure that is the sum of its teams'."""
    additive = pl.DataFrame(
        [(unit, name) for unit, names in ADDITIVE.items() for name in names],
        schema={"unit": pl.String, "name": pl.String},
        orient="row",
    )
    teams = frame.select("key", whole_code=pl.col("code").str.split(SEPARATOR).list.first()).join(
        whole.select(whole_code="code", whole_key="key", unit=pl.col("unit").cast(pl.String)),
        on="whole_code",
    )
    members = (
        _split(cells)
        .join(teams.select("key", "whole_key", "unit"), on="key")
        .join(additive, on=["unit", "name"], how="semi")
    )
    sums = members.group_by("whole_key", "name").agg(
        parts=pl.col("value").sum(), n=pl.col("value").is_not_null().sum()
    )
    tolerance = pl.max_horizontal(pl.lit(1.0), pl.col("value").abs()) * 1e-9
    holding = (
        _split(whole_cells)
        .join(sums, left_on=["key", "name"], right_on=["whole_key", "name"])
        .filter(
            (pl.col("n") > 0)
            & pl.col("value").is_not_null()
            & ((pl.col("value") - pl.col("parts")).abs() <= tolerance)
        )
        .select(whole_key="key", name="name", cell=pl.lit(_WHOLE) + pl.col("cell"))
    )
    relation = pl.lit(_WHOLE) + pl.col("whole_key") + pl.lit("|") + pl.col("name") + "|teams"
    kind = pl.lit(Relation.PARTS.value)
    totals = holding.select(relation=relation, cell="cell", total=pl.lit(True), kind=kind)
    teams_of = members.join(holding.select("whole_key", "name"), on=["whole_key", "name"]).select(
        relation=relation, cell="cell", total=pl.lit(False), kind=kind
    )
    return pl.concat([totals, teams_of])


def breakdown(
    frame: pl.DataFrame,
    whole: pl.DataFrame,
    context: Context,
    period: Period,
    threshold: int = THRESHOLD,
    months: pl.DataFrame | None = None,
) -> Publication:
    """What a published breakdown writes: every figure of ``frame`` checked with its
    ``whole`` as the ordinary published scorecard shows it (module docstring)."""
    cells, relations = breakdown_cells(frame, whole, context, period, threshold)
    return publication(frame, cells, relations, context, period, threshold, months)
