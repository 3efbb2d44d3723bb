"""One session's chat (webchat/conversation.py): questions in as asked, messages out, waiting questions
handed to answering loops oldest first. No Gradio, no model: the class is driven directly, the way the
fast ask step and the answering loop drive it from two threads."""

from __future__ import annotations

import copy
import threading
import time

from webchat.conversation import WAITING, Conversation


def test_a_question_shows_at_once_as_waiting_and_escaped():
    chat = Conversation()
    chat.add("How many <b>kits</b> (WASH)?", ["peru.txt"])
    version, messages = chat.snapshot()
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "<b>" not in messages[0]["content"] and r"\(WASH\)" in messages[0]["content"]
    assert messages[1]["content"] == WAITING and version == 1


def test_waiting_questions_are_taken_oldest_first_with_their_own_scope_and_the_questions_before():
    chat = Conversation()
    chat.add("How many cases in Ethiopia?", ["marburg.pdf"])
    chat.add("And deaths?", [])
    first = chat.claim("loop-a")
    assert (first.question, first.scope, chat.previous(first)) == ("How many cases in Ethiopia?", ("marburg.pdf",), [])
    assert chat.claim("loop-b") is None  # the oldest is loop-a's: loop-b does not jump ahead of it
    second = chat.finish(first, "**12** cases", "loop-a")
    assert (second.question, second.scope) == ("And deaths?", ())
    assert chat.previous(second) == ["How many cases in Ethiopia?"]
    assert chat.finish(second, "**9** deaths", "loop-a") is None
    assert [m["content"] for m in chat.snapshot()[1]][1::2] == ["**12** cases", "**9** deaths"]


def test_a_question_asked_while_the_last_one_is_answered_is_taken_by_the_same_loop():
    chat = Conversation()
    chat.add("First?", [])
    first = chat.claim("loop-a")
    chat.add("Second?", [])  # asked while the first is being answered
    assert chat.claim("loop-b") is None  # its own loop finds the first still claimed and leaves
    assert chat.finish(first, "one", "loop-a").question == "Second?"  # ... and loop-a goes on to it


def test_a_loop_that_stops_early_leaves_its_question_to_the_next():
    chat = Conversation()
    chat.add("First?", [])
    chat.claim("loop-a")
    chat.release("loop-a")
    assert chat.claim("loop-b").question == "First?"


def test_new_chat_drops_an_answer_still_being_worked_out():
    chat = Conversation()
    chat.add("Old question?", [])
    old = chat.claim("loop-a")
    chat.clear()
    chat.add("New question?", [])
    follow = chat.finish(old, "old answer", "loop-a")
    assert follow.question == "New question?" and chat.previous(follow) == []  # nothing from before the clear
    assert "old answer" not in str(chat.snapshot()[1])


def test_the_version_moves_with_every_change_the_chat_shows_and_not_with_a_claim():
    chat = Conversation()
    chat.add("First?", [])
    before = chat.snapshot()[0]
    turn = chat.claim("loop-a")
    assert chat.snapshot()[0] == before
    chat.finish(turn, "one", "loop-a")
    assert chat.snapshot()[0] == before + 1


def test_a_kept_chat_is_restored_once_before_what_was_asked_meanwhile_and_waiting_questions_wait_again():
    kept = [{"role": "user", "content": [{"type": "text", "text": r"How many \(kits\)?"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "**2,140**"}]},
            {"role": "user", "content": "And deaths?"},
            {"role": "assistant", "content": WAITING}]
    chat = Conversation()
    chat.add("Asked while the page loaded?", [])
    chat.restore(kept)
    chat.restore([{"role": "user", "content": "Restored twice?"}])  # once per session
    messages = chat.snapshot()[1]
    assert [m["content"] for m in messages] == [r"How many \(kits\)?", "**2,140**", "And deaths?", WAITING,
                                                "Asked while the page loaded?", WAITING]
    waiting = chat.claim("loop-a")
    assert waiting.question == "And deaths?" and chat.previous(waiting) == ["How many (kits)?"]


def test_each_session_gets_its_own_copy():
    default = Conversation()
    mine, yours = copy.deepcopy(default), copy.deepcopy(default)
    mine.add("Mine?", [])
    assert yours.snapshot()[1] == [] and default.snapshot()[1] == []


def test_questions_asked_from_one_thread_and_answered_by_many_loops_are_each_answered_once_in_order():
    chat, asked = Conversation(), [f"Question {i}?" for i in range(200)]
    answered: list[str] = []

    def answer(loop: str) -> None:
        turn = chat.claim(loop)
        while turn is not None:
            answered.append(turn.question)
            turn = chat.finish(turn, f"answer to {turn.question}", loop)

    def ask() -> None:
        for q in asked:
            chat.add(q, [])
            time.sleep(0.0005)

    asker = threading.Thread(target=ask)
    asker.start()
    loops = []
    while asker.is_alive():  # loops started while questions come in, as asks start them
        loops.append(threading.Thread(target=answer, args=(f"loop-{len(loops)}",)))
        loops[-1].start()
        time.sleep(0.001)
    for t in [asker, *loops]:
        t.join()
    answer("last")  # the loop that follows the last ask
    assert answered == asked and len(loops) > 10
