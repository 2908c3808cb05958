"""Writes one generated file as the workbook an OPD sends: sheet Identitas and the data sheet, with the
layout's mess."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from rekap.contract.calendar import ROMAWI
from sample.catalogue import Opd
from sample.cells import amount_text, header_labels, identitas, plain, tanggal_text, typed_values
from sample.mess import AMOUNT_KEYS, TEMPLATE_COLUMNS
from sample.model import Pemda, SampleFile, SampleRow, after_quarter


def xlsx_bytes(f: SampleFile, pemda: Pemda, tahun: int, opd: Opd) -> bytes:
    """The workbook of one file; the same bytes on every run."""
    return _Workbook(f, pemda, tahun, opd).write()


class _Workbook:
    def __init__(self, f: SampleFile, pemda: Pemda, tahun: int, opd: Opd):
        self.f, self.pemda, self.tahun, self.opd = f, pemda, tahun, opd
        self.layout = f.layout
        self.columns = self.layout.columns or TEMPLATE_COLUMNS
        self.col = {key: i for i, key in enumerate(self.columns)}
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        # A fixed creation time, so that a rewrite is byte-identical (xlsxwriter already stamps the zip
        # members with a fixed 1980 date; the document properties are the only clock it reads).
        self.wb.set_properties({"created": datetime(tahun, 1, 2, 8, 0, 0), "author": opd.singkatan})
        self.bold = self.wb.add_format({"bold": True})
        self.head = self.wb.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.rupiah = self.wb.add_format({"num_format": "#,##0.00"})
        self.tanggal = self.wb.add_format({"num_format": "dd/mm/yyyy"})
        self.identitas = self.wb.add_worksheet("Identitas")
        self.ws = self.wb.add_worksheet(self.layout.sheet_name.format(romawi=ROMAWI[f.triwulan]))

    def write(self) -> bytes:
        """The workbook's bytes."""
        self._write_identitas()
        self._write_realisasi()
        self.wb.close()
        return self.buffer.getvalue()

    def _write_identitas(self) -> None:
        ws = self.identitas
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 60)
        for r, (label, value) in enumerate(identitas(self.f, self.pemda, self.tahun, self.opd)):
            ws.write_string(r, 0, label, self.bold)
            if isinstance(value, date):
                ws.write_datetime(r, 1, datetime(value.year, value.month, value.day), self.tanggal)
            elif isinstance(value, int):
                ws.write_number(r, 1, value)
            else:
                ws.write_string(r, 1, str(value))  # codes and NIP stay text

    def _write_realisasi(self) -> None:
        layout = self.layout
        self.ws.set_column(0, len(self.columns) - 1, 16)
        r = 0
        if layout.title:
            r = self._write_title(r)
        if layout.blank_rows:
            r += 1  # a blank row between the title (or the top) and the header
        r = self._write_header(r)
        first_data = r
        for i, row in enumerate(self.f.rows):
            if layout.blank_rows and i == 2:
                r += 1  # a blank row inside the data
            self._write_row(r, i, row)
            r += 1
        if layout.total_label:
            self._write_total(r, first_data, r - 1)
            r += 1
        if layout.signature:
            self._write_signature(r + 1)
        if layout.hidden_column:
            c = self.col[layout.hidden_column]
            self.ws.set_column(c, c, 16, None, {"hidden": True})

    def _write_title(self, r: int) -> int:
        lines = (
            "LAPORAN REALISASI ANGGARAN PENGHAPUSAN KEMISKINAN EKSTREM",
            f"{self.f.nama_skpd.upper()} {self.pemda.nama.upper()}",
            f"TRIWULAN {ROMAWI[self.f.triwulan]} TAHUN ANGGARAN {self.tahun}",
        )
        for line in lines:
            self.ws.merge_range(r, 0, r, len(self.columns) - 1, line, self.bold)
            r += 1
        return r

    def _write_header(self, r: int) -> int:
        labels = header_labels(self.layout, self.columns)
        if self.layout.merged_header:
            # Two header rows: "Realisasi (Rp)" over "Triwulan Ini" | "s.d. Triwulan Ini";
            # every other label is merged down over both rows.
            tw, kum = self.col["real_tw"], self.col["real_kum"]
            for c, label in enumerate(labels):
                if c not in (tw, kum):
                    self.ws.merge_range(r, c, r + 1, c, label, self.head)
            self.ws.merge_range(r, tw, r, kum, "Realisasi (Rp)", self.head)
            self.ws.write_string(r + 1, tw, "Triwulan Ini", self.head)
            self.ws.write_string(r + 1, kum, "s.d. Triwulan Ini", self.head)
            r += 2
        else:
            for c, label in enumerate(labels):
                self.ws.write_string(r, c, label, self.head)
            r += 1
        if self.layout.column_numbers:
            for c in range(len(self.columns)):
                self.ws.write_number(r, c, c + 1, self.head)
            r += 1
        return r

    def _write_row(self, r: int, i: int, row: SampleRow) -> None:
        values = typed_values(row, i, self.layout)
        for key, c in self.col.items():
            value = values[key]
            if key in AMOUNT_KEYS:
                assert isinstance(value, Decimal)
                if not (self.layout.formulas and self._write_amount_formula(r, c, key, row)):
                    self._write_amount(r, c, value, i)
            elif isinstance(value, (Decimal, int)):
                self._write_count(r, c, value)
            elif value:
                self.ws.write_string(r, c, str(value))

    def _write_amount(self, r: int, c: int, value: Decimal, row_index: int) -> None:
        style = self.layout.amounts[row_index % len(self.layout.amounts)]
        if style == "number":
            # xlsx stores numbers as doubles; whole rupiah and ,50 sen are exact there.
            self.ws.write_number(r, c, float(value), self.rupiah)
        else:
            self.ws.write_string(r, c, amount_text(value, style))

    def _write_count(self, r: int, c: int, value: Decimal | int) -> None:
        """Volumes, KK and No: numbers, or text when the OPD's sheet stores them as text."""
        if value != int(value):
            self.ws.write_number(r, c, float(value))
        elif self.layout.numbers_as_text:
            self.ws.write_string(r, c, str(int(value)))
        else:
            self.ws.write_number(r, c, int(value))

    def _write_amount_formula(self, r: int, c: int, key: str, row: SampleRow) -> bool:
        """Formulas as OPDs type them, each with its cached value: kumulatif = this quarter's cell +
        last quarter's figure, and a pagu changed by APBD-P as murni + tambahan."""
        previous = row.realisasi_kumulatif - row.realisasi_triwulan
        if key == "real_kum" and previous > 0 and "real_tw" in self.col:
            cell = xl_rowcol_to_cell(r, self.col["real_tw"])
            formula = f"={cell}+{plain(previous)}"
            self.ws.write_formula(r, c, formula, self.rupiah, float(row.realisasi_kumulatif))
            return True
        if key == "pagu" and row.pagu_murni is not None and row.pagu != row.pagu_murni:
            delta = row.pagu - row.pagu_murni
            formula = f"={plain(row.pagu_murni)}{'+' if delta > 0 else '-'}{plain(abs(delta))}"
            self.ws.write_formula(r, c, formula, self.rupiah, float(row.pagu))
            return True
        return False

    def _write_total(self, r: int, first: int, last: int) -> None:
        self.ws.merge_range(r, 0, r, self.col["pagu"] - 1, self.layout.total_label, self.head)
        typed = [typed_values(row, i, self.layout) for i, row in enumerate(self.f.rows)]
        for key in AMOUNT_KEYS:
            if key not in self.col:
                continue
            c = self.col[key]
            total = sum((values[key] for values in typed), Decimal(0))
            if self.layout.formulas:
                top, bottom = xl_rowcol_to_cell(first, c), xl_rowcol_to_cell(last, c)
                self.ws.write_formula(r, c, f"=SUM({top}:{bottom})", self.rupiah, float(total))
            else:
                self.ws.write_number(r, c, float(total), self.rupiah)

    def _write_signature(self, r: int) -> None:
        c = max(len(self.columns) - 5, 0)
        tanggal = self.f.tanggal_laporan or after_quarter(self.tahun, self.f.triwulan, 2)
        lines = (
            f"{self.pemda.kota}, {tanggal_text(tanggal, 'words')}",
            f"Kepala {self.f.nama_skpd}",
            self.pemda.nama,
            "",
            "",
            self.opd.kepala,
            f"NIP. {self.opd.nip}",
        )
        for k, line in enumerate(lines):
            if line:
                self.ws.write_string(r + k, c, line)
