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
    word_sets = [set(_words(m)) for m in mentions]
    norms: list[str | None] = []
    for words in word_sets:
        fuller = {mentions[j] for j, other in enumerate(word_sets) if words <= other}
        maximal = {m for m in fuller
                   if not any(set(_words(m)) < set(_words(o)) for o in fuller)}
        distinct = {_words(m) for m in maximal}
        norms.append(max(maximal, key=len) if len(distinct) == 1 else None)
    return norms
