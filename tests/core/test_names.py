import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring.core import contact, names
from kring.core.contact import InvalidContact, normalise_email, normalise_phone
from kring.core.names import display_name, fold, sort_key, split_name


@pytest.mark.parametrize("module", [names, contact])
def test_it_keeps_its_docstring_examples_true(module):
    failures, _ = doctest.testmod(module)
    assert failures == 0


def test_it_sorts_van_der_berg_under_b():
    people = [("Jan", "van der", "Berg"), ("Anna", "", "Claes"), ("Piet", "de", "Aa")]
    ordered = sorted(people, key=lambda p: sort_key(*p))
    assert [p[2] for p in ordered] == ["Aa", "Berg", "Claes"]


def test_it_splits_dutch_and_flemish_names():
    assert split_name("Jan van der Berg") == ("Jan", "van der", "Berg")
    assert split_name("Els Van den Bossche") == ("Els", "Van den", "Bossche")
    assert split_name("Kees in 't Veld") == ("Kees", "in 't", "Veld")
    assert split_name("Marie Peeters") == ("Marie", "", "Peeters")
    # A particle alone is a surname, not an empty one.
    assert split_name("Tom Van") == ("Tom", "", "Van")


def test_it_folds_accents_for_search():
    assert fold("Hélène Çetin") == "helene cetin"


@given(st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=40))
def test_it_splits_any_name_without_losing_words(text):
    parts = split_name(text)
    assert display_name(*parts).split() == text.split()


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0470 12 34 56", "BE", "+32470123456"),
        ("+32 470 12 34 56", "NL", "+32470123456"),
        ("06-12345678", "NL", "+31612345678"),
        ("011 22 33 44", "BE", "+3211223344"),
    ],
)
def test_it_normalises_phones_to_e164(raw, region, expected):
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "hello", "0470", "+32 12"])
def test_it_refuses_what_is_no_phone_number(raw):
    with pytest.raises(InvalidContact):
        normalise_phone(raw, "BE")


@pytest.mark.parametrize("raw", ["", "jan", "jan@", "@acme.be", "jan @acme.be", "a@b"])
def test_it_refuses_what_is_no_email_address(raw):
    with pytest.raises(InvalidContact):
        normalise_email(raw)
