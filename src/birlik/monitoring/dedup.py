"""Exact and near copies of an item: agency reprints, the same post in several channels.

An exact copy has the same ``content_hash`` (the normalised title and text). A near copy, an
edited reprint, has a MinHash ``signature`` whose estimated Jaccard similarity with the
original's is at least 0.7 (docs/design/monitoring.md §1.2: 200/200 edited reprints found,
0/1000 false hits). Signatures are stored per item as 512 bytes, so the index of the last days
is rebuilt in memory from the database without pickle.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from birlik.core.cleaning import match_key

__all__ = ["NEAR", "SIGNATURE_BYTES", "NearIndex", "content_hash", "near_index", "signature"]

PERMUTATIONS = 128
SHINGLE = 5
# The title and the lead make a reprint; the rest of a long page is often other news.
SIGNATURE_CHARS = 1000
SEED = 1
NEAR = 0.7
# Buckets tuned for 0.5 (25 bands of 5 rows) so that a pair at 0.7 shares a bucket with
# probability 0.99 (0.44 with buckets tuned for 0.7 itself); the signatures then drop the
# extra candidates, which costs a microsecond each.
BUCKETS_FOR = 0.5
SIGNATURE_BYTES = PERMUTATIONS * 4
# datasketch's default scheme: the input pre-mixed, then a * h + b mod 2**32; values are uint32.
_SCHEME = "affine32"
_DTYPE = np.dtype("<u4")
_EMPTY = np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint32)


def _normalised(title: str, text: str, *, limit: int | None = None) -> str:
    body = text if limit is None else (text or "")[:limit]
    return match_key(f"{title or ''} {body or ''}")


def content_hash(title: str, text: str) -> str:
    """The sha256 of the normalised title and text: case, spacing, punctuation and Kazakh
    letters typed as Russian ones do not make a copy new; digits do."""
    return hashlib.sha256(_normalised(title, text).encode("utf-8")).hexdigest()


@cache
def _permutations() -> np.ndarray:
    """The permutations of the fixed seed, made once: every signature must share them."""
    return MinHash(
        num_perm=PERMUTATIONS, seed=SEED, scheme=_SCHEME, hashfunc=zlib.crc32
    ).permutations


def _minhash(values: np.ndarray | None = None) -> MinHash:
    # crc32 (stable across processes, unlike hash()) costs half of datasketch's sha1 and
    # the scheme pre-mixes every input hash with the MurmurHash3 finalizer anyway.
    return MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        scheme=_SCHEME,
        hashfunc=zlib.crc32,
        permutations=_permutations(),
        hashvalues=values,
    )


def signature(title: str, text: str) -> bytes:
    """The MinHash of the 5-character shingles of the normalised title and the first 1,000
    characters of the text: 128 × uint32, little-endian (512 bytes). A text shorter than one
    shingle gets the empty signature, which matches nothing."""
    key = _normalised(title, text, limit=SIGNATURE_CHARS)
    shingles = {key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}
    minhash = _minhash()
    if shingles:
        minhash.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return bytes(np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes())


def _values(sig: bytes) -> np.ndarray:
    if len(sig) != SIGNATURE_BYTES:
        raise ValueError(f"a signature has {SIGNATURE_BYTES} bytes, not {len(sig)}")
    return np.frombuffer(sig, dtype=_DTYPE).astype(np.uint32)


class NearIndex:
    """Items by signature: LSH buckets find the candidates, then the signatures themselves
    confirm an estimated Jaccard similarity of at least ``NEAR`` (buckets alone let through
    pairs well below it)."""

    def __init__(self, threshold: float = NEAR) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=min(threshold, BUCKETS_FOR), num_perm=PERMUTATIONS)
        self._values: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._values

    def add(self, item_id: int, sig: bytes) -> None:
        """Index an item; an empty signature or an item already there is left out."""
        values = _values(sig)
        if item_id in self._values or np.array_equal(values, _EMPTY):
            return
        self._lsh.insert(item_id, _minhash(values), check_duplication=False)
        self._values[item_id] = values

    def query(self, sig: bytes) -> list[int]:
        """The items whose signature agrees with ``sig`` on at least ``threshold`` of the
        permutations, most similar first (then the lowest id)."""
        values = _values(sig)
        if np.array_equal(values, _EMPTY):
            return []
        scored = []
        for item_id in self._lsh.query(_minhash(values)):
            similarity = float(np.mean(self._values[item_id] == values))
            if similarity >= self.threshold:
                scored.append((-similarity, item_id))
        return [item_id for _, item_id in sorted(scored)]


def near_index(rows: Iterable[tuple[int, bytes]]) -> NearIndex:
    """The index of the given (item id, signature) rows, e.g. the last seven days' items."""
    index = NearIndex()
    for item_id, sig in rows:
        index.add(item_id, bytes(sig))
    return index
