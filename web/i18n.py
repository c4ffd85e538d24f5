"""The pages' view of the translation catalogue (``core.i18n`` reads it; the .po files live in
``web/locale``)."""

from __future__ import annotations

from core.i18n import LOCALE_DIR, LOCALES, Translator, catalog_files

__all__ = ["LOCALES", "LOCALE_DIR", "Translator", "catalog_files"]
