from .program import (
    CohortEnrollmentForm,
    CohortForm,
    DistrictForm,
    SchoolForm,
)
from .roles import RoleAssignmentForm
from .staff import StaffFilter, StaffForm

__all__ = [
    "CohortEnrollmentForm",
    "CohortForm",
    "DistrictForm",
    "RoleAssignmentForm",
    "SchoolForm",
    "StaffFilter",
    "StaffForm",
]
