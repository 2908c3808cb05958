"""docs/aturan.md, the rule catalogue (rekap.contract.rules.RULES) and the places that enforce the rules
agree."""

from __future__ import annotations

import json
import re

import pytest

from rekap.contract.rules import RULES
from rekap.settings import EXPECTATIONS_DIR, REPO, SQL_DIR

DOC = REPO / "docs" / "aturan.md"
RULE_ID = re.compile(r"^[A-Z]\d\d$")
# Python modules that enforce rules (globs under the repository), and how a rule id appears in them.
ENFORCING_MODULES = {
    "rekap/**/*.py": re.compile(r'\bProblem\(\s*"([A-Z]\d\d)"'),  # readers; a file that did not finish
    "rekap/validation/canonical.py": re.compile(r'"(W\d\d)"'),  # repairs made while canonicalizing
    "rekap/load/sasaran.py": re.compile(r'\bat\(\s*"(R2\d)"'),  # the household-count file
}


def doc_rows() -> list[list[str]]:
    """The cells of every rule row of the table in docs/aturan.md."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and RULE_ID.match(cells[0]):
            rows.append(cells)
    return rows


def suites() -> dict[str, dict]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTATIONS_DIR.glob("*.json"))
    }


def enforcement() -> dict[str, set[str]]:
    """Rule id -> every file that enforces it, found in the code, the suites and sql/checks."""
    found: dict[str, set[str]] = {}
    for name, suite in suites().items():
        for exp in suite["expectations"]:
            found.setdefault(exp["meta"]["aturan"], set()).add(f"expectations/{name}")
    for path in sorted((SQL_DIR / "checks").glob("*.sql")):
        found.setdefault(path.name.split("_")[0], set()).add(f"sql/checks/{path.name}")
    for glob, pattern in ENFORCING_MODULES.items():
        for path in sorted(REPO.glob(glob)):
            for rule in pattern.findall(path.read_text(encoding="utf-8")):
                found.setdefault(rule, set()).add(str(path.relative_to(REPO)))
    return found


def test_doc_table_lists_every_rule_as_the_catalogue_says() -> None:
    got = [tuple(cells[:5]) for cells in doc_rows()]
    want = [(r.id, r.tingkat, r.where, r.pesan, r.cara_memperbaiki) for r in RULES.values()]
    assert got == want


def test_doc_names_where_each_rule_is_enforced() -> None:
    documented = {cells[0]: set(re.findall(r"`([^`]+)`", cells[5])) for cells in doc_rows()}
    assert documented == enforcement()


def test_every_rule_is_enforced_somewhere_and_every_enforcer_names_a_known_rule() -> None:
    found = enforcement()
    assert set(found) <= set(RULES), set(found) - set(RULES)
    assert set(RULES) <= set(found), set(RULES) - set(found)


def test_every_expectation_names_a_rule_and_every_check_file_is_a_rule() -> None:
    for name, suite in suites().items():
        for exp in suite["expectations"]:
            assert exp["meta"]["aturan"] in RULES, (name, exp)
    for path in (SQL_DIR / "checks").glob("*.sql"):
        assert re.match(r"^[A-Z]\d\d_[a-z0-9_]+\.sql$", path.name), path.name
        assert path.name.split("_")[0] in RULES, path.name


@pytest.mark.parametrize("name", ["identitas", "realisasi"])
def test_gx_runs_every_expectation_of_the_suite(name: str) -> None:
    """GX upserts expectations by (type, column): two rules on one column must both survive."""
    from rekap.validation.gx import gx_validation, load_suite

    built = [e.configuration.meta["aturan"] for e in gx_validation(name).suite.expectations]
    assert built == [e["meta"]["aturan"] for e in load_suite(name)["expectations"]]


def test_doc_paths_exist() -> None:
    for cells in doc_rows():
        for path in re.findall(r"`([^`]+)`", cells[5]):
            assert (REPO / path).is_file(), path


def test_rules_are_worded_for_the_opd() -> None:
    for rule in RULES.values():
        assert rule.pesan and rule.cara_memperbaiki, rule.id
        assert "|" not in rule.pesan + rule.cara_memperbaiki, rule.id  # would break the doc table
