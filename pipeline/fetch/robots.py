"""robots.txt, read once per origin through the same client (same User-Agent, limits and hosts)."""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from .http import Client
from .problem import FetchProblem, skipped


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: robots.txt applies per origin."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def parse_rules(status: int, body: bytes) -> RobotFileParser | None:
    """Rules from a robots.txt response, as RFC 9309 reads status codes.

    2xx: the rules in the file; 4xx: no rules (allow all); anything else (5xx): None, the
    server's wishes are unknown and nothing is fetched.
    """
    rules = RobotFileParser()
    if 200 <= status < 300:
        rules.parse(body.decode("utf-8", errors="replace").splitlines())
    elif 400 <= status < 500:
        rules.allow_all = True
    else:
        return None
    return rules


class Robots:
    """Answers "may this URL be fetched?" for the client's User-Agent, reading each origin's rules once."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.user_agent = client.policy.user_agent
        self._rules: dict[str, RobotFileParser | str] = {}

    def rules_for(self, url: str) -> RobotFileParser | str:
        """The parsed robots.txt of the URL's origin, or why it could not be read."""
        key = origin(url)
        if key not in self._rules:
            try:
                page = self.client.fetch(f"{key}/robots.txt")
            except FetchProblem as problem:
                self._rules[key] = problem.finding.message
            else:
                self._rules[key] = parse_rules(page.status, page.body) or f"HTTP {page.status}"
        return self._rules[key]

    def check(self, url: str) -> None:
        """Raise a FetchProblem (warning) if robots.txt disallows the URL or cannot be read."""
        rules = self.rules_for(url)
        if isinstance(rules, str):
            message = f"robots.txt of {origin(url)} could not be read ({rules}); not fetching"
            raise skipped("robots_unreadable", message, url)
        if not rules.can_fetch(self.user_agent, url):
            raise skipped("robots_disallowed", f"robots.txt of {origin(url)} disallows this URL", url)
