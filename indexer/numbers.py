"""Numbers as written -> values: find numerals (digits, words, scales, percents, currencies) in a line.

`find_numbers(line)` yields `Num` matches with offsets into the line; `parse_quantity(text)` turns
one written number into its value in base units. Context rules (dates, codes, footnotes) live in
`indexer.facts`; this module only knows what a number looks like.

>>> parse_quantity("1.043M")
1043000.0
>>> parse_quantity("148.6 M")
148600000.0
>>> parse_quantity("11,100"), parse_quantity("11 100"), parse_quantity("11.100")
(11100.0, 11100.0, 11100.0)
>>> parse_quantity("36%"), parse_quantity("20 per cent")
(36.0, 20.0)
>>> parse_quantity("two thousand"), parse_quantity("thirty-seven"), parse_quantity("Three")
(2000.0, 37.0, 3.0)
>>> parse_quantity("6.7 million"), parse_quantity("4,15,548 crore")
(6700000.0, 4155480000000.0)
>>> parse_quantity("two thirds")
0.6667
>>> parse_quantity("Camp") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry

ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "millones": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "k": 1e3,
}
FRACTIONS = {
    "half": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
    "fifth": 0.2,
    "fifths": 0.2,
    "tenth": 0.1,
    "tenths": 0.1,
}

_WORD = "|".join(sorted(list(ONES) + list(TENS), key=len, reverse=True))
_DIGIT_WORDS = "|".join(k for k in ONES if 0 < ONES[k] < 10)
_CARD = rf"(?:{'|'.join(TENS)})(?:[-\s](?:{_DIGIT_WORDS}))?\b|(?:{_WORD})\b"
_SCALE_WORDS = r"(?:hundred|thousand|millions?|millones|billion|trillion|lakhs?|crores?)\b"
_FRACTION = r"(?:(?:one|two|three|four|a)[-\s](?:half|thirds?|quarters?|fifths?|tenths?)|half)\b"

# Digits: Indian grouping, comma thousands, dot thousands with a decimal comma ("1.234,5"), space,
# thin-space and apostrophe thousands ("4 571", "4\u2009571", "1'234'567"), dot thousands (European),
# a decimal comma before a percent or a scale ("12,5%", "3,5 millones"), plain.
_SCALE_AHEAD = r"(?=\s?(?:%|per\s?cent|millions?\b|millones\b|billion|M\b|bn\b|mn\b))"
_DIGITS = (
    r"\d{1,3}(?:,\d{2})+,\d{3}(?![\d])"
    r"|\d{1,3}, 000(?![\d,.])"  # a thousands comma typed with a space: "300, 000 USD" (no list has a "000")
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])"
    r"|\d{1,3}(?:\.\d{3})+,\d+(?![\d])"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d,.]\d|\d)"
    r"|\d{1,3}(?:['’]\d{3})+(?![\d'’])"
    r"|\d{1,3}(?:\.\d{3}){2,}(?!\d)"
    rf"|\d+,\d{{1,2}}(?![\d,]){_SCALE_AHEAD}"
    r"|\d+(?:\.\d+)?"
)
_PERCENT = r"(?:[ \u00a0]?%|\s(?:per\s?cent|percent|pct)\b)"
# "B" is a billion only after decimals ("US$ 254.7B", "1.5 B"): after a whole number it is a figure's
# or a section's letter ("Fig 2B", "3B SECTORAL ANALYSIS")
_SUFFIX_SCALE = (
    r"(?:[ \u00a0]?(?:millions?|millones|billion|thousand|trillion|lakhs?|crores?)\b|\s?(?:M|bn|mn|mln|K)\b|(?:m|k)\b"
    r"|(?:(?<=\.\d)|(?<=\.\d\d)|(?<=\.\d\d\d))\s?B\b)"
)

NUMBER_RE = re.compile(
    rf"(?P<digits>(?<![\d.,]){_DIGITS}|(?<![\w])\.\d+)(?P<scale>{_SUFFIX_SCALE})?(?P<pct>{_PERCENT})?"
    rf"|(?<![\w-])(?P<frac>{_FRACTION})"
    rf"|(?<![\w-])(?P<words>(?:{_CARD}|a(?=\s(?:hundred|thousand|million|billion)\b))"
    rf"(?:[\s-](?:{_CARD}|{_SCALE_WORDS})|(?:(?<=hundred)|(?<=thousand))\sand(?=\s(?:{_CARD})))*)"
    rf"(?P<wpct>{_PERCENT})?",
    re.IGNORECASE,
)

CURRENCIES = {
    "US$": "USD",
    "USD": "USD",
    "US $": "USD",
    "$": "USD",
    "U.S. $": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "CHF": "CHF",
    "SYP": "SYP",
    "LBP": "LBP",
    "AFN": "AFN",
    "AFS": "AFN",
    "SSP": "SSP",
    "NGN": "NGN",
    "₦": "NGN",
    "BDT": "BDT",
    "Tk": "BDT",
    "INR": "INR",
    "Rs": "INR",
    "KES": "KES",
    "Kshs": "KES",
    "Kshs.": "KES",
    "Ksh": "KES",
    "Ksh.": "KES",
    "KSh": "KES",
    "ETB": "ETB",
    "SDG": "SDG",
    "YER": "YER",
    "COP": "COP",
    "PEN": "PEN",
    "S/": "PEN",
    "VES": "VES",
    "BRL": "BRL",
    "R$": "BRL",
    "TRY": "TRY",
    "IQD": "IQD",
    "JOD": "JOD",
    "EGP": "EGP",
    "XOF": "XOF",
    "XAF": "XAF",
    "UGX": "UGX",
    "TZS": "TZS",
    "MMK": "MMK",
    "PKR": "PKR",
    "UAH": "UAH",
    "HTG": "HTG",
    "CAD": "CAD",
    "AUD": "AUD",
    "CA$": "CAD",
    "A$": "AUD",
}
# every other ISO 4217 code (pycountry's list) but those that are also words or acronyms in reports ("ALL 4
# provinces", "SAR teams", "TOP 10", "SHP files") and the codes of funds, metals and tests
_NOT_CURRENCY = frozenset("""ALL BAM BOB BOV CHE CHW CLF COU CUP DOP GEL HNL MAD MDL MOP MXV NAD PAB PLN RON SAR SHP
SOS TMT TOP TTD USN UYI UYW XAD XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX""".split())
CURRENCIES.update({c.alpha_3: c.alpha_3 for c in pycountry.currencies
                   if c.alpha_3 not in _NOT_CURRENCY and c.alpha_3 not in CURRENCIES})
_CUR_ALT = "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
# A currency written just before the number ("USD 6.7 million", "$148.6 M", "US$ 4 million", "Tk4,15").
CURRENCY_BEFORE_RE = re.compile(rf"(?<![A-Za-z])(?P<cur>{_CUR_ALT})(?:\\?\s?|\s*[*_]*\s*)$")
# ...or just after it ("5 million USD", "300 euros"): every ISO code the table knows, and currency words
CURRENCY_AFTER_RE = re.compile(
    rf"^\s?(?P<cur>{'|'.join(sorted({c for c in CURRENCIES if re.fullmatch('[A-Z]{3}', c)}, key=len, reverse=True))}"
    r"|US\$|euros?|dollars?)(?![\w$])")


@dataclass(frozen=True)
class Num:
    """One written number: offsets into the line, its value, and how it was written."""

    start: int
    end: int
    value: float
    percent: bool
    words: bool  # written in words ("three", "two thousand")
    fraction: bool  # "half", "two thirds"
    scaled: bool  # carries a scale ("million", "M", "k")


def find_numbers(line: str, decimal_comma: bool = False) -> list[Num]:
    """Every number-looking span in `line`; `decimal_comma` says the text writes decimals with a comma
    (see `decimal_comma`), so "3,500" is three and a half there.

    >>> [n.value for n in find_numbers("Treatment571, 12,5% and 1'234'567")]
    [571.0, 12.5, 1234567.0]
    >>> [n.value for n in find_numbers("3,500 y 1.250", decimal_comma=True)]
    [3.5, 1250.0]
    """
    out = []
    for m in NUMBER_RE.finditer(line):
        text = m.group(0)
        # a trailing space thousands group must not swallow the next number in a list ("in 12 100 people"
        # is rare; "2 757" is common), so only digits groups are kept as matched
        value = parse_quantity(text, decimal_comma)
        if value is None:
            continue
        out.append(
            Num(
                start=m.start(),
                end=m.end(),
                value=value,
                percent=bool(m.group("pct") or m.group("wpct")),
                words=bool(m.group("words") or m.group("frac")),
                fraction=bool(m.group("frac")),
                scaled=bool(m.group("scale")) or bool(re.search(_SCALE_WORDS, text, re.I)),
            )
        )
    return out


_PCT_TAIL = re.compile(rf"{_PERCENT}$", re.IGNORECASE)


def parse_quantity(text: str, decimal_comma: bool = False) -> float | None:
    """Value of one written number in base units (percents stay 0-100), or None.

    >>> parse_quantity("1.234,56"), parse_quantity("12,5 %"), parse_quantity("1’234"), parse_quantity("4\u2009571")
    (1234.56, 12.5, 1234.0, 4571.0)
    >>> parse_quantity("3,500"), parse_quantity("3,500", True), parse_quantity("2.125", True)
    (3500.0, 3.5, 2125.0)
    """
    t = _PCT_TAIL.sub("", text.strip()).strip()
    if not t:
        return None
    m = re.fullmatch(rf"(?P<d>{_DIGITS}|\d+,\d{{1,2}}|\.\d+)\s?(?P<s>[A-Za-z]+)?", t)
    if m:
        value = _digits_value(m.group("d"), scaled=bool(m.group("s")), decimal_comma=decimal_comma)
        if m.group("s"):
            scale = SCALES.get(m.group("s").lower())
            if scale is None:
                return None
            value *= scale
        return round(value, 6)
    return _words_value(t)


def _digits_value(d: str, scaled: bool, decimal_comma: bool = False) -> float:
    d = re.sub(r"[\u00a0\u202f\u2009'’]", " ", d)
    if d.endswith(", 000"):
        return float(d.replace(", ", ""))
    if " " in d:
        return float(d.replace(" ", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2}", d) or decimal_comma and re.fullmatch(r"\d+,\d+", d):
        return float(d.replace(".", "").replace(",", "."))  # "1.234,5", "12,5" (before % or a scale)
    if decimal_comma and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", d):
        return float(d.replace(".", ""))  # dot thousands where the comma is the decimal mark
    if "," in d:
        return float(d.replace(",", ""))
    # "11.100" is European thousands; "1.043M" / "3.500 million" / "2.125" after a scale stay decimal
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", d) or (
        re.fullmatch(r"\d{1,3}\.\d{3}", d) and not scaled and not d.startswith("0")
    ):
        return float(d.replace(".", ""))
    return float(d)


def _words_value(t: str) -> float | None:
    words = re.split(r"[\s-]+", t.lower())
    if words and words[-1] in FRACTIONS:
        head = words[:-1]
        n = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}.get(head[0], None) if head else 1
        return None if n is None else round(n * FRACTIONS[words[-1]], 4)
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w in ("and",):
            continue
        if w == "a":
            current = 1
        elif w in ONES:
            current += ONES[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES and SCALES[w] >= 1e3:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


_COMMA_DECIMALS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+,\d+(?![\d.,])|(?<![\d.,])\d+,\d{1,2}(?![\d.,])")
_POINT_DECIMALS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d+(?![\d.,])|(?<![\d.,])\d+\.\d{1,2}(?![\d.,])")


def decimal_comma(text: str) -> bool:
    """Whether a text writes decimals with a comma: forms only a decimal comma explains ("1.234,5",
    "12,5") at least twice, and none only a decimal point explains ("1,234.5", "12.5"). Then an
    ambiguous "3,500" is three and a half, and "1.250" twelve hundred and fifty.

    >>> decimal_comma("La tasa fue 12,5% y 3,75 por mil; 3,500 casos."), decimal_comma("12.5% of 3,500 cases, 1,2")
    (True, False)
    """
    commas = len(_COMMA_DECIMALS.findall(text))
    return commas >= 2 and not _POINT_DECIMALS.search(text)
