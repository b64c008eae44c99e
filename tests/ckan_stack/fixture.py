"""The session-scoped `ckan_stack` fixture: a real CKAN 2.12 + ckanext-dcat on 127.0.0.1, started once.

PostgreSQL 15, Redis and CKAN (from the environment .ci/ckan-stack.sh builds) are the real
programs; only Solr is replaced by the standard-library stand-in of solr_standin.py. CKAN uses
avoindata.fi's licence list (read from shared/ in place). Tests share the one portal and keep
apart by giving their datasets unique names. Without the parts the fixture skips (fails in CI,
where HANKEDATA_REQUIRE_ALL=1).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import string
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import absent, shared_file

from .services import (
    Postgres,
    StackError,
    ckan_python,
    ckan_venv,
    free_port,
    missing_parts,
    start_ckan,
    start_redis,
    stop_process,
    wait_for_ckan,
)
from .solr_standin import SolrStandIn

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
ORGANIZATION = "hankedata-test-org"
OUTSIDER = "hankedata-outsider"


@dataclass(frozen=True)
class CkanStack:
    """What tests need to talk to the portal."""

    url: str
    organization: str
    sysadmin_token: str  # CKAN's site user, a sysadmin: may write everywhere
    outsider_token: str  # a valid token of a user who is not a member of the organization
    base: Path  # the stack's folder: logs, uploads
    started_in: float  # seconds the bring-up took

    def action(self, name: str, data: dict[str, Any] | None = None, token: str | None = None) -> Any:
        """Call an action as the sysadmin (or with another token) and return its result."""
        request = urllib.request.Request(f"{self.url}/api/3/action/{name}", method="POST",
                                         data=json.dumps(data or {}).encode("utf-8"),
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": token or self.sysadmin_token})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["result"]

    def get(self, path: str) -> bytes:
        """GET a page of the portal (e.g. /dataset/<name>.ttl)."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=60) as response:
            return response.read()


def _write_ini(path: Path, values: dict[str, str]) -> None:
    template = string.Template((HERE / "ckan.ini.in").read_text(encoding="utf-8"))
    path.write_text(template.substitute(values), encoding="utf-8")


def _make_base() -> Path:
    """A folder the postgres user can reach: the system temp folder, not pytest's 0700 tmp_path."""
    base = Path(tempfile.mkdtemp(prefix="hankedata-ckan-"))
    base.chmod(0o755)
    return base


def _users(stack: CkanStack) -> str:
    """The organization and a second user outside it; that user's token."""
    stack.action("organization_create", {"name": ORGANIZATION, "title": "hankedata test organization"})
    stack.action("user_create", {"name": OUTSIDER, "email": "outsider@example.org",
                                 "password": secrets.token_urlsafe(16)})
    return stack.action("api_token_create", {"user": OUTSIDER, "name": "tests"})["token"]


class _Running:
    """The processes and servers started so far, so a failed start stops what did start."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.postgres: Postgres | None = None
        self.redis = None
        self.ckan = None
        self.solr: SolrStandIn | None = None

    def stop(self) -> None:
        stop_process(self.ckan, group=True)
        stop_process(self.redis)
        if self.postgres is not None:
            self.postgres.stop()
        if self.solr is not None:
            self.solr.stop()


def _start(running: _Running, venv: Path, licences: Path) -> CkanStack:
    started = time.monotonic()
    base = running.base
    running.solr = SolrStandIn(venv_schema(venv)).start()
    running.postgres = Postgres(base / "pgdata", free_port(), base / "postgres.log")
    running.postgres.start()
    redis_port = free_port()
    running.redis = start_redis(redis_port, base, base / "redis.log")
    database_url = running.postgres.database("ckan")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ini = base / "ckan.ini"
    (base / "storage").mkdir()
    _write_ini(ini, {"secret": secrets.token_urlsafe(24), "database_url": database_url, "site_url": url,
                     "solr_url": running.solr.url, "redis_url": f"redis://127.0.0.1:{redis_port}/0",
                     "storage_path": str(base / "storage"), "licenses_url": licences.as_uri()})
    token = json.loads(ckan_python(venv, HERE / "bootstrap.py", [str(ini)], base / "bootstrap.log"))["token"]
    running.ckan = start_ckan(venv, ini, port, base / "ckan.log")
    wait_for_ckan(running.ckan, port, base / "ckan.log")
    stack = CkanStack(url, ORGANIZATION, token, "", base, 0.0)
    outsider = _users(stack)
    return CkanStack(url, ORGANIZATION, token, outsider, base, time.monotonic() - started)


def venv_schema(venv: Path) -> Path:
    """CKAN's own Solr schema.xml, served by the stand-in so CKAN's version check passes."""
    found = sorted(venv.glob("lib/python3*/site-packages/ckan/config/solr/schema.xml"))
    if not found:
        raise StackError(f"no ckan/config/solr/schema.xml in {venv}")
    return found[0]


@pytest.fixture(scope="session")
def ckan_stack() -> Iterator[CkanStack]:
    """A running CKAN for the whole session; stopped, and its folder removed, at the end."""
    venv = ckan_venv()
    missing = missing_parts(venv, REQUIREMENTS)
    if missing:
        absent("the CKAN test stack: " + "; ".join(missing))
    licences = shared_file("dcat", "ckan", "avoindata-license.json")
    running = _Running(_make_base())
    try:
        try:
            stack = _start(running, venv, licences)
        except StackError as exc:
            absent(f"a CKAN test stack that starts ({exc})")
        yield stack
    finally:
        running.stop()
        if os.environ.get("HANKEDATA_KEEP_CKAN") != "1":
            shutil.rmtree(running.base)
