"""Sessions and roles: the Flask-Login loader and the role decorators for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from onderwijsplatform.extensions import db, login_manager
from onderwijsplatform.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])


def _load_user(session_token: str) -> User | None:
    # The cookie carries a rotating token, not the id, so revoking it ends every session.
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.is_active.is_(True))
    )


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Let only signed-in users with one of ``roles`` through; others get 401/404."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                # 404, not 403: do not reveal that the page exists (reliability AC-02).
                abort(404)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


staff_required = roles_required(Role.STAFF, Role.ADMIN)
coordinator_required = roles_required(Role.COORDINATOR)
admin_required = roles_required(Role.ADMIN)


def _unauthorized():
    # Send people to the login page when there is one; a bare 401 page otherwise.
    if "auth.login" in current_app.view_functions:
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))
    abort(401)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "strong"
