"""A paraprofessional's progress and transcript, and the coordinators' coursework figures."""

import csv
import io

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from coursework import credit, queries, services
from coursework.access import ENROLLMENTS, LEARNERS, PLANS, visible_course_enrollments
from coursework.forms import DeclarePlanForm, WhatIfForm
from coursework.models import Enrollment, Module, PlanDeclaration, TransferCredit
from pilot.access import (
    Capability,
    capability_required,
    figures_scope_key,
    get_visible_or_404,
    principal,
    require_allowed,
    visible_cohorts,
)
from pilot.audit import log_access
from pilot.figures_cache import cached_figures, lazy_figures, rendered_for_cache
from pilot.history import DEFAULT_EXCLUDE, History, Related, history_for
from pilot.models import AuditEntry, Staff
from pilot.registry.sections import sections_for
from pilot.reporting.csv_export import neutralise
from pilot.uuids import parse_uuid

LEARNER_VIEWERS = (
    Capability.VIEW_PROGRAM,
    Capability.MANAGE_COLLEGE,
    Capability.MENTOR,
    Capability.LEARN,
)
PAGE_SIZE = 50


def _learner(request: HttpRequest, uuid: str) -> Staff:
    return get_visible_or_404(
        LEARNERS.visible(request.user).select_related("district", "school", "declared_plan__plan"),
        uuid=uuid,
    )


def _coursework_history(request: HttpRequest, para: Staff) -> History | None:
    """Who enrolled, graded, verified and declared what for this paraprofessional, and when
    (program coordinators only): one query per kind of record, however long the history."""
    keep = DEFAULT_EXCLUDE | {"para"}
    return history_for(
        request.user,
        para,
        own=False,
        subject=f"the coursework of {para.full_name}",
        related=[
            Related(
                Enrollment.history.filter(para_id=para.pk).select_related("offering__course"),
                label=lambda record: f"Enrollment in {record.offering}",
                exclude=keep | {"offering"},
            ),
            Related(
                TransferCredit.history.filter(para_id=para.pk),
                label=lambda record: f"Transfer credit: {record.course_title}",
                exclude=keep,
            ),
            Related(
                PlanDeclaration.history.filter(para_id=para.pk),
                label=lambda record: "Declared plan",
                exclude=keep,
            ),
        ],
    )


def _progress_page(request: HttpRequest, para: Staff) -> HttpResponse:
    is_self = LEARNERS.allows(request.user, "declare_plan", para)
    record = queries.learner_record(para, with_modules=True)
    plans = list(queries.plans_with_blocks().order_by("college__name", "name"))
    declaration = queries.declared_plan(para)
    declared = next((p for p in plans if declaration and p.pk == declaration.plan_id), None)
    what_if_form = WhatIfForm(request.GET or None, plans=plans)
    what_if = what_if_form.chosen if what_if_form.is_valid() else None
    context = {
        "para": para,
        "is_self": is_self,
        "record": record,
        "plans": plans,
        "declaration": declaration,
        "progress": credit.plan_progress(queries.plan_rules(declared), record.items)
        if declared
        else None,
        "what_if_form": what_if_form,
        "what_if": credit.plan_progress(queries.plan_rules(what_if), record.items)
        if what_if
        else None,
        "declare_form": DeclarePlanForm(
            plans=plans, initial={"plan": str(declared.uuid) if declared else None}
        )
        if is_self
        else None,
        "title": "My progress" if is_self else f"Progress of {para.full_name}",
        "history": None if is_self else _coursework_history(request, para),
        "extra_sections": sections_for("learner", request, para),
    }
    return render(request, "coursework/progress.html", context)


@capability_required(Capability.LEARN)
def progress(request: HttpRequest) -> HttpResponse:
    return _progress_page(request, principal(request.user).staff)


@capability_required(*LEARNER_VIEWERS)
def progress_for(request: HttpRequest, uuid: str) -> HttpResponse:
    return _progress_page(request, _learner(request, uuid))


@require_POST
@capability_required(Capability.LEARN)
def declare_plan(request: HttpRequest) -> HttpResponse:
    para = principal(request.user).staff
    form = DeclarePlanForm(
        request.POST, plans=PLANS.visible(request.user).select_related("college")
    )
    if form.is_valid():
        services.declare_plan(para=para, plan=form.chosen)
        messages.success(request, f"Your plan is now {form.chosen}.")
    else:
        messages.error(request, "Choose one of the degree plans listed.")
    return redirect("coursework:progress")


@require_POST
@capability_required(Capability.LEARN)
def module_done(request: HttpRequest, uuid: str, module_uuid: str) -> HttpResponse:
    """The paraprofessional marks a module of an open enrollment done, or not done."""
    enrollment = get_visible_or_404(
        ENROLLMENTS.own(request.user).select_related("offering"),
        uuid=uuid,
        status=Enrollment.Status.ENROLLED,
    )
    module = get_visible_or_404(
        Module.objects.filter(offering=enrollment.offering), uuid=module_uuid
    )
    require_allowed(ENROLLMENTS, request.user, "mark_module", enrollment)
    done = request.POST.get("done") == "true"
    try:
        services.set_module_done(enrollment=enrollment, module=module, done=done)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"“{module.title}” marked {'done' if done else 'not done'}.")
    return redirect(reverse("coursework:progress") + "#modules")


def _transcript_context(para: Staff) -> dict:
    record = queries.learner_record(para)
    terms: dict[str, list[Enrollment]] = {}
    for e in record.enrollments:
        terms.setdefault(e.offering.term, []).append(e)
    # The colleges that issued what is listed, for the transcript's head (no extra query).
    colleges = [e.offering.course.college.name for e in record.enrollments]
    colleges += [t.college.name for t in record.transfers if t.is_verified]
    return {
        "para": para,
        "record": record,
        "colleges": list(dict.fromkeys(colleges)),
        "terms": terms,
        "verified": [t for t in record.transfers if t.is_verified],
        "pending": [t for t in record.transfers if not t.is_verified],
        "issued_on": timezone.localdate(),
    }


def _subject(para: Staff) -> str:
    return f"transcript of {para.full_name} (staff {para.uuid})"


@capability_required(*LEARNER_VIEWERS)
def transcript(request: HttpRequest, uuid: str) -> HttpResponse:
    para = _learner(request, uuid)
    context = _transcript_context(para)
    log_access(request.user, AuditEntry.Action.TRANSCRIPT, _subject(para), "printable page")
    return render(request, "coursework/transcript.html", {**context, "title": "Transcript"})


def _cell(value: object) -> str:
    return neutralise(str(value))


@capability_required(*LEARNER_VIEWERS)
def transcript_csv(request: HttpRequest, uuid: str) -> HttpResponse:
    para = _learner(request, uuid)
    context = _transcript_context(para)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["kind", "term", "code", "title", "college", "credit_hours", "grade", "status",
         "credits_earned", "completed_on"]
    )  # fmt: skip
    for e in context["record"].enrollments:
        course = e.offering.course
        writer.writerow(
            [
                "course",
                _cell(e.offering.term),
                _cell(course.code),
                _cell(course.title),
                _cell(course.college.name),
                course.credit_hours,
                e.grade,
                e.get_status_display(),
                course.credit_hours if e.earns_credit else 0,
                e.completed_on or "",
            ]
        )
    for t in context["record"].transfers:
        writer.writerow(
            [
                "transfer",
                "",
                _cell(t.equivalent_course.code if t.equivalent_course else ""),
                _cell(t.course_title),
                _cell(t.institution),
                t.credit_hours,
                "",
                "verified" if t.is_verified else "awaiting verification",
                t.credit_hours if t.is_verified else 0,
                t.completed_on or "",
            ]
        )
    log_access(request.user, AuditEntry.Action.EXPORT, _subject(para), "CSV")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_transcript_name(para)}.csv"'
    return response


@capability_required(*LEARNER_VIEWERS)
def transcript_pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    import weasyprint  # a heavy import: only this view needs it

    para = _learner(request, uuid)
    html = render_to_string("coursework/transcript_pdf.html", _transcript_context(para))
    css = weasyprint.CSS(filename=finders.find("css/transcript_pdf.css"))
    pdf = weasyprint.HTML(string=html).write_pdf(stylesheets=[css])
    log_access(request.user, AuditEntry.Action.PDF, _subject(para), "PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_transcript_name(para)}.pdf"'
    return response


@capability_required(Capability.VIEW_PROGRAM, Capability.MANAGE_COLLEGE)
def learner_list(request: HttpRequest) -> HttpResponse:
    paras = LEARNERS.visible(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        paras = paras.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    page = Paginator(paras.order_by("last_name", "first_name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Figures only for the page shown: the annotations join enrollments, so they run on
    # fifty rows rather than on every paraprofessional in scope.
    page.object_list = list(
        queries.learner_summaries(Staff.objects.filter(pk__in=[p.pk for p in page.object_list]))
    )
    return render(
        request,
        "coursework/learner_list.html",
        {"page": page, "q": q, "query": f"q={q}" if q else ""},
    )


@capability_required(Capability.VIEW_PROGRAM)
def report(request: HttpRequest) -> HttpResponse:
    user = request.user
    cohorts = visible_cohorts(user)
    cohort_uuid = parse_uuid(request.GET.get("cohort"))
    chosen = cohorts.filter(uuid=cohort_uuid).first() if cohort_uuid else None

    def rows() -> dict:
        enrollments = visible_course_enrollments(user)
        if chosen is not None:
            enrollments = enrollments.filter(offering__cohort=chosen)
        return {"rows": queries.district_cohort_report(enrollments)}

    # The figures and the table they make, cached per scope and cohort until the next
    # write (pilot.figures_cache); a warm page reads the table alone.
    key = (figures_scope_key(user), chosen.pk if chosen else None)
    figures = lazy_figures("coursework-report", key, rows, ("rows",))
    context = {"chosen": chosen, "min_group": queries.MIN_GROUP, **figures}
    return render(
        request,
        "coursework/report.html",
        {
            **context,
            "cohorts": cohorts,
            "title": "Coursework by district and cohort",
            "table_html": cached_figures(
                "coursework-report-html",
                key,
                lambda: rendered_for_cache("coursework/includes/report_table.html", context),
            ),
        },
    )


def _transcript_name(para) -> str:
    """A file name a person recognises in their downloads, safe in a header."""
    return f"transcript-{slugify(para.full_name) or 'paraprofessional'}-{str(para.uuid)[:8]}"
