"""Normalise stage: parse published values (money, dates) and build tidy tables."""
