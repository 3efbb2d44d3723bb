"""Page text in, lines and sentences out: cleaning, headings, key-figure lines, wrapped paragraphs,
sentence spans bounded in length, number ranges.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer import tables
from indexer.numbers import Num, find_numbers

_RANGE_GAP = re.compile(r"^[\s*_]*(?:-|–|—|to)[\s*_]*$")
# A "sentence" longer than this (a text without full stops, a line of thousands of cells) is read in
# pieces cut at a clause mark or a space: every number looks at its sentence, so an unbounded one
# makes extraction quadratic (a 250 KB run-on line took minutes).
MAX_SENTENCE_CHARS = 3000  # the longest in 36 ReliefWeb PDFs: 2,329
_CUT = re.compile(r"[;,]\s|\s")


def _clean(line: str) -> str:
    """A line without markdown marks and extra spaces."""
    return " ".join(line.replace("*", " ").replace("\\", "").replace("#", " ").split())


def _restated(sentence: str, nums: list[Num]) -> list[Num]:
    """A number in words restated in digits is one number: "Twenty (20)", "one (1)"."""
    out: list[Num] = []
    for n in nums:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.words
            and not n.words
            and not n.percent
            and prev.value == n.value
            and re.fullmatch(r"\s*\(", sentence[prev.end : n.start])
            and sentence[n.end : n.end + 1] == ")"
        ):
            out[-1] = replace(prev, end=n.end + 1)
            continue
        out.append(n)
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """`text[s:e]` without the whitespace at its ends, as offsets."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s|\d{1,2}[.)]\s|\(?[a-z]\)\s)")


def _soft_break(prev: str, nxt: str) -> bool:
    """True when the newline between two lines is a wrap inside a paragraph, not a break.

    The next line must go on with a lowercase word or a number, the previous one must not end a
    sentence, and neither may be a table row, heading, key figure or the start of a list item (a
    wrapped list item does continue: its next line starts with neither a marker nor a capital).
    """
    if "\t" in prev or "\t" in nxt:
        return False
    p, n = _clean(prev), _clean(nxt)
    if not p or not n or not (n[0].islower() or n[0].isdigit()):
        return False
    if re.search(r"[.!?:][\"”’)\]]*$", p) or _LIST_ITEM.match(nxt):
        return False
    if _is_heading(p) or _is_heading(n) or _is_key_figure(p) or _is_key_figure(n):
        return False
    return not (tables.is_table_row(prev) or tables.is_table_row(nxt))


def _is_heading(clean: str) -> bool:
    if len(clean) > 80 or clean.endswith((".", ",", ";")) or clean.startswith("- "):
        return False
    words = clean.split()
    if not words or len(words) > 10 or not any(c.isalpha() for c in clean):
        return False
    if "|" in clean:
        return False
    letters = [c for c in clean if c.isalpha()]
    if all(c.isupper() for c in letters):
        return True
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return words[0][0].isupper() and (
        not long_words or sum(w[0].isupper() for w in long_words) * 5 >= len(long_words) * 3
    )


_KEY_RE = re.compile(  # "1.043M", "FUNDED: 54M", "People in shelters*: 15 155"
    r"^(?:[A-Z][A-Z &/'’()*-]*:?\s*|[A-Z][A-Za-z &/'’()*-]{0,40}:\s*)?(?:[$€£]|US\$|USD)?\s*\d[\d.,]*(?:\s\d{3})*\s?"
    r"(?:[MKk%]|bn|million|"
    r"billion)?(?:\s+[A-Z][A-Z &/'’()*-]*:\s*(?:[$€£]|US\$|USD)?\s*\d[\d.,]*\s?(?:[MKk%]|bn|"
    r"million|billion)?)*$"
)
_BOX_TITLE = re.compile(r"^(?:key\s+(?:figures|facts|numbers|data|messages)|in\s+numbers|figures|highlights|"
                        r"at\s+a\s+glance|snapshot|overview)$", re.I)


def _label_after(lines: list[str], i: int, labelled_above: bool) -> int:
    """How many lines below key figure i are its label (0, 1 or 2): short lines of words, followed
    by a blank line, another figure or nothing (so not a heading that opens a paragraph), when
    nothing above labels the figure (no heading, or only the box's title) or the label reads on from
    the number ("people displaced")."""

    def wordy(k: int) -> str:
        line = _clean(lines[k]) if k < len(lines) else ""
        if not line or any(c.isdigit() for c in line) or line.endswith((".", ":", ";")) or \
                len(line.split()) > 10 or "\t" in lines[k] or not line[0].isalpha():
            return ""
        return line

    def closes(k: int) -> bool:
        line = _clean(lines[k]) if k < len(lines) else ""
        return not line or _is_key_figure(line)

    first = wordy(i + 1)
    if not first or (labelled_above and not first[0].islower()):
        return 0
    if closes(i + 2):
        return 1
    if wordy(i + 2) and closes(i + 3):  # "Total people" / "affected"
        return 2
    return 0


def axis_lines(lines: list[str]) -> set[int]:
    """The lines that are a chart's axis: four or more consecutive lines each a bare figure ("0K",
    "5K", "10K", ... or "0", "500", "1000"), evenly stepped. Read alone on their lines they look
    like key figures, and a dashboard's axis ticks outrank its real figures on its chart's title.

    >>> sorted(axis_lines(["Deaths by Date", "0", "10", "20", "30", "KEY", "1193", "25356"]))
    [1, 2, 3, 4]
    >>> sorted(axis_lines(["1193", "25356", "6719", "33273"]))
    []
    """
    vals: list[float | None] = []
    for line in lines:
        t = line.strip()
        nums = find_numbers(t) if len(t) <= 16 else []
        whole = len(nums) == 1 and nums[0].start == 0 and nums[0].end == len(t) and not nums[0].words
        vals.append(nums[0].value if whole else None)
    out: set[int] = set()
    i = 0
    while i < len(vals):
        j = i + 1
        if vals[i] is not None and j < len(vals) and vals[j] is not None and vals[j] != vals[i]:
            step = vals[j] - vals[i]
            while j + 1 < len(vals) and vals[j + 1] is not None \
                    and abs(vals[j + 1] - vals[j] - step) <= 1e-9 * abs(step):
                j += 1
            if j - i + 1 >= 4:
                out.update(range(i, j + 1))
                i = j + 1
                continue
        i += 1
    return out


def _is_key_figure(clean: str) -> bool:
    """A headline number: alone on its line, or after an ALL-CAPS label and a colon."""
    return len(clean) <= 60 and bool(_KEY_RE.match(clean))


def _bounded(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """text[s:e] in pieces of at most MAX_SENTENCE_CHARS, cut after the last clause mark (or else
    space) in each window; a piece with no space at all is cut where the window ends."""
    out = []
    while e - s > MAX_SENTENCE_CHARS:
        limit = s + MAX_SENTENCE_CHARS
        cuts = [m.end() for m in _CUT.finditer(text, limit - MAX_SENTENCE_CHARS // 2, limit)]
        marks = [c for c in cuts if text[c - 2] in ";,"]
        cut = (marks or cuts or [limit])[-1]
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


def _ranges(sentence: str, nums: list[Num]) -> list[tuple[Num, Num | None]]:
    """Pair "10 to 20", "10-20", "between 10 and 20" into ranges; "from 10 to 20" stays two numbers."""
    out: list[tuple[Num, Num | None]] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums):
            b = nums[i + 1]
            gap = sentence[a.end : b.start]
            before = sentence[max(0, a.start - 12) : a.start].lower()
            is_range = (_RANGE_GAP.match(gap) and not re.search(r"\bfrom[\s*_]*$", before)) or (
                re.match(r"^[\s*_]+and[\s*_]+$", gap) and re.search(r"\bbetween[\s*_]*$", before)
            )
            if (
                is_range
                and b.value > a.value * (1 if not a.percent or b.percent else 0)
                and (a.words == b.words)
                and not (a.percent and not b.percent)
            ):
                out.append((a, b))
                i += 2
                continue
        out.append((a, None))
        i += 1
    return out
