"""A NUL byte in a CSV cell is refused naming its line, never stored (issue 14 item 2)."""

import pytest

from core.errors import ValidationFailed
from core.tabular import read_table


def test_a_nul_in_a_csv_cell_is_refused_with_its_line():
    with pytest.raises(ValidationFailed) as refused:
        read_table(b"kode,nama\nA,Unit satu\nB,Unit\x00dua\n", "units.csv")
    assert [(e.field, e.row) for e in refused.value.errors] == [("file", 3)]
