"""Validate stage: Table Schema constraints (vectorised), business rules, quarantine, report."""
