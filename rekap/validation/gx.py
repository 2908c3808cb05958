"""The Great Expectations suites kept as JSON in `expectations/`, built once per process and run over the
canonical frames of a run."""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from typing import Any

import pandas as pd

from rekap.settings import EXPECTATIONS_DIR


@cache
def load_suite(name: str) -> dict[str, Any]:
    """A suite as stored in `expectations/<name>.json`."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def gx_validation(name: str):
    """The GX validation definition for a suite, built once per process (GX import costs seconds):
    `run_suite` validates batches of its batch definition against its suite."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.execution_engine import pandas_execution_engine
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    # GX fingerprints every batch it is given under 1 GB (an MD5 over `hash_pandas_object` of the whole
    # frame) for batch markers nothing here reads, once for the batch and again for each validation: a
    # fifth of validating a national batch. Frames over the threshold are not fingerprinted; with the
    # threshold at 0 none is (tests/test_rules_corpus.py checks that it still holds).
    pandas_execution_engine.HASH_THRESHOLD = 0
    # In memory, and no Data Docs site: the default ephemeral context leaves a temp folder per context.
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False), data_docs_sites={}
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(f"rekap-{name}")
    batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("run")
    suite = gx.ExpectationSuite(name=name)
    for exp in load_suite(name)["expectations"]:
        # add_expectation appends; add_expectation_configuration would upsert by (type, column) and
        # silently drop a second rule on the same column (R05 and R07 are both regexes on each amount).
        suite.add_expectation(ExpectationConfiguration(**exp).to_domain_obj())
    suite = context.suites.add(suite)
    return context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))


@cache
def suite_columns(name: str) -> list[str]:
    """`row_id` and the columns a suite's expectations look at, in frame order."""
    used = {"row_id"}
    for exp in load_suite(name)["expectations"]:
        kwargs = exp["kwargs"]
        used |= {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
        used |= set(kwargs.get("column_list", []))
    return sorted(used)


# What GX returns for a failing expectation: every failing row, by its row_id.
_EVERY_FAILING_ROW = {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_id"]}


def run_suite(name: str, frame: pd.DataFrame) -> list[tuple[str, int, list[str]]]:
    """Run a suite over a frame; (rule id, row_id, columns involved) for every failing row.

    In two passes: the whole suite first asking only whether each expectation holds (`BOOLEAN_ONLY`),
    then a suite of the expectations that failed, asking for every failing row (`COMPLETE`). GX's cost is
    mostly per expectation and per metric asked for, and most expectations hold: a one-file run costs
    half, a national batch of 60,000 rows less, and the failing rows are the same.
    """
    if frame.empty:
        return []
    import great_expectations as gx

    validation = gx_validation(name)
    # Only the columns the suite reads: GX copies the frame for each expectation it evaluates.
    batch = validation.data.get_batch(batch_parameters={"dataframe": frame[suite_columns(name)]})
    holds = batch.validate(validation.suite, result_format="BOOLEAN_ONLY")
    failed = [outcome for outcome in holds.results if not outcome.success]
    if not failed:
        return []
    for outcome in failed:
        _raise_if_not_run(outcome)
    # Copies: an expectation belongs to one suite.
    again = gx.ExpectationSuite(
        name=f"{name}-gagal", expectations=[copy.copy(o.expectation_config.to_domain_obj()) for o in failed]
    )
    failures = []
    for r in batch.validate(again, result_format=_EVERY_FAILING_ROW).results:
        _raise_if_not_run(r)
        kwargs = r.expectation_config.kwargs
        columns = [kwargs[k] for k in ("column", "column_B", "column_A") if k in kwargs]
        columns += list(kwargs.get("column_list", []))
        for item in r.result.get("unexpected_index_list") or []:
            failures.append((r.expectation_config.meta["aturan"], int(item["row_id"]), columns))
    return failures


def _raise_if_not_run(outcome: Any) -> None:
    """An expectation that raised is a bug of ours or of GX, never a finding for the OPD. GX puts the error
    in `exception_info` itself, or (for a metric that failed) one level down, keyed by metric."""
    info = outcome.exception_info or {}
    raised = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    if any(i.get("raised_exception") for i in raised):
        expectation = outcome.expectation_config.type
        raise RuntimeError(f"GX expectation {expectation} failed to run: {info}")
