"""Issue 20, finding 3: "How do I get a wheelchair?" is answered with a wheelchair named, in
kk, ru and en (the seeds' mobility aids, 001 ¶279), not only prostheses, canes and crutches."""

from __future__ import annotations

import pytest

from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.conversation.talk import onboarded, say


@pytest.mark.parametrize(
    ("language", "question", "named"),
    [
        ("en", "How do I get a wheelchair?", "wheelchair"),
        ("ru", "Как получить инвалидную коляску?", "кресло-коляску"),
        ("kk", "Мүгедектер арбасын қалай аламын?", "кресло-арба"),
    ],
)
async def test_a_wheelchair_question_names_a_wheelchair(
    telegram: SandboxClient, language: str, question: str, named: str
) -> None:
    user = await onboarded(telegram, language)
    (answer,) = await say(user, question)
    assert named in message_text(answer)
