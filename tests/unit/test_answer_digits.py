"""Only ASCII 0–9 are answers: "³", "①" and "٣" are refused like any other text (issue 14 item 2)."""

import pytest

from core.surveys.responses import check_answers
from core.surveys.schemas import UnsurItem


def _items() -> list[UnsurItem]:
    return [UnsurItem(code="U1", name="Persyaratan", question="?", labels=["a", "b", "c", "d"])]


@pytest.mark.parametrize("raw", ["³", "①", "٣", "３", "99999999999999999999"])
def test_non_ascii_digits_are_refused_naming_the_unsur(raw):
    clean, errors = check_answers(_items(), {"U1": raw}, complete=True)
    assert clean == {} and [e.field for e in errors] == ["answers.U1"]


def test_an_ascii_answer_is_accepted():
    assert check_answers(_items(), {"U1": " 3 "}, complete=True) == ({"U1": 3}, [])
