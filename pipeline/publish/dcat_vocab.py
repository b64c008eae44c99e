"""Vocabulary tables for the DCAT-AP catalogue: namespaces, prefixes and EU authority concepts.

Codes and labels come from the EU Publications Office authority tables (data-theme, frequency,
access-right, file-type, country, place, licence, language) and the ADMS vocabularies. Each table
lists only concepts this project may use; an unknown code is a configuration error, never a guess,
so a typo in params.yaml cannot publish a concept that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from pipeline.core.errors import ConfigError

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

# Every prefix the catalogue uses, bound on the graph and used as the inline JSON-LD context.
PREFIXES: dict[str, str] = {
    "dcat": str(DCAT),
    "dct": str(DCT),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}

AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
LANGUAGES = ("fi", "sv", "en")  # languages of every title and description in the catalogue

Labels = dict[str, str]


@dataclass(frozen=True)
class Concept:
    """One concept of a controlled vocabulary: its URI and its labels by language."""

    uri: URIRef
    labels: Labels


@dataclass(frozen=True)
class Scheme:
    """One controlled vocabulary: its URI, title and the codes this project knows."""

    name: str
    uri: URIRef
    title: str
    concepts: dict[str, Labels]


def _labels(en: str, fi: str | None = None, sv: str | None = None) -> Labels:
    return {lang: text for lang, text in (("en", en), ("fi", fi), ("sv", sv)) if text}


def _authority(table: str, title: str, concepts: dict[str, Labels]) -> Scheme:
    return Scheme(table, URIRef(f"{AUTHORITY}{table}"), title, concepts)


DATA_THEME = _authority("data-theme", "Data theme", {
    "AGRI": _labels("Agriculture, fisheries, forestry and food",
                    "Maatalous, kalastus, metsätalous ja elintarvikkeet",
                    "Jordbruk, fiske, skogsbruk och livsmedel"),
    "ECON": _labels("Economy and finance", "Talous ja raha-asiat", "Ekonomi och finans"),
    "EDUC": _labels("Education, culture and sport", "Koulutus, kulttuuri ja urheilu",
                    "Utbildning, kultur och sport"),
    "ENER": _labels("Energy", "Energia", "Energi"),
    "ENVI": _labels("Environment", "Ympäristö", "Miljö"),
    "GOVE": _labels("Government and public sector", "Valtioneuvosto ja julkinen sektori",
                    "Regeringen och den offentliga sektorn"),
    "HEAL": _labels("Health", "Terveys", "Hälsa"),
    "INTR": _labels("International issues", "Kansainväliset kysymykset", "Internationella frågor"),
    "JUST": _labels("Justice, legal system and public safety",
                    "Oikeus, oikeusjärjestelmä ja yleinen turvallisuus",
                    "Rättvisa, rättsliga system och allmän säkerhet"),
    "REGI": _labels("Regions and cities", "Alueet ja kaupungit", "Regioner och städer"),
    "SOCI": _labels("Population and society", "Väestö ja yhteiskunta", "Befolkning och samhälle"),
    "TECH": _labels("Science and technology", "Tiede ja teknologia", "Vetenskap och teknik"),
    "TRAN": _labels("Transport", "Liikenne", "Transport"),
})

FREQUENCY = _authority("frequency", "Frequency", {
    "DAILY": _labels("daily", "päivittäin", "dagligen"),
    "WEEKLY": _labels("weekly", "viikoittainen", "veckovis"),
    "MONTHLY": _labels("monthly", "kuukausittainen", "månatligen"),
    "QUARTERLY": _labels("quarterly", "vuosineljänsittäin", "kvartalsvis"),
    "ANNUAL": _labels("annual", "vuotuinen", "årlig"),
    "IRREG": _labels("irregular", "epäsäännöllinen", "oregelbundet"),
    "UPDATE_CONT": _labels("continuously updated", "päivitetään jatkuvasti", "uppdateras kontinuerligt"),
    "NEVER": _labels("never", "ei koskaan", "aldrig"),
    "UNKNOWN": _labels("unknown", "tuntematon", "obekant"),
})

ACCESS_RIGHT = _authority("access-right", "Access right", {
    "PUBLIC": _labels("public", "julkinen", "offentligt"),
    "RESTRICTED": _labels("restricted", "rajoitettu", "begränsad åtkomst"),
    "NON_PUBLIC": _labels("non-public", "ei-julkinen", "icke-offentligt"),
})

FILE_TYPE = _authority("file-type", "File type", {
    "CSV": _labels("CSV"),
    "JSON": _labels("JSON"),
    "PARQUET": _labels("Parquet"),
})

LANGUAGE = _authority("language", "Language", {
    "FIN": _labels("Finnish", "suomi", "finska"),
    "SWE": _labels("Swedish", "ruotsi", "svenska"),
    "ENG": _labels("English", "englanti", "engelska"),
})

COUNTRY = _authority("country", "Country", {
    "FIN": _labels("Finland", "Suomi", "Finland"),
})

# The six cities of the 6Aika strategy (codes checked against the place authority table:
# Oulu is FIN_OUL; FIN_OLU is a deprecated duplicate).
PLACE = _authority("place", "Place", {
    "FIN_HEL": _labels("Helsinki", "Helsinki", "Helsingfors"),
    "FIN_ESP": _labels("Espoo", "Espoo", "Esbo"),
    "FIN_VAT": _labels("Vantaa", "Vantaa", "Vanda"),
    "FIN_TMP": _labels("Tampere", "Tampere", "Tammerfors"),
    "FIN_TKU": _labels("Turku", "Turku", "Åbo"),
    "FIN_OUL": _labels("Oulu", "Oulu", "Uleåborg"),
})

LICENCE = _authority("licence", "Licence", {
    "CC_BY_4_0": _labels("Creative Commons Attribution 4.0 International",
                         "Creative Commons Nimeä 4.0 Kansainvälinen",
                         "Creative Commons Erkännande 4.0 Internationell"),
    "CC0": _labels("Creative Commons CC0 1.0 Universal", "Creative Commons CC0 1.0 Yleismaailmallinen",
                   "Creative Commons CC0 1.0 universell"),
})

PUBLISHER_TYPE = Scheme("publishertype", URIRef("http://purl.org/adms/publishertype/1.0"),
                        "Publisher Type", {"LocalAuthority": _labels("Local Authority")})
LICENCE_TYPE = Scheme("licencetype", URIRef("http://purl.org/adms/licencetype/1.0"),
                      "Licence Type", {"Attribution": _labels("Attribution"),
                                       "PublicDomain": _labels("Public domain")})
_ADMS_BASES = {PUBLISHER_TYPE.name: "http://purl.org/adms/publishertype/",
               LICENCE_TYPE.name: "http://purl.org/adms/licencetype/"}

# SPDX licence id (source.yml) -> EU licence code and ADMS licence type.
LICENCE_BY_SPDX: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("CC_BY_4_0", "Attribution"),
    "CC0-1.0": ("CC0", "PublicDomain"),
}

# ISO 639-1 code (source.yml 'language') -> EU language authority code.
LANGUAGE_BY_ISO639_1: dict[str, str] = {"fi": "FIN", "sv": "SWE", "en": "ENG"}

_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9][a-z0-9.+-]*")


def concept(scheme: Scheme, code: str, where: str) -> Concept:
    """The concept for a code, or a ConfigError naming the setting and the codes that are known."""
    if code not in scheme.concepts:
        known = ", ".join(sorted(scheme.concepts))
        raise ConfigError(f"{where}: unknown {scheme.name} code {code!r}; known codes: {known}")
    base = _ADMS_BASES.get(scheme.name, f"{scheme.uri}/")
    return Concept(URIRef(f"{base}{code}"), scheme.concepts[code])


def licence_codes(spdx_id: str) -> tuple[str, str]:
    """EU licence code and ADMS licence type of an SPDX licence id from source.yml."""
    if spdx_id not in LICENCE_BY_SPDX:
        raise ConfigError(f"source licence: no EU licence mapping for {spdx_id!r}; "
                          f"known: {', '.join(sorted(LICENCE_BY_SPDX))}")
    return LICENCE_BY_SPDX[spdx_id]


def language_code(iso639_1: str) -> str:
    """EU language authority code of a source language such as 'fi'."""
    if iso639_1 not in LANGUAGE_BY_ISO639_1:
        raise ConfigError(f"source language: no EU language code for {iso639_1!r}")
    return LANGUAGE_BY_ISO639_1[iso639_1]


def media_type_uri(media_type: str) -> URIRef:
    """IANA URI of a media type; the shapes recognise IANA types by this URL prefix."""
    if not _MEDIA_TYPE.fullmatch(media_type):
        raise ValueError(f"not an IANA media type: {media_type!r}")
    return URIRef(f"{IANA_MEDIA_TYPES}{media_type}")
