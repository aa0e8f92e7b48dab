"""The MP4 of every screen: H.264, exact size, frame count and duration (checked with ffprobe)."""

from __future__ import annotations

from pufa.campaign.video import probe


def test_every_video_matches_its_slides(built) -> None:
    for cid, manifest in built.manifests().items():
        for screen in manifest["screens"]:
            video = screen["video"]
            info = probe(built.out / cid / video["file"], count=True)
            assert info["codec"] == "h264" and info["pix_fmt"] == "yuv420p"
            assert (info["width"], info["height"]) == (screen["width"], screen["height"])
            assert info["fps"] == screen["fps"]
            frames = sum(s["frames"] for s in screen["slides"])
            assert info["frames"] == frames == video["frames"], (cid, screen["id"])
            seconds = sum(s["duration"] for s in screen["slides"])
            assert abs(info["duration"] - seconds) < 1 / screen["fps"], (cid, screen["id"])


def test_a_strip_video_shows_the_lit_colour(built) -> None:
    """Decode one frame of a 1-bit strip's video: lit pixels are red, the rest black."""
    import subprocess

    from PIL import Image

    manifest = built.manifest("constitution-week-2026")
    door = next(s for s in manifest["screens"] if s["mode"] == "1")
    frame = built.out / "frame.png"
    mp4 = built.out / "constitution-week-2026" / door["video"]["file"]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(mp4), "-frames:v", "1", str(frame)], check=True
    )
    with Image.open(frame) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16)
    brightest = max(colours, key=lambda c: sum(c[1]))[1]
    assert brightest[0] > 200 and brightest[1] < 60 and brightest[2] < 60, brightest
