"""Group-buy chains composed from parts, each entry's expected reading computed from the
parts it was built from (never by running the parser).

`generate()` is deterministic: the same seed gives the same bytes. Every chain draws a
numbering style, a field separator, an encoding and some layout features; every entry
draws a kind of name, phone, place, items and note, preferring the kind used least so far,
so every style tag gets its share. Combinations a person could read two ways are never
drawn: a phone is never grouped with the chain's own separator and never touches another
number across a space, a point's bare letter never touches a Latin name, a note always
comes after the name, an entry without a name or without items has a phone, a chain whose
header gives the field order keeps it. The expected values follow the contract in
tests/chains/corpus/README.md."""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from tests.chains.corpus_vocabulary import (
    ADDRESSES,
    ANNOTATIONS,
    CHATTER,
    CHINESE,
    CIRCLED,
    CJK_NAMES,
    DASH_ADDRESSES,
    DECORATION,
    DELIVERY_NOTES,
    DIGIT_NAMES,
    EMOJI_NAMES,
    EMOJI_NOTES,
    FOOTERS,
    FOREIGN,
    FULLWIDTH_NAMES,
    KEYCAP,
    KITCHEN_NOTES,
    LABELLED_NOTES,
    LANDLINES,
    LATIN,
    LATIN_SPACE,
    MOBILE_PREFIXES,
    NICKNAMES,
    PICKUP_NOTES,
    PLACE_NICKNAMES,
    POINT_SETS,
    PRICES,
    PRODUCTS,
    SINGLE_POINTS,
    SPLIT_ADDRESSES,
    TITLES,
    TRADITIONAL,
    UNKNOWN,
    Product,
)

DEFAULT_SEED = 20240607

NUMBERINGS = ["dot", "dunhao", "paren", "fullparen", "lenticular", "bracket", "dash", "pipe",
              "no", "hash", "di_wei", "keycap", "fullwidth", "circled", "none"]
SEPARATORS = ["space", "tab", "dash", "pipe", "slash", "comma", "dunhao", "mixed"]
SEP_TEXT = {"space": " ", "tab": "\t", "dash": "-", "pipe": "|", "slash": "/", "comma": "，",
            "dunhao": "、"}
ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16", "utf-8"]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@dataclass
class GeneratedChain:
    name: str
    catalog: str
    data: bytes
    encoding: str
    pickup_points: list[str]
    chain_tags: list[str]
    expected: list[dict]
    entry_tags: list[list[str]]
    source: str = "grammar"


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


class _ChainBuilder:
    def __init__(self, rng, balance, index):
        self.rng = rng
        self.balance = balance
        self.index = index
        self.catalog = ["fruit", "tea", "bakery", "kitchen"][index % 4]
        self.products = PRODUCTS[self.catalog]
        self.numbering = NUMBERINGS[index % len(NUMBERINGS)]
        self.sep = SEPARATORS[(index * 3) % len(SEPARATORS)]
        if self.numbering == "none" and self.sep in ("dash", "pipe"):
            self.sep = "space"
        self.big = self.numbering not in ("none", "keycap", "circled") and index % 5 == 2
        self.encoding = ENCODINGS[index % len(ENCODINGS)]
        self.crlf = index % 7 in (1, 4)
        mode_cycle = ["points", "delivery", "single", "points_coded", "delivery", "points_lines",
                      "extra_points"]
        self.mode = mode_cycle[index % len(mode_cycle)]
        self.mark_variant = rng.randrange(3)  # one way of writing the numbers per chain
        self.used_names: set[str] = set()
        self.used_phones: set[str] = set()
        self.layout = self._draw_layout()
        self._setup_places()
        # A chain whose header says the field order is written in that order.
        self.fixed_order = None
        if "format_line" in self.layout:
            self.fixed_order = rng.choice([["name", "items", "phone", "place"],
                                           ["phone", "name", "items", "place"],
                                           ["place", "name", "items", "phone"],
                                           ["name", "phone", "items", "place"],
                                           ["name", "place", "items", "phone"]])

    # -- chain-level -------------------------------------------------------------------

    def _draw_layout(self) -> set[str]:
        features = ["header_phone", "header_prices", "format_line", "chatter_middle", "repost",
                    "footer"]
        if self.numbering == "none":
            features = ["header_phone", "format_line"]
        chosen = {f for f in features if self.rng.random() < 0.3}
        chosen.add(features[self.index % len(features)])
        return chosen

    def _setup_places(self):
        self.points: list[str] = []
        self.point_parts: dict[str, tuple] = {}
        self.codes: dict[str, str] = {}
        self.extra_points: list[str] = []
        self.points_header: list[str] = []
        if self.mode == "delivery":
            return
        if self.mode == "single":
            point = self.rng.choice(SINGLE_POINTS)
            self.points = [point]
            self.points_header = [f"自提点：{point}"]
            return
        point_set = POINT_SETS[self.index % len(POINT_SETS)]
        self.points = [name for name, _ in point_set]
        self.point_parts = dict(point_set)
        letters = "ABC"
        if self.mode == "points":
            self.points_header = ["自提点：" + "、".join(self.points)]
        elif self.mode == "points_coded":
            self.codes = {letters[i]: p for i, p in enumerate(self.points)}
            self.points_header = ["自提点：" + "  ".join(
                f"{letters[i]}. {p}" for i, p in enumerate(self.points))]
        elif self.mode == "points_lines":
            self.codes = {letters[i]: p for i, p in enumerate(self.points)}
            lines = ["自提点："]
            for i, p in enumerate(self.points):
                note = self.rng.choice(ANNOTATIONS) if self.rng.random() < 0.6 else ""
                lines.append(f"{letters[i]} {p}{note}")
            self.points_header = lines
        else:  # the campaign knows its points; the header only mentions them
            self.extra_points = list(self.points)
            self.points_header = ["提货地点见群公告"]

    # -- fields ------------------------------------------------------------------------

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

    def entry(self, seq: int) -> _Entry:
        place_first = "address_first" if self.mode == "delivery" else "point_first"
        if self.fixed_order:
            groups = list(self.fixed_order)
            order = {"name": "name_first", "phone": "phone_first", "place": place_first,
                     "items": "mixed"}[groups[0]]
        else:
            order = self.balance.pick("order", ["name_first", "phone_first", "mixed", place_first],
                                      spread=0.6)
            groups = self._groups_for(order)
        item_fields, items, item_problems, item_tags = self._items()
        # Who ordered what must stay clear: an entry that orders nothing has a name and a
        # phone, one without a name has a valid phone, and every line of a chain read line
        # by line has a phone.
        ordered_nothing = not items and item_problems == ["no_items"]
        name_surface, name, name_tags = self._name(order, allow_none=not ordered_nothing)
        needs_phone = ordered_nothing or self.numbering == "none"
        phone_fields, phone, phone_problems, phone_tags = self._phone(
            needs_phone, needs_valid=not name)
        place_fields, address, point, place_tags = self._place(order)
        note_fields, note_text, note_tags = self._note(bool(name))
        if not note_fields:
            note_tags = ["note:none"]
        by_group = {"name": [_Field("name", name_surface)] if name_surface else [],
                    "phone": phone_fields, "items": item_fields, "place": place_fields}
        parts = [f for group in groups for f in by_group[group]] + note_fields
        first = parts[0].kind
        order = {"name": "name_first", "phone": "phone_first", "place": place_first,
                 "items": "mixed"}[first]
        # a bare point letter never touches a Latin name (Jason Wu A, B Ivy)
        for i, part in enumerate(parts):
            if part.kind == "place" and len(part.text) == 1:
                around = [parts[j] for j in (i - 1, i + 1) if 0 <= j < len(parts)]
                if any(p.kind == "name" and (nfkc(p.text)[0].isascii()
                                             or nfkc(p.text)[-1].isascii()) for p in around):
                    part.text += "点"
        # a decoration emoji standing alone, space-separated chains only
        if self.sep == "space" and self.encoding != "gbk" and self.rng.random() < 0.15:
            last = len(parts) - len(note_fields)
            if last >= 2:
                parts.insert(self.rng.randrange(2, last + 1),
                             _Field("deco", self.rng.choice(DECORATION)))
        self._no_digit_runs(parts)

        notes = []
        for part in parts:
            if part.kind == "phone2":
                notes.append(part.text)
        if note_text:
            notes.append(note_text)
        problems = phone_problems + item_problems
        expected = {
            "seq": seq,
            "customer": name,
            "phone": phone,
            "address": address,
            "pickup_point": point,
            "items": [],
            "note": " ".join(notes) if notes else None,
            "problems": problems,
        }
        for sku, quantity in items:
            for item in expected["items"]:
                if item["sku"] == sku:
                    item["quantity"] += quantity
                    break
            else:
                expected["items"].append({"sku": sku, "quantity": quantity})
        if phone_tags == ["phone:two"] or note_text:
            note_tags = [t for t in note_tags if t != "note:none"] or ["note:plain"]
        tags = ([f"order:{order}"] + name_tags + phone_tags + place_tags +
                [t for t in item_tags if t != "items:repeated"] + note_tags)
        return _Entry(seq, parts, expected, tags)

    def _groups_for(self, order: str) -> list[str]:
        """The order of an entry's fields (the note always comes last)."""
        if order == "name_first":
            rest = ["items", "phone", "place"]
            self.rng.shuffle(rest)
            return ["name", *rest]
        if order == "mixed":  # what was ordered first
            return self.rng.choice([["items", "name", "phone", "place"],
                                    ["items", "phone", "name", "place"],
                                    ["items", "place", "name", "phone"]])
        first = "phone" if order == "phone_first" else "place"
        rest = ["items", "place" if first == "phone" else "phone"]
        self.rng.shuffle(rest)
        return [first, "name", *rest]

    def _no_digit_runs(self, parts: list[_Field]) -> None:
        """A phone written with spaces never touches another number across a space (502 138
        0013 8000 could be read more than one way): its groups are joined by dashes then."""
        if self.sep not in ("space", "mixed"):
            return
        for i, part in enumerate(parts):
            if part.kind != "phone" or " " not in part.text:
                continue
            before = parts[i - 1].text if i else ""
            after = parts[i + 1].text if i + 1 < len(parts) else ""
            if (before and nfkc(before)[-1].isdigit()) or (after and nfkc(after)[0].isdigit()):
                part.text = part.text.replace(" ", "-")

    # -- rendering ---------------------------------------------------------------------

    def join(self, parts: list[_Field]) -> tuple[str, str]:
        if self.sep != "mixed":
            text = SEP_TEXT[self.sep]
            if self.sep == "space" and self.rng.random() < 0.2:
                text = "  "
            if self.sep == "pipe" and self.rng.random() < 0.3:
                text = " | "
            return text.join(p.text for p in parts), self.sep
        seps = [self.rng.choice([" ", "，", "/"]) for _ in parts[1:]]
        if len(set(seps)) == 1 and len(seps) > 1:
            seps[0] = "，" if seps[0] != "，" else " "
        text = parts[0].text + "".join(s + p.text for s, p in zip(seps, parts[1:], strict=True))
        kinds = {" ": "space", "，": "comma", "/": "slash"}
        used = {kinds[s] for s in seps}
        return text, "mixed" if len(used) > 1 else next(iter(used), "space")

    def number(self, seq: int, first_text: str) -> tuple[str, list[str]]:
        style = self.numbering
        tags = [f"numbering:{style}"]
        if style == "keycap":
            if seq == 10 and self.rng.random() < 0.5:
                mark = "\U0001f51f"
            elif seq < 10:
                mark = f"{seq}{KEYCAP}"
            else:
                mark = "".join(f"{d}{KEYCAP}" for d in str(seq))
                tags = ["numbering:multi_keycap"]
            return mark + " ", tags
        if self.big:
            tags.append("numbering:big_number")
        marks = {
            "dot": f"{seq}." + ("", " ")[self.mark_variant % 2],
            "dunhao": f"{seq}、",
            "paren": [f"{seq}) ", f"({seq}) ", f"{seq}）"][self.mark_variant],
            "fullparen": f"（{seq}）",
            "lenticular": f"【{seq}】",
            "bracket": f"[{seq}] ",
            "dash": f"{seq}-",
            "pipe": f"{seq}| ",
            "no": [f"No.{seq} ", f"NO.{seq} ", f"No.{seq}\t"][self.mark_variant],
            "hash": f"#{seq} ",
            "di_wei": f"第{seq}位 ",
            "fullwidth": "".join(chr(ord(d) + 0xFEE0) for d in str(seq)) + "．",
            "circled": CIRCLED.get(seq, f"{seq}."),
        }
        mark = marks[style]
        # a number written right after the mark (1.2盒, 3-5栋) would blur the two
        if (nfkc(first_text[:1]).isdigit() or first_text[:1] == "+") and not mark[-1].isspace():
            mark += " "
        return mark, tags

    def header(self) -> list[str]:
        rng = self.rng
        title = rng.choice(TITLES[self.catalog])
        if self.numbering == "none":  # no product words above unnumbered entries
            lines = [rng.choice(["#接龙 本周团购", "本周拼单开始啦", "#接龙 邻里团"])]
        else:
            lines = rng.choice([["#接龙 " + title], ["【" + title + "】"], [title],
                                ["#接龙", title]])
        lines.append(rng.choice(["截单时间：周五晚8点", "截单时间:今晚10点", "周六中午12点截单",
                                 "截单：明天上午10点"]))
        if "repost" in self.layout:
            product = rng.choice(self.products).forms[0]
            lines.append(f"群主统计：截至下午5点 {product}已订{rng.randint(20, 90)}份")
            lines.append("前面的见上一条，接着往下接")
        lines += self.points_header
        if "header_phone" in self.layout:
            who = rng.choice(["Vivian", "阿芳", "小周", "Cindy"])
            mobile = self._mobile()
            lines.append(f"团长 {who} {mobile[:3]} {mobile[3:7]} {mobile[7:]}"
                         + rng.choice(["", "（有问题找我）", " 微信同号"]))
        if "header_prices" in self.layout:
            prices = PRICES[self.catalog]
            if self.numbering in ("dot", "dunhao") or rng.random() < 0.5:
                lines += [f"{i}. {p}" for i, p in enumerate(prices, 1)]
            else:
                lines.append("价格：" + "，".join(prices))
        if "format_line" in self.layout:
            lines.append(self.format_line())
        return lines

    def format_line(self) -> str:
        sep = {"space": " ", "tab": " ", "dash": "-", "pipe": "|", "slash": "/", "comma": "，",
               "dunhao": "、", "mixed": " "}[self.sep]
        word = {"name": "姓名", "items": self.rng.choice(["商品数量", "品名及份数"]),
                "phone": "电话",
                "place": "地址" if self.mode == "delivery" else "自提点"}
        words = ([] if self.numbering == "none" else ["序号"]) + [
            word[group] for group in self.fixed_order]
        return self.rng.choice(["格式：", "格式:", "接龙格式："]) + sep.join(words)


def _render(builder: _ChainBuilder, entries: list[_Entry]) -> tuple[str, list[list[str]]]:
    rng = builder.rng
    lines = builder.header()
    lines.append("")
    entry_tags = []
    chatter_after = None
    if "chatter_middle" in builder.layout and len(entries) > 4:
        chatter_after = rng.randrange(2, len(entries) - 1)
    for i, entry in enumerate(entries):
        parts = entry.fields
        continuation: list[_Field] = []
        tags = list(entry.tags)
        if builder.numbering != "none" and len(parts) > 2 and rng.random() < 0.18:
            last = parts[-1]
            # an address, the phone or the note may go on the next line; a point never does
            # (a bare "A" on a line of its own would be anybody's guess)
            if last.kind in ("note", "phone") or (last.kind == "place"
                                                  and entry.expected["address"]):
                continuation = [last]
                parts = parts[:-1]
                tags.append("layout:continuation")
        text, sep_tag = builder.join(parts)
        if builder.numbering == "none":
            mark, number_tags = "", ["numbering:none"]
        else:
            mark, number_tags = builder.number(entry.seq, parts[0].text)
        lines.append(mark + text)
        for part in continuation:
            indent = rng.choice(["", "   ", "  "])
            body = part.text
            if part.kind == "place" and (nfkc(body[:1]).isdigit() or rng.random() < 0.5):
                body = "地址:" + body
            if part.kind == "phone":
                body = "电话:" + body
            lines.append(indent + body)
        entry_tags.append(sorted(set(tags + number_tags + [f"sep:{sep_tag}"])))
        if chatter_after == i:
            template = rng.choice(CHATTER[builder.catalog])
            if rng.random() < 0.5:
                lines += ["", template.format(tag=rng.choice(["团长：", "群主:", "团长 "])), ""]
            else:
                lines.append(template.format(tag=rng.choice(["@所有人 ", "团长：", "群主："])))
    if "footer" in builder.layout and builder.numbering != "none":
        lines += ["", rng.choice(FOOTERS[builder.catalog])]
    return "\n".join(lines) + "\n", entry_tags


def _same_customer(a: dict, b: dict) -> bool:
    valid = [e["phone"] and "phone_invalid" not in e["problems"] for e in (a, b)]
    if all(valid):
        return a["phone"] == b["phone"]
    return bool(a["customer"]) and a["customer"] == b["customer"]


def _flag_duplicates(expected: list[dict]) -> None:
    """duplicate_entry on the later of two entries with the same customer and items."""
    seen: list[dict] = []
    for entry in expected:
        if not entry["items"]:
            continue
        key = sorted((i["sku"], i["quantity"]) for i in entry["items"])
        if any(sorted((i["sku"], i["quantity"]) for i in earlier["items"]) == key
               and _same_customer(earlier, entry) for earlier in seen):
            entry["problems"].append("duplicate_entry")
        seen.append(entry)
    for entry in expected:
        if not entry["items"] and not entry["problems"]:
            entry["problems"].append("no_items")


def _chain(rng: random.Random, balance: _Balancer, index: int) -> GeneratedChain:
    builder = _ChainBuilder(rng, balance, index)
    count = rng.randint(9, 14)
    if builder.numbering == "keycap":
        count = rng.randint(14, 16)
    start = rng.choice([101, 120, 156, 230]) if builder.big else 1
    seqs, seq = [], start
    for _ in range(count):
        seqs.append(seq)
        seq += 2 if (builder.numbering not in ("none",) and rng.random() < 0.08) else 1
    entries = [builder.entry(s) for s in seqs]
    # a member pastes their line again: the later copy is a duplicate
    candidates = [e for e in entries if e.expected["items"] and e.expected["phone"]
                  and "phone_invalid" not in e.expected["problems"]]
    if candidates and rng.random() < 0.6:
        original = rng.choice(candidates)
        entries.append(_Entry(seq, list(original.fields),
                              {**original.expected, "seq": seq,
                               "items": [dict(i) for i in original.expected["items"]],
                               "problems": list(original.expected["problems"])},
                              list(original.tags)))
    if builder.numbering == "none":
        for position, entry in enumerate(entries, 1):
            entry.seq = entry.expected["seq"] = position
    expected = [e.expected for e in entries]
    for e in expected:
        e["problems"] = [p for p in e["problems"] if p != "duplicate_entry"]
    _flag_duplicates(expected)
    order = ["phone_invalid", "product_unknown", "spec_ambiguous", "quantity_invalid",
             "duplicate_entry", "no_items"]
    for e in expected:
        e["problems"] = sorted(set(e["problems"]), key=order.index)
    text, entry_tags = _render(builder, entries)
    chain_tags = [f"layout:{f}" for f in sorted(builder.layout)]
    if builder.numbering == "none":
        chain_tags.append("layout:unnumbered")
    encoding = builder.encoding
    if builder.crlf:
        text = text.replace("\n", "\r\n")
        chain_tags.append("layout:crlf")
    if encoding == "gbk":
        try:
            data = text.encode("gbk")
        except UnicodeEncodeError:
            encoding = "gb18030"
            data = text.encode("gb18030")
        chain_tags.append("layout:gbk")
    else:
        data = text.encode(encoding)
        if encoding == "utf-8-sig":
            chain_tags.append("layout:bom")
        if encoding == "utf-16":
            chain_tags.append("layout:utf16")
    all_tags = [sorted(set(tags + chain_tags)) for tags in entry_tags]
    return GeneratedChain(
        name=f"grammar_{index:02d}_{builder.catalog}",
        catalog=f"{builder.catalog}.csv",
        data=data,
        encoding=encoding,
        pickup_points=builder.extra_points,
        chain_tags=chain_tags,
        expected=expected,
        entry_tags=all_tags,
    )


def generate(seed: int = DEFAULT_SEED, chains: int = 32) -> list[GeneratedChain]:
    """The generated chains, the same for the same seed."""
    rng = random.Random(seed)
    balance = _Balancer(rng)
    return [_chain(rng, balance, index) for index in range(chains)]


if __name__ == "__main__":  # print the generated chains, for reading them
    import json
    import sys

    from tests.chains.corpus_score import decode_chain

    wanted = sys.argv[1:]
    for chain in generate():
        if wanted and chain.name not in wanted:
            continue
        print(f"===== {chain.name} ({chain.catalog}, {chain.encoding}, "
              f"points {chain.pickup_points})")
        print(decode_chain(chain.data))
        for entry, tags in zip(chain.expected, chain.entry_tags, strict=True):
            print(json.dumps(entry, ensure_ascii=False), " ".join(tags))
