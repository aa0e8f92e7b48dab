"""Posts: limits from data/platforms.yml, links to the campaign page, QR codes on covers."""

from __future__ import annotations

import pytest
from pufa.campaign.data import load_campaign, load_platforms
from pufa.campaign.posts import count, plan_post, render_cover
from pufa.campaign.qr import matrix, read_modules
from pufa.content.library import load_library
from pufa.errors import PufaError

from ..conftest import ROOT
from .conftest import GOOD, write_campaign


def test_platform_limits_are_data_with_a_source() -> None:
    platforms = load_platforms(ROOT)
    assert platforms["wechat"].title.max == 32 and platforms["wechat"].digest.max == 120
    assert (platforms["toutiao"].title.min, platforms["toutiao"].title.max) == (5, 30)
    assert platforms["weibo"].text.max == 140
    covers = {c.name: (c.width, c.height) for p in platforms.values() for c in p.covers}
    assert covers["cover-900x383"] == (900, 383) and covers["cover-500x500"] == (500, 500)
    assert covers["cover-1280x720"] == (1280, 720) and covers["card-1080x1080"] == (1080, 1080)
    for p in platforms.values():
        assert p.source.strip()


def test_weibo_counts_two_half_width_characters_as_one() -> None:
    weibo = load_platforms(ROOT)["weibo"]
    assert count("宪法", weibo) == 2
    assert count("abcd", weibo) == 2
    assert count("abc", weibo) == 2
    assert count("宪法 http://x.cn/", weibo) == 9  # 4 + 1 + 12 halves, rounded up


def test_every_shipped_post_is_within_its_limits(built) -> None:
    platforms = load_platforms(ROOT)
    for cid, manifest in built.manifests().items():
        for post in manifest["posts"]:
            platform = platforms[post["platform"]]
            for field, n in post["counts"].items():
                limit = getattr(platform, "text" if field == "text" else field)
                assert limit.min <= n <= limit.max, (cid, field, n)
                assert count(post[field], platform) == n
            url = f"{load_library(ROOT).office.site_url}campaigns/{cid}/"
            assert post["url"] == url
            files = {f.rsplit("/", 1)[1]: built.out / cid / f for f in post["files"]}
            text = "".join(
                p.read_text(encoding="utf-8")
                for n, p in files.items()
                if n.endswith((".txt", ".html"))
            )
            assert url in text, (cid, post["platform"])
            for tag in post["hashtags"]:
                assert tag in text


def test_article_bodies_quote_the_excerpts_verbatim(built, lib) -> None:
    for cid, manifest in built.manifests().items():
        html = (built.out / cid / "posts/wechat/article.html").read_text(encoding="utf-8")
        text = (built.out / cid / "posts/toutiao/article.txt").read_text(encoding="utf-8")
        assert "<script" not in html and "class=" not in html  # the 公众号 editor drops them
        for f in manifest["featured"]:
            excerpt = lib.excerpt(f["statute"], f["article"])
            for line in excerpt.lines:
                assert line in text
                assert line.replace("“", "&quot;") in html or line in html
            assert excerpt.plain in text


def test_a_title_over_the_platform_limit_fails_with_the_counts(project, fonts) -> None:
    title = "宪法宣传周" * 8  # 40 characters
    write_campaign(project, GOOD + f"posts:\n  wechat:\n    title: {title}\n")
    spec = load_campaign(project, "bad-campaign", load_library(project))
    wechat = next(p for p in spec.platforms if p.id == "wechat")
    with pytest.raises(PufaError) as info:
        plan_post(spec, wechat, fonts)
    err = info.value
    assert "微信公众号 title has 40 characters, over the maximum (1–32" in err.message
    assert err.key == "posts.wechat.title" and err.line == 17
    assert title in err.message


def test_a_toutiao_title_under_the_minimum_fails(project, fonts) -> None:
    write_campaign(project, GOOD + "posts:\n  toutiao:\n    title: 宪法\n")
    spec = load_campaign(project, "bad-campaign", load_library(project))
    toutiao = next(p for p in spec.platforms if p.id == "toutiao")
    with pytest.raises(PufaError, match="2 characters, under the minimum"):
        plan_post(spec, toutiao, fonts)


def test_a_weibo_post_over_140_fails(project, fonts) -> None:
    write_campaign(project, GOOD + "posts:\n  weibo:\n    text: " + "宪" * 130 + "\n")
    spec = load_campaign(project, "bad-campaign", load_library(project))
    weibo = next(p for p in spec.platforms if p.id == "weibo")
    with pytest.raises(PufaError, match=r"微博 post has \d+ characters, over the maximum"):
        plan_post(spec, weibo, fonts)


def test_every_cover_carries_a_qr_code_of_the_campaign_page(built) -> None:
    from PIL import Image
    from pufa.campaign.qr import QrPlacement

    for cid, manifest in built.manifests().items():
        for post in manifest["posts"]:
            for cover in post["cover_layout"]:
                path = built.out / cid / "posts" / post["platform"] / cover["file"]
                qr = cover["qr"]
                assert qr["url"] == post["url"]
                assert qr["scale"] >= 3
                x, y, *_ = qr["box"]
                placement = QrPlacement(qr["url"], x, y, qr["scale"], qr["modules"])
                with Image.open(path) as image:
                    assert image.size == (cover["width"], cover["height"])
                    assert read_modules(image, placement) == matrix(qr["url"])


def test_cover_text_stays_in_the_safe_area_and_off_the_qr_code(lib, fonts) -> None:
    from PIL import ImageChops
    from pufa.campaign.data import load_campaigns
    from pufa.campaign.layout import Box

    for spec in load_campaigns(ROOT, lib):
        for platform in spec.platforms:
            post = plan_post(spec, platform, fonts)
            for cover in post.covers:
                safe = cover.safe
                qr = Box(*cover.qr.box)
                for block in cover.blocks:
                    for box in block.inks:
                        assert safe.contains(box), (spec.id, cover.file, block.text)
                        overlaps = not (
                            box[2] <= qr.left
                            or box[0] >= qr.right
                            or box[3] <= qr.top
                            or box[1] >= qr.bottom
                        )
                        assert not overlaps, (spec.id, cover.file, block.text)
                if spec.id == "constitution-week-2026":
                    ink = ImageChops.difference(
                        render_cover(cover), render_cover(cover, text=False)
                    )
                    assert safe.contains(ink.getbbox())
