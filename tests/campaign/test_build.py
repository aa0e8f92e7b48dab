"""`build_campaigns`: every file the issue asks for, exact image sizes and modes, text inside the
safe margin, no tofu, the cache, the zip, and what the site gets."""

from __future__ import annotations

import zipfile

from PIL import Image
from pufa.campaign.build import build_campaigns
from pufa.campaign.data import load_campaigns, load_platforms, load_screens
from pufa.campaign.layout import Box
from pufa.campaign.paths import copy_into_site

from ..conftest import ROOT


def test_every_shipped_campaign_is_built(built, lib) -> None:
    ids = {s.id for s in load_campaigns(ROOT, lib)}
    assert set(built.manifests()) == ids
    assert built.first.campaigns and set(built.first.campaigns) == ids
    assert (built.out / "calendar.ics").is_file()
    for cid in ids:
        folder = built.out / cid
        for name in (f"{cid}.zip", f"{cid}.ics", "manifest.json"):
            assert (folder / name).is_file(), name


def test_the_files_the_issue_asks_for(built) -> None:
    screens = load_screens(ROOT)
    for cid, manifest in built.manifests().items():
        folder = built.out / cid
        for screen in manifest["screens"]:
            led = folder / "led" / screen["id"]
            pngs = sorted(p.name for p in led.glob("[0-9]*.png"))
            assert pngs == [s["file"].rsplit("/", 1)[1] for s in screen["slides"]]
            assert (led / f"{screen['id']}.mp4").is_file()
            lines = (led / "scroll.txt").read_text(encoding="utf-8").splitlines()
            assert lines == manifest["slogans"]
            if screens[screen["id"]].mode == "1":
                assert (led / "scroll.png").is_file() and screen["scroll"]
        for post in manifest["posts"]:
            for rel in post["files"]:
                assert (folder / rel).is_file(), rel
        names = {p.name for p in (folder / "posts").rglob("*")}
        assert {"article.html", "title.txt", "digest.txt", "article.txt", "post.txt"} <= names
        assert {"cover-900x383.png", "cover-500x500.png", "cover-1280x720.png"} <= names
        assert "card-1080x1080.png" in names


def test_every_image_has_the_exact_size_and_mode(built) -> None:
    checked = 0
    platforms = load_platforms(ROOT)
    for cid, manifest in built.manifests().items():
        for screen in manifest["screens"]:
            mode = "1" if screen["mode"] == "1" else "RGB"
            for slide in screen["slides"]:
                with Image.open(built.out / cid / slide["file"]) as image:
                    assert image.size == (screen["width"], screen["height"]), slide["file"]
                    assert image.mode == mode, slide["file"]
                checked += 1
            if screen["scroll"]:
                with Image.open(built.out / cid / screen["scroll"]["file"]) as image:
                    assert image.mode == "1"
                    assert image.size == (screen["scroll"]["width"], screen["height"])
                    assert image.width > screen["width"] * 3  # a long strip to scroll through
                checked += 1
        for post in manifest["posts"]:
            expected = {c.name: (c.width, c.height) for c in platforms[post["platform"]].covers}
            for cover in post["cover_layout"]:
                with Image.open(built.out / cid / "posts" / post["platform"] / cover["file"]) as im:
                    assert im.mode == "RGB"
                    assert im.size == expected[cover["file"].removesuffix(".png")]
                checked += 1
    assert checked == built.first.images


def test_text_boxes_stay_inside_the_safe_margin(built) -> None:
    for cid, manifest in built.manifests().items():
        for screen in manifest["screens"]:
            safe = Box(*screen["safe"])
            for slide in screen["slides"]:
                boxes = [b for block in slide["blocks"] for b in block["boxes"]]
                assert boxes, slide["file"]
                for box in boxes:
                    assert safe.contains(box), (cid, slide["file"], box, screen["safe"])
                if screen["mode"] == "1":
                    # On a 1-bit slide every lit pixel is text: check the pixels themselves.
                    with Image.open(built.out / cid / slide["file"]) as image:
                        lit = image.getbbox()
                    assert lit is not None and safe.contains(lit), (cid, slide["file"], lit)
                    union = Box(
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                    )
                    assert union.contains(lit)
                    assert all(b["size"] >= 16 for b in slide["blocks"])


def test_every_rendered_character_is_in_the_font(built, fonts) -> None:
    texts = []
    for manifest in built.manifests().values():
        for screen in manifest["screens"]:
            for slide in screen["slides"]:
                texts += [line for block in slide["blocks"] for line in block["lines"]]
            if screen["scroll"]:
                texts += [ln for b in screen["scroll"]["blocks"] for ln in b["lines"]]
        for post in manifest["posts"]:
            for cover in post["cover_layout"]:
                texts += [line for block in cover["blocks"] for line in block["lines"]]
    chars = set("".join(texts)) - {" ", "\u3000"}
    assert len(chars) > 300
    for face in (fonts.regular, fonts.bold):
        assert face.missing("".join(sorted(chars))) == []


def test_a_second_run_renders_nothing(built) -> None:
    first, second = built.first, built.second
    assert first.rendered > 300 and first.videos_encoded == 12
    assert second.rendered == 0 and second.previews_made == 0 and second.videos_encoded == 0
    assert second.cached == first.images and second.videos_cached == 12
    assert second.bytes == first.bytes and second.files == first.files


def test_builds_are_reproducible(built) -> None:
    """Rendering again from scratch (cache ignored) writes byte-identical files: slides, covers,
    videos, posts, zip. The smallest campaign keeps this cheap."""
    manifests = built.manifests()
    cid = min(manifests, key=lambda c: len(manifests[c]["files"]))
    paths = [e["path"] for e in manifests[cid]["files"]] + [f"{cid}.zip"]
    before = {p: (built.out / cid / p).read_bytes() for p in paths}
    again = build_campaigns(ROOT, built.out, ids=[cid], force=True, progress=False)
    assert again.rendered > 0 and again.videos_encoded > 0, again.describe()
    changed = [p for p in paths if (built.out / cid / p).read_bytes() != before[p]]
    assert not changed, f"not reproducible: {changed}"


def test_the_zip_holds_everything_for_staff(built) -> None:
    for cid, manifest in built.manifests().items():
        with zipfile.ZipFile(built.out / cid / f"{cid}.zip") as zf:
            names = set(zf.namelist())
            assert zf.testzip() is None
        expected = {f"{cid}/{f['path']}" for f in manifest["files"]} | {f"{cid}/manifest.json"}
        assert names == expected
        assert not any("/preview/" in n for n in names)


def test_progress_and_log_lines(built) -> None:
    assert any("led/lobby/" in line for line in built.log)
    assert any(line.startswith("wrote ") and ".zip" in line for line in built.log)
    assert "rendered" in built.first.describe()


def test_copy_into_site(built, tmp_path) -> None:
    site = tmp_path / "site"
    copied = copy_into_site(built.out, site)
    assert site / "campaigns" / "files" / "calendar.ics" in copied
    cid = "constitution-week-2026"
    files = site / "campaigns" / cid / "files"
    for name in (
        f"{cid}.zip",
        f"{cid}.ics",
        "lobby.mp4",
        "indoor.mp4",
        "door.mp4",
        "door-scroll.png",
    ):
        assert (files / name).is_file(), name
    assert (files / "preview" / "lobby-title.png").is_file()
    assert (files / "preview" / "wechat-cover-900x383.png").is_file()
    assert copy_into_site(tmp_path / "nothing-built", tmp_path / "site2") == []


def test_every_input_changes_the_cache_key_and_re_renders(tmp_path, monkeypatch) -> None:
    """Colours, sizes, preview width, renderer code, Pillow/FreeType and ffmpeg versions are
    all in the keys: changing any one of them renders again instead of reusing a stale file."""
    from PIL import Image
    from pufa.campaign import cache
    from pufa.campaign.build import Builder, preview_params

    tools = cache.toolchain()
    assert set(tools) == {"code", "pillow", "freetype", "ffmpeg"} and all(tools.values())
    builder = Builder(tmp_path, force=False, progress=False, log=lambda m: None)
    src = tmp_path / "slide.png"
    Image.new("1", (8, 4), 1).save(src)

    def preview(params) -> int:
        before = builder.report.previews_made
        builder.preview("slide", src, params)
        return builder.report.previews_made - before

    def image(spec_key: str) -> int:
        before = builder.report.rendered
        builder.image(spec_key, lambda: Image.new("RGB", (4, 4)))
        return builder.report.rendered - before

    assert preview(preview_params("1", "#ff0000")) == 1
    assert preview(preview_params("1", "#ff0000")) == 0  # cached
    assert preview(preview_params("1", "#ffaa00")) == 1  # the screen's LED colour (lit)
    assert preview(preview_params("RGB", None, width=640)) == 1
    assert preview(preview_params("RGB", None, width=480)) == 1  # preview width
    assert image("spec-a") == 1 and image("spec-a") == 0
    assert image("spec-b") == 1  # size, mode, text, fonts: all in the slide spec
    for field in tools:
        changed = {**tools, field: tools[field] + "+1"}
        monkeypatch.setattr(cache, "toolchain", lambda changed=changed: changed)
        assert image("spec-a") == 1, field  # renderer code, Pillow, FreeType, ffmpeg
        assert preview(preview_params("1", "#ff0000")) == 1, field
        video_key = cache.cache_key("video", {"size": [8, 4]})
        monkeypatch.setattr(cache, "toolchain", lambda: tools)
        assert cache.cache_key("video", {"size": [8, 4]}) != video_key, field
    builder.pool.shutdown()
