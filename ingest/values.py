"""Vectorised parsers for cell text: each returns (value expression, problem expression).

Every parser takes ``x``, the cleaned text of a cell (NFKC-normalised, stripped, empty as
null) and gives the parsed value (null when it does not parse) and a plain-language problem
(null when the value is fine or the cell is empty). Values of PII kinds are never echoed.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from ingest.pii import _WEIGHTS


class Plan:
    """Intermediate columns, materialised level by level.

    polars does not share common sub-expressions in eager mode, so a parser that reuses a
    value many times names it: ``plan.let(...)`` adds a level of temporary columns and returns
    references to them. Stage 1 runs level i of every column in one ``with_columns``.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.levels: list[dict[str, pl.Expr]] = []

    def let(self, **exprs: pl.Expr) -> list[pl.Expr]:
        level = {f"{self.prefix}{k}": e for k, e in exprs.items()}
        self.levels.append(level)
        return [pl.col(k) for k in level]

    def let1(self, name: str, expr: pl.Expr) -> pl.Expr:
        return self.let(**{name: expr})[0]

# ---------------------------------------------------------------- text


INVISIBLE = r"[\p{Cf}\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
SPACES = r"[\p{Zs}\u2028\u2029\u0085&&[^ ]]"


def clean_cells(frame: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    """Cells as the clerk sees them, before any rule (data contract v2 §1, "Rows and cells").

    Removed: format characters (Unicode category Cf: zero-width space/joiners U+200B–U+200D,
    word joiner U+2060, BOM U+FEFF, soft hyphen, direction marks) and control characters
    other than tab and line breaks. Every other space character (category Zs: no-break
    U+00A0, ideographic U+3000, thin and figure spaces …) becomes an ASCII space. Then the
    text markers of exports go: surrounding whitespace (so a leading tab), the whole value
    written as ``="…"``, and one leading apostrophe. Empty -> null. String columns ``cols``
    in, the same columns out; three passes, each over materialised columns (polars does not
    share sub-expressions in eager mode, and a chained expression would be evaluated anew at
    every reference).
    """
    if not cols:
        return frame
    # which columns hold any cell a pass changes (a pass over a column it leaves alone is
    # skipped: the same cells, without the cost)
    odd = frame.select(pl.col(cols).str.contains(f"{INVISIBLE}|{SPACES}").any()).row(0)
    odd_cols = [c for c, hit in zip(cols, odd, strict=True) if hit]
    if odd_cols:
        frame = frame.with_columns(pl.col(odd_cols).str.replace_all(INVISIBLE, "")
                                   .str.replace_all(SPACES, " "))
    frame = frame.with_columns(pl.col(cols).str.strip_chars())

    def formula(x: pl.Expr) -> pl.Expr:
        wrapped = x.str.starts_with('="') & x.str.ends_with('"') & (x.str.len_chars() >= 3)
        return pl.when(wrapped).then(x.str.slice(2, x.str.len_chars() - 3).str.strip_chars()
                                     ).otherwise(x)

    def apostrophe(x: pl.Expr, quoted: bool) -> pl.Expr:
        if quoted:
            x = pl.when(x.str.starts_with("'")).then(x.str.slice(1).str.strip_chars()
                                                     ).otherwise(x)
        return pl.when(x == "").then(None).otherwise(x)

    marks = frame.select(*[pl.col(c).str.starts_with('="').any().alias(f"f{k}")
                           for k, c in enumerate(cols)],
                         *[pl.col(c).str.starts_with("'").any().alias(f"a{k}")
                           for k, c in enumerate(cols)]).row(0, named=True)
    wrapped = [c for k, c in enumerate(cols) if marks[f"f{k}"]]
    if wrapped:
        frame = frame.with_columns(formula(pl.col(c)).alias(c) for c in wrapped)
        # a wrapped value may uncover an apostrophe
        marks.update({f"a{cols.index(c)}": True for c in wrapped})
    return frame.with_columns(apostrophe(pl.col(c), marks[f"a{k}"]).alias(c)
                              for k, c in enumerate(cols))


def clean(e: pl.Expr, ascii_only: bool = False) -> pl.Expr:
    """NFKC (full-width digits/punctuation to ASCII), strip, empty -> null.

    ``ascii_only``: the caller knows every cell is ASCII text, which NFKC leaves as it is,
    so the normalisation is skipped."""
    x = (e if ascii_only else e.str.normalize("NFKC")).str.strip_chars()
    return pl.when(x == "").then(None).otherwise(x)


def any_non_ascii(e: pl.Expr) -> pl.Expr:
    """Does any cell of the text column hold a character outside ASCII (one that NFKC may
    change)? A UTF-8 text has as many bytes as characters exactly when all are ASCII, so the
    lengths tell it without a regex over every cell."""
    return (e.str.len_bytes() != e.str.len_chars()).any()


# Excel's error values as a cell shows them (a formula's result; calamine names them NA,
# Div0, …: ingest/workbook.py reads such a cell as this text)
EXCEL_ERRORS = {"NA": "#N/A", "Div0": "#DIV/0!", "Ref": "#REF!", "Name": "#NAME?",
                "Null": "#NULL!", "Num": "#NUM!", "Value": "#VALUE!",
                "GettingData": "#GETTING_DATA"}


def clean_text(e: pl.Expr) -> pl.Expr:
    """Free text: only surrounding whitespace is removed; empty, or an Excel error value
    (no text: a household_id of "#N/A" is none) -> null."""
    x = e.str.strip_chars()
    return pl.when((x == "") | x.is_in(list(EXCEL_ERRORS.values()))).then(None).otherwise(x)


def quoted(x: pl.Expr) -> pl.Expr:
    """A cell in a detail message: its first 40 characters in quotes."""
    return pl.lit("'") + x.str.slice(0, 40) + pl.lit("'")


def _problem(ok: pl.Expr, x: pl.Expr, zh: str, en: str, echo: bool = True) -> pl.Expr:
    text = f"{zh} / {en}"
    msg = (pl.lit(text + ": ") + quoted(x)) if echo else pl.lit(text)
    return pl.when(x.is_not_null() & ~ok.fill_null(False)).then(msg).otherwise(None)


# ---------------------------------------------------------------- numbers

_NUM = (
    r"^(?<sign>[+-])?\s*¥?\s*(?<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.(?<frac>[0-9]+))?"
    r"\s*(?:{units})$"
)


def number(plan: Plan, x: pl.Expr, units: tuple[str, ...] = ()
           ) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(value Float64, decimals after stripping trailing zeros, matched) of numeric text."""
    alts = "|".join(re.escape(u.lower()) for u in units)
    pattern = _NUM.replace("{units}", alts + "|" if alts else "")
    low = x.str.to_lowercase()
    g = plan.let1("g", low.str.extract_groups(pattern))
    int_part, frac, sign = plan.let(
        i=g.struct.field("int").str.replace_all(",", "", literal=True),
        f=g.struct.field("frac"), s=g.struct.field("sign"))
    text = int_part.fill_null("0") + pl.lit(".") + frac.fill_null("0")
    value = text.cast(pl.Float64, strict=False)
    matched = int_part.is_not_null() | frac.is_not_null()
    value = (pl.when(~matched).then(None).when(value == 0).then(0.0)
             .when(sign == "-").then(-value).otherwise(value))
    decimals = frac.fill_null("").str.strip_chars_end("0").str.len_chars()
    return plan.let(v=value, d=decimals, m=matched)


# ---------------------------------------------------------------- dates

_DT = (
    r"^(?<y>[0-9]{4})\s*[-/.年]\s*(?<mo>[0-9]{1,2})\s*[-/.月]\s*(?<d>[0-9]{1,2})\s*日?"
    r"(?:(?:T|\s)*(?<h1>[0-9]{1,2}):(?<mi1>[0-9]{2})(?::(?<s1>[0-9]{2})(?:\.(?<f1>[0-9]+))?)?"
    r"\s*(?<tz>Z|[+-][0-9]{2}:?[0-9]{2})?"
    r"|\s*(?<h2>[0-9]{1,2})\s*[时点]\s*(?:(?<mi2>[0-9]{1,2})\s*分\s*(?:(?<s2>[0-9]{1,2})\s*秒)?)?)?$"
)
_COMPACT_DATE = r"^(?<y>[0-9]{4})(?<mo>[0-9]{2})(?<d>[0-9]{2})$"
_MONTH = r"^(?<y>[0-9]{4})\s*[-/.年]\s*(?<mo>[0-9]{1,2})\s*月?$|^(?<y2>[0-9]{4})(?<mo2>[0-9]{2})$"


def _pad(e: pl.Expr) -> pl.Expr:
    return e.str.zfill(2)


def datetime_value(plan: Plan, x: pl.Expr, round_seconds: bool = True) -> pl.Expr:
    """Naive Asia/Shanghai datetime of ISO/Chinese/Excel-rendered text, null if it fails
    (also for a zone offset beyond ±14:00 or of 60 minutes or more). A fraction of a second
    rounds to the nearest second; with ``round_seconds`` False it is cut, as a date or a
    month takes it (23:59:59.5 on 30 June is still June)."""
    up = x.str.to_uppercase()
    g, gc = plan.let(dtg=up.str.extract_groups(_DT), dtc=up.str.extract_groups(_COMPACT_DATE))
    f = g.struct.field
    c = gc.struct.field
    y = pl.coalesce(f("y"), c("y"))
    mo = pl.coalesce(f("mo"), c("mo"))
    d = pl.coalesce(f("d"), c("d"))
    h = pl.coalesce(f("h1"), f("h2"), pl.lit("0"))
    mi = pl.coalesce(f("mi1"), f("mi2"), pl.lit("0"))
    s = pl.coalesce(f("s1"), f("s2"), pl.lit("0"))
    text = y + "-" + _pad(mo) + "-" + _pad(d) + " " + _pad(h) + ":" + _pad(mi) + ":" + _pad(s)
    dt = plan.let1("dt", text.str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us",
                                             strict=False))
    if round_seconds:
        round_up = f("f1").str.slice(0, 1).cast(pl.Int32, strict=False).fill_null(0) >= 5
        dt = pl.when(round_up).then(dt + pl.duration(seconds=1)).otherwise(dt)
    tz = plan.let1("tz", f("tz").str.replace(":", "", literal=True))
    hours = tz.str.slice(1, 2).cast(pl.Int32, strict=False)
    minutes = tz.str.slice(3, 2).cast(pl.Int32, strict=False)
    off = pl.when(tz == "Z").then(pl.lit(0)).otherwise(hours * 60 + minutes)
    off = pl.when(tz.str.starts_with("-")).then(-off).otherwise(off)
    shift = pl.lit(480) - off
    odd_zone = (tz != "Z") & ((hours > 14) | (minutes >= 60))
    return plan.let1("dtv", pl.when(tz.is_null()).then(dt)
                     .when(odd_zone).then(None)
                     .otherwise(dt + pl.duration(minutes=shift)))


def month_value(plan: Plan, x: pl.Expr) -> pl.Expr:
    """First day of the month of `2026-06`, `2026/06`, `202606`, `2026年6月` or a date text."""
    g = plan.let1("mg", x.str.extract_groups(_MONTH)).struct.field
    y = pl.coalesce(g("y"), g("y2"))
    mo = pl.coalesce(g("mo"), g("mo2"))
    direct = (y + "-" + _pad(mo) + "-01").str.to_date("%Y-%m-%d", strict=False)
    from_dt = datetime_value(plan, x, round_seconds=False).dt.date().dt.truncate("1mo")
    return pl.coalesce(direct, from_dt)


def year_value(x: pl.Expr) -> pl.Expr:
    y = x.str.extract(r"^([0-9]{4})\s*年?$", 1).cast(pl.Int32, strict=False)
    return pl.when(y >= 2000).then(y).otherwise(None)


# ---------------------------------------------------------------- identifiers


def id_number(plan: Plan, x: pl.Expr, numeric_cell: pl.Expr, today: date
              ) -> tuple[pl.Expr, pl.Expr]:
    """Normalised 18-character ID (15-digit upgraded) and the problem, if any."""
    up = plan.let1("up", x.str.to_uppercase())
    is15, is18 = plan.let(is15=up.str.contains(r"^[0-9]{15}$"),
                          is18=up.str.contains(r"^[0-9]{17}[0-9X]$"))
    body = plan.let1("body", 
        pl.when(is15)
        .then(up.str.slice(0, 6) + "19" + up.str.slice(6, 9))
        .when(is18)
        .then(up.str.slice(0, 17))
        .otherwise(None)
    )
    # the 17 digits as one integer (< 10^17, fits Int64); digit i is (n // 10^(16-i)) % 10
    digits = plan.let1("n", body.cast(pl.Int64, strict=False))
    birth, total = plan.let(
        birth=body.str.slice(6, 8).str.to_date("%Y%m%d", strict=False),
        total=pl.sum_horizontal([(digits // 10 ** (16 - i)) % 10 * w
                                 for i, w in enumerate(_WEIGHTS)]))
    chk_n = (12 - total % 11) % 11
    chk = plan.let1("chk", pl.when(chk_n == 10).then(pl.lit("X"))
                    .otherwise(chk_n.cast(pl.String)))
    full = pl.when(is15).then(body + chk).otherwise(up)
    birth_ok = birth.is_not_null() & (birth <= pl.lit(today))
    problem = (
        pl.when(x.is_null())
        .then(None)
        .when(numeric_cell)
        .then(pl.lit("身份证号是Excel数值单元格（已丢失精度），须以文本填写 / "
                     "ID number stored as an Excel number (digits lost); enter it as text"))
        .when(~(is15 | is18))
        .then(pl.lit("身份证号须为18位（17位数字+数字或X）或15位旧号 / "
                     "ID number must be 18 characters (17 digits + digit or X) or 15 digits"))
        .when(~birth_ok)
        .then(pl.lit("身份证号中的出生日期无效或在未来 / birth date in the ID number is not "
                     "a real date or lies in the future"))
        .when(is18 & (up.str.slice(17, 1) != chk))
        .then(pl.lit("身份证号校验位错误 / ID number check digit is wrong"))
        .otherwise(None)
    )
    problem = plan.let1("idp", problem)
    value = pl.when(problem.is_null()).then(full).otherwise(None)
    return value, problem


def phone(x: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    p = x.str.replace_all(r"[\s-]", "")
    ok = p.str.contains(r"^1[0-9]{10}$")
    problem = _problem(ok, x, "联系电话须为以1开头的11位数字", "phone must be 11 digits starting "
                       "with 1", echo=False)
    return pl.when(ok).then(p).otherwise(None), problem


def region_code(x: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    ok = x.str.contains(r"^[0-9]{12}$")
    problem = _problem(ok, x, "区划代码须为12位数字", "region code must be 12 digits")
    return pl.when(ok).then(x).otherwise(None), problem


def code_lookup(codes: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Accepted spelling (NFKC, lower-case) -> canonical value."""
    import unicodedata

    out: dict[str, str] = {}
    for canonical, spellings in codes.items():
        for s in (canonical, *spellings):
            out[unicodedata.normalize("NFKC", s).strip().lower()] = canonical
    return out


def code(x: pl.Expr, lookup: dict, zh: str, choices: str,
         dtype: pl.DataType = pl.String) -> tuple[pl.Expr, pl.Expr]:
    value = x.str.to_lowercase().replace_strict(lookup, default=None, return_dtype=dtype)
    problem = _problem(value.is_not_null(), x, f"{zh}不在代码表中（可选：{choices}）",
                       "not one of the listed codes")
    return value, problem


# GB 32100-2015 统一社会信用代码: the alphabet (digits and capitals without I O S V Z), and
# the weights 3^i mod 31 of the first 17 characters (data contract v2 §2; the scalar
# reference is stdnum.cn.uscc, through ingest/idnumber.py)
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def credit_code(plan: Plan, x: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Upper-cased code and the problem, if any: 18 characters of the alphabet, and the check
    character ``31 − (Σ value × weight mod 31)`` (31 → '0') over the first 17."""
    up = plan.let1("cc", x.str.replace_all(r"\s", "").str.to_uppercase())
    shape = plan.let1("ccs", up.str.contains(r"^[0-9A-HJ-NP-RTUW-Y]{18}$"))
    digit = {ch: i for i, ch in enumerate(CREDIT_ALPHABET)}
    total = plan.let1("cct", pl.sum_horizontal([
        up.str.slice(i, 1).replace_strict(digit, default=0, return_dtype=pl.Int32) * w
        for i, w in enumerate(CREDIT_WEIGHTS)]))
    expected = ((pl.lit(31) - total % 31) % 31).replace_strict(
        dict(enumerate(CREDIT_ALPHABET)), return_dtype=pl.String)
    problem = (
        pl.when(x.is_null()).then(None)
        .when(~shape).then(pl.lit("统一社会信用代码须为18位数字或大写字母（不含I、O、S、V、Z） / "
                                  "credit code must be 18 characters of 0-9 A-H J-N P-R T-U W-Y: ")
                           + quoted(x))
        .when(up.str.slice(17, 1) != expected)
        .then(pl.lit("统一社会信用代码校验码错误 / credit code check character is wrong: ")
              + quoted(x))
        .otherwise(None)
    )
    problem = plan.let1("ccp", problem)
    return pl.when(problem.is_null()).then(up).otherwise(None), problem


def age_on(id_number: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whole years from the birth date of a valid 18-character ID number to ``day`` (indicators
    v2 §1: someone born on 29 February turns a year older on 1 March in common years)."""
    birth = id_number.str.slice(6, 8)
    by, bmd = birth.str.slice(0, 4).cast(pl.Int32, strict=False), \
        birth.str.slice(4, 4).cast(pl.Int32, strict=False)
    dmd = day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)
    return day.dt.year().cast(pl.Int32) - by - (dmd < bmd).cast(pl.Int32)
