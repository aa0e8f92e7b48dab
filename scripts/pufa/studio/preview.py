"""Previews drawn by the real renderers: campaign slides per screen (the 1-bit door strip lit as
it shows), post covers with character counts against each platform's limits, and the site page.

Images are kept in a small in-memory store by their content hash and served by the app, so a
preview refresh only sends what changed.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from pathlib import Path

from PIL import Image

from ..campaign.data import load_campaign
from ..campaign.fonts import find_fonts
from ..campaign.posts import plan_post, render_cover
from ..campaign.render import hex_colour, lit, render_slide
from ..campaign.slides import plan_screen
from ..content.frontmatter import split_front_matter
from ..content.library import Library
from ..site.pages import render_page
from ..site.repeats import after_markdown

PREVIEW_WIDTH = 360


class ImageStore:
    """PNG bytes by key, at most ``limit`` of them (oldest dropped)."""

    def __init__(self, limit: int = 400) -> None:
        self.limit = limit
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def put(self, key: str, make) -> str:  # noqa: ANN001 (callable returning an image)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return key
        buf = io.BytesIO()
        make().save(buf, format="PNG")
        with self.lock:
            self.items[key] = buf.getvalue()
            while len(self.items) > self.limit:
                self.items.popitem(last=False)
        return key

    def get(self, key: str) -> bytes | None:
        with self.lock:
            return self.items.get(key)


IMAGES = ImageStore()


def _shrink(image: Image.Image, mode: str, colour: str) -> Image.Image:
    if mode == "1":
        shown = lit(image, hex_colour(colour))
        return shown.resize((image.width * 3, image.height * 3), Image.Resampling.NEAREST)
    rgb = image.convert("RGB")
    if rgb.width > PREVIEW_WIDTH:
        size = (PREVIEW_WIDTH, round(rgb.height * PREVIEW_WIDTH / rgb.width))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    return rgb


def campaign_preview(root: Path, campaign_id: str, lib: Library, *, render: bool) -> dict:
    """Plan every slide and post (raising the build's own errors); draw when ``render``."""
    spec = load_campaign(root, campaign_id, lib)
    fonts = find_fonts()
    screens = []
    for screen in spec.screens:
        slides = plan_screen(spec, screen, fonts)
        shown = []
        for slide in slides:
            entry = {
                "item": slide.item,
                "page": slide.page,
                "pages": slide.pages,
                "kind": slide.kind,
                "text": slide.text,
                "seconds": slide.duration,
            }
            if render:
                key = "s-" + slide.key() + "-" + screen.lit.lstrip("#")
                entry["img"] = IMAGES.put(
                    key,
                    lambda sl=slide, sc=screen: _shrink(render_slide(sl), sc.mode, sc.lit),
                )
            shown.append(entry)
        screens.append(
            {
                "id": screen.id,
                "name": screen.name,
                "size": f"{screen.width}×{screen.height}",
                "mono": screen.mode == "1",
                "slides": shown,
                "seconds": sum(s.duration for s in slides),
            }
        )
    posts = []
    for platform in spec.platforms:
        post = plan_post(spec, platform, fonts)
        limits = {}
        for name in ("title", "digest", "text"):
            limit = getattr(platform, name)
            if limit is not None and name in post.meta.get("counts", {}):
                limits[name] = {
                    "count": post.meta["counts"][name],
                    "min": limit.min,
                    "max": limit.max,
                    "value": post.meta.get(name, ""),
                }
        covers = []
        for cover in post.covers:
            entry = {"name": cover.cover.name, "size": f"{cover.cover.width}×{cover.cover.height}"}
            if render:
                entry["img"] = IMAGES.put(
                    "c-" + cover.key(), lambda cv=cover: _shrink(render_cover(cv), "RGB", "")
                )
            covers.append(entry)
        posts.append({"id": platform.id, "name": platform.name, "counts": limits, "covers": covers})
    return {"screens": screens, "posts": posts, "url": spec.url}


# --- the site page ------------------------------------------------------------------------

MARKDOWN_EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "def_list",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
]


def page_html(root: Path, src_path: str, lib: Library) -> str:
    """The page body as the site shows it: shortcodes and directives expanded by the site's own
    renderer, then Markdown with the site's extensions (navigation and theme chrome left out)."""
    import markdown

    text = (root / "docs" / src_path).read_text(encoding="utf-8")
    meta, body, offset = split_front_matter(text)
    rendered = render_page(body, meta, src_path, lib, file=f"docs/{src_path}", line_offset=offset)
    return after_markdown(markdown.markdown(rendered, extensions=MARKDOWN_EXTENSIONS))


def page_for(kind: str, item_id: str | None) -> str | None:
    """Which docs page shows an item of this kind."""
    return {
        "campaign": f"campaigns/{item_id}.md",
        "faq": f"faq/{item_id}.md",
        "case": "cases/index.md",
        "stats": "stats/index.md",
        "rota": "petition/lawyers.md",
        "office": "index.md",
        "slogans": "campaigns/index.md",
    }.get(kind)
