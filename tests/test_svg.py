import xml.etree.ElementTree as ET

from pufa.content.models import Figure
from pufa.site.svg import Stage, bar_chart, timeline

NS = "{http://www.w3.org/2000/svg}"


def stage(i: int, days: int, ext: int = 0) -> Stage:
    limit = f"{days}日" + (f"（可延长至多{ext}日）" if ext else "")
    return Stage(stage=f"环节{i}", who="机关", limit=limit, basis=f"第{30 + i}条")


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("viewBox")
    assert root.find(f"{NS}title") is not None and root.find(f"{NS}desc") is not None
    assert root.get("role") == "img"
    assert "style=" not in svg  # presentation attributes only (strict CSP)
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_timeline_is_valid_svg_with_every_stage_and_limit() -> None:
    out = texts(timeline([stage(1, 15), stage(2, 60, 30), stage(3, 30)]))
    assert "环节2" in out and "时限：60日（可延长至多30日）" in out
    assert any("第32条" in t for t in out)


def test_bar_chart_scales_and_labels() -> None:
    svg = bar_chart(
        [Figure(label="网上投诉", value=2183), Figure(label="来信", value=274)], title="渠道"
    )
    out = texts(svg)
    assert "网上投诉" in out and "2,183" in out
    widths = [float(r.get("width")) for r in ET.fromstring(svg).iter(f"{NS}rect")]
    assert widths[0] > widths[1] > 0
    assert abs(widths[1] / widths[0] - 274 / 2183) < 0.01
