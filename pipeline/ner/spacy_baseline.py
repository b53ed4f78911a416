"""spaCy's CNN NER (`spacy.blank("id")` + the `ner` component with its default
HashEmbedCNN tok2vec), trained on exactly the same documents as the transformer.

It is the comparison the bundled model must beat. It sees the same words as every other
model here: spaCy's own Indonesian tokenizer is replaced by `pipeline.text.tokenize`, whose
boundaries always align with the gold spans (spaCy's keeps `KALTIM2` whole, for one).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch
from spacy.vocab import Vocab

from pipeline.document import LABELS, Document, Entity
from pipeline.normalize import normalize_entities
from pipeline.text import tokenize


class WordTokenizer:
    """spaCy tokenizer producing the project's words (no serialised state)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """Words as tokens; whitespace other than one space after a word becomes its own
        token, as spaCy's tokenizer does, so the Doc's text is the input exactly."""
        words: list[str] = []
        spaces: list[bool] = []

        def gap(chunk: str) -> None:
            if chunk.startswith(" ") and words:
                spaces[-1], chunk = True, chunk[1:]
            if chunk:
                words.append(chunk)
                spaces.append(False)

        cursor = 0
        for start, end in tokenize(text):
            gap(text[cursor:start])
            words.append(text[start:end])
            spaces.append(False)
            cursor = end
        gap(text[cursor:])
        return Doc(self.vocab, words=words, spaces=spaces)


def _blank() -> spacy.language.Language:
    nlp = spacy.blank("id")
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    nlp.max_length = 10_000_000
    return nlp


def train_spacy(docs: Sequence[Document], out_dir: Path, epochs: int = 30,
                seed: int = 13) -> float:
    """Train and save to `out_dir`; returns the seconds taken."""
    started = time.perf_counter()
    fix_random_seed(seed)
    nlp = _blank()
    ner = nlp.add_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    examples = []
    for doc in docs:
        spacy_doc = nlp.make_doc(doc.text)
        examples.append(Example.from_dict(spacy_doc, {"entities": [
            (e.start, e.end, e.label) for e in doc.entities]}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=8):
            nlp.update(batch, drop=0.2, sgd=optimizer)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir, exclude=["tokenizer"])
    return time.perf_counter() - started


class SpacyTagger:
    """A saved spaCy NER model behind the same `predict_batch` as every tagger here."""

    def __init__(self, model_dir: str | Path) -> None:
        self.nlp = spacy.load(model_dir, exclude=["tokenizer"])
        self.nlp.tokenizer = WordTokenizer(self.nlp.vocab)
        self.nlp.max_length = 10_000_000

    def predict_batch(self, docs: Sequence[Document]) -> list[Document]:
        out = []
        for doc, parsed in zip(docs, self.nlp.pipe(d.text for d in docs), strict=True):
            tagged = Document(id=doc.id, text=doc.text, meta=dict(doc.meta))
            tagged.entities = [
                Entity(id=f"T{i + 1}", start=ent.start_char, end=ent.end_char,
                       label=ent.label_)
                for i, ent in enumerate(e for e in parsed.ents if e.text.strip())]
            normalize_entities(tagged)
            out.append(tagged)
        return out
