"""The site's one stylesheet: the theme's rules our pages can match, then ours.

The strongest check is the one a reader makes: each page type, in each mode and state people
use, is drawn by Chromium twice, once with the built stylesheet and once with the theme's whole
stylesheet followed by ours (what pages linked before), and the two pictures must be the same
pixel for pixel, up to rasteriser noise (a channel off by a few levels at an anti-aliased edge,
seen once in a 52,000-pixel-tall picture).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pufa.site.stylesheet import Used, find_theme_css, may_match, purge, selector_attributes

ROOT = Path(__file__).resolve().parents[1]


def _theme_css() -> Path:
    """The theme's whole stylesheet, as the MkDocs hook finds it."""
    import material

    return find_theme_css([Path(material.__file__).parent / "templates"])


def _used(html: str, css: str, js: str = "") -> Used:
    used = Used(selector_attributes(css))
    used.add_html(html)
    used.add_script(js)
    return used


def test_rules_for_markup_no_page_has_are_dropped() -> None:
    css = (
        ".a{color:red}.b{color:blue}.a .c{margin:0}[dir=rtl] .a{left:0}"
        "@media screen{.b{x:1}.a{y:2}}:root{--used:1;--unused:2;--via:var(--deep);--deep:3}"
        ".a{z:var(--used);w:var(--via)}"
    )
    out = purge(css, _used('<p class="a" dir="ltr">x</p>', css))
    assert ".a{color:red}" in out and "@media screen{.a{y:2}}" in out
    for gone in (".b{", ".c", "[dir=rtl]", "--unused"):
        assert gone not in out, gone
    assert "--used:1" in out and "--via:var(--deep)" in out and "--deep:3" in out


@pytest.mark.parametrize(
    ("selector", "html", "js", "kept"),
    [
        (".x:not(.never)", '<i class="x">', "", True),
        (".md-top[hidden]", '<button class="md-top" hidden>', "", True),
        (
            "[data-md-toggle=search]:checked~.y",
            '<input data-md-toggle="search"><b class="y">',
            "",
            True,
        ),
        ("[data-md-color-scheme=slate] .y", '<b class="y">', "", False),
        (".added-by-script", "<p>", 'el.classList.add("added-by-script")', True),
        ('a[href$=".pdf"]', '<a href="x.pdf">', "", True),
        (".never .x", '<i class="x">', "", False),
    ],
)
def test_selector_tests(selector: str, html: str, js: str, kept: bool) -> None:
    assert may_match(selector, _used(html, selector + "{a:b}", js)) is kept


def test_the_built_stylesheet_is_the_only_one_and_much_smaller(built_site: Path) -> None:
    sheets = sorted(p.name for p in (built_site / "assets/stylesheets").glob("*.css"))
    assert sheets == ["pufa.css"]
    for page in ("index.html", "guide/index.html", "404.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        assert html.count('rel="stylesheet"') == 1, page
    theme = _theme_css()
    built = (built_site / "assets/stylesheets/pufa.css").stat().st_size
    own = (ROOT / "overrides/assets/stylesheets/pufa.css").stat().st_size
    assert built < (theme.stat().st_size + own) / 2


# (page, viewport width, what to do first): the page types and the states people see.
VIEWS = [
    ("", 375, None),
    ("faq/labor/unpaid-wages/", 375, None),
    ("statutes/petition-work-regulations/", 375, None),
    ("guide/#g-1-1", 375, None),
    ("guide/practice/", 375, None),
    ("cases/", 375, None),
    ("campaigns/constitution-week-2026/", 375, None),
    ("kiosk/", 1080, None),
    ("faq/", 375, "drawer"),
    ("petition/", 375, "search"),
    ("statutes/petition-work-regulations/", 1400, "scroll"),
    ("stats/", 1400, None),
    ("faq/labor/unpaid-wages/", 375, "elder"),
]


def _full_css() -> str:
    theme = _theme_css()
    own = (ROOT / "overrides/assets/stylesheets/pufa.css").read_text(encoding="utf-8")
    return theme.read_text(encoding="utf-8") + "\n" + own


# Pictures must not catch a transition half-way; appended to both stylesheets (the CSP allows
# no inline style).
STILL = "*,*::before,*::after{transition:none!important;animation:none!important}"


def _picture(browser, base_url: str, path: str, width: int, action, css: str) -> bytes:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    try:
        page = context.new_page()
        page.route(
            "**/assets/stylesheets/pufa.css",
            lambda route: route.fulfill(body=css + STILL, content_type="text/css; charset=utf-8"),
        )
        if action == "elder":
            page.add_init_script("localStorage.setItem('pufa-elder', '1')")
        page.goto(base_url + path, wait_until="networkidle")
        if action == "drawer":
            page.click(".md-header label[for=__drawer]")
        elif action == "search":
            page.click("[data-pufa-search-open]")
            page.fill("[data-pufa-search-input]", "复议")
            page.wait_for_selector(".md-search-result__item")
        elif action == "scroll":
            page.mouse.wheel(0, 2500)
            page.wait_for_timeout(200)
            page.mouse.wheel(0, -300)
        page.wait_for_timeout(300)
        return page.screenshot(full_page=action is None)
    finally:
        context.close()


@pytest.mark.parametrize(("path", "width", "action"), VIEWS)
def test_pages_look_the_same_as_with_the_whole_theme_stylesheet(
    browser, base_url, built_site, path, width, action
) -> None:
    built = (built_site / "assets/stylesheets/pufa.css").read_text(encoding="utf-8")
    ours = _picture(browser, base_url, path, width, action, built)
    theirs = _picture(browser, base_url, path, width, action, _full_css())
    changed = _changed_pixels(ours, theirs)
    if changed:
        out = Path("/tmp") / f"pufa-css-{path.strip('/').replace('/', '_') or 'home'}-{width}"
        Path(f"{out}-ours.png").write_bytes(ours)
        Path(f"{out}-theirs.png").write_bytes(theirs)
    assert not changed, f"{path} at {width}px ({action}): {changed} pixels differ, /tmp/pufa-css-*"


NOISE = 8  # levels per channel: anti-aliasing noise, far below any colour a rule sets


def _changed_pixels(a: bytes, b: bytes) -> int:
    import io

    from PIL import Image, ImageChops

    x, y = (Image.open(io.BytesIO(data)).convert("RGB") for data in (a, b))
    if x.size != y.size:
        return max(x.width * x.height, y.width * y.height)
    r, g, b_ = ImageChops.difference(x, y).split()
    largest = ImageChops.lighter(ImageChops.lighter(r, g), b_)  # per pixel, the worst channel
    return sum(largest.histogram()[NOISE + 1 :])


def test_theme_stylesheet_attribute_tests_read_from_text_and_parsed_agree() -> None:
    """The attribute tests each render worker reads from the theme's stylesheet's text are
    those of its parsed rules; a string or comment holding braces does not lose one."""
    from mkdocs.config import load_config
    from pufa.site.stylesheet import find_theme_css, parsed_selector_attributes
    from pufa.site.stylesheet import selector_attributes as from_text

    dirs = [Path(d) for d in load_config(str(ROOT / "mkdocs.yml")).theme.dirs]
    css = find_theme_css(dirs).read_text(encoding="utf-8")
    assert from_text(css) == parsed_selector_attributes(css)
    tricky = (
        '.a{content:"}{;/*"}.b[x="}"],.c[y=z]{color:red}/* [q] { */.d[w]{}'
        '@media (min-width:1px){.e[v=";"]{x:y}}'
    )
    assert from_text(tricky) >= parsed_selector_attributes(tricky)
    assert ("q", None) not in from_text(tricky)  # a comment is not a selector
