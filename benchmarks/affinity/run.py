"""How long the club's relationship data takes to become seating affinities (kring.core.affinity).

A seeded club: members with an offer and a sector, 0-2 open asks each (sentences the parser
reads), a network shared with the club by name and role (titles, sectors, regions and
organisations drawn from a few hundred values, as a real club's are), a few wishes to meet and
open referrals. Times :func:`affinities` for every pair of those coming (what a seating needs)
and for the pairs at the same table of a plan with tables of eight (the reasons the organiser's
page and the place cards show), cold and warm (the comparisons of the same words are cached in
the process).

    .venv/bin/python benchmarks/affinity/run.py

Target: a 120-member evening under 1 s, the plan's reasons under 100 ms. Writes
benchmarks/results/affinity.json.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from itertools import combinations
from pathlib import Path

from kring.core import affinity
from kring.core.affinity import AskFacts, Contact, MemberFacts, OpenLink, affinities
from kring.core.ask_words import DEFAULT_REGIONS, DEFAULT_SECTORS

ROOT = Path(__file__).resolve().parents[2]
ROLES = [
    "R&D Manager",
    "CEO",
    "CFO",
    "Aankoper",
    "HR-manager",
    "Salesmanager",
    "Notaris",
    "Accountant",
    "IT-directeur",
    "Projectleider",
    "Advocaat",
    "Marketingmanager",
    "Plant manager",
    "Office manager",
    "Zaakvoerder",
    "Controller",
]
ASKS = [
    "R&D managers in pharma",
    "aankopers in de bouw",
    "HR managers in Hasselt",
    "CFO's van kmo's in Limburg",
    "someone at Acme NV who does purchasing",
    "IT-directeuren in de zorg",
    "notarissen in Antwerpen",
    "marketing managers in retail",
    "zaakvoerders van logistieke bedrijven",
    "plant managers in de industrie",
]
OFFERS = [
    "R&D advice",
    "accounting",
    "HR consulting",
    "IT services",
    "legal advice",
    "marketing",
    "bouwadvies",
    "logistiek",
    "notary services",
    "recruitment",
]


def club(n: int, contacts: int, seed: int) -> tuple[list[MemberFacts], list[OpenLink]]:
    rng = random.Random(seed)
    # A few hundred distinct titles: the common ones, with a word before or after.
    titles = ROLES + [f"{p} {r}" for p in ("Senior", "Junior", "Head", "Lead") for r in ROLES]
    members = []
    for i in range(n):
        network = tuple(
            Contact(
                rng.choice(titles),
                rng.choice(DEFAULT_SECTORS),
                rng.choice(DEFAULT_REGIONS),
                f"Org {rng.randrange(3000)}",
            )
            for _ in range(contacts)
        )
        members.append(
            MemberFacts(
                f"u{i}",
                sector=rng.choice(DEFAULT_SECTORS),
                offer=rng.choice(OFFERS),
                asks=tuple(AskFacts(rng.choice(ASKS)) for _ in range(rng.choice((0, 1, 1, 2)))),
                network=network,
                want_to_meet=tuple(f"u{rng.randrange(n)}" for _ in range(rng.choice((0, 0, 1, 3)))),
            )
        )
    links = [
        OpenLink(f"u{rng.randrange(n)}", f"u{rng.randrange(n)}", "referral") for _ in range(n // 3)
    ]
    return members, links


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/affinity.json"))
    args = parser.parse_args()
    rows = []
    for n, contacts in ((40, 230), (120, 75), (120, 230)):
        members, links = club(n, contacts, seed=n + contacts)
        keys = [m.key for m in members]
        tables = [keys[i : i + 8] for i in range(0, len(keys), 8)]
        same_table = [pair for table in tables for pair in combinations(table, 2)]
        for warm in (False, True):
            if not warm:
                affinity._role_fit.cache_clear()
                affinity._same.cache_clear()
                affinity._fields.cache_clear()
            start = time.perf_counter()
            found = affinities(members, links)
            evening = time.perf_counter() - start
            start = time.perf_counter()
            affinities(members, links, pairs=same_table)
            plan = time.perf_counter() - start
            rows.append(
                {
                    "members": n,
                    "shared_contacts_each": contacts,
                    "cache": "warm" if warm else "cold",
                    "pairs": len(found),
                    "evening_ms": round(evening * 1000, 1),
                    "plan_reasons_ms": round(plan * 1000, 1),
                }
            )
    header = ("members", "contacts", "cache", "pairs", "evening ms", "plan ms")
    print("  ".join(f"{h:>10}" for h in header))
    for r in rows:
        print("  ".join(f"{v!s:>10}" for v in r.values()))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"affinity": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
