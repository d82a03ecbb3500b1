"""What the planner's core errors say, in the reader's language.

The core (:mod:`kring.core.planning`, :mod:`kring.core.tiers`) names each refusal by a code
with parameters and keeps an English message for logs; here each code has its text through
gettext.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.core.planning import InvalidPlanInput
from kring.core.tiers import InvalidTierInput
from kring.lib.errors import coded_message

PLAN_TEXTS: dict[str, Promise] = {
    "budget": _("The weekly budget is a whole number of minutes, 0 or more."),
    "invalid": _("Kring cannot make a plan from these relationships; the error is logged."),
}

TIER_TEXTS: dict[str, Promise] = {
    "shares": _("The shares of A and C are between 0 and 1 and together at most 1."),
    "invalid": _("Kring cannot propose tiers from these relationships; the error is logged."),
}


def plan_error(exc: InvalidPlanInput) -> str:
    """Why the week could not be planned, in the active language."""
    return coded_message(PLAN_TEXTS, exc.code, exc.params)


def tier_error(exc: InvalidTierInput) -> str:
    """Why tiers could not be proposed, in the active language."""
    return coded_message(TIER_TEXTS, exc.code, exc.params)
