"""Where campaign outputs live, and where the site serves them (one place for both sides).

    build/campaigns/<id>/preview/<name>.png      ->  site/campaigns/<id>/files/preview/<name>.png
    build/campaigns/<id>/<id>.zip, <id>.ics      ->  site/campaigns/<id>/files/<id>.zip, .ics
    build/campaigns/<id>/led/<s>/<s>.mp4         ->  site/campaigns/<id>/files/<s>.mp4
    build/campaigns/<id>/led/<s>/scroll.png      ->  site/campaigns/<id>/files/<s>-scroll.png
    build/campaigns/calendar.ics                 ->  site/campaigns/files/calendar.ics

Pages link ``files/...`` relative to their own URL (/campaigns/<id>/ and /campaigns/).
"""

from __future__ import annotations

import json
from pathlib import Path

from .cache import copy

OUT = Path("build") / "campaigns"


def default_out(root: Path) -> Path:
    return root / OUT


def preview_name(owner: str, item: str) -> str:
    """Preview of a screen's slide item (``lobby``, ``title``) or a platform's cover."""
    return f"{owner}-{item}.png"


def site_files(campaign_id: str, screens: list[tuple[str, bool]]) -> list[tuple[str, str]]:
    """(output path, served path) pairs relative to the campaign's output folder and to its
    page's ``files/`` folder, previews excluded; ``screens`` is [(id, has a scroll image)]."""
    pairs = [
        (f"{campaign_id}.zip", f"{campaign_id}.zip"),
        (f"{campaign_id}.ics", f"{campaign_id}.ics"),
    ]
    for screen_id, scroll in screens:
        pairs.append((f"led/{screen_id}/{screen_id}.mp4", f"{screen_id}.mp4"))
        if scroll:
            pairs.append((f"led/{screen_id}/scroll.png", f"{screen_id}-scroll.png"))
    return pairs


def copy_into_site(out_dir: Path, site_dir: Path) -> list[Path]:
    """Copy what the campaign pages link to into site_dir/campaigns/: previews, zip, .ics, mp4.

    Call it after MkDocs has rendered the pages and before the link check: the pages link only
    files that exist in ``out_dir`` (see directives.py), so with nothing built nothing is linked
    and nothing is copied. (Here, not in build.py: `pufa build` needs it without the renderer
    and its image library.)
    """
    out_dir, site_dir = Path(out_dir), Path(site_dir)
    copied: list[Path] = []

    def put(src: Path, dest: Path) -> None:
        if src.is_file():
            copy(src, dest)
            copied.append(dest)

    put(out_dir / "calendar.ics", site_dir / "campaigns" / "files" / "calendar.ics")
    for manifest_path in sorted(out_dir.glob("*/manifest.json")):
        folder = manifest_path.parent
        cid = folder.name
        files = site_dir / "campaigns" / cid / "files"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for preview in sorted((folder / "preview").glob("*.png")):
            put(preview, files / "preview" / preview.name)
        screens = [(s["id"], bool(s.get("scroll"))) for s in manifest["screens"]]
        for src, dest in site_files(cid, screens):
            put(folder / src, files / dest)
    return copied
