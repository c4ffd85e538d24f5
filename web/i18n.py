"""Translations: Indonesian is the source language; other locales come from Babel .po catalogs."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "id"
LOCALES = {"id": "Bahasa Indonesia", "en": "English"}


class Translator:
    """Looks up a message in the catalog of a locale; Indonesian text is returned as written."""

    def __init__(self, locale_dir: Path = LOCALE_DIR) -> None:
        self._catalogs: dict[str, dict[str, str]] = {}
        for lang in LOCALES:
            path = locale_dir / lang / "LC_MESSAGES" / "messages.po"
            if not path.exists():
                continue
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            self._catalogs[lang] = {
                str(message.id): str(message.string)
                for message in catalog
                if message.id and message.string and not message.fuzzy
            }

    def gettext(self, lang: str, message: str) -> str:
        """The translation of message into lang, or message itself."""
        return self._catalogs.get(lang, {}).get(message, message)

    def catalog(self, lang: str) -> dict[str, str]:
        """Every translated message of a locale."""
        return dict(self._catalogs.get(lang, {}))
