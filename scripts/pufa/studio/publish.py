"""Publishing from the studio: the campaign build and the site build, in a background thread,
with a progress figure the page polls, then what changed on the site.

Progress is real, not a timer: the campaign part counts the build's own per-screen and per-post
steps, the site part its numbered steps.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PufaError, PufaErrors
from .i18n import translate

ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)


@dataclass
class Job:
    id: str
    campaigns: list[str]
    by: str
    state: str = "running"  # running | done | failed
    percent: float = 0.0
    step: str = "准备中"
    log: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    zips: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "percent": round(self.percent, 1),
            "step": self.step,
            "errors": self.errors,
            "changes": self.changes,
            "zips": self.zips,
            "seconds": round(self.seconds, 1),
            "log": self.log[-12:],
        }


def page_digests(site: Path) -> dict[str, str]:
    """Page URL -> hash of its main content (navigation changes on every page are left out)."""
    out = {}
    if not site.is_dir():
        return out
    for path in site.rglob("index.html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        m = ARTICLE.search(text)
        body = m.group(1) if m else text
        rel = path.parent.relative_to(site).as_posix()
        out["/" if rel == "." else f"/{rel}/"] = hashlib.sha256(body.encode()).hexdigest()
    return out


def diff_pages(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        "新增": sorted(set(after) - set(before)),
        "修改": sorted(p for p in after if p in before and before[p] != after[p]),
        "删除": sorted(set(before) - set(after)),
    }


class _Lines(io.TextIOBase):
    def __init__(self, on_line) -> None:  # noqa: ANN001
        self.on_line = on_line
        self.buf = ""

    def write(self, s: str) -> int:
        self.buf += s
        while "\n" in self.buf:
            line, self.buf = self.buf.split("\n", 1)
            if line.strip():
                self.on_line(line)
        return len(s)


def run_publish(root: Path, job: Job) -> None:
    from ..campaign.build import build_campaigns
    from ..campaign.data import load_campaign
    from ..content.library import load_library
    from ..site.build import build_site

    try:
        lib = load_library(root)
        steps_total = 0
        for cid in job.campaigns:
            spec = load_campaign(root, cid, lib)
            steps_total += len(spec.screens) + len(spec.platforms)
        seen = 0
        campaign_share = 60.0 if job.campaigns else 0.0

        def on_campaign(line: str) -> None:
            nonlocal seen
            job.log.append(line)
            if re.match(r"\s+\S+: (led|posts)/", line):
                seen += 1
                job.percent = campaign_share * min(seen, steps_total) / max(steps_total, 1)
                job.step = f"生成宣传素材（{seen}/{steps_total}）"

        if job.campaigns:
            job.step = "生成宣传素材（显示屏图片、视频、新媒体文案）"
            build_campaigns(root, ids=job.campaigns, progress=False, log=on_campaign)
        job.percent = campaign_share

        def on_site(line: str) -> None:
            job.log.append(line)
            m = re.match(r"\[(\d)/(\d)\] (.*)", line)
            if m:
                n, total = int(m.group(1)), int(m.group(2))
                job.percent = campaign_share + (100 - campaign_share) * (n - 1) / total
                job.step = f"生成网站（第 {n}/{total} 步）"

        site = root / "site"
        before = page_digests(site)
        with contextlib.redirect_stdout(_Lines(on_site)):
            build_site(root, site)
        job.changes = diff_pages(before, page_digests(site))
        job.zips = [
            cid
            for cid in job.campaigns
            if (root / "build" / "campaigns" / cid / f"{cid}.zip").is_file()
        ]
        job.percent = 100.0
        job.step = "发布完成"
        job.state = "done"
    except (PufaError, PufaErrors) as exc:
        errors = exc.errors if isinstance(exc, PufaErrors) else [exc]
        job.errors = [f"{e.path}：{translate(e.message)}" for e in errors]
        job.state = "failed"
        job.step = "发布失败，网站保持原样"
    except Exception as exc:  # noqa: BLE001 - shown to staff, logged in full
        job.log.append(traceback.format_exc())
        job.errors = [f"内部错误：{exc}"]
        job.state = "failed"
        job.step = "发布失败，网站保持原样"
    finally:
        job.seconds = time.monotonic() - job.started


class Publisher:
    """One publish at a time per studio."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start(self, campaigns: list[str], by: str) -> Job | None:
        with self.lock:
            if any(j.state == "running" for j in self.jobs.values()):
                return None
            job = Job(id=f"{len(self.jobs) + 1}", campaigns=campaigns, by=by)
            self.jobs[job.id] = job
        threading.Thread(target=run_publish, args=(self.root, job), daemon=True).start()
        return job
