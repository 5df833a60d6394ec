from .audit import AuditEntry
from .imports import ImportRun
from .jobs import Job
from .outbox import OutboxMessage
from .program import Cohort, CohortEnrollment, College, District, School
from .roles import RoleAssignment
from .staff import Staff
from .submissions import FormSubmission
from .users import User

__all__ = [
    "AuditEntry",
    "Cohort",
    "CohortEnrollment",
    "College",
    "District",
    "FormSubmission",
    "ImportRun",
    "Job",
    "OutboxMessage",
    "RoleAssignment",
    "School",
    "Staff",
    "User",
]
