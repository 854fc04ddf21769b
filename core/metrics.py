"""Prometheus metrics, all defined here: what they are called, what they count, their labels.

Each process keeps its own values and serves them at `/metrics` (the console on its port;
`komek bot`, `komek worker` and `komek scheduler` on KOMEK_OPS_PORT). Labels carry kinds only
(channel, state, engine): never a person, a phone or an alert's text.
"""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

from core.settings import Environment, Settings

DELIVERIES = Counter(
    "komek_deliveries",
    "Alert deliveries by channel and what became of them: sent, failed, expired, or queued "
    "(back in the queue to be tried again).",
    ["channel", "state"],
)
SEND_SECONDS = Histogram(
    "komek_send_seconds",
    "Time to hand one alert message to its channel (Telegram's answer, the SMSC's submit_sm_resp).",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
ALERT_QUEUE_DEPTH = Gauge(
    "komek_alert_queue_depth",
    "Alert deliveries waiting to be sent (queued, or being sent) by channel, read from the "
    "ledger when scraped; the same number from every process that reports it.",
    ["channel"],
)
RECOGNITION_SECONDS = Histogram(
    "komek_recognition_seconds",
    "Speech recognition of one voice message (decoding excluded).",
    ["engine"],
    buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
)
SYNTHESIS_SECONDS = Histogram(
    "komek_synthesis_seconds",
    "Speech synthesis of one voice note, encoding included (answers from the cache excluded).",
    ["engine"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0),
)
BOT_TURN_SECONDS = Histogram(
    "komek_bot_turn_seconds",
    "One dialogue turn, from a person's message to the reply ready to send, by kind of message.",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
SCHEDULER_RUNS = Counter(
    "komek_scheduler_runs",
    "Runs of the scheduler's periodic jobs, by job and outcome (ok or failed).",
    ["job", "outcome"],
)
SCHEDULER_LAST_SUCCESS = Gauge(
    "komek_scheduler_last_success_timestamp_seconds",
    "When each scheduler job last ran without error (Unix time); alert if it stops moving.",
    ["job"],
)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def exposition() -> bytes:
    """This process's metrics in Prometheus's text format."""
    return generate_latest(REGISTRY)


def may_scrape(settings: Settings, authorization: str | None, *, console: bool) -> bool:
    """Whether a request for /metrics is answered.

    With KOMEK_METRICS_TOKEN set, only `Authorization: Bearer TOKEN`. Without one, the ops
    server (an internal port) answers anyone, and the console (a public face) answers outside
    production only.
    """
    token = settings.metrics_token
    if token is not None:
        scheme, _, given = (authorization or "").partition(" ")
        expected = token.get_secret_value().encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected)
    return not console or settings.environment is not Environment.PRODUCTION
