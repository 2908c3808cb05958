"""The Kemendagri region reference shipped in `ref/`: the pemda to generate, the lokasi codes below them and
the desa of the household counts, so that generated files name only places that exist."""

from __future__ import annotations

import csv
from functools import cache

from rekap.settings import REF_DIR
from sample.model import Pemda


@cache
def _regions() -> tuple[dict[str, str], ...]:
    with open(REF_DIR / "wilayah.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _below() -> dict[str, list[tuple[str, str]]]:
    """Code -> the (code, name) of the regions directly below it, in code order ("" -> the provinces)."""
    below: dict[str, list[tuple[str, str]]] = {}
    for row in _regions():
        parent = row["kode"].rpartition(".")[0]
        below.setdefault(parent, []).append((row["kode"], row["nama"]))
    return {k: sorted(v) for k, v in below.items()}


def every_pemda() -> list[Pemda]:
    """The 552 pemda: every province followed by its kabupaten and kota (names of the reference)."""
    below = _below()
    out = []
    for kode, nama in below[""]:
        out.append(Pemda(kode, f"Provinsi {nama}"))
        out += [Pemda(k, n) for k, n in below[kode]]
    assert len(out) == 38 + 514, len(out)
    return out


def codes_below(parent: str) -> list[str]:
    """The codes of the regions directly below `parent`, in code order (none for an unknown code)."""
    return [code for code, _ in _below().get(parent, [])]


def nth_below(parent: str, n: int) -> str:
    """The code of the n-th region (from 1) directly below `parent`, wrapping around."""
    codes = _below()[parent]
    return codes[(n - 1) % len(codes)][0]


def desa_of(kode_pemda: str) -> list[tuple[str, str]]:
    """The (code, name) of every desa and kelurahan inside a pemda, in the reference's order."""
    prefix = kode_pemda + "."
    return [
        (r["kode"], r["nama"])
        for r in _regions()
        if r["tingkat"] == "desa/kelurahan" and r["kode"].startswith(prefix)
    ]
