"""Every survey label (status, channel, period, profile option, cycle event) is translated."""

from __future__ import annotations

import pytest

from core.surveys import labels
from core.surveys.cycles import CYCLE_STATES
from core.surveys.tables import Channel, CycleStatus
from web.i18n import Translator

LABEL_MAPS = sorted(
    name
    for name in labels.__all__
    if name.endswith("_LABELS") and name != "PROFILE_LABELS"  # PROFILE_LABELS groups the others
)


@pytest.mark.parametrize("name", LABEL_MAPS)
def test_every_label_has_an_english_translation(name: str):
    english = Translator().catalog("en")
    missing = [text for text in getattr(labels, name).values() if text not in english]
    assert not missing, f"add to web/locale/en/LC_MESSAGES/surveys.po: {missing}"


def test_every_status_and_channel_has_a_label():
    assert set(labels.STATUS_LABELS) == {s.value for s in CycleStatus}
    assert set(labels.CHANNEL_LABELS) == {c.value for c in Channel}
    assert set(CYCLE_STATES.transitions) == set(labels.STATUS_LABELS)


def test_the_cycle_life_cycle():
    assert CYCLE_STATES.allowed("draft") == ("open",)
    assert CYCLE_STATES.allowed("open") == ("closed",)
    assert CYCLE_STATES.allowed("closed") == ("open", "reported")
    assert CYCLE_STATES.allowed("reported") == ("published",)
    assert CYCLE_STATES.allowed("published") == ()
