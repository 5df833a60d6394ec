"""Audit: change history on the staff page (program coordinators only), the append-only
access log, and role changes written to it."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pilot.history import build_history
from pilot.models import AuditEntry, RoleAssignment, Staff
from pilot.models.audit import AppendOnlyError

from .factories import PairingFactory, ParaFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def edit_staff(client, member: Staff, **changes) -> None:
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member.role,
        "district": member.district_id,
        "school": member.school_id,
        "employee_id": member.employee_id,
        **changes,
    }
    response = client.post(reverse("pilot:staff-update", args=[member.uuid]), data)
    assert response.status_code == 302, response.context["form"].errors


class TestStaffHistory:
    def test_coordinator_sees_who_changed_what_and_when(self, world, login) -> None:
        pc = world.users["pc"]
        client = login(pc)
        other_school = SchoolFactory(district=world.district_a, name="Alpha Middle")
        edit_staff(client, world.para, first_name="Patricia", school=other_school.pk)

        response = client.get(reverse("pilot:staff-detail", args=[world.para.uuid]))
        history = response.context["history"]
        newest = history.rows[0]
        assert newest.action == "Changed"
        assert newest.who == pc.get_full_name()
        changes = {c.label: (c.old, c.new) for c in newest.changes}
        assert changes == {
            "First name": (world.para.first_name, "Patricia"),
            "School": ("Alpha Elementary", "Alpha Middle"),
        }
        assert history.rows[-1].action == "Created"
        html = response.content.decode()
        assert '<h2 id="history-heading">Change history</h2>' in html
        assert "<ins>Alpha Middle</ins>" in html and "<del>Alpha Elementary</del>" in html
        assert pc.get_full_name() in html

    def test_deactivation_shows_in_the_history(self, world, login) -> None:
        client = login(world.users["pc"])
        client.post(reverse("pilot:staff-set-active", args=[world.para.uuid]), {"active": "false"})
        rows = client.get(reverse("pilot:staff-detail", args=[world.para.uuid])).context["history"]
        assert [(c.label, c.old, c.new) for c in rows.rows[0].changes] == [("Active", "Yes", "No")]

    @pytest.mark.parametrize("persona", ["dc_own"])
    def test_others_do_not_see_the_history(self, world, login, persona) -> None:
        response = login(world.users[persona]).get(
            reverse("pilot:staff-detail", args=[world.para.uuid])
        )
        assert response.status_code == 200
        assert response.context["history"] is None
        assert "Change history" not in response.content.decode()

    def test_history_is_built_with_a_fixed_number_of_queries(
        self, world, django_assert_max_num_queries
    ) -> None:
        schools = [SchoolFactory(district=world.district_a) for _ in range(3)]

        def churn(member: Staff, times: int) -> None:
            for n in range(times):
                member.first_name = f"Name {n}"
                member.school = schools[n % 3]
                member.is_active = n % 2 == 0
                member.save()

        few, many = ParaFactory(school=world.school_a), ParaFactory(school=world.school_a)
        churn(few, 5)
        churn(many, 200)
        # One query for the records and their authors, one per foreign key that changed.
        for member in (few, many):
            with django_assert_max_num_queries(2):
                history = build_history(member, limit=300)
            assert len(history.rows) == (6 if member is few else 201)
        assert build_history(many).has_more
        assert len(build_history(many).rows) == 50


class TestPairingHistory:
    def test_program_coordinator_sees_pairing_changes(self, world, login) -> None:
        pairing = PairingFactory(
            cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
        )
        pairing.focus_areas = ["classroom_support", "engagement"]
        pairing.save()
        url = reverse("mentoring:pairing-detail", args=[pairing.uuid])

        history = login(world.users["pc"]).get(url).context["history"]
        assert [(c.label, c.old, c.new) for c in history.rows[0].changes] == [
            (
                "Focus areas",
                "Classroom Support",
                "Classroom Support, Engagement with the Profession",
            )
        ]
        for persona in ("dc_own", "teacher", "para"):
            response = login(world.users[persona]).get(url)
            assert response.status_code == 200
            assert response.context["history"] is None, persona


class TestObservationHistory:
    def test_program_coordinator_sees_the_observation_and_its_ratings_change(
        self, world, login
    ) -> None:
        from observations.models import Observation

        from .test_observations_workflow import form_data

        pairing = PairingFactory(
            cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
        )
        teacher = login(world.users["teacher"])
        teacher.post(
            reverse("observations:create", args=[pairing.uuid]),
            {"kind": "baseline", "observed_on": "2026-09-10"},
        )
        observation = Observation.objects.get(pairing=pairing)
        saved = teacher.post(
            reverse("observations:save", args=[observation.uuid]),
            form_data(observation, action="submit"),
        )
        assert saved.status_code == 302
        url = reverse("observations:detail", args=[observation.uuid])

        history = login(world.users["pc"]).get(url).context["history"]
        own = [row for row in history.rows if not row.subject]
        status = [c for row in own for c in row.changes if c.label == "Status"]
        assert [(c.old, c.new) for c in status] == [("Draft", "Submitted")]
        assert own[0].who == world.users["teacher"].get_full_name()
        ratings = [row for row in history.rows if row.subject.startswith("Rating: ")]
        scores = {(c.old, c.new) for row in ratings for c in row.changes if c.label == "Score"}
        assert scores == {("—", "Proficient")}  # level 3
        for persona in ("dc_own", "teacher", "para"):
            assert login(world.users[persona]).get(url).context["history"] is None, persona


class TestCourseworkHistory:
    """Enrollments, grades, transfer credit and the declared plan, on the paraprofessional's
    progress page: who enrolled, graded and verified what, and when."""

    def test_program_coordinator_sees_enrollment_grades_and_verification(
        self, world, login
    ) -> None:
        from coursework.models import Enrollment, TransferCredit

        from .factories import OfferingFactory, TransferCreditFactory
        from .test_coursework_roster import post_grades

        offering = OfferingFactory(
            course__college=world.college, course__code="EDU 150", cohort=world.cohort
        )
        credit = TransferCreditFactory(
            para=world.para, college=world.college, course_title="Public Speaking"
        )
        liaison = login(world.users["liaison"])
        enrolled = liaison.post(
            reverse("coursework:offering-enroll", args=[offering.uuid]), {"paras": [world.para.pk]}
        )
        assert enrolled.status_code == 302
        enrollment = Enrollment.objects.get(para=world.para)
        graded = post_grades(liaison, offering, {enrollment: "B"}, "2026-11-20")
        assert graded.status_code == 302, graded.content.decode()[:2000]
        liaison.post(reverse("coursework:transfer-verify", args=[credit.uuid]), {})
        assert TransferCredit.objects.get(pk=credit.pk).is_verified

        url = reverse("coursework:progress-for", args=[world.para.uuid])
        response = login(world.users["pc"]).get(url)
        history = response.context["history"]
        assert history.subject == f"the coursework of {world.para.full_name}"
        by_subject = {}
        for row in history.rows:
            by_subject.setdefault(row.subject, []).append(row)
        enrollment_rows = by_subject[f"Enrollment in {offering}"]
        assert [row.action for row in enrollment_rows] == ["Changed", "Created"]
        grade_change = {c.label: (c.old, c.new) for c in enrollment_rows[0].changes}
        assert grade_change["Grade"] == ("—", "B")
        assert grade_change["Status"] == ("Enrolled", "Completed")
        assert enrollment_rows[0].who == world.users["liaison"].get_full_name()
        assert enrollment_rows[0].reason == "grades recorded"
        verified = by_subject["Transfer credit: Public Speaking"][0]
        assert {c.label: c.new for c in verified.changes}["Verified by"] == str(
            world.users["liaison"]
        )
        html = response.content.decode()
        assert f"Changes to the coursework of {world.para.full_name}" in html
        assert "<ins>B</ins>" in html

        for persona in ("dc_own", "liaison", "teacher"):
            if persona == "teacher":
                PairingFactory(
                    cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
                )
            response = login(world.users[persona]).get(url)
            assert response.status_code == 200, persona
            assert response.context["history"] is None, persona
            assert "Change history" not in response.content.decode(), persona
        own = login(world.users["para"]).get(reverse("coursework:progress"))
        assert own.context["history"] is None

    @pytest.mark.parametrize("n", [5, 200])
    def test_progress_page_with_history_makes_a_fixed_number_of_queries(
        self, world, login, django_assert_max_num_queries, n
    ) -> None:
        """The coordinator's view of the page: the coursework page's budget plus the
        history's three streams and the names of the records its changes point to."""
        from coursework.models import Enrollment, PlanDeclaration
        from coursework.services import GradeEdit, record_grades, verify_transfer_credit

        from .factories import DegreePlanFactory, TransferCreditFactory
        from .test_coursework_queries import PROGRESS_BUDGET, para_with_enrollments

        para_with_enrollments(world, n)  # enrollments without history rows: add them
        Enrollment.history.bulk_history_create(list(Enrollment.objects.filter(para=world.para)))
        for _ in range(n // 5):
            TransferCreditFactory(para=world.para, college=world.college)
        declaration = PlanDeclaration.objects.get(para=world.para)
        for _ in range(3):
            declaration.plan = DegreePlanFactory(college=world.college)
            declaration.save()
        for credit in world.para.transfer_credits.all():
            verify_transfer_credit(credit=credit, by=world.users["liaison"])
        for enrollment in Enrollment.objects.filter(para=world.para)[:10]:
            regrade = "A" if enrollment.grade != "A" else "B"
            record_grades(
                offering=enrollment.offering,
                edits={enrollment.pk: GradeEdit(regrade, enrollment.updated_at)},
                completed_on=timezone.localdate(),
            )

        client = login(world.users["pc"])
        url = reverse("coursework:progress-for", args=[world.para.uuid])
        with django_assert_max_num_queries(PROGRESS_BUDGET + HISTORY_QUERIES):
            response = client.get(url)
        history = response.context["history"]
        graded, credits = min(n, 10), 3 + n // 5
        assert len(history.rows) == min(50, n + graded + 2 * credits + 1 + 3)
        # Every change shows what changed, even when the version before it is older than
        # the rows read (200 enrollments created before the grades).
        changed = [row for row in history.rows if row.action == "Changed"]
        assert len(changed) == min(50, graded + credits + 3)
        assert all(row.changes for row in changed)
        labels = {c.label for row in changed for c in row.changes}
        assert {"Grade", "Verified by"} <= labels, labels


# The coursework history on the progress page: three history tables (enrollments, transfer
# credit, declared plan), for each the versions before its oldest rows read, and the names
# behind the links that changed (transfer credit's college, course and verifier; the plan).
HISTORY_QUERIES = 3 + 3 + 4


class TestAccessLog:
    def entry(self, world) -> AuditEntry:
        return AuditEntry.objects.create(
            actor=world.users["pc"],
            actor_email="pc@example.test",
            action=AuditEntry.Action.EXPORT,
            subject="staff list",
        )

    def test_entries_cannot_be_changed(self, world) -> None:
        entry = self.entry(world)
        entry.subject = "something else"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).update(subject="x")
        with pytest.raises(AppendOnlyError), transaction.atomic():
            AuditEntry.objects.bulk_update([entry], ["subject"])
        entry.refresh_from_db()
        assert entry.subject == "staff list"

    def test_entries_cannot_be_deleted(self, world) -> None:
        entry = self.entry(world)
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.all().delete()
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_entries_outlive_their_author(self, world) -> None:
        entry = self.entry(world)
        world.users["pc"].delete()
        entry.refresh_from_db()
        assert entry.actor is None and entry.actor_email == "pc@example.test"

    def test_admin_offers_no_change_or_delete(self, world, rf) -> None:
        from django.contrib import admin

        model_admin = admin.site._registry[AuditEntry]
        request = rf.get("/")
        request.user = world.users["pc"]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)

    def test_granting_and_revoking_a_role_is_logged(self, world, login) -> None:
        pc = world.users["pc"]
        client = login(pc)
        before = timezone.now()
        response = client.post(
            reverse("pilot:role-create"),
            {
                "email": "new-dc@example.test",
                "role": "district_coordinator",
                "district": world.district_b.pk,
            },
        )
        assert response.status_code == 302
        granted = AuditEntry.objects.get(action=AuditEntry.Action.ROLE_CHANGE)
        assert granted.actor == pc and granted.actor_email == pc.email
        assert granted.subject.startswith("granted ")
        assert "new-dc@example.test" in granted.subject and "Beta District" in granted.subject
        assert before <= granted.at <= timezone.now()
        assert granted.at.utcoffset() == timedelta(0)  # stored and read back in UTC

        assignment = RoleAssignment.objects.get(user__email="new-dc@example.test")
        client.post(reverse("pilot:role-revoke", args=[assignment.uuid]))
        revoked = AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_CHANGE).order_by("-at")[0]
        assert revoked.subject.startswith("revoked ") and "new-dc@example.test" in revoked.subject

    def test_a_refused_role_change_is_not_logged(self, world, login) -> None:
        response = login(world.users["dc_own"]).post(
            reverse("pilot:role-create"), {"email": "x@example.test", "role": "program_coordinator"}
        )
        assert response.status_code == 403
        assert not AuditEntry.objects.exists()

    def test_a_failed_write_leaves_no_entry(self, world, login) -> None:
        client = login(world.users["pc"])
        response = client.post(
            reverse("pilot:role-create"), {"email": "", "role": "college_liaison"}
        )
        assert response.status_code == 200
        assert not AuditEntry.objects.exists()
