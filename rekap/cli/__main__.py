"""`python -m rekap.cli`: the same as the `rekap` command."""

from rekap.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
