"""Public pages: home, privacy statement, language switch, and the health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from onderwijsplatform.forms.catalogue import RegionSearchForm
from onderwijsplatform.models import utcnow
from onderwijsplatform.security import is_safe_next
from onderwijsplatform.services import catalogue, health, overview, regions
from onderwijsplatform.services.errors import NotFound, ValidationFailed

bp = Blueprint("public", __name__)


def _home(form: RegionSearchForm, status: int = 200):
    return render_template(
        "public/home.html",
        stats=overview.public_stats(),
        regions=catalogue.all_regions(),
        search=form,
    ), status


@bp.get("/")
def home():
    return _home(RegionSearchForm(formdata=None))


@bp.get("/regio-zoeken")
def find_region():
    form = RegionSearchForm(request.args)
    if not form.validate():
        return _home(form, 400)
    try:
        found = regions.nearest(form.near.data)
    except ValidationFailed:
        form.near.errors = [_("Deze postcode of plaats kennen we niet.")]
        return _home(form, 400)
    except NotFound:
        form.near.errors = [_("Er is nog geen regio op dit platform.")]
        return _home(form, 404)
    return redirect(url_for("regions.home", code=found.code))


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.post("/taal/<lang>")
def set_language(lang: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("public.home"))


@bp.get("/healthz")
def healthz():
    # For monitoring: counts and ages only, no personal data; 503 when the database is gone.
    result = health.status(utcnow())
    return jsonify(result), (200 if result["ok"] else 503)


@bp.get("/.well-known/security.txt")
def security_txt():
    body = (
        f"Contact: mailto:{current_app.config['PRIVACY_CONTACT']}\n"
        "Expires: 2027-11-30T00:00:00.000Z\n"
        "Preferred-Languages: nl, en\n"
    )
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}
