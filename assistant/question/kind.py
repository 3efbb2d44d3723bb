"""The answer a question expects: a question in, its kind out (count, money, percent, quantity, date,
duration, name, text), and whether it asks for the figure's qualifier ("roughly how many").
"""

from __future__ import annotations

import re

_MONEY_WORDS = re.compile(
    r"\b(?:fund(?:s|ing|ed)?|money|usd|us\$|dollars?|euros?|chf|budget|cost(?:s|ing)?"
    r"|requirements?|required|requires?|appeal\w*|financ\w*|contribut\w*|donat\w*|allocat\w*"
    r"|cash|spent|spend|raised|paid|worth|grants?|pledg\w*|disbursed"
    r"|cerf|cbpf|dref|pooled\s+funds?)\b|\$|€",  # "how much did the ERC release from CERF"
    re.I,
)
# a gap is asked in money or as a share of what was required ("a 70% funding gap")
_GAP_WORDS = r"(?:gaps?|shortfalls?|deficits?)\b"
_KIND_RULES = (
    # an exchange rate is a price, in the currency it is quoted in ("around 130 HTG/USD"), not a share
    ("quantity", re.compile(r"\bexchange\s+rates?\b", re.I)),
    (
        "duration",
        re.compile(
            r"\bhow\s+long\b|\bfor\s+how\s+(?:long|many\s+(?:days|weeks|months|years))\b"
            r"|\bhow\s+many\s+(?:more\s+)?(?:days|weeks|months|years|hours)\b|\bvalid\s+for\b"
            r"|\bduration\b|\bhow\s+much\s+time\b",
            re.I,
        ),
    ),
    (
        "percent",
        re.compile(
            r"\b(?:what|which)\s+(?:\w+\s+)?(?:share|percentage|proportion|percent|per\s+cent"
            r"|fraction|rate|ratio)\b|\bpercentage\b|\bproportion\b|\bper\s*cent\b|%"
            r"|\bhow\s+much\s+of\s+the\b.*\b(?:funded|covered)\b|\brate\b|\bratio\b",
            re.I,
        ),
    ),
    # "how many dollars", and any figure asked in a currency ("how large was the report, in euros")
    ("money", re.compile(r"\bhow\s+many\s+(?:us\s+)?(?:dollars|usd|euros|us\$)\b"
                         r"|\bin\s+(?:us\s+)?(?:dollars|usd|euros|eur|us\$|chf|swiss\s+francs)\b", re.I)),
    ("count", re.compile(r"\bhow\s+many\b", re.I)),
    ("howmuch", re.compile(r"\bhow\s+much\b", re.I)),
    # "how big is the DREF allocation" asks for money as "how much" does; "how large was the caseload" a count
    ("howbig", re.compile(r"\bhow\s+(?:large|big)\b", re.I)),
    (
        "date",
        re.compile(
            r"^\s*(?:\w+\s+){0,2}when\b|\bwhen\s+(?:was|were|did|does|do|is|will|had|has)\b"
            r"|\b(?:what|which)\s+(?:\w+\s+)?(?:date|day|month|year)\b|\bsince\s+when\b",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(
            r"\b(?:what|which)\s+(?:is|was|are|were)\s+(?:the\s+)?(?:\w+\s+){0,3}?"
            r"(?:funding|budgets?|costs?|requirements?|appeals?|contributions?|allocations?|expenditures?|"
            r"pledges?|financial\s+needs|"
            r"total\s+needs|amount\s+of\s+(?:cash|money|funds?|funding))\b(?!\s+" + _GAP_WORDS + r")"
            r"|\bwhat\s+(?:\w+\s+)?(?:funding|budget|allocation|financing)\b(?!\s+" + _GAP_WORDS + ")",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\s*(?:\w+\s+){0,2}(?:which|who|whom)\b|\bwho\s+(?:is|was|are|were|did|does|led|leads)\b"
            r"|\bwhat\s+(?:is\s+the\s+name|organi[sz]ation|agency|sector|cluster|partner|department"
            r"|region|province|district|city|commune|municipality|country|disease|vaccine)\b"
            r"|\bname\s+(?:the|of)\b",
            re.I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\bwhat\s+(?:is|was|were|are)\s+the\s+(?:total\s+|estimated\s+)?number\b"
            r"|\bwhat\s+number\b",
            re.I,
        ),
    ),
    # "What was the death toll", "what did a goat sell for": a figure, its unit whatever it is
    (
        "quantity",
        re.compile(
            r"\b(?:what|which)\s+(?:is|was|are|were|has\s+been|had\s+been)\s+(?:the\s+|its\s+|their\s+)?"
            r"(?:[\w'-]+\s+){0,4}?(?:toll|total|totals|distance|price|prices|amount|level|size|figure|count"
            r"|value|temperature|speed|height|length|depth|volume|capacity|score|average|rainfall|population"
            r"|tally|sum|quantity|caseload|number|estimate|magnitude|weight|area|duration|increase|decrease"
            r"|change|gap|shortfall|deficit|projection|forecast|probability|chance|likelihood|odds|target|pressure"
            r"|winds?|gusts?)\b"
            r"|\bwhat\s+did\s+.{1,60}\b(?:sell|sold|cost|fetch|trade)\b|\bby\s+how\s+much\b"
            r"|\bwhat\s+(?:[\w'-]+\s+){0,2}(?:toll|tally|caseload)\b|\bwhat\s+(?:[\w'-]+\s+){0,2}" + _GAP_WORDS +
            r"|\bwhat\s+(?:quantity|amount|volume|distance|price|probability|chance|likelihood|projection)\b",
            re.I,
        ),
    ),
    # "What is the most affected department?"
    (
        "name",
        re.compile(
            r"\bwhat\s+(?:is|was|are|were)\s+the\s+(?:most|least|\w+est)\s+(?:\w+\s+)?(?:departments?|regions?"
            r"|provinces?|districts?|communes?|cit(?:y|ies)|countr(?:y|ies)|sectors?|clusters?|organi[sz]ations?"
            r"|agenc(?:y|ies)|areas?|partners?|diseases?)\b",
            re.I,
        ),
    ),
)


_BY_HOW_MUCH = re.compile(r"\bby\s+how\s+much\b", re.I)


def expected_kind(text: str) -> str:
    """The kind of answer the question wants.

    >>> [expected_kind(q) for q in ("How much funding was received?", "What share of cases were in Lima?",
    ...     "When was the outbreak declared?", "How long is the permit valid for?", "Who leads the cluster?",
    ...     "How many people were reached?", "Why did prices rise?")]
    ['money', 'percent', 'date', 'duration', 'name', 'count', 'text']
    """
    for kind, rx in _KIND_RULES:
        if rx.search(text):
            if kind == "howbig":
                return "money" if _MONEY_WORDS.search(text) else "count"
            if kind == "howmuch":
                if _MONEY_WORDS.search(text):
                    return "money"
                # "by how much did the price go up": a change, in percent or in the figure's own unit
                return "quantity" if _BY_HOW_MUCH.search(text) else "count"
            if kind == "quantity":
                return _refine_quantity(text)
            return kind
    # ReportQA is asked for figures: "what <measure> ..." and "how <adjective>" want one unless they
    # ask for a kind, a cause, a list or a description
    if _FIGURE_WANTED.search(text) and not _WORDS_WANTED.search(text):
        return _refine_quantity(text)
    return "text"


def _refine_quantity(text: str) -> str:
    """A figure question's kind when its words say more: a probability is a percent, a toll or a number
    of people a count, a price money; anything else a quantity with whatever unit the report gives."""
    if re.search(r"\b(?:probability|chance|likelihood|odds)\b", text, re.I):
        return "percent"
    if re.search(r"\bdeath\s+toll\b|\bnumber\s+of\b|\bcaseload\b|\btally\b|\bof\s+(?:people|persons"
                 r"|households|families|children|individuals|cases|deaths)\b", text, re.I):
        return "count"
    if _GAP.search(text) and not _CURRENCY.search(text):
        return "quantity"  # "what funding gap does the sub-cluster cite": in money or as a share (70%)
    if _MONEY_WORDS.search(text) or re.search(r"\b(?:price|sell|sold|cost|fetch)\b", text, re.I):
        return "money"
    return "quantity"


_GAP = re.compile(r"\b" + _GAP_WORDS, re.I)
_CURRENCY = re.compile(r"\b(?:money|usd|us\$|dollars?|euros?|chf|francs?)\b|\$|€", re.I)
_FIGURE_WANTED = re.compile(
    r"^\s*(?:\w+\s+){0,8}?what\s+(?!(?:is|was|are|were)\s+(?:the\s+)?(?:name|reason|cause|situation|status|purpose|"
    r"role|aim|goal|objective|focus|plan|main|key|current)\b)(?:[\w'-]+\s+){0,4}"
    r"(?:did|does|do|is|was|are|were|has|had|will|would)\b"
    r"|\bhow\s+(?:strong|high|low|far|big|large|fast|heavy|deep|severe|widespread|long|old)\b"
    # "what balance from the DREF (MDRJM004) was returned": a measure named, however far its verb
    r"|\bwhat\s+(?:[\w'-]+\s+){0,2}?(?:balance|amount|number|total|sum|budget|cost|price|value|figure|level|volume"
    r"|quantity|toll|count|size)\b",
    re.I)
_WORDS_WANTED = re.compile(
    r"\bwhat\s+(?:kind|type|types|sort|caused|causes|happened|measures|actions|activities|steps|challenges|needs|"
    r"risks|recommendations?|lessons?|services|items|sectors?|areas?|hazards?|factors?|support)\b"
    r"|\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?(?:main|key|major|primary)\b|\bdescribe\b|\bexplain\b|\bwhy\b"
    r"|\b(?:say|says|said|mention|mentions|tell|tells)\s+(?:about|on|of)\b",
    re.I)


_QUALIFIER = re.compile(
    r"\b(?:approximately|approx\.?|roughly|about|around|nearly|almost|at\s+least|at\s+most"
    r"|more\s+than|less\s+than|fewer\s+than|over|some|up\s+to)\s+how\s+(?:many|much)\b"
    r"|\b(?:approximately|roughly|estimated|estimate)\b",
    re.I,
)
