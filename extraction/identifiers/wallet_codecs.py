"""Checksum codecs behind wallet validation: base58check, bech32/bech32m, EIP-55, Monero base58.

Each decoder answers "is this string a well-formed, checksum-valid encoding, and what does it
carry?" and returns None otherwise. Chain rules (which version byte means which chain) live in
`extraction.wallets`; this module knows only encodings.
"""

from __future__ import annotations

from dataclasses import dataclass

import base58
import bech32
from Crypto.Hash import keccak

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
