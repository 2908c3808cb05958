"""`python -m sample [OUT_DIR]`: regenerate the bundled sample in OUT_DIR (default `sample/lebak-2024`, where
`rekap demo` reads it), its correction in OUT_DIR/../perbaikan and the household counts in
OUT_DIR/../sasaran."""

from __future__ import annotations

import sys
from pathlib import Path

from rekap.settings import SAMPLE_DIR
from sample.recipe import Recipe, build
from sample.write import write_correction, write_household_counts, write_sample


def main(argv: list[str] | None = None) -> None:
    """Regenerate the bundled sample (see the module's docstring)."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else SAMPLE_DIR
    sample = build(Recipe())
    write_sample(sample, out_dir)
    correction = write_correction(sample, out_dir.parent / "perbaikan")
    counts = write_household_counts(sample, out_dir.parent / "sasaran")
    print(f"{len(sample.files)} files written to {out_dir}; the correction: {correction}; counts: {counts}")


if __name__ == "__main__":
    main()
