"""The clerk's web page (DESIGN §10): the year as a grid; pin, move, re-plan, publish."""

from api.web import actions, pages

ROUTERS = (pages.router, actions.router)
