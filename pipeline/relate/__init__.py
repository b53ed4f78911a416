"""The relation step: every PERCENT of a document becomes at least one fact (metric,
target, segment, region, date), by transparent rules or by small linear models learned from
the annotated facts (the default)."""

from pipeline.relate.rules import RuleRelater

__all__ = ["RuleRelater"]
