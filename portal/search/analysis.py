"""Text analysis shared by both backends: normalising, tokens, stems, typos, layouts.

The user's text never reaches a MATCH or to_tsquery expression as typed: it is cut
into word tokens here (letters and digits only), and backends build their query
syntax from those tokens.
"""

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pymorphy3
import Stemmer

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
CYRILLIC_RE = re.compile(r"[а-я]")
LATIN_WORD_RE = re.compile(r"^[a-z\[\];',.`{}:\"<>~]+$")

# Snowball's Russian stop list (the one PostgreSQL's `russian` configuration uses),
# so both backends drop the same words from queries.
RUSSIAN_STOP_WORDS = frozenset(
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
    ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
    быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
    есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
    тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
    сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше
    тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой
    перед иногда лучше чуть том нельзя такой им более всегда конечно всю между
    """.split()
)
# Snowball's English stop list, the one PostgreSQL's `russian` configuration applies to
# words in Latin letters (through `english_stem`): English content is searched the same
# way on both backends.
ENGLISH_STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    """.split()
)
STOP_WORDS = RUSSIAN_STOP_WORDS | ENGLISH_STOP_WORDS

# The ЙЦУКЕН layout over QWERTY keys: "gfhjkm" typed with the wrong layout is "пароль".
# Shifted keys too: Shift+; is "Ж", Shift+' is "Э", Shift+, is "Б" on ЙЦУКЕН.
_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_QWERTY_SHIFTED = 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
_YCUKEN = "йцукенгшщзхъфывапролджэячсмитьбюё"
LAYOUT_TO_RUSSIAN = str.maketrans(_QWERTY + _QWERTY_SHIFTED, _YCUKEN + _YCUKEN.upper())

RUSSIAN_ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

_russian = Stemmer.Stemmer("russian")
_english = Stemmer.Stemmer("english")


def printable(text: str) -> str:
    """The text without NUL and other control characters (databases refuse some)."""
    if text.isprintable():  # the common case, in C
        return text
    return "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)


def normalize(text: str) -> str:
    """Lower case, ё as е, compatibility forms folded, control characters dropped."""
    return printable(unicodedata.normalize("NFKC", text)).lower().replace("ё", "е")


def words(text: str) -> list[str]:
    return WORD_RE.findall(normalize(text))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    if CYRILLIC_RE.search(word):
        return _russian.stemWord(word)
    if word.isascii() and word.isalpha():
        return _english.stemWord(word)
    return word


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


OVERSTEMMED_LENGTH = 3


def overstemmed(word: str) -> bool:
    """Snowball cut the word to a stub that other words share ("есиа" → "ес", "инн" → "ин").

    Such words are matched by their exact form first: the index keeps it beside the stem.
    """
    root = stem(word)
    return root != word and len(root) <= OVERSTEMMED_LENGTH


def exact_words(text: str) -> list[str]:
    """The over-stemmed words of a text, once each, for the index to keep as typed."""
    return list(dict.fromkeys(w for w in words(text) if w not in STOP_WORDS and overstemmed(w)))


def stemmed_text(text: str) -> str:
    """What the SQLite index stores: the stem of every word but stop words, in order,
    then the exact form of over-stemmed words (after the text, so phrases stay whole).

    Stop words are left out as PostgreSQL's `russian` configuration does, so that
    both backends find the same documents.
    """
    stems_ = [stem(word) for word in words(text) if word not in STOP_WORDS]
    return " ".join(stems_ + exact_words(text))


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=50_000)
def is_russian_word(word: str) -> bool:
    """A real Russian word (any form), by the OpenCorpora dictionary, not a guess.

    pymorphy3 guesses unknown words from their endings; `word_is_known` does not.
    """
    return bool(CYRILLIC_RE.search(word)) and _morph().word_is_known(word)


@lru_cache(maxsize=50_000)
def is_prefixed_word(word: str) -> bool:
    """A dictionary word behind a known prefix ("самозанятым": "само" + "занятым"):
    a real word the dictionary does not list, not words run together."""
    return any(
        type(method[0]).__name__ == "KnownPrefixAnalyzer"
        for method in _morph().parse(word)[0].methods_stack
    )


@lru_cache(maxsize=50_000)
def is_noun(word: str) -> bool:
    """Whether pymorphy3's best reading of the word is a noun ("психологу", not
    "передумал" or "пожилых"): the thing a question is about, not its frame."""
    return bool(CYRILLIC_RE.search(word)) and _morph().parse(word)[0].tag.POS == "NOUN"


@lru_cache(maxsize=50_000)
def normal_form(word: str) -> str:
    """The dictionary form of a word ("плачу": "платить"), by pymorphy3's best guess."""
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


# A word the index does not hold may share a long root with one it does
# («профилактика» and «профилактические», «прикрепляется» and «прикрепить»): its stem
# without the last letters, when that much is left, is matched as a weak prefix.
ROOT_MIN_LENGTH = 6
ROOT_CUT = 2


def root_prefix(word: str) -> str | None:
    root = stem(word)
    if len(root) - ROOT_CUT < ROOT_MIN_LENGTH:
        return None
    return root[:-ROOT_CUT]


def from_wrong_layout(chunk: str) -> str | None:
    """The Russian word a chunk typed on the Latin layout stands for, if it can be one.

    The result goes through the same tokenizer as everything else: a key with no
    letter behind it must never carry a quote or an operator into a MATCH string.
    """
    if not LATIN_WORD_RE.match(chunk):
        return None
    converted = "".join(WORD_RE.findall(normalize(chunk.translate(LAYOUT_TO_RUSSIAN))))
    return converted if CYRILLIC_RE.search(converted) else None


# The common Latin spellings of Russian letters ("zagranpasport", "zabyl parol"): for
# each Latin letter group its usual reading first, then a less usual one. Longer groups
# are tried first, so "shch" is read before "sh" and "ya" before "y".
_TRANSLIT = {
    "shch": ("щ",),
    "sch": ("щ",),
    "zh": ("ж",),
    "kh": ("х",),
    "ts": ("ц", "тс"),
    "tz": ("ц",),
    "ch": ("ч",),
    "sh": ("ш",),
    "yu": ("ю",),
    "ju": ("ю",),
    "iu": ("ю", "иу"),
    "ya": ("я",),
    "ja": ("я",),
    "ia": ("ия", "я"),
    "yo": ("е",),
    "jo": ("е",),
    "ye": ("е", "ые"),
    "ie": ("ие", "ье"),
    "iy": ("ий", "ы"),
    "yy": ("ый", "ий"),
    "a": ("а",),
    "b": ("б",),
    "c": ("ц", "к"),
    "d": ("д",),
    "e": ("е", "э"),
    "f": ("ф",),
    "g": ("г",),
    "h": ("х",),
    "i": ("и", "й"),
    "j": ("й", "ж"),
    "k": ("к",),
    "l": ("л", "ль"),
    "m": ("м",),
    "n": ("н", "нь"),
    "o": ("о",),
    "p": ("п",),
    "q": ("к",),
    "r": ("р",),
    "s": ("с",),
    "t": ("т", "ть"),
    "u": ("у",),
    "v": ("в",),
    "w": ("в",),
    "x": ("кс",),
    "y": ("ы", "й"),
    "z": ("з",),
}
_TRANSLIT_LONGEST = max(map(len, _TRANSLIT))
_LATIN_VOWELS = frozenset("aeiouy")
TRANSLIT_RE = re.compile(r"^[a-z]{2,40}$")


def transliterations(word: str) -> list[str]:
    """Russian words a Latin-letter word may be written for, the likeliest first.

    The first reading takes each letter group's usual value ("y" after a vowel as "й");
    each further one changes a single group to its other value ("detskiy": "ts" as "тс";
    "elektronnaya": a first "e" as "э"; "paltsa": "l" as "ль"). The caller keeps the
    first that the index or the dictionary knows.
    """
    if not TRANSLIT_RE.match(word):
        return []
    pieces: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for size in range(min(_TRANSLIT_LONGEST, len(word) - i), 0, -1):
            options = _TRANSLIT.get(word[i : i + size])
            if options is not None:
                if word[i : i + size] == "y" and i and word[i - 1] in _LATIN_VOWELS:
                    options = ("й", "ы")
                pieces.append(options)
                i += size
                break
    usual = [options[0] for options in pieces]
    readings = ["".join(usual)]
    for position, options in enumerate(pieces):
        for other in options[1:]:
            readings.append("".join([*usual[:position], other, *usual[position + 1 :]]))
    return list(dict.fromkeys(readings))


SPLIT_MIN_LENGTH = 6
SPLIT_MAX_PIECES = 4


def split_pieces(word: str) -> list[str]:
    """Every piece of three letters or more a word run together could hold."""
    return [
        word[start:end]
        for start in range(len(word))
        for end in range(start + 3, len(word) + 1)
        if (start, end) != (0, len(word))
    ]


def split_words(word: str, *, known: Callable[[str], bool]) -> tuple[str, ...] | None:
    """A word typed without spaces ("очиститькеш") as the fewest words `known` accepts.

    Short stop words may stand between them ("войтивкабинет": "войти в кабинет"); at
    least two pieces must be real words, and ties go to the longest first word.
    """
    if len(word) < SPLIT_MIN_LENGTH or not CYRILLIC_RE.search(word):
        return None
    best: dict[int, tuple[str, ...]] = {0: ()}
    for end in range(1, len(word) + 1):
        options = []
        for start in range(end):
            if start not in best or len(best[start]) >= SPLIT_MAX_PIECES:
                continue
            piece = word[start:end]
            if piece in STOP_WORDS or (
                len(piece) >= 3 and (start, end) != (0, len(word)) and known(piece)
            ):
                options.append(best[start] + (piece,))
        if options:
            best[end] = min(options, key=lambda pieces: (len(pieces), [-len(p) for p in pieces]))
    found = best.get(len(word))
    if not found or sum(1 for piece in found if piece not in STOP_WORDS) < 2:
        return None
    return found


def is_token(word: str) -> bool:
    """A word the tokenizer could have produced: letters and digits only."""
    return WORD_RE.fullmatch(word) is not None


def edits1(word: str) -> set[str]:
    """Every word one deletion, transposition, replacement or insertion away."""
    alphabet = RUSSIAN_ALPHABET if CYRILLIC_RE.search(word) else LATIN_ALPHABET
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {
        left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
    }
    replaces = {left + ch + right[1:] for left, right in splits if right for ch in alphabet}
    inserts = {left + ch + right for left, right in splits for ch in alphabet}
    return (deletes | transposes | replaces | inserts) - {word}


def within_one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance of at most one, without building the matrix."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


Phrase = tuple[str, ...]

# What an everyday word counts for against 1 for a word of the query's point: enough
# to order documents holding the same point, never to outrank one that holds more of it.
EVERYDAY_WEIGHT = 0.1


@dataclass
class Group:
    """One concept of the query: any of its alternatives may match.

    `alternatives` count fully; `weak` ones (a stub stem, an unfinished word) count
    half, so a document with the whole word ranks above one with a prefix of it.
    `prefixes` are words matched as the start of an indexed word.
    """

    alternatives: list[Phrase]
    typed: str  # what the citizen typed for it, to say what was searched instead
    replaced_by: str | None = None  # set when typo or layout recovery chose another word
    weak: list[Phrase] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    from_layout: bool = False
    # The typed word is not in the index: it matches only through words near in
    # meaning or a shared root, which rank documents but never vouch for an answer.
    by_meaning: bool = False
    # An everyday word beside the query's point (held by a quarter of the documents or
    # more, or naming the site itself: «госуслуги»): it weighs next to nothing and only
    # orders documents that hold another of the query's words.
    everyday: bool = False

    @property
    def weight(self) -> float:
        return EVERYDAY_WEIGHT if self.everyday else 1.0

    @property
    def shown(self) -> str:
        return self.replaced_by or self.typed


@dataclass
class QueryPlan:
    """The query as backends see it: groups, each an OR of phrases; documents are
    ranked by how many groups they match (the best alternative of each, not a sum)."""

    groups: list[Group] = field(default_factory=list)
    prefix_last: bool = False
    # Every word as typed, stop words and «не» included, to show a correction whole.
    typed_words: list[str] = field(default_factory=list)
    replacements: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def was_changed(self) -> bool:
        return any(group.replaced_by for group in self.groups)

    @property
    def layout_only(self) -> bool:
        """Every change was a keyboard layout: the typed text meant nothing as such."""
        changed = [group for group in self.groups if group.replaced_by]
        return bool(changed) and all(group.from_layout for group in changed)

    @property
    def shown_text(self) -> str:
        if self.typed_words:
            return " ".join(self.replacements.get(word, word) for word in self.typed_words)
        return " ".join(group.shown for group in self.groups)

    @property
    def weighted(self) -> bool:
        """Some group weighs less than the others (an everyday word beside the point)."""
        return any(group.everyday for group in self.groups)

    def pointed(self) -> list[int]:
        """The positions of the groups that make the query's point (not everyday)."""
        return [i for i, group in enumerate(self.groups) if not group.everyday]

    def highlight_stems(self) -> frozenset[str]:
        wanted = {
            stem(word)
            for group in self.groups
            for phrase in [*group.alternatives, *group.weak]
            for word in phrase
            if word not in STOP_WORDS
        }
        return frozenset(wanted)


def parse(text: str) -> tuple[list[str], list[str | None]]:
    """Cut the query into words; for each, the Russian word it may be in the wrong layout.

    Every word that comes out holds letters and digits only (the tokenizer's output).
    """
    text = normalize(text[: MAX_QUERY_LENGTH * 4])[:MAX_QUERY_LENGTH]
    tokens: list[str] = []
    layouts: list[str | None] = []
    for chunk in text.split():
        converted = from_wrong_layout(chunk)
        found = WORD_RE.findall(chunk)
        if converted is not None and len(found) != 1:
            # "ktuby;" has a ';' for "ж" that splitting would lose; keep it whole.
            found = ["".join(found)] if found else []
        for word in found:
            tokens.append(word)
            layouts.append(converted)
    return tokens[:MAX_QUERY_WORDS], layouts[:MAX_QUERY_WORDS]


def synonym_spans(
    tokens: Sequence[str], synonyms: Iterable[Sequence[Phrase]]
) -> list[tuple[int, int, list[Phrase]]]:
    """Where a phrase of a synonym group stands in the query (compared by stems)."""
    token_stems = [stem(token) for token in tokens]
    spans: list[tuple[int, int, list[Phrase]]] = []
    taken = [False] * len(tokens)
    # Longer phrases first, so "учетная запись госуслуг" wins over "госуслуг".
    candidates = sorted(
        ((phrase, list(group)) for group in synonyms for phrase in group),
        key=lambda item: -len(item[0]),
    )
    for phrase, group in candidates:
        phrase_stems = [stem(word) for word in phrase]
        size = len(phrase_stems)
        for start in range(len(tokens) - size + 1):
            if any(taken[start : start + size]):
                continue
            if token_stems[start : start + size] == phrase_stems:
                spans.append((start, start + size, group))
                for i in range(start, start + size):
                    taken[i] = True
    return sorted(spans)


def highlight(text: str, wanted: frozenset[str], *, max_length: int | None = None) -> str:
    """HTML-escaped text with <mark> around matching words, cut to a window if asked.

    The window starts at the sentence of the first match, so a snippet reads as text.
    """
    # Word tokens hold letters and digits only: folding case and ё is all they need.
    matches = [
        m for m in WORD_RE.finditer(text) if stem(m.group().lower().replace("ё", "е")) in wanted
    ]
    start, end, prefix, suffix = 0, len(text), "", ""
    if max_length is not None and len(text) > max_length:
        if matches:
            first = matches[0].start()
            sentence = max(text.rfind(". ", 0, first), text.rfind("\n", 0, first))
            start = sentence + 2 if sentence != -1 and first - sentence < max_length // 2 else 0
            if first - start > max_length // 2:
                start = text.rfind(" ", 0, first - max_length // 4) + 1
        end = min(len(text), start + max_length)
        if end < len(text):
            cut = text.rfind(" ", start, end)
            end = cut if cut > start else end
            suffix = "…"
        prefix = "…" if start > 0 else ""
    pieces: list[str] = [prefix]
    cursor = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(html.escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(html.escape(text[cursor:end]))
    pieces.append(suffix)
    return "".join(pieces)
