"""A registry of periodic jobs; ``flask jobs run`` runs every due one, each in its own commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Job:
    """A periodic job: ``run(now)`` does the work (flush only) and returns a one-line summary."""

    name: str
    run: Callable[[datetime], str]
    help: str


_JOBS: dict[str, Job] = {}

# Modules that register jobs when imported; add yours here.
JOB_MODULES: tuple[str, ...] = (
    "onderwijsplatform.services.followup",
    "onderwijsplatform.services.digest",
    "onderwijsplatform.services.intake",
    "onderwijsplatform.services.lending_reminders",
    "onderwijsplatform.services.retention",
)


def job(name: str, help: str = "") -> Callable[[Callable[[datetime], str]], Callable]:
    """Register ``function(now) -> summary`` as the job ``name``; it must be safe to run twice."""

    def register(function: Callable[[datetime], str]) -> Callable[[datetime], str]:
        _JOBS[name] = Job(name, function, help or (function.__doc__ or "").strip().split("\n")[0])
        return function

    return register


def registered() -> list[Job]:
    """Every registered job, in the order they were registered."""
    import importlib

    for module in JOB_MODULES:
        importlib.import_module(module)
    return list(_JOBS.values())
