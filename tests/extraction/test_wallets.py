"""Wallets: every crypto conformance vector, own edge cases, and the corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.identifiers.wallets import find_wallets, wallet_value
from tests.corpus_pages import load_dev_pages
from tests.extraction.test_emails import MIN_PRECISION, MIN_RECALL, precision_recall
from tests.vectors import VECTORS, vector_rows

CHAIN_PREFIXES = {"BTC": "btc", "ETH": "eth", "TRON": "trx", "XMR": "xmr", "LTC": "ltc"}


def _crypto_rows() -> list[tuple[str, str, bool]]:
    rows = vector_rows("crypto_vectors.tsv")
    return [(row["address"], row["type"], row["valid"] == "true") for row in rows]


def _expected_spelling(address: str, chain_type: str) -> str:
    """Contract spelling derived from the row: chain prefix by type, ETH and bech32 lower-cased."""
    chain = next(prefix for name, prefix in CHAIN_PREFIXES.items() if chain_type.startswith(name))
    is_bech32 = address.lower().startswith(("bc1", "ltc1"))
    return f"{chain}:{address.lower() if chain == 'eth' or is_bech32 else address}"


CRYPTO_ROWS = _crypto_rows()


@pytest.mark.skipif(not CRYPTO_ROWS, reason=f"conformance vectors not found at {VECTORS}")
@pytest.mark.parametrize(("address", "chain_type", "valid"), CRYPTO_ROWS or [("", "", False)])
def test_crypto_vector(address: str, chain_type: str, valid: bool) -> None:
    expected = _expected_spelling(address, chain_type) if valid else None
    assert wallet_value(address) == expected


GENESIS = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
XMR = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"

OWN_CASES = [
    # ETH without a checksum (all lower / all upper hex) is accepted by decision; see wallets.py.
    ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
    ("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
    # dev-corpus decoys: one character changed, checksum fails
    ("0x817077Bf53C3b0718Ca8ACAF603A3a963F7E09e7", None),
    ("TUF3Cw3Jury4XUQFpg6kRfSgDFSKdF8beN", None),
    ("bc1qnu2pmumddrjyn5j3e4e2qs5mjn7yfpz2yq42xx", None),
    # shape right, chain unknown or wrong
    ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", None),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", None),
    (GENESIS + "a", None),
    (XMR[:-1] + ("B" if XMR[-1] != "B" else "C"), None),
    (XMR[:-1], None),
    ("4" * 95, None),
    ("", None),
    ("not an address", None),
    # surrounding white space is not part of the address
    (f"  {GENESIS}\n", f"btc:{GENESIS}"),
]


@pytest.mark.parametrize(("address", "expected"), OWN_CASES)
def test_wallet_value_edge_cases(address: str, expected: str | None) -> None:
    assert wallet_value(address) == expected


TEXT_CASES = [
    (f"Payment only in crypto: {GENESIS}.", [f"btc:{GENESIS}"]),
    (f"BTC:{GENESIS} and again {GENESIS}", [f"btc:{GENESIS}"]),
    (
        f"xmr {XMR} / eth 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        [f"xmr:{XMR}", "eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"],
    ),
    ("USDT (TRC20): TUF3Cw3Jury4XUQFpg6kRfSgDFSKdF8beN", []),
    (f"glued{GENESIS}", []),
    ("tx 9f2c6a0a5e5e3b1d2c4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d", []),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_find_wallets(text: str, expected: list[str]) -> None:
    assert [identifier.value for identifier in find_wallets(text)] == expected


def test_find_wallets_keeps_raw_and_source() -> None:
    (identifier,) = find_wallets(f"pay {GENESIS}", source="message")
    assert (identifier.kind, identifier.raw, identifier.source) == ("wallet", GENESIS, "message")


def test_corpus_wallets(corpus: Path) -> None:
    pages = load_dev_pages(corpus)
    found = [{identifier.value for identifier in find_wallets(page.text)} for page in pages]
    expected = [
        {wallet_value(address) or f"invalid:{address}" for address in page.truth["identifiers"]["wallet"]}
        for page in pages
    ]
    precision, recall, misses = precision_recall(found, expected)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall, misses)


def test_corpus_decoys_are_not_wallets(corpus: Path) -> None:
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    pages = {page.url: page for page in load_dev_pages(corpus)}
    assert truth["decoys"], "the corpus promises decoys"
    for decoy in truth["decoys"]:
        assert decoy["value"] in pages[decoy["page"]].text, (
            "decoy must be on its page for this test to mean anything"
        )
        raws = {identifier.raw for identifier in find_wallets(pages[decoy["page"]].text)}
        assert decoy["value"] not in raws


def test_corpus_typed_wallets_in_messages(corpus: Path) -> None:
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    messages = (corpus / "messages.jsonl").read_text("utf-8").splitlines()
    typed = {row["msg_index"]: set(row["identifiers"]["wallet"]) for row in truth["text_identifiers"]}
    for index, line in enumerate(messages):
        found = {identifier.raw for identifier in find_wallets(json.loads(line)["text"], source="message")}
        assert found == typed.get(index, set()), (index, found)
