"""Chat text as it is pasted, turned into something a parser can read.

Customers type with full-width digits and punctuation (１２ ，：), decorate with emoji and
WeChat's bracket emoji ([玫瑰]), and count in Chinese (两份, 十二个). `normalize` folds all of
that into one spelling while keeping every letter, digit and CJK character in place; the
parsers only ever see normalised text."""

import re
import unicodedata

# Multiplication signs drawn as emoji or box characters; customers use them for "×2".
_TIMES_SIGNS = str.maketrans({"✖": "×", "✕": "×", "✗": "×", "╳": "×", "❌": "×", "⨯": "×"})

# Pictographs, dingbats, arrows, shapes, box drawing, variation selectors, joiners, keycaps
# and tag characters. Replaced by a space, so "张三🍓草莓" still reads as two words.
_DECORATION = re.compile(
    "["
    "\U0001f000-\U0001faff"
    "\u2190-\u21ff\u2300-\u23ff\u2500-\u27bf\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299\u00a9\u00ae\u2122\u00b0"
    "\ufe00-\ufe0f\u200b-\u200d\u2060\u20e3\ufeff"
    "\U000e0000-\U000e007f\ue000-\uf8ff"
    "【】〖〗「」『』〔〕"
    "]+"
    # WeChat's own emoji arrive as text: [玫瑰], [强], [Smile].
    r"|\[(?:[\u4e00-\u9fff]{1,4}|[A-Za-z]{2,12})\]"
)
_SPACES = re.compile(r"[^\S\n]+")

# Circled numbers used for numbering: ① … ⑳, ㉑ … ㉟, ㊱ … ㊿, ❶ … ❿, ➀ … ➉, ➊ … ➓.
CIRCLED_NUMBERS: dict[str, int] = {
    **{chr(0x2460 + i): i + 1 for i in range(20)},
    **{chr(0x3251 + i): i + 21 for i in range(15)},
    **{chr(0x32B1 + i): i + 36 for i in range(15)},
    **{chr(0x2776 + i): i + 1 for i in range(10)},
    **{chr(0x2780 + i): i + 1 for i in range(10)},
    **{chr(0x278A + i): i + 1 for i in range(10)},
}

CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
CHINESE_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CHINESE_NUMERAL = "[" + "".join(CHINESE_DIGITS) + "".join(CHINESE_UNITS) + "]"


def normalize(text: str) -> str:
    """One spelling for pasted chat text: NFKC (full-width → ASCII), decoration → space,
    runs of spaces → one space, each line stripped. Line breaks are kept."""
    text = (text or "").translate(_TIMES_SIGNS)
    text = unicodedata.normalize("NFKC", text)
    text = _DECORATION.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def lower_same_length(text: str) -> str:
    """`text.lower()`, but never changing the length, so positions stay valid in both."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def chinese_number(numeral: str) -> int | None:
    """The value of a Chinese numeral ("两" → 2, "十二" → 12, "一百零五" → 105), or None."""
    if not numeral:
        return None
    total = 0
    digit: int | None = None
    for ch in numeral:
        if ch in CHINESE_DIGITS:
            if digit is not None and digit != 0:
                return None  # "一二" is not a number
            digit = CHINESE_DIGITS[ch]
        elif ch in CHINESE_UNITS:
            total += (1 if digit is None else digit) * CHINESE_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def number_value(spelled: str) -> int | None:
    """An integer written in digits or Chinese; None for fractions (1.5, 半) and nonsense."""
    if spelled.isascii() and spelled.isdigit():
        return int(spelled)
    return chinese_number(spelled)


def is_word_char(ch: str) -> bool:
    """Letters and CJK characters: what a name is made of (digits are not)."""
    return ch.isalpha()
