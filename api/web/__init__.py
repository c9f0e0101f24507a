"""The clerk's web page (DESIGN §10): the year as a grid; pin, move, re-plan, publish."""

from api.web import (
    accounts,
    actions,
    downloads,
    entries,
    feed_links,
    icon,
    meeting_forms,
    moderngov,
    pages,
    pending,
    search,
    sso,
    year_forms,
)

ROUTERS = (
    pages.router,
    actions.router,
    entries.router,
    meeting_forms.router,
    year_forms.router,
    pending.router,
    search.router,
    feed_links.router,
    downloads.router,
    icon.router,
    moderngov.router,
    sso.router,
    accounts.router,
)
#: Where the web page answers (in HTML); everything else is the API's.
PAGES = ("/web/", "/public/", "/sign-in", "/sign-out")


def page_path(path: str) -> bool:
    """Whether `path` is the web page's, not the API's."""
    return path == "/" or path.startswith(PAGES)
