"""One release in memory: the rows, the monthly rows and the typed manifest the pages render.

The release package (orchestration/release) builds a `ReleaseView` once, from the validated
indicator frames when it publishes, or from indicators.json + manifest.json (+ monthly.csv)
of a release already on disk. The pages only read it; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ingest import labels
from ingest.periods import PeriodError, parse_period

LEVELS = ("province", "city", "district", "township")  # top down; city/province: roll-ups
WHOLE_WORDS = {"province": "全省", "city": "全市", "district": "全区"}
PART_WORDS = {"city": ("市", "市"), "district": ("区（县）", "区县"),
              "township": ("乡镇（街道）", "乡镇")}
KINDS = ("count", "sum", "rate", "ratio", "difference", "standard")
RUN_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"


def elapsed_pct(period: str) -> Decimal:
    """The period's share of the year, in %: its months ÷ 12 (indicators.md §5).

    The completion rate is the indicator's value *over the period* ÷ the annual target, so it
    is measured against the part of the year the period covers: 2025H1 and 2025Q1-to-date
    ranges as before (50, 75 for 2025-01/2025-09), 2025 → 100, but 2025-03 → 8.33 (March
    alone, not January to March), 2025H2 → 50, 2025Q3 → 25. A target is on schedule when
    its completion rate is ≥ this share; at H1 that is the 时间过半、任务过半 rule. (It was
    the share of the year passed at the period's last month, so an H2 release showed every
    target behind a 100 % line with half the year's value.)"""
    return Decimal(len(parse_period(period).months) * 100) / 12


def on_schedule(rate: Decimal | float, period: str) -> bool:
    return Decimal(str(rate)) >= elapsed_pct(period)


def progress_label(period: str) -> str:
    """What `elapsed_pct` is called: '时间进度' for a period from January (the year to
    date), '本期占全年时间' for one that starts later (2025H2, 2025-03)."""
    return "时间进度" if parse_period(period).first_month.month == 1 else "本期占全年时间"


def progress_words(period: str) -> str:
    """'时间过半、任务过半' for a half-year H1 (indicators.md §5), else '<progress_label> N%'."""
    if parse_period(period).code.endswith("H1"):
        return "时间过半、任务过半"
    return f"{progress_label(period)} {elapsed_pct(period):.0f}%"


KIND_ZH = {"month": "月", "quarter": "季", "half_year": "半年", "year": "年"}


def period_zh(period: str) -> str:
    """The pages' title words, `Period.label_zh`: 2025H1 → 2025年上半年, 2025Q3 → 2025年第三季度,
    2025 → 2025年, 2025-06 → 2025年6月, 2025-01/2025-09 → 2025年1-9月份."""
    return parse_period(period).label_zh


def period_kind_zh(period: str) -> str:
    """The kind of a period as a title says it: 月, 季, 半年, 年, or the months of a range
    (2025-01/2025-09 → 1-9月)."""
    p = parse_period(period)
    if p.kind in KIND_ZH:
        return KIND_ZH[p.kind]
    return f"{p.months[0].month}-{p.months[-1].month}月"


def period_words(period: str) -> str:
    """The summary's wording: 2025H1 → 2025年1-6月份, 2025H2 → 2025年7-12月份, 2025 → 2025年,
    2025-06 → 2025年6月 (the pages say 上半年/下半年, `period_zh`); a quarter or a month range
    as `Period.label_zh` (2025年第三季度, 2025年1-9月份)."""
    p = parse_period(period)
    if p.kind in ("quarter", "range"):
        return p.label_zh
    code = p.code
    if "-" in code:
        return f"{code[:4]}年{int(code[5:])}月"
    if "H" in code:
        return f"{code[:4]}年{'1-6' if code.endswith('1') else '7-12'}月份"
    return f"{code}年"


class _Open(BaseModel):
    """Keys the model does not name are kept as they are (a manifest may grow)."""

    model_config = ConfigDict(extra="allow")


class InputFile(_Open):
    path: str = ""
    source: str = ""
    sha256: str = ""
    status: str = ""
    reason: str | None = None
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_quarantined: int | None = None


class Check(_Open):
    name: str
    asset: str = ""
    severity: Literal["error", "warning"]
    passed: bool
    waived: bool = False
    description: str = ""
    detail: str = ""

    @property
    def outcome(self) -> str:
        return labels.check_outcome(self.passed, self.waived, self.severity)


class Waiver(_Open):
    check: str
    period: str = ""
    by: str = ""
    reason: str = ""
    at: str = ""


class Manifest(_Open):
    """manifest.json of a release. Raises pydantic.ValidationError naming the bad key."""

    period: str
    run_id: str = Field(pattern=RUN_ID)
    created_at: str
    published_by: str = Field(min_length=1)
    inputs: list[InputFile] = []
    checks: list[Check] = []
    waivers: list[Waiver] = []
    quarantine_reasons: dict[str, dict[str, int]] = {}  # every quarantined row
    # those that count for the period (gate §7); None: a release from before it was written
    quarantine_reasons_period: dict[str, dict[str, int]] | None = None
    completeness: dict[str, dict[str, dict[str, int]]] = {}
    source_agencies: dict[str, str] = {}
    files: dict[str, str] = {}

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        try:
            return parse_period(v).code
        except PeriodError as e:
            raise ValueError(str(e)) from None

    @field_validator("created_at", mode="before")
    @classmethod
    def _created_at(cls, v) -> str:
        text = v.isoformat(timespec="seconds") if isinstance(v, datetime) else str(v or "")
        try:
            datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} 不是ISO时间 is not an ISO date-time") from None
        return text

    @property
    def gate(self) -> tuple[str, int]:
        """(通过 / 经豁免通过 / 未通过, number of failed warnings) of the release's checks."""
        failed = [c for c in self.checks if c.severity == "error" and not c.passed]
        warnings = sum(1 for c in self.checks if c.severity == "warning" and not c.passed)
        if any(not c.waived for c in failed):
            return labels.FAILED, warnings
        return ("经豁免通过" if failed else labels.PASSED), warnings

    @property
    def gate_words(self) -> str:
        word, warnings = self.gate
        return f"{word}（{warnings} 项警告）" if warnings else word


def multiplier(unit: str) -> Decimal:
    """× 100 for a figure published in % (every rate, and ratios such as 再婚比例 and
    女性成员比例), × 1 otherwise (元, 倍): the rule the marts publish by and the mart's
    consistency check tests (value = numerator ÷ denominator × 100 where the unit is %)."""
    return Decimal(100) if unit == "%" else Decimal(1)


def change_of(value: Decimal, earlier: Decimal | None, pct: Decimal | None,
              value_kind: str) -> tuple[Decimal, str] | None:
    """How a release says a figure's change from an earlier value (环比 or 同比): for a
    `difference` (城乡低保率差距, in 百分点) the change in points, (value − earlier,
    "个百分点"), since its change_pct divides by a base that may be negative or zero (a gap
    from −2.00 to −1.00 is −50 %); for any other figure (change_pct or yoy_pct, "%"). None
    where there is none (no earlier value; no percentage, its base being 0). summary.md,
    the pages and nothing else say it otherwise."""
    if value_kind == "difference":
        return None if earlier is None else (value - earlier, "个百分点")
    return None if pct is None else (pct, "%")


def figure_text(value: Decimal, value_kind: str) -> str:
    """A value as indicators.csv writes it: a count whole, everything else with 2 decimals."""
    return str(int(value)) if value_kind == "count" else f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class Row:
    """One published indicator value. `value` is as published: whole for counts, 2 decimals
    otherwise; numerator and denominator only for rates and ratios (and as given for the
    other non-count kinds)."""

    period: str
    region_code: str
    region_name: str
    region_level: str  # province | city | district | township
    indicator: str
    indicator_name: str
    domain: str
    breakdown: str
    value: Decimal
    unit: str
    value_kind: str  # count | sum | rate | ratio | difference | standard
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.region_code, self.indicator, self.breakdown)

    @property
    def text(self) -> str:
        """The value as written in indicators.csv and in the summary."""
        return figure_text(self.value, self.value_kind)

    @property
    def breakdown_name(self) -> str | None:
        """The breakdown in Chinese (an age band's too: 80–89岁); None for one without."""
        name = labels.breakdown_zh(self.breakdown, self.indicator)
        return None if name == self.breakdown else name

    @property
    def is_fraction(self) -> bool:
        return self.value_kind in ("rate", "ratio")

    @property
    def exact(self) -> Decimal:
        """A rate's or ratio's value unrounded, numerator ÷ denominator × `multiplier`, where
        that rounds half-up to the published value; the published value otherwise. A figure
        of fewer decimals is rounded once from it (1087 ÷ 2499 = 43.497 % is 43, where the
        published 43.50 would give 44)."""
        if not self.is_fraction or self.numerator is None or not self.denominator:
            return self.value
        exact = self.numerator * multiplier(self.unit) / self.denominator
        two = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return exact if two == self.value else self.value


@dataclass(frozen=True)
class Comparison:
    """One row of comparisons.csv (indicators.md §6): the value of the previous period and of
    the same period a year earlier, and the change in % (环比 change_pct, 同比 yoy_pct);
    None where the earlier value is missing or 0."""

    previous_period: str | None = None
    previous_value: Decimal | None = None
    change_pct: Decimal | None = None
    last_year_period: str | None = None
    last_year_value: Decimal | None = None
    yoy_pct: Decimal | None = None


@dataclass
class ReleaseView:
    """A release as the pages see it: rows of one period, monthly rows (None when the release
    has no monthly.csv), the manifest, and the comparisons keyed by (region_code, indicator,
    breakdown) (None when the release has no comparisons.csv).

    The top region is the city of a city release (region_level `city`, indicators.md §9),
    else the district; its sub-regions (`townships`) are the level below it."""

    manifest: Manifest
    rows: list[Row]
    monthly: list[Row] | None = None
    comparisons: dict[tuple[str, str, str], Comparison] | None = None
    _by_key: dict = field(init=False, repr=False)
    _monthly: dict = field(init=False, repr=False)
    _top: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {r.key: r for r in self.rows}
        top = min(self.rows, key=lambda r: (LEVELS.index(r.region_level), r.key), default=None)
        self._top = None if top is None else top.region_code
        self._monthly = {(r.period, *r.key): r for r in self.monthly or []}

    @property
    def period(self) -> str:
        return self.manifest.period

    @property
    def period_label(self) -> str:
        return period_zh(self.period)

    @property
    def period_kind(self) -> str:
        return period_kind_zh(self.period)

    @property
    def months(self) -> list[str]:
        """The months YYYY-MM of the period."""
        return parse_period(self.period).month_codes()

    # The views below are built once per view: the pages of the bench province's 990 townships
    # ask for them per township and per chart, and a scan of every row per question took the
    # release step of a v2 province from seconds to more than ten minutes (issue 18). The
    # rows are not changed after the view is made (a new view is made instead).

    @cached_property
    def monthly_months(self) -> list[str]:
        """The months that have monthly rows."""
        return sorted({r.period for r in self.monthly or []})

    @property
    def elapsed_pct(self) -> Decimal:
        return elapsed_pct(self.period)

    @cached_property
    def top_level(self) -> str:
        """The level of the release's own region: `district`, or `city`/`province` of a
        roll-up."""
        top = self._by_key and next((r for r in self.rows if r.region_code == self._top), None)
        return top.region_level if top else "district"

    @property
    def sub_level(self) -> str:
        """The level below the top one (a district's townships, a city's districts); the
        township level itself in a release without a district row (summary.py says so)."""
        return LEVELS[min(LEVELS.index(self.top_level) + 1, len(LEVELS) - 1)]

    @property
    def whole_word(self) -> str:
        """'全区' in a district's release, '全市' / '全省' in a roll-up's (pages' wording)."""
        return WHOLE_WORDS.get(self.top_level, WHOLE_WORDS["district"])

    @property
    def part_word(self) -> str:
        """The sub-regions as the pages name them: 乡镇（街道）, or 区（县） / 市 in a roll-up."""
        return PART_WORDS[self.sub_level][0]

    @property
    def part_short(self) -> str:
        """The short form of `part_word` in running text: 乡镇, 区县, 市."""
        return PART_WORDS[self.sub_level][1]

    @property
    def district(self) -> str | None:
        """The release's own region: the district, or the city/province of a roll-up."""
        return self._top

    @property
    def district_name(self) -> str:
        return self.regions.get(self.district or "", "")

    @cached_property
    def regions(self) -> dict[str, str]:
        return dict(sorted({(r.region_code, r.region_name) for r in self.rows}))

    @cached_property
    def townships(self) -> dict[str, str]:
        """code → name of the sub-regions (townships; the districts of a city release)."""
        level = self.sub_level
        return dict(sorted({(r.region_code, r.region_name) for r in self.rows
                            if r.region_level == level}))

    def row(self, indicator: str, breakdown: str = "total", region: str | None = None):
        return self._by_key.get((region or self.district, indicator, breakdown))

    def value(self, indicator: str, breakdown: str = "total",
              region: str | None = None) -> float | None:
        r = self.row(indicator, breakdown, region)
        return None if r is None else float(r.value)

    def comparison(self, indicator: str, breakdown: str = "total",
                   region: str | None = None) -> Comparison | None:
        return (self.comparisons or {}).get((region or self.district, indicator, breakdown))

    def series(self, indicator: str, breakdown: str = "total",
               region: str | None = None) -> list[float | None]:
        """The region's (default: the top region's) value in each month with monthly rows."""
        out = []
        for m in self.monthly_months:
            r = self._monthly.get((m, region or self.district, indicator, breakdown))
            out.append(None if r is None else float(r.value))
        return out

    def breakdowns(self, indicator: str) -> list[str]:
        """The breakdowns of the release's own region (a roll-up's districts have more)."""
        return self._breakdowns.get(indicator, [])

    @cached_property
    def _breakdowns(self) -> dict[str, list[str]]:
        found: dict[str, set[str]] = {}
        for r in self.rows:
            if r.region_code == self.district:
                found.setdefault(r.indicator, set()).add(r.breakdown)
        return {indicator: sorted(b) for indicator, b in found.items()}

    def name(self, indicator: str) -> str:
        return self._names.get(indicator, indicator)

    @cached_property
    def _names(self) -> dict[str, str]:
        """indicator → the name on its first row."""
        names: dict[str, str] = {}
        for r in self.rows:
            names.setdefault(r.indicator, r.indicator_name)
        return names

    def domain_rows(self, domain: str, region: str | None = None) -> list[Row]:
        """The rows of one domain for a region (default: the top region), sorted by key."""
        return list(self._by_domain_region.get((domain, region or self.district), ()))

    @cached_property
    def _by_domain_region(self) -> dict[tuple[str, str], list[Row]]:
        """(domain, region_code) → its rows sorted by key."""
        grouped: dict[tuple[str, str], list[Row]] = {}
        for r in self.rows:
            grouped.setdefault((r.domain, r.region_code), []).append(r)
        return {k: sorted(rows, key=lambda r: r.key) for k, rows in grouped.items()}

    def has_domain(self, domain: str) -> bool:
        return domain in self._domains

    @cached_property
    def _domains(self) -> set[str]:
        return {r.domain for r in self.rows}
