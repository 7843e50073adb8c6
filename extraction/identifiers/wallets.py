"""Crypto wallet addresses in text, kept only when their checksum verifies.

Ads and decoys carry look-alikes (one character changed), so shape alone is never enough: every
candidate is decoded and its checksum checked before it becomes an identifier.

Decisions:
- ETH: a mixed-case address must match its EIP-55 checksum. An all-lower or all-upper hex
  address carries no checksum at all (EIP-55 defines those spellings as "unchecked"); it is
  accepted, because block explorers and exchanges print addresses that way and refusing them
  would lose real wallets. Its value is lower case either way, as contracts.md spells it.
- Base58 version 0x05 (`3…`) is read as Bitcoin P2SH. Litecoin once used the same byte, but its
  wallets have printed `M…` (0x32) for years, so a `3…` address is far more likely Bitcoin.
- Only mainnet encodings count: testnet addresses are not in investigators' material.
"""

from __future__ import annotations

import re
from typing import Literal

from extraction.identifiers.wallet_codecs import (
    base58check_payload,
    eip55_checksummed,
    keccak256,
    monero_base58_decode,
    segwit_decode,
)
from extraction.types import Identifier

# Anything an address could be: a run of letters and digits the length of the shortest (25)
# to the longest (106, Monero integrated) address, not glued to more letters or digits.
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{25,106}(?![0-9A-Za-z])")
_ETH_SHAPE = re.compile(r"0x[0-9a-fA-F]{40}")

_BASE58_CHAINS = {0x00: "btc", 0x05: "btc", 0x30: "ltc", 0x32: "ltc", 0x41: "trx"}
_SEGWIT_CHAINS = {"bc": "btc", "ltc": "ltc"}
# Monero network bytes: 18 standard, 42 subaddress, 19 integrated (standard + 8-byte payment id).
_MONERO_LAYOUTS = {(95, 0x12): 69, (95, 0x2A): 69, (106, 0x13): 77}


def wallet_value(address: str) -> str | None:
    """Contract spelling (`btc:…`, `eth:…`, `trx:…`, `xmr:…`, `ltc:…`) of a valid address, else None."""
    address = address.strip()
    if _ETH_SHAPE.fullmatch(address):
        return _ethereum_value(address)
    if address.lower().startswith(("bc1", "ltc1")):
        return _segwit_value(address)
    if len(address) in (95, 106) and address[0] in "48":
        return _monero_value(address)
    return _base58check_value(address)


def find_wallets(text: str, *, source: Literal["page", "message"] = "page") -> list[Identifier]:
    """Every checksum-valid wallet address in the text, once each, in order of first appearance."""
    found: dict[str, Identifier] = {}
    for match in _CANDIDATE.finditer(text):
        value = wallet_value(match.group())
        if value is not None and value not in found:
            found[value] = Identifier(kind="wallet", value=value, raw=match.group(), source=source)
    return list(found.values())


def _ethereum_value(address: str) -> str | None:
    hex_part = address[2:]
    is_unchecked = hex_part == hex_part.lower() or hex_part == hex_part.upper()
    if not is_unchecked and eip55_checksummed(hex_part) != hex_part:
        return None
    return "eth:0x" + hex_part.lower()


def _segwit_value(address: str) -> str | None:
    decoded = segwit_decode(address)
    if decoded is None or decoded.hrp not in _SEGWIT_CHAINS:
        return None
    return f"{_SEGWIT_CHAINS[decoded.hrp]}:{address.lower()}"


def _monero_value(address: str) -> str | None:
    decoded = monero_base58_decode(address)
    if decoded is None or _MONERO_LAYOUTS.get((len(address), decoded[0])) != len(decoded):
        return None
    body, checksum = decoded[:-4], decoded[-4:]
    if keccak256(body)[:4] != checksum:
        return None
    return "xmr:" + address


def _base58check_value(address: str) -> str | None:
    payload = base58check_payload(address)
    # Every supported base58 chain hashes to 20 bytes behind a one-byte version.
    if payload is None or len(payload) != 21 or payload[0] not in _BASE58_CHAINS:
        return None
    return f"{_BASE58_CHAINS[payload[0]]}:{address}"
