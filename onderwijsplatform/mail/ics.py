"""Calendar invitations (iCalendar, METHOD:REQUEST or CANCEL) for agreed activity dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import icalendar

from onderwijsplatform.mail.outbox import validate_address
from onderwijsplatform.models import utcnow

PRODID = "-//Onderwijsplatform//Activiteiten//NL"


def activity_invitation(
    uid: str,
    start: date | datetime,
    summary: str,
    description: str,
    location: str,
    organiser_email: str,
    *,
    end: date | datetime | None = None,
    attendees: Iterable[str] = (),
    sequence: int = 0,
    now: datetime | None = None,
    cancel: bool = False,
) -> str:
    """An invitation for one activity, as the text of an ``invite.ics`` attachment.

    A ``date`` makes an all-day event (``end`` is the last day, inclusive); an aware
    ``datetime`` makes a timed one, stored in UTC (``end`` defaults to one hour later).
    Bump ``sequence`` when sending a changed date for the same ``uid``; ``cancel`` sends
    METHOD:CANCEL, which removes that event from the calendar. Raises ValueError
    for a naive datetime or a bad email address.
    """
    organiser = validate_address(organiser_email)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", (now or utcnow()).astimezone(UTC))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if isinstance(start, datetime):
        if start.tzinfo is None or (isinstance(end, datetime) and end.tzinfo is None):
            raise ValueError("timed activities need timezone-aware datetimes")
        finish = end if isinstance(end, datetime) else start + timedelta(hours=1)
        event.add("dtstart", start.astimezone(UTC))
        event.add("dtend", finish.astimezone(UTC))
    else:
        last_day = end if isinstance(end, date) and not isinstance(end, datetime) else start
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtstart", start)
        event.add("dtend", last_day + timedelta(days=1))
    organizer = icalendar.vCalAddress(f"mailto:{organiser}")
    event.add("organizer", organizer)
    for attendee in attendees:
        address = icalendar.vCalAddress(f"mailto:{validate_address(attendee)}")
        address.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
        event.add("attendee", address, encode=False)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
