"""Relations between people that one app knows and another needs for its rules.

Who mentors whom is mentoring's knowledge, yet coursework lets a mentor teacher read
their paraprofessional's progress. Rather than importing mentoring, coursework asks the
core for the relation and mentoring provides it from ``AppConfig.ready()``. With no
provider registered the relation is empty: nobody is related.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from pilot.models import Staff

# The paraprofessionals a teacher mentors now (active pairings): a values("id") queryset.
MENTEES = "mentees"
# The paraprofessionals a teacher mentors or has mentored in any cohort.
MENTEES_EVER = "mentees_ever"

Provider = Callable[[Staff], QuerySet]

_PROVIDERS: dict[str, Provider] = {}


def provide(relation: str, provider: Provider) -> Provider:
    _PROVIDERS[relation] = provider
    return provider


def related_staff_ids(relation: str, staff: Staff | None) -> QuerySet:
    """Ids of the staff in ``relation`` with ``staff``, as a subquery-ready queryset."""
    provider = _PROVIDERS.get(relation)
    if staff is None or provider is None:
        return Staff.objects.none().values("id")
    return provider(staff)
