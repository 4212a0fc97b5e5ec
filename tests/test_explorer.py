"""The explorer page: every annotation in the HTML with its exact text, nothing fetched, and it works in
a real headless Chromium (Debian's package, which .ci/run installs), driven over the DevTools protocol."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase.cli import main
from rustcase.explorer import align, article_title, render

from .conftest import ROOT


class Marks(HTMLParser):
    """The text under every <mark>, by quote and mention ID, and every resource the page would load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = defaultdict(list)
        self.open: list[list[str]] = []
        self.ids: set[str] = set()
        self.resources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "mark":
            self.open.append(f"{a.get('data-q') or ''} {a.get('data-m') or ''}".split())
        if tag == "br" and self.open:
            for key in self.open[-1]:
                self.texts[key].append("\n")
        self.ids.update(v for k, v in a.items() if v and k in ("id", "data-event", "data-quote"))
        if tag in ("script", "img", "link", "iframe") and (a.get("src") or a.get("href")):
            self.resources.append(f"{tag} {a.get('src') or a.get('href')}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            for key in self.open[-1]:
                self.texts[key].append(data.rstrip("\n") if data.endswith("\n") else data)


@pytest.fixture(scope="module")
def page() -> str:
    return render()


@pytest.fixture(scope="module")
def marks(page: str) -> Marks:
    parser = Marks()
    parser.feed(page)
    return parser


def test_every_quote_and_mention_is_highlighted_with_its_exact_text(marks: Marks) -> None:
    for record in [*rustcase.load_quotes(), *rustcase.load_mentions()]:
        key = getattr(record, "quote_id", None) or getattr(record, "mention_id", "")
        assert "".join(marks.texts[key]) == record.text, key


def test_every_event_claim_and_shared_utterance_is_on_the_page(marks: Marks, page: str) -> None:
    ds = rustcase.load()
    assert set(ds.events) <= marks.ids and set(ds.claims) <= marks.ids
    shared = {u for u in ds.utterances if len({q.article_id for q in ds.variants(u)}) > 1}
    assert shared <= marks.ids
    for u in shared:
        assert {q.quote_id for q in ds.variants(u)} <= marks.ids


def test_the_page_is_self_contained(marks: Marks, page: str) -> None:
    assert marks.resources == []
    assert "@import" not in page and "url(" not in page
    assert '<html lang="en">' in page and "<noscript" not in page


def test_month_precision_is_drawn_as_a_month(page: str) -> None:
    ds = rustcase.load()
    months = [e for e in ds.events.values() if e.date_precision == "month"]
    assert months
    for event in months:
        block = page.split(f'<g data-event="{event.event_id}"', 1)[1].split("</g>", 1)[0]
        assert 'class="month"' in block and "<circle" not in block


@pytest.mark.parametrize(
    ("canonical", "variant", "expected"),
    [
        ("a b c", "a b c", [("a b c", [("same", "a b c")])]),
        ("a b c", "a x c", [("a", [("same", "a")]), ("b", [("changed", "x")]), ("c", [("same", "c")])]),
        ("a b c", "a b", [("a b", [("same", "a b")]), ("c", [("gap", "")])]),
        ("a b", "a b d", [("a b", [("same", "a b")]), ("", [("inserted", "d")])]),
        ("I'm ‘here’", "I’m 'here'", [("I'm ‘here’", [("same", "I’m 'here'")])]),
    ],
)
def test_align_shows_each_wording_stretch_by_stretch(canonical: str, variant: str, expected: object) -> None:
    assert align(canonical, [variant]) == expected


_WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "’s", "'s"]), max_size=12).map(" ".join)


@settings(max_examples=200)
@given(canonical=_WORDS, variants=st.lists(_WORDS, min_size=1, max_size=4))
def test_align_keeps_every_word_of_every_wording_in_order(canonical: str, variants: list[str]) -> None:
    rows = align(canonical, variants)
    assert " ".join(words for words, _ in rows if words).split() == canonical.split()
    for column, variant in enumerate(variants):
        assert " ".join(cells[column][1] for _, cells in rows if cells[column][1]).split() == variant.split()
        assert all(cells[column][0] == "gap" or cells[column][1] for _, cells in rows)


def test_a_headline_less_article_is_titled_by_outlet_and_date_or_its_first_line(ds: rustcase.Dataset) -> None:
    for article in ds.articles.values():
        title = article_title(article)
        if article.headline:
            assert title == article.headline
        elif article.outlet:
            assert title == f"{article.outlet}, {article.published or 'date unknown'}"
        else:
            assert title.endswith(f"({article.published or 'date unknown'})") and title[:20] in article.text
        assert article.source_file not in title


def test_timeline_labels_have_room_left_of_the_axis(page: str) -> None:
    svg = page.split('<h2 id="timeline">', 1)[1].split("</svg>", 1)[0]
    axis = min(float(x) for x in re.findall(r'<line x1="([\d.]+)"', svg))
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end">([^<]+)</text>', svg)
    assert labels
    for x, label in labels:
        assert float(x) < axis and float(x) >= 7.5 * len(label), label  # 7.5 px a character is above 11 px fonts'


def test_view_command_writes_the_page_and_does_not_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "explorer.html"
    runner = CliRunner()
    assert runner.invoke(main, ["view", "--out", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == render()
    assert runner.invoke(main, ["view", "--out", str(target)]).exit_code == 0, "the same bytes replace nothing"
    target.write_text("mine")
    result = runner.invoke(main, ["view", "--out", str(target)])
    assert result.exit_code == 1 and "would overwrite" in result.output
    assert target.read_text() == "mine"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """Headless Chromium over the DevTools protocol, on loopback only."""

    def __init__(self, profile: Path) -> None:
        import websocket

        port_file = profile / "DevToolsActivePort"
        self.process = subprocess.Popen(
            [
                str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1280,1400", "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not port_file.exists() or len(port_file.read_text().split()) < 2:
            assert time.monotonic() < deadline, "Chromium did not start"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json").read())
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0

    def call(self, method: str, **params: object) -> dict[str, object]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]  # type: ignore[no-any-return]

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")  # type: ignore[attr-defined]

    def close(self) -> None:
        self.ws.close()
        self.process.kill()
        self.process.wait()


@pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="needs Chromium (chromium on PATH); .ci/run installs it, and in CI this test never skips",
)
def test_in_a_real_browser_every_span_shows_its_text_and_the_filter_works(tmp_path: Path) -> None:
    assert CHROMIUM, "CI installs Debian's chromium; it must be there"
    target = rustcase.write_html(tmp_path / "explorer.html")
    browser = Browser(tmp_path / "profile")
    try:
        browser.call("Page.enable")
        browser.call("Page.navigate", url=target.as_uri())
        ready = "document.readyState === 'complete' && !!document.getElementById('f-count')?.textContent"
        deadline = time.monotonic() + 30
        while browser.evaluate(ready) is not True:
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.1)
        texts = browser.evaluate(
            "(() => { const t = {}; document.querySelectorAll('mark[data-q]').forEach(m => m.dataset.q.split(' ')"
            ".forEach(id => { t[id] = (t[id] || '') + m.innerText.replace(/\\n/g, ''); })); return t; })()"
        )
        assert isinstance(texts, dict)
        for quote in rustcase.load_quotes():
            assert texts[quote.quote_id].replace("\n", "") == quote.text.replace("\n", ""), quote.quote_id
        browser.evaluate(
            "(() => { const s = document.getElementById('f-speaker'); s.value = 'per-george-stephanopoulos';"
            " s.dispatchEvent(new Event('change')); })()"
        )
        shown = browser.evaluate(
            "[...document.querySelectorAll('mark[data-q]:not(.dim)')].map(m => m.dataset.q).join(' ')"
        )
        assert isinstance(shown, str)
        his = {q.quote_id for q in rustcase.load_quotes() if q.speaker_id == "per-george-stephanopoulos"}
        assert set(shown.split()) >= his and all(
            any(q in his for q in m.split()) for m in browser.evaluate(
                "[...document.querySelectorAll('mark[data-q]:not(.dim)')].map(m => m.dataset.q)"
            )  # type: ignore[union-attr]
        )  # fmt: skip
        assert str(browser.evaluate("document.getElementById('f-count').textContent")).endswith("passages shown")
        cut = browser.evaluate(
            "[...document.querySelectorAll('svg text')].filter(t => t.getBBox().x < 0).map(t => t.textContent)"
        )
        assert cut == [], f"timeline labels cut off on the left: {cut}"
        shot = browser.call("Page.captureScreenshot", format="png")
        artefacts = ROOT / "build" / "test-artifacts"
        artefacts.mkdir(parents=True, exist_ok=True)
        (artefacts / "explorer-filtered.png").write_bytes(base64.b64decode(str(shot["data"])))
    finally:
        browser.close()
