"""A privacy notice's text as HTML: plain paragraphs (a blank line between),
headings ("## ") and lists ("- "). Everything is escaped first: an
organiser's text can never add markup, scripts or links to the page."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

HEADING = re.compile(r"^(#{1,3})\s+(.*)$")


def notice_html(text: str) -> Markup:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return Markup("\n".join(_block(block.split("\n")) for block in blocks if block.strip()))


def _block(lines: list[str]) -> str:
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append(f"<p>{' '.join(paragraph)}</p>")
            paragraph.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in lines:
        line = raw.strip()
        heading = HEADING.match(line)
        if heading:
            flush()
            level = max(2, len(heading.group(1)))  # the page's own title is the only h1
            html.append(f"<h{level}>{escape(heading.group(2))}</h{level}>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(str(escape(line[2:].strip())))
        elif line:
            if items:
                flush()
            paragraph.append(str(escape(line)))
    flush()
    return "\n".join(html)
