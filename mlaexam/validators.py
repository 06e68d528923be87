"""Validators for text people type once and others read: names and titles."""

from __future__ import annotations

import unicodedata

from rest_framework import serializers

# Joiners that real scripts and emoji need: ZWNJ and ZWJ (Persian, Indic scripts, 👩‍💻), and the tag
# characters of subdivision flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿). Every other format character is invisible and can
# disguise a name: bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width spaces, BOMs.
_ALLOWED_FORMAT = {"\u200c", "\u200d"} | {chr(c) for c in range(0xE0020, 0xE0080)}


def _refused(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cf":
        return ch not in _ALLOWED_FORMAT
    # Cc: control characters (NUL, tabs, newlines); Zl/Zp: line and paragraph separators;
    # Cs: unpaired surrogates; Co/Cn: private-use and unassigned code points.
    return category in {"Cc", "Zl", "Zp", "Cs", "Co", "Cn"}


def single_line_text(value: str) -> str:
    """Refuse control, invisible and direction-changing characters; keep every script, accent and emoji."""
    bad = next((ch for ch in value if _refused(ch)), None)
    if bad is not None:
        name = unicodedata.name(bad, "a control character")
        raise serializers.ValidationError(
            f"contains U+{ord(bad):04X} ({name.lower()}), an invisible or control character; "
            "use visible text on one line"
        )
    return value


class NameField(serializers.CharField):
    """A single line of visible text: a cohort's name, an assignment's title."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.validators.append(single_line_text)
