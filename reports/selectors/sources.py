"""Evaluation and e-learning figures for the uptake reports, from those apps'
own selectors (the reports never copy their logic)."""

from core.periods import Period

from ..definitions import rate

# --- evaluation and e-learning, from their own apps ----------------------------------------

EMPTY_EVALUATION: dict = {}


def evaluation_headlines(period: Period, course_ids) -> dict[int, dict]:
    """{course id: headline evaluation figures} for the courses given, from the
    evaluations app's programme course headlines and its per-course table (two
    queries, whatever the number of courses). Shares are rounded like every
    other rate here; None when nobody answered."""
    from evaluations.selectors import programme_course_headlines, result_courses

    wanted = set(course_ids)
    if not wanted:
        return {}
    rows = result_courses(period, programme_course_headlines(period))
    return {row["session__course_id"]: evaluation_headline(row) for row in rows if row["session__course_id"] in wanted}


def evaluation_headline(row: dict) -> dict:
    """The figures the annual report quotes, from a row of evaluations.selectors.result_courses."""
    headline = row["headline"]

    def share(part, whole):
        return rate(part, whole) if headline is not None else None

    return {
        "responses": row["post"],
        "response_rate": rate(row["post"], row["attendees"]),
        "knowledge_increased_rate": share(
            headline and headline.overall_pre_post.increased, headline and headline.overall_pre_post.n
        ),
        "trainer_good_or_better_rate": share(
            headline and headline.trainer_good.yes, headline and headline.trainer_good.n
        ),
        "share_learning_rate": share(headline and headline.share_learning.yes, headline and headline.share_learning.n),
    }


ROLE_NOT_RECORDED = "not_recorded"
ROLE_UNMATCHED = "not_one_of_our_roles"


def elearning_summary(period: Period) -> dict:
    """Completions in the period, different people, and completions by module
    (title) and by the job role recorded with each completion (its value, or
    not_one_of_our_roles / not_recorded), from the e-learning app's period
    figures (its report without the agency, sector and year tables)."""
    from elearning.selectors import elearning_period_figures

    report = elearning_period_figures(period=period)

    def role(row):
        if row["job_role"]:
            return row["job_role"]
        return ROLE_UNMATCHED if row["free_text"] else ROLE_NOT_RECORDED

    return {
        "completions": report.totals["completions"],
        "individuals": report.totals["people"],
        "by_module": {row["module_title"]: row["completions"] for row in report.by_module},
        "by_role": {role(row): row["completions"] for row in report.by_role},
        "by_role_labels": {role(row): str(row["role"]) for row in report.by_role},
    }
