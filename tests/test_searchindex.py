import gzip
import json
from pathlib import Path

from pufa.site.searchindex import compact, measure


def test_compact_writes_utf8_gzip_and_ranks_phrasings(tmp_path: Path) -> None:
    docs = [
        {"location": "faq/labor/a/", "title": "老板不给工资怎么办？", "text": "x"},
        {"location": "faq/labor/a/#怎么办", "title": "怎么办", "text": "步骤"},
        {
            "location": "faq/labor/a/#asks",
            "title": "大家常这样问",
            "text": "<ul> <li>\u200b工资\u200b要不回来</li> <li>欠薪</li> </ul>",
        },
    ]
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    sizes = compact(tmp_path)
    raw = path.read_bytes()
    assert "工资".encode() in raw and b"\\u5de5" not in raw
    data = json.loads(raw)
    asks = data["docs"][2]
    assert asks["title"] == "\u200b工资\u200b要不回来 · 欠薪" and asks["boost"] > 1
    assert data["docs"][1]["title"] == "老板不给工资怎么办？"
    assert gzip.decompress(path.with_name("search_index.json.gz").read_bytes()) == raw
    assert sizes and sizes.escaped > sizes.utf8 > sizes.gzip
    assert measure(tmp_path) == sizes
