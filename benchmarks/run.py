"""`hankedata-bench`: generate N synthetic cards, run the pipeline end to end, time frictionless on the result.

Every timed run is a fresh process (so peak memory is that run's own, read with getrusage), and each
figure is the median of --repeat runs. For each corpus size the benchmark prints, per stage, wall
time, throughput and peak resident memory; for the whole process, wall time and peak memory of the
main process and of the card-parsing worker processes; the time `frictionless validate` takes on the
same datapackage.json; their ratio; and re-runs after changing one card, with the cache on.
It checks that the published row counts are what the generator produced, and ends with a markdown
table for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.generate import GENERATOR_VERSION, Expected, card_text, generate, read_expected, write_expected

STAGES = ("parse", "validate", "publish")  # as `hankedata run` does them
TABLE_NAMES = ("projects", "funding", "organisations", "quality")


# --- child processes --------------------------------------------------------------------------------


def _peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def child_pipeline(spec: dict) -> dict:
    """Run the four offline stages once, timing each; runs in a fresh process."""
    from pipeline.core.gc_policy import fewer_collections
    from pipeline.core.params import load_params
    from pipeline.core.sources import all_sources
    from pipeline.runner import Stages

    fewer_collections()  # as the command line does
    params = load_params()
    params["workers"] = spec["workers"]
    stages = Stages(all_sources(), params, Path(spec["build"]), lambda _m: None)
    result: dict[str, Any] = {"stages": {}}
    started = time.perf_counter()
    with stages.card_segments([Path(spec["input"])]) as segments:
        result["stages"]["parse"] = {"seconds": stages.summary.seconds["parse"],
                                                 "peak_mib": _peak_mib(),
                                                 "workers_peak_mib": _peak_mib(resource.RUSAGE_CHILDREN)}
        result["parsed"] = stages.summary.parsed
        validated = stages.combine(segments)
        result["stages"]["validate"] = {"seconds": stages.summary.seconds["validate"], "peak_mib": _peak_mib()}
        result["checked_rows"] = sum(validated.rows.values())
        stages.publish(Path(spec["out"]), validated)
        result["stages"]["publish"] = {"seconds": stages.summary.seconds["publish"], "peak_mib": _peak_mib()}
    result["seconds"] = time.perf_counter() - started
    result["peak_mib"] = _peak_mib()
    result["workers_peak_mib"] = _peak_mib(resource.RUSAGE_CHILDREN)
    s = stages.summary
    result["counts"] = {"cards": s.cards, "projects": s.projects, "funding_rows": s.funding_rows,
                        "organisation_rows": s.organisations, "quarantined": s.quarantined,
                        "findings": s.findings}
    return result


def child_frictionless(spec: dict) -> dict:
    """frictionless validate on a datapackage.json (the Python API); runs in a fresh process."""
    from frictionless import validate

    started = time.perf_counter()
    report = validate(spec["datapackage"])
    seconds = time.perf_counter() - started
    tasks = {t.name: {"rows": t.stats.get("rows"), "errors": t.stats.get("errors")} for t in report.tasks}
    return {"seconds": seconds, "valid": report.valid, "tasks": tasks, "peak_mib": _peak_mib()}


def _spawn(kind: str, spec: dict, env: dict[str, str] | None = None) -> dict:
    """Run a child in a fresh interpreter; returns its JSON result plus the whole process's wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--child", kind, json.dumps(spec)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child '{kind}' failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


# --- corpus -----------------------------------------------------------------------------------------


def ensure_corpus(workdir: Path, cards: int, seed: int) -> tuple[Path, Expected]:
    """The corpus of `cards` cards (generated once per size, seed and generator version)."""
    folder = workdir / f"corpus-v{GENERATOR_VERSION}-s{seed}-{cards}"
    stamp = folder / "expected.json"
    if stamp.is_file():
        return folder / "cards", read_expected(stamp)
    shutil.rmtree(folder, ignore_errors=True)
    expected = generate(folder / "cards", cards, seed)
    write_expected(expected, stamp)
    return folder / "cards", expected


def change_one_card(cards_dir: Path, seed: int) -> Path:
    """Rewrite card 1 with one summary word changed (same counts); returns its path."""
    text, _ = card_text(seed, 1)
    marker = "\nTulokset\n"
    changed = text.replace(marker, "\nMuutettu kappale uudelleenajoa varten.\n" + marker, 1)
    path = cards_dir / "1.txt"
    path.write_text(changed, encoding="utf-8")
    return path


def restore_card(cards_dir: Path, seed: int) -> None:
    """Put card 1 back as generated."""
    (cards_dir / "1.txt").write_text(card_text(seed, 1)[0], encoding="utf-8")


# --- one corpus size --------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def check_counts(result: dict, expected: Expected) -> list[str]:
    """Differences between what the run published and what the generator made."""
    counts = result["counts"]
    problems = []
    for name in ("cards", "projects", "funding_rows", "organisation_rows"):
        if counts[name] != getattr(expected, name):
            problems.append(f"{name}: published {counts[name]}, generated {getattr(expected, name)}")
    if counts["quarantined"]:
        problems.append(f"{counts['quarantined']} projects quarantined, none expected")
    return problems


def bench_size(workdir: Path, cards: int, args: argparse.Namespace, log) -> dict:
    """All measurements for one corpus size."""
    corpus, expected = ensure_corpus(workdir, cards, args.seed)
    log(f"[{cards} cards] corpus ready ({expected.bytes / 2**20:.0f} MiB, {expected.funding_rows} funding rows)")
    runs = []
    out = workdir / f"out-{cards}"
    for number in range(1, args.repeat + 1):
        build = workdir / f"build-{cards}"
        shutil.rmtree(build, ignore_errors=True)
        spec = {"input": str(corpus), "build": str(build), "out": str(out), "workers": args.workers}
        result = _spawn("pipeline", spec, {"HANKEDATA_CACHE_DIR": "off"})
        runs.append(result)
        log(f"[{cards} cards] pipeline run {number}: {result['process_seconds']:.1f} s, "
            f"peak {result['peak_mib']:.0f} MiB")
    problems = check_counts(runs[-1], expected)
    frictionless = []
    if not args.no_frictionless:
        for number in range(1, args.repeat + 1):
            result = _spawn("frictionless", {"datapackage": str(out / "datapackage.json")})
            frictionless.append(result)
            log(f"[{cards} cards] frictionless run {number}: {result['process_seconds']:.1f} s, "
                f"valid={result['valid']}")
        if not frictionless[-1]["valid"]:
            problems.append("frictionless reports the published package invalid")
    incremental = None if args.no_incremental else bench_incremental(workdir, corpus, cards, args, log)
    return summarise(cards, expected, runs, frictionless, incremental, problems)


def bench_incremental(workdir: Path, corpus: Path, cards: int, args: argparse.Namespace, log) -> dict:
    """A cached full run, then --repeat re-runs, each after one card changed (changed, restored, changed ...)."""
    cache = workdir / f"cache-{cards}"
    shutil.rmtree(cache, ignore_errors=True)
    spec = {"input": str(corpus), "build": str(workdir / f"build-inc-{cards}"), "out": str(workdir / "out-inc"),
            "workers": args.workers}
    env = {"HANKEDATA_CACHE_DIR": str(cache)}
    restore_card(corpus, args.seed)  # as generated, whatever an interrupted run left
    cold = _spawn("pipeline", spec, env)
    warm = []
    try:
        for number in range(args.repeat):
            (restore_card if number % 2 else change_one_card)(corpus, args.seed)
            warm.append(_spawn("pipeline", spec, env))
            log(f"[{cards} cards] one card changed, re-run {number + 1}: {warm[-1]['process_seconds']:.1f} s, "
                f"{warm[-1]['parsed']} card(s) parsed")
    finally:
        restore_card(corpus, args.seed)
    log(f"[{cards} cards] cached full run {cold['process_seconds']:.1f} s")
    return {"cold": cold, "warm": warm}


def summarise(cards: int, expected: Expected, runs: list[dict], frictionless: list[dict],
              incremental: dict | None, problems: list[str]) -> dict:
    """Medians over the repeats."""
    stages = {}
    for stage in STAGES:
        stages[stage] = {"seconds": _median([r["stages"][stage]["seconds"] for r in runs]),
                         "peak_mib": _median([r["stages"][stage]["peak_mib"] for r in runs])}
    pipeline_seconds = _median([r["process_seconds"] for r in runs])
    fl_seconds = _median([r["process_seconds"] for r in frictionless]) if frictionless else None
    fl_inner = _median([r["seconds"] for r in frictionless]) if frictionless else None
    summary = {
        "cards": cards, "expected": asdict(expected), "runs": len(runs), "stages": stages,
        "funding_rows": runs[-1]["counts"]["funding_rows"], "checked_rows": runs[-1]["checked_rows"],
        "pipeline_seconds": pipeline_seconds, "pipeline_inner_seconds": _median([r["seconds"] for r in runs]),
        "peak_mib": _median([r["peak_mib"] for r in runs]),
        "workers_peak_mib": _median([r["workers_peak_mib"] for r in runs]),
        "frictionless_seconds": fl_seconds, "frictionless_inner_seconds": fl_inner,
        "frictionless_peak_mib": _median([r["peak_mib"] for r in frictionless]) if frictionless else None,
        "ratio": pipeline_seconds / fl_seconds if fl_seconds else None,
        "problems": problems, "all_runs": [r["process_seconds"] for r in runs],
    }
    if incremental is not None:
        warm = incremental["warm"]
        warm_seconds = _median([w["process_seconds"] for w in warm])
        summary["incremental"] = {"cold_seconds": incremental["cold"]["process_seconds"],
                                  "warm_seconds": warm_seconds, "parsed": max(w["parsed"] for w in warm),
                                  "warm_parse_seconds": _median([w["stages"]["parse"]["seconds"]
                                                                   for w in warm]),
                                  "share_of_full": warm_seconds / pipeline_seconds}
    return summary


# --- report -----------------------------------------------------------------------------------------


def _throughput(stage: str, s: dict) -> str:
    seconds = s["stages"][stage]["seconds"]
    if stage == "parse":
        return f"{s['cards'] / seconds:,.0f} cards/s, {s['funding_rows'] / seconds:,.0f} funding rows/s"
    return f"{s['checked_rows'] / seconds:,.0f} rows/s"


def stage_table(s: dict) -> str:
    """Per-stage markdown table for one corpus size."""
    lines = [f"**{s['cards']:,} cards** ({s['funding_rows']:,} funding rows, {s['checked_rows']:,} rows in all "
             f"tables; median of {s['runs']} runs)", "",
             "| stage | wall (s) | throughput | peak RSS after stage (MiB) |", "|---|---:|---|---:|"]
    for stage in STAGES:
        figures = s["stages"][stage]
        lines.append(f"| {stage} | {figures['seconds']:.2f} | {_throughput(stage, s)} | {figures['peak_mib']:.0f} |")
    lines.append(f"| whole process | {s['pipeline_seconds']:.2f} | {s['cards'] / s['pipeline_seconds']:,.0f} cards/s "
                 f"| {s['peak_mib']:.0f} (parsing workers {s['workers_peak_mib']:.0f}) |")
    if s["frictionless_seconds"]:
        lines.append(f"| frictionless validate | {s['frictionless_seconds']:.2f} | "
                     f"{s['checked_rows'] / s['frictionless_seconds']:,.0f} rows/s | "
                     f"{s['frictionless_peak_mib']:.0f} |")
    return "\n".join(lines)


def summary_table(sizes: list[dict], workers: int) -> str:
    """The README table: one row per corpus size."""
    lines = ["| cards | funding rows | pipeline end to end (s) | frictionless validate (s) | ratio | peak RSS (MiB) "
             "| one card changed, cached (s) |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for s in sizes:
        fl = f"{s['frictionless_seconds']:.1f}" if s["frictionless_seconds"] else "–"
        ratio = f"{s['ratio']:.2f}" if s["ratio"] else "–"
        inc = s.get("incremental")
        rerun = f"{inc['warm_seconds']:.1f} ({inc['share_of_full']:.0%}, {inc['parsed']} parsed)" if inc else "–"
        lines.append(f"| {s['cards']:,} | {s['funding_rows']:,} | {s['pipeline_seconds']:.1f} | {fl} | {ratio} "
                     f"| {s['peak_mib']:.0f} | {rerun} |")
    cpu = os.cpu_count()
    lines += ["", f"Fresh process per run, medians; {workers} parsing workers on {cpu} cores; ratio = pipeline "
              "process wall time / `frictionless validate outputs/datapackage.json` process wall time; "
              "peak RSS of the main process (getrusage)."]
    return "\n".join(lines)


def report(sizes: list[dict], workers: int) -> str:
    """Everything printed at the end."""
    parts = [stage_table(s) for s in sizes]
    for s in sizes:
        for problem in s["problems"]:
            parts.append(f"PROBLEM ({s['cards']} cards): {problem}")
    parts.append(summary_table(sizes, workers))
    return "\n\n".join(parts)


# --- command line -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hankedata-bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; medians are reported (default: 3)")
    parser.add_argument("--workers", type=int, default=2, help="card-parsing processes (default: 2)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument("--workdir", type=Path, help="folder for corpora, builds and outputs "
                        "(default: a temporary folder, removed at the end)")
    parser.add_argument("--no-frictionless", action="store_true", help="skip timing frictionless validate")
    parser.add_argument("--no-incremental", action="store_true", help="skip the one-card-changed re-run")
    parser.add_argument("--json", type=Path, help="also write all figures as JSON here")
    parser.add_argument("--markdown", type=Path, help="also write the markdown report here")
    parser.add_argument("--quiet", action="store_true", help="print only the report")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `hankedata-bench`."""
    args = build_parser().parse_args(argv)
    if args.child:
        kind, spec = args.child
        run = {"pipeline": child_pipeline, "frictionless": child_frictionless}[kind]
        print(json.dumps(run(json.loads(spec))))
        return 0
    if args.repeat < 1 or any(n < 1 for n in args.cards):
        print("hankedata-bench: --repeat and --cards must be at least 1", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="hankedata-bench-")) if temporary else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        sizes = [bench_size(workdir, n, args, log) for n in args.cards]
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(sizes, args.workers)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(sizes, indent=2) + "\n", encoding="utf-8")
    return 1 if any(s["problems"] for s in sizes) else 0


if __name__ == "__main__":
    sys.exit(main())
