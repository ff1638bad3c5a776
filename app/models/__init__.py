"""SQLAlchemy models. Importing this package registers every table on the metadata."""

from app.models.accounts import (  # noqa: F401
    Invitation,
    Membership,
    PasswordReset,
    RecoveryCode,
    User,
    WebSession,
)
from app.models.alerts import (  # noqa: F401
    COMMISSION,
    Alert,
    AlertAttachment,
    AlertDissemination,
    AlertEvent,
    AlertRecipient,
    AlertRevision,
    AlertState,
    RecipientState,
)
from app.models.audit import AuditEvent  # noqa: F401
from app.models.directory import (  # noqa: F401
    Authority,
    AuthorityCompetence,
    AuthorityKind,
    AuthorityStatus,
    Procedure,
    ProcedureAccess,
    Registration,
    RegistrationStatus,
)
from app.models.epc import (  # noqa: F401
    EpcApplicant,
    EpcApplication,
    EpcDocument,
    EpcEvent,
    EpcState,
)
from app.models.mail import OutboxMessage  # noqa: F401
from app.models.notifications import (  # noqa: F401
    Notification,
    NotificationEvent,
    NotificationRecipient,
    NotificationState,
)
from app.models.pdf import ExportStatus, PdfExport  # noqa: F401
from app.models.public import (  # noqa: F401
    PUBLIC_OPEN_STATES,
    PublicCase,
    PublicCaseEvent,
    PublicCaseState,
    PublicDocument,
)
from app.models.ratelimit import RateCounter  # noqa: F401
from app.models.ratings import NEGATIVE, RATING_SCALE, ReplyRating  # noqa: F401
from app.models.repositories import (  # noqa: F401
    RecordState,
    RepositoryRecord,
    RepositoryRecordVersion,
)
from app.models.requests import (  # noqa: F401
    OPEN_STATES,
    PENDING_REPLY,
    Attachment,
    ProcedureVersion,
    Request,
    RequestEvent,
    RequestQuestion,
    RequestState,
)
from app.models.submissions import Submission  # noqa: F401
from app.models.translations import (  # noqa: F401
    JobStatus,
    TranslatedFile,
    Translation,
    TranslationCorrection,
    TranslationJob,
)
