"""OFFICIAL norms: the fullest form of each name in its article.

Articles name an official in full once (`Sekretaris Daerah … Sri Wahyuni`) and then by
one name (`Sekda Sri`); the analyst wants every mention under the one full name.
"""

from __future__ import annotations


def _words(mention: str) -> tuple[str, ...]:
    return tuple(mention.casefold().split())


def official_norms(text: str, spans: list[tuple[int, int]]) -> list[str | None]:
    """For each OFFICIAL span, the longest OFFICIAL mention in `spans` holding all its words.

    A mention that two different fuller names could both complete (`Sri` beside `Sri Wahyuni`
    and `Sri Mulyani`) gets None rather than a guess.
    """
    mentions = [" ".join(text[start:end].split()) for start, end in spans]
    # A long article repeats its names: the answer depends only on a mention's words, so it
    # is worked out once per set of words, among the distinct mentions (in first-seen order)
    # holding the rarest of them.
    distinct = list(dict.fromkeys(mentions))
    distinct_sets = [set(_words(m)) for m in distinct]
    holding: dict[str, list[int]] = {}
    for k, words in enumerate(distinct_sets):
        for word in words:
            holding.setdefault(word, []).append(k)
    known: dict[frozenset[str], str | None] = {}
    norms: list[str | None] = []
    for mention in mentions:
        words = frozenset(_words(mention))
        if words not in known:
            known[words] = _fullest(words, distinct, distinct_sets, holding)
        norms.append(known[words])
    return norms


def _fullest(words: frozenset[str], distinct: list[str], distinct_sets: list[set[str]],
             holding: dict[str, list[int]]) -> str | None:
    candidates = (min((holding[w] for w in words), key=len) if words
                  else range(len(distinct)))
    fuller = {distinct[k] for k in candidates if words <= distinct_sets[k]}
    maximal = {m for m in fuller
               if not any(set(_words(m)) < set(_words(o)) for o in fuller)}
    distinct_words = {_words(m) for m in maximal}
    return max(maximal, key=len) if len(distinct_words) == 1 else None
