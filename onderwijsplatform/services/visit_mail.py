"""The emails of a visit booking, to the school's coordinator and the host's contact.

Every booking has its own calendar event (UID ``visit-<id>``): a confirmation sends it,
a change sends it again with a higher SEQUENCE, a cancellation removes it (METHOD:CANCEL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from onderwijsplatform.mail import ics, outbox
from onderwijsplatform.models import BookingState, VisitBooking


@dataclass(frozen=True)
class Person:
    """Whom to write to: an email address and the language to write in."""

    email: str
    language: str = "nl"


def _school_side(booking: VisitBooking) -> Person | None:
    user = booking.coordinator
    return Person(user.email, user.language) if user and user.is_active else None


def _host_side(booking: VisitBooking) -> Person | None:
    programme = booking.slot.programme
    if programme.contact is not None:
        return Person(programme.contact.email, programme.contact.language)
    # A host without a contact is run by the region's team, which then hears of it.
    region_address = programme.region.contact_email
    return Person(region_address) if region_address else None


def _context(booking: VisitBooking) -> dict:
    programme = booking.slot.programme
    return {
        "booking": booking,
        "slot": booking.slot,
        "programme": programme,
        "host": programme.host,
        "school": booking.school,
    }


def _invitation(booking: VisitBooking, now: datetime, *, cancel: bool = False) -> str:
    programme = booking.slot.programme
    people = [p for p in (_school_side(booking), _host_side(booking)) if p is not None]
    location = ", ".join(x for x in (programme.address, programme.place) if x)
    return ics.activity_invitation(
        uid=f"visit-{booking.id}@onderwijsplatform",
        start=booking.slot.starts_at,
        end=booking.slot.ends_at,
        summary=f"{programme.title}: {booking.school.name}",
        description=programme.description[:500],
        location=location,
        organiser_email=programme.region.contact_email or _sender(),
        attendees=[p.email for p in people],
        sequence=booking.sequence,
        now=now,
        cancel=cancel,
    )


def _send(template: str, person: Person | None, context: dict, key: str, now, **extra) -> None:
    if person is None:
        return
    outbox.enqueue(
        template,
        to=person.email,
        context=context,
        dedupe_key=key,
        language=person.language,
        now=now,
        **extra,
    )


def _both(template: str, booking: VisitBooking, key: str, now: datetime, **extra) -> None:
    context = _context(booking)
    for side, person in (("school", _school_side(booking)), ("host", _host_side(booking))):
        _send(template, person, {**context, "side": side}, f"{key}:{side}", now, **extra)


def booked(booking: VisitBooking, now: datetime) -> None:
    """A new booking: confirmed at once (with the invitation) or waiting for the host."""
    key = f"visit:{booking.id}:booked"
    if booking.state is BookingState.CONFIRMED:
        _both("visit_confirmed", booking, key, now, ics=_invitation(booking, now))
        return
    context = _context(booking)
    _send("visit_received", _school_side(booking), context, f"{key}:school", now)
    _send("visit_to_confirm", _host_side(booking), context, f"{key}:host", now)


def confirmed(booking: VisitBooking, now: datetime) -> None:
    """The host confirmed: both sides get the calendar invitation."""
    key = f"visit:{booking.id}:confirmed"
    _both("visit_confirmed", booking, key, now, ics=_invitation(booking, now))


def declined(booking: VisitBooking, now: datetime) -> None:
    """The host declined: the school hears why."""
    key = f"visit:{booking.id}:declined:school"
    _send("visit_declined", _school_side(booking), _context(booking), key, now)


def changed(booking: VisitBooking, now: datetime) -> None:
    """The school changed its numbers: both sides, with the updated invitation if confirmed."""
    key = f"visit:{booking.id}:changed:{booking.sequence}"
    extra = {}
    if booking.state is BookingState.CONFIRMED:
        extra["ics"] = _invitation(booking, now)
    _both("visit_changed", booking, key, now, **extra)


def cancelled(booking: VisitBooking, was_confirmed: bool, now: datetime) -> None:
    """One booking was cancelled: both sides, and its calendar event is withdrawn."""
    key = f"visit:{booking.id}:cancelled"
    extra = {"ics": _invitation(booking, now, cancel=True)} if was_confirmed else {}
    _both("visit_cancelled", booking, key, now, **extra)


def _sender() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    if "<" in sender:
        sender = sender.split("<", 1)[1].rstrip(">")
    return sender
