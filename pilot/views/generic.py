"""Small shared pieces for the create/edit pages."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from pilot import submissions
from pilot.forms.errors import add_service_errors
from pilot.services.program import cohort_closed_problem

ALREADY_SUBMITTED = "That form had already been sent; it was saved once."
BAD_TOKEN = "This form has expired. Please check it and send it again."


def refused_if_closed(request: HttpRequest, cohort: Any, *, back: str) -> HttpResponse | None:
    """A write page of a closed cohort's record says why at once and sends to ``back`` (the
    services refuse the write too); None when the cohort is open."""
    if problem := cohort_closed_problem(cohort):
        messages.error(request, problem)
        return HttpResponseRedirect(back)
    return None


def bound_form(request: HttpRequest) -> dict[str, Any]:
    """The ``data`` of a form on a page that shows it on GET and saves it on POST."""
    return {"data": request.POST if request.method == "POST" else None}


def service_form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    saved: Callable[[Any], str],
    next_url: Callable[[Any], str],
    cancel_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form page whose POST calls a service: ``save(cleaned_data)`` returns the record,
    then the page redirects to ``next_url(record)`` with the message ``saved(record)``; the
    service's refusal is shown on the form's fields (``add_service_errors``). Its Cancel
    link goes back where the user came from, else to ``cancel_url``."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form.cleaned_data)
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, saved(record))
            return HttpResponseRedirect(next_url(record))
    return render(
        request, "pilot/form_page.html", {"form": form, "cancel_url": cancel_url, **context}
    )


class _NothingSaved(Exception):
    """Leaves ``one_time_submit``'s transaction, undoing the claim of the token."""

    def __init__(self, response: HttpResponse | None) -> None:
        self.response = response


def one_time_submit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The one double-submit guard (see pilot.submissions): the same form sent twice saves
    one record.

    Put it under ``@capability_required`` (the role check comes first). The form page gets
    a fresh token as ``request.form_token`` (``includes/form_token.html`` renders it, and
    ``includes/form.html`` includes that). A POST with a token claims it, then runs the view
    in the same transaction: a redirect (the record saved) keeps the claim and remembers
    where it went; any other answer (the form shown again with its errors, a 404) undoes
    the claim, so the form can be corrected and sent again. A repeat of a claimed token is
    sent where the first went, with a message, and runs nothing. A POST without the field
    is handled as usual, unguarded; a malformed token is refused with a message.
    """

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.form_token = submissions.new_token()  # type: ignore[attr-defined]
        if request.method != "POST" or submissions.TOKEN_FIELD not in request.POST:
            return view(request, *args, **kwargs)
        token = submissions.parse_token(request.POST[submissions.TOKEN_FIELD])
        if token is None:
            messages.error(request, BAD_TOKEN)
            return HttpResponseRedirect(request.get_full_path())
        earlier = submissions.earlier_submission(token, request.user)
        if earlier is not None:
            return _sent_where_the_first_went(request, earlier)
        try:
            with transaction.atomic():
                submission = submissions.claim(token, request.user)
                if submission is None:  # a twin request claimed it first
                    raise _NothingSaved(None)
                response = view(request, *args, **kwargs)
                if not _is_redirect(response):
                    raise _NothingSaved(response)
                submissions.remember_redirect(submission, response["Location"])
        except _NothingSaved as unsaved:
            if unsaved.response is not None:
                return unsaved.response
            return _sent_where_the_first_went(
                request, submissions.earlier_submission(token, request.user)
            )
        return response

    return guarded


def _is_redirect(response: HttpResponse) -> bool:
    return response.status_code in (301, 302, 303, 307, 308) and response.has_header("Location")


def _sent_where_the_first_went(request: HttpRequest, earlier: Any) -> HttpResponse:
    messages.info(request, ALREADY_SUBMITTED)
    url = earlier.redirect_url if earlier is not None and earlier.redirect_url else None
    return HttpResponseRedirect(url or request.get_full_path())
