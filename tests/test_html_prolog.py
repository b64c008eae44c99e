"""What comes before <html> changes nothing in the lines read from a page, and nothing in it is resolved.

An XML declaration, a DOCTYPE with an internal subset, comments, CDATA sections and processing
instructions are read by an HTML parser by HTML's rules, not XML's: a '>' inside them ends them
early and the rest spills into the page as text (and moves the head into the body). Each form is
put before a real card page, and the lines must be those of the same page without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import no_backtracking
from corpus import card_html, full_card

from pipeline.parse.hankekortti.html_lines import html_to_lines, strip_prolog

CONTACT = "Hankepäällikkö Etu Suku. Sähköposti: etunimi.sukunimi(at)ouka.fi."
SECRET = "root:x:0:0:do-not-read"
PROLOGS = {
    "xml-declaration": '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n',
    "doctype-internal-subset": ('<!DOCTYPE x [<!ENTITY e SYSTEM "{secret}"><!ENTITY % p "<!ENTITY q \'x]>y\'>">'
                                "<!ATTLIST td class CDATA 'a>b'>]>\n"),
    "xml-declaration-and-doctype": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{secret}">]>',
    "comments": "<!-- a comment --><!-->Salkku   Väärä--><!-- <td>Hankkeen nimi</td> -->\n",
    "cdata": "<![CDATA[<td>Hankkeen nimi   Väärä</td> ]]>",
    "processing-instructions": '<?xml-stylesheet type="text/xsl" href="card.xsl"?><?php echo "<td>x</td>"; ?>',
    "all-together": ('\ufeff<?xml version="1.0"?>\n<!-- c --><?pi a > b?><![CDATA[ <b> ]] > ]]>'
                     '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://www.w3.org/TR/xhtml1/DTD/x.dtd" '
                     '[<!ENTITY e SYSTEM "{secret}"><!-- ]> -->]>  \n'),
}


@pytest.fixture(scope="module")
def page() -> str:
    return card_html(full_card(contacts=CONTACT)).decode("utf-8")


@pytest.fixture()
def secret_file(tmp_path: Path) -> str:
    path = tmp_path / "passwd"
    path.write_text(SECRET, encoding="utf-8")
    return path.as_uri()


@pytest.mark.parametrize("form", sorted(PROLOGS))
def test_prolog_before_the_page_changes_no_line(form: str, page: str, secret_file: str) -> None:
    prolog = PROLOGS[form].format(secret=secret_file)
    expected = html_to_lines(page).lines
    assert html_to_lines(prolog + page).lines == expected
    assert html_to_lines(prolog + page.removeprefix("<!DOCTYPE html>")).lines == expected
    assert SECRET not in "\n".join(html_to_lines(prolog + page).lines)


@pytest.mark.parametrize("unfinished", ["<!-- never closed <html><body>x", "<!DOCTYPE x [<!ENTITY e 'y'>",
                                        "<?xml never closed", "<![CDATA[ x"])
def test_an_unfinished_prolog_is_left_to_the_parser(unfinished: str) -> None:
    assert strip_prolog(unfinished) == unfinished


def test_text_before_the_first_tag_is_not_prolog() -> None:
    assert strip_prolog("  Hankkeen nimi <b>x</b>") == "  Hankkeen nimi <b>x</b>"
    assert strip_prolog("<!-- c -->\n<html>") == "\n<html>"


@pytest.mark.parametrize("hostile", ["<!--" * 250_000, "<!---->" * 150_000, "<!DOCTYPE x [" + "<!-- " * 200_000,
                                     "<!DOCTYPE x [" + "'" * 500_000, "<?" * 500_000, " " * 1_000_000 + "<p>"])
def test_stripping_takes_linear_time(hostile: str) -> None:
    with no_backtracking():
        html_to_lines(hostile)
