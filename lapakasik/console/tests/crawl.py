"""Reading console pages the way a browser would: their links and their forms (for the crawling tests).

A form is *Enter-unsafe* when it has a field where Enter submits (a text-like input) and its first submit
button — the one the Enter key presses — performs a positive action (approve, verify, send…): a reason
typed for a refusal would then approve. A textarea is not such a field: Enter there starts a new line, and
the HTML standard's implicit submission applies to input elements only. The safe shapes are a form of its own for the positive
button, or the negative action as the only submit button of the form that holds the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

NOT_TYPED = {"hidden", "checkbox", "radio", "file", "submit", "button", "reset", "image", "range", "color"}
POSITIVE_VALUES = {"approve", "verify", "verified", "send", "start", "accept", "confirm"}
POSITIVE_WORDS = re.compile(
    r"\b(setujui|verifikasi|terverifikasi|kirim|terkirim|approve|verify|send)\b", re.I
)
FILES = (".csv", ".pdf", ".svg", ".xlsx", ".ics", ".png", ".jpg")


@dataclass
class Button:
    name: str = ""
    value: str = ""
    classes: str = ""
    text: str = ""
    confirm: str = ""

    @property
    def positive(self) -> bool:
        return (
            "positive" in self.classes.split()
            or self.value.lower() in POSITIVE_VALUES
            or bool(POSITIVE_WORDS.search(self.text))
        )


@dataclass
class Form:
    method: str
    action: str
    typed: list[str] = field(default_factory=list)  # names of the fields where Enter submits the form
    buttons: list[Button] = field(default_factory=list)

    def enter_unsafe(self) -> str:
        """Why pressing Enter in this form performs a positive action, or "" when it does not."""
        if self.method == "dialog" or not self.typed or not self.buttons:
            return ""
        first = self.buttons[0]
        if first.positive:
            return f"Enter in {self.typed} presses {first.text or first.value!r} (a positive action)"
        return ""


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self._form: Form | None = None
        self._button: Button | None = None
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "nav":
            self._nav_depth += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self._nav_depth:
                self.nav_links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        kind = a.get("type", "").lower()
        if tag == "input" and kind not in NOT_TYPED:
            self._form.typed.append(a.get("name", "?"))
        elif (tag == "button" and kind in ("", "submit")) or (tag == "input" and kind in ("submit", "image")):
            button = Button(
                a.get("name", ""), a.get("value", ""), a.get("class", ""), "", a.get("data-confirm", "")
            )
            self._form.buttons.append(button)
            if tag == "button":
                self._button = button
            else:
                button.text = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.text += data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav_depth -= 1
        elif tag == "button":
            self._button = None
        elif tag == "form":
            self._form = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def console_link(base: str, href: str) -> str | None:
    """A page link of the console, made absolute-path; None for files, anchors and other sites."""
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/"):
        return None
    if parts.path.endswith(FILES) or "format=" in parts.query or "/export" in parts.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # url → html
    broken: list[str] = field(default_factory=list)  # "url → status (from page)"


def crawl(client, start: list[str], *, per_view: int = 3, limit: int = 250) -> Crawl:
    """Breadth first through console links, at most `per_view` pages of each view (every kind of page,
    not every claim)."""
    result, queue, seen = Crawl(), [(url, "start") for url in start], set(start)
    per = Counter[str]()
    while queue and len(result.pages) < limit:
        url, source = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200:
            result.broken.append(f"{url} → {response.status_code} (linked from {source})")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        result.pages[url] = html
        for href in parse(html).links:
            link = console_link(url, href)
            if link is None or link in seen:
                continue
            name = view_name(urlsplit(link).path)
            if per[name] >= per_view:
                continue
            per[name] += 1
            seen.add(link)
            queue.append((link, url))
    return result
