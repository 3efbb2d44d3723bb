"""Report text + sidecar record + PDF info -> ReportMeta (title, publisher, date, period, number, ...).

Priority per field: the sidecar record (metadata.jsonl) > the text of the first page > the PDF's
own metadata (/Title, /Author, /CreationDate) > the file name. `number` and `doc_type` are always
derived from the title or the first page, since sidecars rarely carry them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from indexer.records import ReportMeta
from vocabulary.months import ENGLISH_MONTHS, MONTH_NUMBERS

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # noqa: E501
_FULL_MONTH = rf"(?:{'|'.join(ENGLISH_MONTHS)})"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
# "10 November 2025", "27th, OCTOBER, 2025", "November 10, 2025", "2025-11-10", "10/30/2025"
_DATE_RES = [
    re.compile(rf"\b{_DAY},?\s+(?P<m>{_MONTH})\.?,?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b(?P<m>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b"),
]
_AS_OF = re.compile(r"\bas\s+(?:of|at)\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_FULL_MONTH})\s*,?\s+((?:19|20)\d\d)\b", re.I)
# "1 December 2025 to 4 February 2026", "October 2025 - May 2026", "January - May 2026",
# "24 October-24 November 2025", "8 - 18 November", "October 31 - November 15, 2025"
_END = rf"(?:[0-3]?\d(?!\d)\s*)?{_MONTH}\.?(?:\s+[0-3]?\d(?!\d))?,?(?:\s+(?:19|20)\d\d)?"
_RANGE = re.compile(rf"\b(?:{_END}|[0-3]?\d(?!\d))\s*(?:-|–|—|to|until)\s*{_END}", re.I)

# Earliest match in the title wins: "Flash Update (Situation Report No. 1)" is a flash update.
DOC_TYPES = [
    (r"flash\s*(?:update|report)", "flash update"),
    (r"situation\s*report|sit\s*rep", "situation report"),
    (r"situation\s*update", "situation update"),
    (r"country\s*brief", "country brief"),
    (r"key\s*message\s*update", "key message update"),
    (r"seasonal\s*monitor", "seasonal monitor"),
    (r"food\s*security\s*outlook", "food security outlook"),
    (r"(?:climate\s*)?seasonal\s*outlook", "seasonal outlook"),
    (r"humanitarian\s*update", "humanitarian update"),
    (r"fact\s*sheet", "factsheet"),
    (r"DREF\s*operation|\bDREF\b", "dref operation"),
    (r"emergency\s*appeal", "emergency appeal"),
    (r"bulletin", "bulletin"),
    (r"snapshot", "snapshot"),
    (r"dashboard", "dashboard"),
    (r"press\s*release|news\s*release", "press release"),
    (r"\breport\b", "report"),
]
_DOC_TYPE_RES = [(re.compile(p, re.I), t) for p, t in DOC_TYPES]
# The number follows the doc type: "No.5", "N0.5" (a zero for an O happens), "#7", "Number 2", " 3 ("
_NUMBER = re.compile(
    r"\s*(?:[-:,]\s*)?(?:(?:No|N0|N°|Nº|Nr|Number|Num)\.?\s*|#\s*)(\d{1,4})\b"
    r"|\s*(\d{1,3})\b(?!\s*(?:" + _MONTH + r"|[/.:-]\d|%))",
    re.I,
)
_ANY_NUMBER = re.compile(r"(?i)\b(?:No|N0|Number)\.?\s*(\d{1,4})\b|#\s*(\d{1,4})\b")

# Publishers questions name by acronym; the display keeps both ("OCHA (UN Office ...)").
PUBLISHERS = {
    "OCHA": ["UN Office for the Coordination of Humanitarian Affairs", "Office for the Coordination of Humanitarian Affairs"],  # noqa: E501
    "WFP": ["World Food Programme", "World Food Program"],
    "UNICEF": ["UN Children's Fund", "United Nations Children's Fund"],
    "PAHO": ["Pan American Health Organization"],
    "WHO": ["World Health Organization"],
    "IFRC": ["International Federation of Red Cross and Red Crescent Societies"],
    "ICRC": ["International Committee of the Red Cross"],
    "IMC": ["International Medical Corps"],
    "UNFPA": ["United Nations Population Fund", "UN Population Fund"],
    "UNHCR": ["UN High Commissioner for Refugees", "United Nations High Commissioner for Refugees"],
    "FAO": ["Food and Agriculture Organization of the United Nations", "Food and Agriculture Organization"],
    "FEWS NET": ["Famine Early Warning System Network", "Famine Early Warning Systems Network"],
    "CDEMA": ["Caribbean Disaster Emergency Management Agency"],
    "MSF": ["Médecins Sans Frontières", "Doctors Without Borders"],
    "IOM": ["International Organization for Migration"],
    "UNDP": ["United Nations Development Programme", "UN Development Programme"],
    "GBV AoR": ["Gender Based Violence Area of Responsibility",
                "Gender-Based Violence Area of Responsibility"],
    "ECHO": ["European Commission's Directorate-General for European Civil Protection and Humanitarian Aid Operations"],  # noqa: E501
    "Africa CDC": ["Africa Centres for Disease Control and Prevention"],
    "HRW": ["Human Rights Watch"],
    "NRC": ["Norwegian Refugee Council"],
    "IRC": ["International Rescue Committee"],
    "R4V": ["Inter-Agency Coordination Platform for Refugees and Migrants from Venezuela"],
    "GTRM": ["Grupo de Trabajo para Refugiados y Migrantes", "Working Group for Refugees and Migrants"],
    "ACAPS": ["ACAPS"],
    "REACH": ["REACH Initiative"],
}
_BY_NAME = {n.casefold(): a for a, names in PUBLISHERS.items() for n in names}

COUNTRIES = (
    "Afghanistan|Albania|Algeria|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bangladesh|"
    "Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Botswana|Brazil|Bulgaria|"
    "Burkina Faso|Burundi|Cabo Verde|Cambodia|Cameroon|Canada|Central African Republic|Chad|Chile|China|"
    "Colombia|Comoros|Congo|Costa Rica|Côte d'Ivoire|Croatia|Cuba|Cyprus|Czechia|"
    "Democratic Republic of the Congo|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|"
    "El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|"
    "Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|"
    "India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|"
    "Kuwait|Kyrgyzstan|Lao PDR|Lebanon|Lesotho|Liberia|Libya|Lithuania|Madagascar|Malawi|Malaysia|"
    "Maldives|Mali|Mauritania|Mauritius|Mexico|Moldova|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|"
    "Namibia|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|"
    "Oman|Pakistan|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|"
    "Romania|Russia|Rwanda|Saint Lucia|Samoa|Saudi Arabia|Senegal|Serbia|Sierra Leone|Solomon Islands|"
    "Somalia|South Africa|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Syria|Tajikistan|Tanzania|Thailand|"
    "Timor-Leste|Togo|Tonga|Trinidad and Tobago|Tunisia|Türkiye|Turkey|Turkmenistan|Uganda|Ukraine|"
    "United Kingdom|United States|Uruguay|Uzbekistan|Vanuatu|Venezuela|Viet Nam|Vietnam|Yemen|Zambia|Zimbabwe"
).split("|")
_ALIASES = {"haïti": "Haiti", "haití": "Haiti", "drc": "Democratic Republic of the Congo",
            "turkey": "Türkiye", "syrian arab republic": "Syria", "vietnam": "Viet Nam"}
_COUNTRY_RE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((re.escape(c) for c in [*COUNTRIES, "Haïti", "Haití", "DRC",
                                                             "Syrian Arab Republic"]), key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)
_CANON = {c.casefold(): c for c in COUNTRIES} | {k.casefold(): v for k, v in _ALIASES.items()}


def parse_date(text: str) -> str:
    """The first date in `text` as ISO "YYYY-MM-DD", or "".

    >>> parse_date("FLASH UPDATE N0.5 – as of 10 November 2025")
    '2025-11-10'
    >>> parse_date("Situation Report #4 – Date 10/30/2025")
    '2025-10-30'
    >>> parse_date("AS OF 8:00PM AST on 27th, OCTOBER, 2025")
    '2025-10-27'
    """
    found = _find_dates(text)
    return found[0][1] if found else ""


def _find_dates(text: str) -> list[tuple[int, str]]:
    out = []
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            g = m.groupdict()
            year = int(g["y"])
            if "a" in g:  # d/m/y or m/d/y: the one that makes sense; US order when both do
                a, b = int(g["a"]), int(g["b"])
                month, day = (a, b) if a <= 12 else (b, a)
            else:
                month = int(g["m"]) if g["m"].isdigit() else MONTH_NUMBERS[g["m"].lower().rstrip(".")]
                day = int(g["d"])
            if 1 <= month <= 12 and 1 <= day <= 31:
                out.append((m.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    return sorted(out)


def _first_page_date(first: str) -> str:
    """Prefer an "as of <date>" date; else the first date in a heading-like line at the top of the
    page (a date inside a prose sentence is an event, not the report's date)."""
    dates = _find_dates(first[:1500])
    for m in _AS_OF.finditer(first[:1500]):
        after = [d for pos, d in dates if 0 <= pos - m.end() < 40]
        if after:
            return after[0]
    lines = [ln for ln in first.splitlines() if ln.strip()][:12]
    for ln in lines:
        if len(ln) <= 80:
            found = _find_dates(ln)
            if found:
                return found[0][1]
    return ""


_AS_OF_NO_YEAR = re.compile(  # "As of December 15, 14 cases ...", "as of 15 December:"
    rf"\bas\s+of\s+(?:(?P<m>{_MONTH})\.?\s+{_DAY}|{_DAY.replace('<d>', '<d2>')}\s+(?P<m2>{_MONTH}))\b"
    r"(?!,?\s*(?:19|20)\d\d)", re.I)


def _printed_dates(first: str, date: str) -> str:
    """The dates the first page gives the report when they differ from `date` (the publication
    date of a sidecar): its own date in the header, the "as of" date of its figures, even without
    a year ("As of December 15" in a report published 17 December 2025): "16 December 2025, as
    of 15 December 2025". Questions name reports by these too. Only dates up to 10 days before
    `date` count: an older date on the page is about something else."""
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", date or ""):
        return ""
    pub = dt.date.fromisoformat(date)

    def near(d: dt.date) -> bool:
        return dt.timedelta(0) < pub - d <= dt.timedelta(days=10)

    out: list[str] = []
    printed = _first_page_date(first)
    if printed and re.fullmatch(r"\d{4}-\d\d-\d\d", printed) and near(dt.date.fromisoformat(printed)):
        d = dt.date.fromisoformat(printed)
        out.append(f"{d.day} {ENGLISH_MONTHS[d.month - 1]} {d.year}")
    m = _AS_OF_NO_YEAR.search(first[:3000])
    if m:
        month = MONTH_NUMBERS.get((m["m"] or m["m2"]).lower().rstrip("."))
        day = int(m["d"] or m["d2"])
        if month:
            for year in (pub.year, pub.year - 1):
                try:
                    d = dt.date(year, month, day)
                except ValueError:
                    break
                if near(d):
                    text = f"as of {d.day} {ENGLISH_MONTHS[d.month - 1]} {d.year}"
                    if text[6:] not in out:
                        out.append(text)
                    break
    return ", ".join(out)


def _pdf_date(value: str) -> str:
    m = re.match(r"D?:?((?:19|20)\d\d)(\d\d)(\d\d)", value or "")
    return f"{m[1]}-{m[2]}-{m[3]}" if m else ""


def doc_type_and_number(title: str) -> tuple[str, str]:
    """The report type and its own number, from a title or heading.

    >>> doc_type_and_number("Haiti: Tropical Storm Melissa - Flash Update No.5 (as of 10 November 2025)")
    ('flash update', '5')
    >>> doc_type_and_number("Marburg Virus Disease Response, Ethiopia: Situation Report #7")
    ('situation report', '7')
    >>> doc_type_and_number("WFP Haiti Country Brief, December 2025")
    ('country brief', '')
    >>> doc_type_and_number("FAO Haiti | Situation Report, 26 October 2025")
    ('situation report', '')
    """
    best: tuple[int, str, re.Match] | None = None
    for rx, kind in _DOC_TYPE_RES:
        m = rx.search(title)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind, m)
    if best is None:
        return "", ""
    _, kind, m = best
    num = _NUMBER.match(title, m.end()) or _ANY_NUMBER.search(title)
    return kind, (num[1] or num[2]).lstrip("0") or "0" if num else ""


_PROVENANCE = re.compile(r"://|@[0-9a-f]{7,}|^[\w.-]+/[\w.-]+[@:]")


def publisher_display(sources: Iterable[str]) -> str:
    """Publisher names as "ACRONYM (Full Name)" so questions can use either.

    >>> publisher_display(["UN Office for the Coordination of Humanitarian Affairs"])
    'OCHA (UN Office for the Coordination of Humanitarian Affairs)'
    >>> publisher_display(["PAHO"])
    'PAHO (Pan American Health Organization)'
    """
    out = []
    for src in sources:
        src = " ".join(str(src).split())
        if not src:
            continue
        acro = _BY_NAME.get(src.casefold())
        if acro is None and src.upper() in {a.upper() for a in PUBLISHERS}:
            acro = next(a for a in PUBLISHERS if a.upper() == src.upper())
            src = PUBLISHERS[acro][0]
        out.append(f"{acro} ({src})" if acro and acro != src else src)
    return "; ".join(dict.fromkeys(out))


def _text_publisher(text: str, author: str) -> str:
    """A known publisher named in the PDF /Author, else the known acronym the text uses most."""
    if author:
        for name in [author, *re.split(r"[;,/]", author)]:
            shown = publisher_display([name.strip()])
            if "(" in shown:
                return shown
    counts = Counter()
    for acro, names in PUBLISHERS.items():
        n = len(re.findall(rf"(?<![\w-]){re.escape(acro)}(?![\w-])", text))
        n += sum(text.count(name) for name in names if name != acro)
        if n:
            counts[acro] = n
    if not counts:
        return ""
    acro, n = counts.most_common(1)[0]
    return publisher_display([acro]) if n >= 2 else ""


def _country(text: str) -> str:
    counts = Counter(_CANON.get(m.casefold(), m) for m in _COUNTRY_RE.findall(text))
    return counts.most_common(1)[0][0] if counts else ""


def _period(title: str, text: str, have_date: bool) -> str:
    """A covered period from the title ("October 2025 - May 2026"); else, when nothing dates the
    report, the "Month YYYY" its text mentions most ("October 2020")."""
    for m in _RANGE.finditer(re.sub(r"(?i)(?:No|N0|#)\.?\s*\d+", "", title)):
        span = m[0].strip(" ,-–—")
        if re.search(_MONTH, span, re.I) and re.search(r"\d", span) and re.search(r"[-–—]|to|until", span):
            return " ".join(span.split())
    m = _MONTH_YEAR.search(title)
    if m:
        return f"{m[1].title()} {m[2]}"
    if have_date:
        return ""
    counts = Counter(f"{mo.title()} {y}" for mo, y in _MONTH_YEAR.findall(text))
    return counts.most_common(1)[0][0] if counts else ""


def _title_from_page(first: str) -> str:
    """The heading that names the report: a line with a report type (plus the line above it when
    that is a short heading such as "HAITI : Hurricane Melissa"), else the first real line."""
    lines = [ln.strip(" -\t") for ln in first.splitlines()]
    lines = [" ".join(ln.split()) for ln in lines if len(re.findall(r"[A-Za-z]", ln)) >= 3]
    lines = [ln for ln in lines if not re.search(r"@|https?:|www\.|^page\b", ln, re.I)][:40]
    for i, ln in enumerate(lines):
        kind, _ = doc_type_and_number(ln)
        if kind and kind != "report" and len(ln) <= 120:
            prev = lines[i - 1] if i else ""
            if prev and len(prev) <= 60 and not prev.endswith(".") and not doc_type_and_number(prev)[0]:
                return f"{prev} {ln}" if prev.upper() != prev or ln.upper() == ln else f"{prev} - {ln}"
            return ln
    return lines[0] if lines else ""


def _title_from_name(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name)
    stem = re.sub(r"^\d{5,}_", "", stem)
    return " ".join(re.sub(r"[_]+", " ", stem).split())


def derive_meta(name: str, first_page: str, text: str, info: dict | None = None,
                record: dict | None = None) -> ReportMeta:
    """Combine the sidecar record, the first page, the PDF info and the file name into ReportMeta."""
    info, record = info or {}, record or {}
    page_title = _title_from_page(first_page)
    pdf_title = str(info.get("/Title") or "").strip()
    if re.match(r"(?i)microsoft|untitled|powerpoint|^doc\d*$|\.docx?$", pdf_title):
        pdf_title = ""
    title = str(record.get("title") or "").strip() or page_title or pdf_title or _title_from_name(name)
    if title.isupper():
        title = title.title()
    doc_type, number = doc_type_and_number(title)
    for fallback in (page_title, first_page[:600], pdf_title, _title_from_name(name)):
        if doc_type and number:
            break
        kind, num = doc_type_and_number(fallback)
        if not doc_type and kind and kind != "report":
            doc_type = kind
        if doc_type == kind and not number:
            number = num
    if doc_type == "" and re.search(r"\breport\b", title, re.I):
        doc_type = "report"

    date = str(record.get("date") or "")[:10] or _first_page_date(first_page)
    date = date or _pdf_date(str(info.get("/CreationDate") or ""))

    # ReliefWeb's sidecars name publishers in "source"; others put a provenance there (a URL, a
    # repository path) and the publisher in "publisher", which then wins
    sources = record.get("publisher") or record.get("source") or []
    if isinstance(sources, str):
        sources = [sources]
    sources = [s for s in sources if not _PROVENANCE.search(str(s))]
    publisher = publisher_display(sources) or _text_publisher(text, str(info.get("/Author") or ""))

    country = record.get("country") or ""
    if isinstance(country, list):
        country = ", ".join(map(str, country))
    country = str(country) or _country(first_page) or _country(text)
    period = str(record.get("period") or "") or _period(title, text, bool(date)) or _printed_dates(first_page, date)
    if not record.get("title") and len(title.split()) <= 2 and (country or period):
        # a bare heading such as "PERU" says little in a citation: name the report by what we know
        who = publisher.split(" (")[0] if publisher else ""
        title = ", ".join(b for b in (f"{title}: {who} report" if who else title, period) if b)
    return ReportMeta(title=title, publisher=publisher, date=date, period=period, country=country,
                      number=number, doc_type=doc_type, url=str(record.get("url") or ""))
