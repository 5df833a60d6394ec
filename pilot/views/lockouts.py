from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pilot.access import Capability, capability_required
from pilot.lockouts import current_lockouts
from pilot.services.lockouts import unlock_sign_in


@capability_required(Capability.UNLOCK_SIGN_INS)
def lockout_list(request: HttpRequest) -> HttpResponse:
    accounts, addresses = current_lockouts()
    context = {
        "accounts": accounts,
        "addresses": addresses,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(get_cool_off().total_seconds() // 60),
    }
    return render(request, "pilot/lockout_list.html", context)


@require_POST
@capability_required(Capability.UNLOCK_SIGN_INS)
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    try:
        label = unlock_sign_in(
            unlocked_by=request.user,
            username=request.POST.get("username", ""),
            ip_address=request.POST.get("ip_address", ""),
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Unlocked the {label}: it can try to sign in again.")
    return redirect("pilot:lockout-list")
