"""E-learning pages: the catalogue and hosted modules (delegates), the training
record, the e-learning report (PPT subgroup, administrators, agency
coordinators) and the staff area's module editor and completion import."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig

from audit.services import personal_data_export_record
from core.exports import SafeTableExport
from core.periods import period_from_request

from . import permissions, selectors, services
from .exceptions import ElearningError, ImportRejected
from .forms import (
    ImportUploadForm,
    KnowledgeCheckForm,
    ModuleImageForm,
    ModulePageForm,
    PeriodForm,
    QuestionForm,
)
from .markdown import markdown_to_html
from .models import Module, ModuleImage, ModulePage, Question
from .tables import (
    AgencyCompletionsTable,
    CompletionTable,
    ModuleCompletionsTable,
    RoleCompletionsTable,
    SectorCompletionsTable,
    YearCompletionsTable,
)

EXPORT_FORMATS = ("csv", "xlsx")


def _require(condition):
    if not condition:
        raise PermissionDenied


# --- the catalogue and hosted modules -------------------------------------------------


@require_safe
def catalogue(request):
    """Every published module, hosted here or with a provider, by level."""
    return render(request, "elearning/module_catalogue.html", {
        "modules": selectors.catalogue_modules(request.user),
        "can_see_report": permissions.can_view_elearning_reports(request.user)
        or permissions.can_view_agency_elearning(request.user),
        "can_see_agency": permissions.can_view_agency_elearning(request.user),
    })


@require_safe
def module_detail(request, slug):
    module = selectors.module_for_page(slug, request.user)
    pages = selectors.module_pages(module) if module.is_hosted else []
    progress = selectors.progress_for(request.user, module)
    next_page = next((page for page in pages if page.position > progress), None)
    completion = selectors.latest_completion(request.user, module)
    return render(request, "elearning/module_detail.html", {
        "module": module,
        "pages": pages,
        "progress": progress,
        "next_page": next_page,
        "completion": completion,
        "certificate": selectors.certificate_for_completion(completion),
    })


def _after_last_page(request, module):
    """Where "Continue" on the last page leads: the knowledge check, or the
    completion itself for a module with no questions."""
    if not module.questions.exists():
        services.module_finish_without_check(user=request.user, module=module)
        messages.success(request, _("You have completed “%(module)s”.") % {"module": module.title})
        return redirect("elearning:training_record")
    services.attempt_start(user=request.user, module=module)
    return redirect("elearning:knowledge_check", slug=module.slug)


@login_required
@require_http_methods(["GET", "POST"])
def module_page(request, slug, position):
    """One page of a hosted module. "Continue" saves progress, so the delegate
    can stop at any page and pick up there."""
    module = selectors.hosted_module_for_page(slug, request.user)
    page = selectors.module_page_at(module, position)
    pages = selectors.module_pages(module)
    if request.method == "POST":
        services.module_page_read(user=request.user, module=module, position=page.position)
        later = [each for each in pages if each.position > page.position]
        if later:
            return redirect("elearning:module_page", slug=module.slug, position=later[0].position)
        return _after_last_page(request, module)
    index = next(n for n, each in enumerate(pages) if each.pk == page.pk)
    return render(request, "elearning/module_page.html", {
        "module": module,
        "page": page,
        "pages": pages,
        "number": index + 1,
        "previous": pages[index - 1] if index else None,
        "is_last": index == len(pages) - 1,
        "body": markdown_to_html(page.body),
        "progress": selectors.progress_for(request.user, module),
    })


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_check(request, slug):
    """The knowledge check: questions in a shuffled order, every one to answer.
    Without an open attempt it offers to start one (a retake after a fail)."""
    module = selectors.hosted_module_for_page(slug, request.user)
    attempt = selectors.open_attempt_for(request.user, module)
    if request.method == "POST" and (attempt is None or "start" in request.POST):
        try:
            services.attempt_start(user=request.user, module=module)
        except ElearningError as error:
            messages.error(request, error.message)
            return redirect(module)
        return redirect("elearning:knowledge_check", slug=module.slug)
    if attempt is None:
        return render(request, "elearning/knowledge_check_start.html", {
            "module": module,
            "pages_read": selectors.progress_for(request.user, module) >= len(selectors.module_pages(module)),
            "has_questions": module.questions.exists(),
        })
    questions = selectors.attempt_questions(attempt)
    form = KnowledgeCheckForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.attempt_submit(attempt=attempt, answers=form.answers())
        except ElearningError as error:
            form.add_error(None, error.message)
        else:
            return redirect("elearning:attempt_result", pk=attempt.pk)
    return render(request, "elearning/knowledge_check.html", {"module": module, "form": form})


@login_required
@require_safe
def attempt_result(request, pk):
    attempt = selectors.attempt_for_user(request.user, pk)
    if attempt.submitted_at is None:
        return redirect("elearning:knowledge_check", slug=attempt.module.slug)
    completion = selectors.latest_completion(request.user, attempt.module) if attempt.passed else None
    return render(request, "elearning/attempt_result.html", {
        "attempt": attempt,
        "module": attempt.module,
        "questions": selectors.attempt_questions(attempt),
        "certificate": selectors.certificate_for_completion(completion),
    })


@require_safe
def image(request, pk):
    """A module's picture, with the content type of the format it was re-encoded
    to (never guessed from the file), so a browser shows it only as a picture.
    It is sent as an attachment: an <img> still shows it, but opening its
    address directly downloads it rather than rendering it in the site's origin."""
    picture = get_object_or_404(ModuleImage, pk=pk)
    try:
        handle = picture.image.open("rb")
    except FileNotFoundError:
        raise Http404("Picture missing") from None
    response = FileResponse(handle, content_type=picture.content_type)
    response["Content-Disposition"] = f'attachment; filename="picture-{picture.pk}{Path(picture.image.name).suffix}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_safe
def training_record(request):
    """The delegate's classroom courses and e-learning in one record."""
    return render(request, "elearning/training_record.html", selectors.training_record_for_user(request.user))


# --- reports ----------------------------------------------------------------------------


REPORT_TABLES = {
    "role": (RoleCompletionsTable, "by_role", gettext_lazy("Completions by delegate role")),
    "module": (ModuleCompletionsTable, "by_module", gettext_lazy("Completions by module")),
    "agency": (AgencyCompletionsTable, "by_agency", gettext_lazy("Completions by agency")),
    "sector": (SectorCompletionsTable, "by_sector", gettext_lazy("Completions by sector")),
    "year": (YearCompletionsTable, "by_year", gettext_lazy("Completions by financial year")),
}


@login_required
@require_safe
def report(request):
    """Completions in a period by role, module, agency and sector, and year on
    year, with charts and CSV/XLSX exports. Agency coordinators see their own
    agency's completions only."""
    everyone = permissions.can_view_elearning_reports(request.user)
    _require(everyone or permissions.can_view_agency_elearning(request.user))
    agency = None if everyone else request.user.agency
    period, form = period_from_request(request, PeriodForm)
    context = {"form": form, "period": period, "agency": agency}
    if period is not None:
        data = selectors.elearning_report(period=period, agency=agency)
        export_format, wanted = request.GET.get("_export"), request.GET.get("_table")
        if export_format in EXPORT_FORMATS and wanted in REPORT_TABLES:
            table_class, rows, caption = REPORT_TABLES[wanted]
            exporter = SafeTableExport(
                export_format, table_class(getattr(data, rows)), dataset_kwargs={"title": str(caption)[:31]}
            )
            return exporter.response(filename=f"elearning-{wanted}-{period.compact_slug}.{export_format}")
        context.update({
            "report": data,
            "tables": {name: table_class(getattr(data, rows)) for name, (table_class, rows, _c) in
                       REPORT_TABLES.items()},
            "captions": {name: caption for name, (_t, _r, caption) in REPORT_TABLES.items()},
            "year_chart": selectors.bar_chart(data.by_year, label="label", value="completions"),
            "level_1_chart": selectors.bar_chart([r for r in data.by_role if r["level_1"]], label="role",
                                                 value="level_1"),
            "level_2_chart": selectors.bar_chart([r for r in data.by_role if r["level_2"]], label="role",
                                                 value="level_2"),
            "query": request.GET.urlencode() if "start" in request.GET else
            f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        })
    return render(request, "elearning/report.html", context)


@login_required
@require_safe
def agency_completions(request):
    """An agency coordinator's list of who at their agency completed what."""
    _require(permissions.can_view_agency_elearning(request.user))
    table = CompletionTable(selectors.agency_completions(request.user.agency))
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": "E-learning completions"})
        personal_data_export_record(
            by=request.user, target=request.user.agency, what=_("E-learning completions (%(format)s)")
            % {"format": export_format.upper()}, rows=len(table.rows),
        )
        return exporter.response(filename=f"elearning-completions.{export_format}")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "elearning/agency_completions.html", {"table": table, "agency": request.user.agency})


# --- the staff area: module content -------------------------------------------------------


def _staff(request):
    _require(permissions.can_manage_elearning(request.user))


@login_required
@require_safe
def staff_module_content(request, pk):
    _staff(request)
    module = get_object_or_404(Module, pk=pk)
    return render(request, "elearning/staff_module_content.html", {"module": module,
                                                                   **selectors.module_content(module)})


def _content_form(request, *, module, form, title, save, template="elearning/staff_content_form.html"):
    """Render a content form; on a valid POST call `save` (a service) and go back
    to the module's content page, showing the service's refusal as a form error."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ElearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved “%(record)s”.") % {"record": saved})
            return redirect("elearning:staff_module_content", pk=module.pk)
    return render(request, template, {"module": module, "form": form, "title": title,
                                      "multipart": form.is_multipart()})


@login_required
@require_http_methods(["GET", "POST"])
def staff_page_edit(request, module_pk=None, pk=None):
    _staff(request)
    page = get_object_or_404(ModulePage.objects.select_related("module"), pk=pk) if pk else None
    module = page.module if page else get_object_or_404(Module, pk=module_pk)
    initial = {"title": page.title, "body": page.body, "position": page.position} if page else {}
    form = ModulePageForm(request.POST or None, initial=initial)
    return _content_form(
        request, module=module, form=form, title=_("Change a page") if page else _("Add a page"),
        save=lambda f: services.module_page_save(module=module, page=page, **f.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_question_edit(request, module_pk=None, pk=None):
    _staff(request)
    question = get_object_or_404(Question.objects.select_related("module"), pk=pk) if pk else None
    module = question.module if question else get_object_or_404(Module, pk=module_pk)
    initial = {}
    if question:
        choices = list(question.choices.all())
        initial = {"text": question.text, "explanation": question.explanation,
                   **{f"answer_{n}": choice.text for n, choice in enumerate(choices, start=1)},
                   "correct": next((n for n, c in enumerate(choices, start=1) if c.is_correct), None)}
    form = QuestionForm(request.POST or None, initial=initial)

    def save(f):
        answers, correct = f.answers()
        return services.question_save(module=module, question=question, text=f.cleaned_data["text"],
                                      explanation=f.cleaned_data["explanation"], choices=answers, correct=correct)

    return _content_form(request, module=module, form=form,
                         title=_("Change a question") if question else _("Add a question"), save=save)


@login_required
@require_http_methods(["GET", "POST"])
def staff_image_create(request, module_pk):
    _staff(request)
    module = get_object_or_404(Module, pk=module_pk)
    form = ModuleImageForm(request.POST or None, request.FILES or None)
    return _content_form(
        request, module=module, form=form, title=_("Upload a picture"),
        save=lambda f: services.module_image_add(module=module, upload=f.cleaned_data["image"],
                                                 alt_text=f.cleaned_data["alt_text"]),
    )


DELETABLE = {
    "page": (ModulePage, services.module_page_delete, "page", gettext_lazy("Delete page “%(record)s”?")),
    "question": (Question, services.question_delete, "question", gettext_lazy("Delete this question?")),
    "image": (ModuleImage, services.module_image_delete, "image", gettext_lazy("Delete this picture?")),
}


@login_required
@require_http_methods(["GET", "POST"])
def staff_content_delete(request, kind, pk):
    """Asks first, then deletes a page, question or picture."""
    _staff(request)
    if kind not in DELETABLE:
        raise Http404("Nothing of that kind")
    model, service, argument, question = DELETABLE[kind]
    record = get_object_or_404(model.objects.select_related("module"), pk=pk)
    if request.method == "POST":
        try:
            service(**{argument: record})
        except ElearningError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Deleted."))
        return redirect("elearning:staff_module_content", pk=record.module_id)
    return render(request, "elearning/staff_confirm_delete.html", {
        "record": record, "module": record.module, "question": question % {"record": record},
    })


# --- the staff area: importing completions ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    """Upload a provider's file. What costs little is checked here (size,
    columns, rows); a task checks every row while the import's page shows
    how far it has got."""
    _staff(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.completion_import_upload(filename=upload.name, data=upload.read(), by=request.user)
        except ImportRejected as error:
            form.add_error("file", error.message)
        else:
            return redirect("elearning:staff_import_preview", pk=record.pk)
    return render(request, "elearning/staff_import.html", {
        "form": form, "imports": selectors.completion_import_list(), "sectors": selectors.sector_slugs(),
        "row_limit": settings.ELEARNING_IMPORT_MAX_ROWS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def staff_import_preview(request, pk):
    """An import's page: how far its check has got; then what the file will
    do, and a button to import it (in the background too); or why it cannot
    be imported; once imported, what it did."""
    _staff(request)
    record = selectors.completion_import_pending(pk)
    if request.method == "POST":
        services.completion_import_confirm(completion_import=record)
        return redirect("elearning:staff_import_preview", pk=record.pk)
    return render(request, "elearning/staff_import_preview.html", {
        "record": record, "plan": record.summary,
    })
