"""The SMPP channel's settings and counters."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class SmppConfig:
    """Where the SMSC is, who we are to it, and how hard we may push it."""

    host: str
    port: int = 2775
    system_id: str
    password: str = field(repr=False)
    system_type: str = ""
    source_addr: str = "Komek"
    window: int = 10
    throughput: float = 50.0
    """submit_sm a second (each part counts)."""
    reference_bits: int = 8
    """Size of the concatenation reference of long SMS: 8, or 16 (one character less a part,
    far fewer messages to one phone sharing a reference) (KOMEK_SMPP_REFERENCE_BITS)."""
    connect_timeout: float = 30.0
    """How long a process that must send now (`komek alerts send`) waits for the first bind
    before it tells the operator the SMSC is down or refused it (KOMEK_SMPP_CONNECT_TIMEOUT)."""
    rebind_wait: float = 10.0
    """How long a send waits for a lost link to come back before RetryLater."""
    response_timeout: float = 15.0
    """How long a send waits for the SMSC's answers once its parts are queued."""
    reconnect_first: float = 1.0
    reconnect_most: float = 60.0
    throttle_first: float = 1.0
    throttle_most: float = 60.0
    enquire_link_seconds: float = 30.0
    socket_timeout: float = 15.0

    def __post_init__(self) -> None:
        # SMPP 3.4 field sizes; aiosmpplib would refuse these with less helpful words.
        if not self.host:
            raise ValueError("the SMSC host is not set (KOMEK_SMPP_HOST)")
        if not 0 < len(self.system_id) <= 15:
            raise ValueError("the SMPP system_id must be 1 to 15 characters")
        if len(self.password) > 8:
            raise ValueError("the SMPP password may have at most 8 characters (SMPP 3.4)")
        if len(self.system_type) > 12:
            raise ValueError("the SMPP system_type may have at most 12 characters")
        if not 0 < len(self.source_addr) <= 20:
            raise ValueError("the SMPP source address must be 1 to 20 characters")
        if self.window < 1 or self.throughput <= 0:
            raise ValueError("the SMPP window and throughput must be positive")


@dataclass
class SmppStats:
    """Counters for progress reports and tests; no personal data."""

    sent: int = 0
    """Messages the SMSC accepted (every part)."""
    submitted: int = 0
    """submit_sm written to the SMSC, retries included."""
    throttled: int = 0
    link_losses: int = 0
    in_doubt: int = 0
    """Parts written but unanswered when the link went or the wait ended: maybe sent twice."""
    late_answers: int = 0
    """Parts the SMSC accepted after the channel had given up on them: sent twice if retried."""
