"""Issue 16, finding 4: a workbook that unpacks to far more than a list is refused before it
is parsed, and a workbook without a worksheet gets a clear 422, not a 500.
"""

from __future__ import annotations

from sqlalchemy import func, select

from alerts.models import Registrant
from tests.console.harness import ConsoleHarness
from tests.console.test_admin import text_of, upload
from tests.regressions.workbooks import bomb, without_sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_a_decompression_bomb_is_refused_unparsed(console: ConsoleHarness) -> None:
    await console.add_staff("aliya", "admin")
    admin = await console.client("aliya")
    packed = bomb(40)
    assert len(packed) < 200 * 1024  # 40 MB of cell text in a small file
    refused = await upload(admin, packed, name="list.xlsx")
    assert refused.status == 422
    shown = text_of(await refused.text())
    assert "list.xlsx was not imported" in shown
    assert "unpacks to 40 MB" in shown and "save the list as CSV" in shown


async def test_a_workbook_without_a_sheet_gets_a_clear_answer(console: ConsoleHarness) -> None:
    await console.add_staff("aliya", "admin")
    admin = await console.client("aliya")
    refused = await upload(admin, without_sheets(), name="list.xlsx")
    assert refused.status == 422
    assert "The workbook has no worksheet" in text_of(await refused.text())
    async with console.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Registrant)) == 0


async def test_a_list_cut_in_the_middle_of_a_letter_gets_a_clear_answer(
    console: ConsoleHarness,
) -> None:
    """Found by the hostile-input suite: UTF-16 with an odd byte at the start was a 500."""
    await console.add_staff("aliya", "admin")
    admin = await console.client("aliya")
    refused = await upload(admin, b"\xfe\xff\x00", name="list.csv")
    assert refused.status == 422
    assert "was not imported" in text_of(await refused.text())
