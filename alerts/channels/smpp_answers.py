"""What the SMSC's answers mean for a message: an error for each refusing command status,
and the answers to a message's parts put together into one outcome."""

from __future__ import annotations

from aiosmpplib import SmppCommandStatus

from alerts.channels.base import ChannelError, Rejected, RetryLater, Sent
from alerts.channels.smpp_resume import Unfinished
from alerts.channels.smpp_session import Part

THROTTLING = frozenset({SmppCommandStatus.ESME_RTHROTTLED, SmppCommandStatus.ESME_RMSGQFUL})
"""The SMSC asks us to slow down: sending pauses and the message waits, no failure counted."""
TRANSIENT = frozenset(
    {
        SmppCommandStatus.ESME_RSYSERR,
        SmppCommandStatus.ESME_RX_T_APPN,
        SmppCommandStatus.ESME_RSUBMITFAIL,
        SmppCommandStatus.ESME_RINVBNDSTS,
        SmppCommandStatus.ESME_RDELIVERYFAILURE,
    }
)
"""The SMSC's trouble, not the message's: tried again after a while."""


def error_for(status: SmppCommandStatus, *, pause: float, retry_seconds: float) -> ChannelError:
    """The error a refused submit_sm gives its sender: throttling waits `pause`, a transient
    error `retry_seconds`; any other status refuses the message for good."""
    if status in THROTTLING:
        return RetryLater(f"SMSC throttling ({status.name})", pause, throttled=True)
    if status in TRANSIENT:
        return RetryLater(f"SMSC error {status.name}", retry_seconds)
    return Rejected(f"SMSC refused the message: {status.name}")


def collect(parts: list[Part], sent: Unfinished) -> list[ChannelError]:
    """Note in `sent` the id of every part the SMSC took; the errors of the others."""
    errors = []
    for part in parts:
        result = part.future.result()
        if isinstance(result, ChannelError):
            errors.append(result)
        else:
            sent.answered[part.index] = result
    return errors


def first_error(errors: list[ChannelError]) -> ChannelError:
    """The error the message fails with: a refusal first, else the longest wait, in doubt if
    any part may be on the phone already."""
    rejected = [error for error in errors if isinstance(error, Rejected)]
    if rejected:
        return rejected[0]
    retries = [error for error in errors if isinstance(error, RetryLater)]
    if not retries:
        return errors[0]
    retry = max(retries, key=lambda error: error.seconds)
    if any(error.maybe_sent for error in retries):
        retry.maybe_sent = True
    return retry


def sent_whole(sent: Unfinished, total: int) -> Sent:
    """A message whose `total` parts are all answered: the first part's id, and every part's
    id for a message in parts (none if the SMSC gave an empty id for one)."""
    results = [sent.answered[index] for index in range(total)]
    ids = tuple(result for result in results if result)
    first = ids[0] if ids and ids[0] == results[0] else None
    part_ids = ids if total > 1 and len(ids) == total else ()
    return Sent(provider_message_id=first, part_ids=part_ids)
