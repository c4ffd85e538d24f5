"""Linking saran to unsur: Indonesian words reduced to their roots and looked up in a lexicon.

A lexicon maps an unsur code to roots and phrases (see ``plugins/skm/lexicon.py``). Each word of
a saran is reduced to the forms it may come from — prefixes (me-, di-, ter-, ber-, pe- … with the
nasal letter restored: menunggu → tunggu, pengaduan → adu), suffixes (-an, -kan, -i, -nya,
colloquial -in), repeated letters (lamaaa → lama) and reduplication (berbelit-belit → berbelit).
Phrases are matched first and use up their words (ruang tunggu → sarana, not waktu). A root of
five letters or more also matches a written word one typing slip away (prosedr, toliet). A saran may
belong to several unsur, or to none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

PREFIXES = (
    "memper", "diper", "meng", "meny", "peng", "peny", "mem", "men", "pem", "pen", "per",
    "ber", "ter", "me", "pe", "di", "ke", "se", "be", "ng", "ny",
)  # fmt: skip
# The letter a nasal prefix swallowed (menunggu ← tunggu, memungut ← pungut, nunggu ← tunggu).
NASAL = {
    "meng": "k", "peng": "k", "ng": "k", "mem": "p", "pem": "p", "men": "t", "pen": "t",
    "meny": "s", "peny": "s", "ny": "s", "n": "t", "m": "p",
}  # fmt: skip
SUFFIXES = ("nya", "ya", "lah", "kah", "kan", "an", "in", "i")
MIN_ROOT = 3
FUZZY_MIN = 5
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_RUN = re.compile(r"(.)\1{2,}")
_DOUBLE = re.compile(r"(.)\1")


def _affix_forms(word: str) -> set[str]:
    forms = {word}
    for _ in range(2):
        forms |= {
            f[: -len(s)]
            for f in forms
            for s in SUFFIXES
            if f.endswith(s) and len(f) - len(s) >= MIN_ROOT
        }
    for _ in range(2):
        found = set()
        for f in forms:
            for prefix, letter in [(p, NASAL.get(p)) for p in PREFIXES] + [("n", "t"), ("m", "p")]:
                rest = f[len(prefix) :]
                if not f.startswith(prefix) or len(rest) < MIN_ROOT - 1:
                    continue
                if len(prefix) > 1 and len(rest) >= MIN_ROOT:
                    found.add(rest)
                if letter:
                    found.add(letter + rest)
        forms |= found
    return forms


@lru_cache(maxsize=20_000)
def word_forms(word: str) -> frozenset[str]:
    """Every form a written word may stand for: itself, its roots, its letters un-repeated."""
    if len(word) <= MIN_ROOT:
        return frozenset({word})
    bases = {word, _RUN.sub(r"\1", word), _DOUBLE.sub(r"\1", word)}
    return frozenset(form for base in bases for form in _affix_forms(base))


def words(text: str) -> list[str]:
    """The words of a text, lower case; a reduplicated word counts once (belit-belit → belit),
    other hyphenated words are split (bolak-balik → bolak balik)."""
    found: list[str] = []
    for token in _WORD.findall(text.lower()):
        parts = token.split("-")
        if len(parts) == 2 and parts[0].endswith(parts[1]):
            found.append(parts[0])
        else:
            found.extend(parts)
    return found


def _one_slip(a: str, b: str) -> bool:
    """True when b is a within one edit (insert, delete, replace, swap of neighbours)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _matches(root: str, word: str, forms: frozenset[str]) -> bool:
    """A root matches a word's forms, or the written word itself with one typing slip."""
    if root in forms:
        return True
    if len(root) < FUZZY_MIN or len(word) < FUZZY_MIN:
        return False
    return word[0] == root[0] and _one_slip(root, word)


def match_unsur(text: str, lexicon: Mapping[str, Iterable[str]]) -> set[str]:
    """The unsur codes a saran speaks of (empty when none)."""
    written = words(text)
    tokens = [word_forms(w) for w in written]
    used = [False] * len(tokens)
    found: set[str] = set()
    entries = [(code, entry.split()) for code, roots in lexicon.items() for entry in roots]
    for code, parts in sorted(entries, key=lambda e: -len(e[1])):
        if len(parts) == 1:
            if any(not used[i] and _matches(parts[0], written[i], t) for i, t in enumerate(tokens)):
                found.add(code)
            continue
        for start in range(len(tokens) - len(parts) + 1):
            span = range(start, start + len(parts))
            if all(parts[k] in tokens[i] for k, i in enumerate(span)):
                found.add(code)
                for i in span:
                    used[i] = True
    return found
