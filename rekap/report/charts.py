"""The report's charts: their geometry computed here from the figures of SQL, drawn by the templates
(which escape every label)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rekap.contract.calendar import ROMAWI, triwulan_romawi
from rekap.contract.format import _to_decimal, format_persen, format_rupiah_singkat
from rekap.contract.tables import Report

CHART_WIDTH = 480


LABEL_CHARS = 60  # longer labels are cut, the full text stays in the tooltip


VALUE_ROOM = 112  # room right of a bar for its value label


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    cls: str
    tooltip: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    cls: str = ""
    anchor: str = "start"


@dataclass
class Chart:
    """One SVG chart: a viewBox and the shapes in it."""

    key: str
    title: str
    description: str
    height: float
    width: float = CHART_WIDTH
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)


def _r(value: float) -> float:
    return round(value, 1)


def _cut(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _scale(values: Iterable[Decimal], at_least: Decimal = Decimal(0)) -> Decimal:
    top = max([at_least, *values])
    return top if top > 0 else Decimal(1)


def _length(value: Decimal, scale: Decimal, room: float) -> float:
    """Bar length for `value`; negative values (corrections) draw no bar, their label tells."""
    return _r(room * float(max(value, Decimal(0)) / scale))


def _hbar_chart(
    key: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, Decimal, str]],
    scale: Decimal,
    track: Decimal | None = None,
) -> Chart:
    """Horizontal bars, each with its label above it so that long OPD names fit on a phone.

    `track`, when given, is drawn as a pale bar behind every bar up to that value (100 % for serapan).
    """
    room = CHART_WIDTH - 8 - VALUE_ROOM
    row, top = 40, 4
    chart = Chart(key, title, description, height=top + row * len(items) + 4)
    for i, (label, value, value_text) in enumerate(items):
        y = top + i * row
        tooltip = f"{label}: {value_text}"
        chart.texts.append(Text(4, y + 14, _cut(label), "lbl"))
        if track is not None:
            chart.rects.append(Rect(4, y + 20, _length(track, scale, room), 12, "track", tooltip))
        length = _length(value, scale, room)
        chart.rects.append(Rect(4, y + 20, length, 12, "bar", tooltip))
        chart.texts.append(Text(_r(4 + length + 6), y + 30, value_text, "val"))
    return chart


def _chart_serapan_opd(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    data = [(str(nama), _to_decimal(persen)) for nama, persen in rows]
    data.sort(key=lambda item: (-item[1], item[0]))  # ranked, so the laggards stand out
    return _hbar_chart(
        "serapan_opd",
        "Serapan anggaran per OPD",
        f"Realisasi kumulatif s.d. triwulan {triwulan} dibanding pagu; latar abu-abu sampai 100%.",
        [(nama, v, f"{format_persen(v)}%") for nama, v in data],
        _scale((v for _, v in data), at_least=Decimal(100)),
        track=Decimal(100),
    )


def _chart_lokasi(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    data = [(str(nama), _to_decimal(realisasi)) for nama, realisasi in rows]
    data.sort(key=lambda item: (-item[1], item[0]))
    return _hbar_chart(
        "lokasi",
        "Realisasi per lokasi",
        f"Realisasi kumulatif s.d. triwulan {triwulan}: sepuluh wilayah terbesar, dari baris yang lokasinya "
        "satu wilayah (lihat T5).",
        [(nama, v, format_rupiah_singkat(v)) for nama, v in data],
        _scale(v for _, v in data),
    )


def _chart_strategi(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    data = [(str(label), _to_decimal(pagu), _to_decimal(real)) for label, pagu, real in rows]
    scale = _scale(v for _, pagu, real in data for v in (pagu, real))
    room = CHART_WIDTH - 8 - VALUE_ROOM
    row, top = 64, 4
    chart = Chart(
        "strategi",
        "Pagu dan realisasi per strategi",
        f"Tiga strategi Inpres 4/2022; realisasi kumulatif s.d. triwulan {triwulan}.",
        height=top + row * len(data),
        legend=[("bar-pagu", "Pagu"), ("bar", "Realisasi kumulatif")],
    )
    for i, (label, pagu, real) in enumerate(data):
        y = top + i * row
        chart.texts.append(Text(4, y + 14, _cut(label), "lbl"))
        for offset, value, cls, name in ((20, pagu, "bar-pagu", "Pagu"), (36, real, "bar", "Realisasi")):
            length = _length(value, scale, room)
            text = format_rupiah_singkat(value)
            chart.rects.append(Rect(4, y + offset, length, 13, cls, f"{label} - {name}: {text}"))
            chart.texts.append(Text(_r(4 + length + 6), y + offset + 11, text, "val"))
    return chart


def _chart_triwulan(rows: Sequence[tuple[Any, ...]], triwulan: str) -> Chart:
    values = {int(q): _to_decimal(v) for q, v in rows}
    slots = sorted(set(ROMAWI) | set(values))
    scale = _scale(values.values())
    height, base, plot_top = 230, 196, 28
    chart = Chart(
        "triwulan",
        "Realisasi per triwulan",
        f"Realisasi dalam masing-masing triwulan, tahun berjalan s.d. triwulan {triwulan}.",
        height=height,
    )
    slot = (CHART_WIDTH - 16) / len(slots)
    chart.lines.append(Line(8, base, CHART_WIDTH - 8, base, "axis"))
    for i, q in enumerate(slots):
        centre = _r(8 + slot * (i + 0.5))
        chart.texts.append(Text(centre, base + 20, f"TW {ROMAWI.get(q, q)}", "lbl", "middle"))
        if q not in values:
            continue
        value = values[q]
        length = _length(value, scale, base - plot_top)
        text = format_rupiah_singkat(value)
        width = _r(min(slot * 0.6, 72))
        tooltip = f"TW {ROMAWI.get(q, q)}: {text}"
        chart.rects.append(Rect(_r(centre - width / 2), _r(base - length), width, length, "bar", tooltip))
        chart.texts.append(Text(centre, _r(base - length - 6), text, "val", "middle"))
    return chart


# Drawn in this order, when the report carries the data.
CHARTS: dict[str, Callable[[Sequence[tuple[Any, ...]], str], Chart]] = {
    "strategi": _chart_strategi,
    "triwulan": _chart_triwulan,
    "serapan_opd": _chart_serapan_opd,
    "lokasi": _chart_lokasi,
}


def build_charts(report: Report) -> list[Chart]:
    """The charts this report has data for; unknown keys in `report.charts` are ignored."""
    romawi = triwulan_romawi(report.triwulan)
    return [build(report.charts[key], romawi) for key, build in CHARTS.items() if report.charts.get(key)]
