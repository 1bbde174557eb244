"""Errors that services raise and views turn into messages or status codes."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every expected failure of a workflow."""


class NotFound(ServiceError):
    """The object does not exist, or the actor may not see it (both answer 404)."""


class InvalidToken(ServiceError):
    """A link token is unknown, used or expired."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class InvalidTransition(ServiceError):
    """A state change that the state machine does not allow."""


class ValidationFailed(ServiceError):
    """Input that passed the form but breaks a rule; ``field`` names where to show it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
