"""Which URLs the fetcher may request: http(s) only, to the source's hosts, never to private networks.

A host entry in ``source.hosts`` is either ``name`` (matches that name on the default port of the
URL's scheme, 80 or 443) or ``name:port`` (matches exactly that port). Names compare
case-insensitively. So ``www.oukapalvelut.fi`` allows ``https://www.oukapalvelut.fi/...`` and
``http://www.oukapalvelut.fi/...`` but not ``http://www.oukapalvelut.fi:8080/...``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from .problem import failed

SCHEMES = {"http": 80, "https": 443}


def host_key(url: str) -> str:
    """The ``name`` or ``name:port`` form of a URL's host, as written in ``source.hosts``."""
    parts = urlsplit(url)
    name = (parts.hostname or "").lower()
    if ":" in name:
        name = f"[{name}]"
    port = parts.port
    if port is None or port == SCHEMES.get(parts.scheme.lower()):
        return name
    return f"{name}:{port}"


def _normalised_hosts(hosts: Iterable[str]) -> set[str]:
    return {host.strip().lower() for host in hosts}


def check_allowed(url: str, hosts: Iterable[str]) -> None:
    """Raise a FetchProblem unless the URL is http(s), has no credentials and is on an allowed host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise failed("url_refused", f"malformed URL: {exc}", url) from exc
    if parts.scheme.lower() not in SCHEMES:
        scheme = parts.scheme or "none"
        raise failed("url_refused", f"only http and https URLs are fetched, not {scheme!r}", url)
    if parts.username is not None or parts.password is not None:
        raise failed("url_refused", "URLs with credentials are not fetched", url)
    if not parts.hostname:
        raise failed("url_refused", "URL has no host", url)
    if host_key(url) not in _normalised_hosts(hosts):
        raise failed("url_refused", f"host {host_key(url)!r} is not one of the source's hosts", url)


def is_public_address(address: str) -> bool:
    """True for a globally routable address; loopback, private, link-local and the like are not."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str) -> list[str]:
    """Every address the host name resolves to (what the connection may end up using)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def check_public(url: str) -> None:
    """Raise a FetchProblem if the URL's host does not resolve, or resolves to a non-public address.

    Checked before each request; a host whose DNS answer changes between this check and the
    connection (DNS rebinding) is not caught here.
    """
    host = urlsplit(url).hostname or ""
    try:
        addresses = resolve(host)
    except (OSError, UnicodeError) as exc:
        raise failed("network", f"cannot resolve host {host!r}: {exc}", url) from exc
    private = [address for address in addresses if not is_public_address(address)]
    if private:
        raise failed(
            "url_refused",
            f"host {host!r} resolves to a private, loopback or link-local address ({', '.join(private)})",
            url,
        )


def check_url(url: str, hosts: Iterable[str], *, allow_private_hosts: bool = False) -> None:
    """All confinement checks for one request; raises a FetchProblem carrying the finding."""
    check_allowed(url, hosts)
    if not allow_private_hosts:
        check_public(url)
