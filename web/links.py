"""The address links are built on, compared with the one a staff page was opened on."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar import Request

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def base_url_mismatch(request: Request) -> str | None:
    """SUARA_BASE_URL when it is set and differs from the address this page was opened on.

    Links, QR codes, posters and e-mails use SUARA_BASE_URL; a staff member who opened the page
    elsewhere (another host or port) should know that what they print points there. None when
    it is unset (links then follow the served address) or the same.
    """
    settings = request.app.state.settings
    if not settings.base_url_configured:
        return None
    opened = f"{request.url.scheme}://{request.url.netloc}"
    return settings.base_url if _origin(opened) != _origin(settings.base_url) else None
