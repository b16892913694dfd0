"""Text helpers shared by search and import: folding Kazakh letters and Latin spellings."""

from __future__ import annotations

import re
import unicodedata

# Russian stand-ins that users type for Kazakh letters, and look-alike code points seen in
# real sources (Latin schwa, Bashkir ka, Cyrillic en with tail) folded to one key.
_KAZAKH_FOLD = str.maketrans(
    {
        "ә": "а",
        "ə": "а",
        "ғ": "г",
        "қ": "к",
        "ҡ": "к",
        "ң": "н",
        "ӊ": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "й": "и",
        "ъ": "",
        "ь": "",
    }
)

_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh", "ы": "i", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
# Latin spellings of the same sound, applied in this order to both sides of a comparison.
_LATIN_VARIANTS = (("zh", "j"), ("kh", "h"), ("ts", "c"), ("q", "k"), ("x", "h"), ("w", "v"))
_SPACES = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """A search key: lower case, NFC, Kazakh letters and look-alikes folded, punctuation dropped."""
    text = unicodedata.normalize("NFC", text or "").lower().translate(_KAZAKH_FOLD)
    return _SPACES.sub(" ", text).strip()


def latin_key(text: str) -> str:
    """A Latin spelling key, so that 'Dostyk uyi' finds «Достық үйі»."""
    key = "".join(_LATIN.get(ch, ch) for ch in fold(text))
    for variant, canonical in _LATIN_VARIANTS:
        key = key.replace(variant, canonical)
    return key.replace("y", "i").replace("'", "")


def search_key(*texts: str) -> str:
    """Everything a query may match: each text folded and in its Latin spelling."""
    parts: list[str] = []
    for text in texts:
        if text:
            folded = fold(text)
            parts.append(folded)
            parts.append(latin_key(text))
    return " | ".join(dict.fromkeys(parts))


def query_keys(query: str) -> list[str]:
    """The words of a query as keys: Cyrillic words folded, Latin words as Latin keys."""
    keys = []
    for word in fold(query).split():
        keys.append(latin_key(word) if word.isascii() else word)
    return keys
