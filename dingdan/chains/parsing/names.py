"""What makes a word a person's name rather than a place or a product.

Group members sign with nicknames: 草莓妈妈, 芒果哥, 3栋王姐, 陳太. A word that ends the way
Chinese speak of a person (姐, 哥, 妈妈, 阿姨, 太, 先生 …) is a person even when it holds a
product or place word. Latin names come with a space (Jason Wu), which is kept."""

import re

_PERSON_ENDINGS = re.compile(
    r"(?:姐|哥|妈|妈妈|麻麻|爸|爸爸|姨|阿姨|叔|叔叔|舅|婶|嫂|婆|公|爷|奶|太|太太|先生|女士|小姐"
    r"|老师|总|宝|宝妈|宝爸|妹|妹妹|弟|弟弟|仔|君|酱|夫人|同学|师傅|大爷|大妈|老板)$"
)
# 小赵, 老王, 阿花 and the Cantonese 區生 / 陳太: a surname with what people call it by.
_CALLED_BY_SURNAME = re.compile(r"(?:[小老阿][\u4e00-\u9fff]|^[\u4e00-\u9fff][生太])$")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z'.]*\d*")
_LATIN_SURNAME = re.compile(r"[A-Z][A-Za-z'.]{0,14}")
MAX_NICKNAME = 10
# Words that end like 小X / 老X but are places or things: 老街, 小区, 阿里.
_NOT_A_PERSON = re.compile(r"(?:老街|小区|小学|小镇|老城|阿里|花生|学生|卫生|医生)$")


def is_person_like(word: str) -> bool:
    """王姐, 3栋王姐, 草莓妈妈, 陈太: a word ending as people are called."""
    if len(word) > MAX_NICKNAME:
        return False
    if _CALLED_BY_SURNAME.search(word) and not _NOT_A_PERSON.search(word):
        return True
    if not _PERSON_ENDINGS.search(word):
        return False
    stem = _PERSON_ENDINGS.sub("", word)
    return not stem or any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in stem)


def is_latin_name(word: str) -> bool:
    return bool(_LATIN_NAME.fullmatch(word))


def continues_latin_name(word: str) -> bool:
    """Wu in "Jason Wu": a capitalised Latin word right after a Latin first name."""
    return bool(_LATIN_SURNAME.fullmatch(word))
