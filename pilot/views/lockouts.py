from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pilot.access import Capability, capability_required
from pilot.audit import log_access
from pilot.lockouts import current_lockouts, unlock_account, unlock_address
from pilot.models import AuditEntry


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
    username = request.POST.get("username", "").strip().lower()
    address = request.POST.get("ip_address", "").strip()
    if username:
        unlock_account(username)
        label = f"account {username}"
    elif address:
        try:
            validate_ipv46_address(address)
        except ValidationError:
            messages.error(request, "That is not an address.")
            return redirect("pilot:lockout-list")
        unlock_address(address)
        label = f"address {address}"
    else:
        messages.error(request, "Choose an account or an address to unlock.")
        return redirect("pilot:lockout-list")
    log_access(request.user, AuditEntry.Action.UNLOCK, label)
    messages.success(request, f"Unlocked the {label}: it can try to sign in again.")
    return redirect("pilot:lockout-list")
