"""Site directives for campaign pages (same signature as scripts/pufa/blocks.py):

    [[!campaign <id>]]        on docs/campaigns/<id>.md: dates, slogans, featured articles
                              (verbatim excerpts), related pages, downloads and a preview gallery
    [[!campaign-calendar]]    on docs/campaigns/index.md: every campaign by date, and the .ics

Downloads and previews are linked with raw HTML relative to the page (``files/...``), and only
those that exist in build/campaigns/ (``pufa campaign build``): ``paths.copy_into_site`` copies
exactly those into the site. With nothing built, the pages still build (and pass the link check);
they say the material is being prepared.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..content.citations import Context, render_excerpt
from ..content.frontmatter import read_front_matter
from ..errors import PufaError
from ..site.directives import directive
from .data import CampaignSpec, Feature, campaign_ids, date_range, load_campaign, load_campaigns
from .models import Screen
from .paths import default_out, preview_name, site_files

PREVIEW_WIDTH = 640  # build.PREVIEW_WIDTH (not imported: build needs Pillow and tqdm)
COVER_PREVIEW_WIDTH = 480


def campaign_page(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}.md"


def excerpt_html(ctx: Context, feature: Feature) -> str:
    """The verbatim article with its 解读, its heading linking to the statute page."""
    return render_excerpt(ctx, feature.statute, feature.excerpt, anchor=False)


def _page_title(docs: Path, src: str) -> str:
    meta, body, _ = read_front_matter(docs / src)
    if meta.get("title"):
        return str(meta["title"])
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return src


def _preview_size(screen: Screen) -> tuple[int, int]:
    if screen.mode == "1":
        return screen.width * 3, screen.height * 3
    width = min(PREVIEW_WIDTH, screen.width)
    return width, round(screen.height * width / screen.width)


def _figure(src: str, alt: str, caption: str, size: tuple[int, int], *, pixelated: bool) -> str:
    # Classes, not style= attributes: the site's CSP (style-src 'self') blocks inline styles.
    css = "pufa-gallery__img pufa-gallery__img--led" if pixelated else "pufa-gallery__img"
    return (
        '<figure class="pufa-gallery__item">'
        f'<img src="{escape(src)}" alt="{escape(alt)}" width="{size[0]}" height="{size[1]}" '
        f'loading="lazy" decoding="async" class="{css}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


GRID = 'class="pufa-gallery"'


def gallery(spec: CampaignSpec, built: Path) -> list[str]:
    """Previews of each screen's slides (first page of each) and of the covers that exist."""
    out: list[str] = []
    items = [("title", "标题")]
    items += [(f"slogan-{i}", f"标语{i}：{s}") for i, s in enumerate(spec.slogans, start=1)]
    items += [(f"excerpt-{f.slug}", f.labels()[0]) for f in spec.features]
    for screen in spec.screens:
        size = _preview_size(screen)
        figures = [
            _figure(
                f"files/preview/{name}",
                f"{screen.name}：{caption}",
                caption,
                size,
                pixelated=screen.mode == "1",
            )
            for item, caption in items
            if (built / "preview" / (name := preview_name(screen.id, item))).is_file()
        ]
        if figures:
            heading = f"### {escape(screen.name)}（{screen.width}×{screen.height}）"
            out += ["", heading, "", f"<div {GRID}>", *figures, "</div>"]
    figures = []
    for platform in spec.platforms:
        for cover in platform.covers:
            name = preview_name(platform.id, cover.name)
            if not (built / "preview" / name).is_file():
                continue
            width = min(COVER_PREVIEW_WIDTH, cover.width)
            size = (width, round(cover.height * width / cover.width))
            caption = f"{platform.name} {cover.width}×{cover.height}"
            figures.append(
                _figure(f"files/preview/{name}", f"{caption}封面", caption, size, pixelated=False)
            )
    if figures:
        out += ["", "### 新媒体封面", "", f"<div {GRID}>", *figures, "</div>"]
    return out


def downloads(spec: CampaignSpec, built: Path) -> list[str]:
    """Download links for the outputs that exist."""
    screens = [(s.id, s.scroll is not None) for s in spec.screens]
    names = {s.id: s for s in spec.screens}
    items = []
    for src, dest in site_files(spec.id, screens):
        if not (built / src).is_file():
            continue
        href = f'href="files/{escape(dest)}" download'
        if dest.endswith(".zip"):
            items.append(
                f"<li><a {href}>全部素材（压缩包）</a>：各显示屏的逐页图片和视频、滚动文字"
                "（scroll.txt）、新媒体标题、正文和封面，以及清单 manifest.json</li>"
            )
        elif dest.endswith(".ics"):
            items.append(f"<li><a {href}>加入日历（.ics）</a>：可导入手机或电脑日历</li>")
        elif dest.endswith("-scroll.png"):
            screen = names[dest.removesuffix("-scroll.png")]
            items.append(
                f"<li><a {href}>{escape(screen.name)}滚动长图</a>"
                f"（高{screen.height}像素，单色）</li>"
            )
        else:
            screen = names[dest.removesuffix(".mp4")]
            items.append(
                f"<li><a {href}>{escape(screen.name)}视频</a>"
                f"（{screen.width}×{screen.height}，H.264 MP4）</li>"
            )
    return ["<ul>", *items, "</ul>"] if items else ["素材正在准备中。"]


def _load(ctx: Context, campaign_id: str, line: int) -> CampaignSpec:
    if campaign_id not in campaign_ids(ctx.lib.root):
        raise PufaError(
            ctx.file,
            f"[[!campaign {campaign_id}]]: no data/campaigns/{campaign_id}.yml",
            line=line,
            fix=f"use one of: {', '.join(campaign_ids(ctx.lib.root)) or '(none)'}",
        )
    return load_campaign(ctx.lib.root, campaign_id, ctx.lib)


@directive("campaign")
def d_campaign(ctx: Context, args: list[str], line: int) -> str:
    if len(args) != 1:
        raise PufaError(
            ctx.file,
            f"[[!campaign {' '.join(args)}]]: expects one campaign id",
            line=line,
            fix="write [[!campaign <id>]] with a file name from data/campaigns/",
        )
    spec = _load(ctx, args[0], line)
    if ctx.src_path != campaign_page(spec.id):
        raise PufaError(
            ctx.file,
            f"[[!campaign {spec.id}]] belongs on docs/{campaign_page(spec.id)}",
            line=line,
            fix="its download and preview links are relative to that page",
        )
    c = spec.campaign
    docs = ctx.lib.root / "docs"
    out = [
        f'<p class="pufa-lead"><strong>{date_range(c.start, c.end)}</strong> · '
        f"{escape(c.theme)}</p>",
        "",
        escape(c.intro),
        "",
    ]
    if c.key_dates:
        days = "；".join(
            f"{k.date.year}年{k.date.month}月{k.date.day}日 {escape(k.name)}" for k in c.key_dates
        )
        out += [f"**重要日子：**{days}", ""]
    out += ["## 宣传标语", ""]
    out += [f"- {escape(s)}" for s in spec.slogans]
    out += ["", "## 重点条文", "", "条文为原文，与官方文本逐字核对；每条后附通俗解读。", ""]
    for feature in spec.features:
        out += [excerpt_html(ctx, feature), ""]
    if spec.pages:
        out += ["## 相关页面", ""]
        out += [f"- [{_page_title(docs, p)}]({ctx.link(p)})" for p in spec.pages]
        out.append("")
    built = default_out(ctx.lib.root) / spec.id
    out += ["## 素材下载", "", "供工作人员在显示屏和新媒体平台发布使用。", ""]
    out += [*downloads(spec, built), ""]
    previews = gallery(spec, built)
    if previews:
        out += ["## 预览", *previews]
    return "\n".join(out)


@directive("campaign-calendar")
def d_campaign_calendar(ctx: Context, args: list[str], line: int) -> str:
    specs = sorted(load_campaigns(ctx.lib.root, ctx.lib), key=lambda s: (s.campaign.start, s.id))
    docs = ctx.lib.root / "docs"
    rows = ["| 时间 | 活动 | 重要日子 |", "| --- | --- | --- |"]
    for spec in specs:
        page = campaign_page(spec.id)
        if not (docs / page).is_file():
            raise PufaError(
                ctx.file,
                f"campaign '{spec.id}' has no page",
                line=line,
                fix=f"create docs/{page} containing [[!campaign {spec.id}]]",
            )
        c = spec.campaign
        days = "；".join(f"{k.date.month}月{k.date.day}日 {k.name}" for k in c.key_dates) or "—"
        rows.append(
            f"| {date_range(c.start, c.end)} | [{c.title}]({ctx.link(page)}) | {escape(days)} |"
        )
    if (default_out(ctx.lib.root) / "calendar.ics").is_file():
        rows += [
            "",
            '<p><a href="files/calendar.ics" download>下载全部活动日历（.ics）</a>：'
            "可导入手机或电脑日历，活动日期变化时重新导入即可更新。</p>",
        ]
    return "\n".join(rows)
