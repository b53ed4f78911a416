"""The HTML report: one self-contained page (inline CSS, no scripts, no external assets)
that an analyst can open offline or mail around.

First every fact of the batch, sorted by region and date so that figures for one place line
up; then each article with its entities highlighted (hover for the norm) and its own facts,
so a doubtful figure can be checked against the sentence it came from. Every piece of text
goes through `html.escape`: articles are untrusted input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from pipeline.document import LABELS, Document, Entity
from pipeline.plausibility import batch_warnings
from pipeline.report import FactRow, fact_rows

_COLOURS = {"REGION": "#cfe6ff", "OFFICIAL": "#e7dbff", "PERCENT": "#ffe0a3", "DATE": "#d3f2cf"}

_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1f2328; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; }
.stats { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top;
         white-space: nowrap; }
td.wrap { white-space: normal; width: 100%; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.warn td { background: #fff4e5; }
ul.warnings { margin: 0; padding-left: 1rem; color: #9a3412; }
ul.warnings b { color: #b91c1c; }
article { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1rem;
          margin: 1.5rem 0; }
article h3 { margin: .3rem 0; } .meta { color: #57606a; font-size: 13px; margin: 0; }
.text { white-space: pre-wrap; line-height: 2; margin: .8rem 0; }
mark { padding: 1px 3px; border-radius: 4px; color: inherit; }
mark.warned { outline: 2px solid #dc2626; }
mark .tag { font-size: 9px; font-weight: 700; margin-left: 3px; opacity: .65;
            vertical-align: middle; letter-spacing: .03em; }
.legend mark { margin-right: .5rem; }
"""
_CSS += "".join(f"mark.{label.lower()} {{ background: {colour}; }}\n"
                for label, colour in _COLOURS.items())

_SUMMARY = ("region_norm", "code", "date", "metric", "target", "segment", "value", "doc",
            "warnings")
_ARTICLE = ("value", "metric", "target", "segment", "region", "region_norm", "code", "date",
            "score", "warnings")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _warnings(warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    items = []
    for warning in warnings:
        code, sep, message = warning.partition(": ")
        items.append(f"<li><b>{escape(code)}</b>{escape(sep + message)}</li>" if sep
                     else f"<li>{escape(warning)}</li>")
    return f'<ul class="warnings">{"".join(items)}</ul>'


def _cells(row: FactRow, columns: Sequence[str], anchor: str) -> str:
    cells = []
    for column in columns:
        if column == "warnings":
            cells.append(f'<td class="wrap">{_warnings(row.warnings)}</td>')
        elif column == "doc":
            cells.append(f'<td><a href="#{anchor}">{escape(row.doc_id)}</a></td>')
        elif column in ("value", "score"):
            cells.append(f'<td class="num">{_text(getattr(row, column))}</td>')
        else:
            attribute = "region_code" if column == "code" else column
            cells.append(f"<td>{_text(getattr(row, attribute))}</td>")
    css = ' class="warn"' if row.warnings else ""
    return f"<tr{css}>{''.join(cells)}</tr>"


def _table(rows: Iterable[tuple[FactRow, str]], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "\n".join(_cells(row, columns, anchor) for row, anchor in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


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


def highlight(doc: Document, warnings: dict[str, list[str]]) -> str:
    """The article text, escaped, with its entities marked; `warnings` maps percent ids to
    the warnings of their facts, which outline the percent in red."""
    parts = []
    cursor = 0
    for entity in sorted(doc.entities, key=lambda e: (e.start, e.end)):
        if entity.start < cursor:  # overlapping predictions: keep the first
            continue
        parts.append(escape(doc.text[cursor:entity.start]))
        parts.append(_mark(doc, entity, warnings.get(entity.id, ())))
        cursor = entity.end
    parts.append(escape(doc.text[cursor:]))
    return "".join(parts)


def _article(doc: Document, rows: list[FactRow], anchor: str) -> str:
    warnings: dict[str, list[str]] = {}
    for row in rows:
        warnings.setdefault(row.percent_id, []).extend(row.warnings)
    source = doc.meta.get("source") or doc.meta.get("url")
    meta = f'<p class="meta">{escape(str(source))}</p>' if source else ""
    facts = _table(((row, anchor) for row in rows), _ARTICLE) if rows else "<p>No facts.</p>"
    return (f'<article id="{anchor}"><h3>{escape(doc.id)}</h3>{meta}'
            f'<div class="text">{highlight(doc, warnings)}</div>{facts}</article>')


def _summary_order(item: tuple[FactRow, str]) -> tuple:
    """By Kemendagri code, which puts each province before its own regencies (the code's
    parts have fixed widths, so they sort as strings), then by name, date and metric."""
    row = item[0]
    return (row.region_code is None, row.region_code or "", row.region_norm is None,
            row.region_norm or "", row.date or "", row.metric, row.target, row.segment or "")


def render_report(docs: list[Document]) -> str:
    """The whole report as one HTML page."""
    anchors = [f"doc-{i}" for i in range(len(docs))]
    rows = [list(fact_rows(doc)) for doc in docs]
    flat = [(row, anchor) for doc_rows, anchor in zip(rows, anchors, strict=True)
            for row in doc_rows]
    n_warned = sum(1 for row, _ in flat if row.warnings)
    legend = "".join(f'<mark class="{label.lower()}">{label}</mark>' for label in _COLOURS)
    articles = "\n".join(_article(doc, doc_rows, anchor)
                         for doc, doc_rows, anchor in zip(docs, rows, anchors, strict=True))
    return f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>JKN facts report</title><style>{_CSS}</style></head>
<body>
<h1>JKN facts report</h1>
<p class="stats">{len(docs)} article(s) · {len(flat)} fact(s) · {n_warned} with warnings</p>
<h2>Facts by region and date</h2>
{_table(sorted(flat, key=_summary_order), _SUMMARY)}
<h2>Articles</h2>
<p class="legend">{legend} — hover a mark for its normalised value</p>
{articles}
</body>
</html>
"""


def write_html_report(docs: list[Document], path: str | Path) -> None:
    """Write the report of a batch, after adding its cross-document warnings to its facts."""
    batch_warnings(docs)
    Path(path).write_text(render_report(docs), encoding="utf-8")
