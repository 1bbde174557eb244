"""``flask jobs run`` (every due job) and ``flask jobs <name>`` (one job); safe to run twice."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from onderwijsplatform.transaction import unit_of_work


def _run(job, now) -> None:
    try:
        with unit_of_work():
            summary = job.run(now)
    except Exception as exc:
        # One job failing must not stop the others; cron mails this line to the operator.
        click.echo(f"{job.name}: failed: {type(exc).__name__}: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"{job.name}: {summary}")


class JobsGroup(click.Group):
    """A click group whose subcommands are the registered jobs plus ``run``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from onderwijsplatform.services import jobs

        return ["run", *(j.name for j in jobs.registered())]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from onderwijsplatform.services import jobs

        if name == "run":
            return run_all
        for job in jobs.registered():
            if job.name == name:

                @click.command(name, help=job.help)
                @with_appcontext
                def one(job=job) -> None:
                    from onderwijsplatform.models import utcnow

                    _run(job, utcnow())

                return one
        return None


@click.command("run")
@with_appcontext
def run_all() -> None:
    """Run every registered job once (reminders, digests, expiries)."""
    from onderwijsplatform.models import utcnow
    from onderwijsplatform.services import jobs

    now = utcnow()
    failed = False
    for job in jobs.registered():
        try:
            _run(job, now)
        except SystemExit:
            failed = True
    if failed:
        raise SystemExit(1)


jobs_group = JobsGroup("jobs", help="Periodic jobs: run them from cron every few minutes.")
