"""What a run did, for the steward, the artifacts and the notifications."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunSummary:
    """What a run did, for the steward and the artifacts."""

    run_id: str
    tahun: int
    triwulan: int
    pemda: list[str] = field(default_factory=list)
    files_new: int = 0
    files_deferred: int = 0
    accepted: int = 0
    rejected: int = 0
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    reports: dict[str, list[str]] = field(default_factory=dict)  # kode_pemda -> its report files and letters
    reports_current: list[str] = field(
        default_factory=list
    )  # pemda whose report files were not written again
    pull_failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) not fetched
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) found, not loaded
    rows_skipped: int = 0  # rows below a table's header that are not data (totals, notes, signatures)
