"""The statistics of the evaluation reports: plain numbers in, plain numbers out
(no database, no Django), so each can be checked by hand.

Paired change (before → after) uses the Wilcoxon signed-rank test:

* Differences are `after - before`, one per delegate (a matched pair).
* **Zero differences are kept, by Pratt's method** (Pratt 1959): the absolute
  differences are ranked *with* the zeros (which take the lowest ranks), and the
  zeros' ranks are then left out of both rank sums. On a five-point scale many
  delegates give the same rating twice; Wilcoxon's original method drops them
  and so tests only those who moved, which overstates a change. Pratt's keeps
  every pair in the ranking and in N.
* Ties share the average of their ranks.
* Z comes from the normal approximation, with Cureton's adjustment of the mean
  and variance for the zeros and the usual correction for ties, and no
  continuity correction:

      mean     = n(n+1)/4 − z₀(z₀+1)/4
      variance = [n(n+1)(2n+1) − z₀(z₀+1)(2z₀+1) − ½ Σ(t³ − t)] / 24
      Z        = (W⁺ − mean) / √variance

  where n counts every pair (zeros included), z₀ the zero differences, W⁺ the
  sum of the ranks of the positive differences and t the size of each group of
  tied non-zero differences. This is what SciPy's
  `wilcoxon(..., zero_method="pratt", correction=False, method="approx")`
  computes; the tests check the two agree. Z is signed: positive when ratings
  went up.
* The p-value is two-sided, from the normal distribution.
* The effect size is r = Z / √N with N the number of pairs (zeros included),
  Rosenthal's r for paired data; by Cohen's rule of thumb 0.1 is small, 0.3
  medium and 0.5 large.
* With fewer than MIN_PAIRS pairs no test is run (the normal approximation is
  poor and no p-value could be trusted); nor when every difference is zero.
"""

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from statistics import mean, median

MIN_PAIRS = 10
SUPPRESS_BELOW = 5
ROUND_TO = 5


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n of `values` in their order, ties sharing the average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        rank = (start + end) / 2 + 1  # positions start..end hold ranks start+1..end+1
        for position in range(start, end + 1):
            ranks[order[position]] = rank
        start = end + 1
    return ranks


@dataclass(frozen=True)
class SignedRankTest:
    n: int  # pairs, zero differences included
    zeros: int
    w_plus: float
    w_minus: float
    mean: float
    variance: float
    z: float
    p_value: float
    r: float


def signed_rank_test(differences: Sequence[float]) -> SignedRankTest | None:
    """The Wilcoxon signed-rank test of `differences` (Pratt's treatment of
    zeros; see the module docstring). None when there is nothing to test:
    no pairs, or every difference zero."""
    n = len(differences)
    zeros = sum(1 for d in differences if d == 0)
    if n == 0 or zeros == n:
        return None
    ranks = average_ranks([abs(d) for d in differences])
    w_plus = sum(rank for rank, d in zip(ranks, differences, strict=True) if d > 0)
    w_minus = sum(rank for rank, d in zip(ranks, differences, strict=True) if d < 0)
    tie_sizes: dict[float, int] = {}
    for d in differences:
        if d != 0:
            tie_sizes[abs(d)] = tie_sizes.get(abs(d), 0) + 1
    tie_term = sum(t**3 - t for t in tie_sizes.values()) / 2
    expected = (n * (n + 1) - zeros * (zeros + 1)) / 4
    variance = (n * (n + 1) * (2 * n + 1) - zeros * (zeros + 1) * (2 * zeros + 1) - tie_term) / 24
    z = (w_plus - expected) / math.sqrt(variance)
    return SignedRankTest(
        n=n,
        zeros=zeros,
        w_plus=w_plus,
        w_minus=w_minus,
        mean=expected,
        variance=variance,
        z=z,
        p_value=math.erfc(abs(z) / math.sqrt(2)),
        r=z / math.sqrt(n),
    )


@dataclass(frozen=True)
class PairedChange:
    """Matched pairs before and after: how many, where they sat, how they moved."""

    n: int
    median_before: float | None
    median_after: float | None
    mean_change: float | None
    improved: int
    same: int
    worse: int
    test: SignedRankTest | None
    # Why there is no test, for the page to say: "too_few" or "no_change".
    no_test_reason: str = ""

    @property
    def percent_improved(self):
        return percent(self.improved, self.n)

    @property
    def percent_same(self):
        return percent(self.same, self.n)

    @property
    def percent_worse(self):
        return percent(self.worse, self.n)


def paired_change(pairs: Iterable[tuple[float, float]], *, min_pairs: int = MIN_PAIRS) -> PairedChange:
    """Summarise (before, after) pairs and test the change when there are enough."""
    pairs = list(pairs)
    if not pairs:
        return PairedChange(0, None, None, None, 0, 0, 0, None, "too_few")
    before = [b for b, _a in pairs]
    after = [a for _b, a in pairs]
    differences = [a - b for b, a in pairs]
    test, reason = None, ""
    if len(pairs) < min_pairs:
        reason = "too_few"
    else:
        test = signed_rank_test(differences)
        reason = "" if test else "no_change"
    return PairedChange(
        n=len(pairs),
        median_before=median(before),
        median_after=median(after),
        mean_change=mean(differences),
        improved=sum(1 for d in differences if d > 0),
        same=sum(1 for d in differences if d == 0),
        worse=sum(1 for d in differences if d < 0),
        test=test,
        no_test_reason=reason,
    )


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`; None when there is no whole."""
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float | None


def distribution(values: Iterable[Hashable], categories: Sequence[tuple[Hashable, str]]) -> list[Bar]:
    """How many of `values` fall in each (value, label) category, in order."""
    counts = {value: 0 for value, _label in categories}
    for value in values:
        if value in counts:
            counts[value] += 1
    total = sum(counts.values())
    return [Bar(label, counts[value], percent(counts[value], total)) for value, label in categories]


def suppress_small_counts(counts: dict, threshold: int = SUPPRESS_BELOW) -> dict:
    """Counts safe to publish: any from 1 to threshold − 1 becomes None (the
    page says "not shown"). Zero is shown: it says nobody, which identifies no
    one. Secondary suppression: more counts are hidden, the smallest first,
    until at least two are hidden and together they add up to at least the
    threshold and to more than one each, so that subtracting the shown counts
    from the total leaves a sum that several splits could make. When the total
    itself is under the threshold, or no choice of counts would do, everything
    is hidden."""
    total = sum(counts.values())
    if total < threshold:
        return {key: None for key in counts}
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    if not hidden:
        return dict(counts)
    shown = sorted((count, str(key), key) for key, count in counts.items() if key not in hidden and count > 0)
    for _count, _name, key in shown:
        if _safely_hidden(counts, hidden, threshold):
            break
        hidden.add(key)
    if not _safely_hidden(counts, hidden, threshold):
        return {key: None for key in counts}
    return {key: (None if key in hidden else count) for key, count in counts.items()}


def round_to_nearest(count: int | None, base: int = ROUND_TO) -> int | None:
    """A published count rounded to the nearest `base`, halves up (the Office
    for National Statistics' practice for small-area tables): a difference of
    two rounded figures no longer says exactly how many people one is. None
    (not shown) stays None and zero stays zero."""
    if count is None:
        return None
    return base * ((count + base // 2) // base) if count else 0


def _safely_hidden(counts: dict, hidden: set, threshold: int) -> bool:
    hidden_sum = sum(counts[key] for key in hidden)
    return len(hidden) >= 2 and hidden_sum >= threshold and hidden_sum > len(hidden)
