"""Hand-written lists of operations in the published layouts, for the EURA reader's tests.

Invented projects and companies, written the way the publisher writes them: nothing quoted, commas
inside ELY-keskus names, project names and beneficiaries, ISO-8859-1 (2014-2020) or cp1252 (2007-2013).
"""

from __future__ import annotations

HEADER_2014 = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,Toteuttajan nimi,"
    "Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
HEADER_2007 = (
    "Koodi,Rahasto,Projektin nimi,Ohjelma / osio,Tl,Viranomainen,Toiminnan tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
ELY = "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus"

# line 2 onwards of a 2014-2020 list; each a well-formed row
ROWS_2014 = [
    "A79001,EAKR,Avoimet rajapinnat kärkihanke,2,Uudenmaan liitto,Toiminnassa,1.2.2015,31.1.2018,"
    "Oulun kaupunki,1200000,300000.5,2400000,450000.25",
    f"A79002,EAKR,Konepajan laajennus,1,{ELY},Toiminnassa,2.9.2014,30.12.2016,KONEPAJA ESIMERKKI OY,"
    "410000,205000,410000,205000",
    "S29003,ESR,Osaaminen, työ ja hyvinvointi, vaihe 2,3,Hämeen elinkeino-, liikenne- ja ympäristökeskus,"
    "Toiminnassa,1.1.2016,31.12.2018,Esimerkkiyliopisto, täydennyskoulutuskeskus,250000,31000.75,1000000,41000.1",
    f"S29004,ESR,LukioSILTA ? Lukion ja työelämän yhteistyö,4,{ELY},Toiminnassa,1.2.2016,31.7.2018,"
    "Turun kaupunki,120000,6000.02,480000,8000.4",
    'A79005,EAKR,"Kasvu2020" - oppimisympäristö,2,Pohjois-Pohjanmaan liitto,Toiminnassa,1.1.2015,30.6.2017,'
    "Esimerkin koulutuskuntayhtymä,150000,40000.99,220000,57000.01",
    "A79006,EAKR,6AIKA: Avoimet datat, yhteiset alustat,2,Uudenmaan liitto,Toiminnassa,1.9.2015,28.2.2017,"
    "Tutkimuslaitos Oy,200000,0,300000,0",
    f"A79007,EAKR,Tuotannon uusi aalto,2,{ELY},Toiminnassa,26.9.2014,30.6.2016,"
    "OULUN KAUPUNKIBUSINESSOULU LIIKELAITOS,230000,170000,330000,250000",
]
# the fields of ROWS_2014[2], the row with commas in three free-text columns
SPLIT_2014_ROW3 = (
    "S29003", "ESR", "Osaaminen, työ ja hyvinvointi, vaihe 2", "3", "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
    "Toiminnassa", "1.1.2016", "31.12.2018", "Esimerkkiyliopisto, täydennyskoulutuskeskus",
    "250000", "31000.75", "1000000", "41000.1",
)
# name "Vaihe, 2" + axis 2 + "Uudenmaan liitto,3,Pirkanmaan liitto", or name "…,Uudenmaan liitto" + axis 3
AMBIGUOUS_2014 = ("A79008,EAKR,Vaihe, 2,2,Uudenmaan liitto,3,Pirkanmaan liitto,Toiminnassa,1.1.2015,31.12.2016,"
                  "Yritys Oy,1,2,3,4")
TRUNCATED_2014 = f"A79009,EAKR,Katkennut rivi,1,{ELY},Toiminnassa,1.1.2015,31.12.20"
BAD_DATE_2014 = "A79010,EAKR,Karkauspäivä,1,Lapin liitto,Toiminnassa,29.2.2015,31.12.2016,Yritys Oy,10,0,10,0"

ROWS_2007 = [
    "S19001,ESR,Hoivaosaaminen, kehittämishanke,Etelä-Suomen suuralueosio,1,"
    "Hämeen elinkeino-, liikenne- ja ympäristökeskus,Toiminta päättynyt,1.4.2008,31.12.2010,Esimerkkiopisto,"
    "300000,299000,360000,358000",
    f"A59002,EAKR,Investointi,Pohjois-Suomi,1,{ELY}, yritystuet,Toiminta päättynyt,20.5.2009,10.6.2012,"
    "ESIMERKKI OY,18000,18000,18000,18000",
    'A607070999,EAKR,Investointi,Pohjois-Suomi,1,Finnvera,Keskeytynyt,10.4.2007,31.12.2013,'
    'Esimerkki Oy  "jakautunut",80000,70000,80000,70000',
    "S19004,ESR,Työpajat – uudet polut,Valtakunnallinen osio,2,Opetushallitus,Toiminta päättynyt,1.2.2008,"
    "30.11.2012,Tampereen kaupunki,750000,750000,810000,812000",
]


def list_bytes(header: str, rows: list[str], encoding: str = "iso-8859-1", newline: str = "\n") -> bytes:
    """A list file as the publisher writes it: header, rows, a final line end."""
    return "".join(line + newline for line in [header, *rows]).encode(encoding)
