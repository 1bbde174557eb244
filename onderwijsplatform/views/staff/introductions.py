"""Staff introductions: the queue, approve exactly once, decline, follow up, propose."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.formatting import one_stop
from onderwijsplatform.forms.staff import ActionForm, AgreeDateForm, ReasonForm
from onderwijsplatform.identity.roles import staff_required
from onderwijsplatform.models import IntroductionState, utcnow
from onderwijsplatform.services import introductions, parties
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp

S = IntroductionState
STAFF_MOVES = {"geen-reactie": S.NO_RESPONSE, "geannuleerd": S.CANCELLED, "afgerond": S.COMPLETED}


@bp.get("/introducties", endpoint="introductions")
@staff_required
def queue():
    return render_template(
        "staff/introductions.html",
        requested=introductions.listing(current_user, (S.REQUESTED,)),
        running=introductions.listing(current_user, (S.APPROVED, S.AGREED)),
        attention=introductions.needs_attention(current_user),
        proposals=introductions.suggestions_for_proposal(current_user),
        action=ActionForm(formdata=None),
    )


def _render_detail(intro, status=200, decline=None, agree=None):
    item = next(
        (i for i in introductions.listing(current_user, (intro.state,)) if i.introduction == intro),
        None,
    )
    return render_template(
        "staff/introduction.html",
        intro=intro,
        suggestion=item.suggestion if item else None,
        contact=parties.company_contact(intro),
        coordinator=parties.school_user(intro),
        action=ActionForm(formdata=None),
        decline=decline or ReasonForm(formdata=None),
        agree=agree or AgreeDateForm(formdata=None),
        moves=STAFF_MOVES,
    ), status


@bp.get("/introducties/<id:introduction_id>")
@staff_required
def introduction(introduction_id: int):
    return _render_detail(introductions.get(current_user, introduction_id))


def _follow_up(introduction_id: int, action, done: str):
    """Run one follow-up step: commit it, or explain that this state does not allow it.

    CSRF is checked for every POST by CSRFProtect before any view runs.
    """
    try:
        with unit_of_work():
            action()
    except (InvalidTransition, ValidationFailed):
        flash(_("Dat kan niet in deze fase van de introductie."), "warning")
    else:
        flash(done, "success")
    return redirect(url_for("staff.introduction", introduction_id=introduction_id))


@bp.post("/introducties/<id:introduction_id>/goedkeuren")
@staff_required
def approve(introduction_id: int):
    introductions.get(current_user, introduction_id)
    try:
        with unit_of_work():
            introductions.approve(current_user, introduction_id, utcnow())
    except introductions.AlreadyDecided as exc:
        if exc.state is S.APPROVED:
            flash(
                one_stop(_("Deze introductie is al goedgekeurd door %(name)s.", name=exc.by)),
                "warning",
            )
        else:
            flash(
                one_stop(_("Over deze introductie is al beslist door %(name)s.", name=exc.by)),
                "warning",
            )
        return redirect(url_for("staff.introduction", introduction_id=introduction_id))
    flash(_("Goedgekeurd: beide kanten krijgen een e-mail met elkaars gegevens."), "success")
    return redirect(url_for("staff.introductions"))


@bp.post("/introducties/<id:introduction_id>/afwijzen")
@staff_required
def decline(introduction_id: int):
    intro = introductions.get(current_user, introduction_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_detail(intro, 422, decline=form)
    try:
        with unit_of_work():
            introductions.decline(current_user, introduction_id, form.reason.data, utcnow())
    except introductions.AlreadyDecided as exc:
        flash(
            one_stop(_("Over deze introductie is al beslist door %(name)s.", name=exc.by)),
            "warning",
        )
        return redirect(url_for("staff.introduction", introduction_id=introduction_id))
    flash(_("Afgewezen: de coördinator krijgt de reden per e-mail."), "success")
    return redirect(url_for("staff.introductions"))


@bp.post("/introducties/<id:introduction_id>/antwoord/<side>")
@staff_required
def answered(introduction_id: int, side: str):
    introductions.get(current_user, introduction_id)
    if side not in ("company", "school"):
        abort(404)
    return _follow_up(
        introduction_id,
        lambda: introductions.record_answer(current_user, introduction_id, side, utcnow()),
        _("Reactie vastgelegd."),
    )


@bp.post("/introducties/<id:introduction_id>/datum")
@staff_required
def agree(introduction_id: int):
    intro = introductions.get(current_user, introduction_id)
    form = AgreeDateForm()
    if not form.validate_on_submit() or form.day.value is None:
        return _render_detail(intro, 422, agree=form)
    day = form.day.value
    if day < introductions.earliest_agreed_date(utcnow()):
        form.day.errors.append(_("Kies vandaag of een dag in de toekomst."))
        return _render_detail(intro, 422, agree=form)
    return _follow_up(
        introduction_id,
        lambda: introductions.agree_date(current_user, introduction_id, day, utcnow()),
        _("Datum vastgelegd; beide kanten krijgen een agenda-uitnodiging."),
    )


@bp.post("/introducties/<id:introduction_id>/status/<move>")
@staff_required
def change_state(introduction_id: int, move: str):
    introductions.get(current_user, introduction_id)
    if move not in STAFF_MOVES:
        abort(404)
    return _follow_up(
        introduction_id,
        lambda: introductions.staff_move(
            current_user, introduction_id, STAFF_MOVES[move], utcnow()
        ),
        _("Status bijgewerkt."),
    )


@bp.post("/suggesties/<id:suggestion_id>/voorstellen")
@staff_required
def propose(suggestion_id: int):
    try:
        with unit_of_work():
            intro = introductions.propose(current_user, suggestion_id, utcnow())
    except InvalidTransition:
        flash(_("Voor dit paar bestaat al een introductie."), "warning")
        return redirect(url_for("staff.introductions"))
    return redirect(url_for("staff.introduction", introduction_id=intro.id))
