"""The `rekap` command of the data stewards (`rekap.cli.main`); its messages are in Bahasa Indonesia."""
