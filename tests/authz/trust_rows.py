from django.urls import reverse

from . import Row, coordinators

ROWS = {
    "pilot:lockout-list": Row(
        lambda w: reverse("pilot:lockout-list"), coordinators(dc=403, other=403)
    ),
    "pilot:lockout-unlock": Row(
        lambda w: reverse("pilot:lockout-unlock"),
        coordinators(302, dc=403, other=403),
        method="post",
        data=lambda w: {"username": "someone@example.test"},
    ),
}
