"""hankedata: open data about public development projects (fetch, parse, normalise, validate, publish)."""

__version__ = "0.1.0"
