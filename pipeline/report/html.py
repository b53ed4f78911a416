"""The HTML report: one self-contained, interactive page that an analyst can open offline or
mail around — no CDN, no external file, no library.

The page, top to bottom: a chart of a region's coverage and activity over time (a region
picker; targets drawn as reference lines; undated figures in a "no date" band, hollow when
placed at their article's publication date); one filter bar (region, province, metric,
target, warning, date range, free-text search, latest values only) over three sortable
tables — the dataset (one row per observation, `pipeline.dataset`), the facts, and the
officials with the figures they stated; the inputs that could not be tagged; then every
article with its entities marked and each fact's sentence as an anchor that the tables link
to and the page highlights.

Why no chart library: measured for this page (npm, minified): uPlot 51 kB (22 kB gzip),
Chart.js 210 kB (plus a date adapter), D3 281 kB (a toolkit: the chart code would still be
ours), ECharts 1.1 MB. The chart needed is one line chart with reference lines, which the
inline script draws as SVG in about 100 lines; SVG sits in the DOM, so the browser tests
can count its series and a printout keeps it sharp; canvas libraries (uPlot, Chart.js)
would hide both. Nothing to vendor, licence or update. `report.js` and `report.css`
beside this module are inlined into every page.

The tables are rendered here in HTML (the script only sorts, filters and draws), so the
page reads without JavaScript. Every piece of text goes through `html.escape` (articles
are untrusted input), and the chart's JSON is escaped for a `<script>` element.

Big batches stay readable and bounded: above `REPORT_LIMIT` articles none is shown inline
(the page says so), the facts table shows its first `FACTS_LIMIT` rows in summary order,
the dataset its first `DATASET_LIMIT` observations (each with up to `SOURCES_LIMIT`
sources; counts stay exact), the officials table `OFFICIALS_LIMIT` rows, the chart whole
regions up to `CHART_LIMIT` observations in all and the failed inputs their first
`ERRORS_LIMIT`, each with a note of how many there are. The documents are read twice (index
the figures for the cross-document checks, then the rows), straight from disk when given
`pipeline.report.Records`, so memory holds the distinct observations, not the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path

from pipeline.dataset import Consolidator, Observation, latest, province_of, sortable_date
from pipeline.document import LABELS, METRICS, Document
from pipeline.engine import plural
from pipeline.inputs import InputError
from pipeline.plausibility import BatchIndex, add_warnings, figures
from pipeline.report import FactRow, fact_rows
from pipeline.report.article import render_article, sentence_id

REPORT_LIMIT = 500  # articles shown inline; a bigger batch gets the summary only
FACTS_LIMIT = 5_000  # rows of the facts table
DATASET_LIMIT = 5_000  # rows of the dataset table
OFFICIALS_LIMIT = 2_000  # rows of the officials table
CHART_LIMIT = 20_000  # observations the chart can draw
SOURCES_LIMIT = 20  # sources kept per observation
ERRORS_LIMIT = 1_000  # failed inputs listed

_CHART_METRICS = ("coverage", "activity")


@cache
def _asset(name: str) -> str:
    return files("pipeline.report").joinpath(name).read_text(encoding="utf-8")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
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


def _codes(warnings: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(w.partition(":")[0].strip() for w in warnings))


def _data(region_id: str, province: str | None, metric: str, target: bool,
          warnings: Sequence[str], when: str | None, **extra: str) -> str:
    """The row attributes the filter bar reads."""
    attributes = {"region": region_id, "province": province or "", "metric": metric,
                  "target": "true" if target else "false", "warn": " ".join(_codes(warnings)),
                  "when": sortable_date(when) or "", **extra}
    return "".join(f' data-{key}="{escape(value)}"' for key, value in attributes.items())


def _head(columns: Sequence[tuple[str, str]]) -> str:
    """Header cells; ("value", "num") sorts as numbers."""
    return "".join(f'<th data-type="{kind}">{escape(name)}</th>' if kind
                   else f"<th>{escape(name)}</th>" for name, kind in columns)


def _grid(table_id: str, columns: Sequence[tuple[str, str]], rows: Iterable[str],
          total: int, shown: int, what: str) -> str:
    note = (f'<p class="note">The table shows the first {shown:,} of {total:,} {what}; '
            "the files written by <code>jkn-ie dataset</code> and <code>jkn-ie tag --format "
            "csv</code> have them all.</p>" if total > shown else "")
    body = "\n".join(rows)
    return (f'{note}<p class="count" data-for="{table_id}">{shown:,} rows</p>'
            f'<table class="grid" id="{table_id}" data-filtered><thead><tr>{_head(columns)}'
            f"</tr></thead><tbody>\n{body}\n</tbody></table>")


# ---- the facts table ----

_FACT_COLUMNS = (("region", ""), ("code", ""), ("province", ""), ("date", ""),
                 ("published", ""), ("metric", ""), ("target", ""), ("segment", ""),
                 ("value", "num"), ("officials", ""), ("article", ""), ("warnings", ""))
_ARTICLE_COLUMNS = ("value", "metric", "target", "segment", "region", "region_norm", "code",
                    "date", "score", "warnings")


def _link(anchor: str | None, sentence_start: int | None, label: str, hint: str) -> str:
    if anchor is None:
        return f'<span title="{escape(hint)}">{escape(label)}</span>'
    return (f'<a class="fact-link" href="#{sentence_id(anchor, sentence_start)}" '
            f'title="{escape(hint)}">{escape(label)}</a>')


def _fact_row(row: FactRow, anchor: str | None) -> str:
    cells = [_text(row.region_norm), _text(row.region_code),
             _text(province_of(row.region_code)), _text(row.date), _text(row.published),
             _text(row.metric), _text(row.target), _text(row.segment)]
    tds = [f"<td>{cell}</td>" for cell in cells]
    tds.append(f'<td class="num value">{_text(row.value)}</td>')
    tds.append(f"<td>{escape(', '.join(row.officials))}</td>")
    tds.append(f'<td class="wrap">'
               f"{_link(anchor, row.sentence_start, row.title or row.doc_id, row.sentence)}</td>")
    tds.append(f'<td class="wrap">{_warnings(row.warnings)}</td>')
    css = ' class="warn"' if row.warnings else ""
    data = _data(row.region_id, province_of(row.region_code), row.metric, row.target,
                 row.warnings, row.date or row.published)
    return f"<tr{css}{data}>{''.join(tds)}</tr>"


def _article_facts(rows: Sequence[FactRow], anchor: str) -> str:
    """The small facts table under an article."""
    if not rows:
        return "<p>No facts.</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in _ARTICLE_COLUMNS)
    body = []
    for row in rows:
        cells = []
        for column in _ARTICLE_COLUMNS:
            if column == "warnings":
                cells.append(f'<td class="wrap">{_warnings(row.warnings)}</td>')
            elif column == "value":
                link = _link(anchor, row.sentence_start, _text(row.value), row.sentence)
                cells.append(f'<td class="num">{link}</td>')
            elif column == "score":
                cells.append(f'<td class="num">{_text(row.score)}</td>')
            else:
                attribute = "region_code" if column == "code" else column
                cells.append(f"<td>{_text(getattr(row, attribute))}</td>")
        css = ' class="warn"' if row.warnings else ""
        body.append(f"<tr{css}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{''.join(body)}\n</tbody></table>"


def _summary_order(item: tuple[FactRow, str | None]) -> tuple:
    """By Kemendagri code, which puts each province before its own regencies (the code's
    parts have fixed widths, so they sort as strings), then by name, date and metric."""
    row = item[0]
    return (row.region_code is None, row.region_code or "", row.region_norm is None,
            row.region_norm or "", row.date or "", row.metric, row.target, row.segment or "")


# ---- the dataset and officials tables ----

_DATASET_COLUMNS = (("region", ""), ("code", ""), ("province", ""), ("metric", ""),
                    ("target", ""), ("segment", ""), ("date", ""), ("value", "num"),
                    ("stated as", ""), ("mentions", "num"), ("articles", "num"),
                    ("sources", ""), ("warnings", ""))
_OFFICIAL_COLUMNS = (("official", ""), ("value", "num"), ("metric", ""), ("target", ""),
                     ("segment", ""), ("region", ""), ("date", ""), ("mentions", "num"),
                     ("sources", ""))


def _obs_key(obs: Observation) -> tuple:
    return obs.region_id, obs.metric, obs.target, obs.segment, obs.date, obs.value


def _sources(obs: Observation, anchors: dict[str, str], official: str | None = None) -> str:
    links = []
    for number, source in enumerate(obs.sources, 1):
        if official is not None and official not in source.officials:
            continue
        hint = f"{source.title or source.doc_id}: {source.sentence}"
        links.append(_link(anchors.get(source.doc_id), source.sentence_start, f"[{number}]",
                           hint))
    more = obs.mentions - len(obs.sources) if official is None else 0
    extra = f" +{more:,}" if more > 0 else ""
    return f'<td class="src">{"".join(links)}{extra}</td>'


def _date_cell(obs: Observation) -> str:
    """The as-of date, or for an undated figure its article's publication date, marked."""
    if obs.date_source == "published":
        return (f'<td data-sort="{escape(obs.published or "")}"><i>published '
                f"{_text(obs.published)}</i></td>")
    return f"<td>{_text(obs.date)}</td>"


def _dataset_row(obs: Observation, anchors: dict[str, str], is_latest: bool) -> str:
    flag = ' <span class="flag">conflict</span>' if obs.conflict else ""
    stated = ", ".join(f"{v:g}" for v in obs.values_stated)
    cells = (f"<td>{_text(obs.region)}</td><td>{_text(obs.region_code)}</td>"
             f"<td>{_text(obs.province)}</td><td>{_text(obs.metric)}</td>"
             f"<td>{_text(obs.target)}</td><td>{_text(obs.segment)}</td>{_date_cell(obs)}"
             f'<td class="num value">{_text(obs.value)}{flag}</td><td>{escape(stated)}</td>'
             f'<td class="num">{obs.mentions:,}</td><td class="num">{obs.documents:,}</td>'
             f'{_sources(obs, anchors)}<td class="wrap">{_warnings(obs.warnings)}</td>')
    classes = [name for name, on in (("warn", obs.warnings), ("conflict", obs.conflict)) if on]
    css = f' class="{" ".join(classes)}"' if classes else ""
    data = _data(obs.region_id, obs.province, obs.metric, obs.target, obs.warnings,
                 obs.when, latest="1" if is_latest else "0")
    return f"<tr{css}{data}>{cells}</tr>"


def _official_rows(observations: Sequence[Observation], anchors: dict[str, str],
                   ) -> tuple[list[str], int]:
    """One row per official and observation they are credited with (see
    `pipeline.report.stated_by`), by official; the rows shown and how many there are."""
    pairs = sorted(((official, obs) for obs in observations for official in obs.officials),
                   key=lambda pair: (pair[0].lower(), pair[1].region or ""))
    rows = []
    for official, obs in pairs[:OFFICIALS_LIMIT]:
        mentions = sum(official in source.officials for source in obs.sources)
        cells = (f"<td>{escape(official)}</td><td class=\"num value\">{_text(obs.value)}</td>"
                 f"<td>{_text(obs.metric)}</td><td>{_text(obs.target)}</td>"
                 f"<td>{_text(obs.segment)}</td><td>{_text(obs.region)}</td>"
                 f"<td>{_text(obs.date or obs.published)}</td>"
                 f'<td class="num">{mentions:,}</td>{_sources(obs, anchors, official)}')
        data = _data(obs.region_id, obs.province, obs.metric, obs.target, obs.warnings,
                     obs.when)
        rows.append(f"<tr{data}>{cells}</tr>")
    return rows, len(pairs)


# ---- the chart and the filter bar ----

def _json_for_script(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _drawable(observations: Sequence[Observation]) -> tuple[list[Observation], int]:
    """The observations the chart draws: coverage and activity of a region, all segments
    together, whole regions in dataset order up to `CHART_LIMIT` in all (a region cut
    short would draw a false trend); and how many regions are left out."""
    by_region: dict[str, list[Observation]] = {}
    for obs in observations:
        if obs.metric in _CHART_METRICS and obs.region_id and not obs.segment:
            by_region.setdefault(obs.region_id, []).append(obs)
    drawn: list[Observation] = []
    left_out = 0
    for group in by_region.values():
        if len(drawn) + len(group) <= CHART_LIMIT:
            drawn.extend(group)
        else:
            left_out += 1
    return drawn, left_out


def _chart(observations: Sequence[Observation]) -> str:
    """The region picker, the SVG container and the observations the script draws."""
    drawable, left_out = _drawable(observations)
    regions: dict[str, int] = {}
    names: list[list[str]] = []
    measured: dict[str, int] = {}
    points = []
    for obs in drawable:
        if obs.region_id not in regions:
            regions[obs.region_id] = len(names)
            names.append([obs.region_id, obs.region or obs.region_id])
        if not obs.target:
            measured[obs.region_id] = measured.get(obs.region_id, 0) + 1
        points.append({"r": regions[obs.region_id], "m": obs.metric, "t": int(obs.target),
                       "w": sortable_date(obs.when) or "",
                       "p": int(obs.date_source == "published"), "v": obs.value,
                       "n": obs.mentions, "c": int(obs.conflict)})
    note = (f'<p class="note">The chart offers {plural(len(regions), "region")} '
            f"({plural(left_out, 'region')} left out to keep it within {CHART_LIMIT:,} "
            "figures; the dataset table has every observation).</p>" if left_out else "")
    if not measured:
        return f"{note}<p>No coverage or activity figure to chart.</p>"
    # a region with a Kemendagri code first (national figures stay one pick away)
    coded = {obs.region_id for obs in drawable if obs.region_code}
    default = max(measured, key=lambda region: (region in coded, measured[region],
                                                -regions[region]))
    options = "".join(
        f'<option value="{escape(rid)}"{" selected" if rid == default else ""}>'
        f"{escape(name)}{f' ({escape(rid)})' if rid != name else ''} — "
        f"{plural(measured[rid], 'figure')}</option>"
        for rid, name in sorted(names, key=lambda n: n[1]) if rid in measured)
    data = _json_for_script({"regions": names, "obs": points})
    return (f'{note}<div class="chart"><label>Region <select id="chart-region">{options}'
            "</select></label> <span class=\"count\">coverage and activity (all segments "
            "together); dashed lines: targets; hollow points: undated figures placed at their "
            "article's publication date; red ring: conflicting values</span>"
            f'<div id="chart-svg"></div><p class="count" id="chart-note"></p></div>'
            f'<script type="application/json" id="chart-data">{data}</script>')


def _options(values: Iterable[tuple[str, str]]) -> str:
    return "".join(f'<option value="{escape(value)}">{escape(label)}</option>'
                   for value, label in values)


def _select(name: str, values: Iterable[tuple[str, str]]) -> str:
    return (f'<label>{name}<select name="{name}"><option value="">all</option>'
            f"{_options(values)}</select></label>")


def _filters(observations: Sequence[Observation], facts: Sequence[FactRow]) -> str:
    regions: dict[str, str] = {}
    provinces: set[str] = set()
    codes: set[str] = set()
    for obs in observations:
        regions.setdefault(obs.region_id, obs.region or obs.region_id or "(no region)")
        if obs.province:
            provinces.add(obs.province)
        codes.update(_codes(obs.warnings))
    for row in facts:
        codes.update(_codes(row.warnings))
    region_options = ((rid, name if rid == name or not rid else f"{name} ({rid})")
                      for rid, name in sorted(regions.items(), key=lambda r: r[1]))
    fields = [
        '<label>search<input type="search" name="search" placeholder="text in any cell">'
        "</label>",
        _select("region", region_options),
        _select("province", ((p, p) for p in sorted(provinces))),
        _select("metric", ((m, m) for m in METRICS)),
        _select("target", (("false", "measured"), ("true", "targets"))),
        _select("warning", (("any", "any warning"), ("none", "no warning"),
                            *((c, c) for c in sorted(codes)))),
        '<label>from<input type="date" name="from"></label>',
        '<label>to<input type="date" name="to"></label>',
        '<label><span><input type="checkbox" name="latest" value="1"> latest values only'
        "</span></label>",
        '<button type="reset">clear</button>',
    ]
    return f'<form class="filters" id="filters" autocomplete="off">{"".join(fields)}</form>'


# ---- counting, bounding, assembling ----

@dataclass
class ReportCounts:
    """What a report covers: every document, fact and failed input of the batch."""

    docs: int = 0
    facts: int = 0
    warned: int = 0  # facts with at least one warning
    errors: int = 0

    def line(self) -> str:
        return (f"{plural(self.docs, 'document')}, {plural(self.facts, 'fact')}, "
                f"{self.warned:,} with warnings, {plural(self.errors, 'failed input')}")


@dataclass
class _Batch:
    """What the second pass keeps: bounded facts, the inline articles, the observations."""

    facts: list[tuple[FactRow, str | None]] = field(default_factory=list)
    inline: list[tuple[Document, list[FactRow]]] = field(default_factory=list)
    consolidator: Consolidator = field(default_factory=lambda: Consolidator(SOURCES_LIMIT))


def _batch_index(docs: Iterable[Document]) -> BatchIndex:
    """The first pass: every figure of the batch, read straight off the facts (the rows,
    with their sentences and officials, are built once, in the second pass)."""
    index = BatchIndex()
    for doc in docs:
        for _, fig in figures(doc):
            index.add(fig)
    return index


def _errors_section(errors: Iterable[InputError], counts: ReportCounts) -> str:
    shown = []
    for error in errors:
        counts.errors += 1
        if len(shown) < ERRORS_LIMIT:
            shown.append(f"<tr><td>{_text(error.source)}</td><td>{_text(error.id)}</td>"
                         f'<td class="wrap">{_text(error.reason)}</td></tr>')
    if not counts.errors:
        return ""
    more = (f'<p class="note">The first {ERRORS_LIMIT:,} of {counts.errors:,} are listed; '
            "every one is an error line in the JSONL output.</p>"
            if counts.errors > len(shown) else "")
    rows = "\n".join(shown)
    return (f'<h2 id="failed">Inputs that could not be tagged ({counts.errors:,})</h2>{more}'
            '<table class="grid" id="failed-table"><thead><tr><th>source</th><th>id</th>'
            f"<th>reason</th></tr></thead><tbody>\n{rows}\n</tbody></table>")


def _bounded(docs: Iterable[Document], index: BatchIndex, limit: int,
             counts: ReportCounts) -> _Batch:
    """The first FACTS_LIMIT rows in summary order, with their batch warnings, the
    articles to show inline (none above `limit`) and every row consolidated; counts every
    document and fact. A row is consolidated before it gets the batch warnings: the
    dataset works out its own conflicts, and one of the batch's (95.26 and 95 stated for
    one date) is a rounding the dataset merges."""
    batch = _Batch()
    kept = batch.facts
    for doc in docs:
        rows = list(fact_rows(doc))
        for row in rows:
            batch.consolidator.add(row)
            if row.figure is not None:
                add_warnings(row.warnings, index.warnings(row.figure))
            counts.warned += bool(row.warnings)
        counts.docs += 1
        counts.facts += len(rows)
        if counts.docs <= limit:
            batch.inline.append((doc, rows))
        else:
            batch.inline.clear()
        anchor = f"doc-{counts.docs - 1}"
        kept.extend((row, anchor) for row in rows)
        if len(kept) > 2 * FACTS_LIMIT:  # amortised: sort, keep the first
            kept.sort(key=_summary_order)
            del kept[FACTS_LIMIT:]
    kept.sort(key=_summary_order)
    del kept[FACTS_LIMIT:]
    if counts.docs > limit:
        batch.facts = [(row, None) for row, _ in kept]
    return batch


def _reiterable(docs: Iterable[Document]) -> Iterable[Document]:
    return list(docs) if isinstance(docs, Iterator) else docs


def render_report(docs: Iterable[Document], errors: Iterable[InputError] = (),
                  limit: int = REPORT_LIMIT) -> str:
    """The whole report as one HTML page (see the module notes for its bounds)."""
    return _render(docs, errors, limit)[0]


def _articles(inline: list[tuple[Document, list[FactRow]]]) -> str:
    if not inline:
        return ""
    blocks = []
    for i, (doc, rows) in enumerate(inline):
        anchor = f"doc-{i}"
        warnings: dict[str, list[str]] = {}
        for row in rows:
            warnings.setdefault(row.percent_id, []).extend(row.warnings)
        spans = [(row.sentence_start, row.sentence_start + len(row.sentence)) for row in rows
                 if row.sentence_start is not None]
        blocks.append(render_article(doc, anchor, spans, warnings, _article_facts(rows, anchor)))
    legend = "".join(f'<mark class="{label.lower()}">{label}</mark>' for label in LABELS)
    return (f'<h2 id="articles">Articles</h2>\n<p class="legend">{legend} — hover a mark for '
            "its normalised value; a fact's link highlights its sentence</p>\n"
            + "\n".join(blocks))


def _render(docs: Iterable[Document], errors: Iterable[InputError],
            limit: int) -> tuple[str, ReportCounts]:
    docs = _reiterable(docs)
    counts = ReportCounts()
    batch = _bounded(docs, _batch_index(docs), limit, counts)
    observations = batch.consolidator.observations()
    latest_keys = {_obs_key(obs) for obs in latest(observations)}
    anchors: dict[str, str] = {}
    for i, (doc, _) in enumerate(batch.inline):
        anchors.setdefault(doc.id, f"doc-{i}")
    failed = _errors_section(errors, counts)
    notes = []
    if counts.docs > limit:
        notes.append(f"This batch has {counts.docs:,} articles, more than the {limit:,} this "
                     "report shows inline: only the summary is shown. Every fact is in the "
                     "CSV table (<code>jkn-ie tag … --format csv</code>).")
    note = "".join(f'<p class="note">{text}</p>' for text in notes)
    conflicts = sum(obs.conflict for obs in observations)
    stats = (f"{plural(counts.docs, 'article')} · {plural(counts.facts, 'fact')} · "
             f"{counts.warned:,} with warnings")
    if counts.errors:
        stats += f" · {plural(counts.errors, 'input')} not tagged"
    stats += f" · {plural(len(observations), 'observation')} ({conflicts:,} in conflict)"
    shown = observations[:DATASET_LIMIT]
    dataset = _grid("dataset-table", _DATASET_COLUMNS,
                    (_dataset_row(obs, anchors, _obs_key(obs) in latest_keys) for obs in shown),
                    len(observations), len(shown), "observations")
    facts = _grid("facts-table", _FACT_COLUMNS,
                  (_fact_row(row, anchor) for row, anchor in batch.facts),
                  counts.facts, len(batch.facts), "facts")
    official_rows, official_total = _official_rows(observations, anchors)
    officials = (_grid("officials-table", _OFFICIAL_COLUMNS, official_rows, official_total,
                       len(official_rows), "rows") if official_rows
                 else "<p>No official is named with a figure.</p>")
    toc = " ".join(f'<a href="#{target}">{label}</a>' for target, label in (
        ("chart", "Chart"), ("dataset", "Dataset"), ("facts", "Facts"),
        ("officials", "Officials"), *((("failed", "Failed inputs"),) if failed else ()),
        *((("articles", "Articles"),) if batch.inline else ())))
    page = f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>JKN facts report</title><style>{_asset("report.css")}</style></head>
<body>
<h1>JKN facts report</h1>
<p class="stats">{stats}</p>
<nav class="toc">{toc}</nav>
{note}
<h2 id="chart">Coverage and activity over time</h2>
{_chart(observations)}
<h2 id="dataset">Dataset: one row per observation</h2>
<p class="count">Restatements of a figure (the same value, or a rounding of it) are one row
with every source; different values for one region, metric, target, segment and date are
flagged <span class="flag">conflict</span>. The filters apply to every table below.</p>
<section class="tables">
{_filters(observations, [row for row, _ in batch.facts])}
{dataset}
<h2 id="facts">Facts by region and date</h2>
{facts}
<h2 id="officials">Officials and the figures they stated</h2>
<p class="count">An official is credited with a figure when named in its sentence, else in
its paragraph.</p>
{officials}
</section>
{failed}
{_articles(batch.inline)}
<script>{_asset("report.js")}</script>
</body>
</html>
"""
    return page, counts


def write_html_report(docs: Iterable[Document], path: str | Path,
                      errors: Iterable[InputError] = (),
                      limit: int = REPORT_LIMIT) -> ReportCounts:
    """Write the report of a batch, with its cross-document warnings, and its failed inputs;
    `docs` is read twice (a one-shot iterator is made a list first)."""
    page, counts = _render(docs, errors, limit)
    Path(path).write_text(page, encoding="utf-8")
    return counts
