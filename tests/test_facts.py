"""Numeric fact extraction: number forms, qualifiers, units, exclusions, key figures, tables."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from indexer import facts as facts_mod
from indexer import numbers
from indexer.clause import clause
from indexer.facts import extract, extract_file, extract_pages, fact_to_json
from indexer.records import Page

PERU = Path(__file__).resolve().parent.parent / "corpus" / "r4v-peru-2020-10.txt"


def only(text: str):
    found = extract(text)
    assert len(found) == 1, [f.text for f in found]
    return found[0]


# (sentence, number text, value, value_max, qualifier, unit, unit_norm)
EXAMPLES = [
    pytest.param("Partners reached 11,100 persons.", "11,100", 11100, None, None, "persons", "people", id="comma"),
    pytest.param("Partners reached 11 100 persons.", "11 100", 11100, None, None, "persons", "people", id="space"),
    pytest.param("WHO pledged to support 300, 000 USD for the response.", "300, 000", 300000, None, None, "USD", "USD",
                 id="comma-space-thousands"),
    pytest.param(
        "Partners reached 11.100 persons.",
        "11.100",
        11100,
        None,
        None,
        "persons",
        "people",
        id="european-dot",
    ),
    pytest.param("The rate was 3.5 on average.", "3.5", 3.5, None, None, None, "", id="decimal"),
    pytest.param("1.043M", "1.043M", 1043000, None, None, None, "", id="M-suffix"),
    pytest.param("They got US$ 4 million.", "4 million", 4e6, None, None, "US$", "USD", id="US$-million"),
    pytest.param("They got USD 6.7 million.", "6.7 million", 6.7e6, None, None, "USD", "USD", id="USD-million"),
    pytest.param("A fee of 65 USD was levied.", "65", 65, None, None, "USD", "USD", id="USD-after"),
    pytest.param("It cost $2,064 in total.", "2,064", 2064, None, None, "$", "USD", id="dollar-sign"),
    pytest.param("Some 36% of them.", "36%", 36, None, "Some", None, "percent", id="percent-sign"),
    pytest.param(
        "Almost 80 per cent of the survivors.",
        "80 per cent",
        80,
        None,
        "Almost",
        "survivors",
        "percent",
        id="per-cent",
    ),
    pytest.param("About 53 percent were women.", "53 percent", 53, None, "About", "women", "percent", id="percent"),
    pytest.param("a 60 per cent increase since", "60 per cent", 60, None, None, None, "percent", id="pct-change-noun"),
    pytest.param("a decrease of 20% in income", "20%", 20, None, None, None, "percent", id="pct-of-change"),
    pytest.param("followed by water trucks (6%).", "6%", 6, None, None, None, "percent", id="paren-pct-list-item"),
    pytest.param("wells and boreholes (3%) are common", "3%", 3, None, None, None, "percent", id="paren-pct-and-item"),
    pytest.param("the lack of doctors (70.2%) and", "70.2%", 70.2, None, None, None, "percent", id="paren-pct-lack-of"),
    pytest.param(
        "SAM cases in Nigeria decreased by 16 percent",
        "16 percent",
        16,
        None,
        None,
        None,
        "percent",
        id="pct-subject-not-place",
    ),
    pytest.param(
        "We saw two thousand families.",
        "two thousand",
        2000,
        None,
        None,
        "families",
        "households",
        id="words-thousand",
    ),
    pytest.param("Three schools were damaged.", "Three", 3, None, None, "schools", "schools", id="word"),
    pytest.param(
        "Thirty-seven new cases were reported.",
        "Thirty-seven",
        37,
        None,
        None,
        "new cases",
        "cases",
        id="hyphen-words",
    ),
    pytest.param("We need 10 to 20 trucks.", "10 to 20", 10, 20, None, "trucks", "", id="range-to"),
    pytest.param("A household has 4 – 8 members.", "4 – 8", 4, 8, None, "members", "", id="range-dash"),
    pytest.param(
        "between 25 and 50 per cent of children",
        "25 and 50 per cent",
        25,
        50,
        "between",
        "children",
        "percent",
        id="range-between",
    ),
    pytest.param("Over 320 received training.", "320", 320, None, "Over", None, "", id="over-no-unit"),
    pytest.param(
        "More than 14,000 persons were supported.",
        "14,000",
        14000,
        None,
        "More than",
        "persons",
        "people",
        id="more-than",
    ),
    pytest.param(
        "Up to 300 tonnes of food.", "300", 300, None, "Up to", "tonnes of food", "tonnes", id="up-to-measure-of"
    ),
    pytest.param(
        "At least seven civilians were killed.",
        "seven",
        7,
        None,
        "At least",
        "civilians",
        "people",
        id="at-least",
    ),
    pytest.param(
        "An estimated 220 improvised shelters.",
        "220",
        220,
        None,
        "estimated",
        "improvised shelters",
        "shelters",
        id="estimated",
    ),
    pytest.param(
        "They assisted approximately 15.9 million people.",
        "15.9 million",
        15.9e6,
        None,
        "approximately",
        "people",
        "people",
        id="approximately-million",
    ),
    pytest.param(
        "There were nearly $8.8 million in funding.",
        "8.8 million",
        8.8e6,
        None,
        "nearly",
        "$",
        "USD",
        id="qualifier-before-currency",
    ),
    pytest.param("A site 40km south of the town.", "40", 40, None, None, "km", "km", id="glued-km"),
    pytest.param(
        "Partners distributed 30,000 hot and cold meals.",
        "30,000",
        30000,
        None,
        None,
        "hot and cold meals",
        "meals",
        id="and-in-unit",
    ),
    pytest.param(
        "2,140 persons received hygiene kits.",
        "2,140",
        2140,
        None,
        None,
        "persons",
        "people",
        id="verb-ends-unit",
    ),
    pytest.param(
        "It hosts 1.8 million internally displaced people.",
        "1.8 million",
        1.8e6,
        None,
        None,
        "internally displaced people",
        "people",
        id="adverb-participle",
    ),
]


@pytest.mark.parametrize("sentence, text, value, value_max, qualifier, unit, unit_norm", EXAMPLES)
def test_examples(sentence, text, value, value_max, qualifier, unit, unit_norm):
    f = only(sentence)
    assert sentence[f.start : f.end] == f.text == text
    assert f.value == pytest.approx(value)
    assert f.value_max == value_max
    assert (f.qualifier.text if f.qualifier else None) == qualifier
    assert (f.unit.text if f.unit else None) == unit
    assert f.unit_norm == unit_norm
    for span in (f.qualifier, f.unit):
        if span is not None:
            assert sentence[span.start : span.end] == span.text


NOT_FACTS = [
    pytest.param("On 22 October the ministry met.", id="day-month"),
    pytest.param("The plan for October 2020 is out.", id="month-year"),
    pytest.param("As of June 30, nothing changed.", id="month-day"),
    pytest.param("In 2019, the MIMP reported calls.", id="year"),
    pytest.param("The Ministry published Decree 010-2020-IN yesterday.", id="decree"),
    pytest.param("They took refuge in Lima1, the capital.", id="glued-footnote"),
    pytest.param("This is Flash Update No.5 on the floods.", id="report-number"),
    pytest.param("This is SitRep #7 on the floods.", id="sitrep-number"),
    pytest.param("Families moved to Camp 3 last week.", id="camp-3"),
    pytest.param("The COVID-19 emergency goes on.", id="covid-19"),
    pytest.param("Call the hotline on +51 1 234 5678 today.", id="phone"),
    pytest.param("The meeting starts at 10:30 in Lima.", id="time"),
    pytest.param("See https://example.org/report-2020/page/12 for details.", id="url"),
    pytest.param("The permit expires.2 This is new.", id="footnote-after-period"),
    pytest.param("Report dated 22/10/2020 was shared.", id="numeric-date"),
    pytest.param("It happened on the 22nd of the month.", id="ordinal"),
    pytest.param("Screening of children aged 6-59 months began.", id="age-range"),
    pytest.param("It reached children under five in the camps.", id="age-under"),
    pytest.param("Girls married before the age of 18 drop out.", id="age-of"),
    pytest.param("A four-year-old was injured.", id="year-old"),
    pytest.param("Members (18 years and above) were trained.", id="years-and-above"),
    pytest.param("On 26, 27 and 28 July, airstrikes hit the port.", id="day-list"),
    pytest.param("Cases seen from 1 to 31 July were reviewed.", id="day-to-day"),
    pytest.param("[September 10-23, NWS] curbing transmission", id="month-day-range"),
    pytest.param("The fire affected Camps 8W, 9, 10 and 8E in Ukhia.", id="camp-list"),
    pytest.param("Schools in grades 2 and 4 were assessed.", id="grade-list"),
    pytest.param("Prices are above quarter 1 2020 prices.", id="quarter"),
    pytest.param("The rate has been stable since 2009.7 Furthermore, it fell.", id="footnote-after-year"),
    pytest.param("It was the only access,21 and it closed.", id="footnote-after-comma"),
]


@pytest.mark.parametrize("sentence", NOT_FACTS)
def test_not_facts(sentence):
    assert [f.text for f in extract(sentence)] == []


# (sentence, expected fact texts): regressions found on the quantities benchmark
BUGS_CAUGHT = [
    pytest.param("occurrence of COVID- 19, outlined that 3.28 million people", ["3.28 million"], id="covid-space"),
    pytest.param("4.1 In the reporting period, 37 cases were seen.", ["37"], id="section-number"),
    pytest.param("4 LASSA FEVER outbreak", [], id="heading-number"),
    pytest.param("[7-13 December 2020, Cox's Bazar] In 2020, 20 cases.", ["20"], id="day-range"),
    pytest.param("There were 2.1 beds per 1,000 population.", ["2.1"], id="per-base"),
    pytest.param("2B: SETTLEMENT CLASSIFICATION of 80 sites", ["80"], id="not-billion"),
    pytest.param("As of June 30, 167,618 confirmed cases.", ["167,618"], id="after-month-day"),
    pytest.param("It brought in US$ 1.4 billion.149 With this", ["1.4 billion"], id="footnote-after-scale"),
    pytest.param("Expenditure stood at Tk4,15,548 crore.", ["4,15,548 crore"], id="glued-currency-indian"),
    pytest.param("Kilo 10, Kilo 16 and the airport", [], id="names-in-list"),
    pytest.param("a small packet costs 30SSP today", ["30"], id="glued-currency-after"),
    pytest.param("the WHO safety limit (15µg/m³) across", ["15"], id="glued-non-ascii-unit"),
    pytest.param("ranked 1º in the region", [], id="glued-non-ascii-ordinal"),
    pytest.param("Twenty (20) cases from Damaturu", ["Twenty (20)"], id="words-restated-in-digits"),
    pytest.param("Sixty-five per cent (65%) of caregivers", ["Sixty-five per cent", "65%"], id="percent-restated"),
    pytest.param("12 from camp 3, 3 from camp 4, 2 in camp 5", ["12", "3", "2"], id="counts-per-camp"),
    pytest.param("2.2 million children aged 6-59 months", ["2.2 million"], id="count-before-age"),
]


@pytest.mark.parametrize("sentence, texts", BUGS_CAUGHT)
def test_bugs_caught(sentence, texts):
    assert [f.text for f in extract(sentence)] == texts


def test_indian_grouping_value():
    assert only("Expenditure stood at Tk4,15,548 crore.").value == 4155480000000


UNITS = [  # (sentence, number text, unit text)
    pytest.param("prices reached SYP 1,983/kg in March", "1,983", "/kg", id="rate-slash"),
    pytest.param("prices reached 166 SYP per pack in May", "166", "SYP per pack", id="currency-per"),
    pytest.param("the majority of households (75 per cent) are poor", "75 per cent", "households", id="paren-pct"),
    pytest.param("at the end of a 10-day visit", "10", "day", id="hyphen-unit"),
    pytest.param("a site 120 km east of Tripoli", "120", "km", id="measure-alone"),
    pytest.param("119 Medical Officer of Health (MOH) areas were identified as high-risk", "119",
                 "Medical Officer of Health (MOH) areas", id="acronym-then-noun"),
    pytest.param("they received 60kg of rice and oil", "60", "kg of rice", id="measure-of"),
    pytest.param("there were 2.1 beds per 1,000 population", "2.1", "beds per 1,000 population", id="per-base"),
    pytest.param(
        "It hosts 300 internally displaced persons (IDPs) now",
        "300",
        "internally displaced persons (IDPs)",
        id="acronym",
    ),
    pytest.param("more than 23,000 people1 requested asylum", "23,000", "people", id="footnote-on-unit"),
    pytest.param("60 per cent of surveyed households", "60 per cent", "surveyed households", id="surveyed"),
    pytest.param("among returnees’ households (59 percent)", "59 percent", "returnees’ households", id="paren-pct-np"),
    pytest.param("65 patients were referred, 50 were discharged", "50", "patients", id="elided-noun"),
    pytest.param("Over 11,900 houses were flooded, 176 destroyed, and 4,257 damaged.", "176", "houses",
                 id="what-befell-one-noun"),
    pytest.param(
        "Juba (91 percent of households), Akobo (96 percent)",
        "96 percent",
        "households",
        id="pct-list-inherits",
    ),
    pytest.param(
        "Some 1,756 individuals were rescued in May, 1,463 in April",
        "1,463",
        "individuals",
        id="list-inherits",
    ),
    pytest.param(
        "1,420 cases of severe acute malnutrition were reported",
        "1,420",
        "cases of severe acute malnutrition",
        id="noun-of-noun",
    ),
    pytest.param("16 states of the country", "16", "states", id="of-the-not-unit"),
    pytest.param("another 104 and 85 dengue patients were admitted", "104", "dengue patients", id="list-shares-last"),
    pytest.param("(AFN 105, 100 and 98 per kg, respectively)", "105", "per kg", id="list-shares-rate"),
    pytest.param("beds in LAC is 2.1 per 1,000 population", "2.1", "per 1,000 population", id="bare-rate"),
    pytest.param("salaries above 500 US$ would", "500", "US$", id="US$-after"),
    pytest.param("most common among returnees (76 percent)", "76 percent", "returnees", id="paren-pct-among"),
    pytest.param(
        "among returnees (41 percent) and residents (37 percent).", "37 percent", "residents", id="paren-pct-and-share"
    ),
    pytest.param("and eight deaths (CFR, 4.62%) from", "4.62%", "CFR", id="rate-name-in-bracket"),
    pytest.param("Of the reported cases, 159 were from Bama.", "159", "cases", id="whole-first"),
    pytest.param("As of today, 28,000 of the 36,000 people displaced", "28,000", "people", id="part-of-whole"),
    pytest.param("in 70 per cent (up from 68%) of sites where", "70 per cent", "sites", id="pct-aside-of"),
    pytest.param(
        "of these 35 per cent are unaccompanied children.", "35 per cent", "unaccompanied children", id="pct-are"
    ),
    pytest.param(
        "849,900 children under the age of five face", "849,900", "children under the age of five", id="age-tail"
    ),
    pytest.param("screened 189 boys and girls aged 6-59 months", "189", "boys and girls aged 6-59 months", id="aged"),
    pytest.param("for 360 children of 6-59 months.", "360", "children of 6-59 months", id="of-age"),
    pytest.param("included 8 children at risk, 5 people", "8", "children at risk", id="at-risk"),
    pytest.param(
        "this constitutes 53 per cent of the total population", "53 per cent", "total population", id="of-total"
    ),
    pytest.param("bread prices rose to SYP 2,320/kg (up 66 percent m-o-m)", "66 percent", "m-o-m", id="pct-period"),
    pytest.param("The average price decreased by 0.1% compared to", "0.1%", "average price", id="pct-subject"),
    pytest.param(
        "with a total test positivity rate of 24.0%.", "24.0%", "total test positivity rate", id="pct-rate-of"
    ),
    pytest.param(
        "The number of people receiving health services has risen by 50 per cent",
        "50 per cent",
        "people receiving health services",
        id="pct-number-of",
    ),
]


@pytest.mark.parametrize("sentence, text, unit", UNITS)
def test_units(sentence, text, unit):
    [f] = [f for f in extract(sentence) if f.text == text]
    assert f.unit is not None and f.unit.text == unit == sentence[f.unit.start : f.unit.end]


MEALS = "Partners distributed 30,000 hot and cold meals to daily support 1,700 highly vulnerable refugees."
CALLS = "October 2020 saw a decrease in calls from almost 25,000 in September to some 19,000."

# (sentence, number text, words the label must contain, words it must not): the label says what is
# counted from the number's own clause, with the predicate before or after it, never the next number
LABELS = [
    pytest.param("People Vaccinated with OCV48,242 Cholera Cases Identified and Received Appropriate Treatment571 "
                 "Children dewormed", "48,242", ["Vaccinated with OCV"], ["Cholera"], id="glued-to-its-label"),
    pytest.param(MEALS, "30,000", ["hot and cold meals", "distributed"], ["1,700", "refugees"], id="stops-at-next"),
    pytest.param(MEALS, "1,700", ["highly vulnerable refugees"], ["30,000", "meals"], id="after-previous"),
    pytest.param(
        "Some 100 persons, including host community, benefited from Cash-Based Interventions (CBI) for livelihoods.",
        "100",
        ["persons benefited from Cash-Based Interventions (CBI) for livelihoods"],
        ["including"],
        id="over-aside",
    ),
    pytest.param(
        "The GTRM assisted almost 5,000 refugees and migrants with general protection orientations.",
        "5,000",
        ["assisted refugees and migrants with general protection orientations"],
        ["almost"],
        id="object-and-predicate",
    ),
    pytest.param(
        "The GTRM provided primary health assistance to almost 10,000 persons from the host community.",
        "10,000",
        ["provided primary health assistance to persons"],
        ["almost", "10,000"],
        id="predicate-before",
    ),
    pytest.param(CALLS, "25,000", ["calls", "September"], ["19,000", "from"], id="from-to-first"),
    pytest.param(CALLS, "19,000", ["calls"], ["September", "25,000"], id="from-to-second"),
    pytest.param(
        "Over 300 persons had access to nourishment through 10 soup-kitchens and more than 18,000 received"
        " conditioned CBI.",
        "18,000",
        ["received conditioned CBI"],
        ["soup-kitchens", "more than"],
        id="and-more-than",
    ),
    pytest.param(
        "Partners finalized the homologation of over 30 academic degrees and provided support to 180 public servants.",
        "30",
        ["homologation of academic degrees"],
        ["provided", "180"],
        id="and-new-predicate",
    ),
    pytest.param(
        "Some 1,756 individuals were rescued in May, 1,463 in April.",
        "1,463",
        ["individuals in April"],
        ["May"],
        id="inherited-unit",
    ),
    pytest.param("the vast majority (98 percent) came by", "98 percent", ["vast majority"], [], id="bracket"),
    pytest.param("- At least 3 dead, one in Sud-Est", "3", ["dead"], ["-"], id="list-mark"),
]


@pytest.mark.parametrize("sentence, text, contains, excludes", LABELS)
def test_labels(sentence, text, contains, excludes):
    [f] = [f for f in extract(sentence) if f.text == text]
    assert len(f.label.split()) <= 14, f.label
    for words in contains:
        assert words in f.label, f.label
    for words in excludes:  # whole words: "-" may not be a word of the label, "Sud-Est" may
        assert f" {words} " not in f" {f.label} ", f.label


def test_range_and_ratio_parts():
    [r] = extract("A household has 4 – 8 members.")
    assert [p.text for p in r.extra["parts"]] == ["4", "8"]
    nine, ten = extract("where 9 in 10 households ate poorly")
    assert nine.extra["ratio"].text == "9 in 10" and nine.unit.text == ten.unit.text == "households"


XFAIL = [
    pytest.param(
        "It is more than twice the number.",
        "twice",
        id="multiplier-word",
        marks=pytest.mark.xfail(strict=True, reason="multipliers (twice, double) are not numbers yet"),
    ),
    pytest.param(
        "Prices rose in the second week.",
        "second",
        id="ordinal-word",
        marks=pytest.mark.xfail(strict=True, reason="ordinal words are never extracted"),
    ),
]


@pytest.mark.parametrize("sentence, text", XFAIL)
def test_known_gaps(sentence, text):
    assert only(sentence).text == text


# --- the Peru report ----------------------------------------------------------------------------


def blank_markdown(text: str) -> str:
    """What the parser does to markdown: marks become spaces, so offsets keep."""
    return text.replace("**", "  ").replace("\\$", " $")


@pytest.fixture(scope="module", params=["raw", "blanked"])
def peru(request):
    text = PERU.read_text(encoding="utf-8")
    if request.param == "blanked":
        text = blank_markdown(text)
    return text, extract(text, report=PERU.name)


def find(found, text, start_after=0):
    for f in found:
        if f.text == text and f.start >= start_after:
            return f
    raise AssertionError(f"no fact {text!r}")


def test_peru_offsets(peru):
    text, found = peru
    for f in found:
        assert text[f.start : f.end] == f.text
        assert text[f.sentence_start : f.sentence_start + len(f.sentence)] == f.sentence  # verbatim
        assert f.report == PERU.name
        for span in (f.qualifier, f.unit):
            if span is not None:
                assert text[span.start : span.end] == span.text


def cell(found, row, col):
    hits = [f for f in found if f.kind == "table_cell" and f.row_header == row and f.col_header == col]
    return hits


def test_peru_table(peru):
    _, found = peru
    [health] = cell(found, "RMRP", "Health")
    assert health.value == 11390 and health.sector == "Health" and "people reached" in health.label
    assert "Health" in health.label and "RMRP" in health.label
    [food] = cell(found, "NO RMRP", "Food Security")
    assert food.value == 23111 and food.sector == "Food Security"
    assert cell(found, "RMRP", "Nutrition") == []  # "-" is no value, not zero
    [edu] = cell(found, "RMRP", "Education")
    assert edu.value == 902  # the merged "RMRP 902" cell
    [cbi] = cell(found, "NO RMRP", "CBI")
    assert cbi.value == 885


def test_peru_key_figures(peru):
    _, found = peru
    kf = {f.text: f for f in found if f.kind == "key_figure"}
    assert kf["1.043M"].value == 1043000 and "REFUGEES AND MIGRANTS IN PERU" in kf["1.043M"].label
    assert kf["54,000"].value == 54000
    assert kf["148.6 M"].value == 148600000 and kf["148.6 M"].unit_norm == "USD"
    assert kf["36%"].value == 36 and kf["36%"].unit_norm == "percent"
    assert kf["54M"].value == 54000000 and kf["54M"].unit_norm == "USD"


@pytest.mark.parametrize("box, expected", [
    # the label below the figure, under a box title
    ("KEY FIGURES\n\n250,000\nREFUGEES AND MIGRANTS IN TESTLAND\n\n1.2M\npeople in need\n",
     {"250,000": "REFUGEES AND MIGRANTS IN TESTLAND", "1.2M": "people in need"}),
    ("Haiti\n\nKEY FIGURES\n12,500\npeople displaced\n3,400\nhygiene kits distributed\n",
     {"12,500": "people displaced", "3,400": "hygiene kits distributed"}),
    # the label above: a heading right before the figure, and the next line opens something else
    ("REFUGEES AND\nMIGRANTS IN PERU\n1.043M\n\n\nPEOPLE REACHED\n54,000\n",
     {"1.043M": "REFUGEES AND MIGRANTS IN PERU", "54,000": "PEOPLE REACHED"}),
    ("DISPLACED\n12,500\nPartners are responding in Sofala.\n", {"12,500": "DISPLACED"}),
])
def test_key_figure_labels_above_or_below(box, expected):
    got = {f.text: f.label for f in extract_pages([Page(1, box)], report="r") if f.kind == "key_figure"}
    assert got == expected


# (number text, value, qualifier, unit, label contains, sector)
PERU_PROSE = [
    ("200,000", 200000, "over", "calls", "calls", ""),
    ("5,000", 5000, "almost", "refugees and migrants", "general protection orientations", "Protection"),
    ("2,140", 2140, None, "persons", "persons received hygiene kits", "WASH"),
    ("320", 320, "Over", None, "received training", "Integration"),
    ("30,000", 30000, None, "hot and cold meals", "hot and cold meals", "Food Security"),
    ("80 per cent", 80, "Almost", "survivors of violence", "survivors of violence", ""),
    ("500,000", 500000, "almost", "asylum-seekers", "asylum-seekers", ""),
    ("170", 170, "some", "Venezuelan survivors of GBV", "survivors", "GBV"),
    ("14,000", 14000, "more than", "persons", "multisectoral CBI", "CBI / Cash"),
    ("1 million", 1e6, "almost", "USD", "", ""),
    ("11,100", 11100, "Over", "persons", "food kits", "Food Security"),
    ("10,000", 10000, "almost", "persons", "persons", "Health"),
    ("370", 370, None, "refugee and migrant students", "students", "Education"),
]


@pytest.mark.parametrize("text, value, qualifier, unit, label, sector", PERU_PROSE, ids=[p[0] for p in PERU_PROSE])
def test_peru_prose(peru, text, value, qualifier, unit, label, sector):
    _, found = peru
    f = find([f for f in found if f.kind == "prose"], text)
    assert f.value == value
    assert (f.qualifier.text if f.qualifier else None) == qualifier
    assert (f.unit.text if f.unit else None) == unit
    assert label in f.label
    if sector:
        assert f.sector == sector


PERU_NOT_FACTS = [
    "On 22 October",
    "Decree 010-2020-IN",
    "January and October 2020",
    "same period in 2019",
    "COVID-19",
    "Línea 100",
    "Decree 10-2020-IN",
    "prior to 22 October 2020",
]


@pytest.mark.parametrize("phrase", PERU_NOT_FACTS)
def test_peru_exclusions(peru, phrase):
    text, found = peru
    at = text.index(phrase)
    assert [f.text for f in found if at <= f.start < at + len(phrase)] == []


# --- API ----------------------------------------------------------------------------------------


def test_fact_to_json_offsets():
    f = only("Almost 80 per cent of the survivors.")
    j = fact_to_json(f, offset=100)
    assert j["start"] == f.start + 100 and j["qualifier"]["start"] == f.qualifier.start + 100
    assert set(j) == {
        "value",
        "value_max",
        "text",
        "start",
        "end",
        "qualifier",
        "unit",
        "unit_norm",
        "label",
        "sentence",
        "heading",
        "sector",
        "kind",
        "row_header",
        "col_header",
        "page",
        "report",
    }


FLOOD = "Heavy rains caused flooding. Over 12,500 people were displaced by the floods and\n1,150 houses were destroyed."

# (page text, number text, its sentence, words its label must contain): a newline inside a paragraph
# (text files keep the writer's hard wraps) reads as a space
SOFT_BREAKS = [
    pytest.param(FLOOD, "12,500", FLOOD[29:], "displaced by the floods", id="wrap-before-number"),
    pytest.param(FLOOD, "1,150", FLOOD[29:], "houses were destroyed", id="number-opens-line"),
    pytest.param(
        "Over 300 people were\ndisplaced by the floods.",
        "300",
        "Over 300 people were\ndisplaced by the floods.",
        "people were displaced by the floods",
        id="label-across-wrap",
    ),
    pytest.param(
        "- Over 300 people were\n  displaced by the floods.\n- 200 houses",
        "300",
        "- Over 300 people were\n  displaced by the floods.",
        "displaced",
        id="wrapped-list-item",
    ),
]

# (page text, number text, its sentence): newlines that do end the sentence
HARD_BREAKS = [
    pytest.param("The floods hit Lima.\n300 people fled.", "300", "300 people fled.", id="sentence-end"),
    pytest.param("- 300 people fled\n- 200 houses were lost", "300", "- 300 people fled", id="list-items"),
    pytest.param("Displacement\n300 people fled.", "300", "300 people fled.", id="after-heading"),
    pytest.param("Needs include:\nwater for 300 people", "300", "water for 300 people", id="after-colon"),
    pytest.param("Floods hit the north\n1. 300 people fled", "300", "1. 300 people fled", id="numbered-item"),
]


@pytest.mark.parametrize("text, number, sentence, label", SOFT_BREAKS)
def test_soft_line_breaks(text, number, sentence, label):
    [f] = [f for f in extract(text) if f.text == number]
    assert f.sentence == sentence == text[f.sentence_start : f.sentence_start + len(f.sentence)]
    assert label in f.label and "\n" not in f.label


@pytest.mark.parametrize("text, number, sentence", HARD_BREAKS)
def test_hard_line_breaks(text, number, sentence):
    [f] = [f for f in extract(text) if f.text == number]
    assert f.sentence == sentence == text[f.sentence_start : f.sentence_start + len(f.sentence)]


def test_extract_pages_carries_heading():
    pages = [Page(1, "HEALTH\n\nThe clinic saw 300 patients."), Page(2, "Another 200 patients came.")]
    found = extract_pages(pages, report="r.txt")
    assert [(f.page, f.heading, f.sector) for f in found] == [
        (1, "HEALTH", "Health"),
        (2, "HEALTH", "Health"),
    ]


def test_extract_file_txt(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("Situation\n\nOver 1,000 individuals were displaced.\n", encoding="utf-8")
    [j] = extract_file(p)
    assert j["text"] == "1,000" and j["report"] == "r.txt" and j["heading"] == "Situation"


def test_extract_file_offsets_into_original_file():
    raw = PERU.read_text(encoding="utf-8")
    rows = extract_file(PERU)
    assert rows and all(raw[r["start"] : r["end"]] == r["text"] for r in rows)
    kinds = {r["text"]: r["kind"] for r in rows}
    assert kinds["1.043M"] == kinds["54M"] == kinds["148.6 M"] == "key_figure"


def test_misaligned_table_row_falls_back_to_prose():
    text = "\tReached\tTarget\nHealth\t1,200\t3,000\t4,000\n"
    found = extract(text)
    assert found and all(f.kind == "prose" and not f.col_header for f in found)


def test_space_separated_table():
    text = "Sector    Reached    Target\nHealth    1,200    3,000\nWASH    500    -\n"
    found = {(f.row_header, f.col_header): f.value for f in extract(text) if f.kind == "table_cell"}
    assert found == {("Health", "Reached"): 1200, ("Health", "Target"): 3000, ("WASH", "Reached"): 500}


@pytest.mark.parametrize("module", [numbers, facts_mod], ids=["numbers", "facts"])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("line, label, value", [
    ("People in shelters*: 15 155", "People in shelters", 15155),
    ("Deaths: 43", "Deaths", 43),
    ("People Targeted: 573,000", "People Targeted", 573000),
])
def test_a_label_and_a_colon_make_a_key_figure(line, label, value):
    [f] = extract_pages([Page(1, line)], report="r")
    assert (f.label, f.value, f.kind) == (label, value, "key_figure")


def test_footnote_marks_after_a_key_figure_are_not_figures():
    """"4.1 million Total people affected 1" ... "1 Source": the 1 is a footnote mark, and the footnote
    line's own number is no figure either; a figure ending an ordinary sentence line stays one."""
    page = ("Highlights.\n\n4.1 million Total people affected 1\n\n58,900 Estimated pregnant women 2\n\n"
            "2 Estimated figures are based on the MISP calculator.\n\nThe teams visited 3 schools and trained 15\n\n"
            "3 Partners distributed kits.")
    got = [(f.text, f.value) for f in extract_pages([Page(1, page)], report="r")]
    assert got == [("4.1 million", 4100000), ("58,900", 58900), ("3", 3), ("15", 15), ("3", 3)]


# Numbers that are not facts, each with the rule (indexer/facts/exclusions.py) that drops it.
DROPPED = [
    ("time", "The meeting started at 10:30 with partners.", "10", "time-or-slash-date"),
    ("covid-code", "Cases of COVID-19 rose.", "19", "code-or-day-range"),
    ("age", "Children under 5 were screened.", "5", "age"),
    ("camp-list", "Camps 9, 10 and 12 were flooded.", "10", "numbered-list"),
    ("glued", "The FY20 budget was approved.", "20", "glued-after-word"),
    ("ordinal", "It was the 3rd round.", "3", "ordinal"),
    ("year", "In 2021 the response grew.", "2021", "year"),
    ("decree", "Decree 010 was published.", "010", "naming-word-before"),
    ("phone", "Call the hotline +51 1 234 5678 for help.", "5678", "phone"),
    ("phone-prefix", "Call the hotline +51 1 234 5678 for help.", "51", "glued-after-word"),
    ("name", "Flooding hit Kilo 16 again.", "16", "in-a-name"),
    ("pronoun", "No one was hurt.", "one", "pronoun-one"),
    ("url", "See https://example.org/report/2024 for more.", "2024", "in-url"),
]


@pytest.mark.parametrize("text, number, rule", [d[1:] for d in DROPPED], ids=[d[0] for d in DROPPED])
def test_a_dropped_number_names_its_rule(text, number, rule):
    from indexer.facts import dropped

    assert (number, rule) in [(span.text, name) for span, name in dropped(text)]
    assert number not in [f.text for f in extract(text)]


def test_every_exclusion_rule_has_a_distinct_name():
    from indexer.facts.exclusions import DIGIT_RULES, WORD_RULES

    for rules in (DIGIT_RULES, WORD_RULES):
        names = [name for name, _ in rules]
        assert len(names) == len(set(names))


def test_fields_in_a_row_name_their_own_figures():
    """"Field: N Field: M" (a key-points cell, a DREF header): the words after a field's figure are
    the next field's name, neither its label nor its unit."""
    facts = extract("People reached: 18 719 Male: 7 806 Female: 10 913")
    assert [(f.text, f.label, f.unit) for f in facts] == [
        ("18 719", "People reached", None), ("7 806", "Male", None), ("10 913", "Female", None)]
    facts = extract("State(s): 3 LGA(s): 5")
    assert [(f.label, f.unit) for f in facts] == [("State(s)", None), ("LGA(s)", None)]
    # a colon after the counted noun of a sentence still leaves it the noun
    (five, *_) = extract("It reached 5 people: 3 men and 2 women.")
    assert five.unit is not None and five.unit.text == "people"


@pytest.mark.parametrize("text, value, currency", [
    ("The 2015 financial report totaled around 36 million Euro, 94% of it spent.", 36_000_000, "EUR"),
    ("Each family received 300 euros in cash.", 300, "EUR"),
    ("The grant was 5,000 dollar per school.", 5000, "USD"),
])
def test_a_currency_word_after_a_figure_is_its_currency(text, value, currency):
    fact = next(f for f in extract(text) if f.value == value)
    assert fact.unit_norm == currency and fact.unit_kind == "money"


@pytest.mark.parametrize("sentence, text, unit_norm", [
    ("Families received cash grants of VND 3,000,000 each.", "3,000,000", "VND"),  # ISO 4217, not in the old table
    ("The appeal seeks PHP 1,500,000 for relief.", "1,500,000", "PHP"),
    ("Relief reached ALL 4 provinces.", "4", ""),  # ALL is a word here, not the Albanian lek
    ("SAR 12 teams were deployed.", "12", ""),  # search and rescue, not the Saudi riyal
])
def test_every_iso_currency_code_but_words(sentence, text, unit_norm):
    [f] = [f for f in extract(sentence) if f.text == text]
    assert f.unit_norm == unit_norm
    assert (f.unit_kind == "money") == bool(unit_norm)


def test_an_amount_per_household_counts_no_households():
    from indexer.entries import fact_unit

    [f] = [f for f in extract("Families received grants of 2 million per household.") if f.text == "2 million"]
    assert f.unit.text == "per household"
    assert fact_unit(f)[0] == frozenset({"per"})  # "how many households" finds no household unit in it


def test_a_charts_axis_ticks_are_no_key_figures():
    """A dashboard's chart written as text: its axis ticks, each alone on its line and evenly stepped,
    are no figures of the report; the key figures alone on their lines beside it still are."""
    page = ("Cumulative Positive Cases, Recoveries and Deaths by Date\n0K\n5K\n10K\n15K\n20K\n25K\n"
            "Positive Cases, Recoveries and Deaths\n\nDEATHS\n1193\n\n0\n500\n1000\n1500\n2000\n\nRECOVERED\n25356\n")
    got = {f.text for f in extract_pages([Page(1, page)], report="r")}
    assert not got & {"0K", "5K", "10K", "25K", "500", "1000", "2000"}
    assert {"1193", "25356"} <= got
    # three figures, or figures not evenly stepped, are no axis
    kept = {f.text for f in extract_pages([Page(1, "KEY FIGURES\n120\n80\n40\n\nCASES\n10\n25\n45\n70\n")], report="r")}
    assert {"120", "80", "40", "10", "25", "45", "70"} <= kept


def test_a_long_clause_is_cut_at_whole_words():
    """A panel's run of key figures with no separator between them: the answer's clause is a window
    around the figure that never cuts a number in two ("290,000" is not "90,000"), so every number
    it shows is in the quote."""
    run = ("930,000 most vulnerable IDPs received food assistance in Nigeria 290,000 people in Cameroon "
           "received food aid, agricultural and livestock support 91% of the children admitted for severe "
           "acute malnutrition in Chad were cured 76,000 children received psychosocial support in Nigeria "
           "120 passengers/week on the UN Humanitarian Air Service (UNHAS) new flights within Cameroon and "
           "Nigeria 50,000 families in Niger received emergency shelters 450,000 refugees, returnees, IDPs "
           "and their hosts received life-saving food assistance in Niger, Cameroon and Chad")
    [f] = [f for f in extract(run) if f.text == "91%"]
    text = clause(f)
    assert "91% of the children admitted" in text
    numbers = re.findall(r"\d[\d,./]*", text)
    assert numbers and all(re.search(rf"(?<![\d,]){re.escape(n)}(?![\d,])", run) for n in numbers), numbers


def test_a_figure_glued_to_its_label_has_that_label_for_its_clause():
    """A dashboard run read as one line: each figure's clause is the label glued before it, never the next one's."""
    run = ("People More Than 1 Year of Age Vaccinated with OCV48,242 Cholera Cases Identified and Received "
           "Appropriate Treatment571 Children 24-59 Months Dewormed with Albendazole12,098 Proportion of")
    got = {f.text: clause(f) for f in extract(run)}
    assert got["571"] == "Cholera Cases Identified and Received Appropriate Treatment571"
    assert got["48,242"].endswith("Vaccinated with OCV48,242")
    assert "Albendazole" not in got["571"] and "Cholera" not in got["48,242"]


def test_what_befalls_people_is_not_counted_in_the_houses_before():
    """"100 houses were destroyed, 5 killed": the noun left out of a list is the one before only for what
    befalls it (flooded, destroyed, damaged), not for what befalls people."""
    facts = {f.text: f for f in extract("In all, 100 houses were destroyed, 5 killed and 3 injured.")}
    assert facts["5"].unit is None and facts["3"].unit is None



def test_a_number_in_words_bounds_the_clause_before_it():
    """"450 homes have been flooded and ten damaged": "damaged" is the ten's, not the 450's."""
    facts = {f.text: f for f in extract("Around 450 homes have been flooded and ten damaged, mostly in the west.")}
    assert clause(facts["450"]) == "Around 450 homes have been flooded"
    assert "flooded" not in clause(facts["ten"]) and facts["ten"].unit.text == "homes"


def test_two_figures_each_with_its_modifier_share_the_noun():
    """"105 suspected and 35 confirmed leptospirosis cases": 105 suspected leptospirosis cases."""
    facts = {f.text: f for f in extract("There were 105 suspected and 35 confirmed leptospirosis cases.")}
    assert facts["105"].unit.text == "leptospirosis cases" and "suspected" in facts["105"].label
    assert facts["35"].unit.text == "confirmed leptospirosis cases"

