"""Ages from an ID number in SQL (DuckDB), the one home of the rule for stage 2.

indicators v2 §1: an age is the whole years from the ID number's birth date (digits 7–14 of
the 18-character number; a 15-digit legacy number holds ``YYMMDD`` at 7–12, born 19YY) to the
reference day; a person born on 29 February turns a year older on 1 March in common years.
``dbt_project/macros/age_on.sql`` writes the same rule for the staging models.
"""

from __future__ import annotations


def birth_sql(id_sql: str) -> str:
    """SQL DATE of the birth date of an ID-number text (NULL when it is not a real date)."""
    digits = (f"CASE WHEN length({id_sql}) = 15 THEN '19' || substr({id_sql}, 7, 6) "
              f"ELSE substr({id_sql}, 7, 8) END")
    return f"try_strptime({digits}, '%Y%m%d')::DATE"


def age_sql(birth: str, day: str) -> str:
    """SQL whole years from ``birth`` to ``day`` (both DATE): the year difference, less one
    while ``day``'s (month, day) comes before the birthday's (so 29 Feb → 1 March)."""
    return (f"(year({day}) - year({birth}) - CASE WHEN month({day}) * 100 + day({day}) < "
            f"month({birth}) * 100 + day({birth}) THEN 1 ELSE 0 END)")


def band_bounds_sql(band: str) -> tuple[str, str]:
    """SQL (low, high) whole years of an age-band label ``<a>_<b>`` or ``<a>_plus``
    (data-contract v2, elderly_subsidy_standards); high is 1000 for ``_plus``."""
    low = f"try_cast(split_part({band}, '_', 1) AS INTEGER)"
    high = (f"CASE WHEN split_part({band}, '_', 2) = 'plus' THEN 1000 "
            f"ELSE try_cast(split_part({band}, '_', 2) AS INTEGER) END")
    return low, high


# the form of an age band label (a regular expression): digits, `_`, digits or `plus`
BAND_PATTERN = r"^[0-9]{1,3}_([0-9]{1,3}|plus)$"
