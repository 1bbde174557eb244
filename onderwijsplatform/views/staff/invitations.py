"""Staff invite school coordinators of their region."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from onderwijsplatform.forms.auth import InvitationForm
from onderwijsplatform.identity import accounts
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.services.errors import ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp


def _form() -> InvitationForm:
    form = InvitationForm()
    schools = accounts.schools_for_staff(current_user)
    form.school_id.choices = [SelectChoice("", _("Kies een school…"))] + [
        SelectChoice(str(school.id), school.name) for school in schools
    ]
    return form


@bp.route("/uitnodigingen/", methods=["GET", "POST"], endpoint="invitations")
@staff_required
def invitations_page():
    form = _form()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = accounts.invite(
                    staff=current_user,
                    school_id=int(form.school_id.data),
                    name=form.name.data,
                    email=form.email.data,
                    language=form.language.data or "nl",
                )
        except ValidationFailed:
            form.email.errors.append(_("Dit e-mailadres hoort al bij een ander account."))
        else:
            flash(_("Uitnodiging verstuurd naar %(email)s.", email=user.email), "success")
            return redirect(url_for("staff.invitations"))
    return render_template(
        "staff/invitations.html",
        form=form,
        coordinators=accounts.coordinators_for_staff(current_user),
    )
