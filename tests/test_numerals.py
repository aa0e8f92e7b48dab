import pytest
from pufa.content.numerals import from_chinese, to_chinese


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (103, "一百零三"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (1165, "一千一百六十五"),
        (1260, "一千二百六十"),
    ],
)
def test_round_trip(n: int, text: str) -> None:
    assert to_chinese(n) == text
    assert from_chinese(text) == n


def test_all_article_numbers_round_trip() -> None:
    for n in range(1, 2000):
        assert from_chinese(to_chinese(n)) == n


def test_ascii_digits_and_bad_input() -> None:
    assert from_chinese("82") == 82
    with pytest.raises(ValueError):
        from_chinese("八十二a")
    with pytest.raises(ValueError):
        to_chinese(0)
