"""Why a push failed, each with its own exit code so scripts and CI can tell them apart.

0 success, 2 bad arguments or outputs/ (UserError), 4 internal error and 130 interrupted are the
codes every hankedata command shares; these are push-ckan's own.
"""

from __future__ import annotations

from pipeline.core.errors import UserError

EXIT_NOT_AUTHORIZED = 5
EXIT_REJECTED = 6
EXIT_TOO_LARGE = 7
EXIT_UNAVAILABLE = 8


class PushError(UserError):
    """A push that CKAN refused or could not take."""


class NotAuthorized(PushError):
    """HTTP 401/403: the token is invalid or has no rights on the organization."""

    exit_code = EXIT_NOT_AUTHORIZED


class Rejected(PushError):
    """HTTP 409 (CKAN's per-field validation messages), 400, or a dataset name taken by another dataset."""

    exit_code = EXIT_REJECTED


class TooLarge(PushError):
    """An upload over the portal's size limit (409 "File upload too large", or 413 from its web server)."""

    exit_code = EXIT_TOO_LARGE


class Unavailable(PushError):
    """The portal did not answer, or answered 5xx or no JSON, after the retries."""

    exit_code = EXIT_UNAVAILABLE
