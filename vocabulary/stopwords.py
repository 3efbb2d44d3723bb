"""Stopword lists, each named for what it is for: words in, whether a word carries meaning out.

The lists differ on purpose (a word that ends a counted noun phrase is not the same as a word a
question can leave out); they live together so that a change to one is made next to the others.
"""

from __future__ import annotations

# Words a question's content words leave out (assistant/question/words.py content_words(); match.py)
STOPWORDS = frozenset(
    """
a about above across after again against all almost also am among an and any approximately are
around as at be because been before being below between both but by can could did do does doing
done during each either else ever every few for from further get had has have having he her here
hers him his how however i if in into is it its itself just least less many may me might more
most much must my nearly neither no nor not now of off on once only or other our ours out over
own per please roughly same shall she should so some such than that the their theirs them then
there these they this those through thus to too total under until up upon us very via was we
were what whatever when where whether which while who whom whose why will with within would yet
you your since according overall amount number figure figures approx s
""".split()
)


# Words that end the counted noun phrase after a number, or open none, when the indexer reads a
# fact's unit and label (indexer/facts/units.py, labels.py): function words and the verbs of counting
PHRASE_STOPS = frozenset(
    """
a an the this that these those their its his her our your my some any all each every no not them they it
of in to from with for at on by across through into during between among within under over about
against since after before as than until upon via per including excluding like such
who whom whose which what where when while whereas if then there here so yet or but nor
is are was were be been being am have has had having do does did will would shall should can could
may might must also still already only just even more most less least other another same both
further additional extra total overall respectively approximately almost nearly around up down out
received benefited benefitted participated died arrived attended accessed completed reached
visited remained joined got went came fled left made took gave became lost sought met paid sent
spent brought built kept found told held led fed said according compared due per cent percent vs versus
live lives living need needs require requires required remain remains continue continues
""".split()
)


# Words the lexical search (SQLite FTS5, assistant/retrieve.py) leaves out of a question's terms
SEARCH_STOPWORDS = frozenset("""a an and are as at be by did do does for from had has have how in is it its many
much of on or the their there this to was were what when where which who whom why will with
""".split())
