"""OneRoster 1.1 CSV (``orgs.csv`` + ``users.csv``) into a staff import.

Users with the role ``teacher`` become teachers and ``aide`` paraprofessionals, in the
school their first ``school`` org names (matched by name within the chosen district).
Students, administrators, guardians and the rest are counted and left out. The rows are
then written by the staff resource, like any staff file.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from pilot.models import District

from .files import INTERNAL_COLUMNS, check_upload, read_text
from .resources import StaffResource

ROLES = {"teacher": "teacher", "aide": "paraprofessional"}
ORG_COLUMNS = ("sourcedId", "name", "type")
USER_COLUMNS = ("sourcedId", "orgSourcedIds", "role", "givenName", "familyName", "email")


@dataclass
class OneRosterStaff:
    payload: dict  # as pilot.imports.files.to_payload: the staff columns and rows
    ignored: Counter  # role -> users left out


def _read(upload, required: tuple[str, ...], label: str) -> list[tuple[int, dict[str, str]]]:
    check_upload(upload, allowed=("csv",))
    reader = csv.DictReader(io.StringIO(read_text(upload), newline=""))
    headers = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = headers
    missing = [c for c in required if c not in headers]
    if missing:
        raise ValidationError(
            f"This is not a OneRoster {label}: it has no {', '.join(missing)} column"
            f"{'s' if len(missing) > 1 else ''}."
        )
    rows = []
    try:
        for number, row in enumerate(reader, start=2):
            rows.append((number, {k: (v or "").strip() for k, v in row.items() if k}))
    except csv.Error as error:
        raise ValidationError(f"The file could not be read as CSV: {error}.") from error
    if not rows:
        raise ValidationError(f"{upload.name} has a header row but no rows of data.")
    return rows


def read_orgs(upload) -> dict[str, dict[str, str]]:
    return {row["sourcedId"]: row for _, row in _read(upload, ORG_COLUMNS, "orgs.csv")}


def read_users(upload) -> list[tuple[int, dict[str, str]]]:
    return _read(upload, USER_COLUMNS, "users.csv")


def staff_from_oneroster(
    orgs: dict[str, dict[str, str]], users: list[tuple[int, dict[str, str]]], district: District
) -> OneRosterStaff:
    columns = StaffResource.columns()
    rows, ignored = [], Counter()
    for number, user in users:
        role = ROLES.get(user.get("role", "").lower())
        if role is None:
            ignored[user.get("role", "").lower() or "no role"] += 1
            continue
        org_ids = [o.strip() for o in user.get("orgSourcedIds", "").split(",") if o.strip()]
        schools = [orgs[o] for o in org_ids if orgs.get(o, {}).get("type", "").lower() == "school"]
        problem = ""
        if not schools:
            problem = (
                "None of this user's orgs is a school in orgs.csv"
                f" (orgSourcedIds: {user.get('orgSourcedIds') or 'none'})."
            )
        active = (
            user.get("enabledUser", "true").lower() != "false"
            and user.get("status", "").lower() != "tobedeleted"
        )
        values = {
            "district slug": district.slug,
            "school name": schools[0]["name"] if schools else "",
            "role": role,
            "first name": user.get("givenName", ""),
            "last name": user.get("familyName", ""),
            "email": user.get("email", ""),
            "employee id": user.get("identifier", ""),
            "active": "yes" if active else "no",
        }
        rows.append([*(values[c] for c in columns), number, problem])
    if not rows:
        raise ValidationError(
            "users.csv has no teachers or aides to import "
            f"({', '.join(f'{n} {r}' for r, n in sorted(ignored.items())) or 'no users'})."
        )
    payload = {"headers": [*columns, *INTERNAL_COLUMNS], "rows": rows, "ignored_columns": []}
    return OneRosterStaff(payload=payload, ignored=ignored)
