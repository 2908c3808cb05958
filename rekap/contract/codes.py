"""The codes and labels of the domain: the formats of Kemendagri and SIPD codes, the strategies of
Inpres 4/2022, the sumber dana, the largest amounts and counts a row may hold, and the key labels are
matched by."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

# The largest amounts and counts a row may hold. DECIMAL(18,2) holds 16 digits before the point, and a
# row's quarters add up in the marts (four of them must still fit): Rp 1.000 triliun, a third of the whole
# APBN, is far beyond any sub kegiatan. Volumes are DECIMAL(18,4) in the warehouse; households are
# counted in the millions nationally, and summed over every row of a pemda.
MAX_RUPIAH = Decimal(10) ** 15


MAX_VOLUME = Decimal(10) ** 14


MAX_KK = Decimal(10) ** 9


SUB_KEGIATAN_RE = re.compile(r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$")


# ASCII digits only and no trailing newline (`\Z`, not `$`): these codes also name output files.
SKPD_RE = re.compile(r"^[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}\Z")


PEMDA_RE = re.compile(r"^[0-9]{2}(\.[0-9]{2})?\Z")


LOKASI_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$")


def _key(text: object) -> str:
    """Case-, space- and punctuation-insensitive key for matching labels."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", str(text)).lower())


STRATEGI = {
    "PBP": "Pengurangan Beban Pengeluaran",
    "PPD": "Peningkatan Pendapatan",
    "PKK": "Penurunan Kantong Kemiskinan",
}


SUMBER_DANA = {
    "PAD": "Pendapatan Asli Daerah",
    "DAU": "Dana Alokasi Umum",
    "DBH": "Dana Bagi Hasil",
    "DAK_FISIK": "DAK Fisik",
    "DAK_NONFISIK": "DAK Non Fisik",
    "DID": "Insentif Fiskal / Dana Insentif Daerah",
    "BANKEU": "Bantuan Keuangan Provinsi",
    "DANA_DESA": "Dana Desa",
    "BLUD": "Pendapatan BLUD",
    "LAINNYA": "Lainnya",
}


def header_key(text: object) -> str:
    """Key for matching a column header: lower case, `(Rp)` and punctuation dropped."""
    text = re.sub(r"\(\s*rp\s*\.?\s*\)", " ", str(text or ""), flags=re.IGNORECASE)
    return _key(text)
