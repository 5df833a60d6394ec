"""The sign-in page (password, with the providers' buttons) and resetting a second factor."""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from pilot.access import Capability, capability_required, get_visible_or_404
from pilot.models import User
from pilot.views.accounts import SignInForm

from .services import reset_second_factor

# allauth calls Microsoft's provider "Microsoft Graph"; the button says what people know.
BUTTON_LABELS = {"google": "Google", "microsoft": "Microsoft"}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def authorization_origin(provider: Any) -> str:
    """Where the provider's button sends the browser. For a generic OpenID Connect
    provider, its issuer's origin (read from the settings: the sign-in page does not fetch
    the provider's discovery document)."""
    if isinstance(provider, OpenIDConnectProvider):
        return origin(provider.app.settings["server_url"])
    return origin(provider.get_oauth2_adapter(provider.request).authorize_url)


class SignInView(LoginView):
    """Django's sign-in page (django-axes counts its failures), which hands a correct
    password to allauth's login flow: that asks for the code of anyone who has a second
    factor and records that the password was used (``middleware``)."""

    authentication_form = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url())
        return perform_password_login(self.request, {"email": user.email}, login)

    def render_to_response(self, context: dict, **kwargs: object) -> HttpResponse:
        """The providers' buttons are forms whose answer is a redirect to the provider:
        the CSP's ``form-action`` must let the browser follow it, on this page only."""
        response = super().render_to_response(context, **kwargs)
        origins = sorted({authorization_origin(p["provider"]) for p in context["providers"]})
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        providers = [
            app.get_provider(self.request) for app in get_social_adapter().list_apps(self.request)
        ]
        context["providers"] = [
            {"provider": provider, "label": BUTTON_LABELS.get(provider.id, provider.name)}
            for provider in providers
        ]
        return context


@require_POST
@capability_required(Capability.RESET_SECOND_FACTOR)
def second_factor_reset(request: HttpRequest, uuid: str) -> HttpResponse:
    person = get_visible_or_404(User.objects.all(), uuid=uuid)
    removed = reset_second_factor(user=person, reset_by=request.user)
    if removed:
        messages.success(
            request, f"Second factor reset for {person}: they set it up again at next sign-in."
        )
    else:
        messages.info(request, f"{person} had no second factor to reset.")
    return redirect("pilot:role-list")
