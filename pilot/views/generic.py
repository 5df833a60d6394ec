"""Small shared pieces for the create/edit pages."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.views.generic.edit import FormMixin

from pilot import submissions


class SavedMessageMixin(FormMixin):
    """Redirect after a successful POST with a message naming what was saved."""

    saved_message = "Saved."

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        messages.success(self.request, self.saved_message.format(object=self.object))
        return response


def redirect_with_message(request: Any, url: str, message: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(url)


class OneTimeSubmitMixin:
    """Create views: the same form submitted twice saves one record (see pilot.submissions).

    Put it before the view's other mixins. The form page gets ``form_token`` in its context;
    a POST without a valid token is shown again with a message and saves nothing.
    """

    already_submitted_message = "That form had already been sent; it was saved once."
    missing_token_message = "This form has expired. Please check it and send it again."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["form_token"] = submissions.new_token()
        return super().get_context_data(**kwargs)  # type: ignore[misc]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form_token = submissions.parse_token(request.POST.get(submissions.TOKEN_FIELD))
        if self.form_token is None:
            self.object = None
            form = self.get_form()  # type: ignore[attr-defined]
            form.is_valid()
            form.add_error(None, self.missing_token_message)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        earlier = submissions.earlier_submission(self.form_token, request.user)
        if earlier is not None:
            return self._already_submitted(earlier)
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            submission = submissions.claim(self.form_token, self.request.user)  # type: ignore[attr-defined]
            if submission is None:  # a twin request claimed it while this one was validating
                earlier = submissions.earlier_submission(self.form_token, self.request.user)  # type: ignore[attr-defined]
                return self._already_submitted(earlier)
            response = super().form_valid(form)  # type: ignore[misc]
            submissions.remember_redirect(submission, response["Location"])
        return response

    def _already_submitted(self, earlier: Any) -> HttpResponse:
        messages.info(self.request, self.already_submitted_message)  # type: ignore[attr-defined]
        url = earlier.redirect_url if earlier is not None and earlier.redirect_url else None
        return HttpResponseRedirect(url or self.request.get_full_path())  # type: ignore[attr-defined]
