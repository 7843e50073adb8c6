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

The chain rules come first (which version byte or prefix means which chain); the checksum
codecs they rely on (base58check, bech32/bech32m, EIP-55, Monero base58) follow: each answers
"is this a well-formed, checksum-valid encoding, and what does it carry?" or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import base58
import bech32
from Crypto.Hash import keccak

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


# Checksum codecs.

# BIP-350: v0 programs keep the original bech32 constant, v1+ use bech32m's.
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3
_BECH32_MAX_LENGTH = 90

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(_BASE58_ALPHABET)}
# Monero encodes 8-byte blocks as 11 characters; a shorter final block of n bytes takes
# _MONERO_BLOCK_CHARS[n] characters. The reverse map tells a valid final-block length.
_MONERO_BLOCK_CHARS = (0, 2, 3, 5, 6, 7, 9, 10, 11)
_MONERO_CHARS_TO_BYTES = {chars: size for size, chars in enumerate(_MONERO_BLOCK_CHARS)}
_MONERO_FULL_BLOCK_BYTES = 8
_MONERO_FULL_BLOCK_CHARS = 11


@dataclass(frozen=True, slots=True)
class SegwitAddress:
    """A decoded segwit address: human-readable part, witness version and program."""

    hrp: str
    version: int
    program: bytes


def keccak256(data: bytes) -> bytes:
    """Ethereum's and Monero's Keccak-256 (the pre-standard padding, not SHA3-256)."""
    return keccak.new(data=data, digest_bits=256).digest()


def base58check_payload(text: str) -> bytes | None:
    """Payload (version byte included) of a base58check string, or None if the checksum fails."""
    try:
        return base58.b58decode_check(text)
    except ValueError:
        return None


def segwit_decode(address: str) -> SegwitAddress | None:
    """Decode a BIP-173/BIP-350 segwit address, enforcing the constant each version must use."""
    if len(address) > _BECH32_MAX_LENGTH or not address.isascii():
        return None
    # Mixed case is invalid by BIP-173; all-upper is allowed (QR codes) and means the same.
    if address.lower() != address and address.upper() != address:
        return None
    address = address.lower()
    separator = address.rfind("1")
    if separator < 1 or separator + 7 > len(address):
        return None
    hrp, data_part = address[:separator], address[separator + 1 :]
    if any(char not in bech32.CHARSET for char in data_part):
        return None
    data = [bech32.CHARSET.find(char) for char in data_part]
    const = bech32.bech32_polymod(bech32.bech32_hrp_expand(hrp) + data)
    if const not in (_BECH32_CONST, _BECH32M_CONST):
        return None
    words = data[:-6]
    if not words:
        return None
    version = words[0]
    if version > 16:
        return None
    if (version == 0) != (const == _BECH32_CONST):
        return None
    program = bech32.convertbits(words[1:], 5, 8, False)
    if program is None or not 2 <= len(program) <= 40:
        return None
    if version == 0 and len(program) not in (20, 32):
        return None
    return SegwitAddress(hrp=hrp, version=version, program=bytes(program))


def eip55_checksummed(hex_address: str) -> str:
    """EIP-55 spelling of a 40-hex-digit address (without `0x`): upper case where the hash nibble ≥ 8."""
    lowered = hex_address.lower()
    digest = keccak256(lowered.encode("ascii")).hex()
    return "".join(
        char.upper() if char.isalpha() and int(nibble, 16) >= 8 else char
        for char, nibble in zip(lowered, digest[: len(lowered)], strict=True)
    )


def monero_base58_decode(text: str) -> bytes | None:
    """Decode Monero's block-wise base58 (not the same as Bitcoin's whole-number base58)."""
    full_blocks, tail_chars = divmod(len(text), _MONERO_FULL_BLOCK_CHARS)
    if tail_chars not in _MONERO_CHARS_TO_BYTES:
        return None
    decoded = bytearray()
    blocks = [(index * _MONERO_FULL_BLOCK_CHARS, _MONERO_FULL_BLOCK_BYTES) for index in range(full_blocks)]
    if tail_chars:
        blocks.append((full_blocks * _MONERO_FULL_BLOCK_CHARS, _MONERO_CHARS_TO_BYTES[tail_chars]))
    for start, size in blocks:
        chunk = text[start : start + _MONERO_BLOCK_CHARS[size]]
        number = 0
        for char in chunk:
            digit = _BASE58_INDEX.get(char)
            if digit is None:
                return None
            number = number * 58 + digit
        # A block whose number does not fit its byte size is a forgery, not an address.
        if number >= 1 << (8 * size):
            return None
        decoded += number.to_bytes(size, "big")
    return bytes(decoded)
