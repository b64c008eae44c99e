"""The `hankedata` command line: one subcommand per stage, `run` for all offline stages.

Exit codes: 0 success; 1 --strict and at least one error finding; 2 bad arguments, missing input or
malformed configuration; 3 another run holds the output lock; 4 internal error (a bug: run again with
--debug for the traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.core.errors import UserError
from pipeline.core.gc_policy import fewer_collections
from pipeline.core.params import PARAMS_FILE, ROOT, check_base_url, load_params
from pipeline.core.sources import SOURCES_DIR, all_sources

from . import __version__
from .push.arguments import EXIT_CODES as PUSH_EXIT_CODES
from .push.arguments import HELP as PUSH_HELP
from .push.arguments import add_arguments as push_arguments
from .runner import RunSummary, Stages

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_CODES = """exit codes:
  0    success
  1    --strict was given and there is at least one error finding
  2    bad arguments, missing or unreadable input, malformed source.yml or params.yaml
  3    another hankedata run is writing the same output folder
  4    internal error (a bug; --debug shows the traceback)
  130  interrupted"""


class _Parser(argparse.ArgumentParser):
    """argparse that exits with EXIT_USAGE and one line on bad arguments."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"hankedata: error: {message} (see hankedata {self.prog.split()[-1]} --help)\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--params", type=Path, default=PARAMS_FILE, help="parameters file (default: params.yaml)")
    parser.add_argument("--source", action="append", metavar="KEY",
                        help="source key, a folder of sources/; repeat for several (default: params.yaml 'sources', "
                             "every source)")
    parser.add_argument("--sources-dir", type=Path, default=SOURCES_DIR,
                        help="folder of source declarations, <key>/source.yml (default: sources/)")
    parser.add_argument("--build", type=Path, help="folder for intermediate stage files (default: build/)")
    parser.add_argument("--workers", type=int,
                        help="processes for parsing cards (0, or more than the cores: one per core)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    parser.add_argument("--quiet", action="store_true", help="print only the closing summary and errors")


def _strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="exit 1 when there is any error finding (for CI)")


def _out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="output folder (default: outputs/)")
    parser.add_argument("--base-url", help="public base URL the outputs are served from (overrides params.yaml)")


def _inputs(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--input", type=Path, nargs="+", action="extend", metavar="PATH",
                        help="input files or folders of them, each read by the source that declares its suffix "
                             f"(may be repeated; every path counts); {what}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the docs test)."""
    parser = _Parser(prog="hankedata", description="Open data from public-sector project cards: fetch, "
                     "parse, validate and publish CSV, Parquet, a Data Package and DCAT-AP.",
                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"hankedata {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    helps = {
        "fetch": "download cards politely into the source's snapshot (the only stage that uses the network)",
        "parse": "read every input into records and typed tables, checked segment by segment (build/segments/)",
        "validate": "check the whole dataset, number the findings and write the report (build/validated/)",
        "publish": "write outputs/: CSV, Parquet, datapackage.json, DCAT catalogue, reports (atomically)",
        "run": "run every offline stage (parse, validate, publish) in one go",
    }
    commands = {}
    for name, text in helps.items():
        commands[name] = sub.add_parser(name, help=text, description=text, epilog=EXIT_CODES,
                                        formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(commands[name])
    fetch = commands["fetch"]
    fetch.add_argument("--ids", help="card ids to fetch, e.g. '544,662,680-690' (default: discover)")
    fetch.add_argument("--snapshot", type=Path, help="snapshot folder (default: the source's snapshot/)")
    _inputs(commands["parse"], "default: every source's snapshot")
    _inputs(commands["run"], "default: every source's snapshot")
    for name in ("validate", "publish", "run"):
        _strict(commands[name])
    for name in ("publish", "run"):
        _out(commands[name])
    push_arguments(sub.add_parser("push-ckan", help=PUSH_HELP, description=PUSH_HELP, epilog=PUSH_EXIT_CODES,
                                  formatter_class=argparse.RawDescriptionHelpFormatter))
    return parser


def parse_ids(text: str) -> list[str]:
    """'544,662,680-690' -> ids."""
    ids: list[str] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, sep, last = part.partition("-")
        if sep and first.isdigit() and last.isdigit():
            ids.extend(str(n) for n in range(int(first), int(last) + 1))
        else:
            ids.append(part)
    return ids


def _log(args: argparse.Namespace) -> Callable[[str], None]:
    if args.quiet:
        return lambda _message: None
    return lambda message: print(message, file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    if args.quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\rparse     [{'#' * filled}{'.' * (width - filled)}] {done}/{total} cards", end=end,
              file=sys.stderr, flush=True)

    return show


def _out_dir(args: argparse.Namespace, params: dict) -> Path:
    return args.out or ROOT / params["out_dir"]


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock while writing it; a folder that cannot be written is a UserError."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"output folder {out_dir} exists and is not a folder")
    lock = FileLock(str(out_dir.parent / f".{out_dir.name}.lock"), timeout=0)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise
    except OSError as exc:
        raise UserError(f"cannot write output folder {out_dir}: {exc.strerror or exc}") from exc
    try:
        yield
    finally:
        lock.release()


def _stages(args: argparse.Namespace, build: Path | None = None) -> Stages:
    params = load_params(args.params)
    if args.workers is not None:
        if args.workers < 0:
            raise UserError(f"--workers must be 0 (one per core) or more, got {args.workers}")
        params["workers"] = args.workers
    if getattr(args, "base_url", None):
        params["public_base_url"] = check_base_url(args.base_url, "--base-url")
    chosen = params.get("sources", "all")
    keys = args.source or (None if chosen == "all" else chosen)
    sources = all_sources(args.sources_dir, keys)
    build_dir = build or args.build or ROOT / params["build_dir"]
    return Stages(sources, params, build_dir, _log(args), _progress(args))


def _finish(args: argparse.Namespace, summary: RunSummary) -> int:
    print(summary.text())
    if getattr(args, "strict", False) and summary.findings["error"]:
        print(f"hankedata: --strict: {summary.findings['error']} error findings", file=sys.stderr)
        return EXIT_STRICT
    return EXIT_OK


def _cmd_fetch(args: argparse.Namespace) -> int:
    from .fetch import fetch_cards  # the only stage that needs the network stack

    stages = _stages(args)
    if len(stages.sources) != 1:
        raise UserError(f"fetch reads one source: choose it with --source ({', '.join(s.key for s in stages.sources)})")
    source = stages.sources[0]
    if not source.page_url or not source.hosts:
        raise UserError(f"source {source.key} declares no page_url and hosts to fetch its pages from")
    snapshot = args.snapshot or source.snapshot_dir
    ids = parse_ids(args.ids) if args.ids else None
    report = fetch_cards(source, snapshot, ids, progress=stages.progress)
    print(f"Fetched into {snapshot}/: {report.downloaded} downloaded, {report.not_modified} not modified, "
          f"{report.failed} failed, {report.skipped} skipped; {len(report.findings)} findings in the manifest.")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="hankedata-build-") as scratch:
        stages = _stages(args, None if args.build else Path(scratch))
        out_dir = _out_dir(args, stages.params)
        with _locked(out_dir):
            summary = stages.run(args.input, out_dir)
    return _finish(args, summary)


def _cmd_stage(args: argparse.Namespace) -> int:
    stages = _stages(args)
    if args.command == "parse":
        stages.parse(args.input)
        print(f"Parsed {stages.summary.cards} cards into {stages.build_dir}/segments/.")
        return EXIT_OK
    if args.command == "validate":
        stages.validate()
        return _finish(args, stages.summary)
    out_dir = _out_dir(args, stages.params)
    with _locked(out_dir):
        stages.publish(out_dir)
    return _finish(args, stages.summary)


def _cmd_push(args: argparse.Namespace) -> int:
    from .push.command import push  # reads outputs/ and talks to a CKAN portal; needs nothing of the stages

    return push(args)


def _one_line(text: str) -> str:
    """A message on one line, so an error is always exactly one line on stderr."""
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and `python -m pipeline`."""
    args = build_parser().parse_args(argv)
    fewer_collections()
    handler = {"fetch": _cmd_fetch, "run": _cmd_run, "push-ckan": _cmd_push}.get(args.command, _cmd_stage)
    try:
        return handler(args)
    except Timeout as exc:
        print(f"hankedata: another hankedata run is writing this output folder (lock {exc.lock_file}); "
              "wait for it to finish", file=sys.stderr)
        return EXIT_LOCKED
    except UserError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"hankedata: error: {_one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hankedata: interrupted; outputs/ is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if args.debug:
            raise
        print(f"hankedata: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line for users, the traceback with --debug
        if args.debug:
            raise
        print(f"hankedata: internal error: {type(exc).__name__}: {_one_line(str(exc))} (run again with --debug "
              "for the traceback and please report it)", file=sys.stderr)
        return EXIT_INTERNAL
