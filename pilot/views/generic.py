"""Small shared pieces for the create/edit pages."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic.edit import FormMixin

from pilot import submissions


class SavedMessageMixin(FormMixin):
    """Redirect after a successful POST with a message naming what was saved."""

    saved_message = "Saved."

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        messages.success(self.request, self.saved_message.format(object=self.object))
        return response


class OneTimeSubmitMixin:
    """Create views: the same form submitted twice saves one record (see pilot.submissions).

    Put it before the view's other mixins. The form page gets ``form_token`` in its context
    and ``includes/form.html`` sends it back. A POST without the field (a script, a test
    client) is handled as usual, unguarded; a malformed token is refused with a message.
    """

    already_submitted_message = "That form had already been sent; it was saved once."
    bad_token_message = "This form has expired. Please check it and send it again."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["form_token"] = submissions.new_token()
        return super().get_context_data(**kwargs)  # type: ignore[misc]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        sent = request.POST.get(submissions.TOKEN_FIELD)
        self.form_token = submissions.parse_token(sent) if sent is not None else None
        if sent is not None and self.form_token is None:
            self.object = None
            form = self.get_form()  # type: ignore[attr-defined]
            form.is_valid()
            form.add_error(None, self.bad_token_message)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        if self.form_token is not None:
            earlier = submissions.earlier_submission(self.form_token, request.user)
            if earlier is not None:
                return self._already_submitted(earlier)
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def form_valid(self, form: Any) -> HttpResponse:
        if self.form_token is None:
            return super().form_valid(form)  # type: ignore[misc]
        request = self.request  # type: ignore[attr-defined]
        with transaction.atomic():
            submission = submissions.claim(self.form_token, request.user)
            if submission is None:  # a twin request claimed it while this one was validating
                return self._already_submitted(
                    submissions.earlier_submission(self.form_token, request.user)
                )
            response = super().form_valid(form)  # type: ignore[misc]
            submissions.remember_redirect(submission, response["Location"])
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # A twin request may have saved while this one validated: its record then makes
        # this copy look invalid ("already exists"). Send it where the twin went instead.
        if getattr(self, "form_token", None) is not None:
            earlier = submissions.earlier_submission(self.form_token, self.request.user)  # type: ignore[attr-defined]
            if earlier is not None:
                return self._already_submitted(earlier)
        return super().form_invalid(form)  # type: ignore[misc]

    def _already_submitted(self, earlier: Any) -> HttpResponse:
        request = self.request  # type: ignore[attr-defined]
        messages.info(request, self.already_submitted_message)
        url = earlier.redirect_url if earlier is not None and earlier.redirect_url else None
        return HttpResponseRedirect(url or request.get_full_path())


class _NothingSaved(Exception):
    """Leaves ``one_time_submit``'s transaction, undoing the claim of the token."""

    def __init__(self, response: HttpResponse | None) -> None:
        self.response = response


def one_time_submit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Function-view counterpart of ``OneTimeSubmitMixin``: the same form sent twice saves
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
            messages.error(request, OneTimeSubmitMixin.bad_token_message)
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
    messages.info(request, OneTimeSubmitMixin.already_submitted_message)
    url = earlier.redirect_url if earlier is not None and earlier.redirect_url else None
    return HttpResponseRedirect(url or request.get_full_path())
