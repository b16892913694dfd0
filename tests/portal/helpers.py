"""Reading what a visitor sees in the portal's HTML."""

from __future__ import annotations

import html
import re


def text(response) -> str:
    """The page as text: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def main(response) -> str:
    """The HTML of the <main> element only (no header, navigation or footer)."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def figure(response, label: str) -> int:
    """The number shown on the home page's figure card with this label."""
    body = html.unescape(response.content.decode())
    match = re.search(
        r'<span class="figure-value">([^<]*)</span>\s*<span class="figure-label">'
        + re.escape(label)
        + "</span>",
        body,
    )
    assert match, f"no figure labelled {label!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def result_names(response) -> list[str]:
    """The names of the bodies listed in the directory results, in order."""
    block = re.search(r'<ul class="results"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    if block is None:
        return []
    return [html.unescape(name) for name in re.findall(r'<a href="[^"]*">([^<]*)</a>', block[1])]
