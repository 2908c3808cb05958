"""`rekap dasbor`: the dashboard over the published warehouse, served read-only (`app`), or written as a
self-contained folder for one pemda (`ekspor`). Every figure comes from the report's SQL (`sql/report/`) or
from `sql/dasbor/`, so that a page and the report's workbook agree cell for cell."""
