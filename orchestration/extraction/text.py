"""Text normalisation that never loses track of where a character came from.

Reports arrive in traditional or simplified script, with full-width digits, pinyin annotations
left by page converters (就業(yè)), zero-width characters and stray OCR symbols. Extraction runs on a
normalised copy; every character of that copy remembers its index in the original text, so facts
can always point back at the exact span a reader would see.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

from .scanning import finditer_from

# A Han character (the CJK Unified Ideographs block): what makes a label, a subject or a text Chinese.
HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_FIRST, _HAN_LAST = 0x4E00, 0x9FFF


def is_han(character: str) -> bool:
    """Whether `character` is a CJK unified ideograph of the basic block, as HAN matches."""
    return _HAN_FIRST <= ord(character) <= _HAN_LAST

# Characters that carry no meaning for extraction and only break numbers and phrases apart.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufffd"}

# Pinyin annotations in brackets right after a Han character: 就業(yè), 参保(cān bǎo), and the
# doubled or tripled ones a repost leaves: 業(ye)(ye)(ye).
_PINYIN_ANNOTATION = re.compile(
    r"(?<=[\u4e00-\u9fff])(?:[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+"
    r"(?:\s+[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+)*\s*[)）])+"
)

# Single characters folded to their plain form; each keeps its position (one in, one out).
_CHAR_FOLDS = {
    "\r": "\n",  # old-Mac line ends (and the first half of CRLF): a line break like any other
    "\u3000": " ",  # ideographic space
    "\xa0": " ",
    "％": "%",
    "﹪": "%",
    "∶": ":",
    "．": ".",
    "—": "-",  # the dashes of 1—5月, 1―5月, 1–5月 …, and the minus sign: one hyphen
    "–": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "−": "-",
    "－": "-",
    "～": "~",
    "〜": "~",
}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    # t2s covers both mainland-traditional and Hong Kong/Taiwan variants of the characters we need.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, always of the same length so offsets survive."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase-level conversion changed the length: fall back to character-by-character.
    convert = _converter().convert
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)


def _fold_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _CHAR_FOLDS.items()}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block: １２３ → 123, ，→ ,
        table[code] = unicodedata.normalize("NFKC", chr(code))
    return table


_FOLD_TABLE = _fold_table()
# The characters the table folds; texts hold few of them, so they are replaced where they stand
# rather than by str.translate, which looks every character up.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD_TABLE)) + "]")
# Private-use characters, and lone surrogates (written with chr: a compiled module cannot hold them
# in a string literal).
_DROPPED_SET = "".join(_INVISIBLE) + "\ue000-\uf8ff" + chr(0xD800) + "-" + chr(0xDFFF)
DROPPED = re.compile("|".join([_PINYIN_ANNOTATION.pattern, f"[{_DROPPED_SET}]"]))
# One class, not an alternation: `re` skips ahead at C speed only to a pattern's leading class.
DROPPED_FIRST_CHAR = re.compile(f"[(（{_DROPPED_SET}]")


def _fold_one(match: re.Match[str]) -> str:
    return _FOLD_TABLE[ord(match.group())]


@dataclass(frozen=True)
class NormalizedText:
    """A normalised copy of `original` with, for every character, its index in the original."""

    original: str
    text: str
    origin: Sequence[int]

    def original_offset(self, index: int) -> int:
        """Index in the original text of normalised character `index` (end of text allowed)."""
        if index >= len(self.origin):
            return len(self.original)
        return self.origin[index]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering normalised [start, end)."""
        if end <= start:
            o = self.original_offset(start)
            return o, o
        return self.origin[start], self.origin[end - 1] + 1

    def dashes_as_written(self, start: int, end: int) -> str:
        """Normalised [start, end) with each dash as the original wrote it (——, not --): a name
        shown to people, in the script the warehouse keeps but with its own punctuation."""
        return "".join(self.original[self.origin[i]] if c == "-" else c
                       for i, c in enumerate(self.text[start:end], start))

    def original_slice(self, start: int, end: int) -> str:
        s, e = self.original_span(start, end)
        return self.original[s:e]


def normalize(original: str) -> NormalizedText:
    """Fold script, width and noise; drop annotations and invisible characters.

    Folding is one character for one, so only dropped spans need an explicit offset map; text
    without any (the common case) keeps a `range` as its map and costs no per-character work.
    """
    folded = _FOLDABLE.sub(_fold_one, to_simplified(original))
    drops = [m.span() for m in finditer_from(DROPPED, DROPPED_FIRST_CHAR, folded)]
    if not drops:
        return NormalizedText(original=original, text=folded, origin=range(len(folded)))
    pieces: list[str] = []
    origin = array("i")
    kept_from = 0
    for start, end in drops:
        pieces.append(folded[kept_from:start])
        origin.extend(range(kept_from, start))
        kept_from = end
    pieces.append(folded[kept_from:])
    origin.extend(range(kept_from, len(folded)))
    return NormalizedText(original=original, text="".join(pieces), origin=origin)
