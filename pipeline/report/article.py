"""One article as the HTML report shows it: its text with every entity marked (hover for the
norm) and every sentence that states a fact wrapped in an anchor, so a fact in any table can
link to the sentence it came from and the page highlights it there.

Articles are untrusted input: every piece of text goes through `html.escape`, and a `url`
is linked only when it is http(s) (a `javascript:` url would run on a click).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from html import escape

from pipeline.document import LABELS, Document, Entity
from pipeline.report import meta_text

_WEB = ("http://", "https://")


def sentence_id(anchor: str, sentence_start: int | None) -> str:
    """The element id of a fact's sentence in the article with element id `anchor`."""
    return anchor if sentence_start is None else f"{anchor}-c{sentence_start}"


def _tooltip(entity: Entity, warnings: Sequence[str]) -> str:
    norm = "—" if entity.norm is None else str(entity.norm)
    code = f" ({entity.code})" if entity.code else ""
    return "\n".join((f"{entity.label}: {norm}{code}", *warnings))


def _mark(doc: Document, entity: Entity, warnings: Sequence[str]) -> str:
    label = entity.label.lower() if entity.label in LABELS else "other"
    css = f"{label} warned" if warnings else label
    return (f'<mark class="{css}" title="{escape(_tooltip(entity, warnings))}">'
            f'{escape(doc.mention(entity))}<span class="tag">{escape(entity.label)}</span>'
            f"</mark>")


def _inside(marks: Sequence[Entity], starts: Sequence[int], position: int) -> Entity | None:
    """The mark that `position` falls strictly inside, if any (marks sorted, disjoint)."""
    index = bisect_right(starts, position) - 1
    if index >= 0 and marks[index].start < position < marks[index].end:
        return marks[index]
    return None


def _sentence_spans(spans: Sequence[tuple[int, int]], marks: Sequence[Entity],
                    ) -> list[tuple[int, int, list[int]]]:
    """Sentence spans widened over any mark that crosses their edges (so the markup
    nests), and merged where they then overlap: (start, end, the sentence starts they
    stand for). Marks are sorted and disjoint; each edge is one binary search."""
    starts = [mark.start for mark in marks]
    merged: list[tuple[int, int, list[int]]] = []
    for first, end in sorted(set(spans)):
        start = first
        if (mark := _inside(marks, starts, start)) is not None:
            start = mark.start
        if (mark := _inside(marks, starts, end)) is not None:
            end = mark.end
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), [*merged[-1][2], first])
        else:
            merged.append((start, end, [first]))
    return merged


def highlight(doc: Document, warnings: Mapping[str, Sequence[str]],
              sentences: Sequence[tuple[int, int]] = (), anchor: str = "") -> str:
    """The article text, escaped, with its entities marked and `sentences` (start, end)
    wrapped in `<span class="sent" id=…>` anchors (see `sentence_id`); `warnings` maps
    percent ids to their facts' warnings, which outline the percent in red. Sentences
    merged into one span (a mark crosses their edge) keep their ids as empty spans at its
    start, so a link to any of them lands on the merged sentence (the page highlights the
    `.sent` around the target)."""
    marks: list[Entity] = []
    cursor = 0
    for entity in sorted(doc.entities, key=lambda e: (e.start, e.end)):
        if entity.start >= cursor:  # overlapping predictions: keep the first
            marks.append(entity)
            cursor = entity.end
    # (position, order, html, end): closes before opens before marks at one position
    events: list[tuple[int, int, str, int]] = []
    for start, end, firsts in _sentence_spans(sentences, marks):
        extra = "".join(f'<span id="{sentence_id(anchor, s)}"></span>' for s in firsts[1:])
        events.append((start, 1, f'<span class="sent" id="{sentence_id(anchor, firsts[0])}">'
                                 f"{extra}", start))
        events.append((end, 0, "</span>", end))
    for entity in marks:
        events.append((entity.start, 2, _mark(doc, entity, warnings.get(entity.id, ())),
                       entity.end))
    events.sort(key=lambda event: (event[0], event[1]))
    parts = []
    cursor = 0
    for position, _, html, end in events:
        parts.append(escape(doc.text[cursor:position]))
        parts.append(html)
        cursor = end
    parts.append(escape(doc.text[cursor:]))
    return "".join(parts)


def provenance_line(doc: Document) -> str:
    """The article's id, publication date, url (linked when http) and source file."""
    items = [f"<code>{escape(doc.id)}</code>"]
    published, url, source = (meta_text(doc, key) for key in ("published", "url", "source"))
    if published:
        items.append(f"published {escape(published)}")
    if url and url.lower().startswith(_WEB):
        items.append(f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>')
    elif url:
        items.append(escape(url))
    if source and source != url:
        items.append(escape(source))
    return f'<p class="meta">{" · ".join(items)}</p>'


def render_article(doc: Document, anchor: str, sentences: Sequence[tuple[int, int]],
                   warnings: Mapping[str, Sequence[str]], facts_table: str) -> str:
    """The article's block: title, provenance, marked text, and its facts table."""
    heading = escape(meta_text(doc, "title") or doc.id)
    return (f'<article id="{anchor}"><h3>{heading}</h3>{provenance_line(doc)}'
            f'<div class="text">{highlight(doc, warnings, sentences, anchor)}</div>'
            f"{facts_table}</article>")
