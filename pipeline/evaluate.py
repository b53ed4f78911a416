"""The project's scorer, as ANNOTATION.md ("How extraction is scored") defines it.

Pure functions from gold and predicted Documents to plain dicts, so the same numbers
feed the text report, the JSON file and the model card. No model code here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from pipeline.document import LABELS, METRICS, Document, Fact
from pipeline.text import Span, bio_tags, tokenize

NONE = "(none)"  # confusion-matrix row/column of facts left unpaired
_REGION_PREFIXES = ("provinsi ", "kabupaten ", "kota ")


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall, F1 and support; an undefined ratio (nothing to divide by) is 0.0,
    as seqeval's zero_division=0 makes it, so both NER figures read alike."""
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": n_gold,
            "tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}


def _pairs(gold: list[Document], pred: list[Document]) -> tuple[
        list[tuple[Document, Document | None]], list[str], list[str]]:
    """Each gold document with its prediction (None when missing), the missing ids and the
    ids of predicted documents not in gold.

    Documents pair by id, else a predicted document whose id is not in gold pairs by
    identical text: `jkn-ie tag seeds/` names documents after
    their files while the gold names them `seed-000`…, and the text is the file as read in
    both. A prediction with the same id but another text cannot be scored on character
    offsets, so it raises ValueError rather than scoring garbage."""
    by_id = {doc.id: doc for doc in pred}
    gold_ids = {doc.id for doc in gold}
    by_text = {doc.text: doc for doc in pred if doc.id not in gold_ids}
    pairs: list[tuple[Document, Document | None]] = []
    for doc in gold:
        other = by_id.get(doc.id)
        if other is not None and other.text != doc.text:
            raise ValueError(f"document {doc.id!r}: predicted text differs from the gold text")
        pairs.append((doc, other or by_text.get(doc.text)))
    missing = [g.id for g, p in pairs if p is None]
    paired = {id(p) for _g, p in pairs if p is not None}
    extra = [doc.id for doc in pred if id(doc) not in paired]
    return pairs, missing, extra


def _scores(matches: Iterable[tuple[Counter, Counter]], key_of) -> dict[str, dict[str, Any]]:
    """Per-key P/R/F1 from (gold, pred) multisets of items, matched within each pair."""
    tp: Counter = Counter()
    n_gold: Counter = Counter()
    n_pred: Counter = Counter()
    for gold_items, pred_items in matches:
        for item, n in (gold_items & pred_items).items():
            tp[key_of(item)] += n
        for item, n in gold_items.items():
            n_gold[key_of(item)] += n
        for item, n in pred_items.items():
            n_pred[key_of(item)] += n
    keys = set(n_gold) | set(n_pred)
    return {key: prf(tp[key], n_pred[key], n_gold[key]) for key in keys}


def _micro(per_key: dict[str, dict[str, Any]]) -> dict[str, Any]:
    tp = sum(s["tp"] for s in per_key.values())
    return prf(tp, tp + sum(s["fp"] for s in per_key.values()),
               sum(s["support"] for s in per_key.values()))


def entity_scores(pairs: Sequence[tuple[Document, Document | None]]) -> dict[str, Any]:
    """Exact-span scores: an entity counts only when start, end and label all match."""
    def spans(doc: Document | None) -> Counter:
        return Counter((e.start, e.end, e.label) for e in doc.entities) if doc else Counter()

    per_label = _scores(((spans(g), spans(p)) for g, p in pairs), key_of=lambda s: s[2])
    labels = {label: per_label.get(label, prf(0, 0, 0)) for label in LABELS}
    return {"labels": labels, "micro": _micro(labels)}


def _widened(words: Sequence[Span], doc: Document) -> list[tuple[int, int, str]]:
    """Entity spans grown to the words they touch, so that a predicted span cutting a word
    can still be tagged (gold spans always align, so they come out unchanged). A span that
    touches no word is dropped, and so is one that overlaps an earlier span after widening:
    its words are already tagged."""
    spans: list[tuple[int, int, str]] = []
    for ent in sorted(doc.entities, key=lambda e: (e.start, e.end)):
        touched = [w for w in words if w[0] < ent.end and w[1] > ent.start]
        if touched and (not spans or touched[0][0] >= spans[-1][1]):
            spans.append((touched[0][0], touched[-1][1], ent.label))
    return spans


def seqeval_scores(y_true: list[list[str]], y_pred: list[list[str]]) -> dict[str, Any]:
    """seqeval's strict IOB2 report per label and micro-averaged, as plain Python numbers.

    `mode="strict"` only means strict together with `scheme=IOB2`; in strict mode an entity
    that starts with I- is an error, not a mention."""
    if not any(t != "O" for seq in (*y_true, *y_pred) for t in seq):
        report: dict[str, Any] = {}  # seqeval warns (mean of empty slice) on no entities
    else:
        report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2,
                                       output_dict=True, zero_division=0)

    def plain(row: dict[str, Any] | None) -> dict[str, Any]:
        row = row or {}
        return {"precision": float(row.get("precision", 0.0)),
                "recall": float(row.get("recall", 0.0)),
                "f1": float(row.get("f1-score", 0.0)), "support": int(row.get("support", 0))}

    return {"labels": {label: plain(report.get(label)) for label in LABELS},
            "micro": plain(report.get("micro avg"))}


def document_tags(pairs: Sequence[tuple[Document, Document | None]]
                  ) -> tuple[list[list[str]], list[list[str]]]:
    """Gold and predicted IOB2 tag sequences, one per gold document, over the words of
    `pipeline.text.tokenize`; a missing prediction is all O."""
    y_true, y_pred = [], []
    for gold, pred in pairs:
        words = tokenize(gold.text)
        y_true.append(bio_tags(words, _widened(words, gold)))
        y_pred.append(bio_tags(words, _widened(words, pred)) if pred else ["O"] * len(words))
    return y_true, y_pred


def region_key(region_norm: str | None) -> str | None:
    """`Kabupaten Banjar` and `banjar` are the same region for scoring."""
    if region_norm is None:
        return None
    key = region_norm.strip().lower()
    for prefix in _REGION_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _value(doc: Document, fact: Fact) -> float | None:
    ent = doc.entity(fact.percent)
    return round(float(ent.norm), 2) if ent is not None and ent.norm is not None else None


def fact_tuple(doc: Document, fact: Fact, with_date: bool = False) -> tuple:
    """(value, metric, target, region key[, date norm]): the fact as it is scored."""
    base = (_value(doc, fact), fact.metric, fact.target, region_key(fact.region_norm))
    if not with_date:
        return base
    date = doc.entity(fact.date)
    return (*base, date.norm if date is not None else None)


def _tuples(doc: Document | None, with_date: bool) -> list[tuple]:
    return [fact_tuple(doc, f, with_date) for f in doc.facts] if doc else []


def _pair_facts(gold: list[tuple], pred: list[tuple]) -> list[tuple[str, str]]:
    """(gold metric, predicted metric) for facts paired by value and region key.

    Greedy, in two passes: same-metric pairs first, so two facts of one figure with
    swapped order are not counted as two confusions; then the rest in document order."""
    pred_left = list(pred)
    gold_left = []
    cells = []
    for g in gold:
        same = next((p for p in pred_left if p == g), None)
        if same is None:
            gold_left.append(g)
        else:
            pred_left.remove(same)
            cells.append((g[1], same[1]))
    for g in gold_left:
        other = next((p for p in pred_left if (p[0], p[3]) == (g[0], g[3])), None)
        if other is None:
            cells.append((g[1], NONE))
        else:
            pred_left.remove(other)
            cells.append((g[1], other[1]))
    return cells + [(NONE, p[1]) for p in pred_left]


def fact_scores(pairs: Sequence[tuple[Document, Document | None]]) -> dict[str, Any]:
    """Fact tuples without and with the date, per metric, and the metric confusion matrix."""
    def matches(with_date: bool) -> list[tuple[Counter, Counter]]:
        return [(Counter(_tuples(g, with_date)), Counter(_tuples(p, with_date)))
                for g, p in pairs]

    per_metric = _scores(matches(False), key_of=lambda t: t[1])
    rows = (*METRICS, NONE)
    matrix = {g: dict.fromkeys(rows, 0) for g in rows}
    for gold, pred in pairs:
        for g, p in _pair_facts(_tuples(gold, False), _tuples(pred, False)):
            matrix[g][p] += 1
    return {
        "without_date": _micro(_scores(matches(False), key_of=lambda _t: "all")),
        "with_date": _micro(_scores(matches(True), key_of=lambda _t: "all")),
        "per_metric": {m: per_metric.get(m, prf(0, 0, 0)) for m in METRICS},
        "confusion": matrix,
    }


def evaluate(gold: list[Document], pred: list[Document]) -> dict[str, Any]:
    """Every score of `pred` against `gold`, JSON-ready (plain dicts, floats, ints, strs)."""
    pairs, missing, extra = _pairs(gold, pred)
    return {
        "documents": {"gold": len(gold), "pred": len(pred), "scored": len(pairs) - len(missing),
                      "missing": missing, "extra": extra},
        "entities": entity_scores(pairs),
        "seqeval": seqeval_scores(*document_tags(pairs)),
        "facts": fact_scores(pairs),
    }


def text_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _score_rows(named: Iterable[tuple[str, dict[str, Any]]], counts: bool = True) -> list[list]:
    return [[name, s["precision"], s["recall"], s["f1"], s["support"],
             *((s["tp"], s["fp"], s["fn"]) if counts else ())] for name, s in named]


def format_report(result: dict[str, Any]) -> str:
    """The result of `evaluate` as readable text tables."""
    docs = result["documents"]
    head = ["", "precision", "recall", "f1", "support"]
    counted = [*head, "tp", "fp", "fn"]
    ent, seq, facts = result["entities"], result["seqeval"], result["facts"]
    parts = [
        f"documents: {docs['gold']} gold, {docs['pred']} predicted, {docs['scored']} scored",
    ]
    if docs["missing"]:
        parts.append(f"missing from predictions (all misses): {', '.join(docs['missing'])}")
    if docs["extra"]:
        parts.append(f"not in gold (ignored): {', '.join(docs['extra'])}")
    parts += [
        "\nEntities (exact character spans)",
        text_table(counted, _score_rows([*ent["labels"].items(), ("micro", ent["micro"])])),
        "\nEntities (seqeval, strict IOB2)",
        text_table(head, _score_rows([*seq["labels"].items(), ("micro", seq["micro"])], False)),
        "\nFacts (value, metric, target, region)",
        text_table(counted, _score_rows([("without date", facts["without_date"]),
                                     ("with date", facts["with_date"])])),
        "\nFacts per metric (without date)",
        text_table(counted, _score_rows(facts["per_metric"].items())),
        "\nMetric confusion (rows gold, columns predicted; paired by value and region)",
        text_table(["gold \\ pred", *facts["confusion"]],
               ([g, *row.values()] for g, row in facts["confusion"].items())),
    ]
    return "\n".join(parts) + "\n"
