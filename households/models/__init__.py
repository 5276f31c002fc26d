from households.models.history import ChangeLog
from households.models.imports import ExportLog, ImportIssue, ImportJob
from households.models.registry import Household, KKHistory, Member
from households.models.updates import DataUpdate, DuplicateCandidate

__all__ = [
    "ChangeLog",
    "DataUpdate",
    "DuplicateCandidate",
    "ExportLog",
    "Household",
    "ImportIssue",
    "ImportJob",
    "KKHistory",
    "Member",
]
