"""Chat text as it is pasted, turned into something a parser can read.

Customers type with full-width digits and punctuation (１２ ，：), decorate with emoji and
WeChat's bracket emoji ([玫瑰]), and count in Chinese (两份, 十二个). `normalize` folds all of
that into one spelling while keeping every letter, digit and CJK character in place; the
parsers only ever see normalised text."""

import codecs
import functools
import re
import unicodedata

from zhconv_rs import zhconv

# Multiplication signs drawn as emoji or box characters; customers use them for "×2".
_TIMES_SIGNS = str.maketrans({"✖": "×", "✕": "×", "✗": "×", "╳": "×", "❌": "×", "⨯": "×"})

# Keycap digits (1️⃣ = 1, FE0F, 20E3) and 🔟: numbering and counts written as emoji.
_KEYCAP = re.compile("([0-9])\ufe0f?\u20e3")
# Lines, arrows, boxes, brackets used as decoration or separators: replaced by a space.
_DECORATION = re.compile(
    "["
    "\u2190-\u21ff\u2500-\u259f\u25a0-\u25ff\u2b05-\u2b0d"
    "\u3030\u303d\u00a9\u00ae\u2122\u00b0"
    "\u200b\u2060\ufeff"
    "\U000e0000-\U000e007f\ue000-\uf8ff"
    "【】〖〗「」『』〔〕"
    "]+"
    # WeChat's own emoji arrive as text: [玫瑰], [强], [Smile].
    r"|\[(?:[\u4e00-\u9fff]{1,4}|[A-Za-z]{2,12})\]"
)
# Pictographs (with their joiners, skin tones and variation selectors): kept where they are,
# since a name may carry one (小美🌸); readers treat them as blanks (see `blank_emoji`).
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b50-\u2b55\u3297\u3299"
    "\ufe00-\ufe0f\u200d\u20e3]"
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
    """One spelling for pasted chat text: NFKC (full-width → ASCII), keycaps → digits,
    decoration → space, runs of spaces → one space, each line stripped. Line breaks and
    pictographs are kept."""
    text = (text or "").translate(_TIMES_SIGNS).replace("\U0001f51f", "10")
    text = _KEYCAP.sub(r"\1", unicodedata.normalize("NFKC", text))
    text = _DECORATION.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def fold_width(text: str) -> str:
    """Full-width ASCII (１２ ．（ ) and the ideographic space in their plain forms; nothing
    else changes, so ① stays ①."""
    return text.translate(_FULL_WIDTH)


_FULL_WIDTH = {0x3000: " ", **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}


def blank_emoji(text: str) -> str:
    """`text` with each pictograph character turned into a space (same length)."""
    return EMOJI.sub(" ", text)


def simplified(text: str) -> str:
    """`text` in simplified characters (龍井 → 龙井, 截單 → 截单), same length, so a position
    in one is the same position in the other."""
    converted = zhconv(text, "zh-hans")
    if len(converted) == len(text):
        return converted
    return "".join(_simplified_char(ch) for ch in text)


@functools.lru_cache(maxsize=4096)
def _simplified_char(ch: str) -> str:
    converted = zhconv(ch, "zh-hans")
    return converted if len(converted) == 1 else ch


def matching_form(text: str) -> str:
    """What matchers compare: lower case, simplified characters, pictographs blanked;
    same length as `text`."""
    return blank_emoji(simplified(lower_same_length(text)))


def decode_chain(data: bytes) -> str:
    """Text of a chain file as editors save it: UTF-8 (with or without BOM), UTF-16 (with a
    BOM, or without one when every other byte is zero), GB18030/GBK. Line ends are left to
    `str.splitlines`. UnicodeDecodeError when it is none of these."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    elif len(data) >= 2 and data.count(0) * 3 >= len(data):
        odd_zeros = data[1::2].count(0) >= data[0::2].count(0)
        text = data.decode("utf-16-le" if odd_zeros else "utf-16-be")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
    if _BINARY.search(text):
        raise UnicodeDecodeError("text", data, 0, len(data), "control characters: not text")
    return text


# Control characters no text editor writes: the file is an image or an archive.
_BINARY = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


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
