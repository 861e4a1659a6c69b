"""The ``kanava`` command: thin over the capability packages."""

from __future__ import annotations

import typer

from kanava import __version__
from kanava.cli import plan, server, text

app = typer.Typer(
    name="kanava",
    help="Kanava: your organization's social media plan, lived.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(plan.app, name="plan")
app.add_typer(text.app, name="text")
app.command("serve")(server.serve)
app.command("migrate")(server.migrate)
app.command("demo")(server.demo)
app.command("worker")(server.worker)


@app.command()
def version() -> None:
    """Print Kanava's version."""
    typer.echo(__version__)


if __name__ == "__main__":  # pragma: no cover
    app()
