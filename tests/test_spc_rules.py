"""Each rule of the Making Data Count profile on a hand-computed series, including the mistakes
other SPC tools make: two of three with points on both sides of the mean, a trend judged by its
side of the mean, a trend that crosses the mean broken in two.

Most series follow the sixteen-month BASELINE of tests/spc_data.py (mean 11, mR-bar 2, limits
5.68 and 16.32, 2-sigma lines 7.4533 and 14.5467), so the limits are known whatever follows.
"""

from __future__ import annotations

import pytest
from spc_data import (
    BASELINE,
    LOWER,
    LOWER_2S,
    UPPER,
    UPPER_2S,
    after_baseline,
    found,
    run,
)

from csckpi import spc

N = len(BASELINE)


def test_limits_by_hand_from_every_month():
    # 10, 12 seven times, then 11: mean 165 / 15 = 11; moving ranges 13 x 2 and |11 - 12| = 1,
    # so mR-bar = 27 / 14; limits 11 ± 2.66 x 27/14; 2-sigma lines two thirds of the way out.
    result = run([10.0, 12.0] * 7 + [11.0])
    facts = result.facts("A")
    limits = facts.limits
    assert limits is not None
    assert limits.mean == pytest.approx(11.0)
    assert limits.moving_range == pytest.approx(27 / 14)
    assert limits.upper == pytest.approx(11 + 2.66 * 27 / 14)
    assert limits.lower == pytest.approx(11 - 2.66 * 27 / 14)
    assert limits.upper_2sigma == pytest.approx(11 + 2 / 3 * 2.66 * 27 / 14)
    assert limits.lower_2sigma == pytest.approx(11 - 2 / 3 * 2.66 * 27 / 14)
    assert facts.signals == ()
    assert facts.variation is spc.Variation.COMMON_CAUSE
    assert facts.reason is None
    ranges = result.points.get_column("moving_range").to_list()
    assert ranges == [None] + [2.0] * 13 + [1.0]


def test_the_baseline_gives_the_limits_every_later_month_is_judged_by():
    result = run([11.0] * 3, baseline=True)
    limits = result.facts("A").limits
    assert limits is not None
    assert (limits.mean, limits.moving_range) == pytest.approx((11.0, 2.0))
    assert (limits.lower, limits.upper) == pytest.approx((LOWER, UPPER))
    assert (limits.lower_2sigma, limits.upper_2sigma) == pytest.approx((LOWER_2S, UPPER_2S))
    points = result.points
    assert points.get_column("basis").to_list() == [True] * N + [False] * 3
    assert points.get_column("upper").n_unique() == 1
    # The moving range into the first month after the baseline is shown, not counted.
    assert points.get_column("moving_range").to_list()[N] == pytest.approx(1.0)


# -- a point outside the limits -----------------------------------------------------------------


def test_a_point_above_the_upper_limit():
    result = run([11.0, 17.0, 11.0], baseline=True)
    assert after_baseline(found(result)) == [("outside limits", "high", [1])]
    assert result.facts("A").signals[0].judgement is spc.Judgement.IMPROVEMENT


def test_a_point_below_the_lower_limit_is_a_concern_when_higher_is_better():
    result = run([11.0, 5.0], baseline=True)
    facts = result.facts("A")
    assert after_baseline(found(result)) == [("outside limits", "low", [1])]
    assert facts.variation is spc.Variation.CONCERN
    assert facts.variation_rule is spc.RuleKind.OUTSIDE


def test_a_point_on_a_limit_is_not_outside_it():
    assert found(run([11.0, UPPER, 11.0, LOWER], baseline=True)) == []


def test_neighbouring_points_beyond_the_same_limit_are_one_signal():
    result = run([17.0, 18.0, 11.0, 17.5], baseline=True)
    assert after_baseline(found(result)) == [
        ("outside limits", "high", [0, 1]),
        ("outside limits", "high", [3]),
    ]


# -- a shift -------------------------------------------------------------------------------------


def test_seven_points_above_the_mean_are_a_shift():
    result = run([12.0] * 7, baseline=True)
    assert after_baseline(found(result)) == [("shift", "high", [0, 1, 2, 3, 4, 5, 6])]


def test_six_points_are_not_a_shift():
    assert found(run([12.0] * 6 + [10.0], baseline=True)) == []


def test_a_point_on_the_mean_breaks_the_run():
    # 3 above, one on the mean (11), 4 above: two runs, neither of 7.
    assert found(run([12.0] * 3 + [11.0] + [12.0] * 4, baseline=True)) == []


def test_a_missing_month_breaks_the_run():
    # 3 above, a month with no value, 4 above: seven points, but not seven months in a row.
    assert found(run([12.0] * 3 + [None] + [12.0] * 4, baseline=True)) == []


def test_a_shift_below_the_mean_is_an_improvement_when_lower_is_better():
    result = run([10.0] * 8, baseline=True, polarity="down")
    # The baseline's last month (10) is below the mean too: the run has nine points.
    assert after_baseline(found(result)) == [("shift", "low", list(range(-1, 8)))]
    assert result.facts("A").variation is spc.Variation.IMPROVEMENT


def test_the_shift_length_can_be_six():
    result = run([12.0] * 6 + [10.0], baseline=True, shift=6)
    assert after_baseline(found(result)) == [("shift", "high", [0, 1, 2, 3, 4, 5])]


# -- a trend ---------------------------------------------------------------------------------------


def test_seven_rising_points_counting_both_ends_are_a_trend():
    # The baseline's last month (10) starts it: 10, 10.5, 11.5, 12, 12.5, 13, 13.5.
    result = run([10.5, 11.5, 12.0, 12.5, 13.0, 13.5, 12.0], baseline=True)
    assert after_baseline(found(result)) == [("trend", "high", [-1, 0, 1, 2, 3, 4, 5])]


def test_six_rising_points_are_not_a_trend():
    assert found(run([10.5, 11.5, 12.0, 12.5, 13.0, 12.0], baseline=True)) == []


def test_an_equal_value_breaks_a_trend():
    # 9, 9.5, 10, 10, 10.5, 11.5, 12, 12.5: the repeated 10 splits it into 3 and 5 points.
    assert found(run([9.0, 9.5, 10.0, 10.0, 10.5, 11.5, 12.0, 12.5], baseline=True)) == []


def test_a_rising_trend_that_crosses_the_mean_is_one_improving_trend():
    # 9, 9.5, 10, 10.5 below the mean, 11.5, 12, 12.5 above: one trend of seven, not two short
    # runs either side of the mean. (10 -> 9 before it is a fall, so it starts at 9.)
    result = run([9.0, 9.5, 10.0, 10.5, 11.5, 12.0, 12.5], baseline=True)
    assert after_baseline(found(result)) == [("trend", "high", [0, 1, 2, 3, 4, 5, 6])]
    facts = result.facts("A")
    assert facts.signals[0].judgement is spc.Judgement.IMPROVEMENT
    assert facts.variation is spc.Variation.IMPROVEMENT


def test_a_falling_trend_above_the_mean_is_a_concern_however_high_it_is():
    # 14 ... 11.5 above the mean, 10.5 below: seven falling points. Higher is better, the
    # points are (mostly) above average, and it is still a concern: direction decides.
    result = run([14.0, 13.5, 13.0, 12.5, 12.0, 11.5, 10.5], baseline=True)
    assert after_baseline(found(result)) == [("trend", "low", [0, 1, 2, 3, 4, 5, 6])]
    facts = result.facts("A")
    assert facts.signals[0].judgement is spc.Judgement.CONCERN
    assert facts.variation is spc.Variation.CONCERN


def test_a_falling_trend_is_an_improvement_when_lower_is_better():
    result = run([14.0, 13.5, 13.0, 12.5, 12.0, 11.5, 10.5], baseline=True, polarity="down")
    assert result.facts("A").signals[0].judgement is spc.Judgement.IMPROVEMENT


def test_a_peak_between_two_trends_belongs_to_both_and_is_coloured_by_the_one_it_starts():
    rise = [10.5, 11.0, 11.5, 12.0, 12.5, 13.0]  # from the baseline's 10: seven rising
    fall = [12.5, 12.0, 11.5, 11.0, 10.5, 10.2]  # from 13: seven falling
    result = run(rise + fall, baseline=True)
    trends = [s for s in found(result) if s[0] == "trend"]
    assert after_baseline(trends) == [
        ("trend", "high", [-1, 0, 1, 2, 3, 4, 5]),
        ("trend", "low", [5, 6, 7, 8, 9, 10, 11]),
    ]
    peak = result.points.row(N + 5, named=True)
    assert (peak["value"], peak["rule"], peak["side"]) == (13.0, "trend", "low")


def test_the_trend_length_can_be_eight():
    values = [10.5, 11.5, 12.0, 12.5, 13.0, 13.5, 12.0]  # seven points with the baseline's 10
    assert found(run(values, baseline=True, trend=8)) == []


# -- two of three beyond a 2-sigma line ------------------------------------------------------------


def test_two_of_three_beyond_the_upper_2sigma_line_all_above_the_mean():
    # 15 and 15 beyond 14.55; 14 is not, but is above the mean: a signal, in the two 15s.
    result = run([15.0, 14.0, 15.0, 11.0], baseline=True)
    assert after_baseline(found(result)) == [("two of three", "high", [0, 2])]


def test_two_of_three_with_a_point_below_the_mean_is_no_signal():
    # The mistake: 15 and 15 beyond the line, 10 between them below the mean.
    assert found(run([15.0, 10.0, 15.0, 11.0], baseline=True)) == []


def test_western_electric_counts_two_of_three_whatever_the_third_point():
    # Its handbook asks only that the two points be beyond the same 2-sigma line.
    result = run([15.0, 10.0, 15.0, 11.0], baseline=True, rules="western-electric")
    assert after_baseline(found(result)) == [("two of three", "high", [0, 2])]


def test_points_beyond_opposite_2sigma_lines_are_never_two_of_three():
    for rules in spc.PROFILES:
        assert found(run([15.0, 7.0, 11.0, 15.0, 7.0], baseline=True, rules=rules)) == [], rules


def test_a_point_beyond_the_limit_counts_beyond_the_2sigma_line():
    # 17 is outside the limit and beyond the 2-sigma line; with 15 that is two of three.
    result = run([17.0, 15.0, 12.0, 11.0], baseline=True)
    assert after_baseline(found(result)) == [
        ("outside limits", "high", [0]),
        ("two of three", "high", [0, 1]),
    ]
    # mdc-tools counts only points between the line and the limit, as the MDC SQL query does.
    tools = run([17.0, 15.0, 12.0, 11.0], baseline=True, rules="mdc-tools")
    assert after_baseline(found(tools)) == [("outside limits", "high", [0])]


def test_overlapping_windows_make_one_signal():
    result = run([15.0, 15.0, 15.0, 12.0, 11.0], baseline=True)
    assert after_baseline(found(result)) == [("two of three", "high", [0, 1, 2])]


def test_the_third_point_of_two_of_three_is_not_special_cause():
    # The latest month (14: above the mean, not beyond the line) completes the window but is
    # not one of the two points beyond it, so the icon is common cause.
    facts = run([15.0, 15.0, 14.0], baseline=True).facts("A")
    assert [s.kind for s in facts.signals] == [spc.RuleKind.TWO_OF_THREE]
    assert facts.variation is spc.Variation.COMMON_CAUSE


# -- western electric: four of five beyond 1 sigma, eight in a row ---------------------------------


def test_four_of_five_beyond_the_1sigma_line():
    # The 1-sigma line is 12.7733: 13, 13, 12, 13, 13 has four beyond it.
    result = run([13.0, 13.0, 12.0, 13.0, 13.0, 10.0], baseline=True, rules="western-electric")
    assert after_baseline(found(result)) == [("four of five", "high", [0, 1, 3, 4])]


def test_western_electric_needs_eight_in_a_row_and_has_no_trend():
    seven = run([12.0] * 7 + [10.0], baseline=True, rules="western-electric")
    assert found(seven) == []
    eight = run([12.0] * 8, baseline=True, rules="western-electric")
    assert after_baseline(found(eight)) == [("shift", "high", list(range(8)))]
    rising = [10.5, 11.0, 11.2, 11.4, 11.6, 11.8, 10.0]
    assert found(run(rising, baseline=True, rules="western-electric")) == []


# -- which signal decides the icon -----------------------------------------------------------------


def test_the_latest_month_decides_the_variation_icon():
    # An early point outside the limits; the latest month is common cause.
    facts = run([17.0, 11.0, 12.0], baseline=True).facts("A")
    assert [s.kind for s in facts.signals] == [spc.RuleKind.OUTSIDE]
    assert facts.variation is spc.Variation.COMMON_CAUSE
    assert facts.variation_rule is None


def test_a_month_in_an_improving_and_a_concerning_pattern_is_a_conflict():
    # Seven falling points, all above the mean: a falling trend (concern) and a shift above
    # the mean (improvement). The trend comes first in Making Data Count's order.
    values = [14.0, 13.5, 13.0, 12.5, 12.2, 12.1, 11.5]
    facts = run(values, baseline=True).facts("A")
    kinds = {(s.kind, s.judgement) for s in facts.signals}
    assert kinds == {
        (spc.RuleKind.TREND, spc.Judgement.CONCERN),
        (spc.RuleKind.SHIFT, spc.Judgement.IMPROVEMENT),
    }
    assert facts.conflict is True
    assert facts.variation is spc.Variation.CONCERN
    assert facts.variation_rule is spc.RuleKind.TREND


def test_polarity_none_is_special_cause_high_or_low_without_judgement():
    facts = run([12.0] * 7, baseline=True, polarity="none").facts("A")
    assert facts.variation is spc.Variation.NEITHER
    assert facts.variation_side is spc.Side.HIGH
    assert facts.signals[0].judgement is spc.Judgement.NEITHER
    assert facts.conflict is False


# -- assurance against the target ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        ("up", 5.0, spc.Assurance.PASSING),  # below the lower limit: every month meets it
        ("up", LOWER, spc.Assurance.PASSING),  # on the limit: counted as beyond it
        ("up", 11.0, spc.Assurance.HIT_AND_MISS),
        ("up", UPPER, spc.Assurance.FAILING),
        ("up", 17.0, spc.Assurance.FAILING),
        ("down", 17.0, spc.Assurance.PASSING),
        ("down", UPPER, spc.Assurance.PASSING),
        ("down", 11.0, spc.Assurance.HIT_AND_MISS),
        ("down", LOWER, spc.Assurance.FAILING),
        ("none", 11.0, None),
        ("up", None, None),
    ],
)
def test_assurance(polarity, target, expected):
    facts = run([11.0], baseline=True, polarity=polarity, target=target).facts("A")
    assert facts.assurance is expected


def test_no_assurance_without_limits():
    assert run([11.0] * 5, target=5.0).facts("A").assurance is None
