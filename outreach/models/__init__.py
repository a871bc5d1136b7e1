from outreach.models.activity import (
    ACTIVITY_KINDS,
    ActivityDevice,
    ActivityEvent,
    DeviceKind,
    EventKind,
)
from outreach.models.bigdata import BigDataRound, BigDataRow, SignalType
from outreach.models.campaigns import (
    RESULT_STATUSES,
    RESULT_TRANSITIONS,
    Campaign,
    CampaignKind,
    Finding,
    HomeCareAllowance,
    SweepRun,
    TaskPriority,
    TaskStatus,
    VisitTask,
    VisitTaskEvent,
)

__all__ = [
    "ACTIVITY_KINDS", "RESULT_STATUSES", "RESULT_TRANSITIONS", "ActivityDevice", "ActivityEvent",
    "BigDataRound", "BigDataRow", "Campaign", "CampaignKind", "DeviceKind", "EventKind", "Finding",
    "HomeCareAllowance", "SignalType", "SweepRun", "TaskPriority", "TaskStatus", "VisitTask",
    "VisitTaskEvent",
]
