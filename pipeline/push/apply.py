"""Make the planned writes, one API call each, in an order a later push can always complete.

A new dataset is created without resources and they are added one by one, so a push stopped at any
point leaves datasets whose missing or stale resources the next push's plan finds and finishes.
"""

from __future__ import annotations

from collections.abc import Callable

from .client import CkanClient
from .plan import DatasetStep, Plan, ResourceStep

Log = Callable[[str], None]


def _resource(client: CkanClient, dataset: str, dataset_id: str, step: ResourceStep) -> None:
    what = f"dataset {dataset}, resource {step.key}"
    if step.action == "create":
        client.call("resource_create", {"package_id": dataset_id, **step.fields}, upload=step.upload, what=what)
    elif step.action in ("replace-file", "update"):
        client.call("resource_patch", {"id": step.resource_id, **step.fields}, upload=step.upload, what=what)
    elif step.action == "delete":
        client.call("resource_delete", {"id": step.resource_id}, what=what)


def _dataset(client: CkanClient, step: DatasetStep, log: Log) -> None:
    what = f"dataset {step.name}"
    dataset_id = step.dataset_id
    if step.action == "create":
        dataset_id = client.call("package_create", step.fields, what=what)["id"]
        log(f"created dataset {step.name}")
    elif step.action == "update":
        client.call("package_patch", {"id": dataset_id, **step.fields}, what=what)
        log(f"updated dataset {step.name}: {', '.join(step.changed)}")
    for resource in step.resources:
        if resource.action != "unchanged":
            _resource(client, step.name, dataset_id, resource)
            log(f"{resource.action} resource {resource.key} of {step.name}")


def apply_plan(plan: Plan, client: CkanClient, log: Log) -> None:
    """Every write of the plan; vanished datasets are deleted only when the plan says so (--prune)."""
    for step in plan.datasets:
        if step.writes:
            _dataset(client, step, log)
    for gone in plan.vanished:
        if gone.delete:
            client.call("package_delete", {"id": gone.dataset_id}, what=f"dataset {gone.name}")
            log(f"deleted dataset {gone.name} (no longer published; --prune)")
