"""Shrink the search index: Material writes CJK as \\uXXXX escapes; we write UTF-8 and a .gz."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass
class IndexSizes:
    escaped: int
    utf8: int
    gzip: int

    def describe(self) -> str:
        return (
            f"search index: {self.escaped:,} B as written by the theme -> {self.utf8:,} B UTF-8 "
            f"-> {self.gzip:,} B gzip"
        )


def write_gzip(path: Path) -> int:
    """Write path + '.gz' deterministically (mtime 0) and return its size."""
    data = path.read_bytes()
    gz = path.with_name(path.name + ".gz")
    gz.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return gz.stat().st_size


# Sections whose anchor is listed here rank higher: "大家常这样问" holds how citizens phrase a
# question, which is the best evidence that a page answers a query in everyday words.
SECTION_BOOST = {"asks": 2.0}


def compact(site_dir: Path) -> IndexSizes | None:
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return None
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    for entry in data["docs"]:
        anchor = entry["location"].rpartition("#")[2] if "#" in entry["location"] else ""
        if anchor in SECTION_BOOST:
            entry["boost"] = SECTION_BOOST[anchor]
            # The phrasings become the section's title: titles weigh most in the theme's index,
            # and a result then shows the wording the visitor recognises.
            phrasings = [re.sub(r"<[^>]+>", "", item).strip() for item in
                         re.findall(r"<li>(.*?)</li>", entry["text"], re.S)]
            if phrasings:
                entry["title"] = " · ".join(phrasings)
    escaped = len(json.dumps(data, separators=(",", ":")).encode("utf-8"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return IndexSizes(escaped=escaped, utf8=len(text.encode("utf-8")), gzip=write_gzip(path))


def measure(site_dir: Path) -> IndexSizes | None:
    """Sizes of an index already compacted by the build hook, for reports."""
    path = site_dir / "search" / "search_index.json"
    gz = path.with_name(path.name + ".gz")
    if not path.is_file() or not gz.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    escaped = len(json.dumps(data, separators=(",", ":")).encode("utf-8"))
    return IndexSizes(escaped=escaped, utf8=path.stat().st_size, gzip=gz.stat().st_size)
