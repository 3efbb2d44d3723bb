"""Humanitarian sectors (clusters): one set of names for the indexer and the assistant.

`SECTORS` maps each canonical name to the words a question uses for it (assistant/question/scope.py);
`SECTOR_PATTERNS` are the patterns that name a fact's sector in report text (indexer/facts), in
the order they are tried (most specific first), under those same canonical names. A sector the
patterns cannot find (CCCM, Coordination, ...) is still a name a question can use.
tests/test_vocabulary.py checks that both sides give the same name to the same words.

>>> sector_of("Partners distributed multipurpose cash to 300 families")
'CBI / Cash'
>>> sector_of("Livelihoods partners trained 40 people")
'Livelihoods'
"""

from __future__ import annotations

import re

# Sectors: canonical name -> synonyms. The canonical names (and the listed abbreviations) are
# "strong": question/scope.py takes them as sector names next to sector/partners/reached words.
SECTORS: dict[str, tuple[str, ...]] = {
    "Child Protection": ("child protection", "CP"),
    "GBV": ("GBV", "SGBV", "gender-based violence", "gender based violence"),
    "Protection": ("protection",),
    "Health": ("health", "healthcare", "health care", "medical"),
    "WASH": (
        "WASH",
        "water, sanitation and hygiene",
        "water sanitation and hygiene",
        "water and sanitation",
        "water",
        "sanitation",
        "hygiene",
    ),
    "Shelter": ("shelter", "emergency shelter", "shelter and NFI", "shelter/NFI", "accommodation", "housing"),
    "Food Security": (
        "food security",
        "food security and livelihoods",
        "FSL",
        "food assistance",
        "food aid",
        "food",
    ),
    "Nutrition": ("nutrition",),
    "Education": ("education", "schooling"),
    "Integration": ("integration", "socio-economic integration", "socioeconomic integration"),
    "Livelihoods": ("livelihoods", "early recovery", "early recovery and livelihoods", "livelihood"),
    "NFI": (
        "NFI",
        "NFIs",
        "non-food items",
        "non food items",
        "non-food item",
        "core relief items",
        "relief items",
    ),
    "CBI / Cash": (  # the indexer's name since the Peru report; "CBI" and "cash" are both in it
        "CBI",
        "CVA",
        "MPC",
        "cash-based interventions",
        "cash based interventions",
        "cash-based assistance",
        "cash and voucher assistance",
        "multipurpose cash",
        "multi-purpose cash",
        "cash",
    ),
    "Humanitarian Transportation": (
        "humanitarian transportation",
        "humanitarian transport",
        "hum. transp.",
        "hum transp",
        "transportation",
        "transport",
    ),
    "Logistics": ("logistics",),
    "CCCM": ("CCCM", "camp coordination and camp management", "camp management"),
    "Emergency Telecommunications": ("emergency telecommunications", "ETC", "telecommunications"),
    "Mine Action": ("mine action",),
    "Coordination": ("coordination",),
}


SECTOR_PATTERNS: list[tuple[str, str]] = [  # most specific first; (canonical name, pattern)
    ("Child Protection", r"child\s+protection"),
    ("GBV", r"\bGBV\b|gender[- ]based\s+violence"),
    ("WASH", r"\bWASH\b|\bwater\b|sanitation|hygiene"),
    (
        "Food Security",
        r"food\s+security|food\s+(?:kits?|assistance|baskets?|insecurity)|\bmeals?\b|"
        r"soup[- ]kitchens?",
    ),
    ("Nutrition", r"nutrition|malnutrition|nourishment|\bRUTF\b"),
    ("Health", r"\bhealth\b|medical|vaccin|\bclinics?\b|hospital"),
    ("Protection", r"protection|legal\s+(?:counsel|aid|assistance)|documentation"),
    ("Shelter", r"shelter|accommodation|housing"),
    ("Education", r"education|\bschools?\b|students|\bteachers?\b"),
    ("Integration", r"integration|decent\s+work|employment|entrepreneur|financial\s+services"),
    ("Livelihoods", r"livelihood"),  # its own sector, as questions name it (was read as Integration)
    ("NFI", r"\bNFIs?\b|non[- ]food\s+items?|blankets|winter\s+kits"),
    ("CBI / Cash", r"\bCBI\b|\bcash\b|\bCVA\b|multipurpose\s+cash"),
    ("Logistics", r"logistics"),
    ("Humanitarian Transportation", r"hum\.\s*transp|humanitarian\s+transport"),
    ("Food Security", r"\bfood\b"),
]
SECTOR_RES = [(name, re.compile(p, re.I)) for name, p in SECTOR_PATTERNS]


def sector_of(text: str) -> str:
    """The first sector (in pattern order) that `text` names, or ""."""
    return next((name for name, rx in SECTOR_RES if rx.search(text)), "")
