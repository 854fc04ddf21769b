"""Composing an alert from a template: valid CAP in three languages, problems by field."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from alerts.approval import NEEDS_APPROVER, NOT_ALLOWED, NOT_YOUR_OWN, approval_refusal
from alerts.area_input import AreaInputError, parse_circles, parse_polygons
from alerts.cap.model import Circle, Reference
from alerts.cap.parse import parse
from alerts.compose import CONSOLE_SENDER, Draft, LanguageText, compose, from_template
from alerts.follow_up import follow_up, refusal
from alerts.reach import reach
from alerts.targeting import Audience
from alerts.templates import TEMPLATE_CODE, by_key, templates
from content.readability import MAX_KAZAKH_SENTENCE_WORDS, measure, plain_enough
from core.database import SessionFactory
from core.profile import LANGUAGES, Language
from core.staff.roles import Role
from tests.alerts.broadcast import SENT, add_registrants, alert_received

NOW = datetime(2026, 11, 22, 9, 0, 30, 123456, tzinfo=UTC)


def draft(template_key: str = "earthquake", **changes: object) -> Draft:
    template = by_key(template_key)
    assert template is not None
    base = dataclasses.replace(from_template(template), status="Actual", regions=("75",))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_the_seven_kinds_of_emergency_have_templates() -> None:
    assert [t.key for t in templates()] == [
        "earthquake",
        "flood",
        "mudflow",
        "fire",
        "chemical",
        "storm",
        "other",
    ]


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.key)
def test_every_template_is_plain_language_in_three_languages(template: object) -> None:
    assert template is not None
    for language in LANGUAGES:
        text = template.text(language)  # type: ignore[attr-defined]
        for part in (text.headline, text.instruction):
            assert measure(part, Language.KK).longest_sentence <= MAX_KAZAKH_SENTENCE_WORDS
        if language is not Language.KK:
            assert plain_enough(text.instruction, language), (language, text.instruction)


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.key)
def test_every_template_composes_to_valid_cap(template: object) -> None:
    key = template.key  # type: ignore[attr-defined]
    composed = compose(draft(key), now=NOW)
    assert composed.problems == {}
    assert composed.document is not None
    cap = parse(composed.document)
    assert cap == composed.alert
    assert cap.sender == CONSOLE_SENDER
    assert cap.sent == NOW.replace(microsecond=0)
    assert [info.language for info in cap.infos] == ["kk", "ru", "en"]
    english = cap.infos[2]
    assert english.event == template.text(Language.EN).event  # type: ignore[attr-defined]
    assert dict(english.event_codes)[TEMPLATE_CODE] == key
    assert english.expires == cap.sent + timedelta(hours=template.expires_hours)  # type: ignore[attr-defined]
    assert english.areas[0].geocodes == (("KATO", "750000000"),)
    assert [info.areas[0].description for info in cap.infos] == [
        "Алматы қаласы",
        "город Алматы",
        "Almaty",
    ]


def test_identifiers_are_unique() -> None:
    first = compose(draft(), now=NOW).alert.identifier
    assert first != compose(draft(), now=NOW).alert.identifier


def test_problems_are_given_by_field() -> None:
    texts = dict(draft().texts)
    texts[Language.RU] = LanguageText(headline="", instruction="Выйдите.")
    composed = compose(
        draft(
            status="",
            texts=texts,
            expires_hours="a week",
            regions=("99", "75"),
            polygons="43.2,76.9 43.3,north",
            circles="43.25,76.95 0",
            kinds=("tall",),
        ),
        now=NOW,
    )
    assert not composed.ok
    assert composed.document is None
    assert set(composed.problems) == {
        "status",
        "headline_ru",
        "expires_hours",
        "regions",
        "polygons",
        "circles",
        "audience",
    }
    assert "real alert, an exercise or a test" in composed.problems["status"]
    assert "Russian" in composed.problems["headline_ru"]
    assert "north" in composed.problems["polygons"]
    assert "radius" in composed.problems["circles"]
    assert "tall" in composed.problems["audience"]
    # what could be read is still there, for the preview
    assert composed.alert.infos[0].areas[0].geocodes == (("KATO", "750000000"),)


def test_an_alert_needs_an_area_and_an_instruction() -> None:
    texts = dict(draft().texts)
    texts[Language.KK] = LanguageText(headline="Жер сілкінісі")
    composed = compose(draft(regions=(), texts=texts), now=NOW)
    assert composed.problems.keys() == {"area", "instruction_kk"}


def test_long_texts_are_refused_and_long_kazakh_sentences_advised() -> None:
    texts = dict(draft().texts)
    long_sentence = " ".join(["сөз"] * 16) + "."
    texts[Language.KK] = LanguageText(headline="Жер сілкінісі", instruction=long_sentence)
    texts[Language.EN] = LanguageText(headline="x" * 161, instruction="Leave now.")
    composed = compose(draft(texts=texts), now=NOW)
    assert composed.problems.keys() == {"headline_en"}
    assert "161" in composed.problems["headline_en"]
    assert "16 words" in composed.advice["instruction_kk"]


def test_pasted_polygon_is_closed_and_named_by_its_region() -> None:
    composed = compose(
        draft(regions=(), polygons="43.20,76.85 43.30,76.85 43.30,77.00\n43.20,77.00"), now=NOW
    )
    assert composed.ok, composed.problems
    (area,) = composed.alert.infos[2].areas
    assert area.polygons == (
        ((43.2, 76.85), (43.3, 76.85), (43.3, 77.0), (43.2, 77.0), (43.2, 76.85)),
    )
    assert area.description == "Almaty"
    assert "place_kk" in composed.advice  # say in words where it is


def test_place_in_words_names_the_shape_area() -> None:
    texts = {
        language: dataclasses.replace(text, place=f"Medeu {language.value}")
        for language, text in draft().texts.items()
    }
    composed = compose(draft(texts=texts, circles="43.15,77.05 3 km"), now=NOW)
    assert composed.ok
    areas = composed.alert.infos[1].areas
    assert [a.description for a in areas] == ["город Алматы", "Medeu ru"]
    assert areas[1].circles == (Circle(43.15, 77.05, 3.0),)
    assert "place_kk" not in composed.advice


def test_geojson_polygons_are_read_longitude_first() -> None:
    ring = [[76.85, 43.2], [76.85, 43.3], [77.0, 43.3], [76.85, 43.2]]
    feature = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            },
            {
                "type": "Feature",
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring, ring], [ring]]},
            },
        ],
    }
    shapes = parse_polygons(json.dumps(feature))
    assert len(shapes.polygons) == 3
    assert shapes.polygons[0][0] == (43.2, 76.85)
    assert any("Holes" in note for note in shapes.notes)


def test_geojson_circles_take_their_radius_in_km_or_metres() -> None:
    point = json.dumps({"type": "Point", "coordinates": [76.95, 43.25]})
    assert parse_circles(f"{point} 5").circles == (Circle(43.25, 76.95, 5.0),)
    feature = {
        "type": "Feature",
        "properties": {"radius": 2500},
        "geometry": {"type": "Point", "coordinates": [76.95, 43.25]},
    }
    assert parse_circles(json.dumps(feature)).circles == (Circle(43.25, 76.95, 2.5),)
    with pytest.raises(AreaInputError, match="no radius"):
        parse_circles(point)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("43.2,76.9 43.3,76.9", "at least 3"),
        ("95,76.9 43.3,76.9 43.3,77", "not a place on Earth"),
        ('{"type": "Point", "coordinates": [1, 2]}', "not a polygon"),
        ("{not json", "not valid GeoJSON"),
        ('{"type": "Polygon", "coordinates": [[[1e999, 2], [3, 4], [5, 6]]]}', "not a number"),
    ],
)
def test_bad_polygons_say_what_to_fix(text: str, reason: str) -> None:
    with pytest.raises(AreaInputError, match=reason):
        parse_polygons(text)


def test_swapped_coordinates_are_pointed_out() -> None:
    assert parse_circles("76.95,43.25 5").notes
    assert not parse_circles("43.25,76.95 5").notes


def test_update_starts_from_the_earlier_alert_and_refers_to_it() -> None:
    original = compose(draft("flood", kinds=("blind",), circles="43.15,77.05 3"), now=NOW).alert
    earlier = Reference("elsewhere@kz", "first", SENT)
    original = dataclasses.replace(original, references=(earlier,), msg_type="Update")
    later = NOW + timedelta(hours=2)
    update = follow_up(original, Audience(kinds=frozenset({"blind"})), "Update", now=later)
    assert update.msg_type == "Update"
    assert update.template == "flood"
    assert update.status == "Actual"
    assert update.references == (
        Reference(original.sender, original.identifier, original.sent),
        earlier,
    )
    assert update.regions == ("75",)
    assert update.circles == "43.15,77.05 3"
    assert update.kinds == ("blind",)
    assert update.expires_hours == "22"
    assert update.texts[Language.KK].headline == "Су тасқыны қаупі"
    composed = compose(update, now=later)
    assert composed.ok, composed.problems
    assert parse(composed.document or b"").references == update.references


def test_a_cancel_needs_no_area_and_no_instruction() -> None:
    original = compose(draft(), now=NOW).alert
    cancel = follow_up(original, Audience(), "Cancel", now=NOW)
    texts = {lang: LanguageText(headline=t.headline) for lang, t in cancel.texts.items()}
    composed = compose(dataclasses.replace(cancel, regions=(), texts=texts), now=NOW)
    assert composed.ok, composed.problems
    assert refusal(composed.alert, "sent") is not None  # a Cancel cannot be cancelled
    assert refusal(original, "awaiting_approval") is not None
    assert refusal(original, "sent") is None


def test_an_update_without_references_is_refused() -> None:
    assert "references" in compose(draft(msg_type="Update"), now=NOW).problems


@pytest.mark.parametrize(
    ("status", "actor", "roles", "rule", "refused"),
    [
        ("Actual", "staff:a", {Role.DISPATCHER, Role.APPROVER}, True, NOT_YOUR_OWN),
        ("Actual", "staff:b", {Role.APPROVER}, True, None),
        ("Actual", "staff:b", {Role.DISPATCHER}, True, NEEDS_APPROVER),
        ("Actual", "staff:a", {Role.APPROVER}, False, None),
        ("Actual", "staff:a", {Role.DISPATCHER}, False, NEEDS_APPROVER),
        ("Exercise", "staff:a", {Role.DISPATCHER}, True, None),
        ("Test", "staff:b", {Role.APPROVER}, True, None),
        ("Test", "staff:b", {Role.COORDINATOR}, True, NOT_ALLOWED),
    ],
)
def test_two_person_rule(
    status: str, actor: str, roles: set[Role], rule: bool, refused: str | None
) -> None:
    assert (
        approval_refusal(
            status=status, created_by="staff:a", actor=actor, roles=roles, two_person_rule=rule
        )
        == refused
    )


async def test_reach_counts_earlier_recipients_once_and_a_cancel_only_them(
    sessions: SessionFactory,
) -> None:
    await add_registrants(
        sessions,
        [
            {"telegram_chat_id": 1, "disability_kinds": ["deaf"]},  # got the earlier alert
            {"telegram_chat_id": 2, "disability_kinds": ["blind"], "phone": "+77011111111"},
            {"phone": "+77012222222", "region": "71"},  # Astana: got it, outside the new area
            {"region": "71"},  # Astana, never reached
        ],
    )
    async with sessions.begin() as session:
        earlier = await alert_received(session, 1, identifier="first", language="ru", now=SENT)
        await alert_received(session, 3, identifier="second", language="ru", now=SENT)
        earlier_ids = [earlier.id, earlier.id + 1]
    update = compose(draft(msg_type="Update"), now=NOW).alert
    async with sessions() as session:
        counted = await reach(session, update, Audience(), earlier_ids)
        cancel = await reach(
            session, dataclasses.replace(update, msg_type="Cancel"), Audience(), earlier_ids
        )
    assert (counted.recipients, counted.earlier) == (3, 2)
    assert (counted.telegram_text, counted.telegram_voice, counted.sms) == (1, 1, 2)
    assert counted.unreachable == 0
    assert (cancel.recipients, cancel.earlier, cancel.sms) == (2, 2, 1)


def test_a_district_code_of_an_earlier_alert_is_kept() -> None:
    original = compose(draft(regions=("751110000",)), now=NOW).alert
    assert original.infos[2].areas[0].description == "Almaty (KATO 751110000)"
    update = follow_up(original, Audience(), "Update", now=NOW)
    assert update.regions == ("75111",)
    again = compose(update, now=NOW).alert
    assert again.infos[0].areas[0].geocodes == (("KATO", "751110000"),)
