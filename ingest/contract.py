"""Data contract v1 as data: every inbox source, its columns, keys and field rules.

This module is the single place the rest of the project (ingest, sample generator, raw
schema, docs) learns what a source looks like. See docs/data-contract.md for the prose.

Canonical values
----------------
* code lists are stored under their canonical value: the English slug where the contract
  gives one, otherwise the Chinese value (e.g. relation ``配偶``, hazard ``洪涝``);
* ``是``/``否`` columns are stored as booleans;
* months are stored as the first day of the month (DATE); dates as DATE; datetimes as
  naive local (Asia/Shanghai) TIMESTAMP; money as DECIMAL(18,2); counts as BIGINT; other
  quantities (hectares, 万元) as DOUBLE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import import_module


class Kind(StrEnum):
    TEXT = "text"  # free text (names, household ids)
    ID_NUMBER = "id_number"  # 身份证号
    REGION = "region"  # 12-digit region code that must exist in `regions`
    REGION_CODE = "region_code"  # 12-digit region code in the regions file itself
    MONEY = "money"  # yuan, >= 0, at most 2 decimals
    QUANTITY = "quantity"  # >= 0 number, any decimals (hectares, 万元, kg)
    COUNT = "count"  # whole number >= min
    MONTH = "month"
    DATE = "date"
    DATETIME = "datetime"
    CODE = "code"  # one of a code list
    BOOL = "bool"  # 是 / 否
    PHONE = "phone"
    YEAR = "year"
    CREDIT_CODE = "credit_code"  # 统一社会信用代码 (GB 32100-2015)


# Reason codes (data-contract §2). File-level reasons reject the whole file.
ROW_REASONS = (
    "invalid_id_number",
    "unknown_region",
    "invalid_amount",
    "invalid_count",
    "missing_value",
    "invalid_date",
    "invalid_code",
    "invalid_phone",
    "amount_over_standard",
    "unknown_household",
    "unknown_event",
    "unknown_person",
    "duplicate_row",
    "conflicting_duplicate",
    "hidden_row",  # v2 §1: a hidden row of a data sheet, quarantined as it is
    "malformed_row",  # v2 §1: a CSV line that cannot be split into the header's fields
    "invalid_credit_code",  # v2 §2: 统一社会信用代码 format or check character
    "invalid_age",  # v2 §3 marriage_registrations: a party under the legal age
    "unknown_org",  # v2 §3 social_org_inspections: organisation not in social_organizations
    "age_below_band",  # v2 §3: an elderly subsidy to a person younger than every band of it
    "over_age",  # v2 §3: a child-welfare payment to a child 18 or over and not in school
)
FILE_REASONS = ("unreadable_file", "missing_column", "total_mismatch")
REASONS = ROW_REASONS + FILE_REASONS

# Reason used when a value breaks the rule of its kind.
KIND_REASON = {
    Kind.TEXT: "missing_value",
    Kind.ID_NUMBER: "invalid_id_number",
    Kind.REGION: "unknown_region",
    Kind.REGION_CODE: "unknown_region",
    Kind.MONEY: "invalid_amount",
    Kind.QUANTITY: "invalid_amount",
    Kind.COUNT: "invalid_count",
    Kind.MONTH: "invalid_date",
    Kind.DATE: "invalid_date",
    Kind.DATETIME: "invalid_date",
    Kind.CODE: "invalid_code",
    Kind.BOOL: "invalid_code",
    Kind.PHONE: "invalid_phone",
    Kind.YEAR: "invalid_date",
    Kind.CREDIT_CODE: "invalid_credit_code",
}

# DuckDB type of each kind in the raw layer.
KIND_SQL_TYPE = {
    Kind.TEXT: "VARCHAR",
    Kind.ID_NUMBER: "VARCHAR",
    Kind.REGION: "VARCHAR",
    Kind.REGION_CODE: "VARCHAR",
    Kind.MONEY: "DECIMAL(18,2)",
    Kind.QUANTITY: "DOUBLE",
    Kind.COUNT: "BIGINT",
    Kind.MONTH: "DATE",
    Kind.DATE: "DATE",
    Kind.DATETIME: "TIMESTAMP",
    Kind.CODE: "VARCHAR",
    Kind.BOOL: "BOOLEAN",
    Kind.PHONE: "VARCHAR",
    Kind.YEAR: "INTEGER",
    Kind.CREDIT_CODE: "VARCHAR",
}

# Region levels.
DISTRICT, TOWNSHIP, VILLAGE = "district", "township", "village"


@dataclass(frozen=True)
class Column:
    name: str  # English name, the raw-layer column name
    zh: str  # Chinese header
    kind: Kind
    required: bool = True
    key: bool = False
    pii: bool = False
    aliases: tuple[str, ...] = ()  # further accepted headers
    # CODE: canonical value -> accepted spellings (the canonical value itself is accepted too)
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    min_count: int = 0  # COUNT: smallest allowed value
    level: str | None = None  # REGION: required level
    # numbers: units a clerk may write after the value (None: the kind's, see fields.py)
    units: tuple[str, ...] | None = None
    spellings: dict[str, str] = field(default_factory=dict)  # whole cell -> text to parse
    positive: bool = False  # QUANTITY: must be > 0 (otherwise >= 0)
    reason: str | None = None  # reason of a broken value (None: KIND_REASON[kind])
    # ID_NUMBER: the ID rule applies only where column ``[0]`` holds one of the canonical
    # values ``[1]``; elsewhere the cell is free text (a foreign party's passport number)
    checked_when: tuple[str, tuple[str, ...]] | None = None
    keyed_hash: bool = False  # TEXT PII kept as a keyed hash too (a child's case number)
    # the header must be there though cells may be empty (None: as `required`): a column the
    # contract does not call optional whose value only some rows need (婚姻登记's party IDs,
    # "required for marriage and divorce")
    header: bool | None = None

    @property
    def hashed(self) -> bool:
        """Stage 1 writes ``<name>_hash`` beside it: ID numbers, and texts marked keyed_hash."""
        return self.kind is Kind.ID_NUMBER or self.keyed_hash

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.zh, self.name, *self.aliases)


@dataclass(frozen=True)
class Lookup:
    """A stage-2 rule against another source, judged in DuckDB on the source's rows ``s``:
    after ``join`` (SQL, may be empty), a row where ``broken`` (SQL condition) holds gets
    ``reason`` charged to ``column``; ``detail`` is an SQL text expression (Chinese / English).
    """

    column: str
    reason: str
    broken: str
    detail: str
    join: str = ""
    # the join reads other rows of the same load (``_ing_p``): the source cannot be appended
    # to, every load judges all its files again (ingest/append.py)
    reads_own_rows: bool = False
    # the rule only asks that a value exist among the rows the join reads from other sources
    # ("in the roster"): a row it passes still passes when those sources only gain rows, so a
    # source whose dependencies only grew judges again only the rows it set aside (append.py)
    existence_only: bool = False


# Indicator catalogue: indicator -> its breakdowns (ingest/catalogue.py)
Catalogue = dict[str, tuple[str, ...]]

DATE_FLOOR = 2000  # months, dates and datetimes before this year are typos (stage 2)


@dataclass(frozen=True)
class Source:
    name: str
    zh: str
    columns: tuple[Column, ...]
    monthly: bool = False  # has a `month` column; one roster per month
    agency: str = "民政局"  # default source agency (manifest)
    depends_on: tuple[str, ...] = ()  # sources that must be loaded first (cross-checks)
    uses_catalogue: bool = False  # its rules read the indicator catalogue (dbt seed)
    # Stage 1 (polars), across the columns of one row: catalogue -> [ingest.rules.Rule]
    row_rules: Callable[[Catalogue], list] | None = None
    # Stage 1: code lists known only at run time (catalogue -> {column: codes})
    run_codes: Callable[[Catalogue], dict[str, dict]] | None = None
    # Stage 1: an empty optional value read as this canonical value (column -> value)
    defaults: dict[str, str] = field(default_factory=dict)
    # Stage 2 (DuckDB): SELECT over ``_ing_p`` adding columns the lookups need (view ``_ing_s``),
    # each row of ``_ing_p`` exactly once (a rebuild's write checks it: ingest/output.py)
    judged_sql: str | None = None
    lookups: tuple[Lookup, ...] = ()  # Stage 2: rules against other sources
    date_floors: dict[str, int] = field(default_factory=dict)  # column -> earliest year
    # Great Expectations: suite items beyond the ones derived from the columns, as
    # (expectation class, arguments); the batch query they need (``{cols}``, ``{only}``:
    # see orchestration/expectations.py) and the sources it reads besides this one
    expectations: tuple[tuple[str, dict], ...] = ()
    expectation_batch: str | None = None
    expectation_reads: tuple[str, ...] = ()
    # §7 reporting completeness: a monthly roster every township is expected to send each
    # month; its township comes from its own region_code, or for a roster without one from
    # the region of its person in another source (source, join column), e.g. veterans
    completeness: bool = False
    region_from: tuple[str, str] | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        """Columns that must be present in the header (every contract column but optional ones)."""
        return tuple(c for c in self.columns if (c.required if c.header is None else c.header))

    @property
    def pii_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.pii)

    @property
    def appendable(self) -> bool:
        """New files can be judged alone (no lookup reads the source's other rows)."""
        return not any(lk.reads_own_rows for lk in self.lookups)

    @property
    def reasons_judged_again_on_growth(self) -> tuple[str, ...] | None:
        """The reasons whose rows are judged again when the sources this one depends on only
        gained rows, or None when such a change needs a rebuild: every rule against another
        source must be an existence rule (``Lookup.existence_only``, and a region code in the
        regions table), and no ``judged_sql`` may read other sources. ``regions`` itself is
        never appended to (its parent rule reads its own rows), so it never grows: the
        region reason is judged again only beside a lookup whose source grew, and a source
        that depends on ``regions`` alone is rebuilt when ``regions`` changes."""
        if self.judged_sql or not all(lk.existence_only for lk in self.lookups):
            return None
        regions = ("unknown_region",) if any(
            c.kind is Kind.REGION for c in self.columns) else ()
        return tuple(sorted({lk.reason for lk in self.lookups} | set(regions)))

    def date_floor(self, column: str) -> int:
        """Earliest year a date of ``column`` may have (the contract's sane window)."""
        return self.date_floors.get(column, DATE_FLOOR)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


YES_NO = {
    "yes": ("是", "Y", "y", "true", "True", "1"),
    "no": ("否", "N", "n", "false", "False", "0"),
}

# 城乡分类代码 of a village (统计用区划代码和城乡划分代码) -> (name, area class, area). The area
# class is the contract's: 11x city, 12x town, 2xx rural; the area: city and town are urban.
URBAN_RURAL_CLASSES = {
    "111": ("主城区", "city", "urban"),
    "112": ("城乡结合区", "city", "urban"),
    "121": ("镇中心区", "town", "urban"),
    "122": ("镇乡结合区", "town", "urban"),
    "123": ("特殊区域", "town", "urban"),
    "210": ("乡中心区", "rural", "rural"),
    "220": ("村庄", "rural", "rural"),
}
# the code list of `regions.urban_rural_code`: the code, or its name
URBAN_RURAL_CODES = {code: (name,) for code, (name, _, _) in URBAN_RURAL_CLASSES.items()}

# 低保 tier rule (data contract, indicators.md): (program, village area class) -> the tier
# whose standard applies. An urban household in a city village -> city, in a town village ->
# town; everything else -> rural, including a village without an area class (None: not in
# the regions table or no class; a loaded household always has a classified village, as
# the regions rules require it, but stage 2 judges rows before their region is checked).
DIBAO_TIER_RULES = (
    ("urban", "city", "city"),
    ("urban", "town", "town"),
    ("urban", "rural", "rural"),
    ("urban", None, "rural"),
    ("rural", "city", "rural"),
    ("rural", "town", "rural"),
    ("rural", "rural", "rural"),
    ("rural", None, "rural"),
)

HAZARDS = {
    z: ()
    for z in (
        "洪涝",
        "风雹",
        "干旱",
        "台风",
        "低温冷冻",
        "雪灾",
        "地震",
        "地质灾害",
        "森林火灾",
        "其他",
    )
}

VETERAN_CATEGORIES = {
    "disabled": ("残疾军人",),
    "martyr_family": ("烈士遗属",),
    "duty_death_family": ("因公牺牲军人遗属",),
    "illness_death_family": ("病故军人遗属",),
    "demobilized": ("在乡复员军人",),
    "returned_ill": ("带病回乡退伍军人",),
    "war_veteran": ("参战参试退役人员",),
    "rural_veteran": ("农村籍退役士兵",),
    # v2
    "martyr_children": ("部分烈士（错杀被平反）人员子女", "部分烈士(错杀被平反)人员子女", "部分烈士子女"),
}

BENEFITS = {
    "disability_pension": ("残疾抚恤金",),
    "survivor_pension": ("定期抚恤金",),
    "living_allowance": ("定期生活补助",),
    "war_allowance": ("参战参试补贴",),
    "elderly_allowance": ("老年生活补贴",),
    "conscript_family_allowance": ("义务兵家庭优待金",),
    "martyr_children_allowance": ("部分烈士子女生活补助",),  # v2
}

PLACEMENTS = {
    "self_employed": ("自主就业",),
    "assigned_job": ("安排工作",),
    "retired": ("退休",),
    "supported": ("供养",),
    "pending": ("待安置",),
}

# The registry: one module per source under ingest/sources/, in an order where every source
# comes after the ones it depends on. Built on first use (PEP 562), so that a source module
# may import this one whichever of the two is imported first.
SOURCE_MODULES = (
    "regions",
    "dibao_standards",
    "targets",
    "dibao_households",
    "dibao_members",
    "tekun_persons",
    "lowincome_households",
    "temp_assistance",
    "disaster_reports",
    "disaster_relief",
    "disaster_officers",
    "veterans",
    "veteran_payments",
    "soldiers_received",
    "deaths",
    "marriage_registrations",
    "cremations",
    "burial_enforcement",
    "social_organizations",
    "social_org_inspections",
    "vagrant_assistance",
    "community_committees",
    "elderly_subsidy_standards",
    "elderly_subsidies",
    "senior_cards",
    "child_welfare_standards",
    "child_welfare_payments",
    "medical_assistance",
    "insurance_subsidies",
)


@cache
def _registry() -> dict[str, Source]:
    out: dict[str, Source] = {}
    for name in SOURCE_MODULES:
        src = import_module(f"ingest.sources.{name}").SOURCE
        if src.name != name or not set(src.depends_on) <= set(out):
            raise RuntimeError(f"ingest/sources/{name}.py: wrong name or load order")
        out[name] = src
    return out


def __getattr__(name: str):
    if name == "SOURCES":
        return _registry()
    if name == "LOAD_ORDER":
        return tuple(_registry())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Columns every raw table carries besides the contract columns.
RAW_META_COLUMNS = {
    "_file_sha256": "VARCHAR",  # content hash of the file the row came from
    "_source_file": "VARCHAR",  # path of that file relative to the inbox
    "_row_number": "INTEGER",  # 1-based row (xlsx) or line (csv) number in that file
    "_rid": "INTEGER",  # the row's index among the file's parsed rows: unique in the file,
    # where _row_number repeats across the sheets of a workbook (append and GX key on it)
    "_loaded_at": "TIMESTAMP",
    "_extra": "JSON",  # non-contract columns of the row, header -> text
}


def hash_column(column: str) -> str:
    """Raw-layer name of the keyed hash (HMAC-SHA256 hex) kept beside an ID-number column."""
    return f"{column}_hash"


def raw_columns(source: str) -> dict[str, str]:
    """Every column of ``raw.<source>`` with its DuckDB type, in order."""
    src = _registry()[source]
    cols: dict[str, str] = {}
    for c in src.columns:
        cols[c.name] = KIND_SQL_TYPE[c.kind]
        if c.hashed:
            cols[hash_column(c.name)] = "VARCHAR"
    cols.update(RAW_META_COLUMNS)
    return cols
