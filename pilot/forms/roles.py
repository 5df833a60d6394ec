from django import forms

from pilot.models import College, District, RoleAssignment, User
from pilot.validators import no_invisible_controls


class RoleAssignmentForm(forms.Form):
    email = forms.EmailField(help_text="The person's sign-in email; an account is made if needed.")
    full_name = forms.CharField(max_length=150, required=False, validators=[no_invisible_controls])
    role = forms.ChoiceField(choices=RoleAssignment.Role.choices, widget=forms.RadioSelect)
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, help_text="For district coordinators."
    )
    college = forms.ModelChoiceField(
        queryset=College.objects.all(), required=False, help_text="For college liaisons."
    )

    def clean(self) -> dict:
        data = super().clean()
        role = data.get("role")
        if role == RoleAssignment.Role.DISTRICT_COORDINATOR and not data.get("district"):
            self.add_error("district", "Choose the district this coordinator works for.")
        if role == RoleAssignment.Role.COLLEGE_LIAISON and not data.get("college"):
            self.add_error("college", "Choose the college this liaison works for.")
        if role != RoleAssignment.Role.DISTRICT_COORDINATOR:
            data["district"] = None
        if role != RoleAssignment.Role.COLLEGE_LIAISON:
            data["college"] = None
        email = data.get("email")
        if email and role and not self.errors:
            exists = RoleAssignment.objects.filter(
                user__email__iexact=email,
                role=role,
                district=data.get("district"),
                college=data.get("college"),
            ).exists()
            if exists:
                self.add_error("email", "This person already has that role.")
        return data

    def save(self, granted_by: User) -> RoleAssignment:
        data = self.cleaned_data
        user, created = User.objects.get_or_create(
            email=data["email"].lower(), defaults={"full_name": data.get("full_name", "")}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return RoleAssignment.objects.create(
            user=user,
            role=data["role"],
            district=data.get("district"),
            college=data.get("college"),
            granted_by=granted_by,
        )
