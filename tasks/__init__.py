"""Prefect tasks: thin wrappers that carry the policy (retries, logging, artifacts) around the plain
functions in `rekap/`."""
