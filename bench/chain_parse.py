"""How long reading a big group-buy chain takes: 1,000 entries against 500 products.

    .venv/bin/python bench/chain_parse.py [--entries 1000] [--products 500] [--runs 5]

Prints the best of several runs for the parse, and, as a baseline measured in the same run
on the same text, a plain regex split of the chain into lines and words (the least any
reader of this text has to do). The target: the parse well under 1 s."""

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")

import django

django.setup()

from dingdan.chains.parsing.matching import Catalog, CatalogRow  # noqa: E402
from dingdan.chains.parsing.parser import parse_chain  # noqa: E402

HANZI = (
    "莓果桃梨橙柚瓜枣杏李柑橘蕉芒椰榴莲荔枝葡萄樱苹"
    "菠萝蜜柠檬杨梅桑葚番茄黄瓜茄椒豆菜米面蛋奶糕饼茶酒肉鱼虾蟹鸡鸭鹅牛羊猪"
)
NAMES = ["张三", "李四", "王五", "赵六", "钱七", "小明妈妈", "小明2号妈妈", "Amy1998", "周阿姨"]
PLACES = ["幸福路8号3栋502", "阳光花园12-1-301", "南山区科技园", "建国路88号"]
POINTS = ["阳光小区东门", "幸福里南门", "北门菜鸟驿站"]
QUANTITY_SPELLINGS = ["x{n}", "×{n}", "*{n}", "X{n}", "{n}份", "{n}盒", "{n}斤", "{n}个"]


def make_catalog(products: int, rng: random.Random) -> list[CatalogRow]:
    rows, names = [], set()
    while len(names) < products:
        names.add("".join(rng.choice(HANZI) for _ in range(rng.randint(2, 4))))
    for number, name in enumerate(sorted(names)):
        aliases = (name[-2:] + "鲜",) if number % 3 == 0 else ()
        if number % 5 == 0:  # products sold in two sizes
            rows.append(CatalogRow(f"P{number}-S", name, "小份", aliases))
            rows.append(CatalogRow(f"P{number}-L", name, "大份", aliases))
        else:
            rows.append(CatalogRow(f"P{number}", name, "", aliases))
    return rows


def make_chain(rows: list[CatalogRow], entries: int, rng: random.Random) -> tuple[str, list]:
    """The chain text, and for each entry the (customer, phone, {sku: quantity}) it holds."""
    expected = []
    lines = [
        "#接龙",
        "周末团购 截单时间:周五晚8点",
        "自提点:" + "、".join(POINTS),
        "例 张三 x2",
        "",
    ]
    for seq in range(1, entries + 1):
        items, quantities = [], {}
        for row in rng.sample(rows, rng.randint(1, 3)):
            quantity = rng.randint(1, 9)
            quantities[row.sku] = quantities.get(row.sku, 0) + quantity
            items.append(row.name + row.spec + rng.choice(QUANTITY_SPELLINGS).format(n=quantity))
        phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        place = rng.choice(POINTS + PLACES)
        parts = [*items, phone, place]
        rng.shuffle(parts)
        name = rng.choice(NAMES)
        lines.append(f"{seq}. {name} " + " ".join(parts))
        expected.append((name, phone, quantities))
        if seq % 10 == 0:
            lines.append("   备注:不要辣,晚点送")
    return "\n".join(lines) + "\n", expected


def best_of(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--entries", type=int, default=1000)
    options.add_argument("--products", type=int, default=500)
    options.add_argument("--runs", type=int, default=5)
    args = options.parse_args()
    rng = random.Random(20240601)
    rows = make_catalog(args.products, rng)
    chain_text, expected = make_chain(rows, args.entries, rng)
    words = re.compile(r"[^\s,、+]+")

    def baseline():
        return [words.findall(line) for line in chain_text.splitlines()]

    build = best_of(args.runs, lambda: Catalog(rows))
    catalog = Catalog(rows)
    parse = best_of(args.runs, lambda: parse_chain(chain_text, catalog))
    split = best_of(args.runs, baseline)
    chain = parse_chain(chain_text, catalog)
    flagged = sum(1 for entry in chain.entries if entry.parsed.problems)
    read_back = [
        (entry.parsed.customer, entry.parsed.phone, {i.sku: i.quantity for i in entry.parsed.items})
        for entry in chain.entries
    ]
    wrong = sum(1 for got, want in zip(read_back, expected, strict=True) if got != want)
    print(
        f"chain: {len(chain.entries)} entries, {len(chain_text)} characters; "
        f"catalog: {args.products} products, {len(rows)} SKUs, {len(catalog.terms)} terms"
    )
    print(f"build catalog       {build * 1000:8.1f} ms")
    per_entry = parse / len(chain.entries) * 1e6
    print(f"parse chain         {parse * 1000:8.1f} ms   ({per_entry:.0f} µs/entry)")
    print(f"baseline regex split{split * 1000:8.1f} ms   (parse = {parse / split:.0f}× baseline)")
    print(f"entries with problems: {flagged}; read back differently from generated: {wrong}")


if __name__ == "__main__":
    main()
