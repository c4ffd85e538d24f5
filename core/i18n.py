"""The translation catalogue: Indonesian is the source language; English comes from Babel .po files.

The catalogue lives with the pages (``web/locale/<lang>/LC_MESSAGES/*.po``, one file per area,
a msgid in only one of them); core reads it for what it writes itself in the reader's language
(e-mail and inbox messages), the web for its pages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "web" / "locale"
LOCALES = {"id": "Bahasa Indonesia", "en": "English"}


def catalog_files(locale_dir: Path, lang: str) -> list[Path]:
    """The .po files that make up one locale's catalogue, in name order."""
    return sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po"))


class Translator:
    """Looks up a message in the catalog of a locale; Indonesian text is returned as written."""

    def __init__(self, locale_dir: Path = LOCALE_DIR) -> None:
        self._catalogs: dict[str, dict[str, str]] = {}
        for lang in LOCALES:
            messages: dict[str, str] = {}
            for path in catalog_files(locale_dir, lang):
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=lang)
                messages.update(
                    (str(message.id), str(message.string))
                    for message in catalog
                    if message.id and message.string and not message.fuzzy
                )
            if messages:
                self._catalogs[lang] = messages

    def gettext(self, lang: str, message: str) -> str:
        """The translation of message into lang, or message itself."""
        return self._catalogs.get(lang, {}).get(message, message)

    def catalog(self, lang: str) -> dict[str, str]:
        """Every translated message of a locale."""
        return dict(self._catalogs.get(lang, {}))


@lru_cache(maxsize=1)
def translator() -> Translator:
    """The process's translator of the shipped catalogue (read once)."""
    return Translator()


def translate(lang: str, message: str, **values: Any) -> str:
    """``message`` in ``lang`` through the catalogue, its ``{placeholders}`` filled in."""
    text = translator().gettext(lang, message)
    return text.format(**values) if values else text
