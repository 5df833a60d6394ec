from .audit import AuditEntry
from .imports import ImportRun
from .program import Cohort, CohortEnrollment, College, District, School
from .roles import RoleAssignment
from .staff import Staff
from .users import User

__all__ = [
    "AuditEntry",
    "Cohort",
    "CohortEnrollment",
    "College",
    "District",
    "ImportRun",
    "RoleAssignment",
    "School",
    "Staff",
    "User",
]
