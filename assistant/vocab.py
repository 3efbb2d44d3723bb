"""Word lists question understanding uses: words that name a country only when capitalised, publishers,
report series and types.

The words the indexer shares (stopwords, sectors, months, countries, stems) are in the top-level
`vocabulary/` package.
"""

from __future__ import annotations

# Words that are also ordinary words: only a capitalised mention counts ("Chad"; "CHAD" in a header in capitals).
CASED = {
    "Chad",
    "Turkey",
    "Jordan",
    "Georgia",
    "Guinea",
    "China",
    "Niger",
    "Togo",
    "Chile",
    "Oman",
    "Mali",
    "Salvador",
    "Holland",
    "Lao",
    "Swiss",
    "Dominica",
    "Congo",
    "Gaza",
    "Tonga",
    "Palau",
}




# ---------------------------------------------------------------------------------------------
# Publishers (canonical name -> other names) and document types (family -> names)

PUBLISHERS: dict[str, tuple[str, ...]] = {
    "OCHA": (
        "UN Office for the Coordination of Humanitarian Affairs",
        "Office for the Coordination of Humanitarian Affairs",
        "UNOCHA",
        "UN OCHA",
    ),
    "WFP": ("World Food Programme", "World Food Program", "PMA"),
    "UNICEF": ("UN Children's Fund", "United Nations Children's Fund"),
    "PAHO": ("Pan American Health Organization", "OPS"),
    "WHO": ("World Health Organization", "OMS"),
    "IMC": ("International Medical Corps", "Intl Med Corps", "IntlMedCorps"),
    "FEWS NET": (
        "Famine Early Warning System Network",
        "Famine Early Warning Systems Network",
        "FEWSNET",
        "FEWS",
    ),
    "UNFPA": ("United Nations Population Fund", "UN Population Fund"),
    "FAO": ("Food and Agriculture Organization of the United Nations", "Food and Agriculture Organization"),
    "CDEMA": ("Caribbean Disaster Emergency Management Agency",),
    "HRW": ("Human Rights Watch",),
    "UNHCR": (
        "UN High Commissioner for Refugees",
        "United Nations High Commissioner for Refugees",
        "UN Refugee Agency",
        "ACNUR",
    ),
    "IOM": ("International Organization for Migration", "OIM", "DTM"),
    "IFRC": ("International Federation of Red Cross and Red Crescent Societies",),
    "ICRC": ("International Committee of the Red Cross", "CICR"),
    "ECHO": ("European Civil Protection and Humanitarian Aid Operations", "DG ECHO"),
    "Africa CDC": ("Africa Centres for Disease Control and Prevention",),
    "MSF": ("Médecins Sans Frontières", "Medecins Sans Frontieres", "Doctors Without Borders"),
    "R4V": (
        "Inter-Agency Coordination Platform for Refugees and Migrants from Venezuela",
        "GTRM",
        "Grupo de Trabajo para Refugiados y Migrantes",
        "Working Group for Refugees and Migrants",
    ),
    "UNDP": ("United Nations Development Programme", "UN Development Programme", "PNUD"),
    "UN Women": ("UN Women",),
    "World Vision": ("World Vision",),
    "Save the Children": ("Save the Children",),
    "NRC": ("Norwegian Refugee Council",),
    "IRC": ("International Rescue Committee",),
    "ACAPS": ("ACAPS",),
    "REACH": ("REACH Initiative", "REACH"),
    "IPC": ("Integrated Food Security Phase Classification",),
    "GBV AoR": ("Gender Based Violence Area of Responsibility", "GBV Subcluster", "GBV Sub-cluster"),
    "UNRWA": ("UN Relief and Works Agency for Palestine Refugees",),
    "World Bank": ("World Bank",),
    "ICPAC": ("IGAD Climate Prediction and Applications Centre",),
}

DOC_TYPES: dict[str, tuple[str, ...]] = {
    "daily flash": ("daily flash", "echo daily flash"),
    "flash update": (
        "flash update",
        "flash updates",
        "flash report",
        "flash reports",
        "flash update report",
    ),
    "weekly update": ("weekly situation update", "weekly update", "weekly report", "weekly bulletin"),
    "situation report": (
        "situation report",
        "situation reports",
        "sitrep",
        "sitreps",
        "sit rep",
        "sit-rep",
        "situation update",
        "sit. rep.",
    ),
    "country brief": ("country brief", "country briefs"),
    "key message update": ("key message update", "key messages update", "kmu"),
    "food security outlook": ("food security outlook", "fso"),
    "seasonal monitor": ("seasonal monitor",),
    "seasonal outlook": ("seasonal outlook", "climate outlook", "climate seasonal outlook"),
    "humanitarian update": ("humanitarian update",),
    "factsheet": ("factsheet", "fact sheet", "thematic factsheet"),
    "emergency appeal": ("emergency appeal", "flash appeal"),
    "dref operation": ("dref operation", "dref", "dref application", "dref update"),
    "disease outbreak news": ("disease outbreak news", "DON"),
    "bulletin": ("bulletin", "humanitarian bulletin"),
    "snapshot": ("snapshot",),
    "dashboard": ("dashboard",),
    "statement": ("statement", "press release", "news release"),
    "response plan": ("response plan", "humanitarian response plan", "response and migrant plan"),
    "assessment": ("assessment", "rapid assessment", "needs assessment"),
    "briefing": ("briefing", "daily briefing", "operations briefing", "daily operations briefing"),
}
# Report series: "the flash update" points at a report; "the assessment", "the response plan" need more
SERIES = {
    "daily flash",
    "flash update",
    "weekly update",
    "situation report",
    "country brief",
    "key message update",
    "food security outlook",
    "seasonal monitor",
    "seasonal outlook",
    "humanitarian update",
    "factsheet",
    "dref operation",
    "disease outbreak news",
    "briefing",
}
GENERIC_DOCS = (
    "report",
    "reports",
    "update",
    "updates",
    "brief",
    "document",
    "publication",
    "sitrep update",
)
