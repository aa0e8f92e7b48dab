"""Chinese line breaking (禁则), automatic sizes, pages and exact ink boxes."""

from __future__ import annotations

import pytest
from pufa.campaign.layout import (
    NO_END,
    NO_START,
    Box,
    Metrics,
    Style,
    Unfit,
    fit,
    fit_or_split,
    fit_phrases,
    paginate,
    tokenize,
    wrap,
)

from ..conftest import ROOT


def all_excerpt_paragraphs(lib) -> list[str]:
    return [p for arts in lib.excerpts.values() for ex in arts.values() for p in ex.lines]


def test_tokens_keep_numbers_and_dash_runs_whole() -> None:
    assert tokenize("2026年12月4日——宪法日……") == [
        "2026", "年", "12", "月", "4", "日", "——", "宪", "法", "日", "……",
    ]  # fmt: skip
    assert tokenize("自2022年5月1日起") == ["自", "2022", "年", "5", "月", "1", "日", "起"]


@pytest.mark.parametrize("width", [150, 188, 333, 720])
def test_every_excerpt_wraps_with_kinsoku_and_loses_nothing(lib, fonts, width) -> None:
    m = Metrics(fonts.regular, 16, True)
    for text in all_excerpt_paragraphs(lib):
        lines = wrap(text, m, width, indent=32 if width > 300 else 0)
        assert "".join(line.text for line in lines) == text.replace(" ", "")
        for i, line in enumerate(lines):
            assert line.width <= width, (line.text, line.width)
            if i > 0:
                assert line.units[0][0] not in NO_START, (text, line.text)
            if i < len(lines) - 1:
                assert line.units[-1][-1] not in NO_END, (text, line.text)


def test_kinsoku_pushes_a_character_down_rather_than_start_a_line_with_a_comma(fonts) -> None:
    m = Metrics(fonts.regular, 16, True)
    # Ten characters fill a 160 px line exactly; the comma must not start line two.
    lines = wrap("一二三四五六七八九十，十一", m, 160)
    assert [ln.text for ln in lines] == ["一二三四五六七八九", "十，十一"]
    # An opening bracket never ends a line.
    lines = wrap("一二三四五六七八九《十》", m, 160)
    assert lines[0].text == "一二三四五六七八九"


def test_no_widow_of_one_character(fonts) -> None:
    m = Metrics(fonts.regular, 16, True)
    lines = wrap("一二三四五六七八九十甲。", m, 160)  # greedy would leave "甲。" alone
    assert len(lines[-1].units) >= 3


def test_phrase_mode_breaks_only_between_phrases(fonts) -> None:
    m = Metrics(fonts.bold, 16, True)
    lines = wrap("学习宪法 尊崇宪法 遵守宪法 维护宪法", m, 188, mode="phrase")
    assert [ln.text for ln in lines] == ["学习宪法 尊崇宪法", "遵守宪法 维护宪法"]
    with pytest.raises(Unfit):
        wrap("民法典自2021年1月1日起施行", m, 120, mode="phrase")


def test_words_mode_breaks_between_words_and_keeps_numbers_with_their_unit(fonts) -> None:
    m = Metrics(fonts.bold, 40, False)
    lines = wrap("庆祝中国共产党成立106周年", m, 320, mode="words")
    assert [ln.text for ln in lines] == ["庆祝中国共产党", "成立106周年"]
    style = Style(fonts.bold, (20, 80), False, "title", balance=True)
    placed = fit_phrases(["庆祝中国共产党成立106周年"], style, Box(0, 0, 400, 200))
    assert [ln.text for ln in placed.lines] == ["庆祝中国共产党", "成立106周年"]


def test_fit_takes_the_largest_size_whose_ink_fits_the_box(fonts) -> None:
    box = Box(10, 10, 410, 110)
    style = Style(fonts.bold, (20, 200), False, "title")
    placed = fit(["宪法宣传周"], style, box)
    assert placed is not None
    assert box.contains(placed.bbox)
    bigger = fit(["宪法宣传周"], Style(fonts.bold, (placed.size + 1, 200), False, "title"), box)
    assert bigger is None
    assert fit(["宪法宣传周" * 20], Style(fonts.bold, (40, 60), False, "title"), box) is None


def test_ink_boxes_are_measured_from_the_glyphs(fonts) -> None:
    from PIL import Image
    from pufa.campaign.render import draw_blocks

    box = Box(2, 1, 190, 31)
    for text in ["2026年宪法宣传周", "《宪法》第三十三条", "国家尊重和保障人权。"]:
        placed = fit_phrases([text], Style(fonts.bold, (16, 26), True, "title", max_lines=1), box)
        assert placed is not None
        image = Image.new("1", (192, 32), 0)
        draw_blocks(image, [placed])
        drawn = image.getbbox()
        assert drawn is not None
        # The glyph boxes the layout measures always hold the pixels actually drawn.
        assert Box(*placed.bbox).contains(drawn), (text, drawn, placed.bbox)
        assert box.contains(placed.bbox)
        # Vertically the boxes are the ink; horizontally FreeType reports the advance box.
        assert abs(drawn[1] - placed.bbox[1]) <= 1 and abs(drawn[3] - placed.bbox[3]) <= 1


def test_pages_split_long_text_and_keep_every_character(lib, fonts) -> None:
    text = lib.excerpt("petition-work-regulations", 22).lines
    style = Style(fonts.regular, (16, 16), True, "body", max_lines=1, align="left")
    pages = paginate(text, style, 16, Box(2, 1, 190, 31))
    assert len(pages) > 10
    assert "".join(p.text for p in pages) == "".join(text)
    assert all(len(p.lines) == 1 for p in pages)


def test_fit_or_split_prefers_one_page(fonts) -> None:
    style = Style(fonts.bold, (16, 26), True, "slogan", max_lines=1, mode="phrase")
    assert len(fit_or_split(["宪法是国家的根本法"], style, Box(2, 1, 190, 31))) == 1
    pages = fit_or_split(
        ["学习宪法 尊崇宪法 遵守宪法 维护宪法 运用宪法"], style, Box(2, 1, 190, 31)
    )
    assert [p.text for p in pages] == ["学习宪法 尊崇宪法", "遵守宪法 维护宪法", "运用宪法"]


def test_root_is_the_project() -> None:
    assert (ROOT / "data" / "screens.yml").is_file()
