"""hankedata: open data from public-sector project cards (fetch, extract, validate, normalise, publish)."""

__version__ = "0.1.0"
