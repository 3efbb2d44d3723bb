"""A cited page as the reader sees it: (PDF file, page, quote, figure) -> page image with boxes marked;
(page text, quote, figure) -> the text with the sentence and figure marked.

PDF pages are drawn with pypdfium2 (PDFium's maintained Python binding; BSD-3/Apache-2.0, a ~3 MB
wheel with PDFium inside, nothing else to install). The figure is found on the page by PDFium's own
text search, so its box comes from the page's text positions: the quoted sentence is searched for
in pieces (a sentence breaks across lines), and the figure's occurrence closest to the sentence is
the one boxed.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

SCALE = 1.6  # 115 dpi: a page about 950 px wide, readable without zooming
SENTENCE_FILL = (255, 224, 102, 70)
FIGURE_FILL = (255, 170, 0, 80)
FIGURE_EDGE = (214, 40, 40, 255)
_PIECE_WORDS = 4


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels (left, top, right, bottom)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class PagePreview:
    """The PNG of a page with where the figure and its sentence were found."""

    png: bytes
    width: int
    height: int
    figure_boxes: tuple[Box, ...] = ()
    sentence_boxes: tuple[Box, ...] = field(default=())


def _search_boxes(textpage, needle: str, page_height: float, limit: int = 20) -> list[list[Box]]:
    """Every occurrence of `needle` on the page, each as its boxes in image pixels."""
    needle = " ".join(needle.split())
    if not needle:
        return []
    searcher = textpage.search(needle, match_case=False, match_whole_word=False)
    out = []
    try:
        while len(out) < limit:
            hit = searcher.get_next()
            if not hit:
                break
            index, count = hit
            boxes = []
            for i in range(textpage.count_rects(index, count)):
                left, bottom, right, top = textpage.get_rect(i)
                boxes.append(Box(left * SCALE, (page_height - top) * SCALE, right * SCALE,
                                 (page_height - bottom) * SCALE))
            if boxes:
                out.append(boxes)
    finally:
        searcher.close()
    return out


def _pieces(quote: str) -> list[str]:
    """The quote in runs of a few words: each fits on one line of the page more often than not."""
    words = quote.split()
    return [" ".join(words[i:i + _PIECE_WORDS]) for i in range(0, len(words), _PIECE_WORDS)]


def _centre(boxes: list[Box]) -> tuple[float, float]:
    return (sum(b.left + b.right for b in boxes) / (2 * len(boxes)),
            sum(b.top + b.bottom for b in boxes) / (2 * len(boxes)))


def _inside(box: Box, boxes: list[Box]) -> bool:
    x, y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    return any(b.left <= x <= b.right and b.top <= y <= b.bottom for b in boxes)


def render_pdf_page(path: str, page: int, quote: str = "", figure: str = "") -> PagePreview:
    """Page `page` (1-based) of the PDF at `path` as a PNG, the quote's lines and the figure boxed."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"the report has no page {page}")
        pdf_page = pdf[page - 1]
        height = pdf_page.get_height()
        textpage = pdf_page.get_textpage()
        sentence: list[Box] = []
        for piece in _pieces(quote):
            found = _search_boxes(textpage, piece, height, limit=3)
            if len(found) == 1 or (found and not sentence):
                sentence += found[0]
        figures = _search_boxes(textpage, figure, height) if figure else []
        if figures and sentence:  # the occurrence inside the quoted sentence, else the nearest one
            cx, cy = _centre(sentence)
            figures.sort(key=lambda bs: (not any(_inside(b, sentence) for b in bs),
                                         (_centre(bs)[0] - cx) ** 2 / 9 + (_centre(bs)[1] - cy) ** 2))
        figure_boxes = figures[0] if figures else []
        image = pdf_page.render(scale=SCALE).to_pil().convert("RGBA")
        textpage.close()
        pdf_page.close()
    finally:
        pdf.close()
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    pad = 2
    for b in sentence:
        draw.rectangle((b.left - pad, b.top - pad, b.right + pad, b.bottom + pad), fill=SENTENCE_FILL)
    for b in figure_boxes:
        draw.rectangle((b.left - pad - 2, b.top - pad - 2, b.right + pad + 2, b.bottom + pad + 2),
                       fill=FIGURE_FILL, outline=FIGURE_EDGE, width=2)
    image = Image.alpha_composite(image, layer).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return PagePreview(buf.getvalue(), image.width, image.height, tuple(figure_boxes), tuple(sentence))


def _loose(text: str) -> str:
    """A regex matching `text` with any run of whitespace between its words."""
    return r"\s+".join(re.escape(w) for w in text.split())


def mark_text_page(page_text: str, quote: str = "", figure: str = "") -> str:
    """The page text as HTML, the quoted sentence in <mark class="rq-sentence">, the figure in <b>."""
    found = re.search(_loose(quote), page_text) if quote.strip() else None
    if not found and quote.strip():  # a quote tidied for display: find its first words
        found = re.search(_loose(" ".join(quote.split()[:8])), page_text)
    if not found:
        return f'<pre class="rq-page-text">{html.escape(page_text)}</pre>'
    a, b = found.span()
    inner = html.escape(page_text[a:b])
    if figure:
        inner = re.sub(_loose(html.escape(figure)), lambda m: f"<b>{m.group(0)}</b>", inner, count=1)
    return (f'<pre class="rq-page-text">{html.escape(page_text[:a])}<mark class="rq-sentence">{inner}</mark>'
            f"{html.escape(page_text[b:])}</pre>")
