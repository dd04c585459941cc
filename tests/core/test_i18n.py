"""The message catalogue: every message in English and French, with the same placeholders."""

from __future__ import annotations

import string

from sovkg.core.i18n import LANGS, MESSAGES, level, message
from sovkg.model import LEVELS


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    assert LANGS == ("en", "fr")
    assert len(MESSAGES) > 100
    for key, texts in MESSAGES.items():
        assert len(texts) == len(LANGS) and all(t.strip() for t in texts), key
        assert placeholders(texts[0]) == placeholders(texts[1]), key


def test_every_exposure_level_has_a_name_in_each_language() -> None:
    assert [level(name, "fr") for name in LEVELS] == ["directe", "contrôle", "sous-traitant", "technologie", "influence", "présence du groupe", "flux"]
    assert [level(name, "en") for name in LEVELS] == list(LEVELS)


def test_message_formats_its_values() -> None:
    assert message("in_effect", "fr", date="2026-11-29") == "en vigueur au 2026-11-29"
