"""Benchmarks of rekap-ke at national scale: `python -m bench.generate` writes the data,
`python -m bench.run` measures a quarter on it (see docs/skala.md)."""
