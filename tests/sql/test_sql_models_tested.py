"""Every model in sql/core, sql/marts and sql/report has a given/expect test in tests/sql, so that a new
model comes with one."""

from __future__ import annotations

from pathlib import Path

from rekap.settings import SQL_DIR

MODEL_DIRS = ("core", "marts", "report")
TESTS = Path(__file__).parent


def untested(sql_dir: Path, tests_text: str) -> list[str]:
    """The models of `sql_dir` that no test names: as run_sql names it ("core/x"), or a mart as its
    readers do ("mart.x")."""
    missing = []
    for folder in MODEL_DIRS:
        for path in sorted((sql_dir / folder).glob("*.sql")):
            names = [f'"{folder}/{path.stem}"', *([f'"mart.{path.stem}"'] if folder == "marts" else [])]
            if not any(name in tests_text for name in names):
                missing.append(f"{folder}/{path.stem}")
    return missing


def _tests_text() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted(TESTS.glob("test_*.py"))
        if p.name != Path(__file__).name
    )


def test_every_model_has_a_given_expect_test():
    for folder in MODEL_DIRS:
        assert list((SQL_DIR / folder).glob("*.sql")), f"sql/{folder} has no model: is SQL_DIR right?"
    assert untested(SQL_DIR, _tests_text()) == []


def test_a_new_model_without_a_test_is_named(tmp_path):
    for folder, stem in [
        ("core", "baru"),
        ("marts", "rekap_baru"),
        ("report", "t9_baru"),
        ("report", "t1_strategi"),
    ]:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / f"{stem}.sql").write_text("SELECT 1;\n", encoding="utf-8")
    assert untested(tmp_path, _tests_text()) == ["core/baru", "marts/rekap_baru", "report/t9_baru"]
