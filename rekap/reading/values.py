"""Pure normalisers for the values OPDs type: amounts, codes, quarters, strategi, sumber dana.

Each returns the canonical value, or raises `ValueError` with a short Indonesian reason. Repairs the
reader makes on its own are returned as a flag so they can be reported as warnings."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from rekap.contract.calendar import BULAN
from rekap.contract.codes import STRATEGI, SUB_KEGIATAN_RE, SUMBER_DANA, _key

_RP_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)


_ID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.250.000 / 1.250.000,00


_ID_PLAIN_COMMA = re.compile(r"^\d+,\d+$")  # 1250000,50


_PLAIN = re.compile(r"^\d+(\.\d+)?$")  # 1250000 / 1250000.50 (machine style)


_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,250,000.00


_ZERO_MARKS = {"-", "–", "—", "", "nihil"}


def parse_amount(value: object) -> Decimal | None:
    """Parse a Rupiah amount from a cell (number or Indonesian text); None for an empty cell.

    Text is read the Indonesian way: `.` groups thousands, `,` marks decimals, so the ambiguous
    `1.250` is 1250. `(1.000)` is negative. A lone dash means zero, as in accounting sheets.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("bukan angka")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Spreadsheet numbers arrive as binary floats; repr() gives the shortest text that round-trips,
        # which is exactly what the OPD typed (1250000.5 -> "1250000.5").
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("bukan angka")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = re.sub(r"\s+", " ", str(value)).strip()  # \s also covers the no-break spaces Excel pastes
    if not text:
        return None
    # The sign may sit outside or inside the currency: "(1.000)", "-Rp1.000", "Rp -1.000", "Rp (1.000)".
    negative = False
    while True:
        text = _RP_PREFIX.sub("", text).strip()
        if len(text) > 1 and text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        elif len(text) > 1 and text.startswith("-"):
            negative, text = True, text[1:].strip()
        else:
            break
    if text.lower() in _ZERO_MARKS:
        return Decimal(0) if text else None  # "Rp -" is zero; a bare "Rp" is an empty cell
    text = re.sub(r",-$|\.-$", "", text).replace(" ", "")
    if _ID_GROUPED.match(text):
        number = text.replace(".", "").replace(",", ".")
    elif _ID_PLAIN_COMMA.match(text):
        number = text.replace(",", ".")
    elif _EN_GROUPED.match(text):
        number = text.replace(",", "")
    elif _PLAIN.match(text):
        # "1.250" (one dot, three digits after it) is Indonesian thousands, not 1,25.
        number = text.replace(".", "") if re.fullmatch(r"\d{1,3}\.\d{3}", text) else text
    else:
        raise ValueError("bukan angka Rupiah")
    try:
        amount = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only pass digits
        raise ValueError("bukan angka Rupiah") from exc
    return -amount if negative else amount


def amount_to_sen(amount: Decimal | None) -> int | None:
    """The amount in sen (1/100 Rupiah) as an exact integer; None when it has more than 2 decimals."""
    if amount is None:
        return None
    sen = amount * 100
    return int(sen) if sen == sen.to_integral_value() else None


def parse_number(value: object) -> tuple[Decimal | None, bool]:
    """A volume or count: (number, repaired). `43 Orang/bulan` gives 43 with repaired=True."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    try:
        return parse_amount(value), False
    except ValueError:
        match = re.match(r"^\s*(\d[\d.]*(,\d+)?)\s*\D", str(value))
        if not match:
            raise
        return parse_amount(match.group(1)), True


# Characters that print nothing: C0 and C1 controls (but tab and line breaks), zero-width characters,
# bidirectional embeddings and overrides (which make a name read otherwise than it is), the BOM.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


_BREAKS = "\t\n\r\x0b\x0c\x85\u2028\u2029"


_LINE_BREAKS = re.compile(f"[ ]*[{_BREAKS}]+[ ]*")


_UNSEEN = re.compile(f"{_INVISIBLE.pattern}|[{_BREAKS}]")


def visible(text: str, limit: int = 200) -> str:
    """A value as a message shows it: at most `limit` characters, each invisible character and line
    break written as its escape (`\\n`, `\\x00`, `\\u202e`), so that it is seen and breaks nothing."""
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return _UNSEEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell_text(value: object) -> str | None:
    """A cell's text, trimmed (a whole float without its ".0"); None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def clean_text(text: str, one_line: bool) -> tuple[str, bool]:
    """(text without invisible characters, and with `one_line` its tabs and line breaks each turned into
    one space; whether anything changed). A line break typed in a name would break an e-mail subject or a
    file's header line; an invisible character makes two equal-looking names differ."""
    if _UNSEEN.search(text) is None:
        return text, False  # nearly every text: one scan
    cleaned = _INVISIBLE.sub("", _LINE_BREAKS.sub(" ", text) if one_line else text)
    return cleaned, cleaned != text


def clean_code(value: object) -> str:
    """Strip the spaces and trailing dots that hand-typed codes carry (`1.06. 04.2.01.0001.`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text).strip(".")


def kode_pemda_text(value: object) -> str:
    """Kode Pemda as text. A cell Excel turned into a number lost its trailing zero (36.10 -> 36.1):
    a kab/kota code always has two digits after the dot."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return clean_code(value)


def normalize_sub_kegiatan(value: object) -> tuple[str, bool]:
    """Canonical `U.BB.PP.K.KK.SSSS`: (code, repaired). Old 2-digit suffixes and the older
    2-digit kegiatan type (`1.06.05.02.02.0001`) are rewritten; anything else is returned as is,
    to be rejected by the format rule."""
    code = clean_code(value)
    parts = code.split(".")
    if SUB_KEGIATAN_RE.match(code):
        return code, False
    if len(parts) == 6 and all(p.isdigit() for p in parts):
        u, bb, pp, k, kk, ss = parts
        if len(k) == 2 and k.startswith("0"):
            k = k[1:]
        if len(ss) == 2:
            ss = ss.zfill(4)
        fixed = ".".join((u, bb, pp, k, kk, ss))
        if SUB_KEGIATAN_RE.match(fixed):
            return fixed, True
    return code, False


def split_lokasi(value: object) -> list[str]:
    """The `;`-separated region codes of a Lokasi cell, cleaned; ['SEMUA'] for all regions."""
    if value is None:
        return []
    parts = [clean_code(p) for p in re.split(r"[;,\n]", str(value))]
    parts = [p for p in parts if p]
    return ["SEMUA"] if any(p.upper() == "SEMUA" for p in parts) else parts


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


_TRIWULAN_RE = re.compile(
    r"^(?:TRIWULAN|TRW|TW|TRIW|Q)?[\s.\-_]*(?:KE[\s.\-_]*)?([1-4]|IV|III|II|I)$", re.IGNORECASE
)


def parse_triwulan(value: object) -> int:
    """Quarter 1..4 from `3`, `III`, `TW III`, `Triwulan 3`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    match = _TRIWULAN_RE.match(text)
    if not match:
        raise ValueError("triwulan harus 1-4 (boleh ditulis I-IV, TW III, Triwulan 3)")
    token = match.group(1).upper()
    return _ROMAN.get(token) or int(token)


_TRIWULAN_IN_NAME = re.compile(
    r"(?:^|[^a-z])(?:triwulan|triw|trw|tw|q)[\s_\-.]*(?:ke[\s_\-.]*)?([1-4]|iv|iii|ii|i)(?=$|[^a-z0-9])",
    re.IGNORECASE,
)


# A word before a quarter in a file name that makes it a reference rather than the file's own quarter
# ("turun dari TW2", "s.d. TW3", "naik dibanding tw2"). Not "ke": "Laporan KE TW3" is kemiskinan ekstrem.
_REFERENCE = re.compile(
    r"(?:^|[^a-z])(?:dari|sampai|hingga|s[./]d\.?|vs\.?|banding|menjadi|jadi)[\s_\-.]*$", re.I
)


def triwulan_in_name(name: str) -> int | None:
    """The quarter a file name states (`..._TW3_...`, `Triwulan III`), or None: also when it names two
    quarters (`revisi TW2 ke TW3`) or names one as a reference (`turun dari tw2`)."""
    found = set()
    for match in _TRIWULAN_IN_NAME.finditer(name):
        if _REFERENCE.search(name[: match.start() + 1]):
            return None
        token = match.group(1).upper()
        found.add(_ROMAN.get(token) or int(token))
    return found.pop() if len(found) == 1 else None


_BULAN = {nama.lower(): bulan for bulan, nama in enumerate(BULAN, start=1)}


def parse_tanggal(value: object) -> dt.date:
    """A report date from a cell: a date, `2024-10-08`, `08/10/2024` or `8 Oktober 2024`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if match and match.group(2).lower() in _BULAN:
        return dt.date(int(match.group(3)), _BULAN[match.group(2).lower()], int(match.group(1)))
    raise ValueError("tanggal tidak dikenali (contoh yang benar: 2024-10-08 atau 8 Oktober 2024)")


# Besides its code, its name and its number in Inpres 4/2022 (`STRATEGI` is in that order): the letter and
# the short and long names OPDs write.
_STRATEGI_ALIASES = {
    "PBP": ["a", "beban pengeluaran"],
    "PPD": ["b", "pendapatan"],
    "PKK": [
        "c", "kantong kemiskinan", "penurunan jumlah kantong-kantong kemiskinan",
        "penurunan jumlah kantong kemiskinan",
    ],
}  # fmt: skip


_STRATEGI_KEYS = {
    _key(alias): code
    for nomor, (code, nama) in enumerate(STRATEGI.items(), start=1)
    for alias in (code, str(nomor), *_STRATEGI_ALIASES[code], nama)
}


def normalize_strategi(value: object) -> str | None:
    """Strategy code PBP/PPD/PKK for any accepted spelling, or None when unknown."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _STRATEGI_KEYS.get(_key(value))


# Checked in order: the first pattern found in the keyed text wins, so the more specific come first.
_SUMBER_DANA_PATTERNS = [
    ("DAK_NONFISIK", ("daknonfisik", "dananonfisik", "dakbukanfisik", "alokasikhusus(nonfisik)")),
    ("DAK_FISIK", ("dakfisik", "alokasikhususfisik", "danaalokasikhusus")),
    ("DANA_DESA", ("danadesa",)),
    ("BANKEU", ("bankeu", "bantuankeuangan")),
    ("DID", ("insentiffiskal", "insentifdaerah", "did")),
    ("DBH", ("dbh", "bagihasil")),
    ("DAU", ("dau", "alokasiumum", "transferumum")),
    ("BLUD", ("blud", "badanlayananumum")),
    ("PAD", ("pad", "pendapatanaslidaerah", "aslidaerah")),
    ("LAINNYA", ("lainnya", "lainlain")),
]


def normalize_sumber_dana(value: object) -> str | None:
    """Canonical sumber dana code for a code or SIPD free text, or None when unknown."""
    key = _key(value)
    if not key:
        return None
    for code in SUMBER_DANA:
        if key == _key(code):
            return code
    for code, needles in _SUMBER_DANA_PATTERNS:
        if any(_key(n) in key for n in needles):
            return code
    return None
