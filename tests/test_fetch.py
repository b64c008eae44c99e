"""The fetcher against a real HTTP server on 127.0.0.1 (tests/fetch_server.py), faults included."""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fetch_server import FixtureServer, Reply

from pipeline.core import atomic as atomic_module
from pipeline.core.errors import UserError
from pipeline.core.sources import FetchPolicy, Source, source_by_key
from pipeline.fetch import FetchReport, fetch_cards
from pipeline.fetch import snapshot as snapshot_module
from pipeline.fetch.confine import check_url, host_key, is_public_address
from pipeline.fetch.discover import card_ids_in, ordered_ids, range_ids
from pipeline.fetch.http import RateLimiter
from pipeline.fetch.problem import FetchProblem
from pipeline.fetch.snapshot import is_valid_native_id, page_file_name

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
CARD_686 = (FIXTURES / "card-686.html").read_bytes()
CARD_544_LATIN1 = (FIXTURES / "card-544-latin1.html").read_bytes()
LISTING = (FIXTURES / "listing.html").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}
UA = "hankedata-test/1.0 (+tests)"


def card_path(native_id: str) -> str:
    return f"/Hankekortti1.asp?ID={native_id}"


def make_source(server: FixtureServer, *, hosts: tuple[str, ...] | None = None, **policy: object) -> Source:
    """The real Oulu declaration pointed at the test server; fast retries and rate limit unless overridden."""
    settings = {
        "requests_per_second": 200.0,
        "timeout_seconds": (1.0, 0.3),
        "max_retries": 2,
        "max_body_bytes": 100_000,
        "user_agent": UA,
        **policy,
    }
    return replace(
        source_by_key("oulu-hanketietokanta"),
        page_url=server.url("/Hankekortti1.asp?ID={id}"),
        hosts=hosts or (server.netloc,),
        fetch=FetchPolicy(**settings),  # type: ignore[arg-type]
        discover={},
    )


def run(source: Source, folder: Path, ids: list[str] | None, **kwargs: object) -> FetchReport:
    return fetch_cards(source, folder, ids, allow_private_hosts=True, **kwargs)  # type: ignore[arg-type]


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def checks(report: FetchReport) -> list[tuple[str, str, str]]:
    return [(native_id, finding.check, finding.severity) for native_id, finding in report.findings]


def counts(report: FetchReport) -> tuple[int, int, int, int, int]:
    return (report.requested, report.downloaded, report.not_modified, report.failed, report.skipped)


@pytest.fixture
def server():
    started = FixtureServer().start()
    yield started
    started.stop()


@pytest.fixture
def other_server():
    started = FixtureServer().start()
    yield started
    started.stop()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "snapshot"


# --- downloading and the manifest -------------------------------------------------------------


def test_downloads_cards_and_records_provenance(server: FixtureServer, folder: Path) -> None:
    server.route(
        card_path("686"),
        Reply(body=CARD_686, headers={**HTML, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}, etag='"a1"'),
    )
    server.route(card_path("544"), Reply(body=CARD_544_LATIN1, headers=HTML))
    calls: list[tuple[int, int]] = []

    report = run(
        make_source(server), folder, ["686", "544"], progress=lambda done, total: calls.append((done, total))
    )

    assert counts(report) == (2, 2, 0, 0, 0)
    assert report.findings == []
    assert calls == [(1, 2), (2, 2)]
    assert (folder / "686.html").read_bytes() == CARD_686
    assert server.requests_for(card_path("686"))[0].headers["User-Agent"] == UA
    text = (folder / "manifest.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert [page["file"] for page in data["pages"]] == ["544.html", "686.html"]
    page = data["pages"][1]
    assert page["native_id"] == "686"
    assert page["url"] == page["final_url"] == server.url(card_path("686"))
    assert page["status"] == 200
    assert page["content_type"] == "text/html; charset=utf-8"
    assert page["etag"] == '"a1"'
    assert page["last_modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", page["retrieved_at"])
    assert page["bytes"] == len(CARD_686)
    assert page["sha256"] == snapshot_module.sha256_hex(CARD_686)
    assert data["findings"] == []


def test_unchanged_card_is_not_downloaded_again(server: FixtureServer, folder: Path) -> None:
    headers = {**HTML, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}
    server.route(card_path("686"), Reply(body=CARD_686, headers=headers, etag='"v1"'))
    source = make_source(server)
    run(source, folder, ["686"])
    before = (folder / "manifest.json").read_bytes()

    report = run(source, folder, ["686"])

    assert counts(report) == (1, 0, 1, 0, 0)
    second = server.requests_for(card_path("686"))[1]
    assert second.headers["If-None-Match"] == '"v1"'
    assert second.headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert (folder / "686.html").read_bytes() == CARD_686
    assert (folder / "manifest.json").read_bytes() == before


def test_edited_stored_copy_is_fetched_without_validators(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML, etag='"v1"'))
    source = make_source(server)
    run(source, folder, ["686"])
    (folder / "686.html").write_bytes(b"edited by hand")

    report = run(source, folder, ["686"])

    assert report.downloaded == 1
    assert "If-None-Match" not in server.requests_for(card_path("686"))[1].headers
    assert (folder / "686.html").read_bytes() == CARD_686


def test_entries_of_cards_not_fetched_this_time_are_kept(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML))
    server.route(card_path("544"), Reply(body=CARD_544_LATIN1, headers=HTML))
    source = make_source(server)
    run(source, folder, ["686", "9"])

    run(source, folder, ["544"])

    data = manifest(folder)
    assert [page["file"] for page in data["pages"]] == ["544.html", "686.html"]
    assert [(entry["native_id"], entry["check"]) for entry in data["findings"]] == [
        ("9", "fetch.no_such_card")
    ]


def test_wrong_charset_header_bytes_stored_as_received(server: FixtureServer, folder: Path) -> None:
    server.route(
        card_path("544"), Reply(body=CARD_544_LATIN1, headers={"Content-Type": "text/html; charset=UTF-8"})
    )

    run(make_source(server), folder, ["544"])

    assert (folder / "544.html").read_bytes() == CARD_544_LATIN1
    assert manifest(folder)["pages"][0]["content_type"] == "text/html; charset=UTF-8"


def test_card_from_a_non_canonical_host_is_named_after_it(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML))
    source = make_source(server, hosts=("www.oukapalvelut.fi", server.netloc))

    run(source, folder, ["686"])

    assert (folder / f"686-127-0-0-1-{server.port}.html").read_bytes() == CARD_686


# --- retries, timeouts, truncation, size ------------------------------------------------------


def test_5xx_retried_then_success(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(500), Reply(503), Reply(body=CARD_686, headers=HTML))

    report = run(make_source(server), folder, ["686"])

    assert counts(report) == (1, 1, 0, 0, 0)
    assert len(server.requests_for(card_path("686"))) == 3
    assert (folder / "686.html").read_bytes() == CARD_686


def test_5xx_after_all_retries_keeps_previous_copy(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML), Reply(503, b"down"))
    source = make_source(server)
    run(source, folder, ["686"])

    report = run(source, folder, ["686"])

    assert counts(report) == (1, 0, 0, 1, 0)
    assert checks(report) == [("686", "fetch.http_status", "error")]
    assert len(server.requests_for(card_path("686"))) == 1 + 3  # first run, then 1 try + 2 retries
    assert (folder / "686.html").read_bytes() == CARD_686
    assert manifest(folder)["findings"][0]["message"] == "HTTP 503; stored copy kept"


def test_429_waits_for_retry_after(server: FixtureServer, folder: Path) -> None:
    server.route(
        card_path("686"), Reply(429, headers={"Retry-After": "1"}), Reply(body=CARD_686, headers=HTML)
    )

    report = run(make_source(server), folder, ["686"])

    first, second = server.requests_for(card_path("686"))
    assert report.downloaded == 1
    assert second.at - first.at >= 0.9


def test_slow_response_is_a_timeout_finding(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML, delay=0.8))

    report = run(make_source(server, timeout_seconds=(1.0, 0.2), max_retries=1), folder, ["686"])

    assert counts(report) == (1, 0, 0, 1, 0)
    assert checks(report) == [("686", "fetch.network", "error")]
    assert "Timeout" in report.findings[0][1].message
    assert len(server.requests_for(card_path("686"))) == 2
    assert not (folder / "686.html").exists()


def test_truncated_body_is_retried(server: FixtureServer, folder: Path) -> None:
    server.route(
        card_path("686"),
        Reply(body=CARD_686, headers=HTML, send_bytes=500),
        Reply(body=CARD_686, headers=HTML),
    )

    report = run(make_source(server), folder, ["686"])

    assert report.downloaded == 1
    assert (folder / "686.html").read_bytes() == CARD_686


def test_body_still_truncated_after_retries_is_not_stored(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML, send_bytes=500))

    report = run(make_source(server), folder, ["686"])

    assert counts(report) == (1, 0, 0, 1, 0)
    assert checks(report) == [("686", "fetch.truncated", "error")]
    assert len(server.requests_for(card_path("686"))) == 3
    assert not (folder / "686.html").exists()
    assert manifest(folder)["pages"] == []


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_oversized_body_is_refused(server: FixtureServer, folder: Path, declared: bool) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML, content_length=declared))

    report = run(make_source(server, max_body_bytes=1000), folder, ["686"])

    assert counts(report) == (1, 0, 0, 1, 0)
    assert checks(report) == [("686", "fetch.too_large", "error")]
    assert not (folder / "686.html").exists()


# --- redirects and confinement ----------------------------------------------------------------


def test_redirect_to_another_host_is_refused(
    server: FixtureServer, other_server: FixtureServer, folder: Path
) -> None:
    server.route(card_path("686"), Reply(302, headers={"Location": other_server.url(card_path("686"))}))
    other_server.route(card_path("686"), Reply(body=b"elsewhere", headers=HTML))

    report = run(make_source(server), folder, ["686"])

    assert checks(report) == [("686", "fetch.redirect_refused", "error")]
    assert other_server.seen == []
    assert not (folder / "686.html").exists()


def test_redirect_within_allowed_hosts_is_followed(
    server: FixtureServer, other_server: FixtureServer, folder: Path
) -> None:
    target = other_server.url("/uusi/Hankekortti1.asp?ID=686")
    server.route(card_path("686"), Reply(301, headers={"Location": target}))
    other_server.route("/uusi/Hankekortti1.asp?ID=686", Reply(body=CARD_686, headers=HTML))

    report = run(make_source(server, hosts=(server.netloc, other_server.netloc)), folder, ["686"])

    assert report.downloaded == 1
    assert (folder / "686.html").read_bytes() == CARD_686
    page = manifest(folder)["pages"][0]
    assert (page["url"], page["final_url"]) == (server.url(card_path("686")), target)


def test_redirect_to_file_url_is_refused(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(302, headers={"Location": "file:///etc/passwd"}))

    report = run(make_source(server), folder, ["686"])

    assert checks(report) == [("686", "fetch.redirect_refused", "error")]
    assert "file" in report.findings[0][1].message


def test_redirect_loop_stops(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(302, headers={"Location": card_path("686")}))

    report = run(make_source(server), folder, ["686"])

    assert checks(report) == [("686", "fetch.too_many_redirects", "error")]
    assert len(server.requests_for(card_path("686"))) == 6


def test_file_page_url_is_refused(server: FixtureServer, folder: Path) -> None:
    source = replace(make_source(server), page_url="file:///etc/passwd#{id}")

    report = run(source, folder, ["686"])

    assert checks(report) == [("686", "fetch.url_refused", "error")]
    assert not (folder / "686.html").exists()


def test_private_host_refused_without_opt_in(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML))

    report = fetch_cards(make_source(server), folder, ["686"])

    assert checks(report) == [("686", "fetch.url_refused", "error")]
    assert "loopback" in report.findings[0][1].message
    assert server.seen == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.oukapalvelut.fi/x?ID=1", True),
        ("http://WWW.oukapalvelut.fi:80/x", True),
        ("http://www.oukapalvelut.fi:8080/x", False),
        ("https://evil.example/x", False),
        ("ftp://www.oukapalvelut.fi/x", False),
        ("file:///etc/passwd", False),
        ("https://user:pw@www.oukapalvelut.fi/x", False),
        ("http://127.0.0.1:8000/x", True),
    ],
)
def test_only_http_urls_on_listed_hosts_are_allowed(url: str, allowed: bool) -> None:
    hosts = ("www.oukapalvelut.fi", "127.0.0.1:8000")
    try:
        check_url(url, hosts, allow_private_hosts=True)
        outcome = True
    except FetchProblem as problem:
        assert problem.finding.check == "fetch.url_refused"
        outcome = False
    assert outcome is allowed


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:192.168.0.1", False),
        ("93.184.216.34", True),
        ("2606:4700::1", True),
    ],
)
def test_private_addresses_are_recognised(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_localhost_name_is_refused_as_loopback() -> None:
    with pytest.raises(FetchProblem, match="loopback"):
        check_url("http://localhost/x", ("localhost",))


def test_host_key_names_port_only_when_not_default() -> None:
    assert host_key("https://Example.FI:443/a") == "example.fi"
    assert host_key("http://example.fi:8080/a") == "example.fi:8080"


# --- ids, discovery, robots ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../etc/passwd", "1/..", "..", "", "1.html", "1 2", "ä"])
def test_path_traversal_and_odd_ids_are_rejected(server: FixtureServer, folder: Path, bad: str) -> None:
    server.route(card_path("1"), Reply(body=CARD_686, headers=HTML))

    report = run(make_source(server), folder, [bad, "1"])

    assert counts(report) == (2, 1, 0, 1, 0)
    assert checks(report) == [(bad, "fetch.invalid_id", "error")]
    assert sorted(path.name for path in folder.parent.rglob("*") if path.is_file()) == [
        ".manifest.json.lock",
        "1.html",
        "manifest.json",
    ]
    assert [seen.path for seen in server.seen if seen.path != "/robots.txt"] == [card_path("1")]


def test_unsafe_id_never_becomes_a_file_name() -> None:
    assert is_valid_native_id("A_1-b")
    with pytest.raises(ValueError, match="unsafe"):
        page_file_name("../x", "https://www.oukapalvelut.fi/", ("www.oukapalvelut.fi",))


def test_404_in_discovered_range_is_info(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("1"), Reply(body=CARD_686, headers=HTML))
    server.route(card_path("3"), Reply(body=CARD_544_LATIN1, headers=HTML))
    source = replace(make_source(server), discover={"id_range": [1, 3]})

    report = run(source, folder, None)

    assert counts(report) == (3, 2, 0, 0, 1)
    assert checks(report) == [("2", "fetch.no_such_card", "info")]
    assert sorted(path.name for path in folder.glob("*.html")) == ["1.html", "3.html"]


def test_404_for_a_card_stored_before_keeps_it(server: FixtureServer, folder: Path) -> None:
    server.route(card_path("1"), Reply(body=CARD_686, headers=HTML), Reply(404))
    source = make_source(server)
    run(source, folder, ["1"])

    report = run(source, folder, ["1"])

    assert checks(report) == [("1", "fetch.gone", "warning")]
    assert (folder / "1.html").read_bytes() == CARD_686


def test_ids_discovered_from_listing_pages(server: FixtureServer, folder: Path) -> None:
    server.route("/lista.asp", Reply(body=LISTING, headers=HTML))
    for native_id in ("7", "544", "686"):
        server.route(card_path(native_id), Reply(body=CARD_686, headers=HTML))
    discover = {"listing_pages": [server.url("/lista.asp"), server.url("/puuttuu.asp")]}
    source = replace(make_source(server), discover=discover)

    report = run(source, folder, None)

    assert report.requested == report.downloaded == 3
    assert checks(report) == [("", "fetch.listing", "error")]
    assert [seen.path for seen in server.seen if "ID=" in seen.path] == [
        card_path(n) for n in ("7", "544", "686")
    ]
    assert manifest(folder)["findings"][0]["url"] == server.url("/puuttuu.asp")


def test_card_links_and_ranges() -> None:
    assert card_ids_in(LISTING) == ["686", "544", "7", "686"]
    assert range_ids({"id_range": [9, 11]}) == ["9", "10", "11"]
    assert range_ids({}) == []
    assert ordered_ids(["10", "9", "b", "10", "a"]) == ["9", "10", "a", "b"]


def test_robots_disallow_is_honoured(server: FixtureServer, folder: Path) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /Hankekortti1.asp\n"))
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML))

    report = run(make_source(server), folder, ["686"])

    assert counts(report) == (1, 0, 0, 0, 1)
    assert checks(report) == [("686", "fetch.robots_disallowed", "warning")]
    assert [seen.path for seen in server.seen] == ["/robots.txt"]
    assert server.seen[0].headers["User-Agent"] == UA


def test_robots_txt_that_errors_means_do_not_fetch(server: FixtureServer, folder: Path) -> None:
    server.route("/robots.txt", Reply(500))
    server.route(card_path("686"), Reply(body=CARD_686, headers=HTML))

    report = run(make_source(server), folder, ["686"])

    assert checks(report) == [("686", "fetch.robots_unreadable", "warning")]
    assert server.requests_for(card_path("686")) == []


# --- rate limit and atomicity -------------------------------------------------------------------


def test_rate_limit_is_respected(server: FixtureServer, folder: Path) -> None:
    for native_id in "12345":
        server.route(card_path(native_id), Reply(body=CARD_686, headers=HTML))
    started = time.monotonic()

    report = run(make_source(server, requests_per_second=10.0), folder, list("12345"))

    assert report.downloaded == 5
    assert time.monotonic() - started >= 0.5  # robots.txt + 5 cards: 5 gaps of 0.1 s
    starts = [seen.at for seen in server.seen]
    assert min(later - earlier for earlier, later in itertools.pairwise(starts)) >= 0.09


def test_rate_limiter_spaces_request_starts() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(0.5, clock=lambda: now[0], sleep=sleep)
    limiter.wait()
    limiter.wait()
    now[0] += 2.0
    limiter.wait()
    assert slept == [0.5]


def test_failed_page_write_leaves_previous_file_and_manifest(
    server: FixtureServer, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route(
        card_path("686"), Reply(body=CARD_686, headers=HTML), Reply(body=b"new version", headers=HTML)
    )
    source = make_source(server)
    run(source, folder, ["686"])
    manifest_before = (folder / "manifest.json").read_bytes()
    real_replace = os.replace

    def failing_replace(src: str, dst: str | Path) -> None:
        if str(dst).endswith(".html"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(atomic_module.os, "replace", failing_replace)

    with pytest.raises(OSError, match="No space"):
        run(source, folder, ["686"])

    assert (folder / "686.html").read_bytes() == CARD_686
    assert (folder / "manifest.json").read_bytes() == manifest_before
    assert sorted(path.name for path in folder.iterdir()) == [
        ".manifest.json.lock",
        "686.html",
        "manifest.json",
    ]


def test_malformed_manifest_is_a_user_error(server: FixtureServer, folder: Path) -> None:
    folder.mkdir()
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(UserError, match="manifest"):
        run(make_source(server), folder, ["686"])
