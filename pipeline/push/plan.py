"""The plan: which writes make the portal match the outputs, and nothing more.

A pure comparison of the desired datasets with what the portal holds. A dataset is created when
it is missing (or deleted), patched with only the fields that differ (``package_patch``, so fields a
portal editor added stay), and left alone when equal. A resource is found again by its
``hankedata_key``; its file is uploaded again only when the sha256 CKAN holds differs from the
published one. Resources and datasets a push of this catalogue made that are no longer published
are deleted (datasets only with --prune); anything else on the portal is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import Rejected
from .mapping import CATALOG_EXTRA, KEY_FIELD, DesiredDataset, DesiredResource

ResourceAction = Literal["create", "replace-file", "update", "unchanged", "delete"]
DatasetAction = Literal["create", "update", "unchanged"]
# Fields CKAN fills itself for an upload: compared only through the hash.
_UPLOAD_OWNED = frozenset({"url", "size", "mimetype"})


@dataclass(frozen=True)
class ResourceStep:
    """What happens to one resource."""

    key: str
    action: ResourceAction
    changed: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    upload: Path | None = None
    resource_id: str = ""

    @property
    def writes(self) -> int:
        """API writes this step makes."""
        return 0 if self.action == "unchanged" else 1


@dataclass(frozen=True)
class DatasetStep:
    """What happens to one dataset and its resources."""

    name: str
    action: DatasetAction
    changed: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    dataset_id: str = ""
    resources: tuple[ResourceStep, ...] = ()

    @property
    def writes(self) -> int:
        """API writes this step makes, resources included."""
        return (self.action != "unchanged") + sum(r.writes for r in self.resources)


@dataclass(frozen=True)
class Vanished:
    """A dataset this catalogue's pushes made that is no longer published."""

    name: str
    dataset_id: str
    delete: bool


@dataclass(frozen=True)
class Plan:
    """Every step of one push."""

    datasets: tuple[DatasetStep, ...]
    vanished: tuple[Vanished, ...]

    @property
    def writes(self) -> int:
        """API writes the plan makes; 0 means the portal already matches."""
        return sum(d.writes for d in self.datasets) + sum(v.delete for v in self.vanished)


# --- comparing values ------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """CKAN's way of returning a value we sent: None for empty, lists of one for repeating fields."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list | tuple):
        items = [_plain(v) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items()) if _plain(v) is not None} or None
    if isinstance(value, bool):
        return value
    return str(value)


def same(want: Any, have: Any) -> bool:
    """Whether a value CKAN holds equals the one we would send."""
    return _plain(want) == _plain(have)


def _extras(items: Iterable[Mapping[str, Any]] | None) -> dict[str, str]:
    return {str(e.get("key")): str(e.get("value")) for e in items or []}


def _tags(items: Iterable[Mapping[str, Any]] | None) -> set[str]:
    return {str(t.get("name")) for t in items or []}


def changed_package_fields(want: Mapping[str, Any], have: Mapping[str, Any], org_id: str) -> list[str]:
    """The package fields whose value on the portal differs from the desired one."""
    changed = []
    for key, value in want.items():
        if key == "owner_org":
            differs = have.get("owner_org") != org_id
        elif key == "tags":
            differs = _tags(value) != _tags(have.get("tags"))
        elif key == "extras":
            current = _extras(have.get("extras"))
            differs = any(current.get(k) != v for k, v in _extras(value).items())
        else:
            differs = not same(value, have.get(key))
        if differs:
            changed.append(key)
    return changed


def patch_fields(want: Mapping[str, Any], have: Mapping[str, Any], changed: list[str]) -> dict[str, Any]:
    """The fields to send to package_patch: only the changed ones; extras merged with the portal's own."""
    fields = {key: want[key] for key in changed}
    if "extras" in fields:
        merged = {**_extras(have.get("extras")), **_extras(want["extras"])}
        fields["extras"] = [{"key": k, "value": v} for k, v in sorted(merged.items())]
    return fields


# --- resources -------------------------------------------------------------------------------


def resource_step(want: DesiredResource, have: Mapping[str, Any] | None) -> ResourceStep:
    """Create, replace the file, update metadata, or leave one resource."""
    if have is None:
        return ResourceStep(want.key, "create", fields=want.fields, upload=want.upload)
    rid = str(have.get("id", ""))
    if want.upload is not None:
        file_differs = have.get("hash") != want.fields.get("hash") or have.get("url_type") != "upload"
        compared = {k: v for k, v in want.fields.items() if k not in _UPLOAD_OWNED}
    else:
        file_differs = not same(want.fields.get("url"), have.get("url")) or have.get("url_type") == "upload"
        compared = dict(want.fields)
    changed = tuple(k for k, v in compared.items() if not same(v, have.get(k)))
    if file_differs:
        return ResourceStep(want.key, "replace-file", changed or ("hash",), want.fields, want.upload, rid)
    if changed:
        return ResourceStep(want.key, "update", changed, {k: want.fields[k] for k in changed}, None, rid)
    return ResourceStep(want.key, "unchanged", resource_id=rid)


def resource_steps(want: tuple[DesiredResource, ...], have: list[Mapping[str, Any]]) -> tuple[ResourceStep, ...]:
    """Steps for every desired resource, then deletions of our resources that are no longer published."""
    current = {str(r.get(KEY_FIELD)): r for r in have if r.get(KEY_FIELD)}
    steps = [resource_step(r, current.get(r.key)) for r in want]
    wanted = {r.key for r in want}
    steps += [ResourceStep(key, "delete", resource_id=str(r.get("id", ""))) for key, r in sorted(current.items())
              if key not in wanted]
    return tuple(steps)


# --- datasets --------------------------------------------------------------------------------


def _check_ours(want: DesiredDataset, have: Mapping[str, Any]) -> None:
    uri = _extras(have.get("extras")).get("uri")
    if uri != want.uri:
        raise Rejected(f"the portal's dataset {want.name!r} is not this catalogue's dataset {want.uri} (its uri is "
                       f"{uri or 'not set'}): give ours another name in params.yaml ckan.names")


def dataset_step(want: DesiredDataset, have: Mapping[str, Any] | None, org_id: str) -> DatasetStep:
    """Create, patch or leave one dataset, with its resource steps."""
    if have is None or have.get("state") == "deleted":
        resources = tuple(ResourceStep(r.key, "create", fields=r.fields, upload=r.upload) for r in want.resources)
        return DatasetStep(want.name, "create", fields=want.fields, resources=resources)
    _check_ours(want, have)
    changed = changed_package_fields(want.fields, have, org_id)
    resources = resource_steps(want.resources, list(have.get("resources") or []))
    action: DatasetAction = "update" if changed else "unchanged"
    return DatasetStep(want.name, action, tuple(changed), patch_fields(want.fields, have, changed),
                       str(have.get("id", "")), resources)


def vanished(catalog_uri: str, wanted: set[str], on_portal: Iterable[Mapping[str, Any]],
             prune: bool) -> tuple[Vanished, ...]:
    """Datasets of this catalogue on the portal that are no longer published."""
    ours = [d for d in on_portal if _extras(d.get("extras")).get(CATALOG_EXTRA) == catalog_uri
            and d.get("state", "active") != "deleted" and d.get("name") not in wanted]
    return tuple(Vanished(str(d["name"]), str(d.get("id", "")), prune) for d in sorted(ours, key=lambda d: d["name"]))


def make_plan(desired: list[DesiredDataset], current: Mapping[str, Mapping[str, Any] | None], org_id: str,
              catalog_uri: str, on_portal: Iterable[Mapping[str, Any]], prune: bool) -> Plan:
    """The whole plan: a step per desired dataset (current[name] is the portal's, or None), and vanished ones."""
    steps = tuple(dataset_step(d, current.get(d.name), org_id) for d in desired)
    return Plan(steps, vanished(catalog_uri, {d.name for d in desired}, on_portal, prune))
