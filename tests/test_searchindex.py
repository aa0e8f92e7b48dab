import json
from pathlib import Path

from pufa.site.searchindex import CHUNK, Index, make_doc, measure, search, term_hash, tokens


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
