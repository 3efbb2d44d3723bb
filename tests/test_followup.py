"""Follow-ups: a question + the previous turn -> the question answered and what it assumed."""

from __future__ import annotations

import pytest

from assistant.followup import resolve, resolve_history

MARBURG = "How many confirmed cases of Marburg virus disease are there in Ethiopia?"

# (previous question, follow-up, words the answered question must hold, words the note must hold)
EXAMPLES = [
    (MARBURG, "And how many deaths?", ("deaths", "Marburg virus disease", "Ethiopia"), ("Marburg", "Ethiopia")),
    (MARBURG, "How many deaths were there?", ("deaths", "Marburg", "Ethiopia"), ("Marburg",)),
    ("How many households were displaced by the floods?", "And how many health facilities were damaged?",
     ("health facilities", "by the floods"), ("about the floods",)),
    ("How many refugees live in Peru?", "And in Colombia?", ("How many refugees live in Colombia",),
     ("How many refugees live",)),
    ("How many calls did the MIMP receive in September 2020?", "And in October 2020?",
     ("October 2020", "calls"), ("calls",)),
    ("How many calls did the MIMP receive in September 2020?", "What about women?", ("September 2020",),
     ("September 2020",)),
]

# (previous question, a question that stands on its own: nothing is inherited)
STANDALONE = [
    (MARBURG, "How many persons received hygiene kits?"),
    (MARBURG, "How many people were vaccinated against cholera in Harbour District?"),
    ("How many refugees live in Peru?", "How many refugees live in Ecuador?"),
]


@pytest.mark.parametrize("previous,question,holds,note", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_follow_up_inherits_what_it_leaves_out(previous, question, holds, note):
    turn = resolve(question, resolve(previous))
    for words in holds:
        assert words in turn.question
    assert turn.asked == question
    assert turn.assumed.endswith("as in your previous question")
    for words in note:
        assert words in turn.assumed


@pytest.mark.parametrize("previous,question", STANDALONE, ids=[s[1] for s in STANDALONE])
def test_a_question_of_its_own_inherits_nothing(previous, question):
    turn = resolve(question, resolve(previous))
    assert turn.question == question and turn.assumed == ""


def test_a_chain_of_follow_ups_keeps_the_subject():
    turn = resolve_history([MARBURG, "And how many deaths?", "And how many contacts were traced?"])
    assert "Marburg" in turn.question and "Ethiopia" in turn.question and "contacts" in turn.question


def test_first_question_and_empty_history():
    assert resolve(MARBURG).assumed == ""
    assert resolve_history([]) is None


def test_core_ask_takes_the_previous_turn(peru_assistant):
    first = peru_assistant.ask("How many calls did the MIMP receive in September 2020?")
    follow = peru_assistant.ask("And in October 2020?", previous=[first.question])
    assert follow.assumed and follow.question == "And in October 2020?"
    assert "calls" in follow.asked_as and "October 2020" in follow.asked_as
    alone = peru_assistant.ask("How many persons received hygiene kits?", previous=first.question)
    assert alone.assumed == "" and "2,140" in alone.text
