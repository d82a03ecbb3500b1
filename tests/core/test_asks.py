"""Asks: sentences to fields, singular forms, fit scores, bad input."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kring.core.asks as asks
from kring.core.asks import (
    DEFAULT_REGIONS,
    DEFAULT_SECTORS,
    SIZE_BANDS,
    AskFields,
    InvalidAsk,
    ask_matches,
    ask_matches_many,
    detect_language,
    parse_ask,
    stem,
)


def _split(text: str) -> list[str]:
    return text.split()


KNOWN = ["Acme", "Colruyt Group NV", "Van Hool"]

# text -> (role, sector, region, organisation, size, language)
EXAMPLES = {
    # the sentences from issue 7
    "R&D managers at large pharma in Limburg": (
        "R&D manager", "Farma", "Limburg", "", "250+", "en",
    ),
    "R&D-managers bij grote farmabedrijven in Limburg": (
        "R&D-manager", "Farma", "Limburg", "", "250+", "nl",
    ),
    "een fiscalist voor een overname in Antwerpen": (
        "fiscalist", "", "Antwerpen", "", "", "nl",
    ),
    "HR-managers van bedrijven met meer dan 50 werknemers": (
        "HR-manager", "", "", "", "50-249", "nl",
    ),
    "someone at Acme NV who does purchasing": ("purchasing", "", "", "Acme", "", "en"),
    "aankopers in de bouwsector in Oost-Vlaanderen": (
        "aankoper", "Bouw", "Oost-Vlaanderen", "", "", "nl",
    ),
    # ten more (and a few extra)
    "CFO's van logistieke bedrijven in Gent": (
        "CFO", "Logistiek", "Oost-Vlaanderen", "", "", "nl",
    ),
    "marketingmanagers in retail": ("marketingmanager", "Retail", "", "", "", "nl"),
    "zaakvoerders van horecazaken in Oost-Vlaanderen": (
        "zaakvoerder", "Horeca", "Oost-Vlaanderen", "", "", "nl",
    ),
    "IT-managers in de zorg": ("IT-manager", "Zorg", "", "", "", "nl"),
    "advocaten bij advocatenkantoren in Brussel": (
        "advocaat", "Advocatuur", "Brussel", "", "", "nl",
    ),
    "lawyers at law firms in Antwerp": ("lawyer", "Advocatuur", "Antwerpen", "", "", "en"),
    "iemand bij Colruyt Group die de aankoop doet": (
        "aankoop", "", "", "Colruyt Group NV", "", "nl",
    ),
    "I'm looking for a CFO at a bank in Amsterdam": (
        "CFO", "Financiële diensten", "Noord-Holland", "", "", "en",
    ),
    "Pharma R&D managers in Maastricht": ("R&D manager", "Farma", "Limburg (NL)", "", "", "nl"),
    "directeuren van ziekenhuizen in Limburg (NL)": (
        "directeur", "Zorg", "Limburg (NL)", "", "", "nl",
    ),
    "sales managers at small IT companies in Leuven": (
        "sales manager", "ICT", "Vlaams-Brabant", "", "10-49", "en",
    ),
    "boekhouders bij kmo's met minder dan 10 werknemers": (
        "boekhouder", "", "", "", "1-9", "nl",
    ),
    "a good tax lawyer in Brussels": ("tax lawyer", "", "Brussel", "", "", "en"),
    "fiscalisten in Hasselt": ("fiscalist", "", "Limburg", "", "", "nl"),
    "procurement managers at hospitals in Rotterdam": (
        "procurement manager", "Zorg", "Zuid-Holland", "", "", "en",
    ),
    "projectleiders bij Van Hool in Kortrijk": (
        "projectleider", "", "West-Vlaanderen", "Van Hool", "", "nl",
    ),
    "CEOs of companies with more than 250 employees in Utrecht": (
        "CEO", "", "Utrecht", "", "250+", "en",
    ),
}  # fmt: skip


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_it_parses_the_example_sentences(text):
    role, sector, region, organisation, size, language = EXAMPLES[text]
    fields = parse_ask(text, known_organisations=KNOWN)
    got = (
        fields.role,
        fields.sector,
        fields.region,
        fields.organisation,
        fields.size,
        fields.language,
    )
    assert got == (role, sector, region, organisation, size, language)


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_every_field_says_where_it_came_from(text):
    fields = parse_ask(text, known_organisations=KNOWN)
    for name in ("role", "sector", "region", "organisation", "size"):
        match = fields.match(name)
        if getattr(fields, name):
            assert match is not None, name
            assert text[match.start : match.end] == match.text
            assert match.reason
        else:
            assert match is None, name


def test_cities_are_explained_and_the_nl_bracket_belongs_to_the_region():
    fields = parse_ask("CFO's van logistieke bedrijven in Gent")
    region = fields.match("region")
    assert region is not None
    assert region.reason == "'Gent' is in Oost-Vlaanderen"
    limburg = parse_ask("directeuren in Limburg (NL)").match("region")
    assert limburg is not None and limburg.text == "Limburg (NL)"


def test_an_organisation_with_a_legal_form_is_guessed_without_being_known():
    fields = parse_ask("someone at Acme NV who does purchasing")
    assert fields.organisation == "Acme NV"
    match = fields.match("organisation")
    assert match is not None and "legal form" in match.reason


def test_known_organisations_ignore_legal_forms_and_case():
    fields = parse_ask("aankopers bij COLRUYT GROUP bv", known_organisations=KNOWN)
    assert fields.organisation == "Colruyt Group NV"


def test_custom_sector_and_region_lists_limit_the_answers():
    fields = parse_ask(
        "aankopers in de bouwsector in Gent", sectors=["Bouw"], regions=["Antwerpen"]
    )
    assert (fields.sector, fields.region) == ("Bouw", "")
    own = parse_ask("boekhouders in Zeeland", regions=["Zeeland"])
    assert own.region == "Zeeland"


@pytest.mark.parametrize("text", ["", " ", "\n\t  ", "x" * 501])
def test_bad_text_is_refused_with_a_clear_message(text):
    with pytest.raises(InvalidAsk, match="ask"):
        parse_ask(text)


def test_invalid_ask_is_a_value_error_and_500_characters_is_fine():
    assert issubclass(InvalidAsk, ValueError)
    parse_ask("aankopers " * 50)  # exactly 500 characters


def test_text_without_fields_gives_empty_fields():
    fields = parse_ask("...")
    assert fields.is_empty and fields.matched == ()


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("managers", "manager"),
        ("aankopers", "aankoper"),
        ("advocaten", "advocaat"),
        ("bedrijven", "bedrijf"),
        ("fiscalisten", "fiscalist"),
        ("CFO's", "CFO"),
        ("R&D-managers", "R&D-manager"),
        ("kantoren", "kantoor"),
        ("horecazaken", "horecazaak"),
        ("ziekenhuizen", "ziekenhuis"),
        ("notarissen", "notaris"),
        ("consultants", "consultant"),
        ("architecten", "architect"),
        ("werknemers", "werknemer"),
        ("ingenieurs", "ingenieur"),
        ("industrieën", "industrie"),
        ("kmo's", "kmo"),
    ],
)
def test_dutch_plurals_become_singular(plural, singular):
    assert stem(plural, "nl") == singular


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("managers", "manager"),
        ("lawyers", "lawyer"),
        ("companies", "company"),
        ("taxes", "tax"),
        ("churches", "church"),
        ("CFOs", "CFO"),
        ("CFO's", "CFO"),
        ("classes", "class"),
        ("HR-managers", "HR-manager"),
    ],
)
def test_english_plurals_become_singular(plural, singular):
    assert stem(plural, "en") == singular


SINGULAR = {
    "nl": _split(
        """manager aankoper advocaat bedrijf fiscalist zaakvoerder CEO CFO HR-manager R&D-manager
        salesmanager marketingmanager accountmanager projectleider consultant boekhouder
        architect IT-manager bestuurder kantoor zaak huis prijs proces bus mens keuken examen
        Limburg zorg bouw horeca ziekenhuis notaris industrie kunst reis"""
    ),
    "en": _split(
        """manager lawyer company tax church class business analysis status bus sales purchasing
        director consultant CFO accountant hospital"""
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_singular_words_stay_as_they_are(language):
    for word in SINGULAR[language]:
        assert stem(word, language) == word


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["nl", "en"]), st.data())
def test_stem_is_idempotent_on_singular_words(language, data):
    word = data.draw(st.sampled_from(SINGULAR[language]))
    assert stem(word, language) == word
    assert stem(stem(word, language), language) == stem(word, language)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["nl", "en"]))
def test_stem_never_crashes_and_is_idempotent(word, language):
    once = stem(word, language)
    assert stem(once, language) == once


def test_stem_refuses_unknown_languages():
    with pytest.raises(ValueError, match="language"):
        stem("managers", "de")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_arbitrary_text_parses_or_is_refused(text):
    try:
        fields = parse_ask(text, known_organisations=KNOWN)
    except InvalidAsk:
        assert not text.strip() or len(text) > asks.MAX_ASK_LENGTH
        return
    assert isinstance(fields, AskFields)
    assert fields.language in ("nl", "en")
    assert fields.sector in ("", *DEFAULT_SECTORS)
    assert fields.region in ("", *DEFAULT_REGIONS)
    assert fields.size in ("", *SIZE_BANDS)
    for m in fields.matched:
        assert text[m.start : m.end] == m.text


WORDS = _split(
    """managers bij grote farmabedrijven in Limburg at large pharma aankopers de bouwsector Acme NV
    who does purchasing meer dan 50 werknemers CFO's Gent , ( ) - van"""
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_sentences_of_ask_words_never_crash(words):
    text = " ".join(words)
    if not text.strip():
        return
    fields = parse_ask(text, known_organisations=KNOWN)
    assert 0.0 <= ask_matches(fields, title="Manager", sector="Farma", region="Gent") <= 1.0


def test_language_detection():
    assert detect_language("someone at Acme who does purchasing") == "en"
    assert detect_language("iemand bij Acme die de aankoop doet") == "nl"
    assert detect_language("marketingmanagers") == "nl"


def test_ask_matches_scores_fit():
    ask = parse_ask("R&D managers at large pharma in Limburg")
    assert ask_matches(ask, title="R&D Manager", sector="Farma", region="Limburg") == 1.0
    assert ask_matches(ask, title="Senior R&D-manager", sector="pharma", region="Genk") == 1.0
    assert ask_matches(ask, title="Manager", sector="Farma", region="Limburg") == 0.75
    assert ask_matches(ask, title="Aankoper", sector="Farma", region="Antwerpen") == 0.25
    assert ask_matches(ask, title="Aankoper", sector="Bouw", region="Limburg (NL)") == 0.0


def test_ask_matches_compares_stems_accents_and_legal_forms():
    ask = parse_ask("aankopers bij Acme", known_organisations=["Acme"])
    assert ask_matches(ask, title="Aankoper", organisation="ACME bv") == 1.0
    assert ask_matches(ask, title="Hoofdaankoper", organisation="Acme") == 1.0
    assert ask_matches(ask, title="Aankoper", organisation="Acme Logistics") == pytest.approx(
        0.4 / 0.6
    )
    zorg = AskFields(role="verpleegkundige", sector="Zorg")
    assert ask_matches(zorg, title="Verpleegkundige", sector="ziekenhuis") == 1.0
    financial = AskFields(sector="Financiële diensten")
    assert ask_matches(financial, sector="financiele diensten") == 1.0


def test_an_empty_ask_matches_nobody():
    assert ask_matches(AskFields(), title="CEO", sector="ICT") == 0.0


MANY_TITLES = ["", "R&D Manager", "Senior R&D-manager", "Aankoper", "Hoofdaankoper", "CFO"]
MANY_SECTORS = ["", "Farma", "pharma", "Bouw", "ziekenhuis", "ICT"]
MANY_REGIONS = ["", "Limburg", "Genk", "Antwerpen", "Limburg (NL)", "Gent"]
MANY_ORGANISATIONS = ["", "Acme", "ACME bv", "Acme Logistics", "Van Hool"]


@settings(max_examples=60)
@given(
    st.sampled_from(
        [
            "R&D managers at large pharma in Limburg",
            "aankopers bij Acme",
            "CFO in de bouw in Antwerpen",
            "someone at Acme NV who does purchasing",
        ]
    ),
    st.lists(
        st.tuples(
            st.integers(0, len(MANY_TITLES) - 1),
            st.integers(0, len(MANY_SECTORS) - 1),
            st.integers(0, len(MANY_REGIONS) - 1),
            st.integers(0, len(MANY_ORGANISATIONS) - 1),
        ),
        max_size=30,
    ),
)
def test_matching_many_profiles_at_once_gives_what_ask_matches_gives_each(text, profiles):
    ask = parse_ask(text, known_organisations=["Acme"])
    found = ask_matches_many(
        ask, profiles, MANY_TITLES, MANY_SECTORS, MANY_REGIONS, MANY_ORGANISATIONS
    )
    assert found == [
        ask_matches(
            ask,
            title=MANY_TITLES[t],
            sector=MANY_SECTORS[s],
            region=MANY_REGIONS[r],
            organisation=MANY_ORGANISATIONS[o],
        )
        for t, s, r, o in profiles
    ]
    assert ask_matches_many(AskFields(), profiles, MANY_TITLES, [""] * 6, [""] * 6, [""] * 5) == [
        0.0
    ] * len(profiles)


def test_the_doctests_pass():
    result = doctest.testmod(asks, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0
