"""The coursework panels on the liaison's and the paraprofessional's dashboards
(a fixed number of queries each)."""

from coursework.access import managed_offerings, mentored_paraprofessional_ids
from pilot.access import Principal
from pilot.models import Staff

from . import credit, queries


def liaison_panel(p: Principal) -> dict:
    """Offerings of the liaison's colleges that have ended with grades still to record."""
    return {
        "waiting_for_grades": list(queries.offerings_waiting_for_grades(managed_offerings(p.user)))
    }


def para_panel(p: Principal) -> dict:
    """The paraprofessional's credit toward their declared plan."""
    para = p.staff
    record = queries.learner_record(para)
    declaration = queries.declared_plan(para)
    progress = None
    if declaration is not None:
        plan = queries.plans_with_blocks().get(pk=declaration.plan_id)
        progress = credit.plan_progress(queries.plan_rules(plan), record.items)
    return {"record": record, "progress": progress, "current": record.current}


def mentor_panel(p: Principal) -> dict:
    """A mentor teacher's paraprofessionals with their plan and college credit (one query)."""
    mentored = Staff.objects.filter(pk__in=mentored_paraprofessional_ids(p.staff))
    return {"mentees": list(queries.learner_summaries(mentored))}
