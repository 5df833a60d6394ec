"""The code step of allauth's login, skipped for a sign-in through the district's provider:
that provider applies its own second factor (README, "Single sign-on")."""

from allauth.mfa.stages import AuthenticateStage
from django.http import HttpRequest


def through_provider(stage: AuthenticateStage) -> bool:
    """Whether this login came from a provider (allauth passes the social login along)."""
    return bool((stage.login.signal_kwargs or {}).get("sociallogin"))


class PasswordSecondFactorStage(AuthenticateStage):
    """allauth's "enter your code" stage, for password sign-ins only."""

    def _should_handle(self, request: HttpRequest) -> bool:
        return not through_provider(self) and super()._should_handle(request)
