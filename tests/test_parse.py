"""indexer.parse / indexer.meta: real PDFs and text files written in tmp_path -> Report."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import pytest

from indexer.errors import SkipFile
from indexer.meta import doc_type_and_number, parse_date, publisher_display
from indexer.parse import clean_markup, clean_pdf_pages, find_files, load_sidecar, parse_file

from .pdfs import pdf_file

# --- a minimal PDF writer: Helvetica text placed line by line, cells at their own x -------------

Line = str | list[tuple[float, str]]  # a line at the left margin, or cells [(x, text), ...]


def _pdf_string(s: str) -> str:
    out = []
    for ch in s.encode("cp1252"):
        c = chr(ch)
        out.append(f"\\{ch:03o}" if ch > 126 else "\\" + c if c in "\\()" else c)
    return "(" + "".join(out) + ")"


def make_pdf(path: Path, pages: list[list[Line]], labels: str = "",
             raw: dict[int, str] | None = None) -> Path:
    """Write a real PDF: each page a list of lines (14 pt apart). `labels` is a /PageLabels
    number tree body; `raw` replaces a page's content stream (e.g. a drawing with no text)."""
    objs = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for no, lines in enumerate(pages):
        ops = []
        for i, line in enumerate(lines):
            y = 780 - 14 * i
            for x, text in [(72, line)] if isinstance(line, str) else line:
                ops.append(f"BT /F1 11 Tf 1 0 0 1 {x} {y} Tm {_pdf_string(text)} Tj ET")
        stream = ((raw or {}).get(no) or "\n".join(ops)).encode("latin-1")
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                    f"<< /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>".encode())
        kids.append(f"{len(objs)} 0 R")
    extra = f" /PageLabels << /Nums [{labels}] >>" if labels else ""
    objs[0] = f"<< /Type /Catalog /Pages 2 0 R{extra} >>".encode()
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    path.write_bytes(pdf_file(objs))
    return path


def pdf_text(tmp_path: Path, lines: list[Line]) -> str:
    return parse_file(make_pdf(tmp_path / "r.pdf", [lines]), sidecar={}).pages[0].text


# --- PDF pages -----------------------------------------------------------------------------------


def test_pages_keep_physical_numbers_and_printed_labels(tmp_path):
    pages = [["Cover page text here."], ["Contents of the report."], ["Body one."], ["Body two."]]
    path = make_pdf(tmp_path / "r.pdf", pages, labels="0 << /S /r >> 2 << /S /D >>")
    report = parse_file(path, sidecar={})
    assert [(p.number, p.label) for p in report.pages] == [(1, "i"), (2, "ii"), (3, "1"), (4, "2")]
    assert report.pages[2].text == "Body one."
    assert all(p.offset == 0 for p in report.pages)


def test_pages_without_labels_use_physical_numbers(tmp_path):
    report = parse_file(make_pdf(tmp_path / "r.pdf", [["One."], ["Two."]]), sidecar={})
    assert [p.label for p in report.pages] == ["1", "2"]


CLEANING = [
    pytest.param(["Partners provided assis-", "tance to 5,000 people."],
                 "Partners provided assistance to 5,000 people.", id="hyphenated-word-joined"),
    pytest.param(["Partners distributed non-", "food items to families."],
                 "Partners distributed non-food items to families.", id="compound-hyphen-kept"),
    pytest.param(["Cases of COVID-", "19 rose sharply."], "Cases of COVID-19 rose sharply.", id="covid-19"),
    pytest.param(["The storm affected an estimated", "1.25 million people in the south."],
                 "The storm affected an estimated 1.25 million people in the south.", id="hard-break-joined"),
    pytest.param(["First sentence ends here.", "Second paragraph starts."],
                 "First sentence ends here.\nSecond paragraph starts.", id="sentence-end-kept"),
    pytest.param(["People reached 11,390", "227 in the second month"],
                 "People reached 11,390\n227 in the second month", id="numbers-never-merged"),
    pytest.param(["HIGHLIGHTS", "\u2022 43 deaths reported.", "\u2022 More than 11,900 houses", "flooded.",
                  "- UNHAS opened five access points."],
                 "HIGHLIGHTS\n- 43 deaths reported.\n- More than 11,900 houses flooded.\n"
                 "- UNHAS opened five access points.", id="bullets"),
    pytest.param(["1,250,000 people affected", "360,000 people in need", "USD 18 million required*",
                  "Total Needs: 3 sectors"],
                 "1,250,000 people affected\n360,000 people in need\nUSD 18 million required*\n"
                 "Total Needs: 3 sectors", id="key-figures-own-lines"),
    pytest.param(["SITUATION OVERVIEW", "Flooding continued in the south"],
                 "SITUATION OVERVIEW\nFlooding continued in the south", id="heading-own-line"),
    pytest.param(["Annex A", "Text one."], "Annex A\nText one.", id="heading-ending-in-capital"),
]


@pytest.mark.parametrize(("lines", "expected"), CLEANING)
def test_pdf_text_cleaning(tmp_path, lines, expected):
    assert pdf_text(tmp_path, lines) == expected


GLYPHS = [  # characters Helvetica/WinAnsi cannot draw, fed to the cleaner directly
    pytest.param("\u25cf More than 11,900 houses\nflooded.\n\u27a2 Five access points.\n\u25aa\nLone bullet.",
                 "- More than 11,900 houses flooded.\n- Five access points.\n- Lone bullet.",
                 id="bullet-glyphs"),
    pytest.param("The of\ufb01ce \ufb02agged\u00a0needs.", "The office flagged needs.", id="ligatures-nbsp"),
    pytest.param("Displace-\nment of families", "Displacement of families", id="suffix-fragment"),
    pytest.param("cash-\nbased transfers; cash-based aid", "cash-based transfers; cash-based aid",
                 id="vocab"),
    pytest.param("North-\nWest department", "North-West department", id="capital-after-hyphen"),
]


@pytest.mark.parametrize(("raw", "expected"), GLYPHS)
def test_clean_pdf_pages_glyphs(raw, expected):
    assert clean_pdf_pages([raw]) == [expected]


def test_table_row_keeps_cells_separated_by_tabs(tmp_path):
    text = pdf_text(tmp_path, [
        "Total Targeted Population",
        [(72, "Women"), (250, "292,230"), (400, "Rural"), (500, "20%")],
        [(72, "Men"), (250, "280,770"), (400, "Urban"), (500, "80%")],
        "The table shows targets.",
    ])
    assert text.split("\n") == ["Total Targeted Population", "Women\t292,230\tRural\t20%",
                                "Men\t280,770\tUrban\t80%", "The table shows targets."]


def test_running_headers_and_footers_are_removed(tmp_path):
    pages = [[f"HAITI Flash Update No. {5}", f"Body text of page {n} continues here.", f"Page {n} of 4"]
             for n in range(1, 5)]
    report = parse_file(make_pdf(tmp_path / "r.pdf", pages), sidecar={})
    assert [p.text for p in report.pages] == [f"Body text of page {n} continues here." for n in range(1, 5)]


def test_header_on_a_minority_of_pages_is_kept(tmp_path):
    pages = [["Annex A", "Text one."], ["Text two."], ["Text three."], ["Text four."]]
    report = parse_file(make_pdf(tmp_path / "r.pdf", pages), sidecar={})
    assert report.pages[0].text == "Annex A\nText one."


# --- files that are skipped ----------------------------------------------------------------------


def _encrypted(tmp_path: Path, user: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", [["Secret figures: 1,000 people."]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
    out = tmp_path / "locked.pdf"
    with out.open("wb") as f:
        writer.write(f)
    return out


SKIPPED = [
    pytest.param("bad.pdf", b"%PDF-1.4\nthis is not really a pdf\n", "corrupt", id="corrupt-pdf"),
    pytest.param("empty.pdf", b"", "empty", id="empty-pdf"),
    pytest.param("empty.txt", b"", "empty", id="empty-txt"),
    pytest.param("blank.md", b"  \n\n \t\n", "empty", id="whitespace-only"),
    pytest.param("report.docx", b"PK\x03\x04 zip", ".pdf .txt .md", id="unsupported-extension"),
    pytest.param("noext", b"text", ".pdf .txt .md", id="no-extension"),
    pytest.param("binary.txt", b"abc\x00\x01\x02def" * 20, "binary", id="binary-txt"),
]


@pytest.mark.parametrize(("name", "data", "reason"), SKIPPED)
def test_unreadable_files_raise_skipfile_with_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SkipFile, match=rf"^{name}: .*{reason}"):
        parse_file(path, sidecar={})


def test_encrypted_pdf_needing_a_password_is_skipped(tmp_path):
    with pytest.raises(SkipFile, match=r"locked.pdf: encrypted PDF .*password"):
        parse_file(_encrypted(tmp_path, "secret"), sidecar={})


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    report = parse_file(_encrypted(tmp_path, ""), sidecar={})
    assert report.pages[0].text == "Secret figures: 1,000 people."


def test_image_only_pdf_is_skipped_with_ocr_message(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[], []], raw={0: "0 0 1 rg 10 10 200 200 re f", 1: "q Q"})
    ocr = r"scan.pdf: no text layer \(scanned/image-only PDF\); OCR is not supported"
    with pytest.raises(SkipFile, match=ocr):
        parse_file(path, sidecar={})


# --- text files ----------------------------------------------------------------------------------

ENCODINGS = [
    pytest.param("utf-8", id="utf-8"),
    pytest.param("utf-8-sig", id="utf-8-bom"),
    pytest.param("utf-16", id="utf-16-bom"),
    pytest.param("cp1252", id="cp1252"),
    pytest.param("latin-1", id="latin-1"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_files_in_other_encodings_are_read(tmp_path, encoding):
    text = "Situación en Perú: 1.043M refugiados y migrantes; niños atendidos: 2,000.\n"
    if encoding == "cp1252":
        text += "Funding \u201cgap\u201d \u2013 36%.\n"
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(encoding))
    assert parse_file(path, sidecar={}).pages[0].text == text


def test_markdown_cleaning_keeps_offsets_into_the_original(tmp_path):
    original = ("# Peru\n\nREQUIREMENT: **\\$148.6 M**\n\nPartners supported **370 refugee students** "
                "and *Centros de Emergencia Mujer* (CEM).\n\t Education\t Health\nNO RMRP\t103\t23,111\n")
    path = tmp_path / "r.md"
    path.write_text(original, encoding="utf-8")
    page = parse_file(path, sidecar={}).pages[0]
    assert len(page.text) == len(original)
    for figure in ("148.6", "370", "23,111"):
        i = page.text.index(figure)
        assert original[page.offset + i: page.offset + i + len(figure)] == figure
    assert "**" not in page.text and "\\$" not in page.text and "#" not in page.text
    assert "NO RMRP\t103\t23,111" in page.text
    assert "  $148.6 M  " in page.text


MARKUP = [
    pytest.param("**54M**", "  54M  ", id="bold"),
    pytest.param("*em* text", " em  text", id="emphasis"),
    pytest.param("\\$148.6", " $148.6", id="escaped-dollar"),
    pytest.param("## Heading", "   Heading", id="heading-marker"),
    pytest.param("* item", "- item", id="star-bullet"),
    pytest.param("snake_case_name and 2*3*4", "snake_case_name and 2*3*4", id="not-markup"),
    pytest.param("see <https://example.org/a_b>", "see <https://example.org/a_b>", id="autolink-stays"),
]


@pytest.mark.parametrize(("source", "expected"), MARKUP)
def test_clean_markup_is_length_preserving(source, expected):
    assert clean_markup(source) == expected
    assert len(clean_markup(source)) == len(source)


def test_form_feeds_split_pages_with_offsets(tmp_path):
    original = "Page one text.\fPage two: 1,000 people.\f\fPage three."
    path = tmp_path / "r.txt"
    path.write_text(original, encoding="utf-8")
    pages = parse_file(path, sidecar={}).pages
    assert [(p.number, p.label, p.text) for p in pages] == [
        (1, "1", "Page one text."), (2, "2", "Page two: 1,000 people."), (3, "3", "Page three.")]
    for p in pages:
        assert original[p.offset: p.offset + len(p.text)] == p.text


# --- report identity and metadata ----------------------------------------------------------------


def test_report_path_name_and_hash(tmp_path):
    sub = tmp_path / "corpus" / "haiti"
    sub.mkdir(parents=True)
    path = sub / "r.txt"
    path.write_text("Some report text.", encoding="utf-8")
    report = parse_file(path, root=tmp_path / "corpus", sidecar={})
    assert (report.path, report.name) == ("haiti/r.txt", "r.txt")
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_page_heading_gives_number_type_and_date(tmp_path):
    path = make_pdf(tmp_path / "fu5.pdf", [[
        "HAITI : Hurricane Melissa", "FLASH UPDATE No.5 - as of 10 November 2025",
        "HIGHLIGHTS", "OCHA reports 43 deaths in Haiti.", "OCHA and WFP continue the response."]])
    meta = parse_file(path, sidecar={}).meta
    assert (meta.number, meta.doc_type, meta.date) == ("5", "flash update", "2025-11-10")
    assert meta.title == "HAITI : Hurricane Melissa FLASH UPDATE No.5 - as of 10 November 2025"
    assert meta.country == "Haiti"
    assert meta.publisher.startswith("OCHA (")


def test_words_placed_one_by_one_stay_on_their_line(tmp_path):
    """Some PDFs place every word in its own text object with a mirrored matrix; pypdf then breaks
    the line after each word. Words on one baseline read as one line again."""
    def line(y: float, words: list[str]) -> str:
        ops, x = [f"q .75 0 0 .75 72 {y} cm"], 0
        for w in words:
            ops.append(f"BT /F1 18 Tf 1 0 0 -1 12 6.67 Tm {x} -17.1 Td ({w}) Tj ET")
            x += len(w) * 10 + 6
        return "\n".join(ops + ["Q"])

    stream = "1 0 0 -1 0 842 cm\n" + line(215, ["HURRICANE", "MELISSA"]) + "\n" + line(245, ["UNFPA", "is",
                                                                                           "appealing"])
    text = parse_file(make_pdf(tmp_path / "words.pdf", [[]], raw={0: stream}), sidecar={}).pages[0].text
    assert text.splitlines()[:2] == ["HURRICANE MELISSA", "UNFPA is appealing"]


def test_dates_printed_on_the_first_page_are_kept_beside_the_publication_date(tmp_path):
    """ReliefWeb dates a report when it was posted; the report's own date and the "as of" date of its
    figures (often without a year) are what a question names: "IMC's report of 15 December"."""
    make_pdf(tmp_path / "sitrep2.pdf", [[
        "Marburg Virus Disease Response, Ethiopia", "Situation Report 2 December 16, 2025",
        "SITUATION UPDATE", "As of December 15, 14 MVD cases had been confirmed, along with nine deaths."]])
    make_pdf(tmp_path / "old.pdf", [["Situation Report 1", "As of July 22, 2025 the camp hosted 3,000 people."]])
    sidecar = {"sitrep2.pdf": {"title": "Marburg Virus Disease Response, Ethiopia: Situation Report #2",
                               "date": "2025-12-17", "source": ["International Medical Corps"]},
               "old.pdf": {"title": "Situation Report 1", "date": "2025-11-28"}}
    meta = parse_file(tmp_path / "sitrep2.pdf", sidecar=sidecar).meta
    assert meta.date == "2025-12-17"
    assert meta.period == "16 December 2025, as of 15 December 2025"
    # a date months before publication is about something else, not the report
    assert parse_file(tmp_path / "old.pdf", sidecar=sidecar).meta.period == ""


def test_sidecar_metadata_wins_and_still_gives_number(tmp_path, caplog):
    make_pdf(tmp_path / "fu5.pdf", [["FLASH UPDATE No.5 - as of 10 November 2025", "Text."]])
    (tmp_path / "other.txt").write_text("Other report.", encoding="utf-8")
    records = [
        {"title": "Haiti: Tropical Storm Melissa - Flash Update No.5 (as of 10 November 2025)",
         "date": "2025-11-12", "source": ["UN Office for the Coordination of Humanitarian Affairs"],
         "country": "Haiti", "url": "https://reliefweb.int/x", "files": ["fu5.pdf"]},
        {"title": "Other", "publisher": "WFP", "file": "other.txt"},
        {"title": "No file", "files": []},
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(1, "{not json")
    lines.append("[1, 2]")
    (tmp_path / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        sidecar = load_sidecar(tmp_path)
    assert sorted(sidecar) == ["fu5.pdf", "other.txt"]
    assert "line 2" in caplog.text and "line 5" in caplog.text

    meta = parse_file(tmp_path / "fu5.pdf", sidecar=sidecar).meta
    assert meta.title.startswith("Haiti: Tropical Storm Melissa")
    assert (meta.date, meta.country, meta.url) == ("2025-11-12", "Haiti", "https://reliefweb.int/x")
    assert meta.publisher == "OCHA (UN Office for the Coordination of Humanitarian Affairs)"
    assert (meta.number, meta.doc_type) == ("5", "flash update")
    assert parse_file(tmp_path / "other.txt", sidecar=sidecar).meta.publisher == "WFP (World Food Programme)"
    # No sidecar argument: metadata.jsonl beside the file is read.
    assert parse_file(tmp_path / "fu5.pdf").meta.date == "2025-11-12"


def test_text_report_without_sidecar_derives_period_publisher_country(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(
        "PERU\n\nREFUGEES AND MIGRANTS IN PERU 1.043M\n\nThe GTRM received calls between January and "
        "October 2020. October 2020 saw a decrease from September. On 22 October 2020 the GTRM "
        "followed up; GTRM partners helped people in Peru.\n", encoding="utf-8")
    meta = parse_file(path, sidecar={}).meta
    assert (meta.period, meta.country, meta.date) == ("October 2020", "Peru", "")
    # a bare "PERU" heading is too thin for a citation: the title says what else is known
    assert meta.title == "Peru: GTRM report, October 2020"
    assert meta.publisher.startswith("GTRM")


DOC_TYPES = [
    pytest.param("Flash Update No.5", ("flash update", "5"), id="flash-no"),
    pytest.param("FLASH UPDATE N0.5 – as of 10 November 2025", ("flash update", "5"), id="flash-zero-for-o"),
    pytest.param("SitRep #7", ("situation report", "7"), id="sitrep-hash"),
    pytest.param("Situation Report No. 7", ("situation report", "7"), id="sitrep-no"),
    pytest.param("UNFPA Regional Situation Report 2 (8 - 18 November)", ("situation report", "2"),
                 id="bare-number"),
    pytest.param("Situation Report, 26 October 2025", ("situation report", ""), id="date-is-not-number"),
    pytest.param("WFP Haiti Country Brief December 2025", ("country brief", ""), id="country-brief"),
    pytest.param("Flash Update (Situation Report No. 1 – 1 December 2025)", ("flash update", "1"),
                 id="earliest-type-wins"),
    pytest.param("Hurricane Melissa and household vulnerability", ("", ""), id="none"),
]


@pytest.mark.parametrize(("title", "expected"), DOC_TYPES)
def test_doc_type_and_number(title, expected):
    assert doc_type_and_number(title) == expected


DATES = [
    pytest.param("as of 10 November 2025", "2025-11-10", id="day-month-year"),
    pytest.param("Situation update January 30, 2026", "2026-01-30", id="month-day-year"),
    pytest.param("Date 10/30/2025", "2025-10-30", id="us-slashes"),
    pytest.param("Operation Start Date: 19-11-2025 or 2025-11-19", "2025-11-19", id="iso"),
    pytest.param("27th, OCTOBER, 2025", "2025-10-27", id="ordinal-caps"),
    pytest.param("no date here 2025", "", id="none"),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


PUBLISHERS = [
    pytest.param(["Pan American Health Organization"], "PAHO (Pan American Health Organization)", id="paho"),
    pytest.param(["UN Children's Fund"], "UNICEF (UN Children's Fund)", id="unicef"),
    pytest.param(["International Medical Corps"], "IMC (International Medical Corps)", id="imc"),
    pytest.param(["IFRC"], "IFRC (International Federation of Red Cross and Red Crescent Societies)",
                 id="acronym"),
    pytest.param(["Government of Haiti", "Protection Cluster"], "Government of Haiti; Protection Cluster",
                 id="unknown-kept"),
]


@pytest.mark.parametrize(("sources", "expected"), PUBLISHERS)
def test_publisher_display(sources, expected):
    assert publisher_display(sources) == expected


def test_find_files_recurses_sorted_and_skips_hidden_and_sidecar(tmp_path):
    for rel in ["b/2.pdf", "b/1.txt", "a.md", ".hidden.txt", ".git/x.txt", "metadata.jsonl", "notes.docx"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    single = tmp_path / "b" / "1.txt"
    found = find_files([tmp_path, single])
    assert [f.relative_to(tmp_path).as_posix() for f in found] == ["a.md", "b/1.txt", "b/2.pdf", "notes.docx"]


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_permissions_only_encrypted_pdf_is_read(tmp_path, algorithm):
    # an empty user password: anyone may open it, the owner password only guards printing and copying
    from .pdfs import write_encrypted_pdf

    path = write_encrypted_pdf(tmp_path / "open.pdf", "Partners reached 4,321 people.", user_password="",
                               algorithm=algorithm)
    report = parse_file(path, sidecar={})
    assert "4,321 people" in report.pages[0].text


def test_cryptography_is_a_declared_dependency():
    # without it pypdf cannot decrypt AES, and such PDFs were rejected as corrupt
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"cryptography' in text


def _bomb_pdf(path: Path) -> Path:
    """One page whose content stream inflates to 80 MB of spaces: past pypdf's 75 MB limit."""
    import zlib

    from .pdfs import pdf_file

    stream = zlib.compress(b" " * 80_000_000, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    path.write_bytes(pdf_file(objs))
    return path


def test_a_decompression_bomb_is_not_called_a_scan(tmp_path):
    with pytest.raises(SkipFile) as e:
        parse_file(_bomb_pdf(tmp_path / "bomb.pdf"), sidecar={})
    assert "decompression bomb" in str(e.value) and "scanned" not in str(e.value)


WALK_SKIPS = [  # (name, how to make it under the corpus, name reported, words in the reason)
    ("symlink-loop", lambda d: (d / "sub").mkdir() or (d / "sub" / "back").symlink_to(d, target_is_directory=True),
     "sub/back", "symlink loop"),
    ("folder-named-pdf", lambda d: (d / "annex.pdf").mkdir(), "annex.pdf", "a folder"),
    ("fifo", lambda d: os.mkfifo(d / "pipe.txt"), "pipe.txt", "not a regular file"),
    ("broken-symlink", lambda d: (d / "gone.txt").symlink_to(d / "nowhere.txt"), "gone.txt", "broken symlink"),
]


@pytest.mark.parametrize("name, make, shown, reason", WALK_SKIPS, ids=[w[0] for w in WALK_SKIPS])
def test_what_the_corpus_walk_passes_over_is_reported(tmp_path, name, make, shown, reason):
    from indexer.parse import walk

    (tmp_path / "a.txt").write_text("Partners distributed 300 kits.\n")
    make(tmp_path)
    files, skipped = walk([tmp_path])
    assert files == [tmp_path / "a.txt"]
    assert [(n, r) for n, r in skipped if reason in r] == [(shown, next(r for _, r in skipped if reason in r))]
