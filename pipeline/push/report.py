"""The plan as lines a person reads: one per dataset and resource, then a one-line summary."""

from __future__ import annotations

from collections import Counter

from .plan import DatasetStep, Plan, ResourceStep


def _resource_line(step: ResourceStep) -> str:
    if step.action == "create":
        source = f"upload {step.upload.name}" if step.upload else f"link {step.fields.get('url', '')}"
        return f"    create    resource {step.key}: {source}"
    if step.action == "replace-file":
        source = f"upload {step.upload.name}" if step.upload else f"link {step.fields.get('url', '')}"
        return f"    update    resource {step.key}: new file ({source})"
    if step.action == "update":
        return f"    update    resource {step.key}: {', '.join(step.changed)}"
    if step.action == "delete":
        return f"    delete    resource {step.key}: no longer published"
    return f"    unchanged resource {step.key}"


def _dataset_lines(step: DatasetStep) -> list[str]:
    detail = f": {', '.join(step.changed)}" if step.action == "update" else ""
    return [f"{step.action:<9} dataset {step.name}{detail}", *(_resource_line(r) for r in step.resources)]


def plan_lines(plan: Plan) -> list[str]:
    """Every step, datasets first, vanished datasets last."""
    lines = [line for step in plan.datasets for line in _dataset_lines(step)]
    for gone in plan.vanished:
        verdict = "delete   " if gone.delete else "vanished "
        hint = "no longer published (--prune)" if gone.delete else "no longer published; kept (--prune deletes it)"
        lines.append(f"{verdict} dataset {gone.name}: {hint}")
    return lines


_DONE = {"create": "created", "update": "updated", "delete": "deleted"}


def summary(plan: Plan, done: bool = False) -> str:
    """One line: datasets by action, vanished ones, and the number of writes (planned, or done)."""
    def verb(action: str) -> str:
        return _DONE[action] if done else f"to {action}"

    counts = Counter(step.action for step in plan.datasets)
    parts = [f"{counts[a]} {verb(a)}" if a != "unchanged" else f"{counts[a]} unchanged"
             for a in ("create", "update", "unchanged") if counts[a]]
    deleted = sum(g.delete for g in plan.vanished)
    kept = len(plan.vanished) - deleted
    if deleted:
        parts.append(f"{deleted} {verb('delete')}")
    if kept:
        parts.append(f"{kept} vanished and kept")
    return f"datasets: {', '.join(parts) or 'none'}; {plan.writes} writes"
