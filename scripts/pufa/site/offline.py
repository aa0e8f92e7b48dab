"""Remove the theme's fallbacks to third-party hosts from the built site.

Material's bundle loads a ResizeObserver polyfill and Mermaid from unpkg.com on demand. Neither is
reachable from a kiosk that is offline or from networks in mainland China, so a request would only
hang; we point them at an empty inline script instead (the site uses no Mermaid diagrams, and every
browser we target has ResizeObserver). Source maps are dropped because they only repeat the code.
"""

from __future__ import annotations

import re
from pathlib import Path

THIRD_PARTY = re.compile(
    r"https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com"
    r"|fonts\.gstatic\.com)/[^\"'\s)]*"
)
EMPTY_SCRIPT = "data:text/javascript,"


def strip_third_party(site: Path) -> list[str]:
    """Rewrite third-party URLs in built JavaScript; return what was replaced, for the log."""
    replaced: list[str] = []
    for path in sorted(site.rglob("*.js.map")):
        path.unlink()
        sibling = path.with_suffix("")
        if sibling.is_file():
            text = sibling.read_text(encoding="utf-8")
            sibling.write_text(
                re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text), encoding="utf-8"
            )
    for path in sorted(site.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        found = THIRD_PARTY.findall(text)
        if found:
            replaced += [f"{path.relative_to(site)}: {url}" for url in found]
            path.write_text(THIRD_PARTY.sub(EMPTY_SCRIPT, text), encoding="utf-8")
    return replaced
