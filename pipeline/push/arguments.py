"""The push-ckan command line: its options, help and exit codes (kept light: the parser imports it on every run)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.core.params import PARAMS_FILE

from .errors import EXIT_NOT_AUTHORIZED, EXIT_REJECTED, EXIT_TOO_LARGE, EXIT_UNAVAILABLE

TOKEN_VARIABLE = "CKAN_API_TOKEN"
PROFILES = ("ckan", "avoindata")
EXIT_INTERRUPTED = 130
HELP = "make a CKAN portal's datasets match a published outputs/ folder (through the Action API)"
EXIT_CODES = f"""exit codes:
  0    success: the portal matches outputs/ (with --dry-run: the plan was printed, nothing changed)
  2    bad arguments, no {TOKEN_VARIABLE}, unreadable or inconsistent outputs/, unknown organization or licence
  4    internal error (a bug; --debug shows the traceback)
  {EXIT_NOT_AUTHORIZED}    the portal refused the token (invalid, or no rights on the organization)
  {EXIT_REJECTED}    the portal rejected a dataset or resource (its per-field messages are shown)
  {EXIT_TOO_LARGE}    an upload is over the portal's size limit (use --link-resources)
  {EXIT_UNAVAILABLE}    the portal did not answer, or answered with server errors, after the retries
  130  interrupted (the next push completes what this one started)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of push-ckan."""
    parser.add_argument("--url", required=True, help="the portal's address, e.g. https://www.avoindata.fi/data")
    parser.add_argument("--organization", required=True, help="the CKAN organization (name or id) to publish in")
    parser.add_argument("--profile", choices=PROFILES, default="ckan",
                        help="metadata profile: plain CKAN + ckanext-dcat, or avoindata.fi's schema (default: ckan)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    parser.add_argument("--link-resources", action="store_true",
                        help="link the files at their public URLs (public_base_url) instead of uploading them")
    parser.add_argument("--prune", action="store_true",
                        help="delete this catalogue's datasets that are no longer published (default: report them)")
    parser.add_argument("--out", type=Path, help="the published folder to read (default: outputs/)")
    parser.add_argument("--params", type=Path, default=PARAMS_FILE, help="parameters file (default: params.yaml)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    parser.add_argument("--quiet", action="store_true", help="print only the closing summary and errors")


