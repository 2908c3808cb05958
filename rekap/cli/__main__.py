"""`python -m rekap.cli`: the same as the `rekap` command."""

from rekap.cli.main import main

raise SystemExit(main())
