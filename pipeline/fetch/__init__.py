"""fetch: the only network step — download a source's cards, politely and confined, into a snapshot."""

from .run import FetchReport, fetch_cards

__all__ = ["FetchReport", "fetch_cards"]
