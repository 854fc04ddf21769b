"""The contract table itself: at least 40 rows per language, each row once."""

from __future__ import annotations

from tests.safety.cases import Expect
from tests.safety.cases_en import EN
from tests.safety.cases_kk import KK
from tests.safety.cases_ru import RU


def test_each_language_has_at_least_forty_distinct_rows_of_every_outcome() -> None:
    for rows in (KK, RU, EN):
        assert len(rows) >= 40
        assert len({row.text for row in rows}) == len(rows)
        assert {row.language for row in rows} == {rows[0].language}
        assert {row.expect for row in rows} == set(Expect)
    ids = [row.id for row in (*KK, *RU, *EN)]
    assert len(set(ids)) == len(ids)
