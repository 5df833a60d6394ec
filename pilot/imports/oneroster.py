"""OneRoster 1.1 CSV (``orgs.csv`` + ``users.csv``, or the zip bundle a student information
system exports, with its ``manifest.csv``) into a staff import.

Users with the role ``teacher`` become teachers and ``aide`` paraprofessionals, in the
school their first ``school`` org names (matched by name within the chosen district).
Students, administrators, guardians and the rest are counted and left out. The rows are
then written by the staff resource, like any staff file.
"""

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from pilot.models import District

from .districts import DISTRICT
from .files import INTERNAL_COLUMNS, MAX_BYTES, check_upload, read_text
from .resources import StaffResource
from .workbook import too_expanded

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


NOT_A_BUNDLE = (
    "{name} is not a OneRoster bundle: a OneRoster 1.1 CSV export is a zip file with "
    "manifest.csv, orgs.csv and users.csv at its top level."
)


def _member(archive: zipfile.ZipFile, wanted: str) -> zipfile.ZipInfo | None:
    """The top-level file of that name (any case); files in folders are not the bundle's."""
    for info in archive.infolist():
        if info.filename.lower() == wanted and not info.is_dir():
            return info
    return None


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> SimpleUploadedFile:
    """One file of the bundle, read no further than an upload may be (a zip's sizes can lie)."""
    with archive.open(info) as member:
        data = member.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"{info.filename} in {name} unpacks to more than {filesizeformat(MAX_BYTES)}; "
            "files may be at most 5 MB.",
            code="too_large",
        )
    return SimpleUploadedFile(info.filename.lower(), data, content_type="text/csv")


def read_bundle(upload) -> tuple[SimpleUploadedFile, SimpleUploadedFile]:
    """``orgs.csv`` and ``users.csv`` of a OneRoster 1.1 zip, as it comes from the student
    information system: the manifest must say OneRoster 1.1 and list both; other files
    (courses, classes, enrollments, ...) are not needed and are ignored. The same limits
    as a workbook's: 5 MB uploaded, at most 50 MB unpacked in at most 1,000 files."""
    name = upload.name or "the file"
    check_upload(upload, allowed=("zip",))
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(NOT_A_BUNDLE.format(name=name), code="wrong_type") from error
    advice = "Upload orgs.csv and users.csv on their own instead."
    if message := too_expanded(parts, name, "a bundle", "files", advice):
        raise ValidationError(message, code="too_large")
    manifest_info = _member(archive, "manifest.csv")
    if manifest_info is None:
        raise ValidationError(NOT_A_BUNDLE.format(name=name), code="wrong_type")
    try:
        manifest = {
            row[0].strip(): row[1].strip()
            for row in csv.reader(io.StringIO(read_text(_unpack(archive, manifest_info, name))))
            if len(row) >= 2
        }
        version = manifest.get("oneroster.version", "")
        if version != "1.1":
            raise ValidationError(
                f"{name} is not a OneRoster 1.1 bundle: its manifest says "
                f"{('version ' + version) if version else 'no OneRoster version'}.",
                code="wrong_type",
            )
        files = []
        for wanted in ("orgs", "users"):
            info = _member(archive, f"{wanted}.csv")
            if info is None or manifest.get(f"file.{wanted}", "bulk") == "absent":
                raise ValidationError(
                    f"{name} has no {wanted}.csv: export the bundle again with orgs and users.",
                    code="incomplete",
                )
            files.append(_unpack(archive, info, name))
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:  # damaged or encrypted
        raise ValidationError(f"{name} could not be unpacked.", code="unreadable") from error
    return files[0], files[1]


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
            DISTRICT: district.name,
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
