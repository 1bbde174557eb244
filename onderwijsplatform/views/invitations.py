"""Staff invite school coordinators of their region."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from onderwijsplatform.auth import staff_required
from onderwijsplatform.extensions import db
from onderwijsplatform.forms.auth import InvitationForm
from onderwijsplatform.services import accounts
from onderwijsplatform.services.errors import NotFound, ValidationFailed

bp = Blueprint("invitations", __name__, url_prefix="/staff/uitnodigingen")


def _form() -> InvitationForm:
    form = InvitationForm()
    schools = accounts.schools_for_staff(current_user)
    form.school_id.choices = [SelectChoice("", _("Kies een school…"))] + [
        SelectChoice(str(school.id), school.name) for school in schools
    ]
    return form


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index():
    form = _form()
    if form.validate_on_submit():
        try:
            user = accounts.invite(
                staff=current_user,
                school_id=int(form.school_id.data),
                name=form.name.data,
                email=form.email.data,
                language=form.language.data or "nl",
            )
        except NotFound:
            abort(404)
        except ValidationFailed:
            db.session.rollback()
            form.email.errors.append(_("Dit e-mailadres hoort al bij een ander account."))
        else:
            db.session.commit()
            flash(_("Uitnodiging verstuurd naar %(email)s.", email=user.email), "success")
            return redirect(url_for("invitations.index"))
    return render_template(
        "invitations/index.html",
        form=form,
        coordinators=accounts.coordinators_for_staff(current_user),
    )
