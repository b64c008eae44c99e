"""A polite HTTP client for one source: retries, rate limit, confinement, redirects and body limits.

Retries of connection errors, read timeouts, 429 and 5xx are done by urllib3's ``Retry`` on the
session's adapter (it honours ``Retry-After``). The backoff unit is the source's request interval
(1 / requests_per_second), so a retry never comes sooner than the rate limit allows and tests that
declare a high rate run fast. Redirects are followed here, not by requests, so every hop is
checked against the source's hosts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pipeline.core.sources import FetchPolicy

from .confine import check_url
from .problem import FetchProblem, failed

MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_MAX = 120
BACKOFF_MAX = 60.0
CHUNK_BYTES = 64 * 1024

Gate = Callable[[str], None]
"""Asked before each request (robots.txt); raises a FetchProblem to stop it."""


class SpacedRetry(Retry):
    """urllib3 Retry whose every wait is at least ``min_interval``, so retries obey the rate limit."""

    min_interval: float = 0.0

    def new(self, **kw: object) -> SpacedRetry:
        """Keep ``min_interval`` on the copies urllib3 makes at each attempt."""
        retry = super().new(**kw)
        retry.min_interval = self.min_interval
        return retry

    def get_backoff_time(self) -> float:
        """Exponential backoff, but never shorter than the request interval."""
        return max(self.min_interval, super().get_backoff_time())

    def get_retry_after(self, response: object) -> float | None:
        """The server's Retry-After (capped by urllib3), but never shorter than the request interval."""
        seconds = super().get_retry_after(response)  # type: ignore[arg-type]
        return None if seconds is None else max(self.min_interval, seconds)


def interval(policy: FetchPolicy) -> float:
    """Seconds between request starts for this policy."""
    return 1.0 / policy.requests_per_second if policy.requests_per_second > 0 else 0.0


def build_retry(policy: FetchPolicy) -> SpacedRetry:
    """Retry connection errors, read timeouts, 429 and 5xx with exponential backoff; never redirects."""
    retry = SpacedRetry(
        total=policy.max_retries,
        connect=policy.max_retries,
        read=policy.max_retries,
        status=policy.max_retries,
        other=0,
        redirect=False,
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=interval(policy),
        backoff_max=BACKOFF_MAX,
        retry_after_max=RETRY_AFTER_MAX,
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    retry.min_interval = interval(policy)
    return retry


def build_session(policy: FetchPolicy) -> requests.Session:
    """A session with the source's User-Agent and retrying adapters for http and https."""
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc credentials picked up from the environment
    session.headers["User-Agent"] = policy.user_agent
    adapter = HTTPAdapter(max_retries=build_retry(policy))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class RateLimiter:
    """At most one request start per interval; waits (sleeps) rather than refusing."""

    def __init__(
        self,
        seconds: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        """Block until the next request may start, and book that slot."""
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.seconds


@dataclass(frozen=True)
class Page:
    """A fetched response, body read in full and checked."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


def declared_length(response: requests.Response) -> int | None:
    """The Content-Length of a response, if present and a number."""
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() else None


def read_body(response: requests.Response, max_bytes: int) -> bytes:
    """Stream the body, stopping past ``max_bytes``; a short body raises ChunkedEncodingError."""
    length = declared_length(response)
    if length is not None and length > max_bytes:
        raise failed("too_large", f"body of {length} bytes declared, limit is {max_bytes}", response.url)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise failed("too_large", f"body exceeds the limit of {max_bytes} bytes", response.url)
        chunks.append(chunk)
    body = b"".join(chunks)
    if length is not None and "Content-Encoding" not in response.headers and len(body) != length:
        raise requests.exceptions.ChunkedEncodingError(f"got {len(body)} of {length} bytes")
    return body


class Client:
    """Fetches pages of one source, one request at a time, within its hosts and rate limit."""

    def __init__(
        self,
        policy: FetchPolicy,
        hosts: tuple[str, ...],
        *,
        allow_private_hosts: bool = False,
        session: requests.Session | None = None,
    ) -> None:
        self.policy = policy
        self.hosts = hosts
        self.allow_private_hosts = allow_private_hosts
        self.session = session or build_session(policy)
        self.limiter = RateLimiter(interval(policy))

    def close(self) -> None:
        """Release pooled connections."""
        self.session.close()

    def check(self, url: str) -> None:
        """Confinement checks; raises a FetchProblem for a URL this client must not request."""
        check_url(url, self.hosts, allow_private_hosts=self.allow_private_hosts)

    def open(
        self, url: str, headers: Mapping[str, str] | None = None, *, may_fetch: Gate | None = None
    ) -> tuple[requests.Response, str]:
        """GET with headers, following at most MAX_REDIRECTS redirects that stay within the hosts.

        ``may_fetch`` (robots.txt) is asked before each hop. Returns the open, streaming
        response and the URL it came from; the caller closes it.
        """
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self.check(current)
            if may_fetch is not None:
                may_fetch(current)
            response = self._get(current, headers)
            if not response.is_redirect:
                return response, current
            target = urljoin(current, response.headers["Location"])
            response.close()
            try:
                self.check(target)
            except FetchProblem as exc:
                problem = failed("redirect_refused", f"redirect from {current} refused: {exc}", target)
                raise problem from exc
            current = target
        raise failed("too_many_redirects", f"more than {MAX_REDIRECTS} redirects", url)

    def _get(self, url: str, headers: Mapping[str, str] | None) -> requests.Response:
        self.limiter.wait()
        try:
            return self.session.get(
                url,
                headers=dict(headers or {}),
                timeout=self.policy.timeout_seconds,
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            message = f"request failed after retries: {type(exc).__name__}: {exc}"
            raise failed("network", message, url) from exc

    def fetch(
        self, url: str, headers: Mapping[str, str] | None = None, *, may_fetch: Gate | None = None
    ) -> Page:
        """Open the URL and read its whole body; a truncated body is fetched again (up to max_retries)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._fetch_once(url, headers, may_fetch)
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
                if attempt > self.policy.max_retries:
                    message = f"body incomplete after {attempt} attempts: {type(exc).__name__}: {exc}"
                    raise failed("truncated", message, url) from exc
                time.sleep(self.limiter.seconds * 2 ** (attempt - 1))
            except requests.RequestException as exc:
                raise failed("network", f"reading the body failed: {type(exc).__name__}: {exc}", url) from exc

    def _fetch_once(self, url: str, headers: Mapping[str, str] | None, may_fetch: Gate | None) -> Page:
        response, final_url = self.open(url, headers, may_fetch=may_fetch)
        with response:
            body = b"" if response.status_code == 304 else read_body(response, self.policy.max_body_bytes)
            return Page(url, final_url, response.status_code, response.headers, body)
