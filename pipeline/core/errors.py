"""Errors the CLI turns into one clear line and a non-zero exit (no traceback without --debug)."""


class UserError(Exception):
    """A problem the user can fix: bad argument, missing input, malformed configuration."""

    exit_code = 2


class ConfigError(UserError):
    """A source.yml or params.yaml that cannot be used as it is."""


def yaml_problem(exc: Exception) -> str:
    """A YAML parser error as one line: what is wrong and where (line, column)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["malformed"])[0]
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{problem}{where}"
