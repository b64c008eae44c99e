"""Reader for the Finnish list of operations of the EU structural funds (EURA 2007, EURA 2014, EURA 2021).

A pure package: bytes in, rows and problems out; no pipeline, no file system, no network. See
docs/eura.md for the layouts, the rule that splits the unquoted rows, and the scope and city rules.
"""

from .cities import CITY_TABLE, CityMatcher, city_of, in_scope, matcher_from_table, scope_reason
from .encoding import decode, lost_characters
from .layouts import LAYOUT_TABLE, LAYOUTS, Column, Layout, recognise
from .model import ListRead, Problem, Row
from .read import read_list
from .rows import Split, Splitter

__all__ = [
    "CITY_TABLE",
    "LAYOUTS",
    "LAYOUT_TABLE",
    "CityMatcher",
    "Column",
    "Layout",
    "ListRead",
    "Problem",
    "Row",
    "Split",
    "Splitter",
    "city_of",
    "decode",
    "in_scope",
    "lost_characters",
    "matcher_from_table",
    "read_list",
    "recognise",
    "scope_reason",
]
