"""The emails of an introduction: made, declined, reminder, agreed date (with ICS)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from onderwijsplatform.mail import ics, outbox
from onderwijsplatform.models import Introduction
from onderwijsplatform.services.errors import InvalidTransition
from onderwijsplatform.services.parties import company_contact, school_user


def _sides(intro: Introduction):
    return company_contact(intro), school_user(intro)


def _context(intro: Introduction) -> dict:
    contact, coordinator = _sides(intro)
    return {
        "intro": intro,
        "request": intro.school_request,
        "offer": intro.offer,
        "company": intro.offer.organisation,
        "school": intro.school_request.school,
        "contact": contact,
        "coordinator": coordinator,
    }


def _send(template: str, person, context: dict, key: str, now: datetime, **extra) -> bool:
    """Queue ``template`` to ``person`` (a contact or a coordinator); False when there is none."""
    if person is None:
        return False
    outbox.enqueue(
        template,
        to=person.email,
        context=context,
        dedupe_key=key,
        language=person.language,
        now=now,
        **extra,
    )
    return True


def introduction_made(intro: Introduction, now: datetime) -> None:
    """One email to each side with the other side's details (dedupe keys per side)."""
    context = _context(intro)
    key = f"introduction:{intro.id}"
    _send("introduction_company", context["contact"], context, f"{key}:company", now)
    _send("introduction_school", context["coordinator"], context, f"{key}:school", now)


def introduction_declined(intro: Introduction, now: datetime) -> None:
    """Tell the coordinator why staff declined the introduction."""
    context = _context(intro)
    key = f"introduction:{intro.id}:declined"
    _send("introduction_declined", context["coordinator"], context, key, now)


def reminder(intro: Introduction, side: str, now: datetime) -> bool:
    """Remind the side that has not answered; False when there is nobody to write to."""
    context = _context(intro)
    person = context["contact"] if side == "company" else context["coordinator"]
    key = f"introduction:{intro.id}:reminder:{side}"
    return _send("introduction_reminder", person, {**context, "side": side}, key, now)


def date_agreed(intro: Introduction, now: datetime) -> None:
    """A calendar invitation for the agreed date to both sides."""
    day = intro.agreed_date
    if day is None:
        # Only an agreed introduction has a date (a check constraint) and so an invitation.
        raise InvalidTransition("an introduction without an agreed date has no invitation")
    context = _context(intro)
    contact, coordinator = context["contact"], context["coordinator"]
    people = [p for p in (contact, coordinator) if p is not None]
    organiser = intro.school_request.school.region.contact_email or _sender()
    invite = ics.activity_invitation(
        uid=f"introduction-{intro.id}@onderwijsplatform",
        start=day,
        summary=f"{context['company'].name} × {context['school'].name}",
        description=intro.school_request.description[:500],
        location=context["school"].place or "",
        organiser_email=organiser,
        attendees=[p.email for p in people],
        now=now,
    )
    key = f"introduction:{intro.id}:date:{day.isoformat()}"
    for side, person in (("company", contact), ("school", coordinator)):
        _send("introduction_date", person, context, f"{key}:{side}", now, ics=invite)


def _sender() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    if "<" in sender:
        sender = sender.split("<", 1)[1].rstrip(">")
    return sender
