"""`komek nlu predict` keeps the contract (issue 15's acceptance): never `report_safe` for a
person who is not safe, `emergency_help` for a call for help or a disguised emergency.

That it decides as the dialogue does is checked row by row in test_contract.py, where each
row is also typed after a warning.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.safety.cases import Case, Expect
from tests.safety.cases_en import EN
from tests.safety.cases_kk import KK
from tests.safety.cases_ru import RU
from tests.safety.known_failures import not_kept

ALLOWED = {
    Expect.SAFE: {"safe"},
    Expect.HELP: {"help"},
    Expect.HELP_OR_UNCLEAR: {"help", "unclear"},
}


def rows() -> Sequence[object]:
    params = []
    for case in (*KK, *RU, *EN):
        reason = not_kept(case.id, "predict")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


@pytest.mark.parametrize("case", rows())
def test_predict_keeps_the_contract(case: Case, predictions: dict[str, str | None]) -> None:
    decision = predictions[case.id]
    assert decision in ALLOWED[case.expect], f"{case}: komek nlu predict decides {decision}"
