"""The hub's tables. Uniqueness that matters is a database constraint, not a Python check.

Times are time-zone aware and stored in UTC (SQLModel's UTCDateTime); naive ones are refused.

One module per table family; every table is importable from here.
"""

from storage.models.audit import AuditEntry
from storage.models.base import InOperation
from storage.models.enrichments import FindingEnrichment
from storage.models.findings import Finding, FindingAlias, FindingIndicator, PlatformCheck, Report, Tag
from storage.models.identifiers import FindingIdentifier, Identifier, SubmissionIdentifier
from storage.models.messages import Submission
from storage.models.networks import FindingLink, Network, TextBand, TextShingles
from storage.models.operation import Alert, BoardState, ChatDigestSetting, DigestRun, PinnedBoard
from storage.models.operations import Membership, Operation, OperationChat, OperationCoordinator
from storage.models.people import Chat, Participant
from storage.models.scores import (
    FindingTally,
    FrozenScore,
    NetworkTally,
    ParticipantScore,
    PlatformTally,
    ScoreCounts,
    ScorePair,
)
from storage.models.web import WebKey

__all__ = [
    "Alert",
    "AuditEntry",
    "BoardState",
    "Chat",
    "ChatDigestSetting",
    "DigestRun",
    "Finding",
    "FindingAlias",
    "FindingEnrichment",
    "FindingIdentifier",
    "FindingIndicator",
    "FindingLink",
    "FindingTally",
    "FrozenScore",
    "Identifier",
    "InOperation",
    "Membership",
    "Network",
    "NetworkTally",
    "Operation",
    "OperationChat",
    "OperationCoordinator",
    "Participant",
    "ParticipantScore",
    "PinnedBoard",
    "PlatformCheck",
    "PlatformTally",
    "Report",
    "ScoreCounts",
    "ScorePair",
    "Submission",
    "SubmissionIdentifier",
    "Tag",
    "TextBand",
    "TextShingles",
    "WebKey",
]
