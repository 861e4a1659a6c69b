"""Hashed sparse text features for the tone model, shared by training and prediction.

The same code turns texts into features when the model is trained and when it is used,
so the shipped model sees exactly what it was trained on. Two blocks, each L2-normalised
on its own, as in a union of two TF-IDF vectorisers with sublinear term frequency:

- character n-grams (1–5) inside each space-padded word, which carry Finnish and
  Scandinavian inflection and survive typos and creative spelling;
- word unigrams and bigrams, with punctuation and emoji as tokens of their own.

Features are hashed into ``2**bits`` buckets instead of being looked up in a vocabulary,
and the hashing is done with numpy over a whole batch at once: a Python loop over
n-grams would cap us at about 1,500 texts a second, the vectorised form does many
times that, and there is no vocabulary of hundreds of thousands of strings to load.

URLs are replaced by a placeholder: a link's text would only teach the model its
domain. Mentions stay: in the training data, as in real life, who is addressed says
something about the tone (complaints go to the railway's account).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

VERSION = 1  # bump when a change here would make a trained model read texts differently
CHAR_MIN, CHAR_MAX = 1, 5
MAX_FEATURE_CHARS = 1_000  # tone lives in the first thousand characters of a post

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_TOKEN = re.compile(r"\w+|[^\w\s]")
_REPEAT = re.compile(r"(.)\1{3,}")  # "sooooo" and "!!!!!!" -> three
_SPACE = ord(" ")

_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_CHAR_SALT = np.uint64(0x51ED27)
_WORD_SALT = np.uint64(0xA5A5A5)
_BIGRAM = np.uint64(0x2545F4914F6CDD1D)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Block:
    """One feature block of a batch: (text, bucket, count) triples, sorted by text."""

    docs: Ints
    buckets: Ints
    counts: Ints


def normalise(text: str) -> str:
    """The text as the tone model reads it: lower case, links masked."""
    text = _URL.sub(" _url_ ", text[:MAX_FEATURE_CHARS].lower())
    return _REPEAT.sub(r"\1\1\1", text)


def _mix(values: npt.NDArray[np.uint64], bits: int) -> Ints:
    """Spread a hash's bits and keep the top ``bits`` of them as a bucket number."""
    with np.errstate(over="ignore"):
        mixed = (values ^ (values >> np.uint64(29))) * _MIX
    return (mixed >> np.uint64(64 - bits)).astype(np.int64)


def _count(docs: Ints, buckets: Ints, bits: int) -> Block:
    keys = (docs << bits) | buckets
    unique, counts = np.unique(keys, return_counts=True)
    return Block(unique >> bits, unique & ((1 << bits) - 1), counts.astype(np.int64))


def char_block(cleaned: Sequence[str], bits: int) -> Block:
    """Character n-grams within words, over a whole batch in a few numpy passes."""
    padded = [" " + " ".join(text.split()) + " " for text in cleaned]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    owner = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)
    space = codes == _SPACE
    spaces_before = np.concatenate(([0], np.cumsum(space, dtype=np.int64)))
    size = codes.size
    docs: list[Ints] = []
    buckets: list[Ints] = []
    rolling = np.full(size, _CHAR_SALT, dtype=np.uint64)
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        starts = size - n + 1
        if starts <= 0:
            break
        with np.errstate(over="ignore"):
            rolling = rolling[:starts] * _PRIME + codes[n - 1 : n - 1 + starts]
        first = np.arange(starts, dtype=np.int64)
        if n == 1:
            valid = ~space[:starts]
        elif n == 2:
            valid = ~(space[:starts] & space[1 : starts + 1])
        else:  # no space inside the n-gram, only at its edges
            inside = spaces_before[first + n - 1] - spaces_before[first + 1]
            valid = inside == 0
        docs.append(owner[:starts][valid])
        buckets.append(_mix(rolling[valid], bits))
    if not docs:
        empty = np.zeros(0, dtype=np.int64)
        return Block(empty, empty, empty)
    return _count(np.concatenate(docs), np.concatenate(buckets), bits)


def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


def word_block(cleaned: Sequence[str], bits: int) -> Block:
    """Word unigrams and bigrams; punctuation and emoji count as words."""
    tokens = [_TOKEN.findall(text) for text in cleaned]
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    owner = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
    hashes = np.fromiter(
        (_word_hash(w) for words in tokens for w in words), dtype=np.uint64, count=owner.size
    )
    hashes = hashes + _WORD_SALT
    same_text = owner[1:] == owner[:-1]
    with np.errstate(over="ignore"):
        bigrams = (hashes[:-1] * _BIGRAM) ^ hashes[1:]
    docs = np.concatenate((owner, owner[:-1][same_text]))
    keys = np.concatenate((hashes, bigrams[same_text]))
    return _count(docs, _mix(keys, bits), bits)


def blocks(texts: Sequence[str], bits: int) -> tuple[Block, Block]:
    """Both feature blocks of a batch of raw texts."""
    cleaned = [normalise(text) for text in texts]
    return char_block(cleaned, bits), word_block(cleaned, bits)


def idf(block: Block, documents: int, size: int) -> Floats:
    """Smoothed inverse document frequency per bucket (scikit-learn's formula)."""
    frequency = np.bincount(block.buckets, minlength=size)
    result: Floats = np.log((1.0 + documents) / (1.0 + frequency)) + 1.0
    return result


def tfidf(block: Block, idfs: Floats, documents: int) -> Floats:
    """Each (text, bucket) pair's weight, L2-normalised per text."""
    values = (1.0 + np.log(block.counts)) * idfs[block.buckets]
    norms = np.sqrt(np.bincount(block.docs, weights=values * values, minlength=documents))
    norms[norms == 0] = 1.0
    result: Floats = values / norms[block.docs]
    return result
