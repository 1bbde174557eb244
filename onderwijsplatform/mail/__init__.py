"""Mail: outbox rows written in the caller's transaction, delivered by a worker over SMTP.

``outbox`` renders and enqueues, ``delivery`` sends due rows, ``transport`` is the one
place that talks to Flask-Mail and SMTP, ``mailbox`` answers the staff mail view, and
``ics`` builds calendar attachments.
"""
