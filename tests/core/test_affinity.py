"""Relationship data turned into pairs with a reason to meet, and reasons that reveal no contact."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.affinity import (
    REASON_WEIGHTS,
    AskFacts,
    Contact,
    MemberFacts,
    OpenLink,
    affinities,
    split_param,
)
from kring.core.asks import ask_matches

ASKS = ["R&D managers in pharma", "accountants in Limburg", "a notary", "aankopers in de bouw", ""]
OFFERS = ["R&D advice", "accounting for small firms", "notary services", "bouwadvies", ""]
SECTORS = ["Farma", "Bouw", "ICT", ""]
TITLES = ["R&D Manager", "Accountant", "Aankoper", "Notaris", "CEO"]
CONTACT_NAMES = ["Zqsecretname", "Zqhiddenorg"]


@st.composite
def clubs(draw: st.DrawFn):
    n = draw(st.integers(0, 7))
    keys = [f"u{i}" for i in range(n)]
    members = []
    for key in keys:
        contacts = tuple(
            Contact(
                title=draw(st.sampled_from(TITLES)),
                sector=draw(st.sampled_from(SECTORS)),
                organisation=draw(st.sampled_from(CONTACT_NAMES)),
            )
            for _ in range(draw(st.integers(0, 3)))
        )
        members.append(
            MemberFacts(
                key,
                sector=draw(st.sampled_from(SECTORS)),
                offer=draw(st.sampled_from(OFFERS)),
                asks=tuple(map(AskFacts, draw(st.lists(st.sampled_from(ASKS), max_size=2)))),
                network=contacts,
                want_to_meet=tuple(draw(st.lists(st.sampled_from([*keys, "u99"]), max_size=3))),
            )
        )
    links = (
        [
            OpenLink(draw(st.sampled_from(keys)), draw(st.sampled_from(keys)), kind)
            for kind in draw(st.lists(st.sampled_from(["introduction", "referral"]), max_size=3))
        ]
        if keys
        else []
    )
    return members, links


@given(clubs())
@settings(max_examples=150, deadline=None)
def test_every_affinity_is_a_pair_of_members_with_a_weight_and_known_reasons(club):
    members, links = club
    keys = {m.key for m in members}
    found = affinities(members, links)
    assert [(x.a, x.b) for x in found] == sorted({(x.a, x.b) for x in found})
    for x in found:
        assert x.a < x.b and {x.a, x.b} <= keys
        assert 0 < x.weight <= 1
        assert x.reasons and list(x.reasons) == sorted(set(x.reasons))
        for code, param in x.reasons:
            assert code in REASON_WEIGHTS
            if code.startswith("ask_"):
                whose, text = split_param(param)
                assert whose in (x.a, x.b) and text in ASKS
            # A reason never carries a contact's name or organisation.
            assert not any(secret in param for secret in CONTACT_NAMES)


@given(clubs())
@settings(max_examples=60, deadline=None)
def test_looking_at_some_pairs_gives_those_pairs_of_the_full_answer(club):
    members, links = club
    full = {(x.a, x.b): x for x in affinities(members, links)}
    some = [(m.key, n.key) for m in members[::2] for n in members[1::2]]
    part = affinities(members, links, pairs=some)
    wanted = {tuple(sorted(p)) for p in some}
    assert {(x.a, x.b): x for x in part} == {p: x for p, x in full.items() if p in wanted}


def test_an_ask_matches_the_others_offer_sector_and_shared_network():
    eva = MemberFacts("eva", asks=(AskFacts("R&D managers in pharma"),))
    jan = MemberFacts("jan", offer="R&D advice")
    els = MemberFacts("els", sector="Farma")
    kim = MemberFacts("kim", network=(Contact(title="R&D Manager", sector="Farma"),))
    bob = MemberFacts("bob", offer="bakery", sector="Horeca")
    found = {(x.a, x.b): x.reasons for x in affinities([eva, jan, els, kim, bob])}
    ask = "eva:R&D managers in pharma"
    assert found == {
        ("eva", "jan"): (("ask_offer", ask),),
        ("els", "eva"): (("ask_sector", ask),),
        ("eva", "kim"): (("ask_network", ask),),
    }


def test_confirmed_fields_are_used_instead_of_parsing_the_sentence():
    eva = MemberFacts("eva", asks=(AskFacts("someone special", sector="Bouw"),))
    bob = MemberFacts("bob", sector="bouw")
    assert [x.reasons for x in affinities([eva, bob])] == [(("ask_sector", "eva:someone special"),)]


def test_wishes_and_open_links_count_and_reasons_combine():
    a = MemberFacts("a", want_to_meet=("b", "a", "absent"))
    b = MemberFacts("b", want_to_meet=("a",))
    c = MemberFacts("c")
    found = affinities(
        [a, b, c], [OpenLink("c", "a", "introduction"), OpenLink("b", "c", "referral")]
    )
    by_pair = {(x.a, x.b): x for x in found}
    assert by_pair[("a", "b")].reasons == (("want_to_meet", "a"), ("want_to_meet", "b"))
    assert by_pair[("a", "c")].reasons == (("introduction", ""),)
    assert by_pair[("b", "c")].reasons == (("referral", ""),)
    # Two wishes weigh more than one: 1 - (1 - 0.7)^2.
    assert by_pair[("a", "b")].weight == pytest.approx(0.91)
    assert by_pair[("a", "c")].weight == pytest.approx(0.5)


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="appears twice"):
        affinities([MemberFacts("a"), MemberFacts("a")])
    with pytest.raises(ValueError, match="unknown kind of link: 'gift'"):
        affinities([MemberFacts("a"), MemberFacts("b")], [OpenLink("a", "b", "gift")])


def test_an_ask_that_says_nothing_gives_no_reason():
    eva = MemberFacts("eva", asks=(AskFacts("   "), AskFacts("x" * 600)))
    bob = MemberFacts("bob", offer="x" * 600, sector="ICT")
    assert affinities([eva, bob]) == ()


@given(clubs())
@settings(max_examples=80, deadline=None)
def test_a_shared_network_fits_an_ask_exactly_when_ask_matches_says_so(club):
    from kring.core.affinity import NETWORK_FIT, _fields

    members, _links = club
    found = {(x.a, x.b): x.reasons for x in affinities(members)}
    for asker in members:
        for ask in asker.asks:
            fields = _fields(ask)
            for other in members:
                if other.key == asker.key or fields is None:
                    continue
                expected = any(
                    ask_matches(
                        fields,
                        title=c.title,
                        sector=c.sector,
                        region=c.region,
                        organisation=c.organisation,
                    )
                    >= NETWORK_FIT
                    for c in other.network
                )
                pair = tuple(sorted((asker.key, other.key)))
                got = ("ask_network", f"{asker.key}:{ask.text}") in found.get(pair, ())
                assert got == expected
