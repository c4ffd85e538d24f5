"""The English catalog translates every Indonesian message the pages show, placeholders intact."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from jinja2 import Environment, FileSystemLoader, StrictUndefined

import web.app  # noqa: F401  (every area's life cycles register their audit labels on import)
from core.accounts.labels import ROLE_LABELS
from core.audit.actions import known_actions, known_entities
from core.audit.service import BREAK_LABELS
from core.notifications.labels import DELIVERY_STATUS_LABELS, EVENT_LABELS
from core.units.validation import KIND_LABELS
from web.accounts.users import NOTICES as USER_NOTICES
from web.errors import TITLES
from web.i18n import LOCALE_DIR, LOCALES, Translator, catalog_files

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "templates"
PO_FILES = catalog_files(LOCALE_DIR, "en")
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES"  # named in failure messages: add to one file in it

# _("…") and _('…') in templates; the macro field("name", "Label", hint="…") in units/form.html
# passes its label and hint through _() as well.
GETTEXT_RE = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
FIELD_MACRO_RE = re.compile(r"""\bfield\(\s*"[^"]*"\s*,\s*"([^"]*)"(?:[^)]*?\bhint="([^"]*)")?""")

# Exceptions whose constant message ends up on the error page or the log-in form via _(message).
ERROR_CLASSES = {"NotFound", "PermissionDenied", "NotAuthenticated", "Conflict", "RateLimited"}
# Field errors shown in the unit form through _(errors[name]).
FORM_ERROR_SOURCES = (
    "core/units/validation.py",
    "core/units/service.py",
    "core/audit/service.py",
    "web/audit/pages.py",
    "core/accounts/service.py",
    "core/accounts/management.py",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    merged = Catalog(locale="en")
    for path in PO_FILES:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if message.id:
                    merged[message.id] = message
    return merged


def _template_messages() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(TEMPLATES))
        for match in GETTEXT_RE.finditer(text):
            message = match.group(1) if match.group(1) is not None else match.group(2)
            found.setdefault(message, set()).add(name)
        for match in FIELD_MACRO_RE.finditer(text):
            for message in match.groups():
                if message:
                    found.setdefault(message, set()).add(name)
    return found


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _code_messages() -> set[str]:
    """Constant Indonesian messages in Python code that templates pass through _()."""
    found: set[str] = {"Kesalahan", *TITLES.values(), *KIND_LABELS.values()}
    found |= set(ROLE_LABELS.values()) | set(known_entities().values()) | set(BREAK_LABELS.values())
    found |= set(USER_NOTICES.values())
    found |= set(EVENT_LABELS.values()) | set(DELIVERY_STATUS_LABELS.values())
    found |= {part for parts in known_actions().values() for part in parts}
    for path in [*ROOT.joinpath("core").rglob("*.py"), *ROOT.joinpath("web").rglob("*.py")]:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("core/piccolo_migrations/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                name = _call_name(node)
                if name in ERROR_CLASSES:
                    found.add(_constant(node.args[0]) or "")
                elif name in {"FieldError", "single"} and rel in FORM_ERROR_SOURCES:
                    found.add(_constant(node.args[-1]) or "")
                elif name == "_answer" and rel == "web/errors.py" and len(node.args) > 2:
                    found.add(_constant(node.args[2]) or "")
            elif isinstance(node, ast.Assign) and rel == "web/errors.py":
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if targets == ["message"]:
                    found.add(_constant(node.value) or "")
    found.discard("")
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)


def test_catalog_header(catalog: Catalog):
    assert str(catalog.locale) == "en"
    assert catalog.charset == "utf-8"
    header = dict(catalog.mime_headers)
    assert header["Language"] == "en"
    assert "charset=utf-8" in header["Content-Type"]


def test_catalog_entries_are_clean(catalog: Catalog):
    messages = [m for m in catalog if m.id]
    assert messages
    assert not [m.id for m in messages if m.fuzzy], "fuzzy entries are ignored by the Translator"
    assert not [m.id for m in messages if not str(m.string).strip()], "untranslated entries"
    raw_ids = [
        msgid
        for path in PO_FILES
        for msgid in re.findall(r'^msgid "(.+)"$', path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    twice = sorted({m for m in raw_ids if raw_ids.count(m) > 1})
    assert not twice, f"a msgid appears twice in the .po files: {twice}"


def test_template_messages_are_found():
    messages = _template_messages()
    assert "Masuk" in messages
    assert "Kode" in messages  # written with single quotes in data-label attributes
    assert "Kode unit" in messages  # a label passed to the field() macro
    assert len(messages) > 50


def test_every_template_message_is_translated(catalog: Catalog):
    missing = {
        message: sorted(where)
        for message, where in _template_messages().items()
        if not (catalog.get(message) and str(catalog.get(message).string).strip())
    }
    assert not missing, f"add these to {PO_FILE.relative_to(ROOT)}: {missing}"


def test_every_message_passed_into_templates_is_translated(catalog: Catalog):
    messages = _code_messages()
    assert "Nama pengguna atau kata sandi salah." in messages
    assert "Alamat yang Anda buka tidak ada." in messages
    missing = sorted(
        m for m in messages if not (catalog.get(m) and str(catalog.get(m).string).strip())
    )
    assert not missing, f"add these to {PO_FILE.relative_to(ROOT)}: {missing}"


def test_placeholders_match(catalog: Catalog):
    wrong = {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and _placeholders(str(m.id)) != _placeholders(str(m.string))
    }
    assert not wrong, f"msgstr must keep the msgid's {{placeholders}}: {wrong}"


def test_translator_loads_the_catalog():
    translator = Translator()
    assert translator.gettext("en", "Masuk") == "Sign in"
    assert translator.gettext("id", "Masuk") == "Masuk"
    assert translator.gettext("en", "Belum diterjemahkan") == "Belum diterjemahkan"
    welcome = translator.gettext("en", "Selamat datang, {name}.")
    assert welcome.format(name="Ani") == "Welcome, Ani."
    assert set(translator.catalog("en")) >= set(_template_messages())
    assert set(LOCALES) == {"id", "en"}


def test_login_page_renders_in_english():
    translator = Translator()

    def _(message: str, **values: object) -> str:
        text = translator.gettext("en", message)
        return text.format(**values) if values else text

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined
    )
    html = env.get_template("login.html").render(
        _=_,
        lang="en",
        locales=LOCALES,
        actor=None,
        can=lambda *args: False,
        request_path="/login",
        csrf_input="",
        username="",
        error="Nama pengguna atau kata sandi salah.",
        next="/",
    )
    assert "Sign in to Suara" in html
    assert "Wrong username or password." in html
    assert "Masuk ke Suara" not in html
