"""Numbers as Indonesians read them: dot for thousands, comma for decimals, Rupiah exact to the sen."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rekap.contract.tables import ColumnKind

SEN = Decimal("0.01")


SATUAN_BESAR = ((Decimal(10) ** 12, "triliun"), (Decimal(10) ** 9, "miliar"), (Decimal(10) ** 6, "juta"))


def _to_decimal(value: Decimal | int) -> Decimal:
    """The exact value of a figure; floats are refused because money must stay exact."""
    if type(value) is Decimal:  # the usual case (a DECIMAL column), checked first: a report has thousands
        if value.is_finite():
            return value
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}: {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _id_number(value: Decimal, places: int) -> str:
    """`value` (already rounded, not negative) with `places` decimals in Indonesian notation."""
    text = format(value, f",.{places}f")
    # Swap the separators ("1,234.50" -> "1.234,50"); three replaces rather than
    # str.translate, which costs more per call, and a report formats tens of thousands of numbers.
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _signed(value: Decimal, places: int) -> str:
    text = _id_number(abs(value), places)
    return f"-{text}" if value < 0 else text


def _places(value: Decimal, most: int) -> int:
    """How many decimals `value` needs, at most `most` (0 for a whole number)."""
    if value == value.to_integral_value():  # most figures are whole: skip the slower digit tuple
        return 0
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent, 0), most) if isinstance(exponent, int) else 0


# Decimal("1"), Decimal("0.1"), ... Decimal("0.0001"): the step `format_angka` rounds to, by decimals.
_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(5))


def rupiah_of_sen(sen: int) -> Decimal:
    """An amount kept as whole sen (the staging tables' exact integers) as Rupiah."""
    return Decimal(int(sen)) / 100


def format_rupiah(value: Decimal | int) -> str:
    """Rupiah as "1.250.000.000", or "1.250.000,50" when there are sen; negative with a minus."""
    amount = _to_decimal(value).quantize(SEN, rounding=ROUND_HALF_UP)
    return _signed(amount, 0 if amount == amount.to_integral_value() else 2)


def format_persen(value: Decimal | int) -> str:
    """A percentage with two decimals, "45,10" (the % sign belongs to the header)."""
    return _signed(_to_decimal(value).quantize(SEN, rounding=ROUND_HALF_UP), 2)


def format_angka(value: Decimal | int) -> str:
    """A count or volume: "1.234", and "2,75" if it is not whole."""
    if type(value) is int:  # a count: no rounding to do
        text = format(abs(value), ",d").replace(",", ".")
        return f"-{text}" if value < 0 else text
    number = _to_decimal(value)
    places = _places(number, 4)
    return _signed(number.quantize(_STEPS[places], rounding=ROUND_HALF_UP), places)


def format_rupiah_singkat(value: Decimal | int) -> str:
    """Rupiah shortened for chart labels: "Rp1,25 miliar", "Rp500 juta", "Rp750.000"."""
    amount = _to_decimal(value)
    for base, word in SATUAN_BESAR:
        if abs(amount) >= base:
            scaled = (amount / base).quantize(SEN, rounding=ROUND_HALF_UP)
            return f"Rp{_signed(scaled, _places(scaled, 2))} {word}"
    return f"Rp{format_rupiah(amount)}"


# How each numeric kind is written for readers; every other kind is its text.
_FORMATTERS: dict[str, Callable[[Decimal | int], str]] = {
    "rupiah": format_rupiah,
    "persen": format_persen,
    "angka": format_angka,
}


def format_cell(value: Any, kind: ColumnKind) -> str:
    """The text a reader sees for one cell; empty for None."""
    if value is None:
        return ""
    formatter = _FORMATTERS.get(kind)
    return formatter(value) if formatter else str(value)
