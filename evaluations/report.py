"""The evaluation report, assembled from plain answer rows (no queries here:
evaluations.selectors fetches the rows in a fixed number of queries).

A row is one answer with its frozen question's fields; see
selectors.ANSWER_FIELDS. Pre and post answers are matched per booking (one
delegate on one session), and per learning outcome by its text, so pairs are
only ever a delegate's own before and after."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Dimension, Key, Kind, QuestionStage, Respondent, Timing
from .statistics import Bar, PairedChange, distribution, paired_change, percent

GOOD_OR_BETTER = 3  # on Poor, Fair, Good, Very good, Excellent


@dataclass(frozen=True)
class Rates:
    """Responses against attendees (attended, arrived late or left early)."""

    attendees: int
    pre: int
    post: int
    follow_up: int
    line_manager: int

    @property
    def pre_percent(self):
        return percent(self.pre, self.attendees)

    @property
    def post_percent(self):
        return percent(self.post, self.attendees)

    @property
    def follow_up_percent(self):
        return percent(self.follow_up, self.attendees)


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    pre_post: PairedChange
    then_post: PairedChange

    @property
    def comparisons(self):
        return [(_("Pre-course → after"), self.pre_post), (_("Looking back → after"), self.then_post)]


@dataclass(frozen=True)
class OutcomeResult:
    outcome: str
    dimensions: list[DimensionResult]


@dataclass(frozen=True)
class Overall:
    """Respondents whose ratings, added over every outcome and dimension they
    rated both times, went up, stayed level or went down."""

    n: int
    increased: int
    same: int
    decreased: int

    @property
    def percent_increased(self):
        return percent(self.increased, self.n)


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart that is also its own data table: one row per
    category, one column (series) per group of answers."""

    title: str
    series: list[str]
    rows: list[tuple[str, list[Bar]]]
    totals: list[int]


@dataclass(frozen=True)
class ChoiceSummary:
    key: str
    question: str
    n: int
    bars: list[Bar]
    others: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Comment:
    answer_id: int
    question: str
    text: str
    quote: str | None
    # The delegate agreed that it may be quoted (see Response.may_quote).
    may_quote: bool = False


@dataclass(frozen=True)
class YesShare:
    n: int
    yes: int

    @property
    def percent_yes(self):
        return percent(self.yes, self.n)


@dataclass(frozen=True)
class Knowledge:
    pre_mean: float | None
    post_mean: float | None
    change: PairedChange


@dataclass(frozen=True)
class CourseHeadline:
    """A course's headline figures, for the programme report's table."""

    overall_pre_post: Overall
    trainer_good: YesShare
    share_learning: YesShare


@dataclass(frozen=True)
class EvaluationReport:
    rates: Rates
    outcomes: list[OutcomeResult]
    dimensions: list[DimensionResult]
    overall_pre_post: Overall
    overall_then_post: Overall
    rating_charts: list[Chart]
    trainer: ChoiceSummary | None
    trainer_good: YesShare
    relevance: ChoiceSummary | None
    share_learning: YesShare
    advice_sources: ChoiceSummary | None
    requirements_met: ChoiceSummary | None
    knowledge: Knowledge | None
    practice_changed: YesShare
    practice_examples: list[str]
    manager_seen_change: YesShare
    manager_examples: list[str]
    other_questions: list[ChoiceSummary]
    comments: list[Comment]
    course_headlines: dict[int, CourseHeadline]


def _mean(values):
    values = list(values)
    return sum(values) / len(values)


class _Rows:
    """The answer rows indexed once by question key and by kind, so each
    figure reads only the rows it needs."""

    def __init__(self, rows, options):
        self.all = rows
        self.options = options
        self.by_key = defaultdict(list)
        self.by_kind = defaultdict(list)
        for row in rows:
            self.by_key[row["key"]].append(row)
            self.by_kind[row["kind"]].append(row)

    def latest(self, key):
        """The newest wording of a question, by version, with its options."""
        matching = self.by_key.get(key)
        if not matching:
            return None
        row = max(matching, key=lambda row: (row["version_number"], row["position"]))
        return {**row, "options": self.options.get(row["question_id"], [])}


def _ratings(rows):
    """{booking: {"pre"|"now"|"then": {(outcome, dimension): rating}}}"""
    by_booking = defaultdict(lambda: {"pre": {}, "now": {}, "then": {}})
    for row in rows:
        if row["respondent"] != Respondent.DELEGATE or row["number"] is None:
            continue
        if row["question_stage"] == QuestionStage.PRE:
            slot = "pre"
        elif row["question_stage"] == QuestionStage.POST:
            slot = "then" if row["timing"] == Timing.THEN else "now"
        else:
            continue
        by_booking[row["booking_id"]][slot][(row["outcome"], row["dimension"])] = row["number"]
    return by_booking


def _pairs(ratings, before, items):
    """(before, after) for each booking that rated any of `items` both times:
    the mean of its ratings of those it did."""
    pairs = []
    for slots in ratings.values():
        common = [item for item in items if item in slots[before] and item in slots["now"]]
        if common:
            pairs.append((_mean(slots[before][i] for i in common), _mean(slots["now"][i] for i in common)))
    return pairs


def _overall(ratings, before) -> Overall:
    increased = same = decreased = 0
    for slots in ratings.values():
        common = [item for item in slots[before] if item in slots["now"]]
        if not common:
            continue
        change = sum(slots["now"][i] for i in common) - sum(slots[before][i] for i in common)
        increased += change > 0
        same += change == 0
        decreased += change < 0
    return Overall(increased + same + decreased, increased, same, decreased)


def _outcomes(outcome_rows, ratings) -> list[OutcomeResult]:
    # In the order of the newest questionnaire that asks about each outcome.
    newest = {}
    for row in outcome_rows:
        candidate = (row["version_number"], -row["position"])
        newest[row["outcome"]] = max(newest.get(row["outcome"], candidate), candidate)
    return [
        OutcomeResult(
            outcome,
            [
                DimensionResult(
                    dimension.label,
                    paired_change(_pairs(ratings, "pre", [(outcome, dimension.value)])),
                    paired_change(_pairs(ratings, "then", [(outcome, dimension.value)])),
                )
                for dimension in Dimension
            ],
        )
        for outcome in sorted(newest, key=lambda outcome: (-newest[outcome][0], -newest[outcome][1]))
    ]


def _dimensions(ratings) -> list[DimensionResult]:
    """Each dimension over every outcome: one pair per delegate, the mean of
    their ratings (pairs must be independent for the test)."""
    items = {item for slots in ratings.values() for slot in slots.values() for item in slot}
    results = []
    for dimension in Dimension:
        mine = [item for item in items if item[1] == dimension.value]
        results.append(
            DimensionResult(
                dimension.label,
                paired_change(_pairs(ratings, "pre", mine)),
                paired_change(_pairs(ratings, "then", mine)),
            )
        )
    return results


def _rating_charts(outcome_rows, labels) -> list[Chart]:
    series = [
        (str(_("Before the course")), QuestionStage.PRE, Timing.NOW),
        (str(_("Before, looking back")), QuestionStage.POST, Timing.THEN),
        (str(_("After the course")), QuestionStage.POST, Timing.NOW),
    ]
    values = defaultdict(list)
    for row in outcome_rows:
        values[(row["dimension"], row["question_stage"], row["timing"])].append(row["number"])
    charts = []
    for dimension in Dimension:
        columns = [
            distribution(values[(dimension.value, stage, timing)], list(enumerate(labels, start=1)))
            for _name, stage, timing in series
        ]
        charts.append(
            Chart(
                title=str(_("%(dimension)s, every learning outcome") % {"dimension": dimension.label}),
                series=[name for name, _stage, _timing in series],
                rows=[(label, [column[index] for column in columns]) for index, label in enumerate(labels)],
                totals=[sum(bar.count for bar in column) for column in columns],
            )
        )
    return charts


def _choice_summary(rows: _Rows, key) -> ChoiceSummary | None:
    latest = rows.latest(key)
    if latest is None:
        return None
    answers = rows.by_key[key]
    if latest["kind"] == Kind.RATING:
        bars = distribution([row["number"] for row in answers], list(enumerate(latest["options"], start=1)))
        return ChoiceSummary(key, latest["question_text"], len(answers), bars)
    if latest["kind"] == Kind.YES_NO:
        bars = distribution([row["number"] for row in answers], [(1, str(_("Yes"))), (0, str(_("No")))])
        return ChoiceSummary(key, latest["question_text"], len(answers), bars)
    counts = Counter(choice for row in answers for choice in row["choices"])
    labels = list(latest["options"]) + [label for label in counts if label not in latest["options"]]
    if latest["kind"] == Kind.MULTIPLE_CHOICE:
        # Several answers each: sorted by how often chosen, as a share of respondents.
        labels.sort(key=lambda label: -counts[label])
    bars = [Bar(label, counts[label], percent(counts[label], len(answers))) for label in labels]
    others = [row["text"] for row in answers if row["text"]]
    return ChoiceSummary(key, latest["question_text"], len(answers), bars, others)


def _yes_share(key_rows) -> YesShare:
    answers = [row["number"] for row in key_rows if row["number"] is not None]
    return YesShare(len(answers), sum(1 for number in answers if number == 1))


def _trainer_good(key_rows) -> YesShare:
    ratings = [row["number"] for row in key_rows if row["number"]]
    return YesShare(len(ratings), sum(1 for number in ratings if number >= GOOD_OR_BETTER))


def _knowledge(knowledge_rows) -> Knowledge | None:
    scores = defaultdict(dict)  # booking -> stage -> [correct, asked]
    for row in knowledge_rows:
        if row["respondent"] != Respondent.DELEGATE:
            continue
        tally = scores[row["booking_id"]].setdefault(row["question_stage"], [0, 0])
        tally[0] += bool(row["is_correct"])
        tally[1] += 1
    if not scores:
        return None

    def score(tally):
        return 100 * tally[0] / tally[1]

    pre = [score(stages[QuestionStage.PRE]) for stages in scores.values() if QuestionStage.PRE in stages]
    post = [score(stages[QuestionStage.POST]) for stages in scores.values() if QuestionStage.POST in stages]
    pairs = [
        (score(stages[QuestionStage.PRE]), score(stages[QuestionStage.POST]))
        for stages in scores.values()
        if QuestionStage.PRE in stages and QuestionStage.POST in stages
    ]
    return Knowledge(_mean(pre) if pre else None, _mean(post) if post else None, paired_change(pairs))


def _course_headlines(rows: _Rows) -> dict[int, CourseHeadline]:
    by_course = defaultdict(lambda: defaultdict(list))
    for key in (Key.OUTCOME, Key.TRAINER_RATING, Key.SHARE_LEARNING):
        for row in rows.by_key.get(key, []):
            by_course[row["course_id"]][key].append(row)
    return {
        course_id: CourseHeadline(
            _overall(_ratings(course[Key.OUTCOME]), "pre"),
            _trainer_good(course[Key.TRAINER_RATING]),
            _yes_share(course[Key.SHARE_LEARNING]),
        )
        for course_id, course in by_course.items()
    }


def _texts(key_rows):
    return [row["text"] for row in key_rows if row["text"]]


def build_report(
    *,
    rates: Rates,
    rows: list[dict],
    options: dict[int, list[str]],
    rating_labels: list[str],
    by_outcome: bool = True,
    by_course: bool = False,
) -> EvaluationReport:
    """The whole report from the answer rows of the sessions in scope and the
    `options` ({question id: labels}) of the newest version of each question.
    `by_outcome` adds each learning outcome's results (a course's or a
    session's report; a programme's outcomes are all different);
    `by_course` each course's headline figures (the programme's)."""
    indexed = _Rows(rows, options)
    outcome_rows = indexed.by_key.get(Key.OUTCOME, [])
    ratings = _ratings(outcome_rows)
    reserved = set(Key.RESERVED) | {Key.OUTCOME}
    custom_keys = [
        key
        for key, key_rows in indexed.by_key.items()
        if key not in reserved and key_rows[0]["kind"] not in (Kind.KNOWLEDGE, Kind.SHORT_TEXT, Kind.LONG_TEXT)
    ]
    texts = indexed.by_kind.get(Kind.SHORT_TEXT, []) + indexed.by_kind.get(Kind.LONG_TEXT, [])
    return EvaluationReport(
        rates=rates,
        outcomes=_outcomes(outcome_rows, ratings) if by_outcome else [],
        dimensions=_dimensions(ratings),
        overall_pre_post=_overall(ratings, "pre"),
        overall_then_post=_overall(ratings, "then"),
        rating_charts=_rating_charts(outcome_rows, rating_labels),
        trainer=_choice_summary(indexed, Key.TRAINER_RATING),
        trainer_good=_trainer_good(indexed.by_key.get(Key.TRAINER_RATING, [])),
        relevance=_choice_summary(indexed, Key.RELEVANCE),
        share_learning=_yes_share(indexed.by_key.get(Key.SHARE_LEARNING, [])),
        advice_sources=_choice_summary(indexed, Key.ADVICE_SOURCES),
        requirements_met=_choice_summary(indexed, Key.REQUIREMENTS_MET),
        knowledge=_knowledge(indexed.by_kind.get(Kind.KNOWLEDGE, [])),
        practice_changed=_yes_share(indexed.by_key.get(Key.PRACTICE_CHANGED, [])),
        practice_examples=_texts(indexed.by_key.get(Key.PRACTICE_EXAMPLES, [])),
        manager_seen_change=_yes_share(indexed.by_key.get(Key.MANAGER_SEEN_CHANGE, [])),
        manager_examples=_texts(indexed.by_key.get(Key.MANAGER_EXAMPLES, [])),
        other_questions=[_choice_summary(indexed, key) for key in custom_keys],
        comments=[
            Comment(row["answer_id"], row["question_text"], row["text"], row["quote_text"], row["may_quote"])
            for row in sorted(texts, key=lambda row: row["answer_id"])
            if row["text"]
        ],
        course_headlines=_course_headlines(indexed) if by_course else {},
    )
