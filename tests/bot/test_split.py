from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.split import TELEGRAM_TEXT_LIMIT, split_text


def test_a_10000_character_reply_is_cut_between_sentences() -> None:
    sentences = [f"Sentence number {i} says one short thing." for i in range(260)]
    text = " ".join(sentences)
    assert len(text) > 10_000
    pieces = split_text(text)
    assert len(pieces) == 3
    assert all(len(piece) <= TELEGRAM_TEXT_LIMIT for piece in pieces)
    assert all(piece.endswith(".") for piece in pieces)
    assert " ".join(pieces) == text


def test_paragraph_breaks_survive_inside_a_piece() -> None:
    assert split_text("One.\n\nTwo.") == ["One.\n\nTwo."]


@given(st.text(alphabet=st.sampled_from("ab .!?\nәқ"), max_size=3000), st.integers(5, 300))
def test_pieces_fit_and_lose_no_words(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
