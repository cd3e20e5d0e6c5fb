"""Natural persons: Chinese names, birth years and genders drawn in bulk."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.synthetic.vocab import GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL, SURNAMES

# Zipf-like surname frequencies: 王, 李, 张 are far more common than 汤.
_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
_SURNAME_WEIGHTS /= _SURNAME_WEIGHTS.sum()


def names(rng: np.random.Generator, genders: np.ndarray) -> np.ndarray:
    """Surname + one or two given-name characters fitting the gender."""
    n = len(genders)
    surname = np.asarray(SURNAMES)[rng.choice(len(SURNAMES), n, p=_SURNAME_WEIGHTS)]
    male = np.asarray(GIVEN_MALE + GIVEN_NEUTRAL)
    female = np.asarray(GIVEN_FEMALE + GIVEN_NEUTRAL)
    is_male = genders == "m"
    first = np.where(
        is_male, male[rng.integers(0, len(male), n)], female[rng.integers(0, len(female), n)]
    )
    second = np.where(
        is_male, male[rng.integers(0, len(male), n)], female[rng.integers(0, len(female), n)]
    )
    two_chars = rng.random(n) < 0.7
    return np.char.add(np.char.add(surname, first), np.where(two_chars, second, ""))


def new_persons(
    rng: np.random.Generator, birth_year: np.ndarray, p_male: np.ndarray | float, kind: str
) -> pd.DataFrame:
    """Persons of the given birth years; gender drawn with probability p_male of "m"."""
    n = len(birth_year)
    gender = np.where(rng.random(n) < p_male, "m", "f")
    return pd.DataFrame(
        {
            "name": names(rng, gender),
            "birth_year": np.asarray(birth_year, dtype="float64"),
            "gender": gender,
            "kind": kind,
        }
    )
