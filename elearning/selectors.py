"""Every e-learning read that is more than a get: the catalogue, a delegate's
progress and training record, and the e-learning report's aggregates (a fixed
number of queries whatever the number of completions)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import JobRole, Sector
from bookings.selectors import bookings_for_user
from certificates.models import Certificate
from core.http import not_found_for
from core.periods import Period, financial_year_label
from core.periods import financial_year as financial_year  # re-exported: the demo seed and tests use it from here
from courses.models import CourseLevel

from .models import Attempt, Completion, CompletionImport, Module, ModulePage, ModuleProgress

# --- the catalogue and taking a module ----------------------------------------------


def catalogue_modules(user=None) -> list[Module]:
    """Published modules, Level 1 first, each with its page count and, for a
    signed-in delegate, `pages_read` and `last_completed_on`."""
    modules = list(
        Module.objects.filter(is_published=True).order_by("level", "title")
    )
    progress, completed = {}, {}
    if user is not None and user.is_authenticated:
        progress = dict(ModuleProgress.objects.filter(user=user).values_list("module_id", "pages_read"))
        for module_id, completed_on in Completion.objects.filter(user=user).order_by("completed_on").values_list(
            "module_id", "completed_on"
        ):
            completed[module_id] = completed_on
    levels = [value for value, _label in CourseLevel.choices]
    for module in modules:
        module.pages_read = progress.get(module.pk, 0)
        module.last_completed_on = completed.get(module.pk)
    # Levels in their own order, then topic modules with no level.
    modules.sort(key=lambda m: (levels.index(m.level) if m.level in levels else len(levels), m.title.casefold()))
    return modules


def _visible_modules(user):
    """The training team can open (preview) modules not yet in the catalogue."""
    if permissions.can_manage_programme(user):
        return Module.objects.all()
    return Module.objects.filter(is_published=True)


def module_for_page(slug: str, user) -> Module:
    try:
        return _visible_modules(user).get(slug=slug)
    except Module.DoesNotExist:
        raise Http404("No such module") from None


def hosted_module_for_page(slug: str, user) -> Module:
    module = module_for_page(slug, user)
    if not module.is_hosted:
        raise Http404("Not a module on this website")
    return module


def module_pages(module: Module) -> list[ModulePage]:
    return list(module.pages.only("pk", "module_id", "position", "title"))


def module_content(module: Module) -> dict:
    """A module's pages, questions with their answers, and pictures, for the staff area."""
    return {
        "pages": module_pages(module),
        "questions": list(module.questions.prefetch_related("choices")),
        "images": list(module.images.all()),
    }


def module_page_at(module: Module, position: int) -> ModulePage:
    try:
        return module.pages.get(position=position)
    except ModulePage.DoesNotExist:
        raise Http404("No such page") from None


def progress_for(user, module: Module) -> int:
    """The last page number the delegate has read (0: not started)."""
    if not user.is_authenticated:
        return 0
    return ModuleProgress.objects.filter(user=user, module=module).values_list("pages_read", flat=True).first() or 0


def open_attempt_for(user, module: Module) -> Attempt | None:
    return Attempt.objects.filter(user=user, module=module, submitted_at__isnull=True).first()


def attempt_questions(attempt: Attempt) -> list[dict]:
    """The attempt's questions in the order it shows them: each with its text,
    answers in order, and (once submitted) the answer given and whether it was
    right. Questions removed since the attempt started are left out."""
    questions = {q.pk: q for q in attempt.module.questions.prefetch_related("choices")}
    rows = []
    for number, (question_id, choice_ids) in enumerate(attempt.layout, start=1):
        question = questions.get(question_id)
        if question is None:
            continue
        choices = {choice.pk: choice for choice in question.choices.all()}
        given = attempt.answers.get(str(question_id))
        rows.append({
            "number": number,
            "question": question,
            "choices": [choices[pk] for pk in choice_ids if pk in choices],
            "given": choices.get(given),
            "right": given in choices and choices[given].is_correct,
        })
    return rows


def attempt_for_user(user, pk: int) -> Attempt:
    """A delegate's own attempt; anyone else's is missing (404), as is a missing one."""
    attempt = Attempt.objects.select_related("module").filter(pk=pk).first()
    if attempt is None:
        raise Http404("No such attempt")
    if attempt.user_id != user.pk:
        raise not_found_for(user, "attempt", attempt.pk)
    return attempt


def certificate_for_completion(completion: Completion | None) -> Certificate | None:
    if completion is None:
        return None
    return Certificate.objects.filter(source=f"completion:{completion.pk}").first()


def latest_completion(user, module: Module) -> Completion | None:
    if not user.is_authenticated:
        return None
    return Completion.objects.filter(user=user, module=module).select_related("module").first()


# --- the training record ------------------------------------------------------------


def renewal_status(completion: Completion, *, latest: bool, today: dt.date) -> str:
    """"current", "due" (expires within the reminder window), "expired",
    "renewed" (a later completion replaced it) or "" (never expires)."""
    expires = completion.expires_on
    if expires is None:
        return ""
    if not latest:
        return "renewed"
    if expires < today:
        return "expired"
    if expires <= today + dt.timedelta(days=settings.ELEARNING_RENEWAL_REMINDER_DAYS):
        return "due"
    return "current"


def training_record_for_user(user) -> dict:
    """Classroom courses (from bookings) and e-learning side by side: completed
    modules with their renewal status and certificates, and modules started
    but not finished."""
    today = timezone.localdate()
    completions = list(Completion.objects.filter(user=user).select_related("module").order_by("-completed_on", "-pk"))
    certificates = dict(
        Certificate.objects.filter(user=user, kind=Certificate.Kind.ELEARNING).values_list("source", "code")
    )
    seen = set()
    for completion in completions:
        completion.renewal = renewal_status(completion, latest=completion.module_id not in seen, today=today)
        completion.certificate_code = certificates.get(f"completion:{completion.pk}")
        seen.add(completion.module_id)
    in_progress = list(
        ModuleProgress.objects.filter(user=user, module__is_published=True)
        .exclude(module_id__in=seen)
        .select_related("module")
        .annotate(page_count=Count("module__pages"))
        .order_by("-updated_at")
    )
    bookings = bookings_for_user(user)
    return {
        "completions": completions,
        "renewals": [completion for completion in completions if completion.renewal in ("due", "expired")],
        "in_progress": in_progress,
        "classroom_upcoming": bookings["upcoming"],
        "classroom_past": bookings["past"],
    }


# --- reports ---------------------------------------------------------------------------


ROLE_NOT_GIVEN = _("Not given")
ROLE_FREE_TEXT = _("Not one of our roles (as the provider gave it)")


def _completions(period: Period | None, agency=None):
    rows = Completion.objects.all()
    if period is not None:
        rows = rows.filter(completed_on__gte=period.start, completed_on__lte=period.end)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return rows


def _counts(**extra):
    return {"completions": Count("pk"), "people": Count("user", distinct=True), **extra}


_LEVELS = {
    "level_1": Count("pk", filter=Q(module__level=CourseLevel.LEVEL_1)),
    "level_2": Count("pk", filter=Q(module__level=CourseLevel.LEVEL_2)),
}


def _financial_year_of_completion():
    return ExtractYear("completed_on") - Case(
        When(completed_on__month__lt=4, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


@dataclass
class ElearningReport:
    period: Period
    agency: object
    totals: dict
    by_module: list
    by_role: list
    by_agency: list
    by_sector: list
    by_year: list


@dataclass
class ElearningFigures:
    totals: dict
    by_module: list
    by_role: list


def elearning_period_figures(*, period: Period, agency=None) -> ElearningFigures:
    """Completions in a period, in total (completions and distinct people), by
    module and by delegate role (Level 1 and Level 2 apart): three aggregate
    queries, the part of the report that training_report quotes. Roles are
    those recorded on each completion."""
    rows = _completions(period, agency)
    totals = rows.aggregate(**_counts())
    by_module = list(
        rows.values("module_id", module_title=F("module__title"), module_level=F("module__level"))
        .annotate(**_counts())
        .order_by("-completions", "module_title")
    )
    for row in by_module:
        row["level"] = CourseLevel(row["module_level"]).label if row["module_level"] else ""
    role_rows = (
        rows.annotate(free_text=Case(When(job_role="", job_role_text__gt="", then=Value(1)), default=Value(0),
                                     output_field=IntegerField()))
        .values("job_role", "free_text")
        .annotate(**_counts(**_LEVELS))
    )
    order = [value for value, _label in JobRole.choices]

    def role(row):
        if row["job_role"]:
            return JobRole(row["job_role"]).label if row["job_role"] in order else row["job_role"]
        return ROLE_FREE_TEXT if row["free_text"] else ROLE_NOT_GIVEN

    def position(row):
        return order.index(row["job_role"]) if row["job_role"] in order else len(order) + row["free_text"]

    by_role = [{**row, "role": role(row)} for row in sorted(role_rows, key=position)]
    return ElearningFigures(totals, by_module, by_role)


def elearning_report(*, period: Period, agency=None) -> ElearningReport:
    """The period's figures (elearning_period_figures), and by agency and by
    sector, and every financial year's totals. Six aggregate queries. Agencies
    are those recorded on each completion."""
    figures = elearning_period_figures(period=period, agency=agency)
    rows = _completions(period, agency)
    by_agency = list(
        rows.values(
            "agency_id", agency_name=F("agency__name"), sector_name=F("agency__sector__name"),
            contributes=F("agency__contributes"),
        )
        .annotate(**_counts())
        .order_by("-completions", "agency_name")
    )
    by_sector = list(
        rows.values(sector_name=F("agency__sector__name")).annotate(**_counts()).order_by("-completions", "sector_name")
    )
    by_year = list(
        _completions(None, agency)
        .annotate(year=_financial_year_of_completion())
        .values("year")
        .annotate(**_counts(**_LEVELS))
        .order_by("year")
    )
    for row in by_year:
        row["label"] = financial_year_label(row["year"])
    return ElearningReport(
        period, agency, figures.totals, figures.by_module, figures.by_role, by_agency, by_sector, by_year
    )


def bar_chart(rows: list[dict], *, label: str, value: str) -> list[dict]:
    """Rows for a bar chart drawn in HTML: each bar's length as a percentage of
    the longest. The chart is a picture of a table shown beside it."""
    top = max((row[value] for row in rows), default=0) or 1
    return [{"label": row[label], "value": row[value], "percent": round(row[value] * 100 / top, 1)} for row in rows]


def agency_completions(agency):
    """An agency's completions (where its staff were when they completed them), newest first."""
    return Completion.objects.filter(agency=agency).select_related("user", "module").order_by("-completed_on", "pk")


def sector_slugs() -> list[str]:
    return list(Sector.objects.order_by("slug").values_list("slug", flat=True))


def completion_import_list():
    # The files' text (up to 20 MB each) is never needed to list them.
    return CompletionImport.objects.select_related("uploaded_by").defer("content", "summary", "problems")[:20]


def completion_import_pending(pk: int) -> CompletionImport:
    """An import for its page, without the file's text."""
    try:
        return CompletionImport.objects.defer("content").get(pk=pk)
    except CompletionImport.DoesNotExist:
        raise Http404("No such import") from None
