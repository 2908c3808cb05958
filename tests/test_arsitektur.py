"""The stages of docs/arsitektur.md: imports point one way, and every module of `rekap` belongs to a stage."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Bottom to top, as docs/arsitektur.md lists them: a module may import its own stage and those below it.
STAGES: tuple[tuple[str, ...], ...] = (
    ("rekap.contract", "rekap.settings", "rekap.files", "rekap.faults", "rekap.whole"),
    ("rekap.warehouse",),
    ("rekap.intake",),
    ("rekap.reading",),
    ("rekap.validation",),
    ("rekap.load",),
    ("rekap.report",),
    ("rekap.dasbor",),
    ("rekap.runtime",),
    ("rekap.cli", "rekap.parameters"),
)


def stage_of(module: str) -> int | None:
    """The stage a module belongs to (None: not part of rekap)."""
    for level, packages in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in packages):
            return level
    return None


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def imported(tree: ast.AST) -> list[tuple[str, int]]:
    """(module, line) of every absolute import in a module, function bodies included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = (
                [f"{node.module}.{a.name}" for a in node.names] if node.module == "rekap" else [node.module]
            )
            found += [(name, node.lineno) for name in names]
    return found


def rekap_modules() -> list[Path]:
    return sorted((REPO / "rekap").rglob("*.py"))


def test_every_module_belongs_to_a_stage() -> None:
    orphans = [module_name(p) for p in rekap_modules() if module_name(p) != "rekap"]
    assert [m for m in orphans if stage_of(m) is None] == []


def test_imports_point_down_the_stages() -> None:
    upward = []
    for path in rekap_modules():
        me = stage_of(module_name(path))
        if me is None:
            continue
        for target, line in imported(ast.parse(path.read_text(encoding="utf-8"))):
            theirs = stage_of(target)
            if theirs is not None and theirs > me:
                upward.append(f"{path.relative_to(REPO)}:{line} imports {target}")
    assert upward == []


def test_the_check_sees_an_upward_import() -> None:
    tree = ast.parse("def f():\n    from rekap.report.build import build_report\n")
    assert [stage_of(m) for m, _ in imported(tree)] == [stage_of("rekap.report")]
    assert stage_of("rekap.validation.batch") == 4 and stage_of("rekap.report.build") == 6


def test_the_stages_are_the_documented_ones() -> None:
    doc = (REPO / "docs" / "arsitektur.md").read_text(encoding="utf-8")
    for packages in STAGES:
        for package in packages:
            path = package.replace(".", "/")
            assert f"`{path}/`" in doc or f"`{path}.py`" in doc, package
