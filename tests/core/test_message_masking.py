"""Personal data masked in messages kept for staff, in kk, ru and en; ordinary words kept."""

from __future__ import annotations

import pytest

from core.message_masking import mask, without_masks


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        ("call me on +7 701 123 45 67", "call me on [phone]"),
        ("мой номер 87011234567, перезвоните", "мой номер [phone], перезвоните"),
        ("write to aigul.b@mail.kz please", "write to [email] please"),
        ("менің ЖСН 850101300123", "менің ЖСН [number]"),
        ("card 4400 4301 2345 6789", "card [number]"),
        ("my name is Aigul Bekova and I am deaf", "my name is [name] and I am deaf"),
        ("Меня зовут Иван, нужна помощь", "Меня зовут [name], нужна помощь"),
        ("Менің атым Айгүл, көмек керек", "Менің атым [name], көмек керек"),
        ("Иванов Иван Петрович просит такси", "[name] просит такси"),
        ("Асқар Нұрланұлы такси керек", "[name] такси керек"),
        ("ask @aigul_b in telegram", "ask [name] in telegram"),
        ("I am at 43.2567, 76.9286", "I am at [place]"),
    ],
)
def test_personal_data_is_masked(message: str, masked: str) -> None:
    assert mask(message) == masked


@pytest.mark.parametrize(
    "message",
    [
        "I need an interpreter for 3 hours on 5 May at 10:30",
        "нужен сурдопереводчик на 60 часов в году, группа 1",
        "это различно и логично",
        "әлеуметтік такси 2026 жылы тегін бе",
    ],
)
def test_ordinary_words_and_short_numbers_stay(message: str) -> None:
    assert mask(message) == message


def test_masking_twice_changes_nothing_and_masks_come_out_for_training() -> None:
    once = mask("my name is Aigul, phone 87011234567")
    assert mask(once) == once
    assert without_masks(once) == "my name is, phone"
