"""Retention: periodic jobs that remove personal data once its period has passed."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from onderwijsplatform.mail import mailbox
from onderwijsplatform.services.jobs import job


@job("purge-mail-bodies")
def purge_mail_bodies(now: datetime) -> str:
    """Empties the text of emails sent or failed more than FLASK_MAIL_BODY_RETENTION_DAYS ago."""
    days = int(current_app.config["MAIL_BODY_RETENTION_DAYS"])
    count = mailbox.purge_bodies(now, keep_days=days)
    return f"emptied {count} email bodies older than {days} days"
