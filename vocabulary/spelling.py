"""British and American spellings of one word made one: a question that says "health centre" finds a
report that writes "health center", "haemorrhagic" finds "hemorrhagic", "labelled" finds "labeled".

`american(word)` rewrites a lower-case word (already stripped of its plural) to the American form.
Both sides of a match go through it (the matcher's `root`, at build time for the facts and at
question time for the question), so a rule that rewrites a word with no variant ("rise" -> "rize")
costs nothing: only two different words rewritten to one would harm, and the rules keep off the short
words where that could happen ("four", "hour", "our").

>>> [american(w) for w in ("centre", "programme", "organisation", "mobilised", "labour", "neighbouring")]
['center', 'program', 'organization', 'mobilized', 'labor', 'neighboring']
>>> [american(w) for w in ("haemorrhagic", "paediatric", "diarrhoea", "oedema", "travelled", "analyse")]
['hemorrhagic', 'pediatric', 'diarrhea', 'edema', 'traveled', 'analyze']
>>> [american(w) for w in ("four", "hour", "tour", "rise", "centre-based", "acre", "installed", "metre")]
['four', 'hour', 'tour', 'rise', 'centre-based', 'acre', 'installed', 'meter']
"""

from __future__ import annotations

import re

# (pattern, replacement), applied in order to a whole word; each names the spelling it joins
_RULES = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^(.{2,})(t|b)re$", r"\1\2er"),  # centre, metre, litre, fibre, calibre
        (r"^(.{3,})mme$", r"\1m"),  # programme, gramme
        (r"^(.{3,})logue$", r"\1log"),  # catalogue, dialogue
        (r"^(.{3,})is(ation|ations|e|ed|es|ing|er|ers)$", r"\1iz\2"),  # organisation, mobilised
        (r"^(.{2,})ys(e|ed|es|ing)$", r"\1yz\2"),  # analyse, paralysed
        (r"^(.{3,})our(s|ed|ing|ite|able|ably|er|ers|hood|hoods)?$", r"\1or\2"),  # labour, neighbouring
        (r"^(.{3,})ell(ed|ing|er|ers)$", r"\1el\2"),  # travelled, labelling, modeller (not "installed")
        (r"^(defen|offen|licen|preten)ce$", r"\1se"),  # defence, offence, licence
        (r"(h|p|an|leuk|septic)ae", r"\1e"),  # haemorrhagic, paediatric, anaemia, leukaemia, septicaemia
        (r"oea$", "ea"),  # diarrhoea, gonorrhoea
        (r"^oe(d|s)", r"e\1"),  # oedema, oesophagus
        (r"^foet", "fet"),  # foetus, foetal
    )
)
_SHORT = 5  # words this short keep their spelling: "four", "hour", "tour", "pour", "metre" is the shortest changed


def american(word: str) -> str:
    """The American spelling of a lower-case English word; other words unchanged."""
    if len(word) < _SHORT or not word.isalpha():
        return word
    for pattern, repl in _RULES:
        word = pattern.sub(repl, word)
    return word
