"""One browser session's chat: questions in as they are asked, chat messages out, with every question
that has no answer yet shown as waiting and handed to the answering loop in the order it was asked.

Why it exists: the chat shows a question the moment it is asked and answers it later, while the user
may ask again. If the answering step returned the history it was given, a question asked meanwhile
would be overwritten by the answer to the one before it (and Gradio drops a second submit of an event
that is still pending). So the session keeps one `Conversation` (in a `gr.State`, which hands every
event the same object), the fast "ask" step adds to it, and the slow answering step takes waiting
turns from it one at a time, oldest first, so nothing asked is ever lost or answered out of order.

No Gradio here; `webchat/handlers.py` drives it and `webchat/ui.py` wires it.

>>> chat = Conversation()
>>> chat.add("How many cases in Ethiopia?", []).question
'How many cases in Ethiopia?'
>>> _ = chat.add("And deaths?", [])
>>> first = chat.claim("me")
>>> first.question, chat.previous(first)
('How many cases in Ethiopia?', [])
>>> second = chat.finish(first, "**12** cases", "me")  # answered, and the next one taken at once
>>> second.question, chat.previous(second)
('And deaths?', ['How many cases in Ethiopia?'])
>>> version, messages = chat.snapshot()
>>> [m["role"] for m in messages], messages[-1]["content"] == WAITING
(['user', 'assistant', 'user', 'assistant'], True)
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

from webchat.render import escape_text, message_text, previous_questions

# What a question shows until its answer comes (the CSS in webchat/assets.py animates it).
WAITING = '<span class="rq-waiting">Answering…</span>'


@dataclass(eq=False)  # a turn is itself: two turns asking the same words are still two
class ChatTurn:
    """A question as asked (its own words and the reports chosen then) and its answer, None while it waits."""

    question: str
    scope: tuple[str, ...] = ()
    answer: str | None = None
    shown: str | None = None  # the question's message as the browser had it (a restored chat), else built
    claimed_by: str | None = None  # the answering loop working on it


class Conversation:
    """The turns of one chat, safe to use from the fast ask step and the answering loop at once."""

    def __init__(self, messages: list | None = None):
        self._lock = threading.Lock()
        self._turns: list[ChatTurn] = []
        self._version = 0  # counts every change the chat shows (a claim shows nothing)
        self._restored = False
        if messages:
            self.restore(messages)

    def __deepcopy__(self, memo) -> Conversation:
        """gr.State deep-copies its default for each new session: a copy with its own lock."""
        return Conversation(copy.deepcopy(self.snapshot()[1], memo))

    # ---- the fast step: a question asked, the chat restored or cleared

    def add(self, question: str, scope) -> ChatTurn:
        """A question asked now, with the reports chosen now: it waits for the answering loop."""
        with self._lock:
            turn = ChatTurn(question, tuple(scope or ()))
            self._turns.append(turn)
            self._version += 1
            return turn

    def restore(self, messages: list) -> None:
        """Take over the chat the browser kept (after a reload): each question with the answer after it;
        a question still shown as waiting waits again. Once per session, and before whatever was asked
        already (a question sent while the page was still loading)."""
        turns: list[ChatTurn] = []
        for m in messages or []:
            if not isinstance(m, dict):
                continue
            text = message_text(m.get("content"))
            if m.get("role") == "user":
                asked = previous_questions([{"role": "user", "content": text}])
                turns.append(ChatTurn(asked[0] if asked else "", shown=text))
            elif turns and turns[-1].answer is None and text != WAITING:
                turns[-1].answer = text
            elif text != WAITING:  # an answer with no question before it: kept as it was shown
                turns.append(ChatTurn("", answer=text))
        with self._lock:
            if self._restored:
                return
            self._turns = turns + self._turns
            self._restored = True
            self._version += 1

    def clear(self) -> None:
        """New chat: every turn goes; an answer still being worked out is dropped when it comes."""
        with self._lock:
            self._turns = []
            self._restored = True  # a chat kept from before the clear is not brought back
            self._version += 1

    # ---- the answering loop

    def claim(self, loop: str) -> ChatTurn | None:
        """The oldest waiting question, now `loop`'s to answer; None when none waits or the oldest is
        already another loop's (that loop goes on to the next one, so the order is kept)."""
        with self._lock:
            return self._claim(loop)

    def finish(self, turn: ChatTurn, answer: str, loop: str) -> ChatTurn | None:
        """Give `turn` its answer and claim the next waiting question in the same step, so a question
        asked while this one was answered is either seen here or left to a loop started after it."""
        with self._lock:
            if turn in self._turns:  # not cleared by "New chat" meanwhile
                turn.answer = answer
                self._version += 1
            turn.claimed_by = None
            return self._claim(loop)

    def release(self, loop: str) -> None:
        """A loop that stops early (cancelled) gives back the question it held, for the next loop."""
        with self._lock:
            for turn in self._turns:
                if turn.claimed_by == loop:
                    turn.claimed_by = None

    def _claim(self, loop: str) -> ChatTurn | None:
        waiting = next((t for t in self._turns if t.answer is None and t.question), None)
        if waiting is None or waiting.claimed_by is not None:
            return None
        waiting.claimed_by = loop
        return waiting

    def previous(self, turn: ChatTurn) -> list[str]:
        """The questions asked before `turn`, oldest first: what a follow-up takes its subject from."""
        with self._lock:
            before = self._turns[:self._turns.index(turn)] if turn in self._turns else []
            return [t.question for t in before if t.question]

    # ---- what the chat shows

    def snapshot(self) -> tuple[int, list[dict]]:
        """(version, the chat as Gradio messages: each question, then its answer or the waiting line).
        The version tells a sender whether the chat changed after what it sent."""
        with self._lock:
            out = []
            for t in self._turns:
                if t.question or t.shown:
                    out.append({"role": "user", "content": t.shown or escape_text(t.question)})
                if t.answer is not None:
                    out.append({"role": "assistant", "content": t.answer})
                elif t.question:  # a message with no words to answer (none of ours) waits for nothing
                    out.append({"role": "assistant", "content": WAITING})
            return self._version, out
