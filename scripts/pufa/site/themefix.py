"""A targeted fix to the theme's search worker for Chinese queries.

mkdocs-material 9.8.1 segments a Han query greedily against the index vocabulary
(``integrations/search/query/segment``), but its loops stop one character short
(``j < query.length``), so the last word of a query is never recognised: 二倍工资 is searched as
二倍* 工*, and 工* matches every 工作/工伤/工程 page. We patch the two bounds in the built worker.
The patterns are pinned to the theme version in pyproject.toml; if they are not found the build
fails, so a theme upgrade makes us re-check instead of silently losing the fix.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PufaError

PATCHES = (
    (
        "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e",
        "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e",
    ),
    ("n[a]&&a<t.length-1&&(i[s++]=a)", "n[a]&&a<t.length&&(i[s++]=a)"),
)


def patch_search_worker(site: Path) -> Path:
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise PufaError(
            site,
            f"expected one theme search worker, found {len(workers)}",
            fix="check scripts/pufa/themefix.py against the installed theme",
        )
    path = workers[0]
    text = path.read_text(encoding="utf-8")
    for old, new in PATCHES:
        if text.count(old) != 1:
            raise PufaError(
                path,
                "search worker code changed; Chinese query fix not applied",
                fix="re-check scripts/pufa/themefix.py for this theme version",
            )
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path
