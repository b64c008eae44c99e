"""Stated totals against the sums of their lines.

The page shows whole euros, so each summed amount may be off by half a euro: a difference within
half a euro per summed amount is rounding (warning), beyond that it is an error. Every finding
states the stated total, the computed sum and the difference.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.core.findings import Finding

HALF_EURO = Decimal("0.5")


def check_total(stated: Decimal, parts: list[Decimal], field: str, what: str, raw: str = "") -> Finding | None:
    """A finding when `stated` differs from sum(parts); None when they agree exactly."""
    computed = sum(parts, Decimal(0))
    difference = stated - computed
    if difference == 0:
        return None
    tolerance = HALF_EURO * max(len(parts), 1)
    rounding = abs(difference) <= tolerance
    severity = "warning" if rounding else "error"
    check = "total-rounding" if rounding else "total-mismatch"
    message = (f"{what}: stated {stated}, computed {computed}, difference {difference} "
               f"({'within' if rounding else 'beyond'} the rounding tolerance of {tolerance} for "
               f"{len(parts)} amounts)")
    return Finding(check, severity, field, message, raw, stated_eur=stated, computed_eur=computed,
                   difference_eur=difference)
