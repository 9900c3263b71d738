"""The one check for free text that anyone writes into the database: score sheet, import, reasons.

Every write path calls :func:`clean_text`, so a text is stored the same way whichever way it came in,
with the same limit: feedback typed on the score sheet and feedback imported from a workbook are both
at most :data:`FEEDBACK_LIMIT` characters, and neither may hold a character that a spreadsheet, the
database or a reader cannot take.

What it does, in order
    Line breaks as Word, Excel and old Macs write them (``\\r\\n``, ``\\r``, the vertical tab
    ``\\x0b`` of Word's Shift+Enter, form feed, and the Unicode line and paragraph separators)
    become ``\\n``; the text is stripped and NFC-normalised (an "é" typed as e + accent is one
    character).  Then it refuses, with a catalogue key and values for the message:

    * other control characters (NUL, escape, …): PostgreSQL refuses NUL and a workbook refuses the rest;
    * bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C): they make a
      title read differently on screen than it is stored ("right-to-left override" attacks);
    * zero-width and invisible characters (U+200B–U+200D, U+2060, U+FEFF, U+00AD, U+180E): they
      make two names look the same while they differ;
    * text longer than ``limit`` characters.
"""

from __future__ import annotations

import unicodedata
from typing import Any

FEEDBACK_LIMIT = 4_000  # a juror's feedback on an entry, whether typed or imported
REASON_LIMIT = 1_000  # the written reason of a correction
CELL_LIMIT = 32_767  # the most characters an Excel cell holds: titles, summaries, descriptions

LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
ALLOWED_CONTROLS = frozenset("\n\t")


class TextRefused(ValueError):
    """A text that cannot be stored: ``key`` is the catalogue key of the reason, ``values`` fill its message."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def normalise(value: str) -> str:
    """Line breaks as ``\\n``, surrounding white space removed, composed characters (NFC); nothing refused."""
    for old, new in LINE_BREAKS.items():
        value = value.replace(old, new)
    return unicodedata.normalize("NFC", value.strip())


def clean_text(value: str, *, limit: int) -> str:
    """The text as it is stored (see :func:`normalise`); raises :class:`TextRefused` for what cannot be."""
    value = normalise(value)
    for position, character in enumerate(value, start=1):
        if character in BIDI_CONTROLS:
            raise TextRefused("text.bidi_control", code=_code_point(character), position=position)
        if character in INVISIBLE:
            raise TextRefused("text.invisible", code=_code_point(character), position=position)
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise TextRefused("text.control_character", code=_code_point(character), position=position)
    if len(value) > limit:
        raise TextRefused("text.too_long", max=limit, length=len(value))
    return value
