"""Collection methods (metode): their labels, the default for each channel, reading them from files."""

from __future__ import annotations

import re

from core.surveys.tables import Channel, Method

METHOD_LABELS: dict[str, str] = {
    Method.tatap_muka.value: "Tatap muka",
    Method.mandiri.value: "Mandiri",
    Method.elektronik.value: "Elektronik",
    Method.fgd.value: "FGD",
    Method.wawancara_mendalam.value: "Wawancara mendalam",
}
"""Each method as people read it (Indonesian msgids of the translation catalogue)."""

STAFF_METHODS = (Method.mandiri, Method.tatap_muka, Method.fgd, Method.wawancara_mendalam)
"""Methods a keyed-in questionnaire may have (elektronik ones come through the public link)."""

_CHANNEL_DEFAULT = {
    Channel.online: Method.elektronik,
    Channel.kiosk: Method.elektronik,
    Channel.paper: Method.mandiri,
    Channel.interview: Method.tatap_muka,
}


def default_method(channel: Channel) -> Method:
    """The method a channel implies (an imported file names its own, so it has none)."""
    return _CHANNEL_DEFAULT[channel]


def parse_method(text: str) -> Method | None:
    """A method from a code or a label, any case, spaces, '-' or '_' alike ('Tatap muka', 'FGD')."""
    key = re.sub(r"[\s_-]+", "_", text.strip().lower())
    return Method(key) if key in Method.__members__ else None


def method_choices(methods: tuple[Method, ...] = tuple(Method)) -> str:
    """The methods' labels, for error messages."""
    return ", ".join(METHOD_LABELS[m.value] for m in methods)
