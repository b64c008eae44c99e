"""push-ckan's Action API client against a real HTTP server on 127.0.0.1: retries, errors, the token kept secret."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from fetch_server import FixtureServer, Reply

from pipeline.core.sources import FetchPolicy
from pipeline.push.client import CkanClient, flatten_errors
from pipeline.push.errors import NotAuthorized, Rejected, TooLarge, Unavailable

TOKEN = "tok-3f9a1c7e5b2d4f60a8e1c9b7d5f3a1e0"
FAST = FetchPolicy(requests_per_second=100.0, timeout_seconds=(2.0, 5.0), max_retries=2, user_agent="t")
ACTION = "/api/3/action/package_patch"


def _json(status: int, body: object) -> Reply:
    return Reply(status, json.dumps(body).encode(), {"Content-Type": "application/json"})


def _ok(result: object) -> Reply:
    return _json(200, {"success": True, "result": result})


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    started = FixtureServer().start()
    yield started
    started.stop()


@pytest.fixture
def client(server: FixtureServer) -> Iterator[CkanClient]:
    made = CkanClient(server.url(""), TOKEN, organization="oulu", policy=FAST)
    yield made
    made.close()


def test_5xx_is_retried_on_one_session_then_succeeds(server: FixtureServer, client: CkanClient) -> None:
    server.route(ACTION, Reply(503), Reply(502), _ok({"id": "x"}))
    assert client.call("package_patch", {"id": "x"}) == {"id": "x"}
    seen = server.requests_for(ACTION)
    assert len(seen) == 3 and all(s.headers["Authorization"] == TOKEN for s in seen)
    assert client.writes == 1


def test_5xx_after_the_retries_is_unavailable(server: FixtureServer, client: CkanClient) -> None:
    server.route(ACTION, Reply(500, b"Internal Server Error"))
    with pytest.raises(Unavailable, match=r"HTTP 500\) after 2 retries") as caught:
        client.call("package_patch", {"id": "x"})
    assert len(server.requests_for(ACTION)) == 3
    assert TOKEN not in str(caught.value)


def test_403_says_the_token_lacks_rights_and_never_shows_it(server: FixtureServer, client: CkanClient) -> None:
    echo = {"__type": "Authorization Error", "message": f"Access denied for key {TOKEN}"}
    server.route(ACTION, _json(403, {"success": False, "error": echo}))
    with pytest.raises(NotAuthorized, match="lacks the rights to do this on organization 'oulu'") as caught:
        client.call("package_patch", {"id": "x"}, what="dataset d")
    assert TOKEN not in str(caught.value) and "[CKAN_API_TOKEN]" in str(caught.value)


def test_409_lists_every_field_message(server: FixtureServer, client: CkanClient) -> None:
    error = {"__type": "Validation Error", "name": ["That URL is already in use."],
             "extras": [{}, {"key": ["There is a schema field with the same name"]}]}
    server.route(ACTION, _json(409, {"success": False, "error": error}))
    with pytest.raises(Rejected) as caught:
        client.call("package_patch", {"id": "x"}, what="dataset d")
    message = str(caught.value)
    assert "name: That URL is already in use." in message
    assert "extras[1].key: There is a schema field with the same name" in message
    assert flatten_errors({"upload": ["File upload too large"]}) == ["upload: File upload too large"]


@pytest.mark.parametrize("reply", [
    _json(409, {"success": False, "error": {"__type": "Validation Error", "upload": ["File upload too large"]}}),
    Reply(413, b"<html>Request Entity Too Large</html>"),
])
def test_an_oversized_upload_suggests_linking(server: FixtureServer, client: CkanClient, tmp_path: Path,
                                             reply: Reply) -> None:
    big = tmp_path / "projects.csv"
    big.write_bytes(b"x" * 2048)
    server.route("/api/3/action/resource_create", reply)
    with pytest.raises(TooLarge, match="--link-resources"):
        client.call("resource_create", {"package_id": "p", "name": "csv"}, upload=big)


def test_no_answer_is_unavailable_without_the_token() -> None:
    with socket.socket() as probe:  # a port of 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = CkanClient(f"http://127.0.0.1:{port}", TOKEN, policy=FAST)
    with pytest.raises(Unavailable, match=r"no answer .* after 2 retries") as caught:
        client.call("package_show", {"id": "x"})
    assert TOKEN not in str(caught.value)


def test_cli_needs_the_token_from_the_environment_and_never_prints_it(server: FixtureServer,
                                                                      snapshot_run: Path) -> None:
    server.route("/api/3/action/organization_show", _json(403, {"success": False, "error": {
        "__type": "Authorization Error", "message": f"Access denied: {TOKEN}"}}))
    command = [sys.executable, "-m", "pipeline", "push-ckan", "--url", server.url(""), "--organization", "oulu",
               "--out", str(snapshot_run)]
    env = {"PATH": "/usr/bin:/bin", "HANKEDATA_CACHE_DIR": "off"}
    missing = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert missing.returncode == 2 and "set CKAN_API_TOKEN" in missing.stderr
    refused = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False,
                             env={**env, "CKAN_API_TOKEN": TOKEN})
    assert refused.returncode == 5, refused.stderr
    assert "lacks the rights" in refused.stderr and "Traceback" not in refused.stderr
    assert TOKEN not in refused.stdout + refused.stderr
    assert all(TOKEN not in seen.path for seen in server.seen)
