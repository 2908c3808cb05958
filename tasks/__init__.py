"""Prefect tasks: the policy of each step of a quarter (names, retries, caching, logs, artifacts) around
the plain functions of `rekap/` and the machinery of `rekap.runtime`."""
