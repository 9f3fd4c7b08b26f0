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
from dataclasses import dataclass

from tests.chains.corpus_parts import (
    SEP_TEXT,
    EntryParts,
    _Balancer,
    _Entry,
    _Field,
    nfkc,
)
from tests.chains.corpus_vocabulary import (
    ANNOTATIONS,
    CHATTER,
    CIRCLED,
    DECORATION,
    FOOTERS,
    KEYCAP,
    POINT_SETS,
    PRICES,
    PRODUCTS,
    SINGLE_POINTS,
    TITLES,
)

DEFAULT_SEED = 20240607

NUMBERINGS = ["dot", "dunhao", "paren", "fullparen", "lenticular", "bracket", "dash", "pipe",
              "no", "hash", "di_wei", "keycap", "fullwidth", "circled", "none"]
SEPARATORS = ["space", "tab", "dash", "pipe", "slash", "comma", "dunhao", "mixed"]
ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16", "utf-8"]



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


class _ChainBuilder(EntryParts):
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
