"""Charts drawn on the server as SVG, from our own templates (no JavaScript, no CDN).

A chart is a list of rows (a label, one value per series, the link to the list behind it);
``hbar`` draws horizontal bars (several series side by side: planned vs realised), ``column``
draws vertical columns (months). The geometry is computed here so that the templates only
place shapes; colours come from CSS classes (``.chart .s0`` …), never from inline styles.
Every chart renders a data table too (``templates/core/charts/table.html``), for screen
readers, print and anyone who wants the exact figures::

    chart = hbar(_("Keluarga per desil"), [_("Keluarga")],
                 [ChartRow("Desil 1", [120], url="/data/?desil=1"), ...])
    {% include "core/charts/chart.html" with chart=chart %}
"""

import itertools
from dataclasses import dataclass, field

from django.utils.formats import number_format

_ids = itertools.count(1)

LABEL_WIDTH = 150
PLOT_WIDTH = 260
VALUE_WIDTH = 70
BAR_HEIGHT = 14
ROW_GAP = 8
COLUMN_PLOT_HEIGHT = 150
COLUMN_LABEL_HEIGHT = 34
MAX_LABEL = 24


@dataclass
class ChartRow:
    label: str
    values: list[int | float]
    url: str = ""


@dataclass
class Shape:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: int | float
    text_x: float = 0
    text_y: float = 0

    @property
    def shown(self) -> str:
        return number_format(self.value, force_grouping=True)


@dataclass
class DrawnRow:
    row: ChartRow
    label: str
    label_x: float
    label_y: float
    shapes: list[Shape] = field(default_factory=list)


@dataclass
class Chart:
    kind: str
    title: str
    series: list[str]
    rows: list[DrawnRow]
    width: float
    height: float
    id: str
    empty: bool

    @property
    def series_classes(self):
        return [(index, name) for index, name in enumerate(self.series)]

    @property
    def totals(self) -> list[int | float]:
        return [sum(r.row.values[i] for r in self.rows) for i in range(len(self.series))]


def _short(label) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _top(rows) -> float:
    return max((v for r in rows for v in r.values), default=0) or 1


def hbar(title, series, rows: list[ChartRow]) -> Chart:
    """Horizontal bars, one band per row and one bar per series within it."""
    top = _top(rows)
    band = len(series) * BAR_HEIGHT + ROW_GAP
    drawn = []
    for index, row in enumerate(rows):
        y = index * band + ROW_GAP / 2
        item = DrawnRow(row, _short(row.label), LABEL_WIDTH - 6, y + band / 2)
        for s, value in enumerate(row.values):
            width = PLOT_WIDTH * value / top
            bar_y = y + s * BAR_HEIGHT
            item.shapes.append(
                Shape(
                    LABEL_WIDTH,
                    bar_y,
                    round(width, 1),
                    BAR_HEIGHT - 2,
                    s,
                    value,
                    round(LABEL_WIDTH + width + 4, 1),
                    bar_y + BAR_HEIGHT - 4,
                )
            )
        drawn.append(item)
    return Chart(
        "hbar",
        str(title),
        [str(s) for s in series],
        drawn,
        LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        max(len(rows) * band + ROW_GAP, 20),
        f"chart-{next(_ids)}",
        not any(v for r in rows for v in r.values),
    )


def column(title, series, rows: list[ChartRow]) -> Chart:
    """Vertical columns (months along the bottom), one column per series in each slot."""
    top = _top(rows)
    slot = max(len(series) * 12 + 10, 26)
    drawn = []
    for index, row in enumerate(rows):
        x = index * slot + 5
        item = DrawnRow(row, _short(row.label)[:8], x + slot / 2 - 5, COLUMN_PLOT_HEIGHT + 16)
        for s, value in enumerate(row.values):
            height = COLUMN_PLOT_HEIGHT * value / top
            bar_x = x + s * 12
            item.shapes.append(
                Shape(
                    bar_x,
                    round(COLUMN_PLOT_HEIGHT - height + 14, 1),
                    10,
                    round(height, 1),
                    s,
                    value,
                    bar_x + 5,
                    round(COLUMN_PLOT_HEIGHT - height + 10, 1),
                )
            )
        drawn.append(item)
    return Chart(
        "column",
        str(title),
        [str(s) for s in series],
        drawn,
        max(len(rows) * slot + 10, 60),
        COLUMN_PLOT_HEIGHT + 14 + COLUMN_LABEL_HEIGHT,
        f"chart-{next(_ids)}",
        not any(v for r in rows for v in r.values),
    )
