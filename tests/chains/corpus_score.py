"""How many entries of the chain corpus the parser reads exactly right, overall and per style.

The corpus is the hand-written chains in tests/chains/corpus/ (listed in MANIFEST.json) plus
the chains tests/chains/corpus_grammar.py composes. Each chain file is read as bytes,
decoded, parsed with `parse_chain` against its catalog, and every entry is compared with the
expected one as a whole dict: an expected entry is exact when the parser gave an entry with
the same seq (the k-th expected entry with seq s against the k-th parsed entry with seq s)
and an equal dict. A parsed entry no expected entry answers (chatter read as an entry)
counts as one more wrong entry.

    .venv/bin/python -m tests.chains.corpus_score              # the table
    .venv/bin/python -m tests.chains.corpus_score --failures   # and each wrong entry
"""

import codecs
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = CORPUS / "MANIFEST.json"
FIELDS = ("seq", "customer", "phone", "address", "pickup_point", "items", "note", "problems")


@dataclass
class CorpusChain:
    name: str
    catalog: str  # file name in tests/chains/corpus/
    data: bytes
    pickup_points: list[str]
    chain_tags: list[str]  # also charged with the entries read from nothing
    expected: list[dict]
    entry_tags: list[list[str]]
    source: str  # "hand" or "grammar"


@dataclass
class Outcome:
    chain: str
    kind: str  # exact, wrong, missing (no parsed entry), spurious (no expected entry)
    tags: list[str]
    expected: dict | None = None
    got: dict | None = None
    text: str = ""

    @property
    def is_exact(self) -> bool:
        return self.kind == "exact"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def exact(self) -> int:
        return sum(o.is_exact for o in self.outcomes)

    @property
    def rate(self) -> float:
        return self.exact / self.total if self.total else 0.0

    def by_tag(self) -> dict[str, tuple[int, int]]:
        """tag -> (exact, total)."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            for tag in outcome.tags:
                counts[tag][0] += outcome.is_exact
                counts[tag][1] += 1
        return {tag: (e, t) for tag, (e, t) in sorted(counts.items())}

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.is_exact]


# -- reading the files ----------------------------------------------------------------------


def _local_decode(data: bytes) -> str:
    """Chain bytes as text: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (which
    reads GBK too); CRLF and CR line ends become LF."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_chain(data: bytes) -> str:
    """The parser's own `decode_chain` when it has one, else the local one above."""
    try:
        from dingdan.chains.parsing import text as parsing_text
    except ImportError:  # pragma: no cover - the parser package is always there
        return _local_decode(data)
    decode = getattr(parsing_text, "decode_chain", None)
    return decode(data) if decode else _local_decode(data)


def _ensure_django() -> None:
    """`catalog_from_csv` lives in the Django app (it reports errors with gettext)."""
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
        import django

        django.setup()


@cache
def load_catalog(name: str):
    _ensure_django()
    from dingdan.chains.catalogs import catalog_from_csv

    return catalog_from_csv(CORPUS / name)


def hand_written_chains() -> list[CorpusChain]:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    chains = []
    for entry in manifest["chains"]:
        name = entry["name"]
        expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
        chains.append(CorpusChain(
            name=name,
            catalog=entry["catalog"],
            data=(CORPUS / f"{name}.txt").read_bytes(),
            pickup_points=list(entry.get("pickup_points", [])),
            chain_tags=list(entry.get("tags", [])),
            expected=expected,
            entry_tags=[list(e["tags"]) for e in entry["entries"]],
            source="hand",
        ))
    return chains


def grammar_chains() -> list[CorpusChain]:
    from tests.chains.corpus_grammar import generate

    return [
        CorpusChain(c.name, c.catalog, c.data, c.pickup_points, c.chain_tags, c.expected,
                    c.entry_tags, "grammar")
        for c in generate()
    ]


def all_chains() -> list[CorpusChain]:
    return hand_written_chains() + grammar_chains()


# -- comparing ------------------------------------------------------------------------------


def compare_entries(chain: str, expected: list[dict], expected_tags: list[list[str]],
                    got: list[dict], got_texts: list[str], chain_tags: list[str]) -> list[Outcome]:
    """One outcome per expected entry, in order, then one per parsed entry left over."""
    by_seq: dict[int, list[int]] = defaultdict(list)
    for index, entry in enumerate(got):
        by_seq[entry.get("seq")].append(index)
    used: set[int] = set()
    outcomes = []
    for entry, tags in zip(expected, expected_tags, strict=True):
        candidates = by_seq.get(entry["seq"], [])
        if not candidates:
            outcomes.append(Outcome(chain, "missing", tags, expected=entry))
            continue
        index = candidates.pop(0)
        used.add(index)
        kind = "exact" if _as_contract(got[index]) == _as_contract(entry) else "wrong"
        outcomes.append(Outcome(chain, kind, tags, expected=entry, got=got[index],
                                text=got_texts[index]))
    for index, entry in enumerate(got):
        if index not in used:
            outcomes.append(Outcome(chain, "spurious", [*list(chain_tags), "spurious"],
                                    got=entry, text=got_texts[index]))
    return outcomes


def _as_contract(entry: dict) -> dict:
    return {key: entry.get(key) for key in FIELDS}


def score_chain(chain: CorpusChain) -> list[Outcome]:
    from dingdan.chains.parsing.parser import parse_chain

    try:
        text = decode_chain(chain.data)
        parsed = parse_chain(text, load_catalog(chain.catalog), chain.pickup_points)
        got = [entry.as_dict() for entry in parsed.entries]
    except Exception as exc:  # a crash loses the whole chain, it does not stop the count
        error = f"the parser failed on this chain: {type(exc).__name__}: {exc}"
        return [Outcome(chain.name, "missing", [*tags, f"source:{chain.source}"],
                        expected=entry, text=error)
                for entry, tags in zip(chain.expected, chain.entry_tags, strict=True)]
    texts = [getattr(entry, "text", "") for entry in parsed.entries]
    source = f"source:{chain.source}"
    outcomes = compare_entries(chain.name, chain.expected,
                               [[*tags, source] for tags in chain.entry_tags], got, texts,
                               [*chain.chain_tags, source])
    for outcome in outcomes:
        if outcome.kind == "missing":
            outcome.text = _line_of(text, outcome.expected)
    return outcomes


def _line_of(text: str, entry: dict) -> str:
    """The chain line an entry the parser did not find most likely stands on."""
    words = [w for w in (entry.get("phone"), entry.get("customer")) if w]
    for line in text.splitlines():
        if words and all(w.lstrip("+")[-4:] in line if w == entry.get("phone") else w in line
                         for w in words):
            return line
    return ""


def score(chains: list[CorpusChain] | None = None) -> Report:
    report = Report()
    for chain in all_chains() if chains is None else chains:
        report.outcomes += score_chain(chain)
    return report


# -- printing -------------------------------------------------------------------------------


def table(report: Report) -> str:
    rows = [("overall", report.exact, report.total)]
    rows += [(tag, e, t) for tag, (e, t) in report.by_tag().items()]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'style':<{width}}  exact  total   rate", "-" * (width + 22)]
    for tag, exact, total in rows:
        lines.append(f"{tag:<{width}}  {exact:>5}  {total:>5}  {exact / total:>6.1%}")
        if tag == "overall":
            lines.append("-" * (width + 22))
    return "\n".join(lines)


def describe(outcome: Outcome) -> str:
    dumps = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    head = f"[{outcome.kind}] {outcome.chain}"
    if outcome.expected:
        head += f" seq {outcome.expected['seq']}"
    lines = [head]
    if outcome.text:
        lines.append("  text:     " + outcome.text.replace("\n", "\n            "))
    lines.append("  expected: " + (dumps(outcome.expected) if outcome.expected else "(no entry)"))
    lines.append("  got:      " + (dumps(outcome.got) if outcome.got else "(no entry)"))
    if outcome.expected and outcome.got:
        differ = [k for k in FIELDS if outcome.expected.get(k) != outcome.got.get(k)]
        lines.append("  differ:   " + ", ".join(differ))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    report = score()
    if "--failures" in argv:
        for outcome in report.failures():
            print(describe(outcome))
            print()
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
