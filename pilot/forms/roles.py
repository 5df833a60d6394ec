from django import forms

from pilot.models import College, District, RoleAssignment
from pilot.validators import no_invisible_controls


class RoleAssignmentForm(forms.Form):
    """Parses a grant; pilot.services.roles.grant_role keeps the rules."""

    email = forms.EmailField(help_text="The person's sign-in email; an account is made if needed.")
    full_name = forms.CharField(max_length=150, required=False, validators=[no_invisible_controls])
    role = forms.ChoiceField(choices=RoleAssignment.Role.choices, widget=forms.RadioSelect)
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, help_text="For district coordinators."
    )
    college = forms.ModelChoiceField(
        queryset=College.objects.all(), required=False, help_text="For college liaisons."
    )
