"""Paragraph chunking and quotation-mark pairing: the offsets everything else relies on."""

from __future__ import annotations

from newsfuse.stages.extract.paragraphs import paragraph_chunks
from newsfuse.stages.extract.quotes import find_quote_marks


def test_paragraph_chunks_are_exact_slices() -> None:
    text = "  First para.\n\nSecond one here.\n   \nThird."
    chunks = list(paragraph_chunks(text, 1000))
    assert [c for _, c in chunks] == ["First para.", "Second one here.", "Third."]
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk


def test_huge_paragraph_is_cut_into_bounded_exact_chunks() -> None:
    sentence = "The port stayed closed for another day. "
    text = sentence * 3000  # 120k characters, one paragraph
    chunks = list(paragraph_chunks(text, 5000))
    assert len(chunks) > 20
    assert all(len(c) <= 5000 for _, c in chunks)
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk
    assert sum(len(c) for _, c in chunks) >= len(text.replace(" ", "")) // 2


def test_unbroken_text_is_cut_hard() -> None:
    text = "x" * 12_000
    chunks = list(paragraph_chunks(text, 5000))
    assert [len(c) for _, c in chunks] == [5000, 5000, 2000]


def test_quote_marks_curly_straight_and_unclosed() -> None:
    text = 'He said “we will strike,” and then "not today". She added: “never'
    marks = find_quote_marks(text)
    assert [text[s:e] for s, e, _ in marks] == ["we will strike,", "not today", "never"]
    assert [closed for _, _, closed in marks] == [True, True, False]


def test_mixed_marks_pair_across_styles() -> None:
    text = 'A “mixed quote" ends here, then “another”.'
    assert [text[s:e] for s, e, _ in find_quote_marks(text)] == ["mixed quote", "another"]
