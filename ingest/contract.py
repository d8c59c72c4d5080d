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

from dataclasses import dataclass, field
from enum import StrEnum


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

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.zh, self.name, *self.aliases)


@dataclass(frozen=True)
class Source:
    name: str
    zh: str
    columns: tuple[Column, ...]
    monthly: bool = False  # has a `month` column; one roster per month
    agency: str = "民政局"  # default source agency (manifest)
    depends_on: tuple[str, ...] = ()  # sources that must be loaded first (cross-checks)

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        """Columns that must be present in the header (every contract column but optional ones)."""
        return tuple(c for c in self.columns if c.required)

    @property
    def pii_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.pii)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _c(name: str, zh: str, kind: Kind, **kw) -> Column:
    return Column(name=name, zh=zh, kind=kind, **kw)


YES_NO = {
    "yes": ("是", "Y", "y", "true", "True", "1"),
    "no": ("否", "N", "n", "false", "False", "0"),
}

URBAN_RURAL_CODES = {
    "111": ("主城区",),
    "112": ("城乡结合区",),
    "121": ("镇中心区",),
    "122": ("镇乡结合区",),
    "123": ("特殊区域",),
    "210": ("乡中心区",),
    "220": ("村庄",),
}

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
}

BENEFITS = {
    "disability_pension": ("残疾抚恤金",),
    "survivor_pension": ("定期抚恤金",),
    "living_allowance": ("定期生活补助",),
    "war_allowance": ("参战参试补贴",),
    "elderly_allowance": ("老年生活补贴",),
    "conscript_family_allowance": ("义务兵家庭优待金",),
}

PLACEMENTS = {
    "self_employed": ("自主就业",),
    "assigned_job": ("安排工作",),
    "retired": ("退休",),
    "supported": ("供养",),
    "pending": ("待安置",),
}

SOURCES: dict[str, Source] = {}


def _register(src: Source) -> Source:
    SOURCES[src.name] = src
    return src


REGIONS = _register(
    Source(
        "regions",
        "行政区划及人口",
        (
            _c("region_code", "区划代码", Kind.REGION_CODE, key=True, aliases=("行政区划代码",)),
            _c("region_name", "名称", Kind.TEXT, aliases=("区划名称", "名 称")),
            _c(
                "level",
                "层级",
                Kind.CODE,
                codes={
                    DISTRICT: ("区县", "区", "县"),
                    TOWNSHIP: ("乡镇街道", "乡镇", "街道"),
                    VILLAGE: ("村居", "村", "社区"),
                },
            ),
            _c(
                "parent_code",
                "上级代码",
                Kind.REGION_CODE,
                required=False,
                aliases=("上级区划代码",),
            ),
            _c(
                "urban_rural_code",
                "城乡分类代码",
                Kind.CODE,
                required=False,
                codes=URBAN_RURAL_CODES,
            ),
            _c("resident_population", "常住人口", Kind.COUNT, required=False),
            _c("registered_population", "户籍人口", Kind.COUNT, required=False),
        ),
    )
)

DIBAO_STANDARDS = _register(
    Source(
        "dibao_standards",
        "低保标准",
        (
            _c("effective_month", "执行月份", Kind.MONTH, key=True),
            _c(
                "tier",
                "标准类别",
                Kind.CODE,
                key=True,
                codes={"city": ("城市",), "town": ("城镇",), "rural": ("农村",)},
            ),
            _c("monthly_standard", "月保障标准", Kind.MONEY, aliases=("保障标准",)),
        ),
    )
)

TARGETS = _register(
    Source(
        "targets",
        "年度目标任务",
        (
            _c("year", "年度", Kind.YEAR, key=True),
            _c("indicator", "指标代码", Kind.CODE, key=True),  # codes: indicator catalogue
            _c("breakdown", "口径", Kind.CODE, key=True, required=False),  # empty = total
            _c("target_value", "年度目标值", Kind.QUANTITY),  # > 0
        ),
    )
)

DIBAO_HOUSEHOLDS = _register(
    Source(
        "dibao_households",
        "城乡低保资金发放名册",
        (
            _c("month", "发放月份", Kind.MONTH, key=True),
            _c("household_id", "户编号", Kind.TEXT, key=True),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c(
                "program",
                "保障类型",
                Kind.CODE,
                codes={"urban": ("城市低保", "城市"), "rural": ("农村低保", "农村")},
            ),
            _c("head_name", "户主姓名", Kind.TEXT, pii=True),
            _c(
                "head_id_number",
                "户主身份证号",
                Kind.ID_NUMBER,
                pii=True,
                aliases=("户主身份证号码",),
            ),
            _c("family_size", "家庭人口", Kind.COUNT, min_count=1, aliases=("家庭人口数",)),
            _c("covered_persons", "保障人数", Kind.COUNT, min_count=1),
            _c("per_capita_income", "家庭月人均收入", Kind.MONEY),
            _c("monthly_amount", "月保障金额", Kind.MONEY, aliases=("保障金额",)),
            _c("bank_account", "银行账号", Kind.TEXT, required=False, pii=True),
        ),
        monthly=True,
        depends_on=("regions", "dibao_standards"),
    )
)

DIBAO_MEMBERS = _register(
    Source(
        "dibao_members",
        "低保家庭成员",
        (
            _c("household_id", "户编号", Kind.TEXT),
            _c("name", "姓名", Kind.TEXT, pii=True),
            _c(
                "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
            ),
            _c(
                "relation",
                "与户主关系",
                Kind.CODE,
                codes={z: () for z in ("户主", "配偶", "子女", "父母", "其他")},
            ),
            _c("covered", "是否保障对象", Kind.BOOL),
        ),
        depends_on=("dibao_households",),
    )
)

TEKUN_PERSONS = _register(
    Source(
        "tekun_persons",
        "特困人员救助供养名册",
        (
            _c("month", "发放月份", Kind.MONTH, key=True),
            _c("name", "姓名", Kind.TEXT, pii=True),
            _c(
                "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
            ),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c(
                "care_type",
                "供养方式",
                Kind.CODE,
                codes={"centralized": ("集中供养",), "dispersed": ("分散供养",)},
            ),
            _c("monthly_amount", "月供养金额", Kind.MONEY),
        ),
        monthly=True,
        depends_on=("regions",),
    )
)

LOWINCOME_HOUSEHOLDS = _register(
    Source(
        "lowincome_households",
        "低收入家庭认定",
        (
            _c("household_id", "户编号", Kind.TEXT, key=True),
            _c(
                "head_id_number",
                "户主身份证号",
                Kind.ID_NUMBER,
                pii=True,
                aliases=("户主身份证号码",),
            ),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c("family_size", "家庭人口", Kind.COUNT, min_count=1, aliases=("家庭人口数",)),
            _c("per_capita_income", "家庭月人均收入", Kind.MONEY),
            _c("assessed_on", "认定日期", Kind.DATE),
        ),
        depends_on=("regions",),
    )
)

TEMP_ASSISTANCE = _register(
    Source(
        "temp_assistance",
        "临时救助发放记录",
        (
            _c("case_id", "救助编号", Kind.TEXT, key=True),
            _c("applicant_id_number", "申请人身份证号", Kind.ID_NUMBER, pii=True),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c("paid_on", "救助日期", Kind.DATE),
            _c(
                "reason",
                "救助原因",
                Kind.CODE,
                codes={z: () for z in ("火灾", "交通事故", "突发重病", "自然灾害", "其他")},
            ),
            _c("persons", "救助人数", Kind.COUNT, min_count=1),
            _c("amount", "救助金额", Kind.MONEY),
        ),
        depends_on=("regions",),
    )
)

DISASTER_REPORTS = _register(
    Source(
        "disaster_reports",
        "自然灾害情况报告",
        (
            _c("event_id", "灾害编号", Kind.TEXT, key=True),
            _c("hazard", "灾种", Kind.CODE, codes=HAZARDS),
            _c("region_code", "区划代码", Kind.REGION, key=True, level=TOWNSHIP),
            _c(
                "stage",
                "报告阶段",
                Kind.CODE,
                key=True,
                codes={"initial": ("初报",), "update": ("续报",), "final": ("核报",)},
            ),
            _c("started_at", "灾害发生时间", Kind.DATETIME),
            _c("reported_at", "报告时间", Kind.DATETIME, key=True),
            _c("affected_persons", "受灾人口", Kind.COUNT),
            _c("relocated_persons", "紧急转移安置人口", Kind.COUNT),
            _c("crop_affected_ha", "农作物受灾面积（公顷）", Kind.QUANTITY),
            _c("crop_failed_ha", "农作物绝收面积（公顷）", Kind.QUANTITY),
            _c("collapsed_households", "倒塌房屋户数", Kind.COUNT),
            _c("collapsed_rooms", "倒塌房屋间数", Kind.COUNT),
            _c("damaged_households", "损坏房屋户数", Kind.COUNT),
            _c("damaged_rooms", "损坏房屋间数", Kind.COUNT),
            _c("direct_loss_10k", "直接经济损失（万元）", Kind.QUANTITY),
        ),
        agency="应急管理局",
        depends_on=("regions",),
    )
)

DISASTER_RELIEF = _register(
    Source(
        "disaster_relief",
        "救灾款物发放",
        (
            _c("relief_id", "发放编号", Kind.TEXT, key=True),
            _c("event_id", "灾害编号", Kind.TEXT),
            _c("region_code", "区划代码", Kind.REGION, level=TOWNSHIP),
            _c("paid_at", "发放时间", Kind.DATETIME),
            _c("persons", "救助人数", Kind.COUNT),
            _c("funds", "救灾资金（元）", Kind.MONEY),
            _c("quilts", "棉被（床）", Kind.COUNT, required=False),
            _c("clothes", "衣物（件）", Kind.COUNT, required=False),
            _c("grain_kg", "粮食（公斤）", Kind.QUANTITY, required=False),
        ),
        agency="应急管理局",
        depends_on=("regions", "disaster_reports"),
    )
)

DISASTER_OFFICERS = _register(
    Source(
        "disaster_officers",
        "灾害信息员名册",
        (
            _c("name", "姓名", Kind.TEXT, pii=True),
            _c(
                "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
            ),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c("phone", "联系电话", Kind.PHONE, pii=True, aliases=("手机号码", "电话")),
            _c("active", "在岗", Kind.BOOL, aliases=("是否在岗",)),
        ),
        agency="应急管理局",
        depends_on=("regions",),
    )
)

VETERANS = _register(
    Source(
        "veterans",
        "优抚对象名册",
        (
            _c("name", "姓名", Kind.TEXT, pii=True),
            _c(
                "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
            ),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c("category", "优抚类别", Kind.CODE, codes=VETERAN_CATEGORIES),
            _c("disability_grade", "残疾等级", Kind.COUNT, required=False),
            _c("recognised_on", "认定日期", Kind.DATE),
            _c("ended_on", "注销日期", Kind.DATE, required=False),
        ),
        agency="退役军人事务局",
        depends_on=("regions",),
    )
)

VETERAN_PAYMENTS = _register(
    Source(
        "veteran_payments",
        "优抚金发放",
        (
            _c("month", "发放月份", Kind.MONTH, key=True),
            _c(
                "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
            ),
            _c("benefit", "待遇类型", Kind.CODE, key=True, codes=BENEFITS),
            _c("amount", "金额", Kind.MONEY, aliases=("发放金额",)),
        ),
        monthly=True,
        agency="退役军人事务局",
        depends_on=("veterans",),
    )
)

SOLDIERS_RECEIVED = _register(
    Source(
        "soldiers_received",
        "退役士兵接收安置",
        (
            _c("name", "姓名", Kind.TEXT, pii=True),
            _c(
                "id_number", "身份证号", Kind.ID_NUMBER, key=True, pii=True, aliases=("身份证号码",)
            ),
            _c("region_code", "区划代码", Kind.REGION, level=VILLAGE),
            _c(
                "rank_type",
                "退役类别",
                Kind.CODE,
                codes={"conscript": ("义务兵",), "nco": ("士官",)},
            ),
            _c("received_on", "接收日期", Kind.DATE),
            _c("placement", "安置方式", Kind.CODE, codes=PLACEMENTS),
            _c("one_off_subsidy", "一次性补助金", Kind.MONEY),
        ),
        agency="退役军人事务局",
        depends_on=("regions",),
    )
)

# Sources in an order where every source comes after the ones it depends on.
LOAD_ORDER: tuple[str, ...] = tuple(SOURCES)


# Area class of a village's urban-rural code: 11x city, 12x town, 2xx rural.
def area_class(urban_rural_code: str | None) -> str | None:
    if not urban_rural_code:
        return None
    return {"11": "city", "12": "town"}.get(
        urban_rural_code[:2], "rural" if urban_rural_code[0] == "2" else None
    )


# Columns every raw table carries besides the contract columns.
RAW_META_COLUMNS = {
    "_file_sha256": "VARCHAR",  # content hash of the file the row came from
    "_source_file": "VARCHAR",  # path of that file relative to the inbox
    "_row_number": "INTEGER",  # 1-based row (xlsx) or line (csv) number in that file
    "_loaded_at": "TIMESTAMP",
    "_extra": "JSON",  # non-contract columns of the row, header -> text
}


def hash_column(column: str) -> str:
    """Raw-layer name of the keyed hash (HMAC-SHA256 hex) kept beside an ID-number column."""
    return f"{column}_hash"


def raw_columns(source: str) -> dict[str, str]:
    """Every column of ``raw.<source>`` with its DuckDB type, in order."""
    src = SOURCES[source]
    cols: dict[str, str] = {}
    for c in src.columns:
        cols[c.name] = KIND_SQL_TYPE[c.kind]
        if c.kind is Kind.ID_NUMBER:
            cols[hash_column(c.name)] = "VARCHAR"
    cols.update(RAW_META_COLUMNS)
    return cols
