import json
import random
from html.parser import HTMLParser
from pathlib import Path

from pufa.site.searchindex import (
    _BLOCK,
    _HEADINGS,
    _VOID,
    CHUNK,
    Index,
    make_doc,
    measure,
    search,
    term_hash,
    tokens,
    visible_text,
)


def test_tokens_are_cjk_pairs_and_latin_words() -> None:
    assert tokens("复议") == ["复议"]
    assert tokens("老板欠薪") == ["老板", "板欠", "欠薪"]
    assert tokens("拨打１２３３３ ABC") == ["拨打", "12333", "abc"]
    assert tokens("税") == ["税"]
    assert term_hash("工资") == term_hash("工资") and term_hash("工资") != term_hash("资工")


def _doc(url: str, title: str, body: str, **meta) -> object:
    return make_doc(url, title, body, meta)


def test_index_ranks_title_and_asks_over_body_and_skips_excluded(tmp_path: Path) -> None:
    docs = [
        _doc("a/", "老板不给工资怎么办？", "<p>先保留证据。</p>", asks=["欠薪去哪里告"]),
        _doc("b/", "物业费", "<p>工资" + "很长的正文" * 50 + "</p>"),
        _doc("c/", "练习", "<div data-search-exclude><p>欠薪 欠薪 欠薪</p></div><p>练习</p>"),
    ]
    docs += [_doc(f"z{i:03}/", f"第{i}页", "<p>别的内容</p>") for i in range(CHUNK + 5)]
    sizes = Index(docs).write(tmp_path)
    assert sizes["docs"] == len(docs)
    assert search(tmp_path, "工资", 2)[0] == "a/"
    assert search(tmp_path, "欠薪", 3) == ["a/"]  # excluded text is not indexed
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["chunk"] == CHUNK and (tmp_path / "d1.json").is_file()
    raw = (tmp_path / "d0.json").read_bytes()
    assert "工资".encode() in raw and b"\\u" not in raw  # UTF-8, not escapes


def test_a_query_reads_one_shard_per_term_and_postings_stay_bounded(tmp_path: Path) -> None:
    from pufa.site import searchindex

    docs = [_doc(f"p{i:04}/", f"工资问题{i}", f"<p>工资 第{i}条</p>") for i in range(600)]
    Index(docs).write(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    shard = json.loads(
        (tmp_path / f"t{term_hash('工资') % meta['shards']}.json").read_text(encoding="utf-8")
    )
    assert len(shard["工资"]) == 2 * searchindex.MAX_POSTINGS
    assert measure(tmp_path.parent) is None  # measure() looks for site/search/


def _reference_postings(docs: list) -> dict[str, list[int]]:
    """The postings as first written (pairs per term, idf computed per term): the fast form in
    searchindex.py must give the same numbers, in the same order."""
    import math
    from collections import defaultdict
    from itertools import chain
    from operator import sub

    from pufa.site.searchindex import FIELDS, K1, MAX_POSTINGS, B

    docs = sorted(docs, key=lambda d: d.url)
    n = len(docs)
    avg = {f: max(1.0, sum(d.lengths[f] for d in docs) / max(n, 1)) for f in FIELDS}
    weighted: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, doc in enumerate(docs):
        acc: dict[str, float] = {}
        for f, weight in FIELDS.items():
            w = weight / (1 - B + B * doc.lengths[f] / avg[f])
            for term, tf in doc.fields[f].items():
                acc[term] = acc.get(term, 0.0) + w * tf
        for term, wtf in acc.items():
            weighted[term].append((i, doc.boost * wtf * (K1 + 1) / (K1 + wtf)))
    kept, top = [], 0.0
    for term, plist in weighted.items():
        idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
        if len(plist) > MAX_POSTINGS:
            plist = sorted(sorted(plist, key=lambda p: -(p[1] * idf))[:MAX_POSTINGS])
        kept.append((term, plist, idf))
        top = max(top, max(s for _, s in plist) * idf)
    scale = 255 / top
    out = {}
    for term, plist, idf in kept:
        ids = [i for i, _ in plist]
        impacts = [round(s * idf * scale) or 1 for _, s in plist]
        out[term] = list(chain.from_iterable(zip(map(sub, ids, [0, *ids]), impacts, strict=True)))
    return out


def test_postings_are_those_of_the_plain_bm25_form() -> None:
    """Random pages with shared and rare words, boosts and terms over MAX_POSTINGS."""
    from pufa.site import searchindex

    rng = random.Random(7)
    words = ["工资", "拖欠", "复议", "起诉", "土地", "征收", "补偿", "赡养", "劳动", "仲裁"]
    docs = []
    for i in range(searchindex.MAX_POSTINGS + 200):
        body = "".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        title = rng.choice(words) + rng.choice(words) + str(i)
        meta = {"asks": [rng.choice(words)]} if i % 3 else {"search": {"boost": 2}}
        docs.append(
            make_doc(f"x/{rng.random():.8f}/", title, f"<h2>{title}</h2><p>{body}</p>", meta)
        )
    got = Index(list(docs)).postings()
    want = _reference_postings(docs)
    assert got == want and list(got) == list(want)
    assert any(len(flat) == 2 * searchindex.MAX_POSTINGS for flat in got.values())


class _Reference(HTMLParser):
    """What search entries were made with before: Python's html.parser reading the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[str] = []
        self._skip = 0
        self._heading = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.text.append("\n")
        if tag in _VOID:
            return
        a = dict(attrs)
        skip = (
            "data-search-exclude" in a
            or tag in ("script", "style", "svg")
            or "headerlink" in (a.get("class") or "").split()
        )
        self._stack.append(skip)
        self._skip += skip
        if tag in _HEADINGS:
            self._heading += 1
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK:
            self.text.append("\n")
        if tag in _VOID or not self._stack:
            return
        self._skip -= self._stack.pop()
        if tag in _HEADINGS and self._heading:
            self._heading -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._heading and self.headings:
            self.headings[-1] += data


def _reference(html: str) -> tuple[str, list[str]]:
    parser = _Reference()
    parser.feed(html)
    parser.close()
    return "".join(parser.text), parser.headings


def test_visible_text_reads_pages_as_html_parser_does(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert visible_text(html) == _reference(html), page.relative_to(built_site)


def test_visible_text_on_generated_markup() -> None:
    cases = [
        "<p>a<br/>b<br>c</p>",
        '<p title="a>b">x</p><P CLASS=headerlink>y</P>z',
        "<!-- <p>no</p> -->yes <!DOCTYPE html>",
        "<script>if (a<b) { s = '</p>' }</script>after<style>p>a{}</style>",
        '<div data-search-exclude=""><p>no</p></div><p title="data-search-exclude">kept</p>',
        '<h2 id="x">标题<a class="headerlink" href="#x">¶</a></h2>正文 &amp; &lt;b&gt; &#x4e2d;',
        "<svg><path d='M0 0'/></svg>ok</p>stray<h1>a<h2>b</h2>c</h1>",
    ]
    parts = ["<p>", "</p>", "<br>", "<br/>", "<h2>", "</h2>", "<div data-search-exclude>",
             "</div>", '<a class="x headerlink">', "</a>", "文字", "text", "&amp;", " ", "\n",
             "<svg>", "</svg>", "<img src=x>", "<!-- c -->", "<li>", "</li>", "<h3 id='h'>",
             "</h3>", "<td>", "<hr/>", "<strong>", "</strong>"]  # fmt: skip
    rng = random.Random(13)
    cases += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for html in cases:
        assert visible_text(html) == _reference(html), html


def test_saved_entries_are_the_shares_linked_and_read_back_whole(tmp_path: Path) -> None:
    import os
    import pickle

    from pufa.site.searchindex import load_docs, save_docs

    search, cache = tmp_path / "site" / "search", tmp_path / "cache"
    docs = [_doc(f"p{i}/", f"第{i}页", "<p>工资</p>") for i in range(3)]
    Index(list(docs)).write(search)
    handed = tmp_path / "search.1"  # as a render worker hands its share over
    handed.write_bytes(pickle.dumps((docs[2:], {"docs/p2.md": "第2页"})))
    cache.mkdir()
    (cache / "0123456789ab.pickle").write_bytes(b"one file, as earlier versions kept it")
    save_docs(cache, search, [(docs[:2], {"docs/p0.md": "第0页"}), handed], keep=1)
    saved = load_docs(cache, search)
    assert saved is not None
    assert sorted(d.url for d in saved.docs) == ["p0/", "p1/", "p2/"]
    assert saved.titles == {"docs/p0.md": "第0页", "docs/p2.md": "第2页"}
    (entry,) = cache.iterdir()  # the older form is gone (keep=1); no temporary folder left
    assert os.path.samefile(entry / "1.pickle", handed)  # linked, not written again
    save_docs(cache, search, [(docs, {})])  # the same index again replaces the entry
    saved = load_docs(cache, search)
    assert saved is not None and len(saved.docs) == 3 and saved.titles == {}
    (entry / "0.pickle").write_bytes(b"damaged")
    assert load_docs(cache, search) is None  # a page rebuild then asks for a full build
