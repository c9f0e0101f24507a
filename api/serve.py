"""`scrutiny serve`: migrate, settle the clerk's token, then run the service under uvicorn."""

from __future__ import annotations

import uvicorn
from sqlalchemy.engine import make_url

from api.app import prepare
from api.settings import Settings


def serve(host: str, port: int, workers: int) -> None:
    """Run the service. Migrations and the clerk's token are settled once, before the workers
    start, so that a new token is printed once."""
    settings = Settings.from_environment()
    engine, _, _ = prepare(settings)
    engine.dispose()
    print(f"scrutiny: serving {_shown(settings.database_url)} on http://{host}:{port}", flush=True)
    uvicorn.run(
        "api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def _shown(url: str) -> str:
    """The database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)
