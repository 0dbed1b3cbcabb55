from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.exceptions import DomainError
from core.periods import period_from_request
from courses.models import Course

from . import permissions, selectors, services, tokens
from .exceptions import AlreadySubmittedError, MissingAnswersError
from .forms import (
    EqualityYearForm,
    EqualOpportunitiesForm,
    LineManagerCopyForm,
    QuestionForm,
    QuestionnaireForm,
    QuoteConsentForm,
    QuoteForm,
    RatingLabelsForm,
)
from .models import STAGE_SLUGS, Key, QuestionStage, Respondent, Section, Stage, TemplateQuestion

STAGES_BY_SLUG = {slug: stage for stage, slug in STAGE_SLUGS.items()}
# The stages after the course ask whether the delegate's comments may be quoted.
QUOTABLE_STAGES = (Stage.POST, Stage.FOLLOW_UP)


def _require(condition):
    if not condition:
        raise PermissionDenied


# --- delegates ---------------------------------------------------------------------


@login_required
def my_evaluations(request):
    return render(request, "evaluations/evaluation_list.html", selectors.evaluations_for_user(request.user))


def _questionnaire_form(request, course, stage, question_stage):
    """The form for a stage: on a submission, the questions of the version the
    form was drawn from; otherwise the questionnaire as it is now."""
    version = None
    if request.method == "POST":
        version = selectors.version_for_course(course.pk, request.POST.get("version"))
    if version is None:
        version = services.questionnaire_current(course=course)
    questions = selectors.questionnaire_questions(version, question_stage)
    data = request.POST if request.method == "POST" else None
    return QuestionnaireForm(data, questions=questions, version=version), version


@login_required
@require_http_methods(["GET", "POST"])
def respond(request, pk, stage):
    """One stage of a delegate's evaluation of their own booking: the form
    while it is open, otherwise what they have done or why it is not open."""
    stage = STAGES_BY_SLUG.get(stage)
    if stage is None:
        raise Http404("No such evaluation")
    booking = selectors.booking_of_delegate(request.user, pk)
    state = selectors.stage_state(booking, stage)
    context = {
        "booking": booking,
        "session": booking.session,
        "course": booking.session.course,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "state": state,
    }
    if state.response or state.refusal:
        return render(request, "evaluations/evaluation_status.html", context)
    form, version = _questionnaire_form(request, booking.session.course, stage, stage)
    copy_form = quote_form = None
    if stage == Stage.FOLLOW_UP:
        copy_form = LineManagerCopyForm(
            request.POST if request.method == "POST" else None,
            initial={"line_manager_email": request.user.line_manager_email},
        )
    if stage in QUOTABLE_STAGES:
        quote_form = QuoteConsentForm(request.POST if request.method == "POST" else None)
    extras = [extra for extra in (copy_form, quote_form) if extra is not None]
    if request.method == "POST" and form.is_valid() and all(extra.is_valid() for extra in extras):
        try:
            services.evaluation_submit(
                booking=booking,
                stage=stage,
                version=version,
                answers=form.answers(),
                line_manager_email=copy_form.email if copy_form else "",
                may_quote=bool(quote_form and quote_form.cleaned_data["may_quote"]),
            )
        except MissingAnswersError as error:
            form.add_missing(error.question_ids)
        except AlreadySubmittedError as error:
            messages.info(request, error.message)
            return redirect("evaluations:respond", pk=booking.pk, stage=STAGE_SLUGS[stage])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("evaluations:respond", pk=booking.pk, stage=STAGE_SLUGS[stage])
    return render(
        request,
        "evaluations/evaluation_form.html",
        {**context, "form": form, "copy_form": copy_form, "quote_form": quote_form, "version": version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def equal_opportunities(request, pk):
    """The optional equal opportunities questions, offered after the
    post-course evaluation and stored with no link to the delegate."""
    booking = selectors.booking_of_delegate(request.user, pk)
    state = selectors.stage_state(booking, Stage.POST)
    if state.response is None:
        raise Http404("Complete the post-course evaluation first")
    if state.request.equal_opportunities_given:
        messages.info(request, _("You have already answered the equal opportunities questions. Thank you."))
        return redirect("evaluations:mine")
    form = EqualOpportunitiesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.equal_opportunities_submit(request=state.request, answers=form.cleaned_data)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Thank you: your answers are saved, with nothing that identifies you."))
        return redirect("evaluations:mine")
    return render(
        request,
        "evaluations/equal_opportunities_form.html",
        {"booking": booking, "form": form, "suppress_below": settings.EQUALITY_SUPPRESS_BELOW},
    )


@require_http_methods(["GET", "POST"])
def line_manager(request, token):
    """A line manager adds their view to a delegate's follow-up, from the
    e-mailed link; no account needed."""
    request_id = tokens.read(token)
    if request_id is None:
        raise Http404("This link is not valid")
    evaluation = selectors.line_manager_request(request_id)
    respondents = selectors.respondents_of(evaluation)
    if evaluation.line_manager_invited_at is None or Respondent.DELEGATE not in respondents:
        raise Http404("This link is not valid")
    refusal = permissions.line_manager_refusal(
        request=evaluation,
        has_delegate_response=True,
        has_manager_response=Respondent.LINE_MANAGER in respondents,
        now=timezone.now(),
    )
    booking = evaluation.booking
    context = {"evaluation": evaluation, "booking": booking, "course": booking.session.course, "refusal": refusal}
    if refusal:
        return render(request, "evaluations/line_manager_form.html", context)
    form, version = _questionnaire_form(request, booking.session.course, Stage.FOLLOW_UP, QuestionStage.LINE_MANAGER)
    delegate_answers = selectors.delegate_answers(evaluation.responses.get(respondent=Respondent.DELEGATE))
    if request.method == "POST" and form.is_valid():
        try:
            services.line_manager_submit(request=evaluation, version=version, answers=form.answers())
        except MissingAnswersError as error:
            form.add_missing(error.question_ids)
        except DomainError as error:
            messages.info(request, error.message)
            return redirect("evaluations:line_manager", token=token)
        else:
            messages.success(request, _("Thank you: your view has been recorded."))
            return redirect("evaluations:line_manager", token=token)
    return render(
        request,
        "evaluations/line_manager_form.html",
        {**context, "form": form, "version": version, "delegate_answers": delegate_answers},
    )


# --- templates (staff) -----------------------------------------------------------------


def _require_template_editor(request):
    _require(permissions.can_edit_evaluation_templates(request.user))


@login_required
def template_list(request):
    _require_template_editor(request)
    return render(
        request,
        "evaluations/template_list.html",
        {"default": selectors.default_template(), "courses": selectors.template_courses()},
    )


@login_required
def template_default(request):
    _require_template_editor(request)
    default = selectors.default_template()
    sections = selectors.compose_sections(list(default.questions.all()), [])
    sections.pop(Section.KNOWLEDGE)
    return render(
        request,
        "evaluations/template_detail.html",
        {"default": default, "sections": sections, "course": None, "reserved_keys": list(Key.RESERVED)},
    )


@login_required
def template_course(request, course_pk):
    _require_template_editor(request)
    course = get_object_or_404(Course, pk=course_pk)
    default, sections = selectors.template_for_course(course)
    return render(
        request,
        "evaluations/template_detail.html",
        {
            "default": default,
            "sections": sections,
            "course": course,
            "versions": selectors.course_versions(course),
            "reserved_keys": list(Key.RESERVED),
        },
    )


def _template_page(course):
    if course is None:
        return redirect("evaluations:template_default")
    return redirect("evaluations:template_course", course_pk=course.pk)


def _question_form_page(request, *, form, title, course, back):
    return render(
        request, "evaluations/question_form.html", {"form": form, "title": title, "course": course, "back": back}
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request, section, course_pk=None):
    """Add a question to a section of the default template or of a course's own."""
    _require_template_editor(request)
    course = get_object_or_404(Course, pk=course_pk) if course_pk else None
    if section not in Section.values or (course is None and section == Section.KNOWLEDGE):
        raise Http404("No such section")
    form = QuestionForm(request.POST if request.method == "POST" else None, section=section)
    if request.method == "POST" and form.is_valid():
        template = services.course_template_for(course=course) if course else selectors.default_template()
        try:
            services.template_question_create(template=template, section=section, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Question added. Delegates see it from now on."))
            return _template_page(course)
    title = _("Add a question: %(section)s") % {"section": Section(section).label}
    return _question_form_page(request, form=form, title=title, course=course, back=_template_page(course).url)


def _template_question(pk) -> TemplateQuestion:
    return get_object_or_404(TemplateQuestion.objects.select_related("template__course"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def question_update(request, pk):
    _require_template_editor(request)
    question = _template_question(pk)
    course = question.template.course
    initial = {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "options": "\n".join(question.options),
        "allow_other": question.allow_other,
        "correct_option": question.correct_option,
    }
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        section=question.section,
        locked_kind=question.kind if question.key in Key.RESERVED else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_question_update(question=question, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Question saved. Answers already given keep the wording they were asked in."))
            return _template_page(course)
    title = _("Change a question: %(section)s") % {"section": question.get_section_display()}
    return _question_form_page(request, form=form, title=title, course=course, back=_template_page(course).url)


@login_required
@require_POST
def question_delete(request, pk):
    _require_template_editor(request)
    question = _template_question(pk)
    try:
        services.template_question_delete(question=question, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Question removed. Answers already given are kept."))
    return _template_page(question.template.course)


@login_required
@require_POST
def question_move(request, pk):
    _require_template_editor(request)
    question = _template_question(pk)
    services.template_question_move(question=question, up=request.POST.get("direction") == "up", by=request.user)
    return _template_page(question.template.course)


@login_required
@require_POST
def question_override(request, course_pk, pk):
    """Give a course its own version of a default question, then edit it."""
    _require_template_editor(request)
    course = get_object_or_404(Course, pk=course_pk)
    copy = services.template_question_override(course=course, question=_template_question(pk), by=request.user)
    return redirect("evaluations:question_update", pk=copy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rating_labels(request):
    _require_template_editor(request)
    default = selectors.default_template()
    form = RatingLabelsForm(request.POST if request.method == "POST" else None, labels=default.rating_labels)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_labels_update(labels=form.labels, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Rating labels saved."))
            return redirect("evaluations:template_default")
    return render(request, "evaluations/rating_labels_form.html", {"form": form})


# --- reports --------------------------------------------------------------------------


@login_required
def result_sessions(request):
    """Sessions with evaluation results: a trainer's own, or all of them for
    administrators and the PPT subgroup."""
    _require(permissions.can_list_session_results(request.user))
    period, form = period_from_request(request)
    sessions = selectors.result_sessions(request.user, period) if period else []
    return render(request, "evaluations/result_sessions.html", {"sessions": sessions, "form": form, "period": period})


@login_required
def report_session(request, pk):
    session = selectors.session_for_results(request.user, pk)
    return render(
        request,
        "evaluations/report_session.html",
        {
            "session": session,
            "report": selectors.session_report(session),
            "can_publish": permissions.can_publish_quotes(request.user),
        },
    )


@login_required
def report_course(request, pk):
    _require(permissions.can_view_evaluation_reports(request.user))
    course = get_object_or_404(Course, pk=pk)
    period, form = period_from_request(request)
    context = {
        "course": course,
        "form": form,
        "period": period,
        "can_publish": permissions.can_publish_quotes(request.user),
    }
    if period:
        context.update(
            report=selectors.course_report(course, period),
            sessions=selectors.result_sessions(request.user, period, course=course),
        )
    return render(request, "evaluations/report_course.html", context)


@login_required
def report_programme(request):
    _require(permissions.can_view_evaluation_reports(request.user))
    period, form = period_from_request(request)
    context = {"form": form, "period": period}
    if period:
        report = selectors.programme_report(period)
        context.update(
            report=report,
            courses=selectors.result_courses(period, report.course_headlines),
            quotes=selectors.quotes_published(period),
        )
    return render(request, "evaluations/report_programme.html", context)


@login_required
@require_safe
def report_equality(request):
    """Equal opportunities monitoring: a whole financial year that has ended,
    the whole programme, and nothing else (see selectors.equal_opportunities)."""
    _require(permissions.can_view_evaluation_reports(request.user))
    years = selectors.equality_years(timezone.localdate())
    data = request.GET or ({"year": str(years[0])} if years else None)
    form = EqualityYearForm(data, years=years)
    monitoring = selectors.equal_opportunities(form.cleaned_data["year"]) if form.is_valid() else None
    return render(request, "evaluations/report_equality.html", {"form": form, "years": years, "monitoring": monitoring})


@login_required
def quotes(request):
    """Published quotes for the annual report, by course."""
    _require(permissions.can_view_evaluation_reports(request.user))
    period, form = period_from_request(request)
    return render(
        request,
        "evaluations/quote_list.html",
        {"form": form, "period": period, "quotes": selectors.quotes_published(period) if period else []},
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_publish(request, pk):
    _require(permissions.can_publish_quotes(request.user))
    answer = selectors.answer_for_quote(pk)
    existing = getattr(answer, "quote", None)
    form = QuoteForm(
        request.POST if request.method == "POST" else None, initial={"text": existing.text if existing else answer.text}
    )
    back = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_publish(answer=answer, text=form.cleaned_data["text"], by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Published as an anonymous quote."))
            return redirect(back or "evaluations:quotes")
    return render(
        request, "evaluations/quote_form.html", {"answer": answer, "form": form, "existing": existing, "next": back}
    )


@login_required
@require_POST
def quote_withdraw(request, pk):
    _require(permissions.can_publish_quotes(request.user))
    answer = selectors.answer_for_quote(pk)
    services.quote_withdraw(answer=answer, by=request.user)
    messages.success(request, _("The quote is no longer published."))
    return redirect(_safe_next(request) or "evaluations:quotes")


def _safe_next(request) -> str:
    """The page to go back to, if it is on this site."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
