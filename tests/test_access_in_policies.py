"""Who may see and do what is decided in the access policies only (``pilot/access/`` and
each app's ``access.py``): no view, template, form, service or site page tests a role, a
pair membership or a district/college scope inline."""

import re

from tests.test_static_checks import ROOT, source_files

# Where the rules live: the access framework and each app's policy.
POLICY_FILES = re.compile(r"^(pilot/access/.*|[a-z_]+/access\.py)$")
# Code that composes or presents and must ask a policy instead.
CHECKED = re.compile(
    r"^(templates/.*\.html|portal/.*\.py|(pilot|mentoring|coursework|observations)/"
    r"(views|forms|services|sections|dashboard|queries|imports)(/.*)?(\.py)?)$"
)
INLINE_RULES = re.compile(
    r"\bis_(program_coordinator|district_coordinator|coordinator|college_liaison|teacher|"
    r"paraprofessional)\b|\b(college_ids|district_ids)\b|\bteacher_id\s*==|"
    r"\bparaprofessional_id\s*==|\.role\s*==\s*Staff\.Role"
)


def test_no_role_membership_or_scope_test_outside_the_policies() -> None:
    found = []
    for path in source_files(".py", ".html"):
        rel = path.relative_to(ROOT).as_posix()
        if POLICY_FILES.match(rel) or not CHECKED.match(rel):
            continue
        text = path.read_text(encoding="utf-8")
        for match in INLINE_RULES.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{rel}:{line}: {match.group(0)}")
    assert not found, "Ask the app's access policy instead:\n" + "\n".join(found)


def test_the_check_sees_views_and_templates() -> None:
    checked = [
        p.relative_to(ROOT).as_posix()
        for p in source_files(".py", ".html")
        if CHECKED.match(p.relative_to(ROOT).as_posix())
    ]
    assert "mentoring/views.py" in checked and "templates/base.html" in checked
