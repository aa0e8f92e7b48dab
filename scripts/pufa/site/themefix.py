"""What we change in the theme's output, done by the MkDocs hook so `mkdocs serve`, `mkdocs build`
and `pufa build` all give the same site.

Search is ours (searchindex.py, overrides/assets/javascripts/search.js), so the theme's search
worker and lunr language files are not used by any page; nor is the theme's script bundle
(overrides/main.html does not load it, pufa.js does what our pages need of it: adr/0010), the
palette stylesheet (no palette), source maps, or the theme's stylesheet (its rules that our
pages use are in ours). They are removed from the output. We
no longer patch any theme file: a patched file would keep the theme's content-hashed name, which
nginx serves ``immutable`` for a year, so a browser that once got the old file would keep it.
Everything nginx serves as immutable must therefore be byte-identical to the theme's own file
(tests/test_search.py checks it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .stylesheet import THEME_CSS

UNUSED = (
    THEME_CSS,  # merged into our stylesheet, read from the theme's own folder (stylesheet.py)
    "assets/javascripts/workers",
    "assets/javascripts/lunr",
    "assets/javascripts/bundle.*.min.js",
    "assets/stylesheets/palette.*.min.css",
    "assets/stylesheets/*.map",
)


def drop_unused_theme_files(site: Path) -> list[str]:
    """Remove the theme files no page uses from a built site; returns what went."""
    removed = []
    for pattern in UNUSED:
        for path in sorted(site.glob(pattern)):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(str(path.relative_to(site)))
    return removed
