"""Social posts per platform: texts within the platform's limits, article HTML, and covers.

Every post links to the campaign page on the site, and every cover carries a QR code of it.
Article text is the verbatim excerpt from data/excerpts, followed by its 解读.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from ..errors import PufaError
from .data import CampaignSpec, Feature, date_range
from .fonts import Fonts
from .layout import Box, Placed, Style, fit, fit_phrases, spec_hash
from .models import Cover, Limit, Platform
from .qr import QrPlacement, draw_qr, place_qr
from .render import GOLD, background, draw_blocks
from .slides import RENDERER_VERSION, key_date_lines

QR_CAPTION = "扫码查看活动页面"
SOURCE_NOTE = "条文原文以国家法律法规数据库公布的文本为准。"


def count(text: str, platform: Platform) -> int:
    """Characters as the platform counts them."""
    if platform.counting == "weibo":
        halves = sum(1 if ord(c) < 0x80 else 2 for c in text)
        return math.ceil(halves / 2)
    return len(text)


def hashtags(spec: CampaignSpec, platform: Platform) -> list[str]:
    return [platform.hashtag.format(tag) for tag in spec.campaign.hashtags]


@dataclass
class Post:
    platform: Platform
    files: dict[str, str]  # text files: name -> content
    meta: dict
    covers: list[CoverPlan] = field(default_factory=list)


def _check(
    spec: CampaignSpec, platform: Platform, name: str, text: str, limit: Limit, loc: tuple
) -> int:
    n = count(text, platform)
    if not limit.min <= n <= limit.max:
        side = "over the maximum" if n > limit.max else "under the minimum"
        key = ".".join(str(p) for p in loc)
        raise PufaError(
            spec.file,
            f"campaign '{spec.id}': {platform.name} {name} has {n} characters, {side} "
            f"({limit.min}–{limit.max}, data/platforms.yml '{platform.id}'): {text}",
            line=spec.line_of(*loc),
            key=key,
            fix=f"make the {name} {limit.min}–{limit.max} characters long"
            + (f" (counted as on {platform.name})" if platform.counting != "chars" else ""),
        )
    return n


def _article_label(feature: Feature) -> str:
    return feature.labels()[0]


def article_html(spec: CampaignSpec, platform: Platform) -> str:
    """Article body for the 公众号 editor: inline styles only (it drops <style> and classes)."""
    c = spec.campaign
    esc = html.escape
    red = "#b71c1c"
    out = [
        '<section style="font-size:16px;line-height:1.75;color:#222;letter-spacing:0.5px;">',
        f'<p style="margin:0 0 16px;">{esc(c.intro)}</p>',
        f'<h2 style="font-size:18px;color:{red};border-bottom:2px solid {red};'
        'padding-bottom:4px;margin:24px 0 12px;">宣传标语</h2>',
    ]
    out += [
        f'<p style="margin:6px 0;font-weight:bold;color:{red};">◆ {esc(s)}</p>'
        for s in spec.slogans
    ]
    out.append(
        f'<h2 style="font-size:18px;color:{red};border-bottom:2px solid {red};'
        'padding-bottom:4px;margin:24px 0 12px;">法律条文原文和解读</h2>'
    )
    for feature in spec.features:
        out.append(
            f'<section style="margin:16px 0;padding:10px 14px;background:#fff7ef;'
            f'border-left:4px solid {red};">'
        )
        out.append(
            f'<p style="margin:0 0 8px;font-weight:bold;color:{red};">'
            f"{esc(_article_label(feature))}</p>"
        )
        out += [f'<p style="margin:4px 0;">{esc(line)}</p>' for line in feature.excerpt.lines]
        out.append(
            f'<p style="margin:10px 0 0;color:#555;"><strong>解读</strong> '
            f"{esc(feature.excerpt.plain)}</p>"
        )
        out.append("</section>")
    out += [
        f'<p style="margin:24px 0 8px;">活动页面：{esc(spec.url)}（点击文末“阅读原文”打开）</p>',
        f'<p style="margin:8px 0;color:{red};">{esc(" ".join(hashtags(spec, platform)))}</p>',
        f'<p style="margin:16px 0 0;font-size:13px;color:#888;">{esc(spec.office.name)}。'
        f"{esc(SOURCE_NOTE)}</p>",
        "</section>",
    ]
    return "\n".join(out) + "\n"


def article_text(spec: CampaignSpec, platform: Platform) -> str:
    """Plain-text article (今日头条): the same content as the HTML, without markup."""
    c = spec.campaign
    out = [c.intro, "", "宣传标语"]
    out += [f"◆ {s}" for s in spec.slogans]
    out += ["", "法律条文原文和解读"]
    for feature in spec.features:
        out += [
            "",
            _article_label(feature),
            *feature.excerpt.lines,
            f"解读：{feature.excerpt.plain}",
        ]
    out += [
        "",
        f"活动页面：{spec.url}",
        " ".join(hashtags(spec, platform)),
        f"{spec.office.name}。{SOURCE_NOTE}",
    ]
    return "\n".join(out) + "\n"


def plan_post(spec: CampaignSpec, platform: Platform, fonts: Fonts) -> Post:
    c = spec.campaign
    texts = c.posts.get(platform.id)
    files: dict[str, str] = {}
    meta: dict = {
        "platform": platform.id,
        "name": platform.name,
        "url": spec.url,
        "hashtags": hashtags(spec, platform),
        "limits_source": platform.source,
        "limits_checked": str(platform.checked),
        "counts": {},
    }
    if platform.title is not None:
        title = texts.title if texts and texts.title else c.title
        loc = ("posts", platform.id, "title") if texts and texts.title else ("title",)
        meta["title"] = title
        meta["counts"]["title"] = _check(spec, platform, "title", title, platform.title, loc)
        files["title.txt"] = title + "\n"
    if platform.digest is not None:
        digest = texts.digest if texts and texts.digest else c.intro
        loc = ("posts", platform.id, "digest") if texts and texts.digest else ("intro",)
        meta["digest"] = digest
        meta["counts"]["digest"] = _check(spec, platform, "digest", digest, platform.digest, loc)
        files["digest.txt"] = digest + "\n"
    if platform.text is not None:
        body = texts.text if texts and texts.text else c.intro
        loc = ("posts", platform.id, "text") if texts and texts.text else ("intro",)
        post = f"{' '.join(hashtags(spec, platform))} {body}{spec.url}"
        meta["text"] = post
        meta["counts"]["text"] = _check(spec, platform, "post", post, platform.text, loc)
        files["post.txt"] = post + "\n"
    if platform.body == "html":
        files["article.html"] = article_html(spec, platform)
        meta["source_url"] = spec.url  # 阅读原文
    elif platform.body == "text":
        files["article.txt"] = article_text(spec, platform)
    covers = [plan_cover(spec, platform, cover, fonts) for cover in platform.covers]
    meta["covers"] = [
        {"file": f"{cv.cover.name}.png", "width": cv.cover.width, "height": cv.cover.height}
        for cv in covers
    ]
    return Post(platform, files, meta, covers)


# --- Covers ---------------------------------------------------------------------------------


@dataclass
class CoverPlan:
    spec_id: str
    platform: Platform
    cover: Cover
    blocks: list[Placed]
    qr: QrPlacement
    safe: Box

    @property
    def file(self) -> str:
        return f"{self.cover.name}.png"

    def key(self) -> str:
        data = {
            "renderer": RENDERER_VERSION,
            "size": [self.cover.width, self.cover.height],
            "qr": [self.qr.url, self.qr.x, self.qr.y, self.qr.scale],
            "blocks": [b.spec() for b in self.blocks],
        }
        return spec_hash(data)


def plan_cover(spec: CampaignSpec, platform: Platform, cover: Cover, fonts: Fonts) -> CoverPlan:
    c = spec.campaign
    w, h = cover.width, cover.height
    m = max(12, round(min(w, h) * 0.06))
    safe = Box(m, m, w - m, h - m)
    short = min(w, h)
    sub_lines = [date_range(c.start, c.end), *key_date_lines(spec), c.theme]
    for text in [c.title, spec.office.name, QR_CAPTION, *sub_lines]:
        fonts.check(text, where=spec.file, what=f"{platform.name} cover")

    def style(role: str, lo: int, hi: int, **kw) -> Style:  # noqa: ANN003
        face = fonts.bold if role in {"title"} else fonts.regular
        return Style(face=face, sizes=(max(12, lo), max(12, hi)), mono=False, role=role, **kw)

    def need(placed: Placed | None, what: str, text: str) -> Placed:
        if placed is None:
            raise PufaError(
                spec.file,
                f"campaign '{spec.id}': {what} does not fit the {platform.name} cover "
                f"{w}×{h}: {text}",
                fix="shorten the text",
            )
        return placed

    caption_size = max(14, round(short * 0.045))
    caption_h = round(caption_size * 1.6)
    wide = w / h >= 1.5
    room = min(safe.height - caption_h, round(w * 0.3)) if wide else round(short * 0.34)
    qr_x = safe.right - room
    qr_y = safe.bottom - caption_h - room
    qr = place_qr(spec.url, qr_x, qr_y, room)
    if qr is None:
        raise PufaError(
            spec.file,
            f"campaign '{spec.id}': the page URL needs too big a QR code for the "
            f"{platform.name} cover {w}×{h}: {spec.url}",
            fix="use a shorter site_url or campaign id",
        )
    # Centre the code in its room, caption underneath.
    offset = (room - qr.size) // 2
    qr = QrPlacement(qr.url, qr.x + offset, qr.y + offset, qr.scale, qr.modules)
    caption_box = Box(qr_x - m // 2, qr_y + room, safe.right, safe.bottom)
    caption = need(
        fit([QR_CAPTION], style("caption", caption_size, caption_size), caption_box),
        "the QR caption",
        QR_CAPTION,
    )
    kicker_size = max(14, round(short * 0.05))
    gap = max(8, round(short * 0.03))
    if wide:
        text_box = Box(safe.left, safe.top, qr_x - gap * 2, safe.bottom)
        kicker = need(
            fit(
                [spec.office.name],
                style("kicker", kicker_size, kicker_size, align="left", valign="top"),
                text_box,
            ),
            "the office name",
            spec.office.name,
        )
        rest = text_box.below(kicker.bbox[3] + gap)
        title_box = rest.above(rest.top + round(rest.height * 0.55))
        title = need(
            fit_phrases(
                [c.title],
                style(
                    "title",
                    round(h * 0.08),
                    round(h * 0.2),
                    align="left",
                    valign="center",
                    line_spacing=1.2,
                    balance=True,
                ),
                title_box,
            ),
            "the title",
            c.title,
        )
        sub_box = rest.below(title.bbox[3] + gap)
        sub = need(
            fit_phrases(
                sub_lines,
                style(
                    "subtitle",
                    round(h * 0.045),
                    round(h * 0.07),
                    align="left",
                    valign="top",
                    line_spacing=1.4,
                ),
                sub_box,
            ),
            "the dates and theme",
            " / ".join(sub_lines),
        )
        # Centre title and subtitle together below the office name.
        dy = (rest.top + rest.bottom) // 2 - (title.bbox[1] + sub.bbox[3]) // 2
        dy = max(rest.top - title.bbox[1], min(dy, rest.bottom - sub.bbox[3]))
        title, sub = title.shifted(dy), sub.shifted(dy)
    else:
        kicker = need(
            fit(
                [spec.office.name],
                style("kicker", kicker_size, kicker_size, align="center", valign="top"),
                safe,
            ),
            "the office name",
            spec.office.name,
        )
        top = safe.below(kicker.bbox[3] + gap).above(qr_y - gap)
        title = need(
            fit_phrases(
                [c.title],
                style("title", round(w * 0.06), round(w * 0.13), line_spacing=1.2, balance=True),
                top,
            ),
            "the title",
            c.title,
        )
        sub_box = Box(safe.left, qr_y, qr_x - gap, safe.bottom)
        sub = need(
            fit_phrases(
                sub_lines,
                style(
                    "subtitle",
                    round(w * 0.032),
                    round(w * 0.05),
                    align="left",
                    valign="center",
                    line_spacing=1.45,
                ),
                sub_box,
            ),
            "the dates and theme",
            " / ".join(sub_lines),
        )
    return CoverPlan(spec.id, platform, cover, [kicker, title, sub, caption], qr, safe)


def render_cover(plan: CoverPlan, *, text: bool = True) -> Image.Image:
    image = background(plan.cover.width, plan.cover.height, "cover", "RGB")
    draw = ImageDraw.Draw(image)
    frame = max(2, min(plan.cover.width, plan.cover.height) // 150)
    inset = plan.safe.left // 2
    draw.rectangle(
        (inset, inset, plan.cover.width - inset - 1, plan.cover.height - inset - 1),
        outline=GOLD,
        width=frame,
    )
    draw_qr(image, plan.qr)
    if text:
        draw_blocks(image, plan.blocks)
    return image
