"""The catalogue publishes no personal data: what the guard finds in its text is refused, not masked.

Its text comes from the publisher's own settings (source.yml, params.yaml) and the schemas, never
from a card; and a contact point or publisher whose address was masked would be useless to a
harvester. So a person's e-mail address, phone number or titled name in it stops the publish with
one line naming the statement; a role address the publisher chose to publish is listed in source.yml
`public_addresses`.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from pipeline.core.errors import ConfigError

from .personal_data import Policy, mask

MAILTO = "mailto:"


def _text(value: object) -> str | None:
    """The text of a plain or language-tagged literal, or the address of a mailto: IRI; else None."""
    if isinstance(value, Literal) and value.datatype in (None, XSD.string):
        return str(value)
    if isinstance(value, URIRef) and value.startswith(MAILTO):
        return value[len(MAILTO):]
    return None


def catalogue_findings(graph: Graph, policy: Policy) -> list[str]:
    """'<predicate> of <subject>: <rules>' for each statement whose text holds personal data, in a fixed order."""
    found = []
    for subject, predicate, value in sorted(graph):
        text = _text(value)
        rules = sorted(mask(text, policy)[1]) if text is not None else []
        if rules:
            found.append(f"{predicate} of {subject}: {', '.join(rules)}")
    return found


def refuse_personal_data(graph: Graph, policy: Policy) -> None:
    """Raise a ConfigError naming the first statement of the catalogue that holds personal data, if any."""
    found = catalogue_findings(graph, policy)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ConfigError(f"the DCAT catalogue would publish personal data: {found[0]}{more}; change the text in "
                          f"params.yaml or source.yml, or list a role address in source.yml public_addresses")
