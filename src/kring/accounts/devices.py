"""What a person recognises of a browser ("Firefox on Windows"), and the key a device is
known by (the same browser and system, whatever their versions)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def _families(user_agent: str) -> tuple[str, str]:
    from user_agents import parse

    agent = parse(user_agent)
    return agent.browser.family, agent.os.family


def device_name(user_agent: str) -> str:
    """ "Firefox on Windows", "Mobile Safari on iOS": what a person recognises of a browser."""
    if not user_agent:
        return _("Unknown device")
    browser, system = _families(user_agent)
    if browser == "Other" and system == "Other":
        return user_agent[:60]
    return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}


def device_key(user_agent: str) -> str:
    """The device a sign-in came from, in no language: "Firefox|Windows"."""
    if not user_agent:
        return "?"
    browser, system = _families(user_agent)
    if browser == "Other" and system == "Other":
        return user_agent[:120]
    return f"{browser}|{system}"[:120]
