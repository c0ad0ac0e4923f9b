"""Meaning beside words: the index's own words nearest in meaning to a word it does not hold.

A citizen writes «гаи», the content says «ГИБДД»; «грузится», the content «загружается».
navec's compact Russian word vectors (250,000 words × 300 dimensions, trained on news)
ship inside the natasha wheel: they are read from there, nothing is downloaded, and
natasha itself is never imported. They are loaded once per process, at the first word
the index does not hold (about 1.5 s): about 100 MB of resident memory per process for
the vectors and their vocabulary, plus 1.2 KB per word of a kind's vocabulary for its
matrix (under 3 MB for the demo content).

Only the index's vocabulary is searched, so a neighbour is always a word some document
holds; the plan adds neighbours as weak alternatives, ranked below the typed word itself.
"""

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

import numpy as np

from portal.search import analysis, memo
from portal.search.models import SearchTerm

logger = logging.getLogger(__name__)

NAVEC_FILE = ("data", "emb", "navec_news_v1_1B_250K_300d_100q.tar")
# Below this cosine similarity news vectors mostly pair words by topic or syntax
# («третий» and «первый», «купить» and «заказать»), not by meaning.
SIMILARITY = 0.45
NEIGHBOURS = 3
MIN_WORD_LENGTH = 3

_vocabularies: dict[str, tuple[str, list[str], np.ndarray]] = {}


@lru_cache(maxsize=1)
def _navec():
    """The vectors, or None when the package is missing (then meaning is not used)."""
    spec = importlib.util.find_spec("natasha")  # finds the wheel without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0], *NAVEC_FILE) if locations else None
    if path is None or not path.exists():
        logger.warning("navec vectors not found: search runs on words alone")
        return None
    from navec import Navec

    return Navec.load(str(path))


def _vector(navec, word: str) -> np.ndarray | None:
    for form in (word, analysis.normal_form(word)):
        if form in navec:
            vector = np.asarray(navec[form], dtype=np.float32)
            norm = float(np.linalg.norm(vector))
            return vector / norm if norm else None
    return None


def _vocabulary(kind: str) -> tuple[list[str], np.ndarray] | None:
    """The kind's indexed words that navec knows, and their unit vectors as rows.

    Kept per process for the kind's index generation (a write starts a new one)."""
    navec = _navec()
    if navec is None:
        return None
    token = memo.generation(kind=kind)
    cached = _vocabularies.get(kind)
    if cached is not None and cached[0] == token:
        return cached[1], cached[2]
    words: list[str] = []
    rows: list[np.ndarray] = []
    for word in SearchTerm.objects.filter(kind=kind).values_list("word", flat=True):
        if word in analysis.STOP_WORDS or not analysis.CYRILLIC_RE.search(word):
            continue
        vector = _vector(navec, word) if word in navec else None
        if vector is not None:
            words.append(word)
            rows.append(vector)
    matrix = np.stack(rows) if rows else np.zeros((0, 300), dtype=np.float32)
    _vocabularies[kind] = (token, words, matrix)
    return words, matrix


def _neighbours(kind: str, word: str) -> list[str]:
    vocabulary = _vocabulary(kind)
    navec = _navec()
    if vocabulary is None or navec is None or not len(vocabulary[0]):
        return []
    words, matrix = vocabulary
    vector = _vector(navec, word)
    if vector is None:
        return []
    similarity = matrix @ vector
    best = np.argsort(-similarity)[: NEIGHBOURS * 8]
    own = analysis.stem(word)
    found: dict[str, str] = {}  # one word per stem
    for position in best:
        if similarity[position] < SIMILARITY or len(found) == NEIGHBOURS:
            break
        neighbour = words[position]
        root = analysis.stem(neighbour)
        if root != own and root not in found:
            found[root] = neighbour
    return list(found.values())


def meaning_neighbours(*, kind: str, words: list[str]) -> dict[str, list[str]]:
    """For each word, up to three indexed words nearest in meaning (remembered per word)."""
    words = [
        w
        for w in words
        if len(w) >= MIN_WORD_LENGTH
        and analysis.CYRILLIC_RE.search(w)
        and w not in analysis.STOP_WORDS
    ]
    if not words:
        return {}
    answers = memo.recall_many(
        kind=kind,
        keys=[("meaning", w) for w in words],
        compute=lambda missing: {key: _neighbours(kind, key[1]) for key in missing},
    )
    return {word: found for (_, word), found in answers.items() if found}
