"""`hankedata push-ckan`: read outputs/, compare with the portal, print the plan, make the writes.

It never runs the pipeline: it pushes what was published. The API token comes only from the
environment (CKAN_API_TOKEN); there is deliberately no option for it, so it never lands in shell
history, process listings or CI logs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from pipeline.core.errors import UserError
from pipeline.core.params import ROOT, load_params

from .apply import apply_plan
from .arguments import EXIT_INTERRUPTED, TOKEN_VARIABLE
from .avoindata import avoindata
from .client import CkanClient
from .licences import portal_licence_id
from .mapping import DesiredDataset, desired_dataset
from .names import check_names, dataset_name
from .plan import Plan, make_plan
from .portal import read_portal
from .published import Published, read_published
from .report import plan_lines, summary


def _portal_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"--url must be the portal's http(s) address, got {url!r}")
    return url.rstrip("/")


def _token(dry_run: bool) -> str:
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token and not dry_run:
        raise UserError(f"set {TOKEN_VARIABLE} to an API token of a user who may edit the organization's datasets "
                        "(the token is never taken as an argument)")
    return token


def desired_datasets(published: Published, *, organization: str, portal_licences: list[dict[str, Any]],
                     names: dict[str, str], profile: str, link: bool) -> list[DesiredDataset]:
    """Every published dataset as the CKAN dataset it should be, in the chosen profile."""
    desired = []
    for dataset in published.datasets:
        want = desired_dataset(dataset, name=dataset_name(dataset.identifier, names), organization=organization,
                               licence_id=portal_licence_id(dataset.licence, portal_licences),
                               catalog_uri=published.catalog_uri, out_dir=published.out_dir, link=link)
        desired.append(avoindata(want, dataset) if profile == "avoindata" else want)
    return desired


def plan_push(client: CkanClient, published: Published, *, organization: str, names: dict[str, str],
              profile: str = "ckan", link: bool = False, prune: bool = False) -> Plan:
    """Read the portal and compare: the plan of one push (nothing is written)."""
    if not published.datasets:
        raise UserError(f"{published.out_dir}: the catalogue has no datasets to push")
    portal = read_portal(client, organization, [dataset_name(d.identifier, names) for d in published.datasets])
    desired = desired_datasets(published, organization=organization, portal_licences=portal.licences,
                               names=names, profile=profile, link=link)
    return make_plan(desired, portal.current, portal.org_id, published.catalog_uri, portal.in_organization, prune)


def _log(args: argparse.Namespace) -> Callable[[str], None]:
    if args.quiet:
        return lambda _message: None
    return lambda message: print(f"push-ckan: {message}", file=sys.stderr, flush=True)


def push(args: argparse.Namespace) -> int:
    """The push-ckan command; returns its exit code (errors are raised for the CLI to report)."""
    url = _portal_url(args.url)
    params = load_params(args.params)
    names = check_names((params.get("ckan") or {}).get("names"))
    published = read_published(args.out or ROOT / params["out_dir"])
    client = CkanClient(url, _token(args.dry_run), organization=args.organization)
    try:
        plan = plan_push(client, published, organization=args.organization, names=names, profile=args.profile,
                         link=args.link_resources, prune=args.prune)
        if args.dry_run or not args.quiet:
            print("\n".join(plan_lines(plan)))
        if args.dry_run:
            print(f"Dry run against {url}: {summary(plan)}; nothing was changed.")
            return 0
        apply_plan(plan, client, _log(args))
    except KeyboardInterrupt:
        print(f"hankedata: interrupted after {client.writes} writes; run push-ckan again to complete the push",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        client.close()
    print(f"Pushed {published.out_dir} to {url}: {summary(plan, done=True)}; the portal matches the outputs.")
    return 0
