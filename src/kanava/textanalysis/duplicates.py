"""Near-duplicate detection: retweets and copy-paste campaigns count as one voice.

Texts are compared as sets of word bigrams after removing what a share or a campaign
adds (an "RT @x:" prefix, mentions, URLs, trailing hashtags). Identical texts are found
through a hash of their words; near-identical ones through MinHash signatures and
locality-sensitive hashing (LSH) over bands of the signature, then confirmed by the
estimated Jaccard similarity of the whole signature.

The index is a ring of the last `capacity` distinct texts, so memory stays bounded in a
stream that never ends: a duplicate is recognised as long as its original is among them.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from kanava.textanalysis.text import clean, tokens

DEFAULT_THRESHOLD = 0.5
"""Estimated Jaccard similarity of word bigrams from which two texts are duplicates.

A one-word edit of a 10-word text keeps 0.6 of the bigrams; two posts on the same
topic in their own words rarely share a fifth.
"""

_BUCKET_CAP = 8  # members kept per LSH bucket: enough to find a cluster, bounded work
# Band keys are cut to 30 bits so that Python keeps them as small ints: a chance
# collision only adds a candidate that the full signature then turns down.
_KEY_MASK = np.uint64(2**30 - 1)

# A bucket holds one sequence number, or a list when texts share it: most buckets hold
# one text, and an int costs a third of a list.
Bucket = dict[int, "int | list[int]"]


def duplicate_tokens(text: str) -> list[str]:
    """The words that decide whether two texts are duplicates.

    A retweet prefix, mentions, URLs and hashtags at the end are what sharing and
    campaigns add to a text, so they are left out; hashtags inside a sentence are words.
    Emoji-only texts are compared by their emoji.
    """
    cleaned = clean(text)
    words = tokens(cleaned, numbers=True)
    if words[:1] == ["rt"]:
        words = words[1:]
    content = [word for word in words if not word.startswith("@")]
    while content and content[-1].startswith("#"):
        content.pop()
    if content and content[-1] == "via":
        content.pop()
    if content:
        return [word.lstrip("#") for word in content]
    if words:
        return words
    return [char for char in cleaned if not char.isspace()]


def shingles(words: list[str]) -> set[str]:
    """Word bigrams (a single word stands for itself)."""
    if len(words) < 2:
        return set(words)
    return {f"{first} {second}" for first, second in pairwise(words)}


class DuplicateIndex:
    """Assigns each added text to a cluster of near-duplicates, as items arrive.

    `add` returns the cluster id: the id of the first item of the cluster still
    remembered, so an original and all its copies share one id.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = 64,
        bands: int = 16,
        rows: int = 2,
        capacity: int = 20_000,
        seed: int = 1,
    ) -> None:
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        if bands * rows > num_perm or min(bands, rows, capacity) < 1:
            raise ValueError("need 1 <= bands * rows <= num_perm and a positive capacity")
        self.threshold = threshold
        self.capacity = capacity
        self._bands, self._rows = bands, rows
        rng = np.random.default_rng(seed)
        # Multiply-add-shift hashing: one odd 64-bit multiplier per permutation.
        self._mul = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self._add = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._band_mul = rng.integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
        self._signatures = np.zeros((capacity, num_perm), dtype=np.uint32)
        self._band_keys = np.zeros((capacity, bands), dtype=np.uint32)
        self._exact_keys: list[int] = [0] * capacity
        self._clusters: list[str] = [""] * capacity
        self._buckets: list[Bucket] = [{} for _ in range(bands)]
        self._exact: dict[int, int] = {}  # hash of the words -> sequence number
        self._next = 0  # sequence number of the next stored item; slot = seq % capacity

    def __len__(self) -> int:
        """How many distinct texts the index remembers."""
        return min(self._next, self.capacity)

    def add(self, item_id: str, text: str) -> str:
        """Remember the text and return the id of its cluster."""
        words = duplicate_tokens(text)
        if not words:  # nothing to compare: a cluster of its own
            return item_id
        exact_key = hash(tuple(words))
        seq = self._exact.get(exact_key)
        if seq is not None:
            return self._clusters[seq % self.capacity]
        signature = self._signature(shingles(words))
        band_keys = self._band_keys_of(signature)
        match = self._best_match(signature, band_keys)
        cluster = self._clusters[match % self.capacity] if match is not None else item_id
        self._store(exact_key, signature, band_keys, cluster)
        return cluster

    def _signature(self, grams: set[str]) -> NDArray[np.uint32]:
        hashes = np.fromiter(
            (zlib.crc32(gram.encode("utf-8", "surrogatepass")) for gram in grams),
            dtype=np.uint64,
            count=len(grams),
        )
        mixed: NDArray[np.uint64] = (hashes[:, None] * self._mul + self._add) >> np.uint64(32)
        signature: NDArray[np.uint32] = mixed.min(axis=0).astype(np.uint32)
        return signature

    def _band_keys_of(self, signature: NDArray[np.uint32]) -> NDArray[np.uint32]:
        used = signature[: self._bands * self._rows].astype(np.uint64)
        rows = used.reshape(self._bands, self._rows)
        mixed = (rows * self._band_mul).sum(axis=1, dtype=np.uint64)
        keys: NDArray[np.uint32] = ((mixed >> np.uint64(16)) & _KEY_MASK).astype(np.uint32)
        return keys

    def _best_match(
        self, signature: NDArray[np.uint32], band_keys: NDArray[np.uint32]
    ) -> int | None:
        candidates: set[int] = set()
        for bucket, key in zip(self._buckets, band_keys.tolist(), strict=True):
            found = bucket.get(key)
            if isinstance(found, int):
                candidates.add(found)
            elif found is not None:
                candidates.update(found)
        if not candidates:
            return None
        seqs = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
        agreement = (self._signatures[seqs % self.capacity] == signature).mean(axis=1)
        best = int(agreement.argmax())
        return int(seqs[best]) if agreement[best] >= self.threshold else None

    def _store(
        self,
        exact_key: int,
        signature: NDArray[np.uint32],
        band_keys: NDArray[np.uint32],
        cluster: str,
    ) -> None:
        seq, slot = self._next, self._next % self.capacity
        if seq >= self.capacity:
            self._forget(seq - self.capacity, slot)
        self._signatures[slot] = signature
        self._band_keys[slot] = band_keys
        self._exact_keys[slot] = exact_key
        self._clusters[slot] = cluster
        self._exact[exact_key] = seq
        for bucket, key in zip(self._buckets, band_keys.tolist(), strict=True):
            found = bucket.get(key)
            if found is None:
                bucket[key] = seq
            elif isinstance(found, int):
                bucket[key] = [found, seq]
            else:
                found.append(seq)
                if len(found) > _BUCKET_CAP:
                    del found[0]
        self._next += 1

    def _forget(self, old_seq: int, slot: int) -> None:
        """Drop the item about to be overwritten from the exact table and the buckets."""
        if self._exact.get(self._exact_keys[slot]) == old_seq:
            del self._exact[self._exact_keys[slot]]
        for bucket, key in zip(self._buckets, self._band_keys[slot].tolist(), strict=True):
            found = bucket.get(key)
            if found == old_seq:
                del bucket[key]
            elif isinstance(found, list) and old_seq in found:
                found.remove(old_seq)
                if len(found) == 1:
                    bucket[key] = found[0]


def find_duplicates(texts: Iterable[str], *, threshold: float = DEFAULT_THRESHOLD) -> list[int]:
    """For each text, the position of the first text of its near-duplicate cluster.

    An original points at itself; `[0, 1, 0]` says the third text copies the first.
    Copies more than 100,000 distinct texts after their original are not recognised.
    """
    texts = list(texts)
    index = DuplicateIndex(threshold=threshold, capacity=min(max(1, len(texts)), 100_000))
    return [int(index.add(str(position), text)) for position, text in enumerate(texts)]
