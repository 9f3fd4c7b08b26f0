"""The chain parser against the independent corpus (tests/chains/corpus/README.md): at least
97% of all entries exactly right and 90% of every style, the corpus itself well formed, and
the scorer able to tell a wrong reading from a right one."""

import codecs
import json
import re
import unicodedata
from collections import Counter

import pytest

from tests.chains import corpus_score
from tests.chains.corpus_grammar import generate
from tests.chains.corpus_score import (
    CORPUS,
    MANIFEST,
    compare_entries,
    decode_chain,
    hand_written_chains,
)

OVERALL_RATE = 0.97
STYLE_RATE = 0.90
PROBLEM_ORDER = ["phone_invalid", "product_unknown", "spec_ambiguous", "quantity_invalid",
                 "duplicate_entry", "no_items"]
DIMENSIONS = ("numbering", "sep", "order", "name", "phone", "place", "items", "note")
KEYS = ["seq", "customer", "phone", "address", "pickup_point", "items", "note", "problems"]


@pytest.fixture(scope="module")
def report():
    return corpus_score.score()


def _worst(report, tag=None, limit=12) -> str:
    failures = [o for o in report.failures() if tag is None or tag in o.tags]
    return "\n\n".join(corpus_score.describe(o) for o in failures[:limit])


def test_the_parser_reads_97_percent_of_the_corpus_exactly(report):
    assert report.rate >= OVERALL_RATE, (
        f"{report.exact}/{report.total} = {report.rate:.1%} exact, below {OVERALL_RATE:.0%}\n"
        f"{corpus_score.table(report)}\n\nfirst wrong entries:\n{_worst(report)}"
    )


def test_every_style_is_read_90_percent_exactly(report):
    # "spurious" and "source:…" are counts the table shows, not styles
    styles = {tag: n for tag, n in report.by_tag().items()
              if tag.split(":")[0] in (*DIMENSIONS, "layout")}
    below = {tag: (e, t) for tag, (e, t) in styles.items() if e / t < STYLE_RATE}
    details = "\n\n".join(
        f"== {tag}: {e}/{t}\n{_worst(report, tag, limit=3)}"
        for tag, (e, t) in sorted(below.items(), key=lambda item: item[1][0] / item[1][1])
    )
    assert not below, f"styles below {STYLE_RATE:.0%}: {sorted(below)}\n\n{details}"


# -- the corpus itself ----------------------------------------------------------------------


def test_the_corpus_holds_300_entries_150_of_them_written_by_hand():
    hand = sum(len(chain.expected) for chain in hand_written_chains())
    generated = sum(len(chain.expected) for chain in generate())
    assert hand >= 150
    assert hand + generated >= 300
    assert len(hand_written_chains()) >= 12


def test_every_style_has_enough_entries_to_be_measured():
    counts = Counter(
        tag
        for chain in hand_written_chains() + list(generate())
        for tags in chain.entry_tags
        for tag in tags
    )
    thin = {tag: n for tag, n in counts.items() if n < 10}
    assert not thin, thin


def test_the_grammar_is_deterministic():
    first, second = generate(), generate()
    assert [c.data for c in first] == [c.data for c in second]
    assert [c.expected for c in first] == [c.expected for c in second]


@pytest.mark.parametrize("chain", hand_written_chains(), ids=lambda chain: chain.name)
def test_a_hand_written_chain_is_well_formed(chain):
    manifest = {c["name"]: c for c in json.loads(MANIFEST.read_text("utf-8"))["chains"]}[chain.name]
    data = (CORPUS / f"{chain.name}.txt").read_bytes()
    # stored in the encoding the manifest says, with the line ends it says
    stored = data.decode(manifest["encoding"])
    assert ("\r\n" in stored) == (manifest["newline"] == "crlf"), chain.name
    assert data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) == (
        manifest["encoding"] in ("utf-8-sig", "utf-16")), chain.name
    text = decode_chain(data)
    assert text.replace("\r\n", "\n") == stored.lstrip("\ufeff").replace("\r\n", "\n")
    assert (CORPUS / manifest["catalog"]).exists()
    skus = _skus(manifest["catalog"])
    assert len(chain.expected) == len(manifest["entries"]) == len(chain.entry_tags)
    normal = unicodedata.normalize("NFKC", text)
    for entry, listed in zip(chain.expected, manifest["entries"], strict=True):
        where = f"{chain.name} #{entry['seq']}"
        assert list(entry) == KEYS, where
        assert listed["seq"] == entry["seq"], where
        assert isinstance(entry["seq"], int) and isinstance(entry["customer"], str), where
        assert entry["problems"] == sorted(entry["problems"], key=PROBLEM_ORDER.index), where
        assert all(item["sku"] in skus and item["quantity"] >= 1 for item in entry["items"]), where
        assert len({item["sku"] for item in entry["items"]}) == len(entry["items"]), where
        left_out = {"product_unknown", "spec_ambiguous", "quantity_invalid"} & set(
            entry["problems"])
        assert ("no_items" in entry["problems"]) == (not entry["items"] and not left_out), where
        if entry["phone"] is not None:
            assert re.fullmatch(r"\+?\d{7,15}", entry["phone"]), where
        for field in ("customer", "address", "pickup_point"):
            for word in (entry[field] or "").split(" "):
                assert word in normal, f"{where}: {field} {word!r} is not in the chain"
        dimensions = {tag.split(":")[0] for tag in listed["tags"]}
        assert set(DIMENSIONS) <= dimensions, f"{where}: tags {listed['tags']}"
        assert set(manifest["tags"]) <= set(listed["tags"]), where


def _skus(catalog: str) -> set[str]:
    lines = (CORPUS / catalog).read_text("utf-8").splitlines()[1:]
    return {line.split(",")[0] for line in lines if line}


# -- the scorer cannot pass silently ---------------------------------------------------------


def _entry(seq, **changes):
    entry = {"seq": seq, "customer": "李四", "phone": "13912345678", "address": None,
             "pickup_point": "阳光小区东门", "items": [{"sku": "STRAW-500", "quantity": 2}],
             "note": None, "problems": []}
    return {**entry, **changes}


def test_the_scorer_counts_a_wrong_field_and_a_spurious_entry_as_wrong():
    expected = [_entry(1), _entry(2, customer="王五")]
    got = [_entry(1), _entry(2, customer="王五", note="x2"), _entry(3, customer="团长")]
    outcomes = compare_entries("t", expected, [["a"], ["b"]], got, ["", "", ""], ["layout"])
    assert [o.kind for o in outcomes] == ["exact", "wrong", "spurious"]
    report = corpus_score.Report(outcomes)
    assert (report.exact, report.total) == (1, 3)
    assert report.by_tag()["layout"] == (0, 1)


def test_the_scorer_pairs_repeated_numbers_in_order_and_misses_a_lost_entry():
    expected = [_entry(1), _entry(1, customer="王五"), _entry(2)]
    got = [_entry(1), _entry(1, customer="王五")]
    outcomes = compare_entries("t", expected, [[], [], []], got, ["", ""], [])
    assert [o.kind for o in outcomes] == ["exact", "exact", "missing"]


def test_the_scorer_decodes_every_stored_encoding():
    text = "1. 李四 藍莓x2 13912345678\r\n2. 王五 草莓x1\r\n"
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gbk"),
                 text.encode("gb18030"), text.encode("utf-16"),
                 codecs.BOM_UTF16_BE + text.encode("utf-16-be")):
        assert decode_chain(data).replace("\r\n", "\n") == text.replace("\r\n", "\n")
