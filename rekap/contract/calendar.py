"""Which quarter a run reports on."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
# The fiscal years a submission may report (rule I03) and a run may be asked for.
TAHUN_PERTAMA, TAHUN_TERAKHIR = 2020, 2035
TAHUN_PATTERN = "|".join(str(t) for t in range(TAHUN_PERTAMA, TAHUN_TERAKHIR + 1))  # the same, as a regex


def last_ended_quarter(today: dt.date) -> tuple[int, int]:
    """(tahun, triwulan) of the quarter that ended most recently before `today`."""
    current = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if current == 1 else (today.year, current - 1)


def resolve_period(tahun: int | None, triwulan: int | None, today: dt.date | None = None) -> tuple[int, int]:
    """The explicit period when given (a backfill), else the quarter that just ended in Jakarta."""
    if tahun is not None and triwulan is not None:
        if not 1 <= triwulan <= 4:
            raise ValueError("triwulan harus 1-4")
        return tahun, triwulan
    today = today or dt.datetime.now(JAKARTA).date()
    default_tahun, default_triwulan = last_ended_quarter(today)
    if tahun is not None and tahun != default_tahun:
        return tahun, triwulan or 4
    return tahun or default_tahun, triwulan or default_triwulan


def in_order(periods: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (tahun, triwulan) pairs of a backfill, earliest first and each once: a quarter is checked
    against the one before it, so that one must be in the warehouse first."""
    for _, triwulan in periods:
        if not 1 <= triwulan <= 4:
            raise ValueError("triwulan harus 1-4")
    return sorted(set(periods))


ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}


BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def triwulan_romawi(triwulan: int) -> str:
    """Quarter 1..4 as the Roman numeral used in reports ("III")."""
    if triwulan not in ROMAWI:
        raise ValueError(f"triwulan must be 1..4, got {triwulan!r}")
    return ROMAWI[triwulan]


def akhir_triwulan(tahun: int, triwulan: int) -> date:
    """Last day of the quarter (the fiscal year is the calendar year)."""
    triwulan_romawi(triwulan)
    first_of_next = date(tahun + 1, 1, 1) if triwulan == 4 else date(tahun, 3 * triwulan + 1, 1)
    return first_of_next - timedelta(days=1)


def tanggal_panjang(day: date) -> str:
    """A date as Indonesian letters write it: "3 Desember 2026"."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def quarter_start(tahun: int, triwulan: int) -> dt.date:
    """First day of a quarter."""
    return dt.date(tahun, 3 * (triwulan - 1) + 1, 1)
