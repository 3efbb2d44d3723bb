"""Real PDF files for tests, written from scratch: text pages, no-text pages, encrypted, corrupt."""

from __future__ import annotations

from pathlib import Path


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_file(objs: list[bytes], trailer: str = "") -> bytes:
    """Objects 1..n (1 the catalog) -> a PDF file with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer.encode(), xref)
    return bytes(out)


def _page_tree(streams: list[str], extra: list[bytes] = ()) -> list[bytes]:
    """Objects of a PDF whose pages carry the given content streams (font /F1 is Helvetica):
    1 catalog, 2 pages, 3 font, then per page its page object and its content stream."""
    n = len(streams)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(streams):
        stream = text.encode("latin-1")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                    f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return objs + list(extra)


def make_pdf(pages: list[str], title: str = "") -> bytes:
    """A valid PDF whose pages carry the given text (one Helvetica line per text line)."""
    streams = ["\n".join(["BT", "/F1 11 Tf", "14 TL", "50 780 Td",
                          *(f"({_escape(line)}) Tj T*" for line in text.split("\n")), "ET"]) for text in pages]
    if not title:
        return pdf_file(_page_tree(streams))
    objs = _page_tree(streams, [f"<< /Title ({_escape(title)}) >>".encode()])
    return pdf_file(objs, f" /Info {len(objs)} 0 R")


def write_pdf(path: Path, pages: list[str], title: str = "") -> Path:
    path.write_bytes(make_pdf(pages, title))
    return path


def write_encrypted_pdf(path: Path, text: str = "Secret report with 1,234 people.", user_password: str = "secret",
                        algorithm: str | None = None) -> Path:
    """An encrypted PDF; user_password="" is permissions-only encryption (anyone may open it)."""
    from pypdf import PdfReader, PdfWriter

    src = path.with_suffix(".plain.pdf")
    write_pdf(src, [text])
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    with open(path, "wb") as fh:
        writer.write(fh)
    src.unlink()
    return path


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def write_corrupt_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\ngarbage \x00\x01\x02 not a pdf")
    return path


def make_placed_pdf(pages: list[list[tuple[float, float, str]]], size: float = 10) -> bytes:
    """A PDF whose pages carry text runs placed at (x, y) (Helvetica), as tables are laid out."""
    return make_stream_pdf(["\n".join(f"BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm ({_escape(text)}) Tj ET"
                                      for x, y, text in runs) for runs in pages])


def make_stream_pdf(streams: list[str]) -> bytes:
    """A PDF whose pages carry the given content streams as written (font /F1 is Helvetica): for rows
    drawn the way producers draw them (one TJ array with kerning gaps, Td moves inside one BT)."""
    return pdf_file(_page_tree(streams))
