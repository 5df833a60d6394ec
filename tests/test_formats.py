"""One date format and one number format across the site: templates name no ad-hoc date
format and show counts and minutes through ``intcomma``; the pages a user reads show
``Aug 3, 2026`` and ``5,040``."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from .factories import MentoringSessionFactory, PairingFactory

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted(
    (ROOT / "templates").rglob("*.txt")
)

# |date:"..." naming a format rather than one of the site's (pilot/formats/en/formats.py).
# Machine-read attributes (datetime="{{ x|date:'c' }}") keep ISO 8601.
AD_HOC_DATE = re.compile(
    r"""\|\s*(?:date|time)\s*:\s*["'](?![A-Z_]+_FORMAT["'])(?!c["'])[^"']*["']"""
)
# A count or minutes shown without |intcomma (the name ends in count, minutes, total, ...).
BARE_COUNT = re.compile(
    r"\{\{\s*((?:\w+\.)*\w*(?:_count|minutes_total|minutes|_total|\.count|pairings|people))\s*\}\}"
)
# Settings a sentence quotes (a handful of minutes), not counts of records.
NOT_COUNTS = {"window_minutes", "minutes"}


def offending(pattern: re.Pattern, skip: set[str] = frozenset()) -> list[str]:
    found = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            if match.groups() and match.group(1) in skip:
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    return found


def test_templates_name_no_ad_hoc_date_format() -> None:
    found = offending(AD_HOC_DATE)
    assert not found, "Use |date (or a named *_FORMAT) for dates:\n" + "\n".join(found)


def test_templates_show_counts_and_minutes_with_thousands_separators() -> None:
    found = offending(BARE_COUNT, NOT_COUNTS)
    assert not found, "Show counts and minutes with |intcomma:\n" + "\n".join(found)


def test_the_patterns_catch_what_they_are_meant_to() -> None:
    assert AD_HOC_DATE.search('{{ d|date:"F j, Y" }}')
    assert AD_HOC_DATE.search("{{ d|date:'Y-m-d H:i' }}")
    assert not AD_HOC_DATE.search('{{ d|date:"DATETIME_FORMAT" }} {{ d|date }}')
    assert not AD_HOC_DATE.search("<time datetime=\"{{ d|date:'c' }}\">")
    assert BARE_COUNT.search("{{ p.minutes_total }}") and BARE_COUNT.search("{{ row.pairings }}")
    assert not BARE_COUNT.search("{{ p.minutes_total|intcomma }}")


def test_the_site_date_format() -> None:
    assert date_format(date(2026, 8, 3)) == "Aug 3, 2026"


@pytest.mark.django_db
def test_minutes_and_dates_read_the_same_on_the_pairing_page_and_the_dashboard(world, login):
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    for day in range(12):  # 12 sessions of 420 minutes: 5,040 minutes
        MentoringSessionFactory(
            pairing=pairing, held_on=pairing.starts_on + timedelta(days=day), minutes=420
        )
    client = login(world.users["teacher"])
    page = client.get(reverse("mentoring:pairing-detail", args=[pairing.uuid])).content.decode()
    assert "5,040 minutes in all" in page
    assert "5040" not in page
    first = pairing.starts_on
    assert date_format(first) in page  # e.g. "Aug 1, 2026"
    assert f"{first:%B} {first.day}, {first.year}" not in page  # not "August 1, 2026"
    dashboard = client.get(reverse("pilot:dashboard")).content.decode()
    assert "5,040 min" in dashboard and "5040" not in dashboard
