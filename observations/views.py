"""Observation pages. Access: login, then role (403), then scope (404), via observations.access."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentoring.access import visible_pairings
from mentoring.models import Pairing
from observations.access import (
    OBSERVATIONS,
    QUOTES,
    RUBRICS,
    coordinated_district_ids,
    coordinated_pairings,
    mentored_pairings,
    reminder_runs,
    reminders_sent,
)
from pilot.access import (
    Capability,
    capability_required,
    figures_scope_key,
    get_visible_or_404,
    visible_cohorts,
    visible_districts,
)
from pilot.figures_cache import cached_figures, lazy_figures, rendered_for_cache
from pilot.forms.errors import add_service_errors
from pilot.history import DEFAULT_EXCLUDE, Related, history_for
from pilot.models import Cohort, District, User
from pilot.services.program import cohort_closed_problem
from pilot.uuids import parse_uuid
from pilot.views.generic import one_time_submit

from . import queries, services
from .forms import (
    AcknowledgeForm,
    NewObservationForm,
    ObservationForm,
    QuoteApprovalForm,
    QuoteConsentForm,
    QuoteDecisionForm,
    ReopenForm,
    RubricPublishForm,
    SeenQuotesField,
)
from .models import Acknowledgement, Observation, ObservationLocked, Quote, Rating, Rubric
from .schedule import KINDS, REMINDER_WINDOW, due_on, forms_for

SEE = (Capability.VIEW_PROGRAM, Capability.MENTOR, Capability.LEARN)


@dataclass(frozen=True)
class TrackerCell:
    """One form of one pairing on the district tracker."""

    kind: str
    state: int  # 2 submitted, 1 draft, 0 not started
    due: date
    last_reminder: datetime | None
    can_remind: bool

    @property
    def kind_label(self) -> str:
        return Observation.Kind(self.kind).label


QUOTES_PER_PAGE = 25


def _observation_queryset(qs: QuerySet[Observation]) -> QuerySet[Observation]:
    return qs.select_related(
        "pairing__teacher",
        "pairing__paraprofessional__school",
        "pairing__district",
        "pairing__cohort",
        "rubric",
        "acknowledgement",
        "updated_by",
    )


def acknowledgement_of(observation: Observation) -> Acknowledgement | None:
    try:
        return observation.acknowledgement
    except Acknowledgement.DoesNotExist:
        return None


def _selected_cohort(request: HttpRequest) -> tuple[Cohort | None, QuerySet[Cohort]]:
    """The cohort chosen in ``?cohort=`` or else the newest active one."""
    cohorts = visible_cohorts(request.user).order_by("-starts_on")
    chosen = request.GET.get("cohort")
    if chosen:
        cohort = cohorts.filter(uuid=chosen).first() if parse_uuid(chosen) else None
        if cohort is not None:
            return cohort, cohorts
    cohort = cohorts.filter(status=Cohort.Status.ACTIVE).first() or cohorts.first()
    return cohort, cohorts


# --- /observations/ ------------------------------------------------------------------


@capability_required(*SEE)
def index(request: HttpRequest) -> HttpResponse:
    """Each role's part: the teacher's due forms, the paraprofessional's observations,
    the coordinators' completion tracker and quotes waiting for approval."""
    user = request.user
    context: dict = {
        "today": timezone.localdate(),
        "can_track": OBSERVATIONS.allows(user, "track"),
        "can_write": OBSERVATIONS.allows(user, "write"),
        "can_receive": OBSERVATIONS.allows(user, "receive"),
    }
    if context["can_track"]:
        cohort, cohorts = _selected_cohort(request)
        context["cohort"], context["cohorts"] = cohort, cohorts
        # The tracker and the quotes waiting, cached per scope and cohort until the next
        # write (pilot.figures_cache): their figures, and the part of the page they make.
        key = (figures_scope_key(user), cohort.pk if cohort else None)
        figures = cached_figures(
            "observations-tracker", key, lambda: _tracker_figures(user, cohort)
        )
        context.update(figures)
        context["coordinator_html"] = cached_figures(
            "observations-tracker-html",
            key,
            lambda: rendered_for_cache(
                "observations/includes/coordinator_part.html",
                {"cohort": cohort, "cohorts": cohorts, **figures},
            ),
        )
    if context["can_write"]:
        pairings = (
            mentored_pairings(request.user)
            .exclude(status=Pairing.Status.ENDED_EARLY)
            .exclude(cohort__status=Cohort.Status.CLOSED)
            .select_related("paraprofessional", "cohort")
            .prefetch_related(
                Prefetch(
                    "observations",
                    queryset=Observation.objects.only(
                        "uuid", "kind", "status", "observed_on", "pairing_id"
                    ),
                )
            )
            .order_by("paraprofessional__last_name", "paraprofessional__first_name", "id")
        )
        context["due_rows"] = [(pairing, forms_for(pairing)) for pairing in pairings]
        context["teacher_observations"] = _observation_queryset(
            OBSERVATIONS.written(request.user)
        ).order_by("-observed_on", "-id")
    if context["can_receive"]:
        context["own_observations"] = _observation_queryset(
            OBSERVATIONS.received(request.user)
        ).order_by("-observed_on", "-id")
    return render(request, "observations/index.html", context)


def _tracker_figures(user: User, cohort: Cohort | None) -> dict:
    """The completion tracker by district (of the cohort, in the user's scope) and the
    quotes waiting for a coordinator."""
    figures: dict = {}
    if cohort is not None:
        rows = queries.cohort_completion(
            coordinated_pairings(user),
            cohort,
            coordinated_district_ids(user),
            "district__slug",
            "district__name",
        )
        figures["tracker_rows"] = rows
        figures["tracker_totals"] = queries.completion_totals(rows)
    pending = queries.pending_quotes(QUOTES.visible(user))
    figures["pending_quote_count"] = pending.count()
    figures["pending_quotes"] = list(pending[:5])
    return figures


def _district_tracker(
    user: User, district: District, cohort: Cohort, today: date, may_remind: bool
) -> dict:
    """One district's completion by school, and each pairing's forms: its state, its due
    date ("overdue" only once the date has passed), when its teacher was last reminded,
    and whether a reminder may go now."""
    pairings = queries.trackable_pairings(
        coordinated_pairings(user).filter(district=district), cohort
    )
    school_rows = queries.completion_counts(
        pairings, "paraprofessional__school__name", "paraprofessional__school_id"
    )
    rows = list(
        queries.with_completion(pairings)
        .select_related("teacher", "paraprofessional__school")
        .order_by(
            "paraprofessional__school__name",
            "paraprofessional__last_name",
            "paraprofessional__first_name",
            "id",
        )
    )
    last_reminders = queries.last_reminders(rows)
    for p in rows:
        p.forms = [
            TrackerCell(
                kind=kind,
                state=state,
                due=due_on(p, kind),
                last_reminder=last_reminders.get((p.pk, kind)),
                can_remind=may_remind and state != 2 and due_on(p, kind) <= today + REMINDER_WINDOW,
            )
            for state, kind in zip((p.baseline_state, p.mid_state, p.end_state), KINDS, strict=True)
        ]
    return {
        "school_rows": school_rows,
        "totals": queries.completion_totals(school_rows),
        "pairings": rows,
    }


@capability_required(Capability.VIEW_PROGRAM)
def tracker_district(request: HttpRequest, slug: str) -> HttpResponse:
    """One district's completion by school, and who has no baseline or end-of-pilot form."""
    district = get_visible_or_404(visible_districts(request.user), slug=slug)
    cohort, cohorts = _selected_cohort(request)
    context: dict = {"district": district, "cohort": cohort, "cohorts": cohorts}
    if cohort is not None:
        user, today = request.user, timezone.localdate()
        may_remind = OBSERVATIONS.allows(user, "remind") and not cohort_closed_problem(cohort)
        # Cached per scope, district, cohort and day (what is overdue moves with the date)
        # until the next write (pilot.figures_cache): the figures, and the part they make.
        key = (figures_scope_key(user), district.pk, cohort.pk, today, may_remind)
        figures = lazy_figures(
            "tracker-district",
            key,
            lambda: _district_tracker(user, district, cohort, today, may_remind),
            ("school_rows", "totals", "pairings"),
        )
        context.update(figures, today=today, may_remind=may_remind)
        context["body_html"] = cached_figures(
            "tracker-district-html",
            key,
            lambda: rendered_for_cache(
                "observations/includes/tracker_district_body.html",
                {"district": district, "cohort": cohort, "today": today, **figures},
            ),
        )
    return render(request, "observations/tracker_district.html", context)


@require_POST
@capability_required(Capability.VIEW_PROGRAM)
def tracker_remind(request: HttpRequest, uuid: str, kind: str) -> HttpResponse:
    """A coordinator reminds the pair's teacher about one due or overdue form, then is
    back on the district's tracker."""
    pairing = get_visible_or_404(
        coordinated_pairings(request.user).select_related("district", "cohort", "teacher"),
        uuid=uuid,
    )
    if kind not in KINDS:
        raise Http404
    back = reverse("observations:tracker-district", args=[pairing.district.slug])
    back += f"?cohort={pairing.cohort.uuid}"  # the message shows at the top
    try:
        sent = services.send_tracker_reminder(pairing=pairing, kind=kind, user=request.user)
    except ValidationError as refused:
        messages.error(request, _messages(refused))
    else:
        messages.success(
            request,
            f"Reminder about the {Observation.Kind(kind).label.lower()} observation of "
            f"{pairing.paraprofessional} queued to {sent.sent_to}.",
        )
    return redirect(back)


@capability_required(Capability.VIEW_PROGRAM)
def reminders(request: HttpRequest) -> HttpResponse:
    """When the daily reminders last ran and what they sent (the latest runs and emails)."""
    runs = reminder_runs(request.user).order_by("-started_at", "-id")[:30]
    sent = (
        reminders_sent(request.user)
        .select_related(
            "pairing__teacher", "pairing__paraprofessional", "message", "run", "sent_by"
        )
        .order_by("-sent_at", "-id")[:100]
    )
    context = {
        "runs": runs,
        "sent": sent,
        "reminder_time": settings.REMINDER_TIME,
        "time_zone": settings.TIME_ZONE,
        "queued": bool(settings.REDIS_URL),
    }
    return render(request, "observations/reminders.html", context)


# --- one observation -----------------------------------------------------------------


@capability_required(Capability.MENTOR)
@one_time_submit
def new_observation(request: HttpRequest, uuid: str) -> HttpResponse:
    pairing = get_visible_or_404(
        mentored_pairings(request.user).select_related("paraprofessional"), uuid=uuid
    )
    initial = {"kind": request.GET.get("kind"), "observed_on": _default_date(pairing)}
    form = NewObservationForm(request.POST or None, pairing=pairing, initial=initial)
    if not form.fields["kind"].choices:
        messages.info(request, f"Every observation of {pairing.paraprofessional} is started.")
        return redirect("observations:index")
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.start_observation(
                pairing=pairing, user=request.user, **form.cleaned_data
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(
                request,
                f"{observation.get_kind_display()} observation started: rate each "
                "indicator and save as often as you like.",
            )
            return redirect("observations:detail", uuid=observation.uuid)
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": f"New observation of {pairing.paraprofessional}",
            "legend": "Observation",
            "submit_label": "Start observation",
            "cancel_url": reverse("observations:index"),
        },
    )


def _default_date(pairing: Pairing):
    today = timezone.localdate()
    return min(max(today, pairing.starts_on), pairing.ends_on)


def _rating_sections(observation: Observation, outline: list) -> list[dict]:
    ratings = {r.indicator_id: r for r in observation.ratings.all()}
    sections = []
    for domain in outline:
        rows = []
        for indicator in domain.indicator_list:
            rating = ratings.get(indicator.pk)
            descriptors = {d.level: d.text for d in indicator.descriptor_list}
            score = rating.score if rating else None
            rows.append(
                {
                    "indicator": indicator,
                    "rating": rating,
                    "score": score,
                    "descriptor": descriptors.get(score, "") if score else "",
                }
            )
        sections.append({"domain": domain, "rows": rows})
    return sections


def _form_for(observation: Observation, outline: list, data=None) -> ObservationForm:
    initial = ObservationForm.initial_for(observation, list(observation.ratings.all()))
    return ObservationForm(data, observation=observation, domains=outline, initial=initial)


def _render_form(
    request: HttpRequest, observation: Observation, form: ObservationForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "observations/observation_form.html",
        {
            "observation": observation,
            "form": form,
            "groups": form.grouped(),
            "reopenings": observation.reopenings.select_related("reopened_by"),
        },
        status=status,
    )


@capability_required(*SEE)
def detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """The teacher's form while it is a draft; read-only for everyone otherwise."""
    observation = get_visible_or_404(
        _observation_queryset(OBSERVATIONS.visible(request.user)).prefetch_related(
            "ratings", "quotes"
        ),
        uuid=uuid,
    )
    outline = queries.rubric_outline(observation.rubric)
    closed = cohort_closed_problem(observation.pairing.cohort)
    if OBSERVATIONS.allows(request.user, "edit", observation) and not closed:
        return _render_form(request, observation, _form_for(observation, outline))
    return _read_only_page(request, observation, outline)


def _read_only_page(
    request: HttpRequest,
    observation: Observation,
    outline: list,
    *,
    acknowledge_form: AcknowledgeForm | None = None,
    consent_form: QuoteConsentForm | None = None,
) -> HttpResponse:
    """The submitted observation; a refused acknowledgement or consent comes back here with
    its form bound, so the message stands next to its field."""
    user = request.user
    acknowledgement = acknowledgement_of(observation)
    # A closed cohort is read-only: the page says so and offers no write.
    closed = cohort_closed_problem(observation.pairing.cohort)
    context = {
        "closed": closed,
        "observation": observation,
        "pairing": observation.pairing,
        "sections": _rating_sections(observation, outline),
        "acknowledgement": acknowledgement,
        "reopenings": observation.reopenings.select_related("reopened_by"),
        "scores": queries.pairing_scores(observation.pairing),
        "show_quotes": OBSERVATIONS.allows(user, "see_quotes", observation),
        "can_reopen": not closed and OBSERVATIONS.allows(user, "reopen", observation),
        "history": history_for(
            user,
            observation,
            exclude=DEFAULT_EXCLUDE | {"version", "updated_by"},
            related=[
                Related(
                    Rating.history.filter(observation_id=observation.id).select_related(
                        "indicator"
                    ),
                    label=lambda record: f"Rating: {record.indicator}",
                    exclude=DEFAULT_EXCLUDE | {"observation", "indicator"},
                ),
                Related(
                    Acknowledgement.history.filter(observation_id=observation.id),
                    label=lambda record: "Acknowledgement",
                    exclude=DEFAULT_EXCLUDE | {"observation"},
                ),
            ],
        ),
    }
    if closed:
        return render(request, "observations/observation_detail.html", context)
    if OBSERVATIONS.allows(user, "acknowledge", observation) and acknowledgement is None:
        context["acknowledge_form"] = acknowledge_form or AcknowledgeForm()
    if observation.is_submitted and OBSERVATIONS.allows(user, "consent_to_quote", observation):
        context["consent_form"] = consent_form or QuoteConsentForm(
            observation=observation,
            initial={"comments": [q.comment for q in observation.quotes.all()]},
        )
    return render(request, "observations/observation_detail.html", context)


def _refused(
    request: HttpRequest, observation: Observation, **forms: AcknowledgeForm | QuoteConsentForm
) -> HttpResponse:
    messages.error(request, "Please correct the highlighted field below.")
    observation = _observation_queryset(Observation.objects.filter(pk=observation.pk))
    observation = observation.prefetch_related("ratings", "quotes").get()
    return _read_only_page(
        request, observation, queries.rubric_outline(observation.rubric), **forms
    )


def _messages(refused: ValidationError) -> str:
    return " ".join(refused.messages)


def _confirm_submit(
    request: HttpRequest, observation: Observation, form: ObservationForm
) -> HttpResponse:
    """Submitting makes the observation read-only, so ask first: a page (no script needed)
    that carries the form as filled in; nothing is saved until the teacher confirms."""
    unrated = [i for i in form.indicators if not form.cleaned_data.get(f"score_{i.pk}")]
    if unrated:
        form.require_every_rating(unrated)
        messages.error(request, _messages(services.IncompleteObservation(unrated)))
        return _render_form(request, observation, form)
    carried = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "action", "confirmed")
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "observations/submit_confirm.html",
        {"observation": observation, "carried": carried, "title": "Submit this observation?"},
    )


@require_POST
@capability_required(Capability.MENTOR)
def save(request: HttpRequest, uuid: str) -> HttpResponse:
    """Save the teacher's draft, or submit it (``action=submit``, once confirmed)."""
    observation = get_visible_or_404(
        _observation_queryset(OBSERVATIONS.written(request.user)).prefetch_related(
            "ratings", "quotes"
        ),
        uuid=uuid,
    )
    detail_url = reverse("observations:detail", args=[observation.uuid])
    submit = request.POST.get("action") == "submit"
    if closed := cohort_closed_problem(observation.pairing.cohort):
        messages.error(request, closed)  # the service refuses too
        return redirect(detail_url)
    if not OBSERVATIONS.allows(request.user, "submit" if submit else "edit", observation):
        messages.error(request, str(ObservationLocked()))
        return redirect(detail_url)
    outline = queries.rubric_outline(observation.rubric)
    form = _form_for(observation, outline, data=request.POST)
    if not form.is_valid():
        messages.error(request, "Please correct the highlighted fields below.")
        return _render_form(request, observation, form)
    if request.POST.get("action") == "edit":  # back from the confirmation, nothing saved
        return _render_form(request, observation, form)
    if submit and request.POST.get("confirmed") != "yes":
        return _confirm_submit(request, observation, form)
    try:
        saved = services.save_observation(
            observation=observation,
            user=request.user,
            version=form.cleaned_data["version"],
            data=form.to_input(),
            submit=submit,
        )
    except services.StaleObservation as stale:
        messages.error(request, _messages(stale))
        return _render_form(request, observation, form, status=409)
    except services.IncompleteObservation as incomplete:
        form.require_every_rating(incomplete.missing)
        messages.error(request, _messages(incomplete))
        return _render_form(request, observation, form)
    except ObservationLocked as locked:
        messages.error(request, str(locked))
        return redirect(detail_url)
    except ValidationError as refused:
        add_service_errors(form, refused)
        messages.error(request, "Please correct the highlighted fields below.")
        return _render_form(request, observation, form)
    if submit:
        messages.success(
            request,
            f"Submitted. {saved.pairing.paraprofessional} has been emailed to read and "
            "acknowledge it. The observation is now read-only.",
        )
    else:
        messages.success(request, "Draft saved.")
    return redirect(detail_url)


@require_POST
@capability_required(Capability.LEARN)
def acknowledge(request: HttpRequest, uuid: str) -> HttpResponse:
    observation = get_visible_or_404(OBSERVATIONS.received(request.user), uuid=uuid)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _refused(request, observation, acknowledge_form=form)
    try:
        services.acknowledge_observation(
            observation=observation, user=request.user, response=form.cleaned_data["response"]
        )
    except ValidationError as refused:
        messages.error(request, _messages(refused))
    else:
        messages.success(
            request, "Acknowledged: your teacher has been told you received this observation."
        )
    return redirect("observations:detail", uuid=observation.uuid)


@capability_required(Capability.MANAGE_PROGRAM)
def reopen(request: HttpRequest, uuid: str) -> HttpResponse:
    observation = get_visible_or_404(
        _observation_queryset(OBSERVATIONS.coordinated(request.user)), uuid=uuid
    )
    detail_url = reverse("observations:detail", args=[observation.uuid])
    if not OBSERVATIONS.allows(request.user, "reopen", observation):
        messages.info(request, "This observation is a draft: there is nothing to reopen.")
        return redirect(detail_url)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_observation(
                observation=observation, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as refused:
            if not hasattr(refused, "error_dict"):
                messages.error(request, _messages(refused))
                return redirect(detail_url)
            add_service_errors(form, refused)
        else:
            messages.success(
                request,
                "Reopened: the teacher can edit it again and has been emailed the reason.",
            )
            return redirect(detail_url)
    return render(
        request,
        "pilot/form_page.html",
        {
            "form": form,
            "title": f"Reopen the {observation.get_kind_display().lower()} observation of "
            f"{observation.pairing.paraprofessional}",
            "legend": "Reopen",
            "submit_label": "Reopen observation",
            "cancel_url": detail_url,
        },
    )


@require_POST
@capability_required(Capability.MENTOR)
def quote_consent(request: HttpRequest, uuid: str) -> HttpResponse:
    observation = get_visible_or_404(OBSERVATIONS.written(request.user), uuid=uuid)
    form = QuoteConsentForm(request.POST, observation=observation)
    if form.is_valid():
        try:
            services.set_quote_consent(
                observation=observation,
                user=request.user,
                comments=set(form.cleaned_data["comments"]),
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
    if not form.is_valid():
        return _refused(request, observation, consent_form=form)
    messages.success(request, "Your choice of quotable comments is saved.")
    return redirect("observations:detail", uuid=observation.uuid)


# --- quotes --------------------------------------------------------------------------


@capability_required(Capability.MANAGE_PROGRAM)
def quote_list(request: HttpRequest) -> HttpResponse:
    return _quote_list_page(request)


def _quote_list_page(
    request: HttpRequest, problems: dict[str, str] | None = None, ticked: set[str] = frozenset()
) -> HttpResponse:
    """The quotes waiting for approval (each with its problem when approving several was
    refused, and ticked as it was posted) and the last decisions."""
    quotes = QUOTES.visible(request.user)
    page = Paginator(queries.pending_quotes(quotes), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    problems = problems or {}
    for quote in page:
        quote.token = SeenQuotesField.token(quote)
        quote.problem = problems.get(str(quote.uuid), "")
        quote.ticked = str(quote.uuid) in ticked
    decided = (
        quotes.exclude(status=Quote.Status.PENDING)
        .select_related("observation__pairing__paraprofessional", "decided_by")
        .order_by("-decided_at", "-id")[:10]
    )
    # A problem of a quote no longer on the page (withdrawn or decided elsewhere).
    gone = [
        message for uuid, message in problems.items() if uuid not in {str(q.uuid) for q in page}
    ]
    return render(
        request,
        "observations/quote_list.html",
        {"page": page, "decided": decided, "gone": gone},
    )


@require_POST
@capability_required(Capability.MANAGE_PROGRAM)
def quote_approve_many(request: HttpRequest) -> HttpResponse:
    """Approve the ticked quotes (or all shown) at once: all of them or, with a message on
    each row that cannot be approved, none."""
    form = QuoteApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(dict.fromkeys(m for e in form.errors.values() for m in e)))
        return redirect("observations:quote-list")
    chosen = form.chosen()
    try:
        count = services.approve_quotes(
            quotes=QUOTES.visible(request.user), seen=chosen, user=request.user
        )
    except ValidationError as refused:
        if not hasattr(refused, "error_dict"):
            messages.error(request, _messages(refused))
            return redirect("observations:quote-list")
        problems = {
            uuid: " ".join(errors[0].messages) for uuid, errors in refused.error_dict.items()
        }
        messages.error(
            request,
            f"Nothing was approved: {len(problems)} of the {len(chosen)} quotes chosen "
            "cannot be approved (see the message on each).",
        )
        return _quote_list_page(request, problems, ticked=set(chosen))
    messages.success(request, f"{count:,} quote{pluralize(count)} approved.")
    return redirect("observations:quote-list")


@require_POST
@capability_required(Capability.MANAGE_PROGRAM)
def quote_decide(request: HttpRequest, uuid: str) -> HttpResponse:
    quote = get_visible_or_404(QUOTES.visible(request.user), uuid=uuid)
    form = QuoteDecisionForm(request.POST)
    if form.is_valid():
        try:
            approve = None if form.undo else form.approve
            services.decide_quote(quote=quote, user=request.user, approve=approve)
        except ValidationError as refused:
            messages.error(request, _messages(refused))
        else:
            done = "approved" if approve else "declined"
            messages.success(
                request, "Back to waiting for approval." if form.undo else f"Quote {done}."
            )
    else:
        messages.error(request, "Choose approve or decline.")
    return redirect("observations:quote-list")


# --- growth --------------------------------------------------------------------------


@capability_required(*SEE)
def growth(request: HttpRequest, uuid: str) -> HttpResponse:
    """One pairing's submitted scores: baseline, mid-pilot and end of pilot side by side."""
    pairing = get_visible_or_404(
        visible_pairings(request.user).select_related(
            "teacher", "paraprofessional__school", "district", "cohort"
        ),
        uuid=uuid,
    )
    observations = (
        OBSERVATIONS.visible(request.user)
        .filter(pairing=pairing)
        .select_related("acknowledgement")
        .order_by("observed_on", "id")
    )
    return render(
        request,
        "observations/growth.html",
        {
            "pairing": pairing,
            "scores": queries.pairing_scores(pairing),
            "observations": observations,
            "can_start": not cohort_closed_problem(pairing.cohort)
            and OBSERVATIONS.allows(request.user, "start", pairing),
        },
    )


# --- the rubric ----------------------------------------------------------------------


@capability_required(*SEE)
def rubric_list(request: HttpRequest) -> HttpResponse:
    rubrics = RUBRICS.visible(request.user).select_related("published_by").order_by("-version")
    return render(
        request,
        "observations/rubric_list.html",
        {"rubrics": rubrics, "can_publish": RUBRICS.allows(request.user, "publish")},
    )


@capability_required(*SEE)
def rubric_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    rubric = get_visible_or_404(
        RUBRICS.visible(request.user).select_related("published_by"), uuid=uuid
    )
    return render(
        request,
        "observations/rubric_detail.html",
        {
            "rubric": rubric,
            "outline": queries.rubric_outline(rubric),
            "is_current": rubric == Rubric.objects.current(),
        },
    )


@capability_required(Capability.MANAGE_RUBRIC)
def rubric_publish(request: HttpRequest) -> HttpResponse:
    current = services.ensure_rubric()
    outline = queries.rubric_outline(current)
    form = RubricPublishForm(
        request.POST or None, domains=outline, initial={"title": current.title}
    )
    if request.method == "POST" and form.is_valid():
        rubric = services.publish_rubric(
            user=request.user,
            title=form.cleaned_data["title"],
            notes=form.cleaned_data["notes"],
            edits=form.edits(),
        )
        messages.success(
            request,
            f"Version {rubric.version} published: new observations use it; earlier "
            "observations keep the version they were written on.",
        )
        return redirect("observations:rubric-detail", uuid=rubric.uuid)
    return render(
        request,
        "observations/rubric_publish.html",
        {"form": form, "current": current, "groups": form.grouped()},
    )
