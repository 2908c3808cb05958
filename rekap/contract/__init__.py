"""The contract every stage shares: the columns and identity fields of a submission, the rules and their
words for the OPD, the report's tables, the calendar of quarters, and numbers as Indonesians read them.
It imports nothing else of rekap-ke."""
