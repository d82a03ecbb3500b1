"""core.asks.people_fitting: one ask against many people at once, the same fits as one by one."""

from __future__ import annotations

import random

import pytest

from kring.core.asks import AskFields, Profiles, ask_matches, parse_ask, people_fitting

TITLES = [
    "",
    "R&D Manager",
    "R&D-manager",
    "Aankoper",
    "Hoofd aankoop",
    "CFO",
    "Financieel directeur",
    "Zaakvoerder",
    "Sales manager",
    "Account manager",
    "Notaris",
    "Advocaat",
    "HR-verantwoordelijke",
    "Directeur",
]
SECTORS = ["", "Farma", "pharma", "Bouw", "Construction", "ICT", "Voeding", "Banken"]
REGIONS = ["", "Limburg", "Hasselt", "Antwerpen", "Gent", "Oost-Vlaanderen", "Brussel"]
ORGANISATIONS = ["", "Acme NV", "ACME bv", "Janssen Pharmaceutica", "Bekaert", "KBC Bank"]
ASKS = [
    "R&D managers at large pharma in Limburg",
    "iemand bij Acme NV die aankoop doet",
    "een CFO in de bouw in Antwerpen",
    "sales managers in ICT",
    "een notaris in Gent",
    "HR-verantwoordelijken bij KBC Bank",
    "zaakvoerders in de voeding in Oost-Vlaanderen",
]


def _people(seed: int, n: int) -> list[tuple[str, str, str, str]]:
    rng = random.Random(seed)
    return [
        (rng.choice(TITLES), rng.choice(SECTORS), rng.choice(REGIONS), rng.choice(ORGANISATIONS))
        for _ in range(n)
    ]


@pytest.mark.parametrize("minimum", [0.2, 0.5, 0.75, 1.0])
@pytest.mark.parametrize("seed", range(4))
def test_it_finds_exactly_whom_ask_matches_finds_with_the_same_fits(
    seed: int, minimum: float
) -> None:
    people = _people(seed, 300)
    profiles = Profiles(people)
    for text in ASKS:
        fields = parse_ask(text)
        expected = [
            (i, fit)
            for i, (title, sector, region, organisation) in enumerate(people)
            if (
                fit := ask_matches(
                    fields, title=title, sector=sector, region=region, organisation=organisation
                )
            )
            >= minimum
        ]
        assert people_fitting(fields, profiles, minimum=minimum) == expected, text
    # Some asks do find people, so that the comparison above compares something.
    assert any(people_fitting(parse_ask(t), profiles, minimum=0.75) for t in ASKS)


def test_an_ask_without_fields_and_nobody_to_match_fit_nobody() -> None:
    assert people_fitting(AskFields(), Profiles(_people(1, 20)), minimum=0.5) == []
    assert people_fitting(AskFields(size="large"), Profiles(_people(1, 20)), minimum=0.5) == []
    assert people_fitting(parse_ask("een notaris in Gent"), Profiles([]), minimum=0.5) == []
