"""The district a row of an import names, as people know it: its name (any case) or its
code (the NCES id, or the short code in its page's address). One column, ``district``, in
every import kind; exports write the district's name, so a file exported and edited
imports back."""

import re
from collections.abc import Iterable, Iterator

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify

from pilot.access import visible_districts
from pilot.models import District, User

DISTRICT = "district"
DISTRICT_HELP = "the district's name or its code (NCES id)"
EXAMPLE = "Cedar Valley Community Schools"
NOT_GIVEN = "Give the district's name or code."


def district_key(value: object) -> str:
    """How a district is matched: case and runs of spaces do not matter."""
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip().lower()


def _keys(district: District) -> Iterator[str]:
    yield district_key(district.name)
    if district.slug:
        yield district.slug.lower()
    if district.nces_id:
        yield district.nces_id


def _matching(keys: set[str]) -> Q:
    return Q(name_key__in=keys) | Q(slug__in=keys) | Q(nces_id__in=keys)


class Districts:
    """The districts a file names, found in two queries: those ``user`` may import for
    (all of them without a user) and, to say "not one of yours", any other."""

    def __init__(self, values: Iterable[object], user: User | None = None) -> None:
        keys = {district_key(v) for v in values} - {""}
        scope = District.objects.all() if user is None else visible_districts(user)
        self.by_key: dict[str, District] = {}
        for district in scope.annotate(name_key=Lower("name")).filter(_matching(keys)):
            self.add(district)
        self.known = set()
        if user is not None:
            others = (
                District.objects.annotate(name_key=Lower("name"))
                .filter(_matching(keys))
                .exclude(pk__in=[d.pk for d in self.values()])
            )
            self.known = {key for d in others for key in _keys(d)}

    def add(self, district: District) -> None:
        """A district (possibly a new one the import adds), under each of its keys."""
        for key in _keys(district):
            self.by_key.setdefault(key, district)

    def elsewhere(self, value: object) -> bool:
        """Whether ``value`` names a district the user may not import for."""
        return district_key(value) in self.known

    def get(self, value: object) -> District | None:
        return self.by_key.get(district_key(value))

    def __contains__(self, value: object) -> bool:
        return district_key(value) in self.by_key

    def values(self) -> list[District]:
        return list({d.pk if d.pk is not None else id(d): d for d in self.by_key.values()}.values())

    def find(self, value: object) -> District:
        """The district ``value`` names, or ``ValueError`` saying why there is none."""
        given = re.sub(r"\s+", " ", "" if value is None else str(value)).strip()
        if not given:
            raise ValueError(NOT_GIVEN)
        district = self.get(given)
        if district is not None:
            return district
        if self.elsewhere(given):
            raise ValueError(f"“{given}” is not one of your districts.")
        raise ValueError(
            f"Unknown district “{given}”: give its name as on the Districts page, or its code."
        )


def new_district_slug(name: str, taken: set[str]) -> str:
    """The short code of a district an import adds: from its name, unique."""
    base = slugify(name)[:70].strip("-")
    if not base:
        return ""
    taken = taken | set(
        District.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
