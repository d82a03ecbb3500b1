"""What the meeting page says about a plan, in the reader's language: tonight's repeats against a
bound for tonight, the season apart, what the dial did; and what each dial setting means."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kring.core.affinity import split_param

# The dial's settings in words, lowest first: (up to this setting, what it means).
DIAL_WORDS = (
    (
        0.0,
        gettext_lazy(
            "0 · Meet new people: everyone sits with as many people they never sat with as "
            "the tables allow."
        ),
    ),
    (
        0.35,
        gettext_lazy(
            "Mostly new people; pairs with a reason to meet (an ask and an offer, a wish to "
            "meet) sit together now and then."
        ),
    ),
    (
        0.65,
        gettext_lazy(
            "A mix: new people, and members you are getting to know (met one to four times) "
            "or have a reason to meet."
        ),
    ),
    (
        0.95,
        gettext_lazy(
            "Deepen ties: pairs on the road to five conversations and pairs with a reason to "
            "meet sit together more often, still with a new face at every table."
        ),
    ),
    (
        1.0,
        gettext_lazy(
            "1 · Deepen ties on the road to five: pairs who met one to four times and pairs "
            "whose asks, offers or wishes match sit together, spaced out, never the same "
            "table-mates week after week."
        ),
    ),
)


def dial_meaning(policy: float) -> str:
    """What the dial at ``policy`` (0..1) asks of the seating, in words."""
    for upto, words in DIAL_WORDS:
        if policy <= upto + 1e-9:
            return str(words)
    return str(DIAL_WORDS[-1][1])


def _ordinal(times: int) -> str:
    words = {2: _("second"), 3: _("third"), 4: _("fourth"), 5: _("fifth")}
    return words.get(times) or _("%(n)sth") % {"n": times}


@dataclass(frozen=True)
class ReportLine:
    """One line of the plan's report: ``key`` names it for the page (and tests)."""

    key: str
    text: str
    warn: bool = False


def seating_lines(report: dict[str, Any]) -> list[ReportLine]:
    """The lines the meeting page shows for a stored ``Meeting.report``; reports stored before
    tonight's figures existed give the season's line alone."""
    lines = []
    tonight = report.get("tonight")
    rules = _rules_kept(report)
    if tonight is not None:
        repeats = int(tonight.get("repeats", 0))
        if repeats:
            text = ngettext(
                "%(n)s pair sits together again tonight",
                "%(n)s pairs sit together again tonight",
                repeats,
            ) % {"n": repeats}
            by_times = [(int(t), int(n)) for t, n in tonight.get("by_times", [])]
            most = max(by_times, default=(0, 0))
            if most[0] >= 3:
                text += ", " + ngettext(
                    "%(n)s of them for the %(time)s time",
                    "%(n)s of them for the %(time)s time",
                    most[1],
                ) % {"n": most[1], "time": _ordinal(most[0])}
        else:
            text = _("Nobody sits with someone they sat with before")
        text += "; " + rules
        bound = int(tonight.get("lower_bound", 0))
        if repeats and bound >= repeats:
            text += "; " + _("no plan could have fewer, given earlier meetings")
        elif bound:
            text += "; " + ngettext(
                "at least %(n)s was unavoidable, given earlier meetings",
                "at least %(n)s were unavoidable, given earlier meetings",
                bound,
            ) % {"n": bound}
        lines.append(ReportLine("tonight", text + "."))
        season = report.get("season", {})
        pairs = int(season.get("repeated_pairs", report.get("repeated_pairs", 0)))
        text = ngettext(
            "Over the season: %(n)s repeat of a pair at a table",
            "Over the season: %(n)s repeats of pairs at a table",
            pairs,
        ) % {"n": pairs}
        if season.get("most_times"):
            text += "; " + _("no pair more than %(n)s times") % {"n": season["most_times"]}
        lines.append(ReportLine("season", text + "."))
    else:
        pairs = int(report.get("repeated_pairs", 0))
        text = ngettext(
            "%(n)s pair sits together again", "%(n)s pairs sit together again", pairs
        ) % {"n": pairs}
        text += " · " + rules
        if report.get("lower_bound") is not None:
            text += " · " + _("best possible: %(n)s") % {"n": report["lower_bound"]}
        lines.append(ReportLine("season", text))
    if "policy" in report:
        text = _("Dial at %(value)s: %(meaning)s") % {
            "value": number_format(float(report["policy"]), 1),
            "meaning": dial_meaning(float(report["policy"])),
        }
        affinity = report.get("affinity")
        if affinity and affinity.get("pairs"):
            text += " " + ngettext(
                "%(together)s of %(n)s pair with a reason to meet sits together.",
                "%(together)s of %(n)s pairs with a reason to meet sit together.",
                int(affinity["pairs"]),
            ) % {"together": affinity["together"], "n": affinity["pairs"]}
        lines.append(ReportLine("dial", text))
    hostless = report.get("hostless") or []
    if hostless:
        lines.append(
            ReportLine(
                "hostless",
                ngettext(
                    "%(tables)s has no host tonight.",
                    "%(tables)s have no host tonight.",
                    len(hostless),
                )
                % {"tables": ", ".join(hostless)},
                warn=True,
            )
        )
    if report.get("moved") is not None:
        moved = int(report["moved"])
        lines.append(
            ReportLine(
                "moved",
                ngettext("%(n)s person moved.", "%(n)s people moved.", moved) % {"n": moved},
            )
        )
    return lines


def _rules_kept(report: dict[str, Any]) -> str:
    violations = report.get("hard_violations") or []
    if violations:
        return ", ".join(str(v) for v in violations)
    kept = int(report.get("kept_apart") or 0)
    if kept:
        return ngettext(
            "no competitors share a table (%(n)s pair kept apart)",
            "no competitors share a table (%(n)s pairs kept apart)",
            kept,
        ) % {"n": kept}
    return _("every rule kept")


# --- Why two people sit together -------------------------------------------------------------


def reason_for_viewer(viewer: str, code: str, param: str) -> str:
    """A reason (kring.core.affinity) as the member ``viewer`` (their key) reads it about a
    table-mate: "knows people who fit your ask this month: “R&D managers”". It names only an
    ask of one of the two, in its owner's words, or the fact of a wish or an open link."""
    whose, ask = split_param(param)
    mine = whose == viewer
    if code == "ask_offer":
        if mine:
            return _("offers what you ask this month: “%(ask)s”") % {"ask": ask}
        return _("asks this month for “%(ask)s”, which you offer") % {"ask": ask}
    if code == "ask_sector":
        if mine:
            return _("works in the sector of your ask this month: “%(ask)s”") % {"ask": ask}
        return _("asks this month for “%(ask)s”, in your sector") % {"ask": ask}
    if code == "ask_network":
        if mine:
            return _("knows people who fit your ask this month: “%(ask)s”") % {"ask": ask}
        return _("asks this month for “%(ask)s”; people you know fit") % {"ask": ask}
    if code == "want_to_meet":
        return _("you asked to meet") if mine else _("asked to meet you")
    if code == "introduction":
        return _("an introduction between you is open")
    if code == "referral":
        return _("a referral between you is open")
    return ""


def reason_between(names: dict[str, str], a: str, b: str, code: str, param: str) -> str:
    """A reason as the organiser reads it about the pair ``a``, ``b`` (keys; ``names`` maps
    keys to the names to show)."""
    whose, ask = split_param(param)
    asker = names.get(whose, "")
    other = names.get(b if whose == a else a, "")
    if code == "ask_offer":
        return _("%(other)s offers what %(asker)s asks: “%(ask)s”") % {
            "other": other,
            "asker": asker,
            "ask": ask,
        }
    if code == "ask_sector":
        return _("%(other)s works in the sector %(asker)s asks for: “%(ask)s”") % {
            "other": other,
            "asker": asker,
            "ask": ask,
        }
    if code == "ask_network":
        return _("%(other)s knows people who fit the ask of %(asker)s: “%(ask)s”") % {
            "other": other,
            "asker": asker,
            "ask": ask,
        }
    if code == "want_to_meet":
        return _("%(asker)s asked to meet %(other)s") % {"asker": asker, "other": other}
    pair = {"a": names.get(a, ""), "b": names.get(b, "")}
    if code == "introduction":
        return _("an introduction between %(a)s and %(b)s is open") % pair
    if code == "referral":
        return _("a referral between %(a)s and %(b)s is open") % pair
    return ""
