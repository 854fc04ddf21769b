"""What a recipient reads, hears and gets by SMS: the action first, in their language."""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from alerts import sms_text
from alerts.cap.model import CapAlert, Info
from alerts.cap.parse import parse
from alerts.render import Rendered, choose_info, render
from core.i18n import Catalogs
from core.profile import LANGUAGES, Language
from tests.testdata import shared_data

ALMATY = ZoneInfo("Asia/Almaty")

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>KZ-ALM-0001</identifier>
  <sender>112@emer.gov.kz</sender>
  <sent>2026-11-22T12:00:00+05:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>kk-KZ</language>
    <category>Geo</category>
    <event>Жер сілкінісі</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>2026-11-22T13:00:00-00:00</expires>
    <headline>Алматыда жер сілкінісі</headline>
    <description>Сағат 11:50-де 5 балдық жер сілкінісі болды.</description>
    <instruction>Ғимараттан дереу шығыңыз. Лифтті пайдаланбаңыз.</instruction>
    <web>https://emer.gov.kz/alerts/KZ-ALM-0001</web>
    <area>
      <areaDesc>Алматы қаласы</areaDesc>
      <geocode><valueName>KATO</valueName><value>750000000</value></geocode>
    </area>
  </info>
  <info>
    <language>ru-KZ</language>
    <category>Geo</category>
    <event>Землетрясение</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>2026-11-22T13:00:00-00:00</expires>
    <headline>Землетрясение в Алматы</headline>
    <description>В 11:50 произошло землетрясение силой 5 баллов.&lt;br /&gt;
      Возможны повторные толчки.</description>
    <instruction>Немедленно покиньте здание. Не пользуйтесь лифтом.</instruction>
    <web>https://emer.gov.kz/alerts/KZ-ALM-0001</web>
    <area>
      <areaDesc>город Алматы</areaDesc>
      <geocode><valueName>KATO</valueName><value>750000000</value></geocode>
    </area>
  </info>
  <info>
    <language>en-US</language>
    <category>Geo</category>
    <event>Earthquake</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>2026-11-22T13:00:00-00:00</expires>
    <headline>Earthquake in Almaty</headline>
    <description>A magnitude 5 earthquake hit at 11:50.</description>
    <instruction>Leave the building now. Do not use the lift.</instruction>
    <web>https://emer.gov.kz/alerts/KZ-ALM-0001</web>
    <area>
      <areaDesc>Almaty city</areaDesc>
      <geocode><valueName>KATO</valueName><value>750000000</value></geocode>
    </area>
  </info>
</alert>
"""

ACTIONS = {
    Language.KK: "Ғимараттан дереу шығыңыз.",
    Language.RU: "Немедленно покиньте здание.",
    Language.EN: "Leave the building now.",
}


@pytest.fixture(scope="module")
def alert() -> CapAlert:
    return parse(DOCUMENT.encode())


def only(alert: CapAlert, *languages: str) -> CapAlert:
    return dataclasses.replace(
        alert, infos=tuple(info for info in alert.infos if info.language in languages)
    )


def with_info(alert: CapAlert, **changes: Any) -> CapAlert:
    return dataclasses.replace(
        alert,
        infos=tuple(dataclasses.replace(info, **changes) for info in alert.infos),
    )


def chosen(alert: CapAlert, language: Language) -> str:
    info = choose_info(alert, language)
    assert info is not None
    return info.language


def show(alert: CapAlert, language: Language, catalogs: Catalogs) -> Rendered:
    return render(alert, language, catalogs, tz=ALMATY)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_recipient_reads_the_block_in_their_language(
    alert: CapAlert, catalogs: Catalogs, language: Language
) -> None:
    rendered = show(alert, language, catalogs)
    assert rendered.language is language
    assert rendered.info_language.startswith(language.value)
    info = choose_info(alert, language)
    assert info is not None
    lines = rendered.text.splitlines()
    assert lines[0] == ACTIONS[language]
    until = catalogs.text(language, "alert.until", time="22.11 18:00")
    assert lines[1:4] == [
        f"{info.headline}.",
        catalogs.text(language, "alert.area", areas=info.areas[0].description),
        until,
    ]
    assert rendered.text.rstrip().endswith("https://emer.gov.kz/alerts/KZ-ALM-0001")
    assert rendered.sms.startswith(ACTIONS[language])
    assert rendered.sms.endswith(catalogs.text(language, "alert.sms.reply"))
    assert rendered.spoken.startswith(ACTIONS[language])
    assert "https" not in rendered.spoken
    assert until in rendered.spoken


def test_the_rest_of_the_instruction_and_the_description_come_after(
    alert: CapAlert, catalogs: Catalogs
) -> None:
    text = show(alert, Language.RU, catalogs).text
    _lead, details = text.split("\n\n")
    assert "Не пользуйтесь лифтом." in details.splitlines()[0]
    assert "Возможны повторные толчки." in details
    assert "<br" not in text


def test_without_a_block_in_their_language_a_recipient_gets_russian_then_kazakh(
    alert: CapAlert, catalogs: Catalogs
) -> None:
    russian_only = only(alert, "ru-KZ")
    rendered = show(russian_only, Language.KK, catalogs)
    assert rendered.info_language == "ru-KZ"
    assert rendered.text.startswith(ACTIONS[Language.RU])
    assert rendered.sms.endswith(catalogs.text(Language.KK, "alert.sms.reply"))
    assert chosen(only(alert, "kk-KZ", "en-US"), Language.RU) == "kk-KZ"
    assert chosen(only(alert, "kk-KZ", "ru-KZ"), Language.EN) == "ru-KZ"


def test_a_block_without_language_is_english_and_an_unknown_one_is_still_sent(
    alert: CapAlert, catalogs: Catalogs
) -> None:
    english = only(alert, "en-US")
    unnamed = with_info(english, language=Info().language)
    assert choose_info(unnamed, Language.EN) is unnamed.infos[0]
    french = with_info(english, language="fr-CA")
    spanish = with_info(english, language="es-US")
    both = dataclasses.replace(french, infos=(*french.infos, *spanish.infos))
    assert choose_info(both, Language.KK) is both.infos[0]
    assert choose_info(dataclasses.replace(alert, infos=()), Language.KK) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_an_instruction_a_default_action_comes_first(
    alert: CapAlert, catalogs: Catalogs, language: Language
) -> None:
    rendered = show(with_info(alert, instruction=None), language, catalogs)
    default = catalogs.text(language, "alert.default_action")
    assert rendered.text.splitlines()[0] == default
    assert rendered.sms.startswith(default)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_exercise_says_so_before_anything_else(
    alert: CapAlert, catalogs: Catalogs, language: Language
) -> None:
    rendered = show(dataclasses.replace(alert, status="Exercise"), language, catalogs)
    marker = catalogs.text(language, "alert.exercise")
    assert rendered.text.splitlines()[:2] == [marker, ACTIONS[language]]
    assert rendered.sms.startswith(marker)
    assert rendered.spoken.startswith(marker)
    test = show(dataclasses.replace(alert, status="Test"), language, catalogs)
    assert test.text.startswith(catalogs.text(language, "alert.test"))


def test_a_real_alert_has_no_exercise_marker(alert: CapAlert, catalogs: Catalogs) -> None:
    text = show(alert, Language.EN, catalogs).text
    assert "drill" not in text
    assert "test" not in text


def test_a_very_long_russian_alert_still_fits_three_sms_parts_with_the_reply_hint(
    alert: CapAlert, catalogs: Catalogs
) -> None:
    description = " ".join(["Сильный ветер повалил деревья и оборвал провода на улицах."] * 60)
    long = with_info(only(alert, "ru-KZ"), description=description)
    rendered = show(long, Language.RU, catalogs)
    assert sms_text.parts(rendered.sms) <= 3
    assert rendered.sms.startswith(ACTIONS[Language.RU])
    assert rendered.sms.endswith(catalogs.text(Language.RU, "alert.sms.reply"))
    assert rendered.sms.count("Сильный ветер") < 3
    assert len(rendered.text) <= 4096


def test_an_update_says_it_is_an_update(alert: CapAlert, catalogs: Catalogs) -> None:
    update = dataclasses.replace(alert, msg_type="Update")
    for language in LANGUAGES:
        first = show(update, language, catalogs).text.splitlines()[0]
        assert first == catalogs.text(language, "alert.update", text=ACTIONS[language])
    assert show(update, Language.RU, catalogs).text.startswith("Обновление: Немедленно")


def test_a_cancel_gives_the_all_clear_with_the_headline(
    alert: CapAlert, catalogs: Catalogs
) -> None:
    cancel = dataclasses.replace(alert, msg_type="Cancel")
    russian = show(cancel, Language.RU, catalogs)
    assert russian.text.startswith(
        "Отбой тревоги. Предупреждение «Землетрясение в Алматы» отменено."
    )
    assert not russian.text.startswith(ACTIONS[Language.RU])
    english = show(cancel, Language.EN, catalogs)
    assert english.text.startswith("All clear. The warning “Earthquake in Almaty” is cancelled.")
    assert english.sms.endswith(catalogs.text(Language.EN, "alert.sms.reply"))
    bare = show(dataclasses.replace(cancel, infos=()), Language.KK, catalogs)
    assert bare.text == catalogs.text(Language.KK, "alert.cancel_plain")
    assert bare.info_language == "kk"


def test_speech_gets_no_links_or_markup(alert: CapAlert, catalogs: Catalogs) -> None:
    noisy = with_info(
        only(alert, "en-US"),
        description="See https://emer.gov.kz/map *now* <b>#1</b> & www.emer.gov.kz",
    )
    spoken = show(noisy, Language.EN, catalogs).spoken
    for symbol in ("http", "www", "*", "#", "<", "&"):
        assert symbol not in spoken
    assert "See now 1" in spoken


def test_every_real_document_renders_within_limits_for_everyone(catalogs: Catalogs) -> None:
    for path in sorted(shared_data("cap/valid").glob("*.xml")):
        alert = parse(path.read_bytes())
        for language in LANGUAGES:
            rendered = show(alert, language, catalogs)
            assert rendered.text.strip(), path.name
            assert len(rendered.text) <= 4096, path.name
            assert sms_text.parts(rendered.sms) <= 3, path.name
            assert rendered.sms.endswith(catalogs.text(language, "alert.sms.reply")), path.name
            assert "http" not in rendered.spoken, path.name
