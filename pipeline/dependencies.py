"""What each stage's result depends on, derived and never listed by hand.

A stage depends on the code it imports (the import closure of its entry module inside the `pipeline`
package, found by reading the modules' import statements, plus the parsers named in core/parsers.py,
which are imported by name) and on the data files it reads (schemas, lookup tables, every source
declaration, params.yaml). The segment cache keys and dvc.yaml are both made from these lists, so
they cannot disagree; `python -m pipeline.dependencies` writes dvc.yaml, and a test checks it is current.
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import yaml

from pipeline.core.parsers import PARSERS
from pipeline.core.paths import PACKAGE_ROOT, ROOT

PACKAGE = "pipeline"
# The module each stage runs; the import closure of each is what its result depends on in code.
STAGE_ENTRIES = {
    "parse": ("pipeline.segments", *PARSERS.values()),
    "validate": ("pipeline.validate.combine",),
    "publish": ("pipeline.publish.outputs",),
}
# params.yaml keys each stage reads (the others, such as workers or cache_dir, never change a result).
STAGE_PARAMS = {"parse": ["sources"], "validate": ["sources"], "publish": ["sources", "public_base_url", "catalog"]}
DVC_FILE = "dvc.yaml"


def module_file(module: str) -> Path | None:
    """The file of a module of the package (its __init__.py for a package), or None if there is none."""
    base = PACKAGE_ROOT.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(module: str, path: Path) -> set[str]:
    """Modules of the package that one module imports (absolute and relative, `from x import y` both ways)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == PACKAGE and module_file(name) is not None}


def _with_parents(module: str) -> list[str]:
    """A module and the packages above it, whose __init__ files run when it is imported."""
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


@cache
def import_closure(*entries: str) -> tuple[Path, ...]:
    """Every file of the package that importing the entry modules runs, sorted."""
    seen: set[str] = set()
    todo = [name for entry in entries for name in _with_parents(entry)]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = module_file(module)
        if path is not None:
            todo.extend(name for found in _imported(module, path) for name in _with_parents(found))
    return tuple(sorted(p for p in map(module_file, seen) if p is not None))


def package_data(code: tuple[Path, ...]) -> tuple[Path, ...]:
    """Files other than Python that ship inside the packages of `code` (templates, wording), which they read."""
    found: list[Path] = []
    for init in (path for path in code if path.name == "__init__.py"):
        for path in init.parent.rglob("*"):
            inner = path.relative_to(init.parent).parts
            in_subpackage = any((init.parent.joinpath(*inner[:n]) / "__init__.py").is_file()
                                for n in range(1, len(inner)))
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in inner \
                    and not in_subpackage:
                found.append(path)
    return tuple(sorted(found))


def data_files(root: Path = ROOT) -> tuple[Path, ...]:
    """The data every offline stage reads: Table Schemas, lookup tables, source declarations, params.yaml."""
    files = [*root.glob("schemas/*.json"), *root.glob("sources/lookups/*.csv"), *root.glob("sources/*/source.yml"),
             *root.glob("sources/*/lookups/*.csv"), root / "params.yaml"]
    return tuple(sorted(p for p in files if p.is_file()))


def stage_files(stage: str, root: Path = ROOT) -> tuple[Path, ...]:
    """Code and data a stage's result depends on."""
    code = import_closure(*STAGE_ENTRIES[stage])
    return (*code, *package_data(code), *(p for p in data_files(root) if p.name != "params.yaml"))


def _relative(path: Path) -> str:
    for base in (ROOT, PACKAGE_ROOT):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    raise ValueError(f"{path} is outside the project")


def dvc_stages(root: Path = ROOT) -> dict:
    """dvc.yaml's content: one stage per staged command, with the dependencies derived above."""
    snapshots = sorted(p.parent.relative_to(root).as_posix() for p in root.glob("sources/*/snapshot/manifest.json"))
    deps = {stage: [_relative(p) for p in stage_files(stage, root)] for stage in STAGE_ENTRIES}
    return {"stages": {
        "parse": {"cmd": "hankedata parse --quiet", "deps": [*snapshots, *deps["parse"]],
                  "params": STAGE_PARAMS["parse"], "outs": ["build/segments"]},
        "validate": {"cmd": "hankedata validate --quiet", "deps": ["build/segments", *deps["validate"]],
                     "params": STAGE_PARAMS["validate"], "outs": ["build/validated"]},
        "publish": {"cmd": "hankedata publish --quiet", "deps": ["build/segments", "build/validated", *deps["publish"]],
                    "params": STAGE_PARAMS["publish"], "outs": ["outputs"]},
    }}


def dvc_yaml(root: Path = ROOT) -> str:
    """dvc.yaml as text, with a header saying where it comes from."""
    header = ("# Written by `python -m pipeline.dependencies` from the stages' imports and data files; do not edit.\n"
              "# `dvc repro` reproduces what `hankedata run` writes. `hankedata fetch` (network) is not a stage.\n")
    return header + yaml.safe_dump(dvc_stages(root), sort_keys=False, allow_unicode=True, width=120)


def main() -> int:
    """Write dvc.yaml (or, with --check, exit 1 when the committed one is not current)."""
    text, path = dvc_yaml(), ROOT / DVC_FILE
    if "--check" in sys.argv[1:]:
        current = path.is_file() and path.read_text(encoding="utf-8") == text
        print(f"{DVC_FILE} is {'current' if current else 'out of date: run python -m pipeline.dependencies'}")
        return 0 if current else 1
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
