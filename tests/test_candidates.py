"""Which facts become candidates: the pool of the country asked about, the key figures of the reports
a question names (issue #11), over indexes built with the real model."""

from __future__ import annotations

import json

from tests.test_answer import assistant_over


def test_the_pool_is_of_figures_in_the_country_asked_about(tmp_path, embedder, monkeypatch):
    """A regional bulletin lists many countries: the figures kept for a question about one of them are
    the best of those in that country, not the best of all whose others are then dropped (Ghana's row
    would rank under the POOL best of every other country's)."""
    from assistant import compose

    rows = "\n".join(f"In {c}, {n} cholera deaths were reported in the cholera outbreak in week 5 of 2025."
                     for c, n in (("Angola", 48), ("Burundi", 12), ("Kenya", 7), ("Malawi", 30), ("Zambia", 19)))
    a = assistant_over(tmp_path, {"regional-bulletin.txt": (
        "Regional weekly bulletin on outbreaks, week 5 of 2025\n\nCountries reporting cholera: Angola, Burundi, "
        "Ghana, Kenya, Malawi and Zambia. In Ghana the outbreak has reached the Greater Accra region.\n" + rows +
        "\nGhana: 42 deaths (cholera).\n"),
        "metadata.jsonl": json.dumps({"file": "regional-bulletin.txt", "country": "Angola",
                                      "title": "Regional weekly bulletin on outbreaks, week 5"}) + "\n"}, embedder)
    monkeypatch.setattr(compose, "POOL", 3)
    best = a.explain("How many cholera deaths were reported in Ghana in week 5?")
    assert best and best[0]["value"] == 42, best


def test_a_named_reports_key_figures_are_always_candidates(tmp_path, embedder, monkeypatch):
    """A panel's figure is labelled by a word or two ("DEATHS" under "1193"): far in meaning from a
    question and under the sentences that repeat its words. When the question names its report, the
    report's key figures are scored whatever their rank."""
    from assistant import match

    prose = "\n".join(f"On day {d}, the weekly analytics recorded {n} new COVID-19 deaths in {p} province."
                      for d, n, p in ((3, 12, "Harare"), (9, 7, "Bulawayo"), (14, 21, "Manicaland"),
                                      (20, 5, "Midlands")))
    a = assistant_over(tmp_path, {"weekly-analytics.txt": (
        "COVID-19 WEEKLY ANALYTICS\n\nKEY FIGURES\n\n33273\nRECORDED CASES\n\n1193\nDEATHS\n\n"
        + prose + "\n"),
        "metadata.jsonl": json.dumps({"file": "weekly-analytics.txt", "country": "Zimbabwe",
                                      "title": "COVID-19 Weekly Analytics, 30 January 2021"}) + "\n"}, embedder)
    monkeypatch.setattr(match, "SEM_POOL", 2)
    monkeypatch.setattr(match, "LEX_POOL", 2)
    question = "What was Zimbabwe's cumulative COVID-19 death toll in the weekly analytics of 30 January 2021?"
    got = {c["value"] for c in a.explain(question, top=40)}
    assert 1193 in got, got
