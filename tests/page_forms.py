"""What a browser sends from a page's form: its inputs as filled in, the boxes ticked, each
select's chosen option and each textarea's text (html.parser, no browser needed)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.fields: dict[str, list[str]] = {}
        self._in = False
        self._done = False
        self._select: list[str | None] | None = None  # name, chosen, first
        self._text: list[str] | None = None  # name, text

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("action") == self.action and not self._done:
            self._in = True
        if not self._in or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif a.get("type") != "submit":
                self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            if self._select[2] is None:
                self._select[2] = a.get("value", "")
            if "selected" in a:
                self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._text = [a["name"], ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            name, chosen, first = self._select
            assert name is not None
            self._add(name, chosen if chosen is not None else first or "")
            self._select = None
        elif tag == "textarea" and self._text is not None:
            self._add(self._text[0], self._text[1].removeprefix("\n"))
            self._text = None
        elif tag == "form" and self._in:
            self._in = False
            self._done = True  # the first form posting there only

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text[1] += data


def form_data(page: str, action: str) -> dict[str, list[str]]:
    """The fields the first form posting to `action` sends as the page fills it in."""
    form = _Form(action)
    form.feed(page)
    assert form.fields, f"no form posting to {action} on the page"
    return form.fields
