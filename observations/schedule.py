"""When each kind of observation is due for a pairing.

- baseline: within the pairing's first 30 days;
- mid-pilot: by the midpoint of the pairing;
- end of pilot: by the pairing's end date (reminders start 14 days before).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from mentoring.models import Pairing

from .models import Observation

Kind = Observation.Kind
KINDS: tuple[str, ...] = (Kind.BASELINE, Kind.MID, Kind.END)
BASELINE_WINDOW = timedelta(days=30)
REMINDER_WINDOW = timedelta(days=14)


def due_on(pairing: Pairing, kind: str) -> date:
    start, end = pairing.starts_on, pairing.ends_on
    if kind == Kind.BASELINE:
        return min(start + BASELINE_WINDOW, end)
    if kind == Kind.MID:
        return start + (end - start) / 2
    return end


@dataclass(frozen=True)
class DueForm:
    """One kind of form for one pairing, and where it stands."""

    pairing: Pairing
    kind: str
    due_on: date
    observation: Observation | None  # None: not started

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def state(self) -> str:
        if self.observation is None:
            return "missing"
        return self.observation.status

    @property
    def is_done(self) -> bool:
        return self.observation is not None and self.observation.is_submitted

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.due_on < today

    def is_due_soon(self, today: date) -> bool:
        return not self.is_done and self.due_on <= today + REMINDER_WINDOW


def forms_for(pairing: Pairing, observations: list[Observation] | None = None) -> list[DueForm]:
    """Every kind for the pairing, from ``observations`` (default: its prefetched ones)."""
    if observations is None:
        observations = list(pairing.observations.all())
    by_kind = {o.kind: o for o in observations}
    return [DueForm(pairing, kind, due_on(pairing, kind), by_kind.get(kind)) for kind in KINDS]
