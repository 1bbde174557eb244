"""Every Dutch string in the code and templates has an English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_dutch_string_has_an_english_translation():
    with (ROOT / "onderwijsplatform/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = []
    for msgid in sorted(_extracted()):
        message = catalog.get(msgid)
        translated = message is not None and message.string and not message.fuzzy
        if isinstance(message.string if message else None, tuple):
            translated = all(message.string)
        if not translated:
            missing.append(msgid)
    assert missing == [], f"{len(missing)} untranslated, first: {missing[:5]}"
    assert len(_extracted()) > 20
