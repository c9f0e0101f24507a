"""Drafts of e-mails the clerk sends from their own mail program: a `mailto:` link, or the same
as an .eml file to open. The service sends nothing itself."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import quote


def mailto(to: Sequence[str], subject: str, body: str) -> str:
    """A `mailto:` link (RFC 6068): the addresses, the subject and the body filled in, line
    breaks as CRLF."""
    recipients = ",".join(quote(address, safe="@") for address in to)
    text = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{recipients}?subject={quote(subject, safe='')}&body={quote(text, safe='')}"


def draft(to: Sequence[tuple[str, str]], subject: str, body: str) -> bytes:
    """The same e-mail as an .eml file: To (`(name, address)` pairs), Subject and the body, no
    sender; marked unsent, so that Outlook opens it as a draft to send."""
    message = EmailMessage()
    if to:
        message["To"] = ", ".join(formataddr(pair) for pair in to)
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(body)
    return message.as_bytes()
