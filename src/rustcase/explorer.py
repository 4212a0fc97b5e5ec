"""The explorer: one self-contained HTML file to read the articles with their annotations, the timeline,
each outlet's wording of the same words, and the claims. No network, nothing to install; everything is
readable without JavaScript, which only adds filtering."""

from __future__ import annotations

import colorsys
import difflib
import html
import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from rustcase import atomic
from rustcase.dataset import Dataset, load
from rustcase.errors import ExportError
from rustcase.models import Article, Event, Mention, Quote

QUOTED = ("direct", "partial", "nested")
KINDS = (*QUOTED, "indirect", "mixed")
MONTHS = ["2021-10", "2021-11", "2021-12"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _colours(speakers: Iterable[str]) -> dict[str, str]:
    """A light background per speaker, evenly spread hues; with near-black text the contrast stays above 7:1."""
    ordered = sorted(set(speakers))
    colours = {}
    for i, speaker in enumerate(ordered):
        r, g, b = colorsys.hls_to_rgb(i / max(1, len(ordered)), 0.86, 0.75)
        colours[speaker] = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    return colours


def _name(ds: Dataset, entity_id: str) -> str:
    if entity_id.startswith("art-"):
        return f"{ds.articles[entity_id].outlet or entity_id} (the article)"
    return ds.entity(entity_id).name


def article_title(article: Article) -> str:
    """The headline; without one, the outlet and date, or (no outlet known) the body's first line and the date."""
    if article.headline:
        return article.headline
    date = str(article.published or "date unknown")
    if article.outlet:
        return f"{article.outlet}, {date}"
    first = article.text[article.body_start :].strip().split("\n", 1)[0]
    return f"{first[:97] + '…' if len(first) > 100 else first} ({date})"


def _article(ds: Dataset, article: Article, colours: dict[str, str]) -> str:
    """The article text cut at every span boundary; each piece lists the quotes and mentions covering it."""
    quotes = ds.quotes_in(article.article_id)
    mentions = [m for m in ds.mentions.values() if m.article_id == article.article_id]
    spans = [(q.start, q.end, q) for q in quotes] + [(m.start, m.end, m) for m in mentions]
    cuts = sorted({0, len(article.text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [r for s, e, r in spans if s <= start and end <= e]
        text = _e(article.text[start:end]).replace("\n", "<br>\n")
        on = [r for r in covering if isinstance(r, Quote)]
        named = [r for r in covering if isinstance(r, Mention)]
        if not covering:
            pieces.append(text)
            continue
        inner = min(on, key=lambda q: q.end - q.start) if on else None
        classes = ["q" if on else "m"]
        if inner is not None:
            classes.append("direct" if inner.kind in QUOTED else "reported")
            classes += ["nested"] if any(q.kind == "nested" for q in on) else []
        if named:
            classes.append("mention")
        style = f' style="background:{colours[inner.speaker_id]}"' if inner and inner.kind in QUOTED else ""
        border = f' style="border-bottom-color:{colours[inner.speaker_id]}"' if inner and not style else ""
        titles = [
            f"{q.quote_id} {q.kind} quote — {_name(ds, q.speaker_id)}"
            + (f", cue “{q.cue}”" if q.cue else "")
            + (f", {q.medium.replace('_', ' ')}" if q.medium != "unknown" else "")
            for q in on
        ] + [f"{m.mention_id} mention of {_name(ds, m.entity_id)} ({m.mention_type})" for m in named]
        attributes = {
            "data-q": " ".join(q.quote_id for q in on),
            "data-speakers": " ".join(sorted({q.speaker_id for q in on})),
            "data-kinds": " ".join(sorted({q.kind for q in on})),
            "data-m": " ".join(m.mention_id for m in named),
        }
        data = "".join(f' {k}="{_e(v)}"' for k, v in attributes.items() if v)
        pieces.append(
            f'<mark class="{" ".join(classes)}"{style or border}{data} tabindex="0" title="{_e("; ".join(titles))}">'
            f"{text}</mark>"
        )
    head = f"<h3>{_e(article_title(article))}</h3>"
    meta = (
        f"<p class='meta'>{_e(article.article_id)} · outlet: {_e(article.outlet or 'unknown')} · published: "
        f"{_e(article.published or 'unknown')} · {len(quotes)} quotes, {len(mentions)} mentions</p>"
    )
    return (
        f'<section class="article" id="{article.article_id}" data-article="{article.article_id}">{head}{meta}'
        f'<div class="text">{"".join(pieces)}</div></section>'
    )


def _timeline(ds: Dataset) -> str:
    """Events on a date axis, October to December 2021: a day is a dot, a month a bar across the month."""
    dated = sorted(
        (e for e in ds.events.values() if e.date and e.date[:7] in MONTHS), key=lambda e: (e.date, e.event_id)
    )
    # Labels end left of the axis: leave room for the longest at a generous 7.5 px a character (11 px font).
    width, left = 900, 16 + round(7.5 * max((len(e.event_id) - 4 for e in dated), default=10))
    day_width = width / 92  # 2021-10-01 .. 2021-12-31

    def x(date: str) -> float:
        month = MONTHS.index(date[:7])
        offset = [0, 31, 61][month] + (int(date[8:10]) - 1 if len(date) == 10 else 0)
        return left + offset * day_width

    rows = []
    for i, event in enumerate(dated):
        y = 30 + i * 22
        date = event.date or ""
        if event.date_precision == "day":
            mark = f'<circle cx="{x(date) + day_width / 2:.1f}" cy="{y}" r="6" class="day"/>'
        else:
            days = [31, 30, 31][MONTHS.index(date[:7])]
            mark = f'<rect x="{x(date):.1f}" y="{y - 6}" width="{days * day_width:.1f}" height="12" class="month"/>'
        label = f"{date} ({event.date_precision}, {event.date_basis}) {event.description}"
        rows.append(
            f'<g data-event="{event.event_id}" tabindex="0"><title>{_e(label)}</title>{mark}'
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{_e(event.event_id[4:])}</text></g>'
        )
    ticks = "".join(
        f'<line x1="{x(m):.1f}" x2="{x(m):.1f}" y1="10" y2="{40 + len(dated) * 22}" class="tick"/>'
        f'<text x="{x(m) + 4:.1f}" y="18">{m}</text>'
        for m in MONTHS
    )
    svg = (
        f'<svg role="img" aria-label="Timeline of the dated events" '
        f'viewBox="0 0 {left + width} {50 + len(dated) * 22}" '
        f'width="100%">{ticks}{"".join(rows)}</svg>'
    )
    items = "".join(_event_item(ds, e) for e in sorted(ds.events.values(), key=lambda e: (e.date or "9", e.event_id)))
    return f"{svg}<p>A dot is a day; a bar a month, when only the month is known.</p><ol class='events'>{items}</ol>"


def _event_item(ds: Dataset, event: Event) -> str:
    participants = ", ".join(f"{_e(_name(ds, p.entity_id))} ({p.role})" for p in event.participants)
    reports = "".join(
        f"<li>{_e(r.article_id)} ({r.factuality}{', ' + _e(_name(ds, r.source_id)) if r.source_id else ''}): "
        f"“{_e(r.text)}”</li>"
        for r in event.reports
    )
    date = f"{event.date} ({event.date_precision}, {event.date_basis})" if event.date else "date unknown"
    return (
        f'<li id="{event.event_id}" data-event="{event.event_id}"><strong>{_e(date)}</strong> — {_e(event.description)}'
        f"<br><small>{_e(event.event_type)}; participants: {participants or 'none stated'}</small>"
        f"<details><summary>{len(event.reports)} report(s)</summary><ul>{reports}</ul></details></li>"
    )


_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _plain_words(text: str) -> list[str]:
    """Words to match: curly and straight quotation marks alike (outlets' typography is not an edit)."""
    return text.translate(_STRAIGHT).split()


Cell = tuple[str, str]
"""One cell of an aligned wording: ("same" | "changed" | "inserted" | "gap", the words)."""


def align(canonical: str, variants: list[str]) -> list[tuple[str, list[Cell]]]:
    """Wordings aligned on the fullest one, word by word: rows of (canonical words, one cell per variant).

    The canonical wording is cut wherever any variant starts or stops agreeing with it; each row shows, for
    that stretch, the variant's same words, its different words ("changed"), or a "gap" where it has none.
    Words a variant adds get a row of their own ("inserted"), with no canonical words. Read down a column,
    the cells give the variant's words in order.
    """
    a = canonical.split()
    opcodes = [
        difflib.SequenceMatcher(a=_plain_words(canonical), b=_plain_words(v), autojunk=False).get_opcodes()
        for v in variants
    ]
    cuts = sorted({0, len(a), *(i for ops in opcodes for op in ops for i in op[1:3])})
    inserts = {i1 for ops in opcodes for op, i1, _, _, _ in ops if op == "insert"}
    rows: list[tuple[str, list[Cell]]] = []
    for start, end in [*itertools.pairwise(cuts), (len(a), len(a))]:
        if start in inserts:
            cells = []
            for variant, ops in zip(variants, opcodes, strict=True):
                words = variant.split()
                added = [" ".join(words[j1:j2]) for op, i1, _, j1, j2 in ops if op == "insert" and i1 == start]
                cells.append(("inserted", " ".join(added)) if added else ("gap", ""))
            rows.append(("", cells))
        if start == end:
            continue
        cells = []
        for variant, ops in zip(variants, opcodes, strict=True):
            words = variant.split()
            op, i1, _, j1, j2 = next(o for o in ops if o[1] <= start < o[2])
            if op == "equal":
                cells.append(("same", " ".join(words[j1 + start - i1 : j1 + end - i1])))
            elif op == "replace" and start == i1:
                cells.append(("changed", " ".join(words[j1:j2])))
            else:
                cells.append(("gap", ""))
        rows.append((" ".join(a[start:end]), cells))
    return rows


def _utterances(ds: Dataset) -> str:
    blocks = []
    for utterance in ds.utterances.values():
        variants = [q for q in ds.variants(utterance.utterance_id) if q.quote_id != utterance.canonical_quote_id]
        if len({q.article_id for q in ds.variants(utterance.utterance_id)}) < 2:
            continue
        canonical = ds.quotes[utterance.canonical_quote_id]
        head = "".join(
            f'<th data-quote="{q.quote_id}" scope="col">{_e(ds.articles[q.article_id].outlet or q.article_id)}'
            f"<br><small>{q.quote_id} · {q.utterance_relation}</small></th>"
            for q in [canonical, *variants]
        )
        body = "".join(
            f"<tr><td>{_e(words)}</td>"
            + "".join(
                "<td class='gap' title='not in this wording'>—</td>"
                if kind == "gap"
                else f"<td><ins>{_e(text)}</ins></td>"
                if kind in ("changed", "inserted")
                else f"<td>{_e(text)}</td>"
                for kind, text in cells
            )
            + "</tr>"
            for words, cells in align(utterance.canonical_text, [q.text for q in variants])
        )
        blocks.append(
            f'<table class="variants" id="{utterance.utterance_id}"><caption>{utterance.utterance_id} — '
            f"{_e(_name(ds, utterance.speaker_id))}: “{_e(utterance.canonical_text[:120])}”</caption>"
            f"<tr>{head}</tr>{body}</table>"
        )
    return "".join(blocks)


def _claims(ds: Dataset) -> str:
    blocks = []
    for claim in ds.claims.values():
        rows = "".join(
            f"<tr><td>{_e(_name(ds, p.holder_id))}</td><td class='stance {p.stance}'>{p.stance}</td>"
            f"<td>{_e(p.article_id)} ({_e(ds.articles[p.article_id].outlet or 'outlet unknown')})</td>"
            f"<td>“{_e(p.text)}”</td></tr>"
            for p in claim.positions
        )
        blocks.append(
            f'<table class="claim" id="{claim.claim_id}"><caption>{_e(claim.statement)}</caption>'
            f"<tr><th>holder</th><th>stance</th><th>article</th><th>evidence</th></tr>{rows}</table>"
        )
    return "".join(blocks)


STYLE = """
body{font:16px/1.55 system-ui,sans-serif;color:#111;background:#fff;margin:0 auto;max-width:72rem;padding:1rem}
a{color:#0645ad}nav a{margin-right:1rem}h2{border-bottom:2px solid #333;margin-top:2.5rem}
.meta,small{color:#444}.text{white-space:normal}
mark{color:#111;background:transparent;border-radius:2px}mark.direct{padding:0 1px}
mark.reported{border-bottom:3px dashed #555}mark.nested{outline:2px solid #333}
mark.mention{text-decoration:underline dotted #000}mark:focus{outline:3px solid #0645ad}
mark.dim{background:transparent!important;border:0;outline:0;text-decoration:none}
.legend span{display:inline-block;padding:0 .4rem;margin:.1rem;border-radius:3px}
table{border-collapse:collapse;margin:1rem 0;width:100%}td,th{border:1px solid #999;padding:.3rem;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.3rem 0}ins{background:#c8f0c8;text-decoration:none}
del{background:#f6c8c8;color:#333}td.gap{color:#888;text-align:center;background:#f4f4f4}.stance.disputes{background:#f6d6d6}.stance.asserts{background:#d6ecf6}
.stance.corroborates{background:#d6f6dc}.stance.alleges{background:#f6efd0}
svg text{font-size:11px;fill:#111}svg .tick{stroke:#999}svg .day{fill:#0645ad}svg .month{fill:#b36b00;opacity:.7}
svg g:focus{outline:2px solid #0645ad}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ccc}
.hidden{display:none}
"""

SCRIPT = """
const $=s=>document.querySelectorAll(s);
function applyFilters(){
  const sp=document.getElementById('f-speaker').value,kd=document.getElementById('f-kind').value,
        ar=document.getElementById('f-article').value;
  $('section.article').forEach(s=>s.classList.toggle('hidden',ar!==''&&s.dataset.article!==ar));
  $('mark[data-q]').forEach(m=>{
    const ok=(sp===''||m.dataset.speakers.split(' ').includes(sp))&&(kd===''||m.dataset.kinds.split(' ').includes(kd));
    m.classList.toggle('dim',!ok);});
  const shown=[...$('mark[data-q]')].filter(m=>!m.classList.contains('dim')&&!m.closest('.hidden')).length;
  document.getElementById('f-count').textContent=shown+' highlighted passages shown';
}
document.getElementById('filters').classList.remove('hidden');
['f-speaker','f-kind','f-article'].forEach(i=>document.getElementById(i).addEventListener('change',applyFilters));
applyFilters();
"""


def render(ds: Dataset | None = None) -> str:
    """The explorer page for a dataset (the newest shipped data by default)."""
    ds = ds or load()
    colours = _colours(q.speaker_id for q in ds.quotes.values())
    legend = "".join(f'<span style="background:{c}">{_e(_name(ds, s))}</span>' for s, c in colours.items())

    def options(values: Iterable[tuple[str, str]]) -> str:
        return '<option value="">all</option>' + "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in values)

    filters = (
        '<div id="filters" class="filters hidden" role="search">'
        f'<label>Speaker <select id="f-speaker">{options((s, _name(ds, s)) for s in colours)}</select></label> '
        f'<label>Kind <select id="f-kind">{options((k, k) for k in KINDS)}</select></label> '
        f'<label>Article <select id="f-article">{options((a, a) for a in ds.articles)}</select></label> '
        '<output id="f-count" aria-live="polite"></output></div>'
    )
    articles = "".join(_article(ds, a, colours) for a in ds.articles.values())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>rustcase explorer — data version {_e(ds.version)}</title><style>{STYLE}</style></head>
<body><a href="#articles">Skip to the articles</a>
<h1>rustcase explorer</h1>
<p>Data version {_e(ds.version)}, fingerprint <code>{_e(ds.fingerprint)}</code>. Quotes are highlighted in their
speaker's colour: a filled background for words in quotation marks (direct, partial, nested; a nested quote
is outlined), a dashed underline for reported speech (indirect, mixed); a dotted underline marks an entity
mention. Hover or focus (Tab) a passage to see its record.</p>
<nav aria-label="Sections"><a href="#articles">Articles</a><a href="#timeline">Timeline</a>
<a href="#utterances">Same words, each outlet</a><a href="#claims">Claims</a></nav>
<h2 id="articles">Articles</h2><p class="legend">{legend}</p>{filters}{articles}
<h2 id="timeline">Timeline</h2>{_timeline(ds)}
<h2 id="utterances">Same words, each outlet</h2>
<p>Each table is one utterance reported by several articles, the fullest wording in the first column and
every other wording aligned with it, stretch by stretch: the same words as they stand, <ins>different or
added words</ins> marked, and — where a wording has nothing for that stretch.</p>{_utterances(ds)}
<h2 id="claims">Claims</h2>{_claims(ds)}
<script>{SCRIPT}</script></body></html>
"""


def page(version: str | None = None) -> bytes:
    """The explorer page of a data version (the newest by default), as the UTF-8 bytes of the file."""
    return render(load(version) if version else None).encode("utf-8")


def write_html(path: str | os.PathLike[str], *, force: bool = False, version: str | None = None) -> Path:
    """Write the explorer page to ``path``, all or nothing (`rustcase.atomic`): an existing file only with
    ``force``, never a symlink, directory, FIFO or device."""
    target = atomic.output_path(path)
    if target.name in ("", ".", ".."):
        raise ExportError(f"{target} is a directory; name the HTML file to write")
    content = page(version)
    try:
        with atomic.Transaction(target.parent, force=force, prefix=".rustcase-view-") as transaction:
            transaction.check([target.name])
            (transaction.staged / target.name).write_bytes(content)
            transaction.commit([target.name])
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target
