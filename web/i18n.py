"""Translations: Indonesian is the source language; other locales come from Babel .po catalogs.

Each locale's catalogue is every ``*.po`` file in ``locale/<lang>/LC_MESSAGES`` (one per area:
``messages.po`` holds the shared and older messages); a msgid may stand in only one of them.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "id"
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
