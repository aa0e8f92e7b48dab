from pathlib import Path

from pufa.content.reference import load_collection, normalize, parse, to_official

SAMPLE = """# 示例法

2020年1月1日 通过

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 第一款内容:

(一)项目一;

\u200b

(二)项目二。

# 第二编

2021年1月1日 施行

<!-- INFO END -->

第一百零三条 本法自公布之日起施行。"""


def test_parse_splits_articles_paragraphs_and_skips_headers(tmp_path: Path) -> None:
    path = tmp_path / "sample.md"
    path.write_text(SAMPLE, encoding="utf-8")
    law = parse(path)
    assert law.title == "示例法"
    assert sorted(law.articles) == [1, 2, 103]
    assert law.articles[2] == ["第一款内容:", "(一)项目一;", "(二)项目二。"]
    assert "2021年1月1日 施行" in law.header  # not glued to article 2


def test_normalize_ignores_width_and_whitespace() -> None:
    assert normalize("(一)项目 一:") == normalize("（一）项目一：")
    assert normalize("a\u200bb\u3000c") == "abc"
    assert to_official("(一)项目:") == "（一）项目："


def test_shared_collection_parses_every_article(reference_dir: Path) -> None:
    import csv

    counts = {
        row["slug"]: int(row["articles"])
        for row in csv.DictReader(
            (reference_dir / "INDEX.tsv").open(encoding="utf-8"), delimiter="\t"
        )
    }
    for slug, law in load_collection(reference_dir).items():
        assert sorted(law.articles) == list(range(1, counts[slug] + 1)), slug
