"""The CJK font is found automatically, every drawn character exists in it, and a missing font
is a clear error with the install command."""

from __future__ import annotations

import pytest
from pufa.campaign import fonts as fontmod
from pufa.errors import PufaError


def test_noto_sans_cjk_sc_is_found(fonts) -> None:
    for face, style in ((fonts.regular, "Regular"), (fonts.bold, "Bold")):
        assert face.font(20).getname() == ("Noto Sans CJK SC", style)
        assert len(face.sha256) == 64


def test_cmap_agrees_with_what_freetype_draws(fonts) -> None:
    font = fonts.regular.font(24)

    def mask(char: str):
        m = font.getmask(char)
        return m.size, bytes(m)

    notdef = mask("\ue000")  # private use: not in the font, drawn as the .notdef box
    samples = [chr(c) for c in [*range(0x21, 0x2000, 7), *range(0x3000, 0x3100), 0x4E2D, 0x9F8D]]
    samples += ["😀", "\U00020000", "①", "㊣"]
    for char in samples:
        assert fonts.regular.has(char) == (mask(char) != notdef), hex(ord(char))


def test_a_character_missing_from_the_font_fails(fonts) -> None:
    with pytest.raises(PufaError, match=r"U\+1F600.*would show as a box") as info:
        fonts.check("宪法宣传周😀", where="data/campaigns/x.yml", what="slogans[0]")
    assert info.value.path == "data/campaigns/x.yml"


def test_missing_font_tells_how_to_install(monkeypatch, tmp_path) -> None:
    fontmod.find_fonts.cache_clear()
    monkeypatch.setattr(fontmod, "KNOWN_DIRS", [tmp_path])
    monkeypatch.setattr(fontmod, "FC_MATCH", "no-such-fc-match")
    try:
        with pytest.raises(PufaError) as info:
            fontmod.find_fonts()
        assert "sudo apt-get install fonts-noto-cjk" in (info.value.fix or "")
        assert "Noto Sans CJK SC" in info.value.message
    finally:
        fontmod.find_fonts.cache_clear()


def test_fc_match_fallback_to_a_latin_font_is_not_accepted(monkeypatch, tmp_path) -> None:
    latin = next(
        (
            p
            for p in ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
            if __import__("os").path.exists(p)
        ),
        None,
    )
    if latin is None:
        pytest.skip("no Latin font to stand in for fc-match's fallback")
    fontmod.find_fonts.cache_clear()
    monkeypatch.setattr(fontmod, "KNOWN_DIRS", [tmp_path])
    monkeypatch.setattr(fontmod, "_fc_match", lambda style: __import__("pathlib").Path(latin))
    try:
        with pytest.raises(PufaError, match="not found"):
            fontmod.find_fonts()
    finally:
        fontmod.find_fonts.cache_clear()
