from programs.models.agencies import Agency, AgencyStaff
from programs.models.catalogue import BenefitRate, Program, ProgramTarget
from programs.models.enrolments import Disbursement, Enrolment, EnrolmentStatusChange
from programs.models.groups import EmpowermentGroup, GroupMembership, GroupProgress

__all__ = [
    "Agency",
    "AgencyStaff",
    "BenefitRate",
    "Disbursement",
    "EmpowermentGroup",
    "Enrolment",
    "EnrolmentStatusChange",
    "GroupMembership",
    "GroupProgress",
    "Program",
    "ProgramTarget",
]
