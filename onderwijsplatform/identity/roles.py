"""Roles: the decorators that let only signed-in users with the right role reach a view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from onderwijsplatform.extensions import login_manager
from onderwijsplatform.models import Role

F = TypeVar("F", bound=Callable[..., Any])


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


staff_required = roles_required(Role.STAFF, Role.REGION_ADMIN, Role.ADMIN)
region_admin_required = roles_required(Role.REGION_ADMIN, Role.ADMIN)
national_required = roles_required(Role.NATIONAL_VIEWER, Role.ADMIN)
coordinator_required = roles_required(Role.COORDINATOR)
admin_required = roles_required(Role.ADMIN)


# Where each role starts after signing in.
_HOME = {
    Role.COORDINATOR: "coordinator.requests",
    Role.STAFF: "staff.dashboard",
    Role.REGION_ADMIN: "staff.dashboard",
    Role.ADMIN: "staff.dashboard",
    Role.NATIONAL_VIEWER: "national.totals",
}


def home_endpoint(role: Role) -> str:
    """The endpoint a user of ``role`` starts on after signing in."""
    return _HOME.get(role, "public.home")
