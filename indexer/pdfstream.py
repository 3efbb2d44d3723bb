"""PDF content-stream bytes -> pypdf operations, parsed with compiled regexes instead of pypdf's byte reader.

`parse_operations(data)` returns what pypdf's `ContentStream(...).operations` would, `text_ops_only(data)`
keeps only the operations that can change pypdf's text extraction, and inside `fast_text_extraction()`
pypdf's `extract_text` gets `parse_operations(text_ops_only(data))` for each content stream (done in one
pass). Whatever the tokenizer does not recognise (inline images, malformed or unusual syntax, anything
pypdf would warn about or refuse) is left to pypdf's own parser: slower, never different.
"""

from __future__ import annotations

import contextvars
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, partial

from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    create_string_object,
)

__all__ = ["TEXT_OPERATORS", "fast_text_extraction", "parse_operations", "text_ops_only"]

# Operators pypdf 7.1 reads while extracting text: `_extract_text` handles ' " TJ TD Do itself and
# TextExtraction.process_operation the rest; every other operator is skipped there.
TEXT_OPERATORS = frozenset(
    {b"BT", b"ET", b"q", b"Q", b"cm", b"Tz", b"Tc", b"Tw", b"TL", b"Tf", b"Td", b"Tm", b"T*", b"Tj",
     b"'", b'"', b"TJ", b"TD", b"Do"}
)

# --- Token grammar ----------------------------------------------------------------------------------
# Whitespace is what pypdf skips everywhere except that it also skips NUL between tokens and treats
# vertical tab as a delimiter: both are left out, so a stream containing them goes to pypdf.
_WS = rb"[ \t\n\r\f]"
_REG = rb"[^ \t\n\r\f\x0b()<>\[\]{}/%]"  # a byte that continues a name or an operator
# pypdf's number bytes are [+,-.0-9] (its pattern is the range "+-."); the length caps keep us below
# pypdf's read limits (48 bytes for numbers, 112 for operators, 4096 for names).
_NUM = rb"[-+.0-9][-+,.0-9]{0,39}+(?![-+,.0-9])"
_NAME = rb"/" + _REG + rb"{0,2000}+(?!" + _REG + rb")"
_KEYWORD = rb"(?:true|false|null)(?!" + _REG + rb")"
_STR0 = rb"(?:[^()\\]++|\\.)*+"
_STR = rb"\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.|\(" + _STR0 + rb"\))*+\))*+\)"  # nested up to 3 deep
_HEX = rb"<[0-9A-Fa-f \t\n\r\f]*+>"
_SIMPLE = rb"(?:" + b"|".join((_NUM, _NAME, _STR, _HEX, _KEYWORD)) + rb")"
_DICT_END = rb">>(?![ \t\n\r\f\x00]*+stream)"  # pypdf would read a stream body after "<<...>> stream"
_ARR0 = rb"\[(?:" + _WS + rb"*+" + _SIMPLE + rb")*+" + _WS + rb"*+\]"
_DICT0 = (rb"<<(?:" + _WS + rb"*+" + _NAME + _WS + rb"*+(?:" + _SIMPLE + rb"|" + _ARR0 + rb"))*+" + _WS
          + rb"*+" + _DICT_END)
_ARR1 = rb"\[(?:" + _WS + rb"*+(?:" + _SIMPLE + rb"|" + _ARR0 + rb"|" + _DICT0 + rb"))*+" + _WS + rb"*+\]"
_DICT1 = (rb"<<(?:" + _WS + rb"*+" + _NAME + _WS + rb"*+(?:" + _SIMPLE + rb"|" + _ARR1 + rb"|" + _DICT0
          + rb"))*+" + _WS + rb"*+" + _DICT_END)
_COMMENT = rb"%[^\r\n]*+"
# At the top level true/false/null are operators, as in pypdf. BI starts an inline image and "1 0 R"
# is an indirect reference (an error in a content stream): neither is an operator here.
_OPERAND = rb"(?:" + b"|".join((_NUM, _NAME, _STR, _HEX, _ARR1, _DICT1, _COMMENT)) + rb")"
_OPERATOR = rb"(?!BI(?!" + _REG + rb"))(?!R(?![A-Za-z]))[A-Za-z'\"]" + _REG + rb"{0,99}+(?!" + _REG + rb")"
_RUN = rb"(?:" + _OPERAND + _WS + rb"*+)*+"
_FLAT_ARRAY = rb"\[(?:" + _WS + rb"*+(?:" + _STR + rb"|" + _HEX + rb"|" + _NUM + rb"))*+" + _WS + rb"*+\]"
_NUMS = rb"(?:" + _NUM + _WS + rb"*+)*+"
_TRAILING = rb"(?:" + _OPERAND + _WS + rb"*+)++\Z"  # operands with no operator: pypdf drops them
# One match per operation: (operands, operator, trailing comment, unparsed byte). The last alternative
# takes any byte the others cannot, so findall never skips anything silently.
_OPERATION = re.compile(
    _WS + rb"*+(?:(" + _RUN + rb")(" + _OPERATOR + rb")|(" + _COMMENT + rb")|" + _TRAILING + rb"|(.))", re.S
)
# The same with the common operand shapes first, so that they need no second tokenizing pass:
# numbers only (Td Tm cm, paths, colours), one string (Tj ' "), a flat string/number array (TJ),
# a name and numbers (Tf Do gs). Groups: numbers, op | string, op | array, op | name, numbers, op |
# operands, op | comment | (trailing operands: none) | unparsed byte.
_SHAPES = (
    rb"(" + _NUMS + rb")(" + _OPERATOR + rb")"
    rb"|(" + _STR + rb"|" + _HEX + rb")" + _WS + rb"*+(" + _OPERATOR + rb")"
    rb"|(" + _FLAT_ARRAY + rb")" + _WS + rb"*+(" + _OPERATOR + rb")"
    rb"|(" + _NAME + rb")" + _WS + rb"*+(" + _NUMS + rb")(" + _OPERATOR + rb")"
    rb"|(" + _RUN + rb")(" + _OPERATOR + rb")|(" + _COMMENT + rb")|" + _TRAILING + rb"|(.)"
)
_SHAPED_OPERATION = re.compile(_WS + rb"*+(?:" + _SHAPES + rb")", re.S)
# Operators text extraction ignores, commonly found in long runs (paths, colours, marked content).
_SKIPPED = (b"m l c v y h re S s f F f* B B* b b* n W W* w J j M i ri g G rg RG k K cs CS sc SC scn SCN "
            b"gs sh BMC BDC EMC MP DP Tr Ts BX EX d0 d1").split()
_SMALL_DICT = (rb"<<(?:" + _WS + rb"*+" + _NAME + _WS + rb"*+" + _SIMPLE + rb"){0,1000}+" + _WS + rb"*+"
               + _DICT_END)
# For text extraction: a run of such operations, with number, name or small-dictionary operands, is
# one match without groups (so all groups come back empty), before the shapes above.
_SKIPPED_RUN = (rb"(?:(?:(?:" + _NUM + rb"|" + _NAME + rb"|" + _SMALL_DICT + rb")" + _WS + rb"*+)*+(?:"
                + b"|".join(re.escape(op) for op in sorted(_SKIPPED, key=len, reverse=True))
                + rb")(?!" + _REG + rb")" + _WS + rb"*+)++")
_TEXT_OPERATION = re.compile(_WS + rb"*+(?:" + _SKIPPED_RUN + rb"|" + _SHAPES + rb")", re.S)
_FLAT_ITEM = re.compile(_WS + rb"*+(?:(" + _STR + rb"|" + _HEX + rb")|(" + _NUM + rb"))", re.S)
# Tokens inside an operand run that _OPERATION already validated.
_TOKEN = re.compile(
    _WS + rb"*+(?:(" + _NUM + rb")|(" + _NAME + rb")|(" + _STR + rb")|(" + _HEX + rb")|(\[)|(\])|(<<)|(>>)"
    rb"|(true|false|null)|" + _COMMENT + rb")",
    re.S,
)
_ESCAPE = re.compile(rb"\\(?:([nrtbf()/\\ %<>\[\]#_&$])|([0-7]{1,3})|([\r\n])[\r\n]?|(.))", re.S)
_ESCAPED = {bytes((c,)): bytes((v,))
            for c, v in zip(b"nrtbf()/\\ %<>[]#_&$", b"\n\r\t\b\f()/\\ %<>[]#_&$", strict=True)}
_HEX_SPACE = b" \t\n\r\f"
_KEYWORDS = {b"true": lambda: BooleanObject(True), b"false": lambda: BooleanObject(False), b"null": NullObject}


class _Unsupported(Exception):
    """Raised inside the tokenizer when pypdf's parser has to decide."""


def _unescape(m: re.Match) -> bytes:
    char, octal, newline, _other = m.groups()
    if char:
        return _ESCAPED[char]
    if octal:
        value = int(octal, 8)
        # pypdf keeps the backslash and re-reads the digits when the code overflows a byte
        return bytes((value,)) if value < 256 else b"\\" + octal
    if newline:
        return b""
    raise _Unsupported("unknown escape: pypdf logs a warning for it")


def _number(token: bytes) -> NumberObject | FloatObject:
    # int()/float() fail exactly where pypdf logs "invalid" and substitutes 0: ValueError -> pypdf.
    if b"." in token:
        return float.__new__(FloatObject, float(token))
    return int.__new__(NumberObject, int(token))


@lru_cache(maxsize=4096)
def _name_text(token: bytes, charsets: tuple[str, ...]) -> str:
    raw = NameObject.unnumber(token)
    for charset in charsets:
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            pass
    raise _Unsupported("name in no known charset")


def _name(token: bytes) -> NameObject:
    return NameObject(_name_text(token, tuple(NameObject.CHARSETS)))  # users may change CHARSETS


def _string(lit: bytes, encoding):
    """A literal (...) or hex <...> string token -> the object pypdf's create_string_object makes."""
    body = lit[1:-1]
    if lit[0] == 0x3C:
        digits = body.translate(None, _HEX_SPACE).decode()
        body = bytes.fromhex(digits + "0" * (len(digits) % 2))  # pypdf pads an odd last digit with 0
    elif b"\\" in body:
        body = _ESCAPE.sub(_unescape, body)
    if encoding == "bytes":
        return ByteStringObject(body)
    return create_string_object(body, encoding)


class _Made(dict):
    """token -> pypdf object, made on first use. Numbers, names and strings are immutable values,
    so the operations of one stream share equal ones (pypdf makes a new object each time)."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, token: bytes):
        value = self[token] = self.make(token)
        return value


class _Builder:
    """pypdf objects from token bytes the regexes above have already validated."""

    def __init__(self, encoding, elements: int) -> None:
        self.elements = elements
        self.numbers = _Made(_number)
        self.names = _Made(_name)
        self.strings = _Made(partial(_string, encoding=encoding))

    def flat_array(self, arr: bytes) -> ArrayObject:
        numbers, strings = self.numbers, self.strings
        out = ArrayObject([strings[lit] if lit else numbers[num] for lit, num in _FLAT_ITEM.findall(arr, 1)])
        if len(out) > self.elements:
            raise _Unsupported("array over pypdf's element limit")
        return out

    def operands(self, run: bytes) -> list:
        out: list = []
        cur: list = out
        stack: list[list] = []
        for num, name, lit, hexa, arr, arr_end, dic, dic_end, word in _TOKEN.findall(run):
            if num:
                cur.append(self.numbers[num])
            elif name:
                cur.append(self.names[name])
            elif lit or hexa:
                cur.append(self.strings[lit or hexa])
            elif arr or dic:
                stack.append(cur)
                cur = ArrayObject() if arr else []
            elif arr_end:
                done, cur = cur, stack.pop()
                if len(done) > self.elements:
                    raise _Unsupported("array over pypdf's element limit")
                cur.append(done)
            elif dic_end:
                items, cur = cur, stack.pop()
                data = dict(zip(items[::2], items[1::2], strict=True))
                if len(data) * 2 != len(items) or len(data) > self.elements:
                    raise _Unsupported("repeated key or too many entries: pypdf warns or refuses")
                value = DictionaryObject()
                value.update(data)
                cur.append(value)
            elif word:
                cur.append(_KEYWORDS[word]())
            # else: a comment
        return out


def _scan(data: bytes, keep: frozenset[bytes] | None, encoding) -> list[tuple[list, bytes]] | None:
    """Operations of `data` (only those in `keep`, unless None), or None when pypdf must parse it."""
    budget, elements = _limits()
    if len(data) >= budget or elements < 1000:
        return None  # pypdf may run out of its token budget, or count dictionary entries we skip unchecked
    big = len(data) > elements  # only then can one array or dictionary be over pypdf's limit
    build = _Builder(encoding, elements)
    number, name, string = build.numbers.__getitem__, build.names.__getitem__, build.strings.__getitem__
    ops: list[tuple[list, bytes]] = []
    append = ops.append
    pattern = _SHAPED_OPERATION if keep is None else _TEXT_OPERATION
    try:
        for nums, op1, lit, op2, arr, op3, nam, args, op4, run, op5, _comment, bad in pattern.findall(data):
            if op1:
                if keep is None or op1 in keep:
                    append((list(map(number, nums.split())) if nums else [], op1))
            elif op2:
                if keep is None or op2 in keep:
                    append(([string(lit)], op2))
            elif op3:
                if keep is None or op3 in keep:
                    append(([build.flat_array(arr)], op3))
                elif big and len(arr) > elements:
                    return None
            elif op4:
                if keep is None or op4 in keep:
                    append(([name(nam), *map(number, args.split())] if args else [name(nam)], op4))
            elif op5:
                if keep is None or op5 in keep:
                    append((build.operands(run), op5))
                elif big and len(run) > elements:
                    return None
            elif bad:
                return None
            # else: a comment, trailing operands, or a run of operators text extraction skips
    except (_Unsupported, ValueError):
        return None
    return ops


def _limits() -> tuple[int, int]:
    """pypdf's parsing budget for one stream (at most one unit per byte) and its element limit for one
    array or dictionary: a stream that could reach them is left to pypdf, which raises LimitReachedError."""
    try:
        from pypdf._configuration import get_configuration

        conf = get_configuration()
        return (conf.stream_parsing_work_maximum_count,
                min(conf.array_maximum_element_count, conf.dictionary_maximum_element_count))
    except (ImportError, AttributeError):
        return 2_000_000, 100_000  # pypdf 7.1's defaults


def _pypdf_operations(data: bytes, encoding) -> list[tuple[list, bytes]]:
    stream = ContentStream(None, None, encoding)
    stream.set_data(data)
    return stream.operations


def parse_operations(data: bytes, forced_encoding=None) -> list[tuple[list, bytes]]:
    """The (operands, operator) list pypdf's `ContentStream(stream, pdf, forced_encoding).operations` gives.

    >>> parse_operations(b"BT /F1 9 Tf 72 700.5 Td (Hi\\\\051) Tj ET", "bytes")
    [([], b'BT'), (['/F1', 9], b'Tf'), ([72, 700.5], b'Td'), ([b'Hi)'], b'Tj'), ([], b'ET')]
    """
    ops = _scan(data, None, forced_encoding)
    return _pypdf_operations(data, forced_encoding) if ops is None else ops


def text_ops_only(data: bytes) -> bytes:
    """`data` with only the operations pypdf's text extraction reads (TEXT_OPERATORS), each copied
    byte-for-byte with its operands, one per line; `data` itself when it cannot be tokenized here
    (inline images, unusual syntax).

    >>> text_ops_only(b"q 1 0 0 RG 0 0 m 10 10 l S BT /F1 9 Tf (a) Tj ET Q")
    b'q\\nBT\\n/F1 9 Tf\\n(a) Tj\\nET\\nQ'
    """
    budget, elements = _limits()
    if len(data) >= budget:
        return data
    big = len(data) > elements
    kept: list[bytes] = []
    for run, op, _comment, bad in _OPERATION.findall(data):
        if op in TEXT_OPERATORS:
            kept.append(run + op)
        elif bad or (big and len(run) > elements):
            return data  # pypdf has to see it all: it may refuse the stream
    return b"\n".join(kept)


# --- The pypdf hook ---------------------------------------------------------------------------------

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("pdfstream_fast_text", default=False)
_INSTALL_LOCK = threading.Lock()
_installed = False


def _install() -> None:
    """Wrap pypdf's `_get_content_stream_for_text` once; the wrapper is a pass-through outside
    `fast_text_extraction()`. A pypdf without that function keeps its own (slower) parsing."""
    global _installed
    with _INSTALL_LOCK:
        if _installed:
            return
        _installed = True
        try:
            from pypdf import _text_extraction
        except ImportError:
            return
        original = getattr(_text_extraction, "_get_content_stream_for_text", None)
        if not callable(original):
            return

        def content_stream_for_text(*args, **kwargs):
            content = original(*args, **kwargs)
            if content is None or not _ACTIVE.get():
                return content
            encoding = getattr(content, "forced_encoding", None)
            ops = _scan(content.get_data(), TEXT_OPERATORS, encoding)
            if ops is None:
                return content
            # A new object: `content` can be the document's own ContentStream, which must not change.
            fast = ContentStream(None, content.pdf, encoding)
            fast.operations = ops
            return fast

        content_stream_for_text.__wrapped__ = original
        _text_extraction._get_content_stream_for_text = content_stream_for_text


@contextmanager
def fast_text_extraction() -> Iterator[None]:
    """While active (in this thread/context), pypdf's `page.extract_text()` parses content streams
    with this module and skips operators that cannot add text. The text is the same; operand
    visitors (`visitor_operand_before/after`) would see only TEXT_OPERATORS, so do not use them here.
    """
    _install()
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
