"""The sign-in page (password, with the providers' buttons) and resetting a second factor."""

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
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


class SignInView(LoginView):
    """Django's sign-in page (django-axes counts its failures), which hands a correct
    password to allauth's login flow: that asks for the code of anyone who has a second
    factor and records that the password was used (``middleware``)."""

    authentication_form = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url())
        return perform_password_login(self.request, {"email": user.email}, login)

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
