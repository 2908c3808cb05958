"""Properties of the normalisers (rekap.reading.values) over generated inputs: amounts typed the Indonesian
way, codes with stray spaces and dots, the spellings of a quarter."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rekap.contract.codes import SKPD_RE, SUB_KEGIATAN_RE
from rekap.reading.values import (
    amount_to_sen,
    clean_code,
    kode_pemda_text,
    normalize_sub_kegiatan,
    parse_amount,
    parse_number,
    parse_triwulan,
    split_lokasi,
    triwulan_in_name,
)

# --- amounts -------------------------------------------------------------------------------------

SEN = st.integers(min_value=0, max_value=10**16 - 1)  # DECIMAL(18,2) holds up to 16 digits of Rupiah
SPACE = st.sampled_from(["", " ", "  ", "\u00a0", "\t"])


def indonesian(amount: Decimal, decimals: bool) -> str:
    """`1.234.567,89` (or `1.234.567` when whole and decimals are not shown)."""
    whole, sen = divmod(int(amount * 100), 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{grouped},{sen:02d}" if decimals else grouped


@given(
    sen=SEN,
    prefix=st.sampled_from(["", "Rp", "Rp ", "Rp.", "Rp. ", "RP", "rp\u00a0"]),
    suffix=st.sampled_from(["", ",-", ".-"]),
    before=SPACE,
    after=SPACE,
    decimals=st.booleans(),
)
@example(sen=125_000_000, prefix="Rp", suffix=",-", before="", after="", decimals=False)
@example(sen=99, prefix="", suffix="", before="", after="", decimals=True)  # 0,99
def test_indonesian_amount_text_round_trips(sen, prefix, suffix, before, after, decimals) -> None:
    amount = Decimal(sen) / 100
    if not decimals:
        amount = Decimal(sen // 100)
    text = f"{before}{prefix}{indonesian(amount, decimals)}{suffix}{after}"
    assert parse_amount(text) == amount
    assert amount_to_sen(parse_amount(text)) == int(amount * 100)


@given(sen=st.integers(min_value=1, max_value=10**14), style=st.sampled_from(["({})", "-{}", "Rp -{}",
       "Rp ({})", "(Rp {})", "-Rp{}", "Rp. ( {} )"]))  # fmt: skip
def test_negative_amounts_in_every_notation_parse_negative(sen, style) -> None:
    amount = Decimal(sen) / 100
    assert parse_amount(style.format(indonesian(amount, True))) == -amount


@given(sen=SEN)
def test_numbers_as_spreadsheets_store_them(sen) -> None:
    amount = Decimal(sen) / 100
    assert parse_amount(int(sen)) == Decimal(sen)
    if sen < 2**53:  # a float holds every integer up to 2^53 exactly
        assert parse_amount(float(sen)) == Decimal(sen)
    assert parse_amount(str(amount)) == amount  # machine style "1234567.89"


@pytest.mark.parametrize("text", ["-", "Rp -", "Rp. -", "–", "nihil", "Rp 0,-", "0,00"])
def test_dash_and_nihil_are_zero(text) -> None:
    assert parse_amount(text) == 0


@pytest.mark.parametrize("text", ["", "  ", "Rp", "Rp. "])
def test_blank_is_empty(text) -> None:
    assert parse_amount(text) is None


@given(st.text(max_size=30))
def test_parse_amount_never_fails_other_than_with_valueerror(text) -> None:
    with contextlib.suppress(ValueError):
        parse_amount(text)


@given(
    number=st.integers(min_value=0, max_value=10**6), unit=st.sampled_from([" Orang", " KK/bulan", "Paket"])
)
def test_volume_with_unit_gives_the_number_and_a_repair(number, unit) -> None:
    assert parse_number(f"{number:,}".replace(",", ".") + unit) == (Decimal(number), True)
    assert parse_number(number) == (Decimal(number), False)


# --- codes ---------------------------------------------------------------------------------------


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


SUB_KEGIATAN = st.tuples(digits(1), digits(2), digits(2), digits(1), digits(2), digits(4)).map(".".join)
SKPD = st.tuples(digits(1), digits(2), digits(1), digits(2), digits(1), digits(2), digits(2), digits(4)).map(
    ".".join
)


@st.composite
def messy(draw: st.DrawFn, code: str) -> str:
    """The code with spaces around its parts, maybe a trailing dot or two, maybe full-width digits."""
    parts = code.split(".")
    text = ".".join(draw(SPACE) + p + draw(SPACE) for p in parts)
    text = draw(SPACE) + text + draw(st.sampled_from(["", ".", ". ", "..", " ."])) + draw(SPACE)
    if draw(st.booleans()):
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return text


@given(data=st.data(), code=SUB_KEGIATAN)
def test_sub_kegiatan_code_with_stray_spaces_and_dots_is_canonical(data, code) -> None:
    typed = data.draw(messy(code))
    assert normalize_sub_kegiatan(typed) == (code, False)


@given(code=SUB_KEGIATAN)
def test_old_style_sub_kegiatan_codes_are_rewritten(code) -> None:
    u, bb, pp, k, kk, ssss = code.split(".")
    if ssss.startswith("00"):  # the old 2-digit suffix
        assert normalize_sub_kegiatan(f"{u}.{bb}.{pp}.{k}.{kk}.{ssss[2:]}") == (code, True)
    assert normalize_sub_kegiatan(f"{u}.{bb}.{pp}.0{k}.{kk}.{ssss}") == (code, True)  # 2-digit kegiatan type
    assert SUB_KEGIATAN_RE.match(code)


@given(data=st.data(), code=SKPD)
def test_skpd_code_with_stray_spaces_and_dots_is_canonical(data, code) -> None:
    assert clean_code(data.draw(messy(code))) == code
    assert SKPD_RE.match(code)


@given(kab=st.integers(min_value=1, max_value=99), prov=st.integers(min_value=11, max_value=99))
def test_kode_pemda_typed_as_a_number_keeps_its_two_digits(kab, prov) -> None:
    code = f"{prov}.{kab:02d}"
    assert kode_pemda_text(float(code)) == code
    assert kode_pemda_text(code) == code
    assert kode_pemda_text(float(prov)) == str(prov)


@given(st.lists(st.tuples(digits(2), digits(2), digits(2)).map(".".join), min_size=1, max_size=5),
       st.sampled_from([";", "; ", " ;", ",", "\n"]))  # fmt: skip
def test_lokasi_lists_split_into_clean_codes(codes, separator) -> None:
    assert split_lokasi(separator.join(f" {c}. " for c in codes)) == codes


# --- quarters ------------------------------------------------------------------------------------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@st.composite
def quarter_spelling(draw: st.DrawFn, q: int) -> str:
    prefix = draw(st.sampled_from(["", "TW", "Triwulan", "TRIWULAN", "triwulan", "Trw", "Q", "Triw", "TW."]))
    sep = draw(st.sampled_from(["", " ", "-", "_", ".", "  "])) if prefix else ""
    ke = draw(st.sampled_from(["", "ke-", "Ke ", "ke"])) if prefix.lower().startswith("triwulan") else ""
    token = draw(st.sampled_from([str(q), ROMAN[q], ROMAN[q].lower()]))
    if prefix and not sep and not ke and token[0].isalpha() and prefix[-1].isalpha():
        sep = " "  # "TWIII" is not a spelling anyone reads
    return f"{prefix}{sep}{ke}{token}"


@given(data=st.data(), q=st.integers(min_value=1, max_value=4))
def test_every_spelling_of_a_quarter_is_read(data, q) -> None:
    spelling = data.draw(quarter_spelling(q))
    assert parse_triwulan(f" {spelling} ") == q
    if spelling.lower().startswith(("tw", "tri", "q")):
        assert triwulan_in_name(f"Laporan_KE_Dinsos_{spelling}_2024.xlsx") == q
        assert triwulan_in_name(f"LAPORAN KE {spelling.upper()}.xlsx") == q


@pytest.mark.parametrize("value", [3, 3.0, "3", "III", "TW III", "Triwulan 3", "triwulan ke-3", "TW-3"])
def test_quarter_three(value) -> None:
    assert parse_triwulan(value) == 3


@pytest.mark.parametrize("value", [0, 5, "V", "TW 5", "", None, "3 dan 4", "Triwulan"])
def test_not_a_quarter(value) -> None:
    with pytest.raises(ValueError):
        parse_triwulan(value)


@pytest.mark.parametrize(
    "name",
    ["Realisasi KE Dindikbud.xlsx", "36.02_2024_1.06.0.00.0.00.01.0000.xlsx", "Laporan_Twitter.xlsx",
     "Quarterly.xlsx", "TW_2024.xlsx"],
)  # fmt: skip
def test_names_without_a_quarter(name) -> None:
    assert triwulan_in_name(name) is None
