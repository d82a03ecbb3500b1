"""The week's touches as an iCalendar feed (RFC 5545), made with the icalendar library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from kring.accounts.models import User
from kring.lib import clock
from kring.planner.models import PlannedTouch
from kring.planner.reasons import reason_text


def touches_calendar(user: User, touches: Iterable[PlannedTouch], *, now: dt.datetime) -> bytes:
    """One VEVENT per planned touch, in the user's networking slots and language; times carry
    the user's time zone (TZID, with its VTIMEZONE) so that every client shows the slot's hour."""
    zone = clock.zone_of(user)
    calendar = Calendar()
    calendar.add("prodid", "-//Kring//Keep-warm planner//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    with translation.override(user.language):
        calendar.add("x-wr-calname", _("Kring: whom to contact"))
        for touch in touches:
            if touch.starts_at is None:
                continue
            event = Event()
            event.add("uid", f"touch-{touch.pk}@kring")
            event.add("dtstamp", now)
            starts = clock.local(touch.starts_at, zone)
            event.add("dtstart", starts)
            event.add("dtend", starts + dt.timedelta(minutes=touch.minutes))
            event.add(
                "summary",
                _("%(channel)s %(name)s (%(minutes)s min)")
                % {
                    "channel": touch.get_channel_display(),
                    "name": touch.person.full_name,
                    "minutes": touch.minutes,
                },
            )
            event["description"] = vText("\n".join(reason_text(code) for code in touch.reasons))
            event.add("status", "CONFIRMED" if touch.status == "planned" else "CANCELLED")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
    # The zone's rules for the feed's span only: a full history since 1970 would be most of it.
    today = clock.local_date(now, zone)
    calendar.add_missing_timezones(
        first_date=today - dt.timedelta(days=366), last_date=today + dt.timedelta(days=732)
    )
    return calendar.to_ical()
