"""Domain errors; each carries an i18n key (texts in core/locales) and its parameters."""

from __future__ import annotations


class BookingError(Exception):
    """A booking operation was refused; `key` and `params` give the person's message."""

    key = "booking.error.generic"

    def __init__(self, **params: str | int) -> None:
        self.params: dict[str, str | int] = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class UnknownService(BookingError):
    """No such service in the catalog."""

    key = "booking.error.unknown_service"

    def __init__(self, service: str) -> None:
        super().__init__(service=service)


class NotEligible(BookingError):
    """The person is not eligible; `reason` and `instead` are i18n keys."""

    key = "booking.error.not_eligible"

    def __init__(self, reason: str, instead: str) -> None:
        super().__init__(reason=reason, instead=instead)


class NeedsInformation(BookingError):
    """Eligibility depends on something not known yet; `question` is the i18n key to ask."""

    key = "booking.error.needs_information"

    def __init__(self, question: str) -> None:
        super().__init__(question=question)


class QuotaExceeded(BookingError):
    """The yearly quota would be exceeded; `remaining` hours are left."""

    key = "booking.error.quota_exceeded"


class SlotFull(BookingError):
    """Every provider's slot at that time is taken."""

    key = "booking.error.slot_full"


class InThePast(BookingError):
    """The start time has passed."""

    key = "booking.error.in_the_past"


class OutsideHours(BookingError):
    """No provider works at that time, or it is not the start of a slot."""

    key = "booking.error.outside_hours"


class HoursOutOfRange(BookingError):
    """The duration is outside the service's minimum and maximum."""

    key = "booking.error.hours_out_of_range"


class TimeRequired(BookingError):
    """A slot service needs a start time."""

    key = "booking.error.time_required"


class DestinationNotAllowed(BookingError):
    """The social taxi does not go to that kind of place."""

    key = "booking.error.destination_not_allowed"


class NoProvider(BookingError):
    """No provider offers the service in the region."""

    key = "booking.error.no_provider"


class TooLateToCancel(BookingError):
    """The cancellation cutoff before the start has passed."""

    key = "booking.error.too_late_to_cancel"


class BookingNotFound(BookingError):
    """No such booking, or not the person's."""

    key = "booking.error.not_found"


class IllegalTransition(BookingError):
    """The booking's status does not allow this step."""

    key = "booking.error.illegal_transition"


class ReasonRequired(BookingError):
    """A decline needs a reason for the person."""

    key = "booking.error.reason_required"


class NotStarted(BookingError):
    """A booking cannot be completed or marked no-show before it starts."""

    key = "booking.error.not_started"


ERROR_KEYS: tuple[str, ...] = tuple(
    error.key
    for error in (
        BookingError,
        UnknownService,
        NotEligible,
        NeedsInformation,
        QuotaExceeded,
        SlotFull,
        InThePast,
        OutsideHours,
        HoursOutOfRange,
        TimeRequired,
        DestinationNotAllowed,
        NoProvider,
        TooLateToCancel,
        BookingNotFound,
        IllegalTransition,
        ReasonRequired,
        NotStarted,
    )
)
