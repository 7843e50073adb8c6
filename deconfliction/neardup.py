"""Near-duplicate ad text: word-shingle sets, compared exactly, found through MinHash LSH bands.

Ads of one organised group are copied from a template with the name, age, city and price
swapped (InfoShield's observation). Digits are folded so prices and ages do not hide the copy.
MinHash band keys are plain strings stored in the database, so every worker sees one index;
candidates sharing a band are then compared exactly on their stored shingle hashes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

SHINGLE = 2  # word bigrams: a swapped name or city breaks two shingles, not three
NUM_PERM = 120
BANDS = 40  # 40 bands of 3 rows: a pair at 0.5 similarity is a candidate with p > 0.99
ROWS = NUM_PERM // BANDS
MIN_SHINGLES = 8  # shorter texts say too little to call a copy
SEED = 1
SCHEME = "affine32"  # pinned: band keys stored in the database must not change with the library default

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class TextPrint:
    """A text's shingle hashes (sorted uint64) and its LSH band keys."""

    shingles: bytes
    bands: tuple[str, ...]


def shingles(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = [re.sub(r"\d+", "0", w) for w in _WORD.findall(folded)]
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """MinHash's random permutations, made once: building them dominates hashing a short ad."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations  # type: ignore[no-any-return]


def _hash64(gram: str) -> int:
    return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "little")


def text_print(text: str) -> TextPrint | None:
    """None when the text is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    hashes = np.array(sorted({_hash64(g) for g in grams}), dtype=np.uint64)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
    values = minhash.hashvalues.astype(np.uint64)
    bands = tuple(
        f"{b:02d}:" + hashlib.blake2b(values[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
        for b in range(BANDS)
    )
    return TextPrint(shingles=hashes.tobytes(), bands=bands)


def similarity(a: bytes, b: bytes) -> float:
    """Exact Jaccard similarity of two stored shingle-hash sets."""
    left = np.frombuffer(a, dtype=np.uint64)
    right = np.frombuffer(b, dtype=np.uint64)
    if not left.size or not right.size:
        return 0.0
    shared = np.intersect1d(left, right, assume_unique=True).size
    return float(shared) / float(left.size + right.size - shared)
