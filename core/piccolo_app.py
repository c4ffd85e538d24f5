"""The Piccolo app holding every core table and its migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.accounts.tables import ApiToken, LoginFailure, User, UserSession, UserUnit
from core.audit.tables import AuditEvent
from core.forums.tables import (
    AgendaItem,
    Agreement,
    Attendance,
    Forum,
    ForumDocument,
    ForumUnit,
    Invitation,
    Stakeholder,
    StakeholderUnit,
)
from core.inspection.tables import (
    Clarification,
    ClarificationEntry,
    DossierLink,
    EvaluationOverride,
    EvaluationReminder,
    EvaluationWindow,
    EvidenceFile,
    Finding,
    FindingEntry,
    FindingEvidence,
    IndicatorReview,
    SelfAssessment,
    SignalReview,
)
from core.jobs.tables import OutboxJob
from core.notifications.tables import ChannelChoice, Delivery, InboxMessage
from core.plans.tables import (
    Plan,
    PlanComment,
    PlanEvidence,
    PlanItem,
    PlanItemAgreement,
    PlanItemChange,
    PlanReminder,
)
from core.reports.tables import (
    CycleReport,
    Publication,
    PublishedSaran,
    ReportArtifact,
    ReportJob,
)
from core.surveys.tables import (
    CycleService,
    ExtraAnswer,
    ImportBatch,
    KeptTally,
    KioskDevice,
    QuestionnaireVersion,
    Response,
    SurveyCycle,
)
from core.units.tables import Service, ServiceStandard, Unit

APP_CONFIG = AppConfig(
    app_name="suara",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[
        Unit,
        Service,
        ServiceStandard,
        User,
        UserUnit,
        ApiToken,
        LoginFailure,
        UserSession,
        AuditEvent,
        OutboxJob,
        QuestionnaireVersion,
        SurveyCycle,
        CycleService,
        ImportBatch,
        Response,
        ExtraAnswer,
        KioskDevice,
        KeptTally,
        Stakeholder,
        StakeholderUnit,
        Forum,
        ForumUnit,
        AgendaItem,
        Invitation,
        Attendance,
        Agreement,
        ForumDocument,
        Delivery,
        InboxMessage,
        ChannelChoice,
        Finding,
        FindingEntry,
        FindingEvidence,
        SignalReview,
        SelfAssessment,
        IndicatorReview,
        Clarification,
        ClarificationEntry,
        EvidenceFile,
        DossierLink,
        EvaluationWindow,
        EvaluationOverride,
        EvaluationReminder,
        ReportJob,
        ReportArtifact,
        CycleReport,
        Publication,
        PublishedSaran,
        Plan,
        PlanItem,
        PlanItemChange,
        PlanEvidence,
        PlanComment,
        PlanItemAgreement,
        PlanReminder,
    ],
    migration_dependencies=[],
    commands=[],
)
