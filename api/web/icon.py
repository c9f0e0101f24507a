"""The site's icon, where browsers ask for it (`/favicon.ico`) and where the pages link it: one
small picture of its own, served from the static files without touching the database."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

ICON = Path(__file__).parent.parent / "static" / "favicon.svg"
#: A day: the icon changes with a release, not between requests.
CACHE = {"Cache-Control": "public, max-age=86400"}

router = APIRouter(include_in_schema=False)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The icon, as SVG (every browser this page supports reads it at this address too)."""
    return FileResponse(ICON, media_type="image/svg+xml", headers=CACHE)
