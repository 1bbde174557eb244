"""All models, imported here so Alembic and create_all see every table."""

from onderwijsplatform.models.audit import AuditEvent
from onderwijsplatform.models.base import Base, utcnow
from onderwijsplatform.models.introductions import (
    ALLOWED_TRANSITIONS,
    Introduction,
    IntroductionState,
)
from onderwijsplatform.models.lending import (
    HOLDING,
    LOAN_TRANSITIONS,
    Handover,
    KitComponent,
    LendingApproval,
    LendingDesk,
    LendingItem,
    Loan,
    LoanShortage,
    LoanState,
)
from onderwijsplatform.models.matches import MatchSuggestion, SuggestionState
from onderwijsplatform.models.offers import Offer, OfferRegion, OfferStatus
from onderwijsplatform.models.organisations import (
    Contact,
    DuplicateFlag,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    SchoolType,
)
from onderwijsplatform.models.outbox import OutboxEmail, OutboxStatus
from onderwijsplatform.models.outcomes import Outcome
from onderwijsplatform.models.pool import Approval, OrganisationRegion
from onderwijsplatform.models.regions import HolidayZone, Region, RegionHoliday
from onderwijsplatform.models.school_requests import RequestStatus, SchoolRequest
from onderwijsplatform.models.tokens import Token, TokenPurpose
from onderwijsplatform.models.users import Role, User
from onderwijsplatform.models.visits import (
    BOOKING_TRANSITIONS,
    HOLDING_STATES,
    BookingState,
    Confirmation,
    ProgrammeStatus,
    VisitBooking,
    VisitProgramme,
    VisitSlot,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "BOOKING_TRANSITIONS",
    "HOLDING",
    "HOLDING_STATES",
    "LOAN_TRANSITIONS",
    "Approval",
    "AuditEvent",
    "Base",
    "BookingState",
    "Confirmation",
    "Contact",
    "DuplicateFlag",
    "Handover",
    "HolidayZone",
    "Introduction",
    "IntroductionState",
    "KitComponent",
    "LendingApproval",
    "LendingDesk",
    "LendingItem",
    "Loan",
    "LoanShortage",
    "LoanState",
    "MatchSuggestion",
    "Offer",
    "OfferRegion",
    "OfferStatus",
    "Organisation",
    "OrganisationRegion",
    "OrganisationStatus",
    "OrganisationType",
    "OutboxEmail",
    "OutboxStatus",
    "Outcome",
    "ProgrammeStatus",
    "Region",
    "RegionHoliday",
    "RequestStatus",
    "Role",
    "SchoolRequest",
    "SchoolType",
    "SuggestionState",
    "Token",
    "TokenPurpose",
    "User",
    "VisitBooking",
    "VisitProgramme",
    "VisitSlot",
    "utcnow",
]
