"""One place for paths, limits and settings. A setting comes from the environment first, then, when a
Prefect API is at hand, from a Prefect Variable (or a Secret block for secrets), else a safe default.
Secrets are read here and passed on, never stored or logged."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SQL_DIR = REPO / "sql"
EXPECTATIONS_DIR = REPO / "expectations"
TEMPLATES_DIR = REPO / "templates"
SAMPLE_DIR = REPO / "sample" / "lebak-2024"
REF_DIR = REPO / "ref"  # dated reference data shipped with rekap-ke (ref/README.md)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting time or memory."""

    max_file_bytes: int = 25 * 2**20
    max_uncompressed_bytes: int = 200 * 2**20  # sum of the members of an xlsx (zip bomb guard)
    max_compression_ratio: int = 200
    max_rows: int = 20_000  # rows of the data sheet
    max_cell_chars: int = 5_000
    # A worksheet is loaded as a dense grid from A1 to its furthest cell with a value: these bound that
    # grid (checked in the XML before anything is built, `rekap.reading.scan`) and a CSV's rows.
    max_columns: int = 256  # columns of a sheet or fields of a CSV line
    max_cells: int = 2_000_000  # cells of the dense grids of a workbook's sheets together
    max_shared_string_chars: int = 30_000_000  # text the shared strings expand to, once per cell using one
    max_merged_ranges: int = 10_000  # merged ranges of a sheet
    # Per file, in the worker process that reads it (rekap.runtime.isolation): beyond them the file is
    # rejected (F14) and the run goes on. Reading and validating a sound file of the largest size allowed
    # takes a few seconds and a few hundred MB.
    max_seconds_per_file: float = 60.0
    max_memory_per_file: int = 2 * 2**30  # bytes of address space on top of what the worker holds

    @classmethod
    def from_env(cls) -> Limits:
        """Limits, each overridable by a `REKAP_MAX_*` variable."""
        d = cls()
        return cls(
            max_file_bytes=_env_int("REKAP_MAX_FILE_BYTES", d.max_file_bytes),
            max_uncompressed_bytes=_env_int("REKAP_MAX_UNCOMPRESSED_BYTES", d.max_uncompressed_bytes),
            max_compression_ratio=_env_int("REKAP_MAX_COMPRESSION_RATIO", d.max_compression_ratio),
            max_rows=_env_int("REKAP_MAX_ROWS", d.max_rows),
            max_cell_chars=_env_int("REKAP_MAX_CELL_CHARS", d.max_cell_chars),
            max_columns=_env_int("REKAP_MAX_COLUMNS", d.max_columns),
            max_cells=_env_int("REKAP_MAX_CELLS", d.max_cells),
            max_shared_string_chars=_env_int("REKAP_MAX_SHARED_STRING_CHARS", d.max_shared_string_chars),
            max_merged_ranges=_env_int("REKAP_MAX_MERGED_RANGES", d.max_merged_ranges),
            max_seconds_per_file=float(
                os.environ.get("REKAP_MAX_SECONDS_PER_FILE") or d.max_seconds_per_file
            ),
            max_memory_per_file=_env_int("REKAP_MAX_MEMORY_PER_FILE", d.max_memory_per_file),
        )


def default_warehouse() -> Path:
    """The published warehouse file: `REKAP_WAREHOUSE`, else `keluaran/gudang-ke.duckdb`."""
    return Path(setting("REKAP_WAREHOUSE") or "keluaran/gudang-ke.duckdb")


def default_out_dir() -> Path:
    """Where reports and letters go: `REKAP_OUT`, else `keluaran/laporan`."""
    return Path(setting("REKAP_OUT") or "keluaran/laporan")


def public_url() -> str | None:
    """The http(s) address where the folder of the reports (`REKAP_OUT`) is served, for links that a browser
    on another machine can open: `REKAP_PUBLIC_URL`, ending in "/"; None when unset (or not http(s), which is
    logged)."""
    value = (setting("REKAP_PUBLIC_URL") or "").strip()
    if not value:
        return None
    if not value.lower().startswith(("http://", "https://")):
        logging.getLogger(__name__).warning("REKAP_PUBLIC_URL bukan alamat http(s), diabaikan: %s", value)
        return None
    return value if value.endswith("/") else f"{value}/"


def raw_dir_for(warehouse: Path) -> Path:
    """Where received files are kept as received (raw is immutable): `REKAP_RAW`, else beside the
    warehouse in `mentah/`."""
    return Path(setting("REKAP_RAW") or warehouse.parent / "mentah")


def lock_wait_seconds() -> float:
    """How long a run waits for another to finish writing the warehouse before it gives up with a
    message: `REKAP_MAX_LOCK_WAIT_SECONDS`, else an hour (runs queue behind a national run)."""
    return float(os.environ.get("REKAP_MAX_LOCK_WAIT_SECONDS") or 3600)


def worker_count(workers: int | None = None) -> int:
    """Processes for a pool of parallel work (reading and validating, reports): `workers` when given,
    else every core, at most 8 (beyond, the one writer and the parent's merging bound a run)."""
    return workers or min(os.cpu_count() or 1, 8)


# --- settings that may also live in Prefect ----------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One setting: the environment variable, else (inside a Prefect run, or with `PREFECT_API_URL`
    set) the Prefect Variable of the same name in lower case, or for a secret the Secret block
    `rekap-...` with dashes."""

    env: str
    secret: bool = False
    help: str = ""

    @property
    def variable(self) -> str:
        """The Prefect Variable that holds it (`REKAP_SOURCE` -> `rekap_source`)."""
        return self.env.lower()

    @property
    def block(self) -> str:
        """The Prefect Secret block that holds it (`REKAP_WEBHOOK_URL` -> `rekap-webhook-url`)."""
        return self.env.lower().replace("_", "-")


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting("REKAP_SOURCE", help="where the OPD files are: folder, http(s):// URL, s3://bucket/prefix"),
        Setting("REKAP_PEMDA", help="kode pemda of a run that names none, e.g. 36.02"),
        Setting("REKAP_DAFTAR_OPD", help="CSV of the OPDs expected to report"),
        Setting("REKAP_WAREHOUSE", help="the published DuckDB warehouse file"),
        Setting("REKAP_OUT", help="folder of the reports"),
        Setting("REKAP_PUBLIC_URL", help="http(s) URL where the folder of the reports is served, for links"),
        Setting("REKAP_RAW", help="raw store of files as received (default: mentah/ beside the warehouse)"),
        Setting("REKAP_PULL_ATTEMPTS", help="attempts per remote file before it is reported (default 4)"),
        Setting("REKAP_PULL_BACKOFF_SECONDS", help="first wait between attempts, doubled each time (2)"),
        Setting("REKAP_PULL_DEADLINE_SECONDS", help="time allowed to pull a remote source, in all (3600)"),
        Setting("REKAP_PULL_MAX_PAGES", help="listing pages an HTTP pull may visit (5000)"),
        Setting("REKAP_PULL_MAX_FILES", help="files a remote listing may name (100000)"),
        Setting("REKAP_PULL_MAX_DEPTH", help="sub-folder levels followed below an HTTP listing page (4)"),
        Setting("REKAP_HTTP_ALLOW", help="private hosts and networks HTTP pulls may reach, comma separated"),
        Setting("REKAP_HTTP_AUTH_HEADER", secret=True, help="header sent to an HTTP source, `Name: value`"),
        Setting("REKAP_S3_ENDPOINT_URL", help="endpoint of S3-compatible storage (MinIO, ...)"),
        Setting("REKAP_S3_REGION", help="region of the bucket"),
        Setting("REKAP_S3_ACCESS_KEY_ID", secret=True, help="S3 access key"),
        Setting("REKAP_S3_SECRET_ACCESS_KEY", secret=True, help="S3 secret key"),
        Setting("REKAP_WEBHOOK_URL", secret=True, help="webhook that receives notifications (JSON POST)"),
        Setting("REKAP_SMTP_HOST", help="mail server for notifications"),
        Setting("REKAP_SMTP_PORT", help="its port (default 587)"),
        Setting("REKAP_SMTP_STARTTLS", help="true (default) or false"),
        Setting("REKAP_SMTP_CA_FILE", help="CA certificates (PEM) that the mail server's must chain to"),
        Setting("REKAP_SMTP_USER", help="login on the mail server"),
        Setting("REKAP_SMTP_PASSWORD", secret=True, help="its password"),
        Setting("REKAP_SMTP_FROM", help="sender address"),
        Setting("REKAP_NOTIFY_EMAIL", help="recipients of notifications, comma separated"),
        Setting("REKAP_WILAYAH", help="CSV of Kemendagri region codes and names (default ref/wilayah.csv)"),
        Setting(
            "REKAP_DASBOR_TOKEN", secret=True, help="token (password) of a dashboard served on a network"
        ),
    )
}


def _prefect_reachable() -> bool:
    """Whether asking Prefect costs no new server: inside a flow or task run, or with an API URL set.
    (Outside both, Prefect would start a temporary server just to answer.)"""
    if os.environ.get("PREFECT_API_URL"):
        return True
    if "prefect" not in sys.modules:
        return False
    from prefect.context import FlowRunContext, TaskRunContext

    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def _from_prefect(setting: Setting) -> str | None:
    try:
        if setting.secret:
            from prefect.blocks.system import Secret

            try:
                value = Secret.load(setting.block).get()
            except ValueError:  # no such block
                return None
        else:
            value = _prefect_variables().get(setting.variable)
    except Exception as exc:  # an unreachable server must not stop a run that has its settings elsewhere
        logging.getLogger(__name__).warning("Prefect tidak dapat ditanya tentang %s: %s", setting.env, exc)
        return None
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


_variables: dict[str | None, dict[str, object]] = {}  # flow run id (None outside one) -> Prefect Variables


def _prefect_variables() -> dict[str, object]:
    """The Prefect Variables of every setting, read in one request once per flow run (and once outside
    any): a run reads its settings as they were when it started, and the report of each of hundreds of
    pemda asks for one."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import Variable
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    key = str(context.flow_run.id) if context and context.flow_run else None
    if key not in _variables:
        names = sorted(s.variable for s in SETTINGS.values() if not s.secret)
        query = {"variables": {"name": {"any_": names}}, "limit": len(names)}
        with get_client(sync_client=True) as client:
            answer = client.request("POST", "/variables/filter", json=query)
        found = Variable.model_validate_list(answer.json())
        _variables.clear()
        _variables[key] = {v.name: v.value for v in found}
    return _variables[key]


def setting(env: str, default: str | None = None) -> str | None:
    """The value of a setting: the environment first, then Prefect (a Variable, or a Secret block for
    secrets) when a Prefect API is at hand, else `default`."""
    spec = SETTINGS[env]
    value = os.environ.get(env)
    if value:
        return value
    if _prefect_reachable():
        value = _from_prefect(spec)
        if value:
            return value
    return default


def default_source() -> str:
    """Where the OPD files are: `REKAP_SOURCE`, else the folder `submissions`."""
    return setting("REKAP_SOURCE") or "submissions"


def wilayah_csv() -> Path:
    """The region reference: `REKAP_WILAYAH`, else the file shipped in `ref/wilayah.csv`."""
    return Path(setting("REKAP_WILAYAH") or REF_DIR / "wilayah.csv")


def default_daftar_opd() -> Path | None:
    """The CSV of expected OPDs: `REKAP_DAFTAR_OPD`, else none."""
    value = setting("REKAP_DAFTAR_OPD")
    return Path(value) if value else None


def s3_storage_options() -> dict[str, Any]:
    """Options for s3fs (endpoint, region, credentials); without keys, s3fs's own chain decides."""
    options: dict[str, Any] = {}
    if key := setting("REKAP_S3_ACCESS_KEY_ID"):
        options["key"] = key
    if secret := setting("REKAP_S3_SECRET_ACCESS_KEY"):
        options["secret"] = secret
    if endpoint := setting("REKAP_S3_ENDPOINT_URL"):
        options["endpoint_url"] = endpoint
    if region := setting("REKAP_S3_REGION"):
        options["client_kwargs"] = {"region_name": region}
    return options


@dataclass(frozen=True)
class Retry:
    """How a remote file is fetched again after a transient failure: `attempts` in all, waiting
    `backoff_seconds`, then twice that, and so on (at most `max_wait_seconds`)."""

    attempts: int = 4
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 60.0

    def wait(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.backoff_seconds * 2 ** (attempt - 1), self.max_wait_seconds)

    @classmethod
    def from_settings(cls) -> Retry:
        """The policy from `REKAP_PULL_ATTEMPTS` and `REKAP_PULL_BACKOFF_SECONDS`."""
        d = cls()
        return cls(
            attempts=int(setting("REKAP_PULL_ATTEMPTS") or d.attempts),
            backoff_seconds=float(setting("REKAP_PULL_BACKOFF_SECONDS") or d.backoff_seconds),
        )


@dataclass(frozen=True)
class RemoteSource:
    """How far a pull from an HTTP(S) or S3 source may go: the size of one download (the reader's
    `max_file_bytes`: a bigger file would be rejected anyway), the time for the whole pull, how much of
    a listing is followed, which private hosts and networks may be reached (loopback, link-local and
    private addresses are refused otherwise, except the source's own host and port), and the header
    that carries an HTTP source's credentials."""

    max_file_bytes: int = Limits.max_file_bytes
    deadline_seconds: float = 3600.0
    max_pages: int = 5_000
    max_files: int = 100_000
    max_depth: int = 4
    allow: tuple[str, ...] = ()  # host names, addresses and networks (`10.0.0.0/8`)
    auth_header: str | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls) -> RemoteSource:
        """The policy from `REKAP_MAX_FILE_BYTES`, `REKAP_PULL_*`, `REKAP_HTTP_ALLOW` and the Secret
        `REKAP_HTTP_AUTH_HEADER`."""
        d = cls()
        return cls(
            max_file_bytes=Limits.from_env().max_file_bytes,
            deadline_seconds=float(setting("REKAP_PULL_DEADLINE_SECONDS") or d.deadline_seconds),
            max_pages=int(setting("REKAP_PULL_MAX_PAGES") or d.max_pages),
            max_files=int(setting("REKAP_PULL_MAX_FILES") or d.max_files),
            max_depth=int(setting("REKAP_PULL_MAX_DEPTH") or d.max_depth),
            allow=_listed(setting("REKAP_HTTP_ALLOW")),
            auth_header=setting("REKAP_HTTP_AUTH_HEADER"),
        )

    def headers(self) -> dict[str, str]:
        """The auth header as `{name: value}` (empty without one)."""
        if not self.auth_header:
            return {}
        name, sep, value = self.auth_header.partition(":")
        if not sep or not name.strip() or any(c in self.auth_header for c in "\r\n"):
            # The value is a secret: the message must not quote it.
            raise ValueError("REKAP_HTTP_AUTH_HEADER harus berbentuk `Nama: nilai` pada satu baris")
        return {name.strip(): value.strip()}


def _listed(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


@dataclass(frozen=True)
class Notification:
    """Where the run notifications go; an empty field switches that channel off."""

    webhook_url: str | None = field(default=None, repr=False)  # the URL is the secret
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_ca_file: str | None = None  # None: the system's certificate authorities
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str = "rekap-ke@localhost"
    email_to: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls) -> Notification:
        """The channels from the `REKAP_WEBHOOK_URL` and `REKAP_SMTP_*` settings."""
        d = cls()
        return cls(
            webhook_url=setting("REKAP_WEBHOOK_URL"),
            smtp_host=setting("REKAP_SMTP_HOST"),
            smtp_port=int(setting("REKAP_SMTP_PORT") or d.smtp_port),
            smtp_starttls=(setting("REKAP_SMTP_STARTTLS") or "true").strip().lower()
            not in {"false", "0", "no", "tidak"},
            smtp_ca_file=setting("REKAP_SMTP_CA_FILE"),
            smtp_user=setting("REKAP_SMTP_USER"),
            smtp_password=setting("REKAP_SMTP_PASSWORD"),
            smtp_from=setting("REKAP_SMTP_FROM") or d.smtp_from,
            email_to=_listed(setting("REKAP_NOTIFY_EMAIL")),
        )
