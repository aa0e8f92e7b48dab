"""Remove the theme's fallbacks to third-party hosts from the built site.

Material's bundle loads a ResizeObserver polyfill and Mermaid from unpkg.com on demand. Neither is
reachable from a kiosk that is offline or from networks in mainland China, so a request would only
hang; we point them at an empty inline script instead (the site uses no Mermaid diagrams, and every
browser we target has ResizeObserver). Source maps are dropped because they only repeat the code.

A file we change must not keep the theme's content-hashed name: nginx serves such names
``immutable`` for a year, so a browser holding the theme's file under that name would never see
ours (or the reverse). A changed ``name.<hash>.min.js`` is renamed after a hash of its new content
(``HASHED``, the first 8 hex digits of its SHA-256) and every page's reference is rewritten.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

THIRD_PARTY = re.compile(
    r"https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com"
    r"|fonts\.gstatic\.com)/[^\"'\s)]*"
)
EMPTY_SCRIPT = "data:text/javascript,"
# A content-hashed asset name, as the nginx config caches it for a year (serve/deploy.py).
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})\.min\.(?P<ext>js|css)$")
# Files that may name an asset: pages, and scripts/styles that load others.
REFERRERS = (".html", ".js", ".css", ".json", ".webmanifest")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def strip_third_party(site: Path) -> list[str]:
    """Rewrite third-party URLs in built JavaScript; return what was replaced, for the log."""
    replaced: list[str] = []
    changed: dict[Path, str] = {}
    maps = sorted(site.rglob("*.js.map"))
    for path in maps:
        path.unlink()
    for path in sorted(site.rglob("*.js")):
        original = path.read_text(encoding="utf-8")
        text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", original)
        found = THIRD_PARTY.findall(text)
        if found:
            replaced += [f"{path.relative_to(site)}: {url}" for url in found]
            text = THIRD_PARTY.sub(EMPTY_SCRIPT, text)
        if text != original:
            changed[path] = text
    renames: dict[str, str] = {}
    for path, text in changed.items():
        data = text.encode("utf-8")
        match = HASHED.match(path.name)
        if match:
            new = f"{match['stem']}.{content_hash(data)}.min.{match['ext']}"
            path.unlink()
            (path.with_name(new)).write_bytes(data)
            renames[path.name] = new
            replaced.append(f"{path.relative_to(site)} -> {new} (its own content hash)")
        else:
            path.write_bytes(data)
    if renames:
        _rewrite_references(site, renames)
    return replaced


def _rewrite_references(site: Path, renames: dict[str, str]) -> None:
    pattern = re.compile("|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True)))
    for path in site.rglob("*"):
        if path.suffix not in REFERRERS or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if not pattern.search(text):
            continue
        path.unlink()  # a new file: this one may be a link shared with the published site
        path.write_text(
            pattern.sub(lambda m: renames[m.group(0)], text),
            encoding="utf-8",
            errors="surrogateescape",
        )
