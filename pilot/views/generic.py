"""Small shared pieces for the create/edit pages."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.views.generic.edit import FormMixin


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
