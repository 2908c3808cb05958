"""The error a run stops with when the steward or operator must act (its message is for them)."""


class RunError(Exception):
    """The run could not proceed; the message is for the steward, in Bahasa Indonesia."""
