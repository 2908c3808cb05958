"""The truth of an OPD's rows over the year: pagu, realisation quarter by quarter, volumes, households reached
and lokasi, drawn from a seeded random generator."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from sample.catalogue import PAGU_PERUBAHAN, Opd, SubKegiatan
from sample.model import Pemda, SampleRow
from sample.reference import nth_below

# Cumulative absorption after each quarter, in per mille, drawn per OPD from these ranges.
SERAPAN_PERMIL = {1: (80, 150), 2: (300, 450), 3: (550, 700), 4: (800, 950)}

# The code of the n-th region below a parent: 'reference' names existing ones; 'synthetic' numbers them
# 01-28 (kecamatan) and 2001-2015 (desa) under the pemda, as the bundled sample was drawn.
LOKASI_CODES: dict[str, Callable[[str, int], str]] = {
    "reference": nth_below,
    "synthetic": lambda parent, n: f"{parent}.{n:02d}" if parent.count(".") < 2 else f"{parent}.{2000 + n}",
}


@dataclass(frozen=True)
class Line:
    """One sub kegiatan x sumber dana of one OPD from TW I to the last quarter planned (index q - 1)."""

    sk: SubKegiatan
    sumber: str
    pagu: tuple[Decimal, ...]  # per quarter: APBD murni, after APBD-P from TW III
    triwulan: tuple[Decimal, ...]
    kumulatif: tuple[Decimal, ...]
    target_volume: Decimal
    volume: tuple[Decimal, ...]  # cumulative
    kk: tuple[int, ...]  # cumulative
    lokasi: str

    def row(self, q: int, with_murni: bool) -> SampleRow:
        """The truth of this line in the file of quarter q."""
        i = q - 1
        return SampleRow(
            kode_sub_kegiatan=self.sk.kode,
            nama_sub_kegiatan=self.sk.nama,
            strategi=self.sk.strategi,
            sumber_dana=self.sumber,
            pagu=self.pagu[i],
            pagu_murni=self.pagu[0] if with_murni else None,
            realisasi_triwulan=self.triwulan[i],
            realisasi_kumulatif=self.kumulatif[i],
            indikator=self.sk.indikator,
            satuan=self.sk.satuan,
            target_volume=self.target_volume,
            realisasi_volume=self.volume[i],
            sasaran_kk=self.kk[i],
            lokasi=self.lokasi,
        )


def catalogue_lines(opd: Opd, pemda: Pemda, last: int, lokasi: str, rng: random.Random) -> list[Line]:
    """Every sub kegiatan x sumber dana of the OPD once, its catalogue pagu split over them, the APBD-P
    changes of the catalogue from TW III."""
    pairs = [(sk, sumber) for sk in opd.sub_kegiatan for sumber in sk.sumber]
    pagu = _split_pagu(opd.pagu_total, len(pairs), rng)
    serapan = {q: rng.randint(*SERAPAN_PERMIL[q]) for q in range(1, last + 1)}
    lines = []
    for (sk, sumber), murni in zip(pairs, pagu, strict=True):
        change = PAGU_PERUBAHAN.get((opd.key, sk.kode, sumber))
        perubahan = _pagu_perubahan(murni, change) if change else murni
        by_quarter = [perubahan if q >= 3 else murni for q in range(1, last + 1)]
        tri, kum = _amounts(by_quarter, serapan, sumber, rng, draw_idle=True)
        if change and change < 0 and last >= 3:
            # APBD-P cannot cut a pagu below what has already been spent.
            floor = (kum[-1] / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000 + 1000
            by_quarter = [max(p, floor) if q >= 3 else p for q, p in enumerate(by_quarter, 1)]
        lines.append(_line(sk, sumber, tuple(by_quarter), tri, kum, rng, pemda, lokasi))
    return lines


def package_lines(
    opd: Opd, pemda: Pemda, last: int, per_file: tuple[int, int], lokasi: str, rng: random.Random
) -> list[Line]:
    """A drawn number of rows: packages of the OPD's sub kegiatan (each its own sub kegiatan number), a pagu
    scaled to the pemda's kind and the row count, realisation growing by quarter."""
    pairs: list[tuple[SubKegiatan, str]] = []
    want, j = rng.randint(*per_file), 0
    while len(pairs) < want:
        for sk in opd.sub_kegiatan:
            variant = _variant(sk, j, pemda.provinsi)
            pairs += [(variant, sumber) for sumber in sk.sumber]
        j += 1
    pairs = pairs[:want]
    factor = rng.uniform(1.5, 4.0) if pemda.provinsi else rng.uniform(0.3, 2.5)
    total = int(opd.pagu_total * factor * want / 8) // 1000 * 1000
    serapan = {q: rng.randint(*SERAPAN_PERMIL[q]) for q in range(1, last + 1)}
    lines = []
    for (sk, sumber), pagu in zip(pairs, _split_pagu(total, len(pairs), rng), strict=True):
        tri, kum = _amounts([pagu] * last, serapan, sumber, rng, draw_idle=False)
        lines.append(_line(sk, sumber, (pagu,) * last, tri, kum, rng, pemda, lokasi))
    return lines


def _amounts(
    pagu: list[Decimal], serapan: dict[int, int], sumber: str, rng: random.Random, draw_idle: bool
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    """Realisation of each quarter and cumulative: growing by quarter, never negative, never above pagu.

    Physical works (DAK fisik) are tendered first: nothing is paid in TW I. `draw_idle` says whether that
    quarter still draws its factor: the catalogue's rows do and the packages do not, each keeping its
    own sequence of draws (and so its data) whatever the other does."""
    tri: list[Decimal] = []
    kum: list[Decimal] = []
    done = Decimal(0)
    for q, pagu_q in enumerate(pagu, 1):
        idle = sumber == "DAK_FISIK" and q == 1
        factor = rng.randint(80, 120) if draw_idle or not idle else 0
        permil = 0 if idle else serapan[q] * factor // 100
        target = (pagu_q * min(permil, 960) / 1000).quantize(Decimal(1), ROUND_DOWN)
        amount = max(Decimal(0), target - done)
        if amount > 0 and rng.randint(1, 8) == 1:
            amount += Decimal("0.50")  # an SP2D with sen
        done += amount
        tri.append(amount)
        kum.append(done)
    return tuple(tri), tuple(kum)


def _line(
    sk: SubKegiatan,
    sumber: str,
    pagu: tuple[Decimal, ...],
    tri: tuple[Decimal, ...],
    kum: tuple[Decimal, ...],
    rng: random.Random,
    pemda: Pemda,
    lokasi: str,
) -> Line:
    """A line from its amounts: target volume, volume and households in step with the realisation, lokasi."""
    target = _target_volume(sk, rng)
    exp = Decimal(1).scaleb(-_volume_places(sk.satuan))
    volume = tuple((target * k / p).quantize(exp, ROUND_DOWN) for k, p in zip(kum, pagu, strict=True))
    kk_total = _kk_total(sk, target, rng)
    kk = tuple(int(kk_total * k / p) for k, p in zip(kum, pagu, strict=True))
    return Line(sk, sumber, pagu, tri, kum, target, volume, kk, _lokasi(pemda, LOKASI_CODES[lokasi], rng))


def _split_pagu(total: int, n: int, rng: random.Random) -> list[Decimal]:
    """Split an OPD's pagu over n rows in whole thousands of rupiah; the last row takes the rest."""
    weights = [rng.randint(20, 200) for _ in range(n)]
    parts = [total * w // sum(weights) // 1000 * 1000 for w in weights[:-1]]
    return [Decimal(p) for p in [*parts, total - sum(parts)]]


def _pagu_perubahan(murni: Decimal, percent: int) -> Decimal:
    return (murni * (100 + percent) / 100 / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000


def _variant(sk: SubKegiatan, j: int, provinsi: bool) -> SubKegiatan:
    """The j-th package of a sub kegiatan: same program and kegiatan, its own sub kegiatan number."""
    parts = sk.kode.split(".")
    parts[3] = "1" if provinsi else "2"  # kegiatan type: 1 = provinsi, 2 = kabupaten/kota
    parts[5] = f"{int(parts[5]) + 100 * j:04d}"
    nama = sk.nama if j == 0 else f"{sk.nama} (Paket {j + 1})"
    return replace(sk, kode=".".join(parts), nama=nama)


def _volume_places(satuan: str) -> int:
    return {"Km": 2, "Hektare": 1, "Ton": 1}.get(satuan, 0)


def _target_volume(sk: SubKegiatan, rng: random.Random) -> Decimal:
    places = _volume_places(sk.satuan)
    scale = 10**places
    return Decimal(rng.randint(sk.volume[0] * scale, sk.volume[1] * scale)) / scale


def _kk_total(sk: SubKegiatan, target: Decimal, rng: random.Random) -> int:
    """Households from the P3KE list a row reaches by year end, judged from its output."""
    if sk.satuan in ("KK", "Rumah"):
        return int(target)
    if sk.satuan == "Orang":
        return int(target) * 85 // 100
    if sk.satuan == "Jiwa":
        return int(target) // 4
    if sk.satuan == "Dokumen" and target > 50:
        return int(target) // 3  # KK, KTP-el and akta: about three documents per household
    return rng.randint(60, 1200)


def _lokasi(pemda: Pemda, code: Callable[[str, int], str], rng: random.Random) -> str:
    """`SEMUA`, a few kecamatan, or a few desa inside one kecamatan, all inside the pemda (a province:
    inside one of its kab/kota)."""
    base = code(pemda.kode, rng.randint(1, 12)) if pemda.provinsi else pemda.kode
    kind = rng.randint(1, 20)
    if kind <= 5:
        return "SEMUA"
    if kind <= 14:
        return ";".join(sorted({code(base, k) for k in rng.sample(range(1, 29), rng.randint(1, 4))}))
    kec = code(base, rng.randint(1, 28))
    return ";".join(sorted({code(kec, d - 2000) for d in rng.sample(range(2001, 2016), rng.randint(1, 3))}))
