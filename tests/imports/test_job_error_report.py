"""Cells of the spreadsheets written for users never run as formulas and never break the file.
(The error report's content from a real check: test_job_steps.py.)"""

import pytest

from households.error_report import neutralise


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+62812", "'+62812"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Budi\x00\x07", "Budi"),
        (3507014506800001.0, 3507014506800001.0),
        (None, None),
    ],
)
def test_cells_are_neutralised(value, shown):
    assert neutralise(value) == shown


def test_reader_markers_are_left_empty():
    from households.importer.xlsx import FORMULA_WITHOUT_VALUE

    assert neutralise(FORMULA_WITHOUT_VALUE) is None
