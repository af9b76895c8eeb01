"""Errors shared by the validator wrappers (stdlib only, so the CLIs run anywhere)."""


class ValidatorUnavailable(RuntimeError):
    """An outside parser is not installed here (say which and how to install it)."""
