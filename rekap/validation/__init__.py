"""Validation: a run's parsed files as canonical frames, the Great Expectations suites over them, and
every finding located at its cell; `rekap periksa` checks files the same way without loading them."""
