"""What the CAP API answers, as models: they are its OpenAPI schema and what schemathesis checks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from alerts.service import AlertStatus


class FieldProblem(BaseModel):
    """What is wrong with one field of an API request."""

    field: str = Field(description="Where in the request, e.g. `alert_id`.")
    problem: str


class Problem(BaseModel):
    """Every refusal: one sentence saying why, or one entry per wrong request field."""

    detail: str | list[FieldProblem] = Field(
        description="Why the request was refused, for the person who sent it."
    )


class Received(BaseModel):
    """A CAP document taken: stored, and sent or waiting for a second person's approval."""

    id: int = Field(description="Kömek's number for the alert: GET /api/alerts/{id}.")
    identifier: str = Field(description="The document's CAP <identifier>.")
    state: str = Field(description="awaiting_approval, sending, sent or rejected.")
    approval: Literal["required", "not required"] = Field(
        description="`required`: an approver must approve it in the console before it goes out."
    )


class DeliveryStatus(BaseModel):
    """Where an alert is: its deliveries by channel and state, and the recipients' answers."""

    id: int
    identifier: str
    state: str = Field(description="awaiting_approval, sending, sent or rejected.")
    msg_type: str = Field(description="CAP <msgType>: Alert, Update, Cancel, Ack or Error.")
    status: str = Field(description="CAP <status>: Actual, Exercise, System, Test or Draft.")
    recipients: int = Field(ge=0, description="People on the registration list it reached.")
    deliveries: dict[str, dict[str, int]] = Field(
        description="By channel (telegram, sms, contact_sms), then by state "
        "(queued, sending, sent, delivered, failed, expired): how many messages."
    )
    safe: int = Field(ge=0, description="Recipients who answered “I'm safe”.")
    need_help: int = Field(ge=0, description="Recipients who answered “I need help”.")
    unclear: int = Field(
        ge=0, description="Recipients whose answer did not say whether they are safe (asked)."
    )
    no_answer: int = Field(ge=0, description="Recipients still silent after every reminder.")
    waiting: int = Field(ge=0, description="Recipients who have not answered yet.")

    @classmethod
    def of(cls, status: AlertStatus) -> DeliveryStatus:
        return cls(
            id=status.alert_id,
            identifier=status.identifier,
            state=status.state,
            msg_type=status.msg_type,
            status=status.status,
            recipients=status.recipients,
            deliveries=status.deliveries,
            safe=status.safe,
            need_help=status.need_help,
            unclear=status.unclear,
            no_answer=status.no_answer,
            waiting=status.waiting,
        )


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the refusals a route can give, all as `Problem`."""
    return {code: {"model": Problem, "description": REFUSALS[code]} for code in codes}


REFUSALS = {
    401: "No valid API token, and no signed-in member of staff.",
    403: "Signed in without a role that may do this, or a post without the CSRF token.",
    404: "No such alert, or one another sender sent.",
    413: "The document is larger than 1 MiB.",
    415: "The body is not CAP XML (send application/cap+xml or application/xml).",
    422: "The document is not a usable CAP alert, or a request field is wrong; `detail` says why.",
}
