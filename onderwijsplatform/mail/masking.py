"""Links that carry a token are never stored readable: masked at enqueue, restored at send.

The outbox keeps each such link as a marker ``[[link:<nonce>:<n>]]`` in the subject and
bodies, and the links themselves sealed (``onderwijsplatform.sealed``) under a key that
is not in the database. Only the mail worker opens them, just before handing the message
to the relay, and forgets them once it is sent; the staff mail view shows a placeholder.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass

from markupsafe import escape

from onderwijsplatform import sealed
from onderwijsplatform.links import carries_token

PURPOSE = "outbox-links"
# Links end at whitespace, quotes and angle brackets: the same text in the plain part and
# in the (escaped) HTML part, so one marker serves both.
_URL = re.compile(r"https?://[^\s\"'<>]+")
_MARKER = re.compile(r"\[\[link:([0-9a-f]{16}):(\d{1,4})\]\]")


@dataclass(frozen=True)
class Masked:
    """A message's parts with their token links replaced, and the sealed links (or None)."""

    subject: str
    text: str
    html: str
    sealed_links: str | None


def mask(subject: str, text: str, html: str) -> Masked:
    """Replace every link that carries a token by a marker; seal the links themselves."""
    nonce = secrets.token_hex(8)
    links: list[str] = []
    index: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        url = match.group(0)
        if url not in index:
            if not carries_token(url):
                return url
            index[url] = len(links)
            links.append(url)
        return f"[[link:{nonce}:{index[url]}]]"

    parts = [_URL.sub(replace, part) for part in (subject, text, html)]
    if not links:
        return Masked(subject, text, html, None)
    payload = json.dumps({"nonce": nonce, "links": links})
    return Masked(parts[0], parts[1], parts[2], sealed.seal(PURPOSE, payload))


def unmask(part: str, sealed_links: str | None) -> str:
    """Put the real links back into ``part``; raises sealed.CannotUnseal for a foreign key.

    Only markers with this message's nonce are replaced, so a marker typed into user text
    of some other message can never pull a link into it.
    """
    if not sealed_links:
        return part
    payload = json.loads(sealed.unseal(PURPOSE, sealed_links))
    nonce, links = payload["nonce"], payload["links"]

    def restore(match: re.Match[str]) -> str:
        number = int(match.group(2))
        if match.group(1) != nonce or number >= len(links):
            return match.group(0)
        return str(links[number])

    return _MARKER.sub(restore, part)


def placeholder(part: str, label: str, *, html: bool = False) -> str:
    """``part`` with every masked link shown as ``label`` (the staff mail view)."""
    shown = str(escape(label)) if html else label
    return _MARKER.sub(shown, part)
