"""schemathesis against the console's OpenAPI schema of /api/*: no 500, answers as documented.

schemathesis reads /api/openapi.json from the running console and sends what it generates
from the schema (valid and invalid requests) with a real API sender's token, and once with
none; every answer must be a documented status with a body of the documented shape.
It runs synchronously (requests) in a thread while the console serves in the test's loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.alerts.broadcast import SENDER
from tests.console.cap_documents import current, real
from tests.console.harness import ConsoleHarness

NOAA = "KSTO@NWS.NOAA.GOV"

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 50


def fuzz(base_url: str, token: str | None, known: dict[str, Any]) -> list[str]:
    """Every /api operation, valid and invalid requests; what went wrong, one line each."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    schema = schema.include(path_regex=r"^/api/")
    problems: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.label for operation in operations} == {
        "POST /api/cap",
        "GET /api/alerts/{alert_id}",
        "GET /api/alerts/{alert_id}.cap",
    }
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _generated(operation, mode, base_url, headers)
            except Exception as error:  # a failed check: note it, go on with the others
                problems.append(f"{operation.label} ({mode.value}): {error}")
        for case, expected in _known_cases(operation, known):
            try:
                response = case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)
            except Exception as error:
                problems.append(f"{operation.label} (known data): {error}")
                continue
            wanted = expected if token else 401
            if response.status_code != wanted:
                problems.append(f"{operation.label}: {response.status_code}, not {wanted}")
    return problems


def _generated(
    operation: APIOperation, mode: GenerationMode, base_url: str, headers: dict[str, str]
) -> None:
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()


def _known_cases(operation: APIOperation, known: dict[str, Any]) -> list[tuple[Case, int]]:
    """Requests that reach the answers random data rarely does, and what they get."""
    if operation.method.upper() == "POST":
        document = known["document"]
        return [
            (operation.Case(body=document, media_type="application/cap+xml"), 202),
            (operation.Case(body=document, media_type="application/cap+xml"), 422),  # again
            (operation.Case(body=b"x" * (1024 * 1024 + 1), media_type="application/xml"), 413),
        ]
    return [(operation.Case(path_parameters={"alert_id": known["alert_id"]}), 200)]


async def test_the_api_answers_as_its_schema_says(console: ConsoleHarness) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "schemathesis", actor="test", cap_senders=[SENDER, NOAA]
    )
    mine = await console.system.service.receive(
        real("valid/02-oasis-thunderstorm.xml"), actor="sender:schemathesis"
    )
    known = {"alert_id": mine.id, "document": current("schemathesis-1")}
    problems = await asyncio.to_thread(fuzz, console.base_url, token, known)
    assert not problems, "\n\n".join(problems)


async def test_without_a_token_the_api_answers_as_its_schema_says(
    console: ConsoleHarness,
) -> None:
    await console.ctx.accounts.api_senders.create("somebody", actor="test", cap_senders=[NOAA])
    mine = await console.system.service.receive(
        real("valid/02-oasis-thunderstorm.xml"), actor="sender:somebody"
    )
    known = {"alert_id": mine.id, "document": current("schemathesis-2")}
    problems = await asyncio.to_thread(fuzz, console.base_url, None, known)
    assert not problems, "\n\n".join(problems)
