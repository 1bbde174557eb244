"""The lending desk: the region's items with their stock and components, and each loan's steps."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from onderwijsplatform.forms.lending import (
    ActionForm,
    CheckInForm,
    CheckOutForm,
    DeclineForm,
    DeskForm,
    ItemForm,
    components_text,
    with_components,
)
from onderwijsplatform.identity.roles import region_admin_required, staff_required
from onderwijsplatform.models import LendingItem, Loan, LoanState, utcnow
from onderwijsplatform.services import lending, loans
from onderwijsplatform.services.errors import InvalidTransition, ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp

S = LoanState


@bp.get("/uitleen", endpoint="lending")
@staff_required
def overview():
    now = utcnow()
    items = lending.listing(current_user)
    return render_template(
        "staff/lending.html",
        rows=lending.with_weeks(items, loans.today(now), weeks=6),
        requested=loans.desk_listing(current_user, (S.REQUESTED,)),
        to_hand_out=loans.desk_listing(current_user, (S.APPROVED,)),
        out=loans.desk_listing(current_user, (S.OUT,)),
        overdue={loan.id for loan in loans.overdue(current_user, now)},
        short=loans.desk_listing(current_user, (S.RETURNED_PARTLY,)),
        days=loans.day_list(current_user, now),
    )


@bp.route("/uitleen/balie", methods=["GET", "POST"], endpoint="lending_desk")
@region_admin_required
def desk_settings():
    row = lending.desk(current_user.region_id)
    if request.method == "POST":
        form = DeskForm()
    else:
        form = DeskForm(
            data={
                "closed_weekdays": [str(day) for day in row.closed_weekdays],
                **{name: str(getattr(row, name)) for name in lending.RULES},
            }
        )
    if form.validate_on_submit():
        with unit_of_work():
            lending.save_desk(current_user, current_user.region_id, form.values(), utcnow())
        flash(_("De instellingen van de uitleenbalie zijn opgeslagen."), "success")
        return redirect(url_for("staff.lending"))
    return render_template("staff/lending_desk.html", form=form), 422 if form.errors else 200


def _item_form(item: LendingItem | None) -> ItemForm:
    if request.method == "POST":
        form = ItemForm()
    elif item is None:
        rules = lending.defaults(current_user.region_id)
        form = ItemForm(
            data={**{k: str(v) for k, v in rules.items()}, "approval": "auto", "active": True}
        )
    else:
        form = ItemForm(
            data={
                "title": item.title,
                "description": item.description,
                "kinds": item.kinds,
                "sectors": item.sectors,
                "target_groups": item.target_groups,
                "themes": ", ".join(item.themes or []),
                "owner": str(item.owner_id or ""),
                "quantity": str(item.quantity),
                "value": f"{Decimal(item.value_cents) / 100:.2f}".replace(".", ","),
                "components": components_text(item.components),
                **{name: str(getattr(item, name)) for name in lending.RULES},
                "exchange_weekday": (
                    "" if item.exchange_weekday is None else str(item.exchange_weekday)
                ),
                "approval": item.approval.value,
                "active": item.active,
            }
        )
    form.set_owners(lending.owners(current_user))
    return form


def _save_item(item: LendingItem | None):
    form = _item_form(item)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                if item is None:
                    item = lending.create(
                        current_user,
                        current_user.region_id,
                        form.values(),
                        form.component_list(),
                        utcnow(),
                    )
                else:
                    lending.update(
                        current_user, item, form.values(), form.component_list(), utcnow()
                    )
        except ValidationFailed as error:
            if error.field == "exchange_weekday":
                message = _("De uitleenbalie is op die dag dicht. Kies een dag waarop ze open is.")
            elif error.field == "quantity":
                message = _(
                    "Er zijn op één dag al %(num)s sets gereserveerd of uitgeleend; de "
                    "voorraad kan niet lager.",
                    num=error.message.partition(":")[2],
                )
            else:
                message = _("Controleer deze waarde.")
            form[error.field].errors.append(message)
        else:
            flash(_("De uitleenset is opgeslagen."), "success")
            return redirect(url_for("staff.lending"))
    status = 422 if form.errors else 200
    return render_template("staff/lending_item.html", form=form, item=item), status


@bp.route("/uitleen/nieuw", methods=["GET", "POST"], endpoint="lending_new")
@staff_required
def new_item():
    return _save_item(None)


@bp.route("/uitleen/<id:item_id>", methods=["GET", "POST"], endpoint="lending_item")
@staff_required
def edit_item(item_id: int):
    return _save_item(lending.get(current_user, item_id))


def _loan_page(loan: Loan, forms: dict | None = None, status: int = 200):
    components = loan.item.components
    shown = {
        "action": ActionForm(formdata=None),
        "decline": DeclineForm(formdata=None, prefix="decline"),
        "check_out": with_components(CheckOutForm, components, check_in=False),
        "check_in": with_components(CheckInForm, components, check_in=True),
        **(forms or {}),
    }
    if "check_in" not in (forms or {}):
        shown["check_in"].sets_back.data = str(loan.sets)
    return render_template("staff/loan.html", loan=loan, forms=shown), status


@bp.get("/uitleen/reserveringen/<id:loan_id>", endpoint="loan")
@staff_required
def loan_page(loan_id: int):
    return _loan_page(loans.get(current_user, loan_id))


def _done(loan_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("staff.loan", loan_id=loan_id))


def _refused(loan_id: int):
    flash(_("Dat kan niet meer: de reservering is intussen al verder."), "info")
    return redirect(url_for("staff.loan", loan_id=loan_id))


_STEPS = {
    "goedkeuren": (
        "approve",
        loans.approve,
        _l("De reservering is goedgekeurd; de school krijgt bericht."),
    ),
    "annuleren": ("cancel", loans.cancel, _l("De reservering is geannuleerd.")),
    "afhandelen": (
        "settle",
        loans.settle,
        _l("De tekorten zijn afgehandeld; de sets zijn weer vrij."),
    ),
    "kwijt": ("lost", loans.mark_lost, _l("De sets zijn als kwijt geboekt en van de voorraad af.")),
}


def _step_view(action, message):
    @staff_required
    def view(loan_id: int):
        loans.get(current_user, loan_id)  # NotFound (404) for another region's loan
        if not ActionForm().validate_on_submit():
            return _refused(loan_id)
        try:
            with unit_of_work():
                action(current_user, loan_id, utcnow())
        except InvalidTransition:
            return _refused(loan_id)
        return _done(loan_id, str(message))

    return view


for _path, (_name, _action, _message) in _STEPS.items():
    bp.add_url_rule(
        f"/uitleen/reserveringen/<id:loan_id>/{_path}",
        endpoint=f"loan_{_name}",
        view_func=_step_view(_action, _message),
        methods=["POST"],
    )


@bp.post("/uitleen/reserveringen/<id:loan_id>/afwijzen", endpoint="loan_decline")
@staff_required
def decline(loan_id: int):
    loan = loans.get(current_user, loan_id)
    form = DeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _loan_page(loan, {"decline": form}, 422)
    try:
        with unit_of_work():
            loans.decline(current_user, loan_id, form.reason.data, utcnow())
    except InvalidTransition:
        return _refused(loan_id)
    return _done(loan_id, _("De reservering is afgewezen; de school krijgt de reden."))


@bp.post("/uitleen/reserveringen/<id:loan_id>/uitgeven", endpoint="loan_check_out")
@staff_required
def check_out(loan_id: int):
    loan = loans.get(current_user, loan_id)
    components = loan.item.components
    form = with_components(CheckOutForm, components, check_in=False)
    if form.validate_on_submit():
        checked = {c.id for c in components if form[f"component_{c.id}"].data}
        try:
            with unit_of_work():
                loans.check_out(current_user, loan_id, checked, utcnow())
        except InvalidTransition:
            return _refused(loan_id)
        except ValidationFailed:
            form.form_errors.append(_("Vink alle onderdelen aan: ze moeten compleet mee."))
        else:
            return _done(loan_id, _("De sets zijn uitgegeven."))
    return _loan_page(loans.get(current_user, loan_id), {"check_out": form}, 422)


@bp.post("/uitleen/reserveringen/<id:loan_id>/innemen", endpoint="loan_check_in")
@staff_required
def check_in(loan_id: int):
    loan = loans.get(current_user, loan_id)
    components = loan.item.components
    form = with_components(CheckInForm, components, check_in=True)
    if form.validate_on_submit():
        shortfalls = [
            loans.Shortfall(
                c.id, form[f"missing_{c.id}"].whole or 0, form[f"damaged_{c.id}"].whole or 0
            )
            for c in components
        ]
        try:
            with unit_of_work():
                done = loans.check_in(
                    current_user, loan_id, form.sets_back.whole or 0, shortfalls, utcnow()
                )
        except InvalidTransition:
            return _refused(loan_id)
        except ValidationFailed as error:
            _check_in_error(form, error, loan)
        else:
            if done.state is S.RETURNED:
                return _done(loan_id, _("De sets zijn compleet terug."))
            return _done(loan_id, _("Deels terug: de tekorten staan op de lening."))
    return _loan_page(loans.get(current_user, loan_id), {"check_in": form}, 422)


def _check_in_error(form, error: ValidationFailed, loan: Loan) -> None:
    if error.field == "sets_back":
        form.sets_back.errors.append(
            _("Er zijn %(num)d sets uitgeleend; meer kan er niet terugkomen.", num=loan.sets)
        )
    elif error.field.startswith("component-"):
        lent = error.message.partition(":")[2]
        field = form[f"missing_{error.field.removeprefix('component-')}"]
        field.errors.append(
            _(
                "Kwijt en kapot samen kunnen niet meer zijn dan de %(lent)s die meegingen.",
                lent=lent,
            )
        )
    else:
        form.form_errors.append(_("Controleer de onderdelen."))
