"""The portal's licence id for the catalogue's licence, matched the way CKAN's DCAT harvester does it.

A portal has its own licence list (CKAN's ``license_list``; avoindata.fi's is in
shared/dcat/ckan/avoindata-license.json). CKAN accepts an unknown ``license_id`` silently, showing
it as a closed licence named after the id, so the id is looked up here and a licence the portal does
not know is an error, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.core.errors import UserError

from .published import Licence


def _url_key(url: str) -> str:
    """A URL compared without its scheme, a trailing slash or case: licence lists differ in those."""
    return url.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")


def portal_licence_id(licence: Licence, portal_licences: Iterable[Mapping[str, Any]]) -> str:
    """The id of the portal licence whose URL or title matches the catalogue's licence."""
    listed = [item for item in portal_licences if item.get("id")]
    urls = {_url_key(u) for u in (licence.uri, licence.see_also) if u}
    for item in listed:
        if item.get("url") and _url_key(str(item["url"])) in urls:
            return str(item["id"])
    title = licence.title.strip().casefold()
    for item in listed:
        if title and str(item.get("title", "")).strip().casefold() == title:
            return str(item["id"])
    known = ", ".join(sorted({str(item["id"]) for item in listed}))
    raise UserError(f"the portal's licence list has no licence matching {licence.title or licence.uri!r} "
                    f"({licence.see_also or licence.uri}); its licence ids are: {known}")
