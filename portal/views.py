from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pilot.access import principal
from portal import dashboards


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own dashboard."""
    p = principal(request.user)
    template, context = dashboards.for_principal(p)
    return render(request, template, context)
