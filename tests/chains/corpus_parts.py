"""The parts a generated chain entry is drawn from — a name, a phone, items, a place, a
note — each with the text written and the reading expected of it (see corpus_grammar.py)."""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from tests.chains.corpus_vocabulary import (
    ADDRESSES,
    CHINESE,
    CJK_NAMES,
    DASH_ADDRESSES,
    DELIVERY_NOTES,
    DIGIT_NAMES,
    EMOJI_NAMES,
    EMOJI_NOTES,
    FOREIGN,
    FULLWIDTH_NAMES,
    KITCHEN_NOTES,
    LABELLED_NOTES,
    LANDLINES,
    LATIN,
    LATIN_SPACE,
    MOBILE_PREFIXES,
    NICKNAMES,
    PICKUP_NOTES,
    PLACE_NICKNAMES,
    SPLIT_ADDRESSES,
    TRADITIONAL,
    UNKNOWN,
    Product,
)

SEP_TEXT = {"space": " ", "tab": "\t", "dash": "-", "pipe": "|", "slash": "/", "comma": "，",
            "dunhao": "、"}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@dataclass
class _Field:
    kind: str  # name phone phone2 items place note deco
    text: str


@dataclass
class _Entry:
    seq: int
    fields: list[_Field]
    expected: dict
    tags: list[str]
    continuation: list[str] = field(default_factory=list)  # fields moved to the next line
    continuation_prefix: str = ""


class _Balancer:
    """Picks, among the allowed values of a dimension, one of the least used so far."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counts: Counter = Counter()

    def pick(self, dim: str, allowed: list[str], *, spread: float = 0.75) -> str:
        if self.rng.random() > spread:
            choice = self.rng.choice(allowed)
        else:
            low = min(self.counts[(dim, v)] for v in allowed)
            choice = self.rng.choice([v for v in allowed if self.counts[(dim, v)] == low])
        self.counts[(dim, choice)] += 1
        return choice


class EntryParts:
    """Drawing one entry's parts; the chain builder supplies rng, balance, products,
    places and what the chain already used."""

    def _name(self, order: str, *, allow_none: bool) -> tuple[str, str, list[str]]:
        kinds = ["cjk", "latin_space", "latin", "digits", "emoji", "traditional", "fullwidth",
                 "nickname_product", "nickname_place"] + (["none"] if allow_none else [])
        if order not in ("name_first", "phone_first"):
            kinds = [k for k in kinds if k not in ("nickname_product", "nickname_place")]
        if self.mode == "delivery":  # 3栋王姐 beside 幸福路8号3栋502 reads two ways
            kinds = [k for k in kinds if k != "nickname_place"]
        if self.encoding == "gbk":
            kinds = [k for k in kinds if k != "emoji"]
        kind = self.balance.pick("name", kinds, spread=0.6)
        pools = {"cjk": CJK_NAMES, "latin_space": LATIN_SPACE, "latin": LATIN,
                 "digits": DIGIT_NAMES, "emoji": EMOJI_NAMES, "traditional": TRADITIONAL,
                 "fullwidth": FULLWIDTH_NAMES, "nickname_product": NICKNAMES[self.catalog],
                 "nickname_place": PLACE_NICKNAMES}
        if kind == "none":
            return "", "", ["name:none"]
        pool = [n for n in pools[kind] if nfkc(n) not in self.used_names]
        if not pool:
            pool = [n for n in CJK_NAMES if n not in self.used_names]
            kind = "cjk"
        surface = self.rng.choice(pool)
        self.used_names.add(nfkc(surface))
        tags = [f"name:{kind}"]
        expected = nfkc(surface)
        if kind == "fullwidth":
            tags.append("name:latin_space" if " " in expected else "name:latin")
        return surface, expected, tags

    def _mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + "".join(
                self.rng.choice("0123456789") for _ in range(8))
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def _phone(self, needs_phone: bool, needs_valid: bool = False
               ) -> tuple[list[_Field], str | None, list[str], list[str]]:
        kinds = ["plain", "grouped", "plus86", "landline", "foreign", "invalid", "none", "two"]
        if needs_phone or needs_valid:
            kinds.remove("none")
        if needs_valid:
            kinds.remove("invalid")
        kind = self.balance.pick("phone", kinds, spread=0.7)
        sep = self.sep
        if kind == "none":
            return [], None, [], ["phone:none"]
        if kind == "plain":
            number = self._mobile()
            return [_Field("phone", number)], number, [], ["phone:plain"]
        if kind == "grouped":
            number = self._mobile()
            joiner = " " if sep in ("dash",) else self.rng.choice([" ", "-"])
            if sep == "space" and joiner == " ":
                joiner = self.rng.choice([" ", "-"])
            text = joiner.join([number[:3], number[3:7], number[7:]])
            return [_Field("phone", text)], number, [], ["phone:grouped"]
        if kind == "plus86":
            number = self._mobile()
            forms = ["+86 " + number, "+86" + number, "+86 " + " ".join(
                [number[:3], number[3:7], number[7:]])]
            if sep != "dash":
                forms.append("+86-" + "-".join([number[:3], number[3:7], number[7:]]))
            return [_Field("phone", self.rng.choice(forms))], number, [], ["phone:plus86"]
        if kind == "landline":
            area, a, b = self.rng.choice(
                [n for n in LANDLINES if "".join(n) not in self.used_phones] or LANDLINES)
            self.used_phones.add(area + a + b)
            if sep == "dash":
                text = f"{area} {a}{b}"
            else:
                text = self.rng.choice([f"{area}-{a} {b}", f"{area}-{a}{b}"])
            return [_Field("phone", text)], area + a + b, [], ["phone:landline"]
        if kind == "foreign":
            text, stored = self.rng.choice(
                [n for n in FOREIGN if n[1] not in self.used_phones] or FOREIGN)
            self.used_phones.add(stored)
            return [_Field("phone", text)], stored, [], ["phone:foreign"]
        if kind == "invalid":
            shape = self.rng.choice(["short", "long", "twelve"])
            prefix = self.rng.choice(MOBILE_PREFIXES)
            digits = lambda n: "".join(self.rng.choice("0123456789") for _ in range(n))  # noqa: E731
            if shape == "short":
                number = prefix + digits(7)
            elif shape == "long":
                number = prefix + digits(9)
            else:
                number = "12" + digits(9)
            return [_Field("phone", number)], number, ["phone_invalid"], ["phone:invalid"]
        first, second = self._mobile(), self._mobile()
        return ([_Field("phone", first), _Field("phone2", second)], first, [], ["phone:two"])

    def _quantity_text(self, product: Product, quantity: int, style: str,
                       after: str = "") -> str:
        unit = self.rng.choice(product.units)
        if style == "chinese":
            return CHINESE[quantity] + unit
        forms = [f"x{quantity}", f"×{quantity}", f"*{quantity}", f"X{quantity}"]
        # a count glued to a spec that ends in digits or g (125g2盒) blurs the two
        if not after[-1:].isascii():
            forms += [f"{quantity}{unit}", f"{quantity}{unit}", f"：{quantity}{unit}"]
        return self.rng.choice(forms)

    def _one_item(self, product: Product, kind: str) -> tuple[str, list, list[str]]:
        """Text of one product with its quantity, the items it means, problems."""
        sku = self.rng.choice(list(product.specs))
        spec = product.specs[sku]
        form = self.rng.choice(product.forms)
        if kind == "traditional" and product.traditional:
            form = self.rng.choice(product.traditional)
        quantity = self.rng.choice([1, 1, 2, 2, 3, 4, 5, 10] if kind == "chinese_number"
                                   else [1, 2, 2, 3, 4, 5, 12])
        if kind == "chinese_number" and quantity not in CHINESE:
            quantity = 2
        spec_text = ""
        if product.is_multi_spec and kind != "ambiguous":
            spec_text = spec.replace("g", self.rng.choice(["g", "克"])) if spec.endswith("g") \
                else spec
        elif spec and self.rng.random() < 0.25 and kind != "ambiguous":
            spec_text = spec
        if kind == "glued_before":
            unit = self.rng.choice(product.units)
            count = self.rng.choice([str(quantity), CHINESE.get(quantity, str(quantity))])
            if spec_text and product.spec_before:
                return f"{count}{unit}{spec_text}{form}", [(sku, quantity)], []
            return f"{count}{unit}{form}{spec_text}", [(sku, quantity)], []
        if kind == "ambiguous":
            return form + self._quantity_text(product, quantity, "arabic", after=form), [], [
                "spec_ambiguous"]
        if kind == "invalid_qty":
            shapes = ["x0", "半{u}"] + ([] if spec_text[-1:].isascii() and spec_text
                                        else ["0{u}", "0.5{u}", "1.5{u}"])
            bad = self.rng.choice(shapes).format(u=self.rng.choice(product.units))
            return form + spec_text + bad, [], ["quantity_invalid"]
        if spec_text and product.spec_before and self.rng.random() < 0.4:
            base = spec_text + form
        else:
            base = form + spec_text
        if kind == "chinese_number":
            text = base + self._quantity_text(product, quantity, "chinese")
        elif quantity == 1 and self.rng.random() < 0.35:
            text = base
        else:
            text = base + self._quantity_text(product, quantity, "arabic", after=base)
        spaced = self.sep == "space" and not spec_text.endswith(("寸", "只"))
        if spaced and self.rng.random() < 0.15 \
                and text != base:
            text = base + " " + text[len(base):].lstrip("：")
        return text, [(sku, quantity)], []

    def _plain_products(self, count: int, *, allow_multi_spec=True) -> list[Product]:
        pool = [p for p in self.products if allow_multi_spec or not p.is_multi_spec]
        return self.rng.sample(pool, count)

    def _items(self) -> tuple[list[_Field], list, list[str], list[str]]:
        kinds = ["simple", "multi", "glued_before", "chinese_number", "each", "traditional",
                 "unknown", "ambiguous", "invalid_qty", "none"]
        kind = self.balance.pick("items", kinds, spread=0.7)
        tags = [f"items:{kind}"]
        if kind == "none":
            return [], [], ["no_items"], tags
        if kind == "each":
            first, second = self._plain_products(2, allow_multi_spec=False)
            quantity = self.rng.choice([1, 2, 3])
            count = self.rng.choice([str(quantity), CHINESE[quantity]])
            unit = self.rng.choice(first.units)
            joiner = self.rng.choice(["", "和", "+"] + (["、"] if self.sep != "dunhao" else []))
            text = (f"{self.rng.choice(first.forms)}{joiner}{self.rng.choice(second.forms)}"
                    f"各{count}{unit}")
            items = [(next(iter(first.specs)), quantity), (next(iter(second.specs)), quantity)]
            tags.append("items:multi")
            if not count.isdigit():
                tags.append("items:chinese_number")
            return [_Field("items", text)], items, [], tags
        if kind == "unknown":
            unknown = self.rng.choice(UNKNOWN[self.catalog])
            fields, items = [_Field("items", unknown)], []
            if self.rng.random() < 0.6:
                text, known, _ = self._one_item(self._plain_products(1, allow_multi_spec=False)[0],
                                                "simple")
                fields.insert(self.rng.randrange(2), _Field("items", text))
                items = known
            return fields, items, ["product_unknown"], tags
        if kind == "multi":
            count = self.rng.choice([2, 2, 3])
            products = self._plain_products(count)
            fields, items = [], []
            for product in products:
                text, got, _ = self._one_item(product, "simple")
                fields.append(_Field("items", text))
                items += got
            if self.rng.random() < 0.3:  # the same product written twice: one item, added up
                product = products[0]
                text, got, _ = self._one_item(product, "simple")
                if got[0][0] == items[0][0]:
                    fields.append(_Field("items", text))
                    items[0] = (items[0][0], items[0][1] + got[0][1])
                    tags.append("items:repeated")
            if self.rng.random() < 0.4:
                fields = [_Field("items", "+".join(f.text.replace(" ", "") for f in fields))]
            return fields, items, [], tags
        product_pool = self.products
        if kind == "ambiguous":
            product_pool = [p for p in self.products if p.is_multi_spec]
        elif kind == "traditional":
            product_pool = [p for p in self.products if p.traditional]
        product = self.rng.choice(product_pool)
        text, items, problems = self._one_item(product, kind)
        if kind == "glued_before" and text[0] in "一两三四五六十":
            tags.append("items:chinese_number")
        return [_Field("items", text)], items, problems, tags

    def _place(self, order: str) -> tuple[list[_Field], str | None, str | None, list[str]]:
        if self.mode == "delivery":
            if order in ("point_first",):
                order = "address_first"
            kinds = ["address", "address", "none"] if order != "address_first" else ["address"]
            kind = self.balance.pick("place", kinds, spread=0.5)
            if kind == "none":
                return [], None, None, ["place:none"]
            if self.sep == "space" and self.rng.random() < 0.2:
                head, tail = self.rng.choice(SPLIT_ADDRESSES)
                address = f"{head} {tail}"
                return [_Field("place", address)], address, None, ["place:address"]
            pool = ADDRESSES + ([] if self.sep == "dash" or order == "address_first"
                                else DASH_ADDRESSES)
            address = self.rng.choice(pool)
            return [_Field("place", address)], nfkc(address), None, ["place:address"]
        if self.mode == "single":
            kind = self.balance.pick("place", ["point_single", "point_single", "point_full"])
            if kind == "point_single" and order != "point_first":
                return [], None, self.points[0], ["place:point_single"]
            return [_Field("place", self.points[0])], None, self.points[0], ["place:point_full"]
        kinds = ["point_full", "point_part", "none"] + (["point_code"] if self.codes else [])
        if order == "point_first":
            kinds.remove("none")
        kind = self.balance.pick("place", kinds, spread=0.7)
        if kind == "none":
            return [], None, None, ["place:none"]
        point = self.rng.choice(self.points)
        if kind == "point_full":
            text = point
        elif kind == "point_part":
            text = self.rng.choice(self.point_parts[point])
        else:
            code = next(c for c, p in self.codes.items() if p == point)
            text = self.rng.choice([code, f"{code}点", f"自提{code}", f"{code}点自提"])
        return [_Field("place", text)], None, point, [f"place:{kind}"]

    def _note(self, has_name: bool) -> tuple[list[_Field], str | None, list[str]]:
        kinds = ["none", "plain", "labelled", "emoji"] if has_name else ["none"]
        if self.encoding == "gbk":
            kinds = [k for k in kinds if k != "emoji"]
        kind = self.balance.pick("note", kinds, spread=0.6)
        if kind == "none":
            return [], None, []
        if kind == "plain":
            pool = PICKUP_NOTES if self.points else DELIVERY_NOTES
            if self.catalog == "kitchen":
                pool = pool + KITCHEN_NOTES
            text = self.rng.choice(pool)
            return [_Field("note", text)], text, ["note:plain"]
        if kind == "emoji":
            text = self.rng.choice(EMOJI_NOTES)
            return [_Field("note", text)], text, ["note:emoji"]
        text = self.rng.choice(LABELLED_NOTES)
        label = self.rng.choice(["备注:", "备注："])
        return [_Field("note", label + text)], nfkc(text), ["note:labelled"]

    # -- an entry ----------------------------------------------------------------------
