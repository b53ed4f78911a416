"""The relation step: every PERCENT of a document becomes at least one fact (metric,
target, segment, region, date), by transparent rules or by small linear models learned from
the annotated facts (the default).

The leave-one-seed-out experiment lives in `pipeline.relate.experiment`; it is not imported
here, so relating documents does not load the scorer.
"""

from pipeline.relate.model import LearnedRelater, train_relater
from pipeline.relate.rules import RuleRelater

__all__ = ["LearnedRelater", "RuleRelater", "train_relater"]
