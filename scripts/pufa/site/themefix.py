"""What we change in the theme's output, done by the MkDocs hook so `mkdocs serve`, `mkdocs build`
and `pufa build` all give the same site.

Search is ours (searchindex.py, overrides/assets/javascripts/search.js), so the theme's search
worker and lunr language files are not used by any page: they are removed from the output. We
no longer patch any theme file: a patched file would keep the theme's content-hashed name, which
nginx serves ``immutable`` for a year, so a browser that once got the old file would keep it.
Everything nginx serves as immutable must therefore be byte-identical to the theme's own file
(tests/test_search.py checks it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

UNUSED = ("assets/javascripts/workers", "assets/javascripts/lunr")


def drop_theme_search(site: Path) -> list[str]:
    """Remove the theme's search worker and lunr files from a built site; returns what went."""
    removed = []
    for rel in UNUSED:
        path = site / rel
        if path.exists():
            shutil.rmtree(path)
            removed.append(rel)
    return removed
