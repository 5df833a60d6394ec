from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from pilot.models import District

from .files import MAX_BYTES, parse_upload, to_payload
from .kinds import ImportKind
from .oneroster import read_bundle, read_orgs, read_users, staff_from_oneroster

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIMIT = f"up to {MAX_BYTES // (1024 * 1024)} MB"


class ImportFileForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", widget=forms.RadioSelect)
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text=f"A .csv (UTF-8) or .xlsx file {LIMIT}, with the template's header row.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: object, kinds: list[ImportKind], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = {kind.slug: kind for kind in kinds}
        self.fields["kind"].choices = [(kind.slug, kind.label) for kind in kinds]
        self.parsed = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.parsed = parse_upload(upload)
        return upload

    def clean(self) -> dict:
        data = super().clean()
        kind = self.kinds.get(data.get("kind", ""))
        if kind is not None and self.parsed is not None:
            try:
                data["payload"] = to_payload(self.parsed, kind.columns, kind.required_columns)
            except ValidationError as error:
                self.add_error("file", error)
        return data


class OneRosterForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        label="District",
        help_text="Schools in orgs.csv are matched by name to this district's schools.",
    )
    bundle = forms.FileField(
        label="OneRoster zip file",
        required=False,
        help_text=f"The zip file the student information system exports, {LIMIT}, as it "
        "comes: its manifest is read, and files other than orgs.csv and users.csv are ignored.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    orgs = forms.FileField(
        label="or orgs.csv",
        required=False,
        help_text=f"The OneRoster 1.1 orgs file, {LIMIT}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    users = forms.FileField(
        label="and users.csv",
        required=False,
        help_text=f"The OneRoster 1.1 users file, {LIMIT}. Only teachers and aides are imported.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: object, districts: QuerySet[District], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.orgs_rows = self.users_rows = None

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        if upload:
            orgs, users = read_bundle(upload)
            self.orgs_rows, self.users_rows = read_orgs(orgs), read_users(users)
        return upload

    def clean_orgs(self):
        upload = self.cleaned_data["orgs"]
        if upload and not self.cleaned_data.get("bundle"):
            self.orgs_rows = read_orgs(upload)
        return upload

    def clean_users(self):
        upload = self.cleaned_data["users"]
        if upload and not self.cleaned_data.get("bundle"):
            self.users_rows = read_users(upload)
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("bundle"):
            for field in ("orgs", "users"):
                if not data.get(field):
                    self.add_error(field, "Upload the OneRoster zip file, or both CSV files.")
        district = data.get("district")
        if district is not None and self.orgs_rows is not None and self.users_rows is not None:
            try:
                data["staff"] = staff_from_oneroster(self.orgs_rows, self.users_rows, district)
            except ValidationError as error:
                self.add_error("bundle" if data.get("bundle") else "users", error)
        return data

    @property
    def file_label(self) -> str:
        """How the run names what was uploaded."""
        data = self.cleaned_data
        if data.get("bundle"):
            return data["bundle"].name
        return f"{data['orgs'].name} + {data['users'].name}"
