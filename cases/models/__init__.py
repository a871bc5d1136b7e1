from cases.models.contacts import (
    CHECKLIST_ITEMS,
    MISSING_REPORT_STEP,
    NO_RESPONSE_STEPS,
    Companion,
    Contact,
    ContactMode,
    ContactOutcome,
    NoResponseEvent,
    NoResponseProcedure,
    NoResponseStep,
)
from cases.models.discovery import (
    CrisisReport,
    CrisisReportTransition,
    Partner,
    PartnerKind,
    ReportChannel,
    ReporterReward,
    ReportOutcome,
    ReportStatus,
)
from cases.models.households import (
    VULNERABLE_HOUSING,
    Arrear,
    Benefit,
    CareGrade,
    Cutoff,
    Disability,
    Household,
    HousingType,
    Relation,
    Resident,
    RiskTier,
    RiskTierChange,
    Sex,
    Tenure,
)

__all__ = [
    "CHECKLIST_ITEMS", "MISSING_REPORT_STEP", "NO_RESPONSE_STEPS", "VULNERABLE_HOUSING", "Arrear",
    "Benefit", "CareGrade", "Companion", "Contact", "ContactMode", "ContactOutcome", "CrisisReport",
    "CrisisReportTransition", "Cutoff", "Disability", "Household", "HousingType", "NoResponseEvent",
    "NoResponseProcedure", "NoResponseStep", "Partner", "PartnerKind", "Relation", "ReportChannel",
    "ReportOutcome", "ReportStatus", "ReporterReward", "Resident", "RiskTier", "RiskTierChange",
    "Sex", "Tenure",
]
