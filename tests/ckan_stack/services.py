"""Start and stop the stack's processes: PostgreSQL 15, Redis and CKAN, each on a private port of 127.0.0.1.

Every process is started here and stopped here by its own PID (PostgreSQL by its data folder's
postmaster.pid through pg_ctl), never by name. PostgreSQL refuses to run as root, so as root its
commands run as the ``postgres`` user, whose data folder must be reachable by it: the caller gives
a base folder that is not under a 0700 parent (pytest's tmp_path is one).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("HANKEDATA_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"
DEFAULT_CKAN_VENV = Path.home() / ".cache" / "hankedata" / "ckan-venv"


class StackError(RuntimeError):
    """A part of the stack could not start; the message says which and where its log is."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready: Callable[[], bool], seconds: float, what: str, log: Path | None = None) -> None:
    """Poll until ready() or raise a StackError naming what did not come up (and its log's tail)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise StackError(f"{what} did not come up within {seconds:.0f} s{log_tail(log)}")


def log_tail(log: Path | None, lines: int = 15) -> str:
    """The last lines of a log, for an error message."""
    if log is None or not log.is_file():
        return ""
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return f"; last lines of {log}:\n" + "\n".join(tail)


def ckan_venv() -> Path:
    """The CKAN environment .ci/ckan-stack.sh builds (HANKEDATA_CKAN_VENV moves it)."""
    return Path(os.environ.get("HANKEDATA_CKAN_VENV") or DEFAULT_CKAN_VENV)


def missing_parts(venv: Path, requirements: Path) -> list[str]:
    """What the stack needs and this machine lacks, as words for a skip message."""
    missing = []
    if not (venv / "bin" / "ckan").is_file():
        missing.append(f"CKAN environment {venv} (run .ci/ckan-stack.sh)")
    elif not (venv / ".requirements").is_file() or (venv / ".requirements").read_bytes() != requirements.read_bytes():
        missing.append(f"CKAN environment {venv} built from the current requirements (run .ci/ckan-stack.sh)")
    if not (PG_BIN / "initdb").is_file():
        missing.append(f"PostgreSQL 15 server binaries in {PG_BIN}")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser (to run PostgreSQL as its own user)")
    return missing


# The stack's servers run at a lower CPU priority, so that on a busy machine (2 cores, tests in parallel)
# they do not slow the timing-sensitive tests of the other pytest worker.
NICE = ["nice", "-n", "10"]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", PG_USER, "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str], what: str, log: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    with log.open("a", encoding="utf-8") as out:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=out, text=True, check=False, **kwargs)
    if done.returncode != 0:
        raise StackError(f"{what} failed (exit {done.returncode}){log_tail(log)}")
    return done


@dataclass
class Postgres:
    """A throwaway PostgreSQL cluster: TCP on 127.0.0.1 only, trust authentication, no fsync."""

    data: Path
    port: int
    log: Path

    def start(self) -> None:
        """initdb, configure, start and wait until it accepts connections."""
        self.data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, PG_USER, PG_USER)
        _run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--locale=C", "--no-sync"]), "initdb", self.log)
        settings = (f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = ''\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(settings)
        server_log = self.data / "server.log"  # written by the postgres user, so inside its folder
        try:
            _run(_as_postgres([*NICE, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(server_log), "-w",
                               "-t", "60", "start"]), "pg_ctl start", self.log)
        except StackError as exc:
            raise StackError(f"{exc}{log_tail(server_log)}") from exc

    def sql(self, statement: str) -> None:
        """Run one statement as the superuser."""
        _run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-v",
              "ON_ERROR_STOP=1", "-c", statement], "psql", self.log)

    def database(self, name: str) -> str:
        """Create a role and database of that name; its SQLAlchemy URL."""
        self.sql(f"CREATE ROLE {name} LOGIN PASSWORD '{name}'")
        self.sql(f"CREATE DATABASE {name} OWNER {name} ENCODING 'UTF8' TEMPLATE template0")
        return f"postgresql://{name}:{name}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server this cluster's postmaster.pid names (the one started here)."""
        if (self.data / "postmaster.pid").is_file():
            _run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
                 "pg_ctl stop", self.log)


def start_redis(port: int, folder: Path, log: Path) -> subprocess.Popen[bytes]:
    """redis-server in the foreground as our child: no persistence, 127.0.0.1 only."""
    with log.open("ab") as out:
        process = subprocess.Popen([*NICE, "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", str(folder), "--daemonize", "no"],
                                   stdout=out, stderr=subprocess.STDOUT)

    def answers() -> bool:
        if process.poll() is not None:
            raise StackError(f"redis-server exited with {process.returncode}{log_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_until(answers, 20, "redis-server", log)
    return process


def ckan_python(venv: Path, script: Path, args: list[str], log: Path) -> str:
    """Run a script with CKAN's own Python; its standard output."""
    return _run([*NICE, str(venv / "bin" / "python"), str(script), *args], script.name, log, env=ckan_env(venv)).stdout


def ckan_env(venv: Path) -> dict[str, str]:
    """CKAN's environment: the machine's, with its own virtualenv first and no stray CKAN settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


def start_ckan(venv: Path, ini: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`ckan run` (Werkzeug, threaded, no reloader) in its own process group; wait_for_ckan waits for it."""
    with log.open("ab") as out:
        return subprocess.Popen([*NICE, str(venv / "bin" / "ckan"), "-c", str(ini), "run", "-H", "127.0.0.1", "-p",
                                 str(port), "--disable-reloader", "--disable-debugger", "--threaded"],
                                stdout=out, stderr=subprocess.STDOUT, env=ckan_env(venv), start_new_session=True)


def wait_for_ckan(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Until CKAN answers status_show (it takes some seconds to load its plugins)."""
    status = f"http://127.0.0.1:{port}/api/3/action/status_show"

    def answers() -> bool:
        if process.poll() is not None:
            raise StackError(f"ckan run exited with {process.returncode}{log_tail(log)}")
        try:
            with urllib.request.urlopen(status, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    wait_until(answers, 90, "CKAN", log)


def stop_process(process: subprocess.Popen[bytes] | None, group: bool = False) -> None:
    """Terminate a process started here (and its group if it leads one), killing it after 10 s."""
    if process is None or process.poll() is not None:
        return
    send = (lambda sig: os.killpg(process.pid, sig)) if group else process.send_signal
    send(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait(timeout=10)
