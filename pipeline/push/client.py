"""A CKAN Action API client: one requests session, the fetcher's retry policy, errors that say what to do.

The token is read by the caller from CKAN_API_TOKEN and lives only in the session's Authorization
header: no message built here contains it (every text from the portal passes through ``redact``
before it goes into an exception). Connection errors, read timeouts, 429 and 5xx are retried with
exponential backoff by urllib3's Retry on the session's adapter, built by the fetcher's
``build_retry``; POST is retried too, because every CKAN action, reads included, is a POST here and
a write CKAN failed with 5xx was rolled back (a retried create that had in fact succeeded is found
by the next push's plan).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from pipeline.core.sources import FetchPolicy

from .. import __version__
from ..fetch.http import build_retry
from .errors import NotAuthorized, PushError, Rejected, TooLarge, Unavailable

# Backoff unit 0.5 s (1 / requests_per_second): waits of 0.5, 1, 2, 4 s over four retries.
CKAN_POLICY = FetchPolicy(requests_per_second=2.0, timeout_seconds=(10.0, 300.0), max_retries=4,
                          user_agent=f"hankedata/{__version__} push-ckan")
READ_ACTIONS = frozenset({"package_show", "package_search", "organization_show", "license_list", "status_show"})
TOO_LARGE_HINT = ("use --link-resources to link the files at their public URLs under public_base_url "
                  "instead of uploading them")


def redact(text: str, secret: str) -> str:
    """The text with every occurrence of the secret replaced."""
    return text.replace(secret, "[CKAN_API_TOKEN]") if secret else text


def build_session(token: str, policy: FetchPolicy = CKAN_POLICY) -> requests.Session:
    """A session that retries every action (POST included) and sends the token as CKAN expects."""
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc credentials picked up from the environment
    session.headers["User-Agent"] = policy.user_agent
    if token:
        session.headers["Authorization"] = token
    retry = build_retry(policy).new(allowed_methods=frozenset({"GET", "POST"}))
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def flatten_errors(error: Any, prefix: str = "") -> list[str]:
    """CKAN's nested validation errors as 'field: message' lines (lists of dicts index their items)."""
    if isinstance(error, Mapping):
        return [line for key, value in error.items() if key not in ("__type", "message")
                for line in flatten_errors(value, f"{prefix}.{key}" if prefix else str(key))]
    if isinstance(error, list) and any(isinstance(item, Mapping | list) for item in error):
        return [line for i, item in enumerate(error) for line in flatten_errors(item, f"{prefix}[{i}]")]
    if isinstance(error, list):
        return [f"{prefix}: {'; '.join(str(item) for item in error)}"] if error else []
    return [f"{prefix}: {error}"] if prefix else [str(error)]


def _form(data: Mapping[str, Any]) -> dict[str, str]:
    """Fields of a multipart upload: text values, structured ones as JSON."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items() if v is not None}


def _error_of(response: requests.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else body


class CkanClient:
    """Calls actions of one portal; counts the writes it made."""

    def __init__(self, url: str, token: str, *, organization: str = "", policy: FetchPolicy = CKAN_POLICY,
                 session: requests.Session | None = None) -> None:
        self.base = url.rstrip("/")
        self.organization = organization
        self.policy = policy
        self._token = token
        self.session = session or build_session(token, policy)
        self.writes = 0

    def close(self) -> None:
        """Release pooled connections."""
        self.session.close()

    def call(self, action: str, data: Mapping[str, Any] | None = None, *, upload: Path | None = None,
             what: str = "") -> Any:
        """Run an action and return its result; a PushError (or subclass) says why not."""
        url = f"{self.base}/api/3/action/{action}"
        if action not in READ_ACTIONS:
            self.writes += 1
        try:
            if upload is None:
                response = self.session.post(url, json=dict(data or {}), timeout=self.policy.timeout_seconds)
            else:
                with upload.open("rb") as handle:
                    response = self.session.post(url, data=_form(data or {}), files={"upload": (upload.name, handle)},
                                                 timeout=self.policy.timeout_seconds)
        except requests.RequestException as exc:
            reason = redact(f"{type(exc).__name__}: {exc}", self._token)
            raise Unavailable(f"{action}{self._about(what)}: no answer from {self.base} after "
                              f"{self.policy.max_retries} retries ({reason})") from None
        return self._result(action, what, response, upload)

    def show(self, action: str, data: Mapping[str, Any], what: str = "") -> Any | None:
        """A read whose object may be missing: None for CKAN's 404."""
        try:
            return self.call(action, data, what=what)
        except _NotFound:
            return None

    def _about(self, what: str) -> str:
        return f" ({what})" if what else ""

    def _result(self, action: str, what: str, response: requests.Response, upload: Path | None) -> Any:
        status = response.status_code
        error = _error_of(response)
        about = f"{action}{self._about(what)}"
        if status == 200 and error is None:
            return response.json().get("result")
        message = redact(self._message(error, response), self._token)
        if status in (401, 403):
            org = f" on organization {self.organization!r}" if self.organization else ""
            raise NotAuthorized(f"CKAN refused {about} (HTTP {status}: {message}): the token in CKAN_API_TOKEN "
                                f"is not valid or lacks the rights to do this{org}")
        if upload is not None and (status == 413 or "too large" in message.lower()):
            size = upload.stat().st_size
            raise TooLarge(f"CKAN refused the upload of {upload.name} ({size:,} bytes) for {about} as too large "
                           f"for the portal (HTTP {status}: {message}); {TOO_LARGE_HINT}")
        if status == 404:
            raise _NotFound(f"{about}: not found (HTTP 404: {message})")
        if status in (400, 409):
            raise Rejected(f"CKAN rejected {about} (HTTP {status}): {message}")
        raise Unavailable(f"CKAN could not do {about} (HTTP {status}) after {self.policy.max_retries} retries: "
                          f"{message}")

    def _message(self, error: Any, response: requests.Response) -> str:
        if isinstance(error, Mapping):
            lines = flatten_errors(error)
            head = str(error.get("message") or error.get("__type") or "")
            return "; ".join([head, *lines] if head and lines else (lines or [head]))
        if error is not None:
            return str(error)
        return f"no JSON in the answer: {response.text[:200]!r}"


class _NotFound(PushError):
    """CKAN's 404, which `show` turns into None."""
