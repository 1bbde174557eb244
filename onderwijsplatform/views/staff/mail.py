"""Staff mail view: the outbox as a mailbox, with retry and a test message."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.mail import delivery, mailbox, outbox, transport
from onderwijsplatform.models import utcnow
from onderwijsplatform.services.errors import InvalidTransition
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp

# The stored HTML part is shown as its own document, never inside our pages: no scripts,
# no requests anywhere, no forms, and sandboxed into an opaque origin.
HTML_PART_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; sandbox"
)


@bp.get("/mail/", endpoint="mail")
@staff_required
def mail_index():
    status = request.args.get("status")
    if status not in mailbox.STATUS_FILTERS:
        status = None
    page = request.args.get("page", 1, type=int)
    return render_template(
        "staff/mail.html",
        view=mailbox.overview(status, page=page, actor=current_user),
        status=status,
        sending_enabled=transport.sending_enabled(),
        now=utcnow(),
    )


@bp.get("/mail/<id:message_id>", endpoint="mail_message")
@staff_required
def mail_detail(message_id: int):
    message = mailbox.get_message(message_id, actor=current_user)
    return render_template(
        "staff/mail_message.html",
        message=message,
        shown=mailbox.shown(message, _("[persoonlijke link]")),
        message_id_header=delivery.message_id_for(message.id),
        sending_enabled=transport.sending_enabled(),
    )


@bp.get("/mail/<id:message_id>/html", endpoint="mail_html")
@staff_required
def mail_html_part(message_id: int):
    message = mailbox.get_message(message_id, actor=current_user)
    response = make_response(mailbox.shown(message, _("[persoonlijke link]")).html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = HTML_PART_CSP
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/mail/<id:message_id>/invite.ics", endpoint="mail_ics")
@staff_required
def mail_ics_part(message_id: int):
    message = mailbox.get_message(message_id, actor=current_user)
    if not message.ics:
        abort(404)
    response = make_response(message.ics)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="invite.ics"'
    return response


@bp.post("/mail/<id:message_id>/retry", endpoint="mail_retry")
@staff_required
def mail_retry(message_id: int):
    try:
        with unit_of_work():
            mailbox.retry(message_id, actor=current_user)
    except InvalidTransition:
        flash(_("Alleen een mislukt bericht kan opnieuw worden verstuurd."), "warning")
        return redirect(url_for("staff.mail_message", message_id=message_id))
    flash(_("Het bericht staat weer in de wachtrij."), "success")
    return redirect(url_for("staff.mail_message", message_id=message_id))


@bp.post("/mail/test", endpoint="mail_test")
@staff_required
def mail_send_test():
    try:
        with unit_of_work():
            row = outbox.enqueue_test_mail(current_user.email, language=current_user.language)
    except ValueError:
        flash(_("Uw e-mailadres is geen geldig adres; pas het eerst aan."), "error")
        return redirect(url_for("staff.mail"))
    flash(
        _("Er staat een testbericht naar %(address)s in de wachtrij.", address=row.to_addr),
        "success",
    )
    return redirect(url_for("staff.mail_message", message_id=row.id))
