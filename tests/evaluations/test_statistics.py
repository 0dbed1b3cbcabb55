"""The report statistics against examples worked by hand, including ties and
zero differences, and against SciPy's Wilcoxon signed-rank test."""

import itertools
import math
import random

import pytest
from scipy.stats import wilcoxon

from evaluations.statistics import (
    average_ranks,
    distribution,
    paired_change,
    percent,
    signed_rank_test,
    suppress_small_counts,
)

# Ten delegates' ratings before and after: two did not change (zero
# differences), and the changes of 1 and 2 are tied four and three times.
BEFORE = [2, 3, 1, 4, 3, 2, 1, 5, 3, 2]
AFTER = [3, 4, 3, 4, 2, 4, 4, 5, 4, 4]
# differences  +1 +1 +2  0 -1 +2 +3  0 +1 +2


def test_ties_share_the_average_of_their_ranks():
    assert average_ranks([2, 1, 2, 3]) == [2.5, 1.0, 2.5, 4.0]
    assert average_ranks([0, 0, 1, 1, 1, 1, 2, 2, 2, 3]) == [1.5, 1.5, 4.5, 4.5, 4.5, 4.5, 8, 8, 8, 10]


def test_signed_rank_test_by_hand_with_ties_and_zero_differences():
    # |d| ranked with the zeros (Pratt): 0,0 -> 1.5 each; the four 1s -> 4.5;
    # the three 2s -> 8; the 3 -> 10. The zeros' ranks then drop out.
    # W+ = 3 x 4.5 + 3 x 8 + 10 = 47.5 and W- = 4.5 (the one -1).
    # mean     = (10*11 - 2*3) / 4                                    = 26
    # variance = (10*11*21 - 2*3*5 - ((4**3 - 4) + (3**3 - 3)) / 2) / 24 = 2238 / 24 = 93.25
    # Z        = (47.5 - 26) / sqrt(93.25)                            = 2.2265
    differences = [a - b for b, a in zip(BEFORE, AFTER, strict=True)]

    test = signed_rank_test(differences)

    assert (test.n, test.zeros) == (10, 2)
    assert (test.w_plus, test.w_minus) == (47.5, 4.5)
    assert test.mean == 26
    assert test.variance == 93.25
    assert test.z == pytest.approx(21.5 / math.sqrt(93.25))
    assert test.z == pytest.approx(2.2265, abs=1e-4)
    assert test.r == pytest.approx(test.z / math.sqrt(10))
    assert test.r == pytest.approx(0.7041, abs=1e-4)
    assert test.p_value == pytest.approx(0.0260, abs=1e-4)


def test_signed_rank_test_by_hand_without_ties():
    # |d| = 3,1,4,2,5 rank as themselves; W+ = 3+4+2+5 = 14, W- = 1.
    # mean = 5*6/4 = 7.5; variance = 5*6*11/24 = 13.75; Z = 6.5 / sqrt(13.75).
    test = signed_rank_test([3, -1, 4, 2, 5])

    assert (test.w_plus, test.w_minus, test.mean, test.variance) == (14, 1, 7.5, 13.75)
    assert test.z == pytest.approx(6.5 / math.sqrt(13.75))


def test_a_fall_gives_a_negative_z_and_effect_size():
    test = signed_rank_test([-3, 1, -4, -2, -5])

    assert test.z == pytest.approx(-6.5 / math.sqrt(13.75))
    assert test.r < 0


def test_nothing_to_test_when_every_difference_is_zero_or_there_are_none():
    assert signed_rank_test([0, 0, 0]) is None
    assert signed_rank_test([]) is None


def test_agrees_with_scipy_pratt_on_the_worked_example():
    ours = signed_rank_test([a - b for b, a in zip(BEFORE, AFTER, strict=True)])

    theirs = wilcoxon(AFTER, BEFORE, zero_method="pratt", correction=False, method="approx")

    assert abs(ours.z) == pytest.approx(abs(theirs.zstatistic))
    assert ours.p_value == pytest.approx(theirs.pvalue)
    assert min(ours.w_plus, ours.w_minus) == pytest.approx(theirs.statistic)


def test_zero_differences_are_kept_not_dropped():
    """Pratt's method differs from Wilcoxon's original, which drops the zeros:
    the report states it uses Pratt's."""
    ours = signed_rank_test([a - b for b, a in zip(BEFORE, AFTER, strict=True)])

    dropped = wilcoxon(AFTER, BEFORE, zero_method="wilcox", correction=False, method="approx")

    assert abs(ours.z) != pytest.approx(abs(dropped.zstatistic))


@pytest.mark.parametrize("seed", range(25))
def test_agrees_with_scipy_on_random_five_point_ratings(seed):
    rng = random.Random(seed)
    n = rng.randint(10, 60)
    before = [rng.randint(1, 5) for _ in range(n)]
    after = [min(5, max(1, b + rng.choice([-1, 0, 0, 1, 1, 2]))) for b in before]
    if before == after:
        pytest.skip("no change to test")

    ours = signed_rank_test([a - b for b, a in zip(before, after, strict=True)])
    theirs = wilcoxon(after, before, zero_method="pratt", correction=False, method="approx")

    assert abs(ours.z) == pytest.approx(abs(theirs.zstatistic), rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)


def test_paired_change_summarises_the_worked_example():
    change = paired_change(zip(BEFORE, AFTER, strict=True))

    assert change.n == 10
    assert (change.median_before, change.median_after) == (2.5, 4)
    assert change.mean_change == pytest.approx(1.1)
    assert (change.improved, change.same, change.worse) == (7, 2, 1)
    assert (change.percent_improved, change.percent_same, change.percent_worse) == (70, 20, 10)
    assert change.test.z == pytest.approx(2.2265, abs=1e-4)
    assert change.no_test_reason == ""


def test_too_few_pairs_are_summarised_but_not_tested():
    change = paired_change([(1, 3), (2, 4), (3, 3)])

    assert change.n == 3
    assert change.test is None
    assert change.no_test_reason == "too_few"
    assert change.improved == 2


def test_no_change_at_all_is_said_rather_than_tested():
    change = paired_change([(3, 3)] * 12)

    assert change.test is None
    assert change.no_test_reason == "no_change"
    assert change.percent_same == 100


def test_no_pairs():
    change = paired_change([])

    assert (change.n, change.median_before, change.mean_change, change.percent_improved) == (0, None, None, None)


def test_percent_of_nothing_is_no_figure():
    assert percent(1, 4) == 25
    assert percent(0, 0) is None


def test_distribution_counts_each_category_in_order():
    bars = distribution([1, 3, 3, 5, 9], [(1, "Poor"), (2, "Fair"), (3, "Good"), (4, "Very good"), (5, "Excellent")])

    assert [(bar.label, bar.count) for bar in bars] == [
        ("Poor", 1), ("Fair", 0), ("Good", 2), ("Very good", 0), ("Excellent", 1)
    ]
    assert bars[2].percent == 50


def test_small_counts_are_hidden_and_one_hidden_count_takes_another_with_it():
    assert suppress_small_counts({"a": 10, "b": 3, "c": 7}) == {"a": 10, "b": None, "c": None}


def test_two_small_counts_hide_each_other_and_zero_is_shown():
    assert suppress_small_counts({"a": 10, "b": 3, "c": 2, "d": 0}) == {"a": 10, "b": None, "c": None, "d": 0}


def test_counts_of_five_or_more_are_shown():
    assert suppress_small_counts({"a": 5, "b": 5, "c": 0}) == {"a": 5, "b": 5, "c": 0}


def test_fewer_than_five_in_all_hides_everything():
    assert suppress_small_counts({"a": 4, "b": 0}) == {"a": None, "b": None}


def test_two_ones_are_not_left_as_the_only_hidden_counts():
    # Hidden 1 and 1 with the total known would add up to 2, which only 1 + 1 makes.
    assert suppress_small_counts({"a": 1, "b": 1, "c": 12}) == {"a": None, "b": None, "c": None}


def _splits(total: int, parts: int, lowest: int):
    """Every way of writing `total` as `parts` counts of at least `lowest`."""
    if parts == 1:
        return [(total,)] if total >= lowest else []
    return [(first, *rest) for first in range(lowest, total + 1) for rest in _splits(total - first, parts - 1, lowest)]


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_no_hidden_count_can_be_worked_out_from_the_total_and_the_shown_counts(threshold):
    """Whoever knows the total, every shown count and that a hidden count is
    not zero (zeros are shown) still finds at least two values each hidden
    count could have, for every table of four answers up to 10 each. (When
    everything is hidden, zeros are too, so a hidden count may be 0.)"""
    keys = ("a", "b", "c", "d")
    for values in itertools.product(range(11), repeat=len(keys)):
        shown = suppress_small_counts(dict(zip(keys, values, strict=True)), threshold)
        hidden = [key for key in keys if shown[key] is None]
        if not hidden or sum(values) < threshold:
            continue  # nothing hidden, or everything (the total itself is small)
        left = sum(values) - sum(count for count in shown.values() if count is not None)
        splits = _splits(left, len(hidden), lowest=0 if len(hidden) == len(keys) else 1)
        for position, key in enumerate(hidden):
            assert len({split[position] for split in splits}) >= 2, (values, key)
        assert left >= threshold, values  # nor is the hidden group together a small one
