"""Errors the CLI turns into one clear line and a non-zero exit (no traceback without --debug)."""


class UserError(Exception):
    """A problem the user can fix: bad argument, missing input, malformed configuration."""

    exit_code = 2


class ConfigError(UserError):
    """A source.yml or params.yaml that cannot be used as it is."""
