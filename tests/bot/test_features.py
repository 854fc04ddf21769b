"""The dialogue's features, described as data, join into one set of routes without clashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.dialogue.context import Context
from bot.dialogue.engine import FEATURES, ROUTES
from bot.dialogue.feature import Feature, assemble
from bot.dialogue.features import menu
from bot.dialogue.turns import Reply
from bot.dialogue.vocabulary import Vocabulary

FEATURES_DIR = Path(__file__).parents[2] / "bot" / "dialogue" / "features"


async def _nothing(ctx: Context, choice: str | None) -> Reply | None:
    return None


def test_two_features_naming_one_step_are_refused() -> None:
    first = Feature(name="first", steps={"shared.step": _nothing})
    second = Feature(name="second", steps={"shared.step": _nothing})
    with pytest.raises(ValueError, match=re.escape("'second' names ['shared.step'] again")):
        assemble((first, second))


def test_a_feature_confirms_only_its_own_steps() -> None:
    with pytest.raises(ValueError, match=re.escape("does not ask: ['booking.confirm']")):
        Feature(
            name="own",
            steps={"own.confirm": _nothing},
            confirmations=frozenset({"booking.confirm"}),
        )
    own = Feature(
        name="own", steps={"own.confirm": _nothing}, confirmations=frozenset({"own.confirm"})
    )
    assert assemble((own, menu.FEATURE)).confirmations == {"own.confirm"}


def test_the_yes_or_no_steps_are_the_features_own() -> None:
    """Voice answers at these steps are listened for yes and no (listening.phrases)."""
    assert ROUTES.confirmations == {
        "confirm.forget",
        "confirm.learning",
        "region.change_confirm",
        "onboarding.region_confirm",
        "booking.confirm",
        "booking.cancel_confirm",
        "booking.region_confirm",
        "alerts.consent",
        "alerts.region_confirm",
        "alerts.change",
        "alerts.leave",
    }


def test_every_command_a_word_menu_or_button_can_choose_has_a_handler() -> None:
    chosen = {meaning for meaning, _ in Vocabulary.load().tables["commands"].values()}
    chosen |= {payload.removeprefix("cmd:") for _, payload in menu.MENU}
    for source in FEATURES_DIR.glob("*.py"):  # buttons that run a command
        chosen |= set(re.findall(r'"cmd:(\w+)"', source.read_text(encoding="utf-8")))
    assert chosen <= ROUTES.commands.keys()


def test_every_feature_module_is_assembled_once() -> None:
    modules = {path.stem for path in FEATURES_DIR.glob("*.py") if "FEATURE = " in path.read_text()}
    assert sorted(feature.name for feature in FEATURES) == sorted(modules)


def test_a_description_cannot_be_changed_after_it_is_made() -> None:
    with pytest.raises(TypeError):
        menu.FEATURE.commands["new"] = menu.show_help  # type: ignore[index]
