"""The disclosure rule (csckpi.disclosure): primary suppression of counts from 1 to the
threshold, then secondary suppression to a fixed point over the relations, so that no
suppressed count can be worked out. Dict in, dict out; tests/recovery.py is the attacker."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recovery import Equation, Ratio, Sum, recover

from csckpi.disclosure import Relation, Role, Why, check_threshold, suppress

COUNT, DERIVED, PUBLIC = Role.COUNT.value, Role.DERIVED.value, Role.PUBLIC.value


def cells(rows: dict[str, tuple[float | None, str]], unshown: tuple[str, ...] = ()) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cell": list(rows),
            "value": [v for v, _ in rows.values()],
            "role": [r for _, r in rows.values()],
            "shown": [name not in unshown for name in rows],
        },
        schema={"cell": pl.String, "value": pl.Float64, "role": pl.String, "shown": pl.Boolean},
    )


def relations(*groups: tuple[str, Relation, str, tuple[str, ...]]) -> pl.DataFrame:
    """(relation, kind, total, parts) per group."""
    rows = []
    for name, kind, total, parts in groups:
        rows.append((name, total, True, kind.value))
        rows += [(name, part, False, kind.value) for part in parts]
    return pl.DataFrame(rows, schema=["relation", "cell", "total", "kind"], orient="row")


def written(found) -> dict[str, str]:
    return dict(found.marks.filter(pl.col("shown")).select("cell", "why").iter_rows())


def test_counts_from_1_to_the_threshold_are_suppressed():
    table = cells({"a": (0, COUNT), "b": (1, COUNT), "c": (5, COUNT), "d": (6, COUNT)})
    assert written(suppress(table, relations())) == {"b": "small", "c": "small"}
    assert written(suppress(table, relations(), threshold=6)) == {
        "b": "small",
        "c": "small",
        "d": "small",
    }


def test_a_percentage_or_a_population_is_never_suppressed_for_being_small():
    table = cells({"pct": (3.0, DERIVED), "pop": (2.0, PUBLIC)})
    assert written(suppress(table, relations())) == {}


def test_a_quarter_cannot_be_worked_out_from_its_months():
    table = cells({"q": (30, COUNT), "m1": (3, COUNT), "m2": (12, COUNT), "m3": (15, COUNT)})
    found = suppress(table, relations(("q", Relation.PARTS, "q", ("m1", "m2", "m3"))))
    # The next smallest month goes too: q - m3 now leaves two unknowns.
    assert written(found) == {"m1": "small", "m2": "recoverable"}


def test_a_year_to_date_cannot_be_worked_out_from_its_months():
    months = {f"m{i}": (v, COUNT) for i, v in enumerate([20, 4, 18, 30], start=1)}
    table = cells({"ytd": (72, COUNT), **months})
    found = suppress(table, relations(("ytd", Relation.PARTS, "ytd", tuple(months))))
    assert set(written(found)) == {"m2", "m3"}


def test_a_numerator_cannot_be_worked_out_from_its_denominator_less_the_complement():
    table = cells(
        {"den": (40, COUNT), "num": (3, COUNT), "rest": (37, COUNT), "pct": (7.5, DERIVED)}
    )
    found = suppress(
        table,
        relations(
            ("split", Relation.COMPLEMENT, "den", ("num", "rest")),
            ("pct", Relation.PERCENTAGE, "pct", ("num", "den")),
        ),
    )
    assert written(found) == {"num": "small", "pct": "derived", "rest": "recoverable"}


def test_a_rate_cannot_be_worked_back_to_its_count_through_the_population():
    # 1.3 per 10,000 of 22,450 children: 3 children. The count is not shown; the rate is.
    table = cells(
        {"rate": (1.3, DERIVED), "count": (2.9, COUNT), "pop": (22450, PUBLIC)}, ("count",)
    )
    found = suppress(table, relations(("r", Relation.RATE, "rate", ("count", "pop"))))
    assert written(found) == {"rate": "derived"}
    assert found.count(Why.SMALL) == 0  # the count is protected, never written


def test_a_count_cannot_be_worked_out_from_last_year_and_the_change():
    table = cells({"now": (4, COUNT), "last": (20, COUNT), "change": (-16, DERIVED)})
    found = suppress(table, relations(("c", Relation.CHANGE, "change", ("now", "last"))))
    assert written(found) == {"now": "small", "change": "derived"}


def test_a_percentage_whose_numerator_and_denominator_are_suppressed_is_suppressed():
    table = cells({"pct": (75.0, DERIVED), "num": (3, COUNT), "den": (4, COUNT)})
    found = suppress(table, relations(("p", Relation.PERCENTAGE, "pct", ("num", "den"))))
    assert written(found)["pct"] == "derived"


def test_a_percentage_without_a_denominator_hides_nothing():
    table = cells({"pct": (7.4, DERIVED), "num": (20, COUNT), "den": (None, COUNT)})
    found = suppress(table, relations(("p", Relation.PERCENTAGE, "pct", ("num", "den"))))
    assert written(found) == {}


def test_suppression_runs_to_a_fixed_point_across_relations():
    # The months of two quarters and the half year: hiding a second month of Q1 leaves the
    # half year able to give it back unless a month of Q2 goes too.
    table = cells(
        {
            "h": (60, COUNT),
            "q1": (25, COUNT),
            "q2": (35, COUNT),
            "a": (2, COUNT),
            "b": (10, COUNT),
            "c": (13, COUNT),
            "d": (11, COUNT),
            "e": (12, COUNT),
            "f": (12, COUNT),
        }
    )
    rels = relations(
        ("q1", Relation.PARTS, "q1", ("a", "b", "c")),
        ("q2", Relation.PARTS, "q2", ("d", "e", "f")),
        ("h", Relation.PARTS, "h", ("q1", "q2")),
        ("hm", Relation.PARTS, "h", ("a", "b", "c", "d", "e", "f")),
    )
    found = suppress(table, rels)
    known = {n: v for n, v, r, s in table.iter_rows() if n not in written(found)}
    eqs: list[Equation] = [
        Sum("q1", ("a", "b", "c")),
        Sum("q2", ("d", "e", "f")),
        Sum("h", ("q1", "q2")),
        Sum("h", ("a", "b", "c", "d", "e", "f")),
    ]
    assert "a" not in recover(known, eqs)


def test_a_relation_whose_total_has_no_value_holds_nothing():
    table = cells({"q": (None, COUNT), "m1": (3, COUNT), "m2": (12, COUNT)})
    found = suppress(table, relations(("q", Relation.PARTS, "q", ("m1", "m2"))))
    assert written(found) == {"m1": "small"}


def test_the_inputs_are_not_changed():
    table = cells({"q": (30, COUNT), "m1": (3, COUNT), "m2": (27, COUNT)})
    rels = relations(("q", Relation.PARTS, "q", ("m1", "m2")))
    before = (table.clone(), rels.clone())
    suppress(table, rels)
    assert table.equals(before[0]) and rels.equals(before[1])


def test_the_note_counts_each_reason():
    table = cells({"q": (30, COUNT), "m1": (3, COUNT), "m2": (12, COUNT), "m3": (15, COUNT)})
    found = suppress(table, relations(("q", Relation.PARTS, "q", ("m1", "m2", "m3"))))
    assert found.note() == (
        "Disclosure control: 2 figures are written c (suppressed to protect confidentiality): "
        "1 count from 1 to 5, and 1 worked out from a count from 1 to 5 or from which one "
        "could be worked out (a total and its parts: 1). z: not applicable; x: not available."
    )
    empty = suppress(cells({"q": (30, COUNT)}), relations())
    assert empty.note().startswith(
        "Disclosure control: counts from 1 to 5 are suppressed; no figure here is written c."
    )


@pytest.mark.parametrize("bad", [0, -1])
def test_a_threshold_is_at_least_1(bad):
    with pytest.raises(ValueError, match="at least 1"):
        check_threshold(bad)


# -- property: any table of months, quarters and a year ------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    months=st.lists(st.integers(min_value=0, max_value=40), min_size=12, max_size=12),
    threshold=st.integers(min_value=1, max_value=10),
)
def test_no_small_month_quarter_or_year_can_be_worked_out(months, threshold):
    names = [f"m{i}" for i in range(12)]
    quarters = {f"q{q}": names[3 * q : 3 * q + 3] for q in range(4)}
    values = dict(zip(names, months, strict=True))
    for q, parts in quarters.items():
        values[q] = sum(values[p] for p in parts)
    values["year"] = sum(months)
    table = cells({n: (float(v), COUNT) for n, v in values.items()})
    rels = relations(
        *[(q, Relation.PARTS, q, tuple(parts)) for q, parts in quarters.items()],
        ("y", Relation.PARTS, "year", tuple(quarters)),
        ("ym", Relation.PARTS, "year", tuple(names)),
    )
    found = suppress(table, rels, threshold)
    hidden = set(written(found))
    known = {n: float(v) for n, v in values.items() if n not in hidden}
    eqs: list[Equation] = [Sum(q, tuple(parts)) for q, parts in quarters.items()]
    eqs += [Sum("year", tuple(quarters)), Sum("year", tuple(names))]
    learnt = recover(known, eqs)
    small = {n for n, v in values.items() if 1 <= v <= threshold}
    assert small <= hidden
    assert not (small & (set(learnt) - set(known)))


@settings(max_examples=40, deadline=None)
@given(
    num=st.integers(min_value=0, max_value=30),
    extra=st.integers(min_value=0, max_value=30),
    last=st.integers(min_value=0, max_value=30),
)
def test_no_small_numerator_follows_from_a_percentage_or_a_change(num, extra, last):
    den = num + extra
    pct = 100.0 * num / den if den else None
    table = cells(
        {
            "num": (num, COUNT),
            "den": (den, COUNT),
            "pct": (pct, DERIVED),
            "last": (last, COUNT),
            "change": (num - last, DERIVED),
        }
    )
    rels = relations(
        ("p", Relation.PERCENTAGE, "pct", ("num", "den")),
        ("c", Relation.CHANGE, "change", ("num", "last")),
    )
    found = suppress(table, rels)
    hidden = set(written(found))
    known = {n: v for n, v, _r, _s in table.iter_rows() if n not in hidden and v is not None}
    eqs: list[Equation] = [Ratio("pct", "num", "den", 100.0), Sum("num", ("last", "change"))]
    learnt = recover(known, eqs)
    for name, value in (("num", num), ("den", den), ("last", last)):
        if 1 <= value <= 5:
            assert name in hidden and name not in learnt
