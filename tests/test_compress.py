"""Precompressed files (site/compress.py): right bytes, compressed once, cache never corrupted."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli
import pufa.site.compress as compress

PAGE = ("<p>依法分类处理，诉访分离。</p>\n" * 200).encode()


def _site(tmp_path: Path, pages: dict[str, bytes]) -> Path:
    site = tmp_path / "site"
    for name, data in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    return site


def _counting(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = compress.compress

    def counted(data: bytes) -> tuple[bytes, bytes]:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(compress, "compress", counted)
    return calls


def test_variants_decompress_to_the_file_and_small_files_are_left(tmp_path) -> None:
    site = _site(tmp_path, {"a/index.html": PAGE, "tiny.css": b"p{}", "logo.png": PAGE})
    assert compress.precompress(site, cache=tmp_path / "cache") == 1
    assert gzip.decompress((site / "a/index.html.gz").read_bytes()) == PAGE
    assert brotli.decompress((site / "a/index.html.br").read_bytes()) == PAGE
    assert not (site / "tiny.css.gz").exists() and not (site / "logo.png.gz").exists()


def test_a_page_a_worker_compressed_is_linked_not_compressed_again(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    compress.warm(cache, PAGE)  # as a render worker does for the page it has just written
    site = _site(tmp_path, {"index.html": PAGE})
    calls = _counting(monkeypatch)
    compress.precompress(site, cache=cache)
    assert calls == []
    assert os.stat(site / "index.html.br").st_nlink == 2  # the cache entry itself
    assert brotli.decompress((site / "index.html.br").read_bytes()) == PAGE


def test_a_rebuild_compresses_only_what_changed_and_keeps_the_cache_intact(
    tmp_path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    site = _site(tmp_path, {"a.html": PAGE, "b.html": PAGE + b"<p>b</p>"})
    compress.precompress(site, cache=cache)
    entries = {p.name: p.read_bytes() for p in cache.iterdir()}
    changed = PAGE + b"<p>changed</p>"
    (site / "a.html").write_bytes(changed)
    calls = _counting(monkeypatch)
    compress.precompress(site, cache=cache, since=0)  # a.html.gz is a link into the cache
    assert calls == [len(changed)]
    assert gzip.decompress((site / "a.html.gz").read_bytes()) == changed
    for name, data in entries.items():  # writing a.html.gz did not write through the link
        assert (cache / name).read_bytes() == data


def test_other_compression_settings_do_not_reuse_the_cache(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    compress.warm(cache, PAGE)
    monkeypatch.setattr(compress, "_SETTINGS", b"gzip 9, brotli 11\n")
    calls = _counting(monkeypatch)
    compress.precompress(_site(tmp_path, {"index.html": PAGE}), cache=cache)
    assert calls == [len(PAGE)]


def test_entries_no_build_used_are_removed(tmp_path) -> None:
    cache = tmp_path / "cache"
    compress.warm(cache, PAGE + b"<p>gone</p>")
    compress.precompress(_site(tmp_path, {"index.html": PAGE}), cache=cache)
    assert sorted(p.suffix for p in cache.iterdir()) == [".br", ".gz"]


def test_a_pass_that_skips_a_folder_leaves_it_and_keeps_the_cache(tmp_path, monkeypatch) -> None:
    # The build compresses the written pages while a worker still writes search/, then all.
    cache = tmp_path / "cache"
    compress.warm(cache, PAGE + b"<p>from an earlier build</p>")
    before = sorted(p.name for p in cache.iterdir())
    site = _site(tmp_path, {"index.html": PAGE, "search/t0.json": PAGE + b"[]"})
    calls = _counting(monkeypatch)
    compress.precompress(site, cache=cache, skip=site / "search")
    assert calls == [len(PAGE)] and not (site / "search/t0.json.gz").exists()
    assert set(before) <= {p.name for p in cache.iterdir()}  # nothing pruned by a partial pass
    compress.precompress(site, cache=cache)
    assert calls == [len(PAGE), len(PAGE) + 2]  # the page came from the cache
    assert gzip.decompress((site / "search/t0.json.gz").read_bytes()) == PAGE + b"[]"
    assert not set(before) & {p.name for p in cache.iterdir()}  # the full pass prunes


def test_a_worker_links_its_page_variants_and_the_last_pass_leaves_them(
    tmp_path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    site = tmp_path / "site"
    page = site / "faq" / "a" / "index.html"
    compress.warm(cache, PAGE, page)  # before the page itself is written (MkDocs writes after)
    page.write_bytes(PAGE)
    linked = os.stat(page.with_name("index.html.br")).st_ino
    calls = _counting(monkeypatch)
    assert compress.precompress(site, cache=cache) == 1
    assert calls == [] and os.stat(page.with_name("index.html.br")).st_ino == linked
    page.write_bytes(PAGE + b"<p>changed after rendering</p>")  # e.g. a renamed script
    compress.precompress(site, cache=cache)
    assert brotli.decompress(page.with_name("index.html.br").read_bytes()) == page.read_bytes()


def test_a_pass_over_the_rest_then_one_over_a_folder_compress_each_file_once(
    tmp_path, monkeypatch
) -> None:
    # The build: everything but search/ while the index is written, then search/ alone.
    cache = tmp_path / "cache"
    compress.warm(cache, PAGE + b"<p>from an earlier build</p>")
    site = _site(tmp_path, {"index.html": PAGE, "search/t0.json": PAGE + b"[]"})
    calls = _counting(monkeypatch)
    used: set[str] = set()
    assert compress.precompress(site, cache=cache, skip=site / "search", used=used) == 1
    assert compress.precompress(site, cache=cache, only=site / "search", used=used) == 1
    assert calls == [len(PAGE), len(PAGE) + 2]
    assert len(list(cache.iterdir())) == 6  # no pass over part of the site prunes
    compress.prune(cache, used)
    assert {p.stem for p in cache.iterdir()} == used and len(used) == 2
    assert gzip.decompress((site / "search/t0.json.gz").read_bytes()) == PAGE + b"[]"
    assert brotli.decompress((site / "index.html.br").read_bytes()) == PAGE
