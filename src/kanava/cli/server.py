"""``kanava serve``, ``kanava migrate``, ``kanava demo``: the web workbench."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from kanava.i18n import N_, default_language, gettext


def say(message: str, **params: object) -> None:
    typer.echo(gettext(message, default_language(), **params))


def setup_django() -> None:
    """Configure Django with Kanava's settings (environment variables decide the rest)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanava.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or update the database tables."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    say(N_("The database is up to date."))


def demo() -> None:
    """Load the demo organizations with the example plans and a person in every role."""
    migrate()
    from kanava.web.demo import ORGANIZATIONS, load_demo

    logins = load_demo()
    say(N_("Demo organizations: {names}"), names=", ".join(o.name for o in ORGANIZATIONS))
    say(N_("Sign in with any of these (user name, password, role):"))
    for username, password, role in logins:
        typer.echo(f"  {username:<8} {password}   {role}")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option(help="Threads for web requests.")] = 8,
    worker: Annotated[bool, typer.Option(
        help="Run the background worker in this process too (--no-worker when "
             "`kanava worker` runs elsewhere).")] = True,
) -> None:
    """Serve the web workbench, with the background worker inside by default."""
    migrate()
    from waitress import serve as waitress_serve

    from kanava.web.wsgi import application

    consumer = None
    if worker:
        from kanava.worker.consumer import start_in_process

        consumer = start_in_process()
    say(N_("Kanava is running on {url} (Ctrl+C stops it)."), url=f"http://{host}:{port}/")
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="kanava")
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def worker(
    workers: Annotated[int, typer.Option(help="Tasks run at the same time.")] = 2,
) -> None:
    """Run the background worker alone (for servers; the queue is shared through
    KANAVA_REDIS_URL when workers run on several machines)."""
    setup_django()
    from kanava.worker.consumer import run_alone

    say(N_("The Kanava worker is running (Ctrl+C stops it)."))
    run_alone(workers)
