"""Catalogue texts in Finnish, Swedish and English, and keyword cleaning for CKAN tags.

The Table Schemas hold each table's English title and description; the Finnish and Swedish
versions live here, next to the fixed phrases the catalogue composes its texts from.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.core.errors import ConfigError

from .dcat_vocab import LANGUAGES, Labels

# table name -> language -> (title, description); English comes from the Table Schema.
TABLE_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "projects": {
        "fi": ("Hankkeet", "Yksi rivi kutakin julkaistua hankekorttia kohden: mikä hanke on, sen "
               "käsittelyvaihe ja päivämäärät sekä mistä tiedot on haettu."),
        "sv": ("Projekt", "En rad per publicerat projektkort: vad projektet är, dess status och datum "
               "samt varifrån uppgifterna kommer."),
    },
    "funding": {
        "fi": ("Rahoitus", "Rahoitussuunnitelma siistissä muodossa: yksi rivi hanketta, rahoitusriviä "
               "ja vuotta kohden. Ilmoitetut yhteissummat eivät ole rivejä (ne tarkistetaan, ks. "
               "laatuhavainnot). Erittelyrivit ('josta …') ovat osa yläpuolista riviä, eikä niitä saa "
               "koskaan laskea yhteen sen kanssa."),
        "sv": ("Finansiering", "Finansieringsplanen i städad form: en rad per projekt, finansieringsrad "
               "och år. Angivna totalsummor är inte rader (de kontrolleras, se kvalitetsanmärkningar). "
               "Specificeringsrader ('josta …', 'varav') ingår i raden ovanför och får aldrig summeras "
               "med den."),
    },
    "organisations": {
        "fi": ("Organisaatiot", "Yksi rivi hanketta, organisaatiota ja roolia kohden: kortilla mainitut "
               "rahoittajat ja toteuttajat; yhdistetyt kohdat on jaettu omiksi riveikseen."),
        "sv": ("Organisationer", "En rad per projekt, organisation och roll: finansiärerna och "
               "genomförarna som nämns på kortet; sammansatta poster är uppdelade på egna rader."),
    },
    "quality": {
        "fi": ("Laatuhavainnot", "Yksi rivi kutakin korttia tai aineistoa koskevaa havaintoa kohden: "
               "mikä on virheellistä tai yllättävää, missä ja kuinka vakavaa. Jokainen syötteen kortti "
               "on joko julkaistu hanke tai mainittu täällä virhehavainnossa."),
        "sv": ("Kvalitetsanmärkningar", "En rad per anmärkning om ett kort eller datamängden: vad som "
               "är fel eller överraskande, var och hur allvarligt. Varje kort i indata är antingen ett "
               "publicerat projekt eller nämnt här i en felanmärkning."),
    },
}

ROWS = {"fi": "Rivejä: {rows}.", "sv": "Rader: {rows}.", "en": "Rows: {rows}."}

# distribution kind -> language -> (title suffix or title, description)
DISTRIBUTION_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "csv": {
        "fi": ("{table} (CSV)", "Taulukko CSV-muodossa (UTF-8, pilkuin eroteltu, otsikkorivi); "
               "sarakkeet Table Scheman mukaan."),
        "sv": ("{table} (CSV)", "Tabellen som CSV (UTF-8, kommaseparerad, rubrikrad); kolumner "
               "enligt Table Schema."),
        "en": ("{table} (CSV)", "The table as CSV (UTF-8, comma-separated, header row); columns as "
               "in the Table Schema."),
    },
    "parquet": {
        "fi": ("{table} (Parquet)", "Taulukko Apache Parquet -muodossa tyypitetyin sarakkein; samat "
               "rivit ja sarakkeet kuin CSV-tiedostossa."),
        "sv": ("{table} (Parquet)", "Tabellen som Apache Parquet med typade kolumner; samma rader "
               "och kolumner som CSV-filen."),
        "en": ("{table} (Parquet)", "The table as Apache Parquet with typed columns; same rows and "
               "columns as the CSV."),
    },
    "datapackage": {
        "fi": ("Datapaketti (Frictionless Data Package, JSON)", "Frictionless Data Package, joka "
               "kuvaa kaikki luettelon taulukot ja niiden skeemat."),
        "sv": ("Datapaket (Frictionless Data Package, JSON)", "Frictionless Data Package som "
               "beskriver alla tabeller i katalogen och deras scheman."),
        "en": ("Data package (Frictionless Data Package, JSON)", "Frictionless Data Package "
               "describing all tables of the catalogue and their schemas."),
    },
    "validation-report": {
        "fi": ("Validointiraportti (Frictionless, JSON)", "Kaikkien taulukoiden Frictionless-"
               "validointiraportti niiden Table Schemoja vasten."),
        "sv": ("Valideringsrapport (Frictionless, JSON)", "Frictionless-valideringsrapport för "
               "alla tabeller mot deras Table Schema."),
        "en": ("Validation report (Frictionless, JSON)", "Frictionless validation report of all "
               "tables against their Table Schemas."),
    },
}

PROVENANCE = {
    "fi": "Koottu hankedata-ohjelmalla lähteen {source} hankekorteista ({page_url}); aloitussivu "
          "{landing}. Hankkeet-taulukossa on kunkin kortin lähde-URL, hakuaika ja SHA-256-tiiviste.",
    "sv": "Sammanställd med hankedata ur projektkorten i {source} ({page_url}); startsida {landing}. "
          "Projekttabellen har varje korts käll-URL, hämtningstid och SHA-256-kontrollsumma.",
    "en": "Compiled by hankedata from the project cards of {source} ({page_url}); landing page "
          "{landing}. The projects table keeps each card's source URL, retrieval time and SHA-256.",
}

TAG_MIN_LENGTH = 2  # CKAN's MIN_TAG_LENGTH
TAG_MAX_LENGTH = 100  # CKAN's MAX_TAG_LENGTH
_TAG_PUNCTUATION = frozenset(" -_.")
_SPACES = re.compile(r"\s+")


def table_text(name: str, en_title: str, en_description: str) -> dict[str, tuple[str, str]]:
    """Title and description of a table by language; a table without fi/sv text is an error."""
    if name not in TABLE_TEXT:
        raise ConfigError(f"DCAT: no Finnish/Swedish title for table {name!r}; add it to "
                          f"pipeline/publish/dcat_text.py TABLE_TEXT")
    return {**TABLE_TEXT[name], "en": (en_title, en_description)}


def require_languages(texts: object, where: str) -> Labels:
    """A {fi, sv, en} mapping of non-empty strings, or a ConfigError naming the setting."""
    if not isinstance(texts, dict) or any(not str(texts.get(lang) or "").strip() for lang in LANGUAGES):
        raise ConfigError(f"{where}: needs non-empty text for each of {', '.join(LANGUAGES)}")
    return {lang: str(texts[lang]).strip() for lang in LANGUAGES}


def clean_keyword(text: str) -> str | None:
    """A keyword CKAN accepts as a tag (letters, digits, space, '-', '_', '.'), or None if too short.

    Other characters become spaces rather than vanishing, so 'open/avoin' stays two words;
    NFC first, so a decomposed 'ä' stays one letter.
    """
    nfc = unicodedata.normalize("NFC", text)
    kept = "".join(ch if ch.isalnum() or ch in _TAG_PUNCTUATION else " " for ch in nfc)
    tag = _SPACES.sub(" ", kept).strip()[:TAG_MAX_LENGTH].strip()
    return tag if len(tag) >= TAG_MIN_LENGTH else None


def clean_keywords(texts: list[str]) -> list[str]:
    """Cleaned, de-duplicated keywords in their first-seen order; unusable ones are dropped."""
    seen: dict[str, None] = {}
    for text in texts:
        tag = clean_keyword(str(text))
        if tag is not None:
            seen.setdefault(tag, None)
    return list(seen)
