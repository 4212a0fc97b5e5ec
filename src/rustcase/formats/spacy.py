"""spaCy: ``rustcase.spacy``, a ``DocBin`` with one ``Doc`` per article, tokenised by
``spacy.blank("en")``, with the span groups ``quotes``, ``cues`` and ``mentions`` (span groups may overlap,
entities may not). Each span's ``id`` is its rustcase ID and its label the quote kind, ``cue`` or the entity
type; a mention's ``kb_id`` is its entity ID. ``doc.user_data["rustcase"]`` holds the article ID, the
rustcase version, data version, fingerprint and offset unit, every quote's attributes by ID, and the IDs of
the spans that had to be widened.

spaCy spans follow tokens: a span whose ends fall inside a token is widened to the tokens it touches
(``alignment_mode="expand"``), and listed under ``widened``; the character offsets in the attributes stay
rustcase's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rustcase.formats import _spans

if TYPE_CHECKING:
    from rustcase.dataset import Dataset
    from rustcase.models import Article, Mention, Quote


def docs(ds: Dataset, about: dict[str, str]) -> list[Any]:
    """One ``Doc`` per article, with its span groups."""
    import spacy

    nlp = spacy.blank("en")
    types = _spans.entity_types(ds)
    return [_doc(nlp, article, quotes, mentions, types, about) for article, quotes, mentions in _spans.by_article(ds)]


def _doc(
    nlp: Any,
    article: Article,
    quotes: list[Quote],
    mentions: list[Mention],
    types: dict[str, str],
    about: dict[str, str],
) -> Any:
    doc = nlp.make_doc(article.text)
    widened: list[str] = []

    def span(ident: str, start: int, end: int, label: str, kb_id: str = "") -> Any:
        found = doc.char_span(start, end, label=label, kb_id=kb_id, span_id=ident)
        if found is None:
            widened.append(ident)
            found = doc.char_span(start, end, label=label, kb_id=kb_id, span_id=ident, alignment_mode="expand")
        return found

    doc.spans["quotes"] = [span(q.quote_id, q.start, q.end, q.kind) for q in quotes]
    doc.spans["cues"] = [
        span(f"{q.quote_id}-cue", q.cue_start, q.cue_end, "cue")
        for q in quotes
        if q.cue_start is not None and q.cue_end is not None
    ]
    doc.spans["mentions"] = [span(m.mention_id, m.start, m.end, types[m.entity_id], m.entity_id) for m in mentions]
    doc.user_data["rustcase"] = {
        **about,
        "article_id": article.article_id,
        "quotes": {q.quote_id: q.model_dump(mode="json", exclude={"text"}) for q in quotes},
        "mentions": {m.mention_id: m.model_dump(mode="json", exclude={"text"}) for m in mentions},
        "widened": widened,
    }
    return doc


def write(ds: Dataset, unit: str, about: dict[str, str]) -> dict[str, bytes]:
    from spacy.tokens import DocBin

    return {"rustcase.spacy": DocBin(docs=docs(ds, about), store_user_data=True).to_bytes()}
