"""indexer.pdfstream: content-stream bytes -> pypdf operations, checked against pypdf's own parser and text
extraction on streams and PDFs written here (text in every show form, paths, colours, clipping, marked
content, a form XObject, an inline image)."""

from __future__ import annotations

import io
import logging
import threading

import pytest
from pypdf import PdfReader
from pypdf import _text_extraction as pypdf_text
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, ContentStream, DecodedStreamObject, NameObject, TextStringObject

from indexer import pdfstream
from indexer.parse import extract_page
from indexer.pdfstream import TEXT_OPERATORS, fast_text_extraction, parse_operations, text_ops_only

from .pdfs import pdf_file

GRAPHICS = (b"q 0.5 0 0 RG 1 0 0 rg 2 w [3 2] 0 d 1 J 1 j 10 M /GS1 gs\n"
            b"50 50 m 100 100 l 150 50 120 30 110 20 c 1 2 3 4 v 5 6 7 8 y h S\n"
            b"10 10 200 200 re W n 10 10 20 20 re W* n f* B b* 0 0 1 k 0 g 0.2 G 0 0 0 1 K\n"
            b"/DeviceRGB cs 0.1 0.2 0.3 sc /DeviceRGB CS 0.1 0.2 0.3 SCN /P0 scn Q\n")
TEXT = (b"/Span <</MCID 0 /Lang (en-US)>> BDC\n"
        b"BT /F1 12 Tf 14 TL 72 720 Td (Hello \\(world\\) back\\\\slash \\101\\102\\103 octal) Tj\n"
        b"T* [(Kerned) -250 (words) 120 (here)] TJ\n"
        b"(Next line via quote) '\n"
        b"2 1 (Spaced line via double quote) \"\n"
        b"0 -14 Td <48657820737472696e67> Tj 0 -14 Td [<4869> -300 <54686572 65>] TJ\n"
        b"0 -14 Td (Nested (parens (inside)) text) Tj\n"
        b"0 -20 TD (After TD) Tj T* (Escapes \\n\\t\\r\\b\\f\\% a\\\nb \\777 \\0613) Tj\n"
        b"3 Tr 2 Ts 90 Tz 0.5 Tc 1 Tw 0 Tr 0 Ts 100 Tz 0 Tc 0 Tw\n"
        b"1 0 0 1 72 500 Tm (Matrix placed) Tj\n"
        b"ET EMC\n"
        b"/Artifact BMC BT /F1 9 Tf 72 40 Td (Page footer) Tj ET EMC\n"
        b"%a comment\n"
        b"/OC /MC0 BDC 0 0 m 5 5 l S EMC\n")
FORM = b"q 0 0 m 200 0 l S 1 0 0 rg BT /F1 10 Tf 5 5 Td (Form text) Tj ET Q"
INLINE_IMAGE = b"q 10 0 0 10 300 300 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\xff\x00\nEI Q\n"


def _pdf(contents: list[bytes]) -> bytes:
    """A PDF with one page per content stream; every page has font /F1, graphics state /GS1 and a
    form XObject /Fm1 (with text) among its resources."""
    objs = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Type /ExtGState /CA 0.5 /LW 2 >>",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Length %d >>\nstream\n%s\nendstream" % (len(FORM), FORM)]
    kids = []
    for content in contents:
        kids.append(len(objs) + 1)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources "
                    b"<< /Font << /F1 3 0 R >> /ExtGState << /GS1 4 0 R >> /XObject << /Fm1 5 0 R >> >> >>"
                    % (len(objs) + 2))
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return pdf_file(objs)


PAGES = {
    "text and graphics": GRAPHICS + TEXT,
    "form xobject": TEXT[:60] + b"q 1 0 0 1 300 300 cm /Fm1 Do Q BT /F1 12 Tf 72 100 Td (After the form) Tj ET",
    "inline image": TEXT + INLINE_IMAGE + b"BT /F1 12 Tf 72 80 Td (After the image) Tj ET",
    "graphics only": GRAPHICS,
}


@pytest.fixture(scope="module")
def reader() -> PdfReader:
    return PdfReader(io.BytesIO(_pdf(list(PAGES.values()))))


# --- parse_operations against pypdf's parser -----------------------------------------------------

EXAMPLES = {
    "empty": b"",
    "whitespace": b" \r\n\t\x0c ",
    "numbers": b"0 1 -1 +2 1. .5 -.5 +.25 007 3.14159 0.0000000000000000000000000000000001 99999999999999999999 cm",
    "numbers glued to operators": b"1 2 3 4 5 6cm 7 8Td",
    "names": b"/F1 /A#20B /A#2 /A#zz / /\xc3\xa9 /\xe9 /Span#28x#29 Tf",
    "strings": b"(abc) () (a(b)c) (a(b(c)d)e) (\\(\\)\\\\) (\\n\\r\\t\\b\\f) (\\101\\1\\12\\1234) (\\777) (\\400) Tj",
    "escaped line ends": b"(a\\\nb) (a\\\r\nb) (a\\\n\rb) (a\\\r\rb) (line\nbreak) (%not a comment) Tj",
    "escaped delimiters": b"(\\%\\<\\>\\[\\]\\#\\_\\&\\$\\/\\ ) Tj",
    "string encodings": b"(\xfe\xff\x00A) (\xff\xfeA\x00) (\x00A) (A\x00) (\xef\xbb\xbfok) (\x80\x9f) Tj",
    "hex strings": b"<> <41> <4> <41 42\n43> <feff0041> <00410042> <4869> Tj",
    "TJ array": b"[(Kerned) -250 (words) 120.5 <4869>] TJ [] TJ",
    "nested arrays": b"[1 [2 (x) /N] <</A 1>> true false null] [ ] d",
    "dictionaries": b"/Span <</MCID 0 /Lang (en-US)>> BDC /P <</A [1 2] /B <</C true /D null>>>> BDC",
    "top-level keywords are operators": b"true false null",
    "quotes": b"(a) ' 1 2 (b) \" 'x \"y",
    "comments": b"%first\n1 %between operands\n2 Td % after\n%last",
    "odd operators": b"T* f* W* B* b* d0 d1 BX EX BIX ID EI RG RG1 endobj stream",
    "operands before the end": b"BT 1 2",
    "NUL inside an operator": b"Tj\x00 ET",
}
FALLBACK = {  # left to pypdf: its answer may come with a warning, or our tokenizer does not cover it
    "inline image": INLINE_IMAGE,
    "unknown escape": b"(\\q) Tj",
    "parens nested 4 deep": b"(a(b(c(d)e)f)g) Tj",
    "comment in an array": b"[(a) %c\n(b)] TJ",
    "NUL as whitespace": b"1\x002 Td",
    "invalid number": b"1-2 3 Td",
    "repeated dictionary key": b"/P <</A 1 /A 2>> BDC",
    "dictionary then stream": b"/P <<>> stream\nx\nendstream",
    "long number": b"1" * 45 + b" Tz",
    "arrays nested 3 deep": b"[1 [2 [3]]] d",
}
ERRORS = {  # pypdf refuses these; so must parse_operations
    "unterminated string": b"(abc Tj",
    "bad hex digit": b"<4g> Tj",
    "indirect reference": b"1 0 R Tj",
    "stray bracket": b"] Tj",
    "long operator": b"x" * 130,
}


def _pypdf(data: bytes, encoding):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return ContentStream(stream, None, encoding).operations


def _same(a, b) -> bool:
    """Equal values of identical types, all the way down (and the same decoding of text strings)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return (list(a) == list(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
                and all(_same(dict.__getitem__(a, k), dict.__getitem__(b, k)) for k in a))
    if isinstance(a, TextStringObject):
        attrs = ("_original_bytes", "autodetect_utf16", "autodetect_pdfdocencoding", "utf16_bom")
        return a == b and all(getattr(a, n) == getattr(b, n) for n in attrs)
    return a == b


@pytest.mark.parametrize("encoding", ["bytes", None])
@pytest.mark.parametrize("data", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_parse_operations_matches_pypdf(data, encoding):
    assert pdfstream._scan(data, None, encoding) is not None, "should not need pypdf's parser"
    assert _same(parse_operations(data, encoding), _pypdf(data, encoding))


@pytest.mark.parametrize("data", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_text_scan_is_parse_of_text_ops_only(data):
    want = [(operands, op) for operands, op in _pypdf(data, "bytes") if op in TEXT_OPERATORS]
    assert _same(pdfstream._scan(data, TEXT_OPERATORS, "bytes"), want)
    assert _same(parse_operations(text_ops_only(data), "bytes"), want)


@pytest.mark.parametrize("data", FALLBACK.values(), ids=FALLBACK.keys())
def test_unusual_syntax_is_left_to_pypdf(data, caplog):
    caplog.set_level(logging.CRITICAL, logger="pypdf")
    assert pdfstream._scan(data, None, "bytes") is None
    reference = _pypdf(data, "bytes")
    assert _same(parse_operations(data, "bytes"), reference)
    # Skipped operators are not built, so what pypdf would only warn about there does not matter
    want = [(operands, op) for operands, op in reference if op in TEXT_OPERATORS]
    text = pdfstream._scan(data, TEXT_OPERATORS, "bytes")
    assert text is None or _same(text, want)
    assert _same([(operands, op) for operands, op in _pypdf(text_ops_only(data), "bytes")
                  if op in TEXT_OPERATORS], want)


@pytest.mark.parametrize("data", ERRORS.values(), ids=ERRORS.keys())
def test_what_pypdf_refuses_is_refused(data):
    with pytest.raises(Exception) as expected:
        _pypdf(data, "bytes")
    with pytest.raises(type(expected.value)):
        parse_operations(data, "bytes")
    assert pdfstream._scan(data, TEXT_OPERATORS, "bytes") is None
    assert text_ops_only(data) == data


def test_streams_that_may_reach_pypdf_limits_are_left_to_it(monkeypatch):
    data = b"[1 2 3 4 5 6 7 8 9 10 11 12] TJ 0 0 m"
    assert pdfstream._scan(data, None, "bytes") is not None
    monkeypatch.setattr(pdfstream, "_limits", lambda: (2_000_000, 10))
    assert pdfstream._scan(data, None, "bytes") is None
    monkeypatch.setattr(pdfstream, "_limits", lambda: (len(data), 100_000))
    assert pdfstream._scan(data, None, "bytes") is None
    assert text_ops_only(data) == data


def test_pypdf_token_budget_is_respected():
    # pypdf spends at most one unit of its budget per byte, so shorter streams can never reach it
    assert pdfstream._limits()[0] >= 1_000_000
    with pytest.raises(LimitReachedError):
        _pypdf(b"[" + b"1 " * 100_001 + b"] d", "bytes")
    with pytest.raises(LimitReachedError):
        parse_operations(b"[" + b"1 " * 100_001 + b"] d", "bytes")


# --- text_ops_only --------------------------------------------------------------------------------

def test_text_operators_are_those_pypdf_extraction_reads():
    from pypdf._text_extraction._text_extractor import TextExtraction

    # a pypdf upgrade that reads more operators must show up here, not as subtly different text
    assert set(TextExtraction().operation_handlers) | {b"'", b'"', b"TJ", b"TD", b"Do"} == TEXT_OPERATORS


def test_text_ops_only_keeps_text_operators_and_drops_the_rest():
    data = GRAPHICS + TEXT
    kept = text_ops_only(data)
    ops = [op for _, op in _pypdf(kept, "bytes")]
    assert set(ops) <= TEXT_OPERATORS
    assert {b"BT", b"ET", b"Tf", b"TL", b"Td", b"TD", b"Tj", b"TJ", b"'", b'"', b"T*", b"Tm", b"Tz", b"Tc",
            b"Tw", b"q", b"Q"} <= set(ops)
    dropped = {op for _, op in _pypdf(data, "bytes")} - set(ops)
    assert {b"m", b"l", b"c", b"v", b"y", b"h", b"S", b"re", b"W", b"W*", b"n", b"f*", b"B", b"b*", b"RG", b"rg",
            b"k", b"K", b"g", b"G", b"cs", b"CS", b"sc", b"SCN", b"scn", b"w", b"d", b"J", b"j", b"M", b"gs",
            b"BDC", b"BMC", b"EMC", b"Tr", b"Ts"} == dropped
    assert b"(Hello \\(world\\) back\\\\slash \\101\\102\\103 octal) Tj" in kept  # copied byte for byte


def test_text_ops_only_leaves_inline_images_alone():
    assert text_ops_only(TEXT + INLINE_IMAGE) == TEXT + INLINE_IMAGE


# --- fast_text_extraction -------------------------------------------------------------------------

@pytest.mark.parametrize("number", range(len(PAGES)), ids=PAGES.keys())
def test_extraction_is_identical(reader, number):
    page = reader.pages[number]
    plain, plain_visited = page.extract_text(), extract_page(page)
    with fast_text_extraction():
        fast, fast_visited = page.extract_text(), extract_page(page)
    assert fast == plain
    assert fast_visited == plain_visited
    assert extract_page(page) == plain_visited  # and back to normal afterwards


def test_extraction_finds_the_text(reader):
    with fast_text_extraction():
        texts = [extract_page(page) for page in reader.pages]
    for words in ("Hello (world) back\\slash ABC octal", "Kerned", "Next line via quote", "Spaced line via double",
                  "Hex string", "Nested (parens (inside)) text", "After TD", "Matrix placed", "Page footer"):
        assert words in texts[0]
    assert "Form text" in texts[1] and "After the form" in texts[1]
    assert "After the image" in texts[2]
    assert texts[3].strip() == ""


def test_form_xobject_and_page_streams_match_pypdf(reader):
    form = reader.pages[1]["/Resources"]["/XObject"]["/Fm1"].get_object()
    streams = [form.get_data()] + [page.get_contents().get_data() for page in reader.pages]
    for data in streams:
        for encoding in ("bytes", None):
            assert _same(parse_operations(data, encoding), _pypdf(data, encoding))
            assert _same(parse_operations(text_ops_only(data), encoding), _pypdf(text_ops_only(data), encoding))


def _stream_for_text(page):
    return pypdf_text._get_content_stream_for_text(page, page.pdf, "/Contents", has_visitor=True)


def test_only_code_inside_the_context_is_affected(reader):
    page = reader.pages[0]
    with fast_text_extraction():
        inside = {op for _, op in _stream_for_text(page).operations}
        seen = {}
        worker = threading.Thread(target=lambda: seen.update(ops={op for _, op in _stream_for_text(page).operations}))
        worker.start()
        worker.join()
    outside = {op for _, op in _stream_for_text(page).operations}
    assert inside <= TEXT_OPERATORS
    assert b"re" in outside and b"re" in seen["ops"]
    assert inside == outside & TEXT_OPERATORS


def test_the_documents_own_content_stream_is_not_changed():
    page = PdfReader(io.BytesIO(_pdf([GRAPHICS + TEXT]))).pages[0]
    own = ContentStream(page["/Contents"].get_object(), page.pdf, "bytes")
    page[NameObject("/Contents")] = own
    before = own.get_data()
    with fast_text_extraction():
        text = page.extract_text()
    assert "Matrix placed" in text
    assert own.get_data() == before
    assert b"re" in {op for _, op in own.operations}


def test_inline_image_stream_falls_back_to_pypdf(reader):
    page = reader.pages[2]
    with fast_text_extraction():
        ops = _stream_for_text(page).operations
    assert b"INLINE IMAGE" in {op for _, op in ops}


def test_tj_array_operands_are_pypdf_objects():
    [(operands, op)] = parse_operations(b"[(a) -250 <4869> 1.5] TJ", "bytes")
    assert op == b"TJ" and isinstance(operands[0], ArrayObject)
    assert [type(x).__name__ for x in operands[0]] == ["ByteStringObject", "NumberObject", "ByteStringObject",
                                                      "FloatObject"]
