"""State a page rebuild (`pufa serve` after an edit) shares with the MkDocs hook in-process.

MkDocs re-imports the hook file whenever it loads the config, so what must outlive one build
lives here, in an ordinary module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from ..content.library import Library
    from .shards import Shard

# True while `rebuild_pages` runs MkDocs with dirty=True: only edited pages are rendered, the
# others keep their HTML and their search entries.
dirty = False
# In a page rebuild: the process writing the search index while the rebuild checks the links
# (rebuild.py starts it from the hook and waits for it before compressing).
aside: BaseProcess | None = None
# The library the hook loaded for the last build in this process (the rebuild reuses it).
library: Library | None = None
# In a render worker of `pufa build` (site/render.py): its share of the pages, and the library
# `pufa build` already loaded and checked (the hook uses it instead of loading it again).
shard: Shard | None = None
preloaded: Library | None = None
