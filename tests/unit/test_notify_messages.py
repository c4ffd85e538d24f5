"""Notification messages: local times in Indonesian and English, the subject line, every event
rendered in both languages, and templates that cannot reach Python internals."""

from __future__ import annotations

import datetime as dt

import pytest

from core.notifications.messages import format_span, format_when, render_message, split_subject

WIB_10_DEC_0900 = dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)


def test_local_time_in_indonesian_and_english():
    assert format_when(WIB_10_DEC_0900, "Asia/Jakarta") == "Kamis, 10 Desember 2026 pukul 09.00 WIB"
    assert (
        format_when(WIB_10_DEC_0900, "Asia/Makassar") == "Kamis, 10 Desember 2026 pukul 10.00 WITA"
    )
    assert format_when(WIB_10_DEC_0900, "Asia/Jayapura", "en") == (
        "Thursday, 10 December 2026 at 11:00 WIT"
    )
    end = WIB_10_DEC_0900 + dt.timedelta(hours=3)
    assert format_span(WIB_10_DEC_0900, end, "Asia/Jakarta") == (
        "Kamis, 10 Desember 2026 pukul 09.00 WIB s.d. 12.00 WIB"
    )


def test_split_subject_needs_the_subject_line():
    assert split_subject("Subjek:  Halo   dunia\n\nIsi\n\n\n\nAkhir\n") == (
        "Halo dunia",
        "Isi\n\nAkhir\n",
    )
    with pytest.raises(ValueError, match="Subjek"):
        split_subject("Halo\nIsi")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_event_renders_in_both_languages(lang):
    from core.notifications.messages import EVENTS

    forum = {
        "id": 1,
        "title": "Standar Pelayanan",
        "when": format_when(WIB_10_DEC_0900, "Asia/Jakarta", lang),
        "date": "Kamis, 10 Desember 2026",
        "venue": "Aula",
        "link": "",
        "format": "tatap_muka",
        "organisers": "Puskesmas A",
    }
    for event in EVENTS:
        for kind in ("stakeholder", "user"):
            subject, body = render_message(
                event,
                lang,
                {
                    "event": event,
                    "recipient": {"kind": kind, "name": "Ani"},
                    "forum": forum,
                    "reason": "Aula direnovasi",
                    "rsvp_link": "https://suara.example/undangan/abc",
                    "forum_link": "https://suara.example/forum/1",
                    "rsvp": "pending",
                    "waitlisted": False,
                    "invited": 3,
                },
            )
            assert "Standar Pelayanan" in subject and "{{" not in body
            assert forum["when"] in body


def test_templates_are_sandboxed():
    from jinja2.exceptions import SecurityError

    from core.notifications.messages import environment

    template = environment().from_string("{{ x.__class__.__mro__ }}")
    with pytest.raises(SecurityError):
        template.render(x=object())


# --- e-mail: the file sink -----------------------------------------------------------------------
