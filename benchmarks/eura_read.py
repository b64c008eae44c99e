"""Time to read a generated list of operations in the 2014-2020 layout (default 100,000 rows).

`python -m benchmarks.eura_read [--rows N] [--repeat 3]` generates the list in memory (ISO-8859-1,
nothing quoted, commas in ELY-keskus names, in some project names and beneficiaries, like the real
list), reads it with pipeline.parse.eura.read_list --repeat times, checks that every row was read,
and prints the median wall time (and process CPU time) of the reads.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from pipeline.parse.eura import read_list

HEADER_2014 = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,Toteuttajan nimi,"
    "Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)
AUTHORITIES = (
    "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus",
    "Etelä-Savon elinkeino-, liikenne- ja ympäristökeskus",
    "Keski-Suomen elinkeino-, liikenne- ja ympäristökeskus",
    "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
    "Uudenmaan liitto",
    "Pirkanmaan liitto",
    "Innovaatiorahoituskeskus Tekes",
)
NAME_WORDS = ("kehittäminen", "investointi", "osaaminen", "työ", "hyvinvointi", "vienti", "kasvu", "data",
              "alusta", "vaihe", "yhteistyö", "nuoret", "palvelut", "tuotanto", "koulutus")
BENEFICIARIES = ("Oulun kaupunki", "Tampereen kaupunki", "ESIMERKKI OY", "Yliopisto, täydennyskoulutuskeskus",
                 "Ammattikorkeakoulu Oy", "KONEPAJA ESIMERKKI OY", "Yhdistys ry", "Forum Virium Helsinki Oy")


def _name(rng: random.Random) -> str:
    words = rng.sample(NAME_WORDS, rng.randint(2, 6))
    if rng.random() < 0.2:
        words[0] += ","
    return " ".join(words).capitalize()


def _amount(rng: random.Random) -> str:
    euros = rng.randint(0, 5_000_000)
    return str(euros) if rng.random() < 0.6 else f"{euros}.{rng.randint(1, 99):02d}".rstrip("0")


def _date(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.{year}"


def generated_row(number: int, rng: random.Random) -> str:
    """One row of a 2014-2020 list; the code is unique per number."""
    fund, letter = ("EAKR", "A") if rng.random() < 0.7 else ("ESR", "S")
    start = rng.randint(2014, 2018)
    return ",".join([
        f"{letter}{700000 + number}", fund, _name(rng), str(rng.randint(1, 5)), rng.choice(AUTHORITIES),
        "Toiminnassa", _date(rng, start), _date(rng, start + rng.randint(1, 3)), rng.choice(BENEFICIARIES),
        _amount(rng), _amount(rng), _amount(rng), _amount(rng),
    ])


def generate_list(rows: int, seed: int = 2016) -> bytes:
    """A whole list: header and rows, LF line ends, ISO-8859-1 like the published 2014-2020 list."""
    rng = random.Random(seed)
    lines = [HEADER_2014, *(generated_row(number, rng) for number in range(rows))]
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


def time_reads(data: bytes, repeat: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds of each read, and the number of rows read."""
    walls: list[float] = []
    cpus: list[float] = []
    rows = 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = read_list(data, "generated.csv")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        rows = len(result.rows)
        if result.problems or result.unaccounted():
            raise SystemExit(f"generated list read with problems: {result.problem_counts()}")
    return walls, cpus, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = generate_list(args.rows)
    walls, cpus, rows = time_reads(data, args.repeat)
    if rows != args.rows:
        raise SystemExit(f"read {rows} rows of {args.rows}")
    print(f"read_list: {rows:,} rows, {len(data) / 1e6:.1f} MB; median of {args.repeat}: "
          f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
          f"({statistics.median(walls) / rows * 1e6:.1f} µs a row); runs: "
          + ", ".join(f"{wall:.2f}" for wall in walls))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
