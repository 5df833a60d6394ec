"""The liaison's pages: offerings and their modules, enrollment, final grades, transfer
credit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from coursework import queries, services
from coursework.access import (
    COURSES,
    OFFERINGS,
    TRANSFER_CREDITS,
    enrollable_paraprofessionals,
    offering_cohorts,
)
from coursework.forms import (
    EnrollFilterForm,
    EnrollForm,
    ModuleForm,
    OfferingForm,
    RosterGradesForm,
    TransferCreditForm,
    VerifyTransferForm,
)
from coursework.imports import EnrollmentResource
from coursework.models import Enrollment, Module, Offering
from coursework.views.util import save_through
from pilot.access import (
    Capability,
    capability_required,
    get_visible_or_404,
    principal,
    require_allowed,
)
from pilot.imports.exports import check_format, export_response
from pilot.models import District
from pilot.services.program import cohort_closed_problem
from pilot.uuids import parse_uuid
from pilot.views.generic import one_time_submit, refused_if_closed

PAGE_SIZE = 50
ENROLL_LIST_LIMIT = 300


def _shown(request: HttpRequest, offerings: QuerySet[Offering]) -> tuple[QuerySet, str]:
    """The offerings the list shows: current and upcoming, or past (``?show=past``)."""
    today = timezone.localdate()
    show = request.GET.get("show", "current")
    if show == "past":
        return offerings.filter(ends_on__lt=today).order_by("-ends_on", "course__code", "id"), show
    return offerings.filter(ends_on__gte=today).order_by(
        "starts_on", "course__code", "id"
    ), "current"


@capability_required(Capability.MANAGE_COLLEGE)
def offering_list(request: HttpRequest) -> HttpResponse:
    offerings, show = _shown(request, queries.offering_summaries(OFFERINGS.visible(request.user)))
    page = Paginator(offerings, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = queries.offerings_waiting_for_grades(OFFERINGS.visible(request.user))
    return render(
        request,
        "coursework/offering_list.html",
        {"page": page, "show": show, "query": f"show={show}", "waiting": waiting},
    )


@capability_required(Capability.MANAGE_COLLEGE)
def offering_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    offering = get_visible_or_404(
        OFFERINGS.visible(request.user).select_related("course__college", "cohort"), uuid=uuid
    )
    modules = offering.modules.annotate(done=Count("completions")).order_by("order")
    status_counts = dict(
        offering.enrollments.values_list("status").annotate(n=Count("id")).order_by()
    )
    statuses = [(label, status_counts.get(value, 0)) for value, label in Enrollment.Status.choices]
    enrollments = offering.enrollments.select_related("para__school").order_by(
        "para__last_name", "para__first_name", "id"
    )
    return render(
        request,
        "coursework/offering_detail.html",
        {
            "offering": offering,
            "modules": modules,
            "enrollments": enrollments,
            "statuses": statuses,
            "enrolled_total": sum(status_counts.values()),
            "has_ended": offering.ends_on < timezone.localdate(),
            # A closed cohort's offering is read-only: the page says so, offers no write.
            "closed": cohort_closed_problem(offering.cohort),
        },
    )


@capability_required(Capability.MANAGE_COLLEGE)
def enrollment_drop(request: HttpRequest, uuid: str) -> HttpResponse:
    """Asks first (a page that works without script), then drops the enrollment."""
    enrollment = get_visible_or_404(
        Enrollment.objects.filter(offering__in=OFFERINGS.visible(request.user)).select_related(
            "para", "offering__course__college"
        ),
        uuid=uuid,
    )
    offering = enrollment.offering
    require_allowed(OFFERINGS, request.user, "enroll", offering)
    back = reverse("coursework:offering-detail", args=[offering.uuid])
    error = ""
    if request.method == "POST":
        try:
            services.drop_enrollment(enrollment=enrollment, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.message_dict["enrollment"])
        else:
            messages.success(request, f"{enrollment.para} dropped from {offering}.")
            return redirect(back)
    return render(
        request,
        "coursework/enrollment_drop.html",
        {
            "title": f"Drop {enrollment.para} from {offering.course.code}",
            "enrollment": enrollment,
            "offering": offering,
            "back": back,
            "error": error,
        },
        status=400 if error else 200,
    )


@capability_required(Capability.MANAGE_COLLEGE)
def enrollment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The enrollments of the offerings the list shows, with the enrollments template's
    columns, to fill in grades and import back."""
    check_format(fmt)
    offerings, show = _shown(request, OFFERINGS.visible(request.user))
    enrollments = Enrollment.objects.filter(offering__in=offerings.values("pk"))
    dataset = EnrollmentResource(user=request.user).export_enrollments(enrollments)
    label = "past" if show == "past" else "current"
    return export_response(
        request, dataset, fmt, f"enrollments of {label} offerings", f"enrollments-{label}"
    )


@capability_required(Capability.MANAGE_COLLEGE)
def offering_enrollments_export(request: HttpRequest, uuid: str, fmt: str) -> HttpResponse:
    """One offering's roster with the enrollments template's columns."""
    check_format(fmt)
    offering = get_visible_or_404(
        OFFERINGS.visible(request.user).select_related("course"), uuid=uuid
    )
    dataset = EnrollmentResource(user=request.user).export_enrollments(offering.enrollments.all())
    stem = slugify(f"{offering.course.code} {offering.term} {offering.section}")
    return export_response(
        request, dataset, fmt, f"enrollments of {offering}", f"enrollments-{stem}"
    )


def _refused_if_closed(request: HttpRequest, offering: Offering) -> HttpResponse | None:
    back = reverse("coursework:offering-detail", args=[offering.uuid])
    return refused_if_closed(request, offering.cohort, back=back)


def _offering_form(request: HttpRequest, offering: Offering) -> HttpResponse:
    form = OfferingForm(
        request.POST or None,
        instance=offering,
        courses=COURSES.managed(request.user).order_by("code"),
        cohorts=offering_cohorts(request.user),
    )
    if request.method == "POST" and form.is_valid():
        is_new = offering.pk is None
        saved = save_through(form, lambda: services.save_offering(offering=form.instance))
        if saved is not None:
            messages.success(request, f"{saved} {'opened' if is_new else 'saved'}.")
            return redirect("coursework:offering-detail", uuid=saved.uuid)
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": f"Edit {offering}" if offering.pk else "New offering",
            "legend": "Offering",
            "cancel_url": reverse("coursework:offering-list"),
        },
    )


@capability_required(Capability.MANAGE_COLLEGE)
@one_time_submit
def offering_create(request: HttpRequest) -> HttpResponse:
    require_allowed(OFFERINGS, request.user, "add")
    offering = Offering()
    course_uuid = parse_uuid(request.GET.get("course"))
    course = COURSES.managed(request.user).filter(uuid=course_uuid).first() if course_uuid else None
    if request.method == "GET" and course is not None:
        offering.course = course
    return _offering_form(request, offering)


@capability_required(Capability.MANAGE_COLLEGE)
def offering_update(request: HttpRequest, uuid: str) -> HttpResponse:
    offering = get_visible_or_404(
        OFFERINGS.visible(request.user).select_related("course"), uuid=uuid
    )
    require_allowed(OFFERINGS, request.user, "edit", offering)
    if refused := _refused_if_closed(request, offering):
        return refused
    return _offering_form(request, offering)


def _module_form(request: HttpRequest, offering: Offering, module: Module) -> HttpResponse:
    require_allowed(OFFERINGS, request.user, "edit", offering)
    if refused := _refused_if_closed(request, offering):
        return refused
    form = ModuleForm(request.POST or None, instance=module, offering=offering)
    if request.method == "POST" and form.is_valid():
        is_new = module.pk is None
        saved = save_through(form, lambda: services.save_module(module=form.instance))
        if saved is not None:
            messages.success(request, f"Module “{saved.title}” {'added' if is_new else 'saved'}.")
            return redirect("coursework:offering-detail", uuid=offering.uuid)
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": f"Edit module of {offering}" if module.pk else f"Add a module to {offering}",
            "legend": "Module",
            "cancel_url": reverse("coursework:offering-detail", args=[offering.uuid]),
        },
    )


@capability_required(Capability.MANAGE_COLLEGE)
@one_time_submit
def module_create(request: HttpRequest, uuid: str) -> HttpResponse:
    offering = get_visible_or_404(
        OFFERINGS.visible(request.user).select_related("course"), uuid=uuid
    )
    return _module_form(request, offering, Module(offering=offering))


@capability_required(Capability.MANAGE_COLLEGE)
def module_update(request: HttpRequest, uuid: str) -> HttpResponse:
    module = get_visible_or_404(
        Module.objects.filter(offering__in=OFFERINGS.visible(request.user)).select_related(
            "offering__course"
        ),
        uuid=uuid,
    )
    return _module_form(request, module.offering, module)


@capability_required(Capability.MANAGE_COLLEGE)
@one_time_submit
def offering_enroll(request: HttpRequest, uuid: str) -> HttpResponse:
    offering = get_visible_or_404(
        OFFERINGS.visible(request.user).select_related("course", "cohort"), uuid=uuid
    )
    require_allowed(OFFERINGS, request.user, "enroll", offering)
    if refused := _refused_if_closed(request, offering):
        return refused
    candidates = enrollable_paraprofessionals(offering)
    districts = District.objects.filter(
        cohort_enrollments__cohort=offering.cohort, cohort_enrollments__withdrawn_on__isnull=True
    ).order_by("name")
    filter_form = EnrollFilterForm(request.GET or None, districts=districts)
    wanted = filter_form.cleaned_data if filter_form.is_valid() else {}
    district, q = wanted.get("district"), (wanted.get("q") or "").strip()
    if district is not None:
        candidates = candidates.filter(district=district)
    if q:
        candidates = candidates.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    # A statewide cohort has thousands of paraprofessionals: past a class-sized list, ask
    # for a district or a name first (the POST is checked against the same narrowed list).
    too_many = candidates.count() if district is None and not q else 0
    if too_many > ENROLL_LIST_LIMIT:
        candidates = candidates.none()
    candidates = candidates.select_related("school", "district").order_by(
        "district__name", "last_name", "first_name", "id"
    )
    form = EnrollForm(request.POST or None, paras=candidates)
    # "Enroll everyone shown" works without script: the same narrowed list, all of it.
    everyone = request.method == "POST" and request.POST.get("everyone") == "shown"
    if everyone or (request.method == "POST" and form.is_valid()):
        chosen = list(candidates) if everyone else form.cleaned_data["paras"]
        created = save_through(
            form,
            lambda: services.enroll(offering=offering, paras=chosen, by=request.user),
        )
        if created is not None:
            count = len(created)
            messages.success(
                request,
                f"{count} paraprofessional{'s' if count != 1 else ''} enrolled in {offering}.",
            )
            return redirect("coursework:offering-detail", uuid=offering.uuid)
    return render(
        request,
        "coursework/enroll.html",
        {
            "offering": offering,
            "form": form,
            "filter_form": filter_form,
            "district": district,
            "q": q,
            "too_many": too_many if too_many > ENROLL_LIST_LIMIT else 0,
            "title": f"Enroll paraprofessionals in {offering}",
        },
    )


@capability_required(Capability.MANAGE_COLLEGE)
def offering_grades(request: HttpRequest, uuid: str) -> HttpResponse:
    """Final grades for the whole roster, saved together: one bad row saves nothing."""
    offering = get_visible_or_404(
        OFFERINGS.visible(request.user).select_related("course", "cohort"), uuid=uuid
    )
    require_allowed(OFFERINGS, request.user, "grade", offering)
    if refused := _refused_if_closed(request, offering):
        return refused
    enrollments = list(queries.roster(offering))
    form = RosterGradesForm(request.POST or None, offering=offering, enrollments=enrollments)
    status = 200
    if request.method == "POST" and form.is_valid():
        edits = form.edits()
        try:
            changed = services.record_grades(
                offering=offering,
                edits=edits,
                completed_on=form.cleaned_data["completed_on"],
                by=request.user,
            )
        except services.GradesChangedElsewhere as refusal:
            form.show_changed_elsewhere(refusal)
            status = 409
        except ValidationError as refused:  # e.g. the cohort is closed
            form.add_error(None, refused.messages)
        else:
            messages.success(
                request,
                f"Grades saved for {offering}: {changed} enrollment{'s' if changed != 1 else ''}"
                " changed.",
            )
            # Emptying a box takes a final grade back: say whose, so it is never unnoticed.
            cleared = [
                e.para.full_name
                for e in enrollments
                if e.grade and e.pk in edits and edits[e.pk].grade == ""
            ]
            if cleared:
                messages.warning(
                    request,
                    f"Grades removed for {', '.join(cleared)}: back to enrolled, with no "
                    "credit. The change history keeps the earlier grade.",
                )
            return redirect("coursework:offering-grades", uuid=offering.uuid)
    return render(
        request,
        "coursework/roster_grades.html",
        {"offering": offering, "form": form, "title": f"Final grades for {offering}"},
        status=status,
    )


@capability_required(Capability.MANAGE_COLLEGE)
def transfer_list(request: HttpRequest) -> HttpResponse:
    credits = TRANSFER_CREDITS.visible(request.user).select_related(
        "para__district", "college", "equivalent_course", "verified_by"
    )
    pending = credits.filter(verified_at__isnull=True).order_by("created_at", "id")
    verified = Paginator(
        credits.filter(verified_at__isnull=False).order_by("-verified_at", "id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    courses = COURSES.managed(request.user).order_by("code")
    rows = [(c, VerifyTransferForm(courses=courses, prefix=str(c.uuid))) for c in pending]
    return render(
        request,
        "coursework/transfer_list.html",
        {"rows": rows, "page": verified, "query": ""},
    )


@require_POST
@capability_required(Capability.MANAGE_COLLEGE)
def transfer_verify(request: HttpRequest, uuid: str) -> HttpResponse:
    credit = get_visible_or_404(
        TRANSFER_CREDITS.visible(request.user).select_related("para"),
        uuid=uuid,
        verified_at__isnull=True,
    )
    require_allowed(TRANSFER_CREDITS, request.user, "verify", credit)
    form = VerifyTransferForm(
        request.POST, courses=COURSES.managed(request.user), prefix=str(credit.uuid)
    )
    if not form.is_valid():
        messages.error(request, "Choose a course of your catalog, or none.")
        return redirect("coursework:transfer-list")
    services.verify_transfer_credit(
        credit=credit, by=request.user, equivalent_course=form.cleaned_data["equivalent_course"]
    )
    messages.success(request, f"Verified: {credit} for {credit.para}.")
    return redirect("coursework:transfer-list")


@require_POST
@capability_required(Capability.MANAGE_COLLEGE)
def transfer_decline(request: HttpRequest, uuid: str) -> HttpResponse:
    credit = get_visible_or_404(
        TRANSFER_CREDITS.visible(request.user).select_related("para"),
        uuid=uuid,
        verified_at__isnull=True,
    )
    require_allowed(TRANSFER_CREDITS, request.user, "verify", credit)
    label = f"{credit} for {credit.para}"
    services.decline_transfer_credit(credit=credit)
    messages.success(request, f"Declined and removed: {label}.")
    return redirect("coursework:transfer-list")


@capability_required(Capability.LEARN)
@one_time_submit
def transfer_create(request: HttpRequest) -> HttpResponse:
    require_allowed(TRANSFER_CREDITS, request.user, "submit")
    para = principal(request.user).staff
    form = TransferCreditForm(request.POST or None, para=para)
    if request.method == "POST" and form.is_valid():
        credit = save_through(form, lambda: services.submit_transfer_credit(credit=form.instance))
        if credit is not None:
            messages.success(
                request, f"{credit} sent to {credit.college} to verify. It counts once verified."
            )
            return redirect("coursework:progress")
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": "Add transfer credit",
            "legend": "Credit earned elsewhere",
            "submit_label": "Send for verification",
            "cancel_url": reverse("coursework:progress"),
        },
    )
