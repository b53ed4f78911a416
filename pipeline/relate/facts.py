"""From a decision about one percent to the facts ANNOTATION.md defines: the region's
canonical name and Kemendagri code, and one fact per region when several are named."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import Fact
from pipeline.normalize.regions import get_register
from pipeline.relate.context import DocContext, Mention, region_name

NATIONAL = "@national"  # the whole country, whether or not a mention names it
NONE = "@none"  # no region, or several taken together
COUNTRY = "Indonesia"


@dataclass
class Decision:
    """What a relater decides for one percent. `regions` holds REGION entity ids, or one
    of NATIONAL / NONE."""

    metric: str
    target: bool
    segment: str | None
    regions: list[str]
    date: str | None
    score: float | None = None


def _code(name: str | None, given: str | None) -> str | None:
    if given is not None or name is None:
        return given
    ref = get_register().by_name(name)
    return ref.code if ref is not None else None


def build_facts(ctx: DocContext, percent: Mention, decision: Decision) -> list[Fact]:
    """One fact per distinct region of the decision (at least one)."""
    facts: list[Fact] = []
    seen: set[str | None] = set()
    for key in decision.regions or [NONE]:
        entity = ctx.entities.get(key)
        if entity is not None:
            name, code = region_name(entity, ctx.doc), entity.code
        else:
            name, code = (COUNTRY if key == NATIONAL else None), None
        if name in seen:
            continue
        seen.add(name)
        facts.append(Fact(
            percent=percent.id, metric=decision.metric, target=decision.target,
            region=entity.id if entity is not None else None, region_norm=name,
            date=decision.date, segment=decision.segment, score=decision.score,
            region_code=_code(name, code)))
    return facts
