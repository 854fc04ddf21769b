"""Reading the date and time of a booking in Kazakh, Russian and English, typed and spoken."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.profile import Language
from nlu.when import When, parse_when

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
"""Sunday 22 November 2026, 15:00 in Kazakhstan."""

TODAY, MON, TUE, WED = (
    date(2026, 11, 22),
    date(2026, 11, 23),
    date(2026, 11, 24),
    date(2026, 11, 25),
)
FRI, SAT = date(2026, 11, 27), date(2026, 11, 28)
MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
PAST, IMPOSSIBLE, AMBIGUOUS = "past", "impossible", "ambiguous"


def at(hour: int, minute: int = 0) -> time:
    """A time of day, for short tables."""
    return time(hour, minute)


def check(text: str, language: Language, expected: When) -> None:
    """The parse of `text` is `expected`."""
    assert parse_when(text, language, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ертең сағат онда", When(MON, at(10))),
        ("ертең сағат 10-да", When(MON, at(10))),
        ("бүгін сағат төртте", When(TODAY, at(16))),
        ("бүрсігүні сағат он бірде", When(TUE, at(11))),
        ("Бүрсігүні сағат 3-те", When(TUE, at(15))),
        ("жұма күні сағат екіде", When(FRI, at(14))),
        ("келесі жұмада сағат он екіде", When(FRI, at(12))),
        ("осы сенбіде таңғы 9-да", When(SAT, at(9), MORNING)),
        ("25 қараша сағат 10:30-да", When(WED, at(10, 30))),
        ("қарашаның 25-і", When(WED)),
        ("жиырма бесінші қараша сағат бесте", When(WED, at(17))),
        ("2026 жылғы 25 қараша", When(WED)),
        ("25.11 түстен кейін сағат 3-те", When(WED, at(15), AFTERNOON)),
        ("ертең таңертең", When(MON, None, MORNING)),
        ("ертең кешке", When(MON, None, EVENING)),
        ("ертең түстен кейін", When(MON, None, AFTERNOON)),
        ("ертең кешкі сағат жетіде", When(MON, at(19), EVENING)),
        ("ертен сагат алтыда", When(MON, at(18))),  # typed without Kazakh letters
        ("ертең сағат он жарымда", When(MON, at(10, 30))),
        ("ертең сағат 10-да екі сағатқа", When(MON, at(10), duration_hours=2)),
        ("ертең 2 сағатқа", When(MON, duration_hours=2)),
        ("ертең 10-нан 12-ге дейін", When(MON, at(10), duration_hours=2)),
        ("сағат үште немесе төртте", When(problem=AMBIGUOUS)),
        ("бүгін сағат 10-да", When(TODAY, at(10), problem=PAST)),
        ("кеше", When(date(2026, 11, 21), problem=PAST)),
        ("31 ақпан", When(problem=IMPOSSIBLE)),
        ("ертең сағат 25:00-де", When(MON, problem=IMPOSSIBLE)),
        ("ертең сағат жетіде", When(MON, problem=AMBIGUOUS)),
        ("келесі аптада", When(problem=AMBIGUOUS)),
        ("келесі аптада сәрсенбіде", When(WED)),
        ("ертең немесе бүрсігүні", When(problem=AMBIGUOUS)),
        ("әлеуметтік такси керек", When()),
        ("онда барамын", When()),
        ("ертең сағат 3-ке", When(MON, at(15))),
        ("ертең сағат 9:00-ден 11:00-ге дейін", When(MON, at(9), duration_hours=2)),
    ],
)
def test_kazakh(text: str, expected: When) -> None:
    check(text, Language.KK, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("завтра в 10", When(MON, at(10))),
        ("Завтра в 10:30.", When(MON, at(10, 30))),
        ("завтра в десять", When(MON, at(10))),
        ("завтра в десять утра", When(MON, at(10), MORNING)),
        ("послезавтра в 3 часа дня", When(TUE, at(15), AFTERNOON)),
        ("послезавтра в три", When(TUE, at(15))),
        ("сегодня в 9 вечера", When(TODAY, at(21), EVENING)),
        ("в пятницу в 11", When(FRI, at(11))),
        ("в следующую пятницу в двенадцать", When(FRI, at(12))),
        ("в эту субботу утром", When(SAT, None, MORNING)),
        ("25 ноября в 10.30", When(WED, at(10, 30))),
        ("двадцать пятого ноября в час дня", When(WED, at(13), AFTERNOON)),
        ("25.11", When(WED)),
        ("25.11.2026 в 15:00", When(WED, at(15))),
        ("5 января", When(date(2027, 1, 5))),
        ("на 25-е число", When(WED)),
        ("завтра днём", When(MON, None, AFTERNOON)),
        ("завтра вечером", When(MON, None, EVENING)),
        ("завтра в 10 на два часа", When(MON, at(10), duration_hours=2)),
        ("на 2 часа послезавтра", When(TUE, duration_hours=2)),
        ("завтра с 10 до 12", When(MON, at(10), duration_hours=2)),
        ("запишите на завтра на 3 часа дня", When(MON, at(15), AFTERNOON)),
        ("в половине одиннадцатого", When(time=at(10, 30))),
        ("завтра в 11 ночи", When(MON, at(23))),
        ("в полдень в среду", When(WED, at(12))),
        ("на следующей неделе в среду", When(WED)),
        ("в среду 25 ноября", When(WED)),
        ("в пятницу 25 ноября", When(problem=AMBIGUOUS)),
        ("на следующей неделе", When(problem=AMBIGUOUS)),
        ("завтра в 7", When(MON, problem=AMBIGUOUS)),
        ("завтра в 5 или в 6", When(MON, problem=AMBIGUOUS)),
        ("завтра утром или вечером", When(MON, problem=AMBIGUOUS)),
        ("сегодня в 10", When(TODAY, at(10), problem=PAST)),
        ("20 ноября", When(date(2026, 11, 20), problem=PAST)),
        ("25.11.2025", When(date(2025, 11, 25), problem=PAST)),
        ("31 февраля", When(problem=IMPOSSIBLE)),
        ("32.13", When(problem=IMPOSSIBLE)),
        ("завтра в 25:00", When(MON, problem=IMPOSSIBLE)),
        ("сколько стоит социальное такси", When()),
        ("у меня 1 группа инвалидности", When()),
        ("в 3 раза дороже", When()),
        ("мой номер 8 701 123 45 67 запишите завтра в 10", When(MON, at(10))),
        ("на 1.5 часа", When()),
    ],
)
def test_russian(text: str, expected: When) -> None:
    check(text, Language.RU, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow at 10", When(MON, at(10))),
        ("Tomorrow at 10:30.", When(MON, at(10, 30))),
        ("tomorrow at ten thirty", When(MON, at(10, 30))),
        ("10am on friday", When(FRI, at(10))),
        ("friday at 3 pm", When(FRI, at(15))),
        ("the day after tomorrow at three p m", When(TUE, at(15))),
        ("next friday at 11", When(FRI, at(11))),
        ("this saturday in the morning", When(SAT, None, MORNING)),
        ("25 November at 9", When(WED, at(9))),
        ("november twenty fifth at eleven", When(WED, at(11))),
        ("on the 25th of November at noon", When(WED, at(12))),
        ("25.11.2026 at 16:00", When(WED, at(16))),
        ("25/11", When(WED)),
        ("11/25", When(WED)),
        ("tomorrow morning", When(MON, None, MORNING)),
        ("tomorrow afternoon", When(MON, None, AFTERNOON)),
        ("tonight at 8", When(TODAY, at(20), EVENING)),
        ("at 7 in the evening on wednesday", When(WED, at(19), EVENING)),
        ("tomorrow at 2 for two hours", When(MON, at(14), duration_hours=2)),
        ("from 10 to 2 on friday", When(FRI, at(10), duration_hours=4)),
        ("at half past ten tomorrow", When(MON, at(10, 30))),
        ("at quarter to one on friday", When(FRI, at(12, 45))),
        ("good afternoon can i come tomorrow at 11", When(MON, at(11))),
        ("next week", When(problem=AMBIGUOUS)),
        ("tomorrow at 7", When(MON, problem=AMBIGUOUS)),
        ("tomorrow or friday", When(problem=AMBIGUOUS)),
        ("05/06", When(problem=AMBIGUOUS)),
        ("this morning", When(TODAY, None, MORNING, problem=PAST)),
        ("today at 11", When(TODAY, at(11), problem=PAST)),
        ("yesterday", When(date(2026, 11, 21), problem=PAST)),
        ("february 30", When(problem=IMPOSSIBLE)),
        ("tomorrow at 25:00", When(MON, problem=IMPOSSIBLE)),
        ("how much is the social taxi", When()),
        ("a table for 2 please", When()),
        ("at 08:00 on monday", When(MON, at(8))),
        ("2026-11-25 at 10 a.m.", When(WED, at(10))),
    ],
)
def test_english(text: str, expected: When) -> None:
    check(text, Language.EN, expected)


def test_next_weekday_later_this_week_is_ambiguous() -> None:
    wednesday = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    assert parse_when("next friday", Language.EN, wednesday).problem == AMBIGUOUS
    assert parse_when("next monday", Language.EN, wednesday).day == date(2026, 11, 30)
    assert parse_when("в пятницу", Language.RU, wednesday).day == FRI


def test_weekday_that_is_today_is_ambiguous() -> None:
    assert parse_when("в воскресенье", Language.RU, NOW).problem == AMBIGUOUS
    assert parse_when("this sunday", Language.EN, NOW).day == TODAY


def test_starts_at_is_utc() -> None:
    assert parse_when("завтра в 10", Language.RU, NOW).starts_at() == datetime(
        2026, 11, 23, 5, 0, tzinfo=UTC
    )
    assert parse_when("ертең кешке", Language.KK, NOW).starts_at() == datetime(
        2026, 11, 23, 13, 0, tzinfo=UTC
    )
    assert parse_when("at 10", Language.EN, NOW).starts_at() is None


def test_now_is_read_in_kazakhstan() -> None:
    late_evening = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # 01:00 on Monday in Almaty
    assert parse_when("tomorrow", Language.EN, late_evening).day == TUE


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("завтра", Language.RU, datetime(2026, 11, 22, 10, 0))


_VOCABULARY = (
    "в at сағат 10 10:30 25.11 31.02 завтра ертең tomorrow friday next келесі жұмада пятницу "
    "on the 25th ноября қараша 3 pm утра -да он бірде for hours на часа сағатқа с до from to "
    ". : / - 99 0 000 ## half past"
)
_WORDS = st.sampled_from(_VOCABULARY.split())


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=40).map(" ".join)),
    st.sampled_from(list(Language)),
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
def test_any_text_is_read_without_error(text: str, language: Language, now: datetime) -> None:
    when = parse_when(text, language, now)
    assert when.problem in (None, PAST, IMPOSSIBLE, AMBIGUOUS)
    assert when.part_of_day in (None, MORNING, AFTERNOON, EVENING)
    starts = when.starts_at()
    assert starts is None or starts.tzinfo is UTC


def test_a_long_repetitive_message_means_what_one_copy_means() -> None:
    # How fast messages like these are read is measured in bench/when_speed.py.
    text = "завтра в 10 " * 400 + "9" * 4000 + " ." * 2000
    assert parse_when(text, Language.RU, NOW) == parse_when("завтра в 10", Language.RU, NOW)
