"""Report pages and CSV tables show district and cohort names and teachers' quotes."""

from django.urls import reverse

from ..factories import ObservationFactory, PairingFactory, ParaFactory, QuoteFactory
from . import Page, hostile
from .pilot_pages import COHORT, DISTRICT

# Begins with "=": a spreadsheet would run it unless the CSV neutralises it.
QUOTE = hostile("=SUM(A1) Keeps the whole group reading")


def quote(w):
    return w.once("report_quote", _quote)


def _quote(w):
    pairing = PairingFactory(
        cohort=w.cohort, teacher=w.teacher, paraprofessional=ParaFactory(school=w.school_a)
    )
    ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    end = ObservationFactory(pairing=pairing, kind="end", scores=3, submitted=True)
    return QuoteFactory(observation=end, text=QUOTE)


def make_hostile(w) -> None:
    quote(w)


def _url(name: str, *args: str):
    return lambda w: reverse(name, args=args) + f"?cohort={w.cohort.uuid}"


PAGES = {
    "reports as program coordinator": Page(_url("reports:index"), [COHORT, DISTRICT]),
    "reports as district coordinator": Page(
        _url("reports:index"), [COHORT, DISTRICT], persona="dc_own"
    ),
    "end-of-pilot report": Page(_url("reports:pilot"), [COHORT, DISTRICT, QUOTE]),
    "report table CSV (districts)": Page(
        _url("reports:table-csv", "observation-completion"), [DISTRICT], kind="csv"
    ),
    "report table CSV (growth by district)": Page(
        _url("reports:table-csv", "growth-by-district"), [DISTRICT], kind="csv"
    ),
    "end-of-pilot report CSV (quotes)": Page(
        _url("reports:pilot-table-csv", "quotes"), [QUOTE, DISTRICT], kind="csv"
    ),
    "end-of-pilot report CSV (districts)": Page(
        _url("reports:pilot-table-csv", "districts"), [DISTRICT], kind="csv"
    ),
}
