"""What every spreadsheet Terpadu writes (exports, error reports, templates) does to a cell."""

import datetime
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CELL_TYPES = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def neutralise(value):
    """A cell value that a spreadsheet shows as text and never runs as a formula.

    Text starting with a formula character gets a ``'`` in front; control characters (which
    .xlsx cannot hold) are dropped. Numbers, dates and None are kept; any other object (such as
    a reader's marker for an uncalculated formula) becomes an empty cell."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None or isinstance(value, CELL_TYPES):
        return value
    return None
