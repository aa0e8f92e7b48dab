"""Where campaign outputs live, and where the site serves them (one place for both sides).

    build/campaigns/<id>/preview/<name>.png      ->  site/campaigns/<id>/files/preview/<name>.png
    build/campaigns/<id>/<id>.zip, <id>.ics      ->  site/campaigns/<id>/files/<id>.zip, .ics
    build/campaigns/<id>/led/<s>/<s>.mp4         ->  site/campaigns/<id>/files/<s>.mp4
    build/campaigns/<id>/led/<s>/scroll.png      ->  site/campaigns/<id>/files/<s>-scroll.png
    build/campaigns/calendar.ics                 ->  site/campaigns/files/calendar.ics

Pages link ``files/...`` relative to their own URL (/campaigns/<id>/ and /campaigns/).
"""

from __future__ import annotations

from pathlib import Path

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
