"""push-ckan's plan against the real published files: minimal writes, package_patch, nothing foreign touched.

The portal side is the shape CKAN 2.12's package_show returns (tags and extras as lists of dicts,
ids, upload URLs rewritten to the portal's download address), built from what a push sent.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_file

from pipeline.push.errors import Rejected
from pipeline.push.licences import portal_licence_id
from pipeline.push.mapping import CATALOG_EXTRA, DesiredDataset, desired_dataset
from pipeline.push.names import dataset_name
from pipeline.push.plan import make_plan
from pipeline.push.published import Published, read_published
from pipeline.push.report import plan_lines, summary

ORG_ID = "0d6f-org"
PORTAL = "https://portal.example.org"


@pytest.fixture(scope="module")
def published(snapshot_run: Path) -> Published:
    return read_published(snapshot_run)


@pytest.fixture(scope="module")
def desired(published: Published) -> list[DesiredDataset]:
    licences = json.loads(shared_file("dcat", "ckan", "avoindata-license.json").read_text(encoding="utf-8"))
    return [desired_dataset(d, name=dataset_name(d.identifier, {}), organization="oulu",
                            licence_id=portal_licence_id(d.licence, licences), catalog_uri=published.catalog_uri,
                            out_dir=published.out_dir, link=False) for d in published.datasets]


def as_portal(want: DesiredDataset, number: int) -> dict[str, Any]:
    """The dataset as package_show returns it after a push created it."""
    fields = copy.deepcopy(want.fields)
    fields["tags"] = [{"name": t["name"], "id": f"tag-{t['name']}", "state": "active", "vocabulary_id": None}
                      for t in fields["tags"]]
    resources = []
    for position, resource in enumerate(want.resources):
        held = {**copy.deepcopy(resource.fields), "id": f"res-{number}-{position}", "position": position,
                "state": "active", "created": "2026-12-02T10:00:00", "description": resource.fields.get("description")}
        if resource.upload is not None:
            held["url"] = f"{PORTAL}/dataset/ds-{number}/resource/{held['id']}/download/{resource.upload.name}"
            held["size"] = resource.upload.stat().st_size
        resources.append(held)
    return {**fields, "id": f"ds-{number}", "owner_org": ORG_ID, "state": "active", "type": "dataset",
            "license_title": "Creative Commons Attribution 4.0", "metadata_modified": "2026-12-02T10:00:00",
            "resources": resources, "num_resources": len(resources)}


def portal_of(desired: list[DesiredDataset]) -> dict[str, dict[str, Any]]:
    return {d.name: as_portal(d, i) for i, d in enumerate(desired)}


def plan_for(desired, current, published, on_portal=(), prune=False):
    return make_plan(desired, current, ORG_ID, published.catalog_uri, list(on_portal), prune)


def test_first_push_creates_every_dataset_and_resource(desired, published) -> None:
    plan = plan_for(desired, {}, published)
    assert [s.action for s in plan.datasets] == ["create"] * 4
    assert plan.writes == 4 * (1 + 5)
    assert all(r.action == "create" for s in plan.datasets for r in s.resources)
    assert summary(plan) == "datasets: 4 to create; 24 writes"


def test_portal_that_matches_needs_no_write(desired, published) -> None:
    portal = portal_of(desired)
    plan = plan_for(desired, portal, published, portal.values())
    assert plan.writes == 0
    assert {s.action for s in plan.datasets} == {"unchanged"}
    assert all(line.lstrip().startswith("unchanged") for line in plan_lines(plan))


def test_a_changed_file_replaces_only_its_resource(desired, published) -> None:
    portal = portal_of(desired)
    projects = next(d for d in desired if d.name.endswith("projects"))
    held = next(r for r in portal[projects.name]["resources"] if r["hankedata_key"] == "csv")
    held["hash"] = "0" * 64
    plan = plan_for(desired, portal, published, portal.values())
    assert plan.writes == 1
    step = next(s for s in plan.datasets if s.name == projects.name)
    assert step.action == "unchanged"
    changed = [r for r in step.resources if r.action != "unchanged"]
    assert [(r.key, r.action, r.resource_id) for r in changed] == [("csv", "replace-file", held["id"])]
    assert changed[0].upload == published.out_dir / "csv" / "projects.csv"


def test_changed_metadata_is_patched_field_by_field_keeping_the_portals_own_extras(desired, published) -> None:
    portal = portal_of(desired)
    name = desired[0].name
    portal[name]["title"] = "Edited on the portal"
    portal[name]["extras"].append({"key": "editor_note", "value": "added by a portal editor"})
    portal[name]["resources"][1]["name"] = "renamed"
    plan = plan_for(desired, portal, published, portal.values())
    step = plan.datasets[0]
    assert step.action == "update" and step.changed == ("title",)
    assert step.fields == {"title": desired[0].fields["title"]}
    portal[name]["extras"] = [e for e in portal[name]["extras"] if e["key"] != "modified"]
    step = plan_for(desired, portal, published, portal.values()).datasets[0]
    assert "extras" in step.changed
    assert {"key": "editor_note", "value": "added by a portal editor"} in step.fields["extras"]
    resource = next(r for r in step.resources if r.action != "unchanged")
    assert (resource.action, resource.changed, resource.fields) == ("update", ("name",),
                                                                   {"name": desired[0].resources[1].fields["name"]})


def test_foreign_resources_stay_and_our_unpublished_ones_go(desired, published) -> None:
    portal = portal_of(desired)
    resources = portal[desired[0].name]["resources"]
    resources.append({"id": "added-by-hand", "name": "a editor's link", "url": "https://example.org/x"})
    resources.append({"id": "old-kind", "hankedata_key": "xlsx", "url": "https://example.org/y"})
    step = plan_for(desired, portal, published, portal.values()).datasets[0]
    assert [(r.key, r.action, r.resource_id) for r in step.resources if r.action != "unchanged"] == [
        ("xlsx", "delete", "old-kind")]


def test_vanished_datasets_are_reported_and_deleted_only_with_prune(desired, published) -> None:
    portal = portal_of(desired)
    gone = copy.deepcopy(portal[desired[0].name])
    gone.update(name="hankedata-example-org-retired", id="ds-retired")
    foreign = {"name": "someone-elses", "id": "x", "extras": [{"key": CATALOG_EXTRA, "value": "https://other/catalog"}]}
    on_portal = [*portal.values(), gone, foreign]
    kept = plan_for(desired, portal, published, on_portal)
    assert [(v.name, v.delete) for v in kept.vanished] == [("hankedata-example-org-retired", False)]
    assert kept.writes == 0 and "--prune deletes it" in plan_lines(kept)[-1]
    pruned = plan_for(desired, portal, published, on_portal, prune=True)
    assert [(v.name, v.delete) for v in pruned.vanished] == [("hankedata-example-org-retired", True)]
    assert pruned.writes == 1


def test_a_name_taken_by_another_dataset_is_refused_and_a_deleted_one_recreated(desired, published) -> None:
    portal = portal_of(desired)
    name = desired[0].name
    portal[name]["extras"] = [{"key": "uri", "value": "https://other.example.org/dataset/x"}]
    with pytest.raises(Rejected, match="not this catalogue's dataset"):
        plan_for(desired, portal, published)
    portal[name]["state"] = "deleted"
    assert plan_for(desired, portal, published).datasets[0].action == "create"
