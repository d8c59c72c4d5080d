"""Scalar checks of Chinese identifiers, through python-stdnum: the ID number of a resident
(居民身份证号码, GB 11643-1999, ``stdnum.cn.ric``) and, ready for v2, the unified social
credit code of an organisation (统一社会信用代码, GB 32100-2015, ``stdnum.cn.uscc``).

The one home of the scalar rule; ``ingest/values.py`` keeps the vectorised (polars) form of
the same ID rule for stage 1, and ``tests/ingest/test_ingest_idnumber.py`` checks that the
two agree. The birth-place code is not checked (stdnum's ``validate`` would look it up in its
own county table; the contract checks the format, the birth date and the check character).
"""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

# GB 11643 weights of the 17 digits, 2^(17 - i) mod 11 (the vectorised check uses them)
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))


def check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') of the first 17 digits."""
    return ric.calc_check_digit(body17 + "0")  # stdnum reads the first 17 characters


def upgrade15(number: str) -> str:
    """The 18-character form of a 15-digit legacy number (born 19xx): the year gets '19' and
    a check character is appended. Raises ValueError if ``number`` is not 15 digits."""
    if len(number) != 15 or not number.isdigit():
        raise ValueError(f"not a 15-digit ID number: {len(number)} characters")
    body = number[:6] + "19" + number[6:]
    return body + check_char(body)


def normalise(number: str) -> str:
    """Stripped, upper-case, a 15-digit legacy number upgraded to 18 (nothing validated)."""
    s = str(number).strip().upper()
    return upgrade15(s) if len(s) == 15 and s.isdigit() else s


def birth_date(number: str) -> date | None:
    """The birth date an 18-character number encodes, None if it is not a real date."""
    try:
        return ric.get_birth_date(number)
    except (ValidationError, ValueError):
        return None


def is_valid(number: str, today: date | None = None) -> bool:
    """An 18-character ID number (17 digits and a digit or X, either case) with a real birth
    date (not after ``today`` when given) and the right check character."""
    s = str(number).upper()
    if len(s) != 18 or not s[:17].isdigit() or s[17] not in "0123456789X":
        return False
    born = birth_date(s)
    if born is None or (today is not None and born > today):
        return False
    return check_char(s[:17]) == s[17]


def parse(number: str, today: date) -> str | None:
    """The contract's reading of an ID-number cell: the normalised 18-character number if it
    is valid (15 digits are upgraded, a lower-case x is upper-cased), else None."""
    s = str(number).upper()
    if len(s) == 15 and s.isdigit():
        s = upgrade15(s)
    return s if is_valid(s, today) else None


def is_valid_credit_code(code: str) -> bool:
    """A unified social credit code (any case, spaces ignored): 18 characters, the first 8
    digits (registration department, organisation type, division), the rest from the
    code's alphabet (digits and capitals without I, O, S, V, Z), and the GB 32100 check
    character (weights 3^i mod 31)."""
    return uscc.is_valid(code)
