"""What the portal holds now: the organization, its licence list and the datasets a push compares with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.core.errors import UserError

from .client import CkanClient

SEARCH_ROWS = 1000  # CKAN's default ckan.search.rows_max


@dataclass(frozen=True)
class PortalState:
    """The organization's id, the licence list, each wanted dataset (None when absent) and the organization's."""

    org_id: str
    licences: list[dict[str, Any]]
    current: dict[str, dict[str, Any] | None]
    in_organization: list[dict[str, Any]]


def organization_id(client: CkanClient, organization: str) -> str:
    """The id of the organization named on the command line; a UserError when the portal has none such."""
    found = client.show("organization_show", {"id": organization, "include_datasets": False},
                        what=f"organization {organization}")
    if found is None:
        raise UserError(f"the portal has no organization {organization!r} (--organization takes its name or id)")
    return str(found["id"])


def organization_datasets(client: CkanClient, org_id: str) -> list[dict[str, Any]]:
    """Every dataset of the organization the token may see (private and draft ones included), page by page."""
    found: list[dict[str, Any]] = []
    while True:
        page = client.call("package_search", {"fq": f'owner_org:"{org_id}"', "rows": SEARCH_ROWS,
                                              "start": len(found), "include_private": True, "include_drafts": True},
                           what="datasets of the organization")
        found += page["results"]
        if not page["results"] or len(found) >= page["count"]:
            return found


def read_portal(client: CkanClient, organization: str, names: Iterable[str]) -> PortalState:
    """The portal's side of the comparison, read with package_show (the database, not the search index)."""
    org_id = organization_id(client, organization)
    licences = client.call("license_list", what="the portal's licence list")
    current = {name: client.show("package_show", {"id": name}, what=f"dataset {name}") for name in names}
    return PortalState(org_id, licences, current, organization_datasets(client, org_id))
