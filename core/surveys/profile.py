"""The respondent profile of a survey: options, age bands and their validation."""

from __future__ import annotations

# Respondent profile options (configurable per deployment; these are the defaults).
JENIS_KELAMIN: tuple[str, ...] = ("L", "P")
PENDIDIKAN: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
PEKERJAAN: tuple[str, ...] = ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")

# (label, lowest age, highest age or None for open-ended), in display order.
_AGE_BOUNDS: tuple[tuple[str, int, int | None], ...] = (
    ("≤20", 0, 20),
    ("21–30", 21, 30),
    ("31–40", 31, 40),
    ("41–50", 41, 50),
    ("51–60", 51, 60),
    (">60", 61, None),
)
AGE_BANDS: tuple[str, ...] = tuple(label for label, _, _ in _AGE_BOUNDS)


def age_band(age: int) -> str:
    """Return the AGE_BANDS label for an age in whole years; negative ages raise ValueError."""
    if isinstance(age, bool) or not isinstance(age, int):
        raise TypeError(f"usia harus bilangan bulat, bukan {age!r}")
    if age < 0:
        raise ValueError(f"usia tidak boleh negatif: {age}")
    for label, low, high in _AGE_BOUNDS:
        if age >= low and (high is None or age <= high):
            return label
    raise AssertionError("unreachable")  # pragma: no cover


def age_band_sql(column: str) -> str:
    """A SQL CASE expression giving the AGE_BANDS label of an age column (blank when unknown)."""
    parts = []
    for label, low, high in _AGE_BOUNDS:
        if high is None:
            parts.append(f"WHEN {column} >= {low} THEN '{label}'")
        else:
            parts.append(f"WHEN {column} BETWEEN {low} AND {high} THEN '{label}'")
    return f"CASE {' '.join(parts)} ELSE '' END"
