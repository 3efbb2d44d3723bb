"""Words that say what a figure counts: people (a unit or a counted noun that means persons) and currency
names written out ("36 million Euro"). A fact's unit kind is made from them at index time
(indexer/entries.py), and a question's "how many <noun>" is read with them (assistant/units.py).
"""

from __future__ import annotations

from vocabulary.words import stem

CURRENCY_WORDS = frozenset({"euro", "dollar", "franc", "pound", "shilling", "naira", "gourde", "birr", "rupee",
                            "taka", "sol", "peso", "real", "lira", "dinar", "cedi", "kwacha", "rand"})
PEOPLE_WORDS = frozenset(stem(w) for w in """people persons individuals refugees migrants children women
men girls boys adolescents caregivers survivors students households families patients residents
beneficiaries asylum-seekers displaced deportees returnees pupils workers staff volunteers deaths fatalities
casualties victims injured evacuees arrivals participants trainees personnel hcws teachers nurses doctors midwives
mothers infants newborns adults farmers fishermen pastoralists""".split())  # a death toll counts people: "how many
# people died"; so do those trained or on standby ("35 participants", "35 HCWs", "102 electrical utility personnel")
PEOPLE_UNITS = frozenset({"people", "persons", "children", "women", "households", "families", "refugees",
                          "migrants", "individuals", "students", "patients", "girls", "boys", "men"})
