"""The Kemendagri region reference: codes and names of every provinsi, kabupaten/kota, kecamatan and
desa/kelurahan (`ref/wilayah.csv`, or the file `REKAP_WILAYAH` names), loaded into the warehouse as
`ref.wilayah` so that reports, letters and the dashboard show places by name, and the warnings it allows.

The reference is dated data: the decree, its date and the source travel with the CSV in a JSON file of the
same name (`wilayah.json`) and are recorded in `ref.wilayah_sumber`. A newer file replaces the old one
without code changes: the next run sees that the file's hash changed and loads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import duckdb

from rekap.settings import wilayah_csv
from rekap.warehouse.sql import query_rows, run_sql
from rekap.warehouse.store import connect, create_schema

log = logging.getLogger(__name__)

METADATA_FIELDS = ("keputusan", "tanggal_keputusan", "sumber", "lisensi")


def reference_metadata(path: Path) -> dict[str, Any]:
    """The decree, its date, the source and the licence of a reference CSV, from the JSON file beside it
    (`wilayah.csv` -> `wilayah.json`); each missing field is None."""
    meta: dict[str, Any] = dict.fromkeys(METADATA_FIELDS)
    try:
        given = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return meta
    if isinstance(given, dict):
        meta.update({k: str(given[k]) for k in METADATA_FIELDS if given.get(k)})
    if meta["tanggal_keputusan"]:
        try:
            meta["tanggal_keputusan"] = dt.date.fromisoformat(meta["tanggal_keputusan"])
        except ValueError:
            meta["tanggal_keputusan"] = None
    return meta


def load_wilayah(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> bool:
    """Load the region reference into `ref.wilayah` when its file differs from the one loaded last (by
    SHA-256); return whether it was loaded. A missing or malformed file keeps what the warehouse has and is
    logged: the reference is optional, and names then fall back to codes."""
    path = path or wilayah_csv()
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("Daftar wilayah tidak dapat dibaca, nama wilayah memakai kode: %s (%s)", path, exc)
        return False
    digest = hashlib.sha256(data).hexdigest()
    if run_sql(con, "ref/sha256_dimuat") == [(digest,)]:
        return False
    try:
        run_sql(con, "ref/read_wilayah", berkas=str(path))
    except duckdb.Error as exc:
        log.warning("Daftar wilayah %s tidak dimuat: bukan CSV kode,nama,tingkat (%s)", path, exc)
        return False
    problems = [m for (m,) in run_sql(con, "ref/wilayah_tidak_sah")]
    if problems:
        run_sql(con, "ref/discard_wilayah")
        log.warning("Daftar wilayah %s tidak dimuat: %s", path, "; ".join(problems))
        return False
    meta = reference_metadata(path)
    run_sql(
        con, "ref/replace_wilayah", berkas=path.name, sha256=digest, dimuat_pada=dt.datetime.now(), **meta
    )
    return True


def nama_wilayah(kode: str) -> str | None:
    """A region's name as reports show it (`Kabupaten Lebak`), read from the reference file itself, for
    commands that have no warehouse (`rekap template`); None when the reference does not list the code."""
    con = connect(":memory:")
    try:
        create_schema(con)
        load_wilayah(con)
        names = dict(query_rows(con, "dasbor/nama_wilayah", kode=[kode])[1])
    finally:
        con.close()
    return names.get(kode)
