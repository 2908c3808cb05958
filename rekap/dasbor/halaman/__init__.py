"""The dashboard's pages: where each one lives, what it reads and how it is laid out (`kerangka`: the frame
and paths every page shares; `tabel`: tables as a page shows them; `pemda` and `wilayah`: the pages;
`rute`: the paths the server and the export answer)."""

from .kerangka import CSP, Konteks, TidakAda, render_galat
from .rute import pemda_pages, render_page

__all__ = ["CSP", "Konteks", "TidakAda", "pemda_pages", "render_galat", "render_page"]
