"""Site search that costs nothing until used: a sharded, impact-ordered index of CJK bigrams.

Why bigrams: a visitor's query and the page text must be cut into the same units. The browser
has no jieba (and segments 复议 into 复/议), so any word segmentation on one side only loses
matches. Overlapping character pairs need no dictionary, are the same in Python and in the
browser, and every Chinese word of two or more characters is covered by its pairs.

Layout written to ``search/`` (see adr/0004-search.md for the measurements):

- ``meta.json``: version, number of term shards, documents per chunk (a few hundred bytes).
- ``t<k>.json``: the postings of every term whose hash falls in shard k:
  ``{term: [doc_delta, impact, doc_delta, impact, ...]}``, doc ids delta-coded.
  A query fetches one shard per distinct term it contains; a shard is fetched once per visit.
- ``d<k>.json``: ``[[url, title, summary], ...]`` for documents k*CHUNK .. (k+1)*CHUNK-1, fetched
  only for the results shown.

Scores are precomputed per (term, document) at build time (BM25F over title, how people ask,
the answer, headings and text), quantised to 1..255, and each term keeps only its best
``MAX_POSTINGS`` documents, so a query's cost does not grow with the site. The browser adds the
impacts of the query's terms (see overrides/assets/javascripts/search.js, ``score`` here).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from operator import add, sub
from pathlib import Path

# Field weights (BM25F). Measured with tests/search_queries (see the ADR): a word in the title or
# in how citizens ask is far stronger evidence than the same word in the body.
FIELDS = {"title": 10.0, "asks": 5.0, "lead": 2.0, "headings": 1.5, "text": 1.0, "chars": 1.0}
K1 = 1.2
B = 0.5
MAX_POSTINGS = 400  # best documents kept per term
CHUNK = 48  # documents per d<k>.json
SHARD_TARGET = 24_000  # raw bytes per term shard, roughly
SUMMARY_CHARS = 60

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# Question words and sentence particles stand apart: no pair is made across them, so a question
# ("法律援助怎么申请") gives the pairs of its content words, not rare accidental ones (助怎, 么申)
# that happen to occur in some unrelated page ("救助怎么办"). search.js uses the same list.
_FUNCTION = re.compile(r"(怎么样|怎么办|为什么|怎么|怎样|什么|如何|[吗呢吧啊呀嘛])")


def _apart(match: re.Match[str]) -> str:
    return f" {match.group()} "  # (faster than the template r" \1 ")


def tokens(text: str) -> list[str]:
    """Search terms of a text: CJK bigrams (a lone CJK character as itself), Latin/digit words."""
    out: list[str] = []
    text = _FUNCTION.sub(_apart, unicodedata.normalize("NFKC", text).lower())
    for run in _RUN.findall(text):
        if run[0] > "\x7f" and len(run) > 1:  # a CJK run (the others are [a-z0-9]+)
            out += map(add, run, run[1:])
        else:
            out.append(run)
    return out


def term_hash(term: str) -> int:
    """FNV-1a over code points; search.js computes the same."""
    h = 0x811C9DC5
    for ch in term:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "col"}
# Text inside one block is joined as it reads (a rule link "6个月" followed by "内起诉" is
# "6个月内起诉", whose pairs include 月内); blocks are kept apart.
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr",
    "ul",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# A comment, a declaration, or a tag (attribute values may hold ">" inside quotes).
_MARKUP = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_RAW_TEXT_END = {"script": re.compile(r"</script", re.I), "style": re.compile(r"</style", re.I)}


def _skipped(tag: str, attrs: str) -> bool:
    """Whether an element's text is left out of the index: data-search-exclude parts (the
    claim guide's steps, the practice cases), scripts, styles, drawings, heading permalinks."""
    if tag in ("script", "style", "svg"):
        return True
    if "data-search-exclude" not in attrs and "headerlink" not in attrs:
        return False
    for m in _ATTR.finditer(attrs):
        name = m.group(1).lower()
        if name == "data-search-exclude":
            return True
        value = m.group(2) or m.group(3) or m.group(4) or ""
        if name == "class" and "headerlink" in value.split():
            return True
    return False


def visible_text(html: str) -> tuple[str, list[str]]:
    """The visible text of a page body and the text of its headings, without excluded parts.

    The same as Python's html.parser reading the page (tests/test_searchindex.py compares both
    on every page of the site and on generated markup) at a third of its cost: a scan for
    tags with one regular expression. Markdown and the templates write well-formed HTML."""
    text: list[str] = []
    headings: list[str] = []
    stack: list[bool] = []  # per open element: whether it is skipped
    skip = heading = pos = 0
    end_of_input = len(html)
    find = _MARKUP.search
    while True:
        m = find(html, pos)
        end = m.start() if m else end_of_input
        if end > pos and not skip:
            data = html[pos:end]
            if "&" in data:
                data = unescape(data)
            text.append(data)
            if heading and headings:
                headings[-1] += data
        if m is None:
            break
        pos = m.end()
        name = m.group(2)
        if name is None:  # a comment or a declaration
            continue
        tag = name.lower()
        attrs = m.group(3)
        if not m.group(1):  # a start tag
            if tag in _BLOCK:
                text.append("\n")
            if tag not in _VOID:
                skipped = _skipped(tag, attrs)
                stack.append(skipped)
                skip += skipped
                if tag in _HEADINGS:
                    heading += 1
                    headings.append("")
            if tag in _RAW_TEXT_END:  # its text is not markup (and is never indexed)
                raw_end = _RAW_TEXT_END[tag].search(html, pos)
                pos = raw_end.start() if raw_end else end_of_input
            if not attrs.rstrip().endswith("/"):
                continue
        # An end tag, or the end of a self-closing one (<br/>, <path .../>).
        if tag in _BLOCK:
            text.append("\n")
        if tag in _VOID or not stack:
            continue
        skip -= stack.pop()
        if tag in _HEADINGS and heading:
            heading -= 1
    return "".join(text), headings


@dataclass
class Doc:
    url: str
    title: str
    summary: str
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]
    boost: float = 1.0  # front matter `search: {boost: x}`, as the theme's search reads it


def make_doc(url: str, title: str, html: str, meta: dict) -> Doc:
    text, headings = visible_text(html)
    asks = meta.get("asks") or []
    lead = str(meta.get("answer") or meta.get("description") or "")
    body = {
        "title": title,
        "asks": " \n ".join(str(a) for a in asks),
        "lead": lead,
        "headings": " \n ".join(headings),
        "text": text,
    }
    # A one-character query (税, 房) finds pages with that character in the title: the title's
    # characters are indexed alone too (a query of two or more characters never uses these).
    chars = Counter(c for c in unicodedata.normalize("NFKC", title) if _CJK.match(c))
    fields = {name: Counter(tokens(value)) for name, value in body.items()}
    fields["chars"] = chars
    summary = lead or re.sub(r"\s+", " ", text).strip()
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS] + "…"
    return Doc(
        url=url,
        title=title,
        summary=summary,
        fields=fields,
        lengths={k: sum(v.values()) for k, v in fields.items()},
        boost=page_boost(url, meta),
    )


# Pages that repeat the words of the answers they lead to rank a little below those answers:
# the claim guide's outcome notices (guide/<outcome>/) and the FAQ section lists (faq/<section>/).
# Measured with tests/search_queries: the same 281/281 top-3 with 0.6 to 0.8 (see adr/0006).
HUB_BOOST = 0.8


def page_boost(url: str, meta: dict) -> float:
    """A page's weight: front matter ``search: {boost: x}`` (the theme's convention) if set,
    otherwise HUB_BOOST for guide outcome pages and FAQ section lists, else 1."""
    search = meta.get("search")
    if isinstance(search, dict) and "boost" in search:
        try:
            value = float(search["boost"])
        except (TypeError, ValueError):
            value = 1.0
        return value if value > 0 else 1.0
    parts = url.strip("/").split("/")
    if (len(parts) == 2 and parts[0] == "guide") or (len(parts) <= 2 and parts[0] == "faq"):
        return HUB_BOOST
    return 1.0


@dataclass
class Index:
    docs: list[Doc] = field(default_factory=list)

    def postings(self) -> dict[str, list[int]]:
        """term -> [doc delta, impact 1..255, ...]: its best MAX_POSTINGS documents by doc id,
        each id as the difference from the one before (ids index the documents sorted by URL).

        The index is written at the end of a build, after everything else (a serial step): ids
        and scores are kept in two lists per term rather than as pairs, and idf is looked up
        by document frequency (tests/test_searchindex.py holds the plain form as reference)."""
        self.docs.sort(key=lambda d: d.url)
        n = len(self.docs)
        avg = {f: max(1.0, sum(d.lengths[f] for d in self.docs) / max(n, 1)) for f in FIELDS}
        ids: dict[str, list[int]] = {}
        scores: dict[str, list[float]] = {}
        k1 = K1 + 1
        weights = list(FIELDS.items())
        for i, doc in enumerate(self.docs):
            acc: dict[str, float] = {}
            get = acc.get
            lengths = doc.lengths
            for f, weight in weights:
                w = weight / (1 - B + B * lengths[f] / avg[f])
                for term, tf in doc.fields[f].items():
                    acc[term] = get(term, 0.0) + w * tf
            boost = doc.boost
            for term, wtf in acc.items():
                score = boost * wtf * k1 / (K1 + wtf)
                known = ids.get(term)
                if known is None:
                    ids[term] = [i]
                    scores[term] = [score]
                else:
                    known.append(i)
                    scores[term].append(score)
        idfs = [math.log(1 + (n - df + 0.5) / (df + 0.5)) for df in range(n + 1)]
        cut: dict[str, int] = {}  # document frequency of the terms cut to MAX_POSTINGS
        top = 0.0
        for term, kept in scores.items():
            df = len(kept)
            idf = idfs[df]
            if df > MAX_POSTINGS:
                best_first = sorted(range(df), key=lambda j: -(kept[j] * idf))[:MAX_POSTINGS]
                best_first.sort()  # back in doc id order
                all_ids = ids[term]
                ids[term] = [all_ids[j] for j in best_first]
                scores[term] = kept = [kept[j] for j in best_first]
                cut[term] = df
            best = max(kept) * idf  # idf > 0: the best score stays the best
            if best > top:
                top = best
        scale = 255 / top if top else 1
        out: dict[str, list[int]] = {}
        for term, kept in scores.items():
            doc_ids = ids[term]
            idf = idfs[cut.get(term, len(kept))]
            # No impact exceeds 255 (top is the largest s * idf); the smallest are at least 1.
            if len(kept) == 1:
                out[term] = [doc_ids[0], round(kept[0] * idf * scale) or 1]
                continue
            flat = [0] * (2 * len(kept))
            flat[0::2] = map(sub, doc_ids, [0, *doc_ids])  # each id less the one before
            flat[1::2] = [round(s * idf * scale) or 1 for s in kept]
            out[term] = flat
        return out

    def write(
        self, out: Path, on_file: Callable[[Path, bytes], None] | None = None
    ) -> dict[str, int]:
        """Write the index into out/ (normally site/search/); returns sizes for reports.
        ``on_file(path, data)``: called as each file is written, e.g. to compress it on another
        thread while the next is made (the document lists come first, before the postings)."""
        self.docs.sort(key=lambda d: d.url)  # document ids, as postings() numbers them
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json*"):
            old.unlink()
        files: dict[str, bytes] = {}

        def emit(name: str, data: bytes) -> None:
            files[name] = data
            (out / name).write_bytes(data)
            if on_file is not None:
                on_file(out / name, data)

        for k in range(0, max(1, math.ceil(len(self.docs) / CHUNK))):
            chunk = self.docs[k * CHUNK : (k + 1) * CHUNK]
            emit(f"d{k}.json", _json([[d.url, d.title, d.summary] for d in chunk]))
        encoded = self.postings()
        total = sum(len(term) * 3 + 6 + 4 * len(flat) for term, flat in encoded.items())
        shards = 1
        while total / shards > SHARD_TARGET and shards < 4096:
            shards *= 2
        buckets: list[dict[str, list[int]]] = [{} for _ in range(shards)]
        for term in sorted(encoded):
            buckets[term_hash(term) % shards][term] = encoded[term]
        for k, bucket in enumerate(buckets):
            emit(f"t{k}.json", _json(bucket))
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + files[name])
        meta = {
            "v": digest.hexdigest()[:12],
            "shards": shards,
            "chunk": CHUNK,
            "docs": len(self.docs),
        }
        emit("meta.json", _json(meta))
        return {
            "docs": len(self.docs),
            "terms": len(encoded),
            "shards": shards,
            "bytes": sum(len(b) for b in files.values()),
        }


@dataclass
class Saved:
    """What a page rebuild needs from the build that wrote an index: every page's entry and
    title (titles come from rendering, which the rebuild skips for unchanged pages)."""

    docs: list[Doc]
    titles: dict[str, str]  # source path (docs/...) -> title


# What a render process hands over and a page rebuild reads back: its pages' entries and titles.
Share = tuple[list[Doc], dict[str, str]]


def save_docs(cache: Path, search_dir: Path, shares: list[Path | Share], keep: int = 4) -> None:
    """Keep every page's entry and title for the index in ``search_dir`` (by its version), so a
    page rebuild can update a few entries without rendering every page again. ``shares``: the
    pickled (docs, titles) files the render processes handed over, linked rather than pickled
    again (at 5,000 pages that took 2.6 s after the index), or (docs, titles) to pickle here."""
    import pickle
    import shutil

    version = json.loads((search_dir / "meta.json").read_text(encoding="utf-8"))["v"]
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{version}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for k, share in enumerate(shares):
        target = tmp / f"{k}.pickle"
        if isinstance(share, Path):
            try:
                os.link(share, target)
            except OSError:  # another file system
                shutil.copyfile(share, target)
        else:
            target.write_bytes(pickle.dumps(share, protocol=pickle.HIGHEST_PROTOCOL))
    final = cache / version
    if final.exists():  # the same index again: the newer entries replace the older
        old = cache / f".{version}.{os.getpid()}.old"
        final.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    tmp.rename(final)
    kept = sorted(
        (p for p in cache.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in kept[keep:]:  # and entries in the one-file form of earlier versions
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def load_docs(cache: Path, search_dir: Path) -> Saved | None:
    """What was saved for the index in ``search_dir`` (our own cache); None if nothing."""
    import pickle

    try:
        version = json.loads((search_dir / "meta.json").read_text(encoding="utf-8"))["v"]
        parts = sorted((cache / version).glob("*.pickle"), key=lambda p: int(p.stem))
        saved = Saved([], {})
        for part in parts:
            docs, titles = pickle.loads(part.read_bytes())
            saved.docs.extend(docs)
            saved.titles.update(titles)
    except (OSError, ValueError, KeyError, TypeError, pickle.UnpicklingError, AttributeError):
        return None
    return saved if parts else None


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load(site_search: Path) -> tuple[dict, list[list[str]]]:
    meta = json.loads((site_search / "meta.json").read_text(encoding="utf-8"))
    docs: list[list[str]] = []
    for k in range(math.ceil(meta["docs"] / meta["chunk"])):
        docs += json.loads((site_search / f"d{k}.json").read_text(encoding="utf-8"))
    return meta, docs


def search(site_search: Path, query: str, n: int = 10) -> list[str]:
    """The same ranking as search.js, for tests and the bench: URLs of the best n documents."""
    meta, docs = load(site_search)
    return [docs[i][0] for i in score(site_search, meta, query)[:n]]


def score(site_search: Path, meta: dict, query: str) -> list[int]:
    scores: dict[int, float] = {}
    hits: dict[int, int] = {}
    terms = list(dict.fromkeys(tokens(query)))
    for term in terms:
        shard = json.loads(
            (site_search / f"t{term_hash(term) % meta['shards']}.json").read_text(encoding="utf-8")
        )
        flat = shard.get(term)
        if not flat:
            continue
        doc = 0
        for j in range(0, len(flat), 2):
            doc += flat[j]
            scores[doc] = scores.get(doc, 0) + flat[j + 1]
            hits[doc] = hits.get(doc, 0) + 1
    # A document matching more of the query's terms ranks first among equals.
    ranked = sorted(scores, key=lambda d: (-scores[d] * coverage(hits[d], len(terms)), d))
    return ranked


def coverage(hits: int, terms: int) -> float:
    return 1.0 + hits / max(terms, 1)


@dataclass
class IndexSizes:
    files: int
    raw: int
    gzip: int

    def describe(self) -> str:
        return f"search index: {self.files} files, {self.raw:,} B raw, {self.gzip:,} B gzip in all"


def measure(site_dir: Path) -> IndexSizes | None:
    """Sizes of the written index, for reports (the .gz files precompress wrote; a file too
    small for one counts as its own size)."""
    out = site_dir / "search"
    if not (out / "meta.json").is_file():
        return None
    files = sorted(out.glob("*.json"))
    raw = sum(p.stat().st_size for p in files)
    gz = sum(
        p.with_name(p.name + ".gz").stat().st_size
        if p.with_name(p.name + ".gz").is_file()
        else p.stat().st_size
        for p in files
    )
    return IndexSizes(files=len(files), raw=raw, gzip=gz)
