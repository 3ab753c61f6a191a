"""Errors a user can fix; the CLI prints them without a traceback and exits non-zero."""


class UserError(Exception):
    """A mistake in input or environment, reported as one clear message."""

    exit_code = 2
