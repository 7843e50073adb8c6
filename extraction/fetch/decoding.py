"""Undoing a page's Content-Encoding with the size cap applied to the *decoded* bytes.

httpx would inflate a whole network chunk at once, and a few kilobytes of gzip can inflate to
gigabytes (more still when encodings are stacked), so the fetcher reads raw bytes and inflates
them here a bounded slice at a time. Only identity, gzip and deflate are decoded; the fetcher
asks for nothing else.
"""

from __future__ import annotations

import zlib


class PageTooLarge(Exception):
    pass


class BoundedDecoder:
    """Undoes one Content-Encoding (identity, gzip, deflate) without ever holding more than `limit` bytes.

    Each `decode` inflates at most what is left of the cap (+1 to notice going over), so a
    few kilobytes that would inflate to gigabytes stop at the cap instead of filling memory.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._raw_deflate_tried = encoding != "deflate"
        self._inflater = None if encoding == "identity" else zlib.decompressobj(_WBITS[encoding])

    def decode(self, data: bytes) -> bytes:
        if self._inflater is None:
            return self._count(data)
        pieces: list[bytes] = []
        while data:
            try:
                piece = self._inflater.decompress(data, self._limit - self._size + 1)
            except zlib.error:
                if self._raw_deflate_tried or self._size:
                    raise
                # Some servers send raw deflate where HTTP means zlib-wrapped; browsers accept both.
                self._raw_deflate_tried = True
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            pieces.append(self._count(piece))
            data = self._inflater.unconsumed_tail
        return b"".join(pieces)

    def _count(self, data: bytes) -> bytes:
        self._size += len(data)
        if self._size > self._limit:
            raise PageTooLarge
        return data


_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def content_decoder(header: str, limit: int) -> BoundedDecoder | None:
    """A decoder for a Content-Encoding header, or None when the hub will not decode it."""
    encoding = header.strip().lower() or "identity"
    if encoding != "identity" and encoding not in _WBITS:
        return None  # stacked ("gzip, gzip") or unrequested (br, zstd) encodings
    return BoundedDecoder(encoding, limit)
