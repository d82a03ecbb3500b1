"""core.asks.people_fitting: one ask against many people at once, the same fits as one by one."""

from __future__ import annotations

import random

import pytest

from kring.core.asks import (
    AskFields,
    Profiles,
    ask_matches,
    ask_matches_many,
    parse_ask,
    people_fitting,
)

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
    profiles = Profiles.from_rows(people)
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
    assert people_fitting(AskFields(), Profiles.from_rows(_people(1, 20)), minimum=0.5) == []
    assert (
        people_fitting(AskFields(size="large"), Profiles.from_rows(_people(1, 20)), minimum=0.5)
        == []
    )
    assert (
        people_fitting(parse_ask("een notaris in Gent"), Profiles.from_rows([]), minimum=0.5) == []
    )


@pytest.mark.parametrize("seed", range(3))
def test_codes_into_columns_score_as_rows_do(seed: int) -> None:
    """ask_matches_many (a network's codes into its columns, a code unused by anybody among
    them) gives every person the fit ask_matches gives, as people_fitting does from rows."""
    people = _people(seed, 200)
    columns = [sorted({row[k] for row in people} | {"Nobody uses this"}) for k in range(4)]
    codes = [[columns[k].index(row[k]) for k in range(4)] for row in people]
    for text in ASKS:
        fields = parse_ask(text)
        expected = [
            ask_matches(fields, title=t, sector=s, region=r, organisation=o)
            for t, s, r, o in people
        ]
        assert ask_matches_many(fields, codes, *columns) == expected, text
        assert [(i, fit) for i, fit in enumerate(expected) if fit >= 0.5] == people_fitting(
            fields, Profiles.from_codes(codes, *columns), minimum=0.5
        )
    assert ask_matches_many(parse_ask(ASKS[0]), [], *columns) == []
