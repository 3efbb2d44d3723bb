"""Which figure of a sentence a question's words belong to: the kind of a set a figure names against the
one asked (`contrast`: "probable" cases for "suspected" ones), the numbered class or period nearest to it
(`label_other`: the "Phase 3" figure for "Phase 4"). Features of the candidates kept after the first scoring
(`features.pool_features`)."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.headers import spelt
from assistant.question import Query
from indexer.entries import FactEntry
from vocabulary.roots import phrase_words, root


def _own_text(e: FactEntry) -> str:
    """A cell's or key figure's own words: its headers, or its label and clause."""
    f = e.fact
    if f.kind == "table_cell":
        return f"{f.row_header or ''} {f.col_header or ''}"
    return f"{f.label or ''} {e.clause or f.sentence}"


# a numbered class or period: "IPC Phase 4", "week 18", "Round 14", "Category 5", "level 3"; of a span of
# them its last: "weeks 1 to 18", "(week 1-5)"
_LABELLED = re.compile(r"(?i)\b(phase|week|round|category|cat|level|grade|wave|cycle|signal)s?"
                       r"\s*(?:no\.?\s*)?(?:\d{1,2}\s*(?:-|–|to)\s*(?:week\s*)?)?(\d{1,2})\b")


def label_other(q: Query, e: FactEntry) -> bool:
    """The question asks about a numbered class or period ("in IPC Phase 4", "round 14") and the figure
    belongs to the same kind with another number: a cell's headers or a key figure's label name it, or in a
    sentence the nearest such mention to the figure does ("1.4 million people are in IPC Phase 3, including
    more than 350 000 in Emergency (Phase 4)": 1.4 million is Phase 3's, 350 000 Phase 4's).

    >>> from assistant.question import parse_question
    >>> from indexer.entries import make_entry
    >>> from indexer.records import Fact
    >>> s = "Over 1.4 million people are in IPC Phase 3, including more than 350 000 in Emergency (Phase 4)"
    >>> q = parse_question("How many people were in IPC Phase 4?", [])
    >>> [label_other(q, make_entry(0, Fact(value=1, text=t, start=s.index(t), end=s.index(t) + len(t), page=1,
    ...  report="r", label="", sentence=s), 0)) for t in ("1.4 million", "350 000")]
    [True, False]
    >>> cell = Fact(value=18.2, text="18.2", start=0, end=4, page=1, report="r", label="", sentence="18.2",
    ...             kind="table_cell", row_header="CFR", col_header="2021 Cumulative (week 1-5)")
    >>> label_other(parse_question("What was the fatality rate for weeks 1 to 18?", []), make_entry(0, cell, 0))
    True
    """
    asked = _labels(spelt(q.text))  # "Round XIV" is round 14, as "Rnd XIV" in a header (`headers.spelt`)
    if not asked:
        return False
    f = e.fact
    if f.kind in ("table_cell", "key_figure"):
        own = _labels(spelt(f"{f.row_header or ''} {f.col_header or ''}" if f.kind == "table_cell" else f.label or ""))
        return any(kind in own and not own[kind] & nums for kind, nums in asked.items())
    lo, hi = f.start - f.sentence_start, f.end - f.sentence_start
    nearest: dict[str, tuple[int, str]] = {}
    for m in _LABELLED.finditer(f.sentence):
        kind, gap = m.group(1).lower()[:3], max(lo - m.end(), m.start() - hi, 0)
        if kind in asked and (kind not in nearest or gap < nearest[kind][0]):
            nearest[kind] = (gap, m.group(2).lstrip("0"))
    return any(num not in asked[kind] for kind, (_, num) in nearest.items())


@lru_cache(maxsize=1024)
def _labels(text: str) -> dict[str, frozenset[str]]:
    """The numbered classes a text names, by kind ("pha", "wee", ...): read once a question, not again for
    each of its candidates."""
    out: dict[str, set[str]] = {}
    for m in _LABELLED.finditer(text):
        out.setdefault(m.group(1).lower()[:3], set()).add(m.group(2).lstrip("0"))
    return {kind: frozenset(nums) for kind, nums in out.items()}


# Terms that name one of several kinds of the same thing: a figure of a sibling kind is another figure
# ("suspected" cases are not "probable" ones, houses "damaged" are not houses "destroyed", funds
# "received" are not funds "required"). A set's kinds are separated by "|"; a kind's words are word
# roots (`vocabulary.roots.root`) of synonyms.
_CONTRASTS: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(root(w) for w in kind.split()) for kind in group.split("|")) for group in (
        "suspected | probable | confirmed",
        "destroyed | damaged",
        "required requirement requirements needed needs appeal appealing budget budgeted"
        " | received contributed contributions donated given | gap shortfall unmet balance"
        " | spent spend spending expenditure expenditures",
        "targeted target targets | reached assisted",
        "women woman | men man | girls girl | boys boy",
        "female | male",
        "adults adult | children child",
        "deaths death died dead killed fatalities | recoveries recovered discharged | injured injuries"
        " | missing | affected",
        "rural | urban",
        "refugees refugee | migrants migrant | returnees returnee",
    ))
_WORD = re.compile(r"[^\W\d_]+")
# degrees of damage that name the other kind: "completely damaged" houses were destroyed, "partially
# destroyed" ones damaged (people who "lost their lives" died: `vocabulary.roots.phrase_words`)
_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(root(w) for w in phrase.split()), root(kind)) for phrase, kind in (
        *((f"{d} damaged", "destroyed") for d in ("completely", "totally", "fully", "entirely")),
        *((f"{d} destroyed", "damaged") for d in ("partially", "partly"))))


def _phrased(tokens: list[str]) -> list[str]:
    """Rooted tokens in order, a phrase of `_PHRASES` read as its kind."""
    out, i = [], 0
    while i < len(tokens):
        hit = next(((p, k) for p, k in _PHRASES if tuple(tokens[i:i + len(p)]) == p), None)
        out.append(hit[1] if hit else tokens[i])
        i += len(hit[0]) if hit else 1
    return out


def _roots(text: str) -> set[str]:
    for start, end, word in reversed(phrase_words(text)):  # as the build roots a fact's tokens
        text = f"{text[:start]} {word} {text[end:]}"
    return set(_phrased([root(w) for w in _WORD.findall(text.lower())]))


# the set of a fund's kinds (required, received, gap, spent) is about money: people who "received" kits
# are no funds received
_FUNDS = _CONTRASTS[2]
_MONEY_ASKED = ("money", "howmuch", "percent")


@lru_cache(maxsize=1024)
def _asked_kinds(question: str, expected: str) -> tuple[tuple[tuple[frozenset[str], ...], frozenset[str]], ...]:
    """The sets whose kinds the question asks exactly one of, with that kind: read once a question."""
    asked = _roots(question)
    return tuple((group, kinds[0]) for group in _CONTRASTS if len(kinds := [k for k in group if k & asked]) == 1
                 and (group is not _FUNDS or expected in _MONEY_ASKED))


def _segments(e: FactEntry) -> tuple[list[str], list[str]]:
    """A sentence figure's rooted words (the entry's tokens, numbers "#") after it up to the next figure, and
    before it back to the one before, nearest first ("The budget was CHF 95,161, of which CHF 94,703 was
    spent": 94,703's are "spent" after it and "chf" before)."""
    w, i = e.tokens, e.num_index
    j = i + 1
    while j < len(w) and w[j] == "#":  # "350 000" is two tokens
        j += 1
    k = next((k for k in range(j, len(w)) if w[k] == "#"), len(w))
    b = next((b for b in range(i - 1, -1, -1) if w[b] == "#"), -1)
    return _phrased(w[j:k]), _phrased(w[b + 1:i])[::-1]


def contrast(q: Query, e: FactEntry) -> bool:
    """The question asks for one kind of a set (`_CONTRASTS`) and the figure's own words name a sibling kind
    and not the one asked: a cell's headers, a key figure's label, or a sentence figure's words after it up to
    the next figure (those before it back to the previous one when those after name no kind of the set).

    >>> from assistant.question import parse_question
    >>> from indexer.entries import make_entry
    >>> from indexer.records import Fact
    >>> cell = Fact(value=1, text="1", start=0, end=1, page=1, report="r", label="", sentence="1",
    ...             kind="table_cell", row_header="Number for current week", col_header="Probable cases")
    >>> contrast(parse_question("How many suspected cases were reported this week?", []), make_entry(0, cell, 0))
    True
    >>> contrast(parse_question("How many probable cases were reported this week?", []), make_entry(0, cell, 0))
    False
    >>> s = "The overall budget was CHF 95,161, of which CHF 94,703 was spent."
    >>> q = parse_question("What was the budget?", [])
    >>> [contrast(q, make_entry(0, Fact(value=1, text=t, start=s.index(t), end=s.index(t) + len(t), page=1,
    ...  report="r", label="", sentence=s), 0)) for t in ("95,161", "94,703")]
    [False, True]
    """
    return kinds_named(q, e)[0]


def kinds_named(q: Query, e: FactEntry) -> tuple[bool, bool]:
    """(`contrast`, `kind_own`): whether the figure's kind of a set the question asks one kind of is a sibling
    of the one asked, or the one asked ("The sector requires USD 423.5 million, with USD 313 million included
    in the plan": for "how much does the sector need", 423.5 is required, 313 of no kind). A cell's or key
    figure's kinds are those its headers or label name (a sibling only when the asked one is not among them);
    a sentence figure's, the nearest kind word after it up to the next figure, else before it back to the
    previous one ("31 deaths and numerous injuries": 31 counts deaths)."""
    groups = _asked_kinds(q.text, q.expected)
    if not groups:
        return False, False
    other = named = False
    if e.fact.kind in ("table_cell", "key_figure"):
        own = _roots(_own_text(e))
        for group, kind in groups:
            if any(k & own for k in group):
                other = other or not kind & own
                named = named or bool(kind & own)
        return other, named
    after, before = _segments(e)
    for group, kind in groups:
        found = next((k for w in (*after, *before) for k in group if w in k), None)
        other = other or found is not None and found != kind
        named = named or found == kind
    return other, named

