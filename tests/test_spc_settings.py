"""Rule sets, lengths, baselines and declared changes: what may be asked, and the errors that
say what to ask instead."""

from __future__ import annotations

import pytest
from spc_data import BASELINE, FIRST, found, frame, indicators, run

from csckpi import spc
from csckpi.errors import CsckpiError
from csckpi.periods import Month


def test_the_default_is_making_data_count():
    settings = spc.settings()
    assert settings.profile.name == "mdc" == spc.DEFAULT_PROFILE
    assert [(r.kind, r.length) for r in settings.profile.rules] == [
        (spc.RuleKind.OUTSIDE, 0),
        (spc.RuleKind.TREND, 7),
        (spc.RuleKind.TWO_OF_THREE, 3),
        (spc.RuleKind.SHIFT, 7),
    ]
    assert (settings.min_points, settings.min_baseline) == (15, 12)


def test_every_profile_names_its_source_and_describes_its_rules():
    for name, profile in spc.PROFILES.items():
        assert profile.name == name
        assert profile.source and profile.title
        assert all(rule.describe for rule in profile.rules)
    described = [r.describe for r in spc.PROFILES["mdc"].rules]
    assert described[2] == (
        "2 of 3 points in a row beyond the same 2-sigma line, all 3 on that side of the mean"
    )


def test_lengths_change_only_their_rule():
    settings = spc.settings("mdc", shift=6, trend=8)
    rules = {r.kind: r for r in settings.profile.rules}
    assert (rules[spc.RuleKind.SHIFT].length, rules[spc.RuleKind.TREND].length) == (6, 8)
    assert rules[spc.RuleKind.TWO_OF_THREE] == spc.PROFILES["mdc"].rule(spc.RuleKind.TWO_OF_THREE)
    assert spc.PROFILES["mdc"].rule(spc.RuleKind.SHIFT).length == 7  # the registry is untouched


def test_an_unknown_rule_set_suggests_the_nearest():
    with pytest.raises(spc.SpcError) as caught:
        spc.settings("mcd")
    assert isinstance(caught.value, CsckpiError)
    assert str(caught.value) == (
        "There is no SPC rule set 'mcd'. Did you mean 'mdc'? The rule sets are mdc, mdc-tools "
        "and western-electric ('none': no SPC); docs/spc.md describes each."
    )


@pytest.mark.parametrize("length", [5, 9])
def test_a_length_outside_six_to_eight_is_refused(length):
    with pytest.raises(spc.SpcError) as caught:
        spc.settings(shift=length)
    assert str(caught.value) == (
        f"A shift of {length} points is outside the range Making Data Count allows. "
        "A shift is 6, 7 or 8 points in a row; mdc uses 7."
    )


def test_a_length_for_a_rule_the_profile_lacks_is_refused():
    with pytest.raises(spc.SpcError, match="western-electric rules have no trend test"):
        spc.settings("western-electric", trend=7)


# -- baselines and changes as written ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Apr-19..Mar-20", "2019-04..2020-03", "April 2019 to March 2020", "Apr-19 – Mar-20"]
)
def test_a_baseline_as_written(text):
    change = spc.parse_baseline(text, key="CSC 038")
    assert change == spc.Change(Month(2019, 4), Month(2020, 3), "CSC 038")
    assert change.label == "Apr-19..Mar-20"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Apr-19", "'Apr-19' is not a range of months. Write the first and last month"),
        ("Apr-19..Marc-20", "'Apr-19..Marc-20' is not a range of months."),
        ("Mar-20..Apr-19", "The range 'Mar-20..Apr-19' ends (Apr-19) before it starts (Mar-20)."),
        (
            "Apr-19..Sep-19",
            "The baseline Apr-19..Sep-19 is 6 months; control limits need at least 12. Give a "
            "baseline of 12 months or more, e.g. Apr-19..Mar-20.",
        ),
    ],
)
def test_a_baseline_that_cannot_be_used(text, message):
    with pytest.raises(spc.SpcError) as caught:
        spc.parse_baseline(text)
    assert str(caught.value).startswith(message)


def test_a_change_of_process_as_written():
    assert spc.parse_change("Apr-20") == spc.Change(Month(2020, 4))
    with pytest.raises(spc.SpcError, match="'soon' is not a month"):
        spc.parse_change("soon")


# -- segments -------------------------------------------------------------------------------------


def test_a_declared_change_gives_each_segment_its_own_limits():
    # Twenty months alternating 10 and 12, then a new process from month 20 alternating 20
    # and 24 for sixteen months: two sets of limits, 11 ± 5.32 and 22 ± 10.64.
    values = [10.0, 12.0] * 10 + [20.0, 24.0] * 8
    result = run(values, changes=[spc.Change(FIRST + 20)])
    facts = result.facts("A")
    first, second = facts.segments
    assert (first.points, second.points, second.start) == (20, 16, FIRST + 20)
    assert first.limits is not None and second.limits is not None
    assert (first.limits.mean, first.limits.moving_range) == pytest.approx((11.0, 2.0))
    assert (second.limits.mean, second.limits.moving_range) == pytest.approx((22.0, 4.0))
    assert facts.limits == second.limits
    # The jump from 12 to 20 is not a moving range of either segment.
    assert result.points.get_column("moving_range").to_list()[20] is None
    assert result.points.get_column("segment").to_list() == [0] * 20 + [1] * 16
    assert facts.signals == ()


def test_a_new_segment_too_short_for_limits_says_so_and_keeps_the_older_one():
    values = [10.0, 12.0] * 10 + [20.0, 24.0] * 3
    facts = run(values, changes=[spc.Change(FIRST + 20)]).facts("A")
    assert facts.segments[0].limits is not None
    assert facts.segments[1].limits is None
    assert facts.reason == "no control limits yet: they need 15 months since Dec-20, there are 6"
    assert (facts.variation, facts.assurance) == (None, None)


def test_a_baseline_with_too_few_months_of_figures_says_so():
    # The baseline runs Apr-19..Mar-20, but only six of its months have a value.
    values = [None] * 6 + [10.0, 12.0] * 3 + [11.0] * 10
    change = spc.parse_baseline("Apr-19..Mar-20")
    facts = run(values, changes=[change]).facts("A")
    assert (
        facts.reason
        == "no control limits: they need 12 months in the baseline Apr-19 to Mar-20, there are 6"
    )
    assert facts.signals == ()


def test_months_before_a_baseline_are_a_segment_of_their_own():
    values = [11.0] * 4 + BASELINE + [11.0]
    facts = run(values, changes=[spc.Change(FIRST + 4, FIRST + 19)]).facts("A")
    before, after = facts.segments
    assert (before.points, before.reason) == (
        4,
        "no control limits yet: they need 15 months, there are 4",
    )
    assert (after.basis_first, after.basis_last, after.basis_points) == (FIRST + 4, FIRST + 19, 16)
    assert after.limits is not None and after.limits.mean == pytest.approx(11.0)


def test_missing_months_are_counted_and_no_moving_range_spans_them():
    # 16 values over 18 months: two missing; the moving ranges around them are not counted.
    values = [10.0, 12.0] * 4 + [None, None] + [12.0, 10.0] * 4
    result = run(values)
    segment = result.facts("A").segments[0]
    assert (segment.points, segment.missing) == (16, 2)
    ranges = result.points.get_column("moving_range").to_list()
    assert ranges[8] is None and ranges.count(None) == 2
    assert segment.limits is not None and segment.limits.moving_range == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([spc.Change(FIRST, key="B")], "A change of process is declared for 'B', which is not"),
        (
            [spc.Change(FIRST + 3), spc.Change(FIRST + 3, key="A")],
            "Two changes of process for A start in Jul-19. Declare each change once.",
        ),
        (
            [spc.Change(FIRST, FIRST + 12), spc.Change(FIRST + 6)],
            "The baseline Apr-19..Apr-20 for A runs past the change of process in Oct-19.",
        ),
        ([spc.Change(FIRST + 12, FIRST)], "The baseline Apr-20..Apr-19 ends before it starts."),
    ],
)
def test_changes_that_cannot_all_hold(changes, message):
    with pytest.raises(spc.SpcError) as caught:
        spc.analyse(frame([11.0] * 20), indicators(("A", "up", None)), changes=changes)
    assert str(caught.value).startswith(message)


def test_a_change_for_every_indicator_applies_to_each():
    both = frame([10.0, 12.0] * 10, key="A").vstack(frame([1.0, 3.0] * 10, key="B"))
    result = spc.analyse(
        both, indicators(("A", "up", None), ("B", "down", None)), changes=[spc.Change(FIRST + 5)]
    )
    for key in ("A", "B"):
        assert [s.start for s in result.facts(key).segments] == [None, FIRST + 5]


# -- too few months ---------------------------------------------------------------------------


def test_under_fifteen_months_no_limits_no_signals():
    # Fourteen months with an obvious run: still no limits, so nothing is said about it.
    result = run([10.0] * 7 + [20.0] * 7)
    facts = result.facts("A")
    assert facts.reason == "no control limits yet: they need 15 months, there are 14"
    assert (facts.limits, facts.signals, facts.variation) == (None, (), None)
    assert result.points.get_column("upper").null_count() == 14
    assert result.points.get_column("variation").null_count() == 14
    assert found(result) == []


def test_one_month_is_counted_in_the_singular():
    facts = run([10.0]).facts("A")
    assert facts.reason == "no control limits yet: they need 15 months, there is 1"


def test_an_indicator_with_no_months_is_listed_with_its_reason():
    result = spc.analyse(frame([11.0] * 15), indicators(("A", "up", None), ("B", "up", 5.0)))
    assert result.summary.get_column("key").to_list() == ["A", "B"]
    facts = result.facts("B")
    assert facts.reason == "no control limits yet: they need 15 months, there are none"
    assert (facts.segments, facts.latest) == ((), None)


def test_fifteen_months_with_no_two_in_a_row_have_no_moving_range():
    values: list[float | None] = []
    for v in [10.0, 12.0] * 8:
        values += [v, None]
    facts = run(values[:-1]).facts("A")
    assert facts.reason == "no two consecutive months to measure the month-to-month variation"


def test_inputs_that_are_a_programming_error():
    with pytest.raises(ValueError, match="values for indicators not in the indicator frame: Z"):
        spc.analyse(frame([1.0], key="Z"), indicators(("A", "up", None)))
    doubled = frame([1.0, 2.0]).vstack(frame([3.0]))
    with pytest.raises(ValueError, match="A has two values for Apr-19"):
        spc.analyse(doubled, indicators(("A", "up", None)))
    with pytest.raises(ValueError, match="unknown polarity 'upward'"):
        spc.analyse(frame([1.0]), indicators(("A", "upward", None)))


def test_a_month_given_twice_is_refused_when_only_the_latest_months_are_tested():
    """``latest_only`` tests the rules on the last months, but every month for repeats."""
    doubled = frame([float(i) for i in range(24)]).vstack(frame([3.0]))  # Apr-19, 23 back
    with pytest.raises(ValueError, match="A has two values for Apr-19"):
        spc.analyse(doubled, indicators(("A", "up", None)), latest_only=True)


def test_the_records_load_without_polars():
    import subprocess
    import sys

    code = (
        "import sys; from csckpi import spc; spc.settings(); spc.Variation('common cause'); "
        "print('polars' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_docs_list_every_column_of_every_frame():
    from conftest import ROOT

    text = (ROOT / "docs" / "spc.md").read_text(encoding="utf-8")
    result = run([10.0, 12.0] * 8, target=5.0)
    for name in ("points", "segments", "signals", "summary"):
        for column in getattr(result, name).columns:
            assert f"`{column}`" in text, f"docs/spc.md does not list {name}.{column}"
    for profile in spc.PROFILES:
        assert f"### `{profile}`" in text
    for kind in spc.RuleKind:
        assert kind.value in text
