"""Page previews: a cited PDF page drawn with the figure boxed; a text page with the sentence marked."""

from __future__ import annotations

import io

from assistant.preview import mark_text_page, render_pdf_page
from tests.pdfs import write_pdf

PAGE = ("Situation\nAs of 20 November 2025, 12 confirmed cases were recorded and\n"
        "9 deaths were reported in Jinka town. Another 9 people recovered.")


def test_pdf_page_is_drawn_with_the_figure_boxed_near_its_sentence(tmp_path):
    from PIL import Image

    pdf = write_pdf(tmp_path / "r.pdf", ["First page", PAGE])
    pv = render_pdf_page(str(pdf), 2, "As of 20 November 2025, 12 confirmed cases were recorded and "
                                      "9 deaths were reported in Jinka town.", "9")
    image = Image.open(io.BytesIO(pv.png))
    assert image.size == (pv.width, pv.height) and pv.width > 500
    assert len(pv.figure_boxes) == 1 and pv.sentence_boxes
    box = pv.figure_boxes[0]
    # the "9" that starts the third line (y ~ 780 - 2 * 14 pt from the top of an 842 pt page), not
    # the later "9 people"
    assert box.left < 100 and 80 < box.top < 160
    r, g, b = image.convert("RGB").getpixel((int(box.left) - 3, int((box.top + box.bottom) / 2)))
    assert r > 150 and b < 120  # the box's outline is drawn


def test_pdf_page_out_of_range_is_refused(tmp_path):
    import pytest

    pdf = write_pdf(tmp_path / "r.pdf", ["Only page"])
    with pytest.raises(ValueError, match="no page 3"):
        render_pdf_page(str(pdf), 3)


def test_text_page_marks_the_sentence_and_the_figure():
    html = mark_text_page("Intro <b>.\nSome 12,500 households\nwere displaced. End.",
                          "Some 12,500 households were displaced.", "12,500")
    assert '<mark class="rq-sentence">Some <b>12,500</b> households\nwere displaced.</mark>' in html
    assert "&lt;b&gt;" in html  # page text stays text
    assert mark_text_page("plain", "missing quote") == '<pre class="rq-page-text">plain</pre>'
