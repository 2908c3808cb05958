"""Prefect flows of rekap-ke."""
