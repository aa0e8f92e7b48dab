"""Chinese numerals as used in article numbers (第一千二百六十条, 第一百零三条)."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_UNITS = {"十": 10, "百": 100, "千": 1000}


def to_chinese(n: int) -> str:
    """Render 1..9999 the way statutes number articles: 10 -> 十, 15 -> 十五, 103 -> 一百零三."""
    if not 0 < n < 10000:
        raise ValueError(f"article number out of range: {n}")
    parts: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(_DIGITS[digit] + unit)
    text = "".join(parts)
    # Statutes write 十 / 十五 for 10..19 at the start, but 一百一十 inside larger numbers.
    if text.startswith("一十"):
        text = text[1:]
    return text


def from_chinese(text: str) -> int:
    """Parse 一…九, 十, 百, 千 and 零; also accepts ASCII digits."""
    if text.isdigit():
        return int(text)
    total = 0
    digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS.index(ch)
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    total += digit
    if total == 0:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return total
