"""A session's place, read offline from the address: loopback is this computer, private and
link-local ranges the local network, a public address its country (and city) from the
DB-IP Lite database, with the country named in the reader's language."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from kring.accounts.places import open_database, place_of, source_of_places

BELNET = "193.190.198.1"  # Belnet, Brussels
SURF_UTRECHT = "145.97.0.1"
GOOGLE_DNS = "8.8.8.8"


@pytest.mark.parametrize(
    ("address", "english", "dutch"),
    [
        (BELNET, "Brussels, Belgium", "Brussels, België"),
        (SURF_UTRECHT, "Utrecht (Binnenstad), Netherlands", "Utrecht (Binnenstad), Nederland"),
        (GOOGLE_DNS, "Mountain View, United States", "Mountain View, Verenigde Staten"),
        ("2001:67c:1560::1", "London, United Kingdom", "London, Verenigd Koninkrijk"),
        ("::ffff:193.190.198.1", "Brussels, Belgium", "Brussels, België"),
    ],
)
def test_it_names_the_country_and_city_of_a_public_address(address, english, dutch):
    with translation.override("en"):
        assert place_of(address) == english
    with translation.override("nl"):
        assert place_of(address) == dutch


@pytest.mark.parametrize(
    ("address", "english", "dutch"),
    [
        ("127.0.0.1", "this computer", "deze computer"),
        ("127.8.9.10", "this computer", "deze computer"),
        ("::1", "this computer", "deze computer"),
        ("10.1.2.3", "local network", "lokaal netwerk"),
        ("172.20.0.5", "local network", "lokaal netwerk"),
        ("192.168.1.20", "local network", "lokaal netwerk"),
        ("169.254.10.1", "local network", "lokaal netwerk"),
        ("fe80::1", "local network", "lokaal netwerk"),
        ("fd12:3456::1", "local network", "lokaal netwerk"),
    ],
)
def test_it_says_this_computer_or_local_network_without_a_lookup(address, english, dutch):
    with override_settings(GEOIP_DATABASE="/nonexistent/never-read.mmdb"):
        with translation.override("en"):
            assert place_of(address) == english
        with translation.override("nl"):
            assert place_of(address) == dutch


@pytest.mark.parametrize("address", [None, "", "not an address", "192.0.2.10", "240.0.0.1"])
def test_it_knows_no_place_for_a_missing_or_reserved_address(address):
    assert place_of(address) == ""


def test_it_credits_the_database_it_reads():
    with translation.override("en"):
        assert source_of_places() == ("IP geolocation by DB-IP", "https://db-ip.com")


def test_a_file_that_is_no_geolocation_database_is_refused(tmp_path):
    text = tmp_path / "countries.mmdb"
    text.write_text("BE,193.190.0.0/15\n")
    with pytest.raises(ValueError, match=r"not a MaxMind DB \(\.mmdb\) file"):
        open_database(str(text))
    with pytest.raises(ValueError, match="no such file"):
        open_database(str(tmp_path / "missing.mmdb"))
