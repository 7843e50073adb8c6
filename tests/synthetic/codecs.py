"""Checksum-valid wallet addresses, onion names and mobile numbers, computed from the specs.

Written from the specifications (Bitcoin base58check and BIP-173 bech32, EIP-55, TRON, Monero's
block base58, Tor v3 onion names) so the generator does not lean on the code it tests; only
Keccak-256 comes from pycryptodome and the phone ranges from phonenumbers' metadata.
"""

from __future__ import annotations

import base64
import hashlib
import random

import phonenumbers
from Crypto.Hash import keccak

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _keccak(data: bytes) -> bytes:
    return keccak.new(data=data, digest_bits=256).digest()


def base58(data: bytes) -> str:
    """Bitcoin base58: big-endian digits, one '1' per leading zero byte."""
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        out = ALPHABET[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58check(version: int, payload: bytes) -> str:
    """Version byte + payload + the first four bytes of a double SHA-256."""
    data = bytes([version]) + payload
    return base58(data + hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4])


def _polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for n, generator in enumerate(generators):
            check ^= generator if (top >> n) & 1 else 0
    return check


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_valid(address: str) -> bool:
    """Whether a bech32 (BIP-173) string's checksum holds."""
    hrp, _, data = address.lower().rpartition("1")
    return _polymod(_hrp_expand(hrp) + [BECH32.index(c) for c in data]) == 1


def segwit_v0(hrp: str, program: bytes) -> str:
    """A version-0 witness address (BIP-173): `bc1q…` for a 20-byte key hash."""
    bits, acc, data = 0, 0, [0]
    for byte in program:
        acc, bits = acc << 8 | byte, bits + 8
        while bits >= 5:
            bits -= 5
            data.append(acc >> bits & 31)
    if bits:
        data.append(acc << (5 - bits) & 31)
    check = _polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ 1
    data += [check >> 5 * (5 - n) & 31 for n in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data)


def eip55(raw: bytes) -> str:
    """An Ethereum address with its EIP-55 mixed-case checksum."""
    lowered = raw.hex()
    digest = _keccak(lowered.encode()).hex()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(digest[n], 16) >= 8 else c for n, c in enumerate(lowered)
    )


def monero(spend: bytes, view: bytes) -> str:
    """A Monero standard address: 0x12 + keys + Keccak checksum, in 8-byte base58 blocks."""
    data = b"\x12" + spend + view
    data += _keccak(data)[:4]
    sizes = {8: 11, 5: 7}
    out = ""
    for start in range(0, len(data), 8):
        block = data[start : start + 8]
        number, chars = int.from_bytes(block, "big"), ""
        while number:
            number, digit = divmod(number, 58)
            chars = ALPHABET[digit] + chars
        out += chars.rjust(sizes[len(block)], "1")
    return out


def wallet(chain: str, rng: random.Random) -> str:
    """A fresh, checksum-valid address of one chain."""
    key = rng.randbytes(20)
    if chain == "btc_legacy":
        return base58check(0x00, key)
    if chain == "btc_bech32":
        return segwit_v0("bc", key)
    if chain == "eth":
        return eip55(key)
    if chain == "trx":
        return base58check(0x41, key)
    if chain == "ltc":
        return base58check(0x30, key)
    if chain == "xmr":
        return monero(rng.randbytes(32), rng.randbytes(32))
    raise ValueError(chain)


def base58check_valid(address: str) -> bool:
    """Whether a base58check string decodes and its checksum holds."""
    if any(c not in ALPHABET for c in address):
        return False
    number = 0
    for c in address:
        number = number * 58 + ALPHABET.index(c)
    raw = number.to_bytes(25, "big") if number < 1 << 200 else b""
    return len(raw) == 25 and hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def decoy(address: str, rng: random.Random) -> str:
    """The address with one character changed so that its checksum no longer holds."""
    alphabet = (
        BECH32 if address.startswith("bc1") else "0123456789abcdef" if address.startswith("0x") else ALPHABET
    )
    while True:
        n = rng.randrange(4 if address.startswith(("bc1", "0x")) else 2, len(address))
        swapped = address[:n] + rng.choice(alphabet.replace(address[n].lower(), "")) + address[n + 1 :]
        if address.startswith("0x"):
            mixed = "".join(c.upper() if o.isupper() else c for c, o in zip(swapped, address, strict=True))
            if mixed != eip55(bytes.fromhex(mixed[2:].lower())):
                return mixed
        elif address.startswith("bc1"):
            if not bech32_valid(swapped):
                return swapped
        elif not base58check_valid(swapped):
            return swapped


def onion_v3(rng: random.Random) -> str:
    """A well-formed Tor v3 service name: base32(key + checksum + version 3)."""
    key = rng.randbytes(32)
    checksum = hashlib.sha3_256(b".onion checksum" + key + b"\x03").digest()[:2]
    return base64.b32encode(key + checksum + b"\x03").decode().lower() + ".onion"


def mobile(region: str, rng: random.Random) -> phonenumbers.PhoneNumber:
    """A valid mobile number of a region: its example number with the last digits redrawn."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None, region
    digits = str(example.national_number)
    while True:
        candidate = digits[:-5] + "".join(rng.choice("0123456789") for _ in range(5))
        number = phonenumbers.parse("+" + str(example.country_code) + candidate)
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            return number


def e164(number: phonenumbers.PhoneNumber) -> str:
    """+CCNNN…"""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
