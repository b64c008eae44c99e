"""Parsers by name: `parser:` in a source.yml names one of these, and nothing else chooses how an input is read.

A parser is a module with `parse(inp, data, source)`, which turns one input's bytes into records (one
page gives one project, a file of rows many), and `layout(settings, where)`, which checks the parser's
own part of source.yml (`layout:`) and returns it typed; a key it does not know is a ConfigError.
Modules are imported when first used, so a run loads only the parsers its sources name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from .errors import ConfigError

# name -> module; the dependency lists (cache keys, dvc.yaml) read this table too.
PARSERS: dict[str, str] = {
    "hankekortti": "pipeline.parse.hankekortti.parser",
}

Parse = Callable[[Any, bytes, Any], Iterable[Any]]


def parser_module(name: str) -> ModuleType:
    """The module of the parser called `name`; an unknown name is a ConfigError listing the known ones."""
    if name not in PARSERS:
        raise ConfigError(f"unknown parser {name!r}; known parsers: {', '.join(sorted(PARSERS))}")
    return importlib.import_module(PARSERS[name])
