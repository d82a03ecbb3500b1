"""The planner core's reason codes in words, in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASON_TEXT = {
    "cooling_a": _("An A-tie that is cooling"),
    "birthday": _("Birthday this week"),
    "after_meeting": _("The day after a meeting you shared"),
    "give_first": _("Your network can answer what they are looking for: give first"),
    "favour_owed": _("You owe them a favour"),
    "not_familiar": _("You have not had five conversations yet"),
    "due": _("Due by your cadence for this tier"),
}
LEFT_OUT_TEXT = {
    "automate": _("C-tier: a newsletter or a like, no personal touch"),
    "already_planned": _("Already touched this week"),
    "snoozed": _("Snoozed"),
    "follow_up_guard": _("No answer to your last messages: leave it for now"),
    "not_before": _("Not to be contacted yet"),
    "over_budget": _("Did not fit this week's time"),
}
TIER_REASON_TEXT = {
    "strong_and_reciprocal": _("Strong, and favours go both ways"),
    "strong": _("Among your strongest relationships"),
    "starred": _("You starred this relationship"),
    "favours_exchanged": _("Many favours exchanged"),
    "asks_matched": _("They helped with your asks"),
    "kept_by_stars": _("Three stars keep it out of C"),
    "cold": _("Little contact and nothing exchanged"),
    "no_exchange": _("No favours exchanged"),
    "lowest_ranked": _("Among the weakest relationships"),
    "middle": _("In the middle of your network"),
}


def reason_text(code: str) -> str:
    return str(REASON_TEXT.get(code, code))


def left_out_text(code: str) -> str:
    return str(LEFT_OUT_TEXT.get(code, code))


def tier_reason_text(code: str) -> str:
    return str(TIER_REASON_TEXT.get(code, code.replace("_", " ")))
