"""Reading a release: indicators.csv, monthly.csv and manifest.json.

Pages never read the warehouse: every number comes from these files.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from dashboards.fmt import period_months

COLUMNS = (
    "period",
    "region_code",
    "region_name",
    "indicator",
    "indicator_name",
    "breakdown",
    "value",
    "unit",
    "numerator",
    "denominator",
)


class DashboardInputError(ValueError):
    """A release file the dashboards cannot use; the message names file, row, column, reason."""


@dataclass(frozen=True)
class Row:
    period: str
    region_code: str
    region_name: str
    indicator: str
    indicator_name: str
    breakdown: str
    value: float
    unit: str


def is_district(code: str) -> bool:
    return code.endswith("000000")


def is_township(code: str) -> bool:
    return code.endswith("000") and not is_district(code)


@dataclass
class Table:
    """Indicator rows of one file, looked up by (period, region, indicator, breakdown)."""

    rows: list[Row] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key = {(r.period, r.region_code, r.indicator, r.breakdown): r for r in self.rows}

    def get(self, period: str, region: str, indicator: str, breakdown: str = "total"):
        r = self._by_key.get((period, region, indicator, breakdown))
        return None if r is None else r.value

    def periods(self) -> list[str]:
        return sorted({r.period for r in self.rows})

    def regions(self) -> dict[str, str]:
        return dict(sorted({(r.region_code, r.region_name) for r in self.rows}))

    def breakdowns(self, indicator: str) -> list[str]:
        return sorted({r.breakdown for r in self.rows if r.indicator == indicator})

    def name(self, indicator: str) -> str:
        return next((r.indicator_name for r in self.rows if r.indicator == indicator), indicator)

    def unit(self, indicator: str) -> str:
        return next((r.unit for r in self.rows if r.indicator == indicator), "")


def read_table(path: Path) -> Table:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise DashboardInputError(
                    f"{path}: row 1 (header): missing column(s) {', '.join(missing)}"
                )
            rows = [_row(path, n, rec) for n, rec in enumerate(reader, start=2)]
    except UnicodeDecodeError as e:
        raise DashboardInputError(f"{path}: not UTF-8 text ({e.reason})") from None
    except OSError as e:
        raise DashboardInputError(f"{path}: cannot read ({e.strerror})") from None
    return Table(rows)


def _row(path: Path, n: int, rec: dict) -> Row:
    for col in ("period", "region_code", "indicator", "breakdown", "value"):
        if not (rec.get(col) or "").strip():
            raise DashboardInputError(f"{path}: row {n}, column {col}: empty")
    raw = rec["value"].strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise DashboardInputError(f"{path}: row {n}, column value: {raw!r} is not a number")
    return Row(
        period=rec["period"].strip(),
        region_code=rec["region_code"].strip(),
        region_name=(rec.get("region_name") or "").strip() or rec["region_code"].strip(),
        indicator=rec["indicator"].strip(),
        indicator_name=(rec.get("indicator_name") or "").strip() or rec["indicator"].strip(),
        breakdown=rec["breakdown"].strip(),
        value=value,
        unit=(rec.get("unit") or "").strip(),
    )


_MANIFEST_LISTS = ("inputs", "checks", "waivers")
_MANIFEST_DICTS = ("quarantine_reasons", "completeness", "source_agencies")


def read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise DashboardInputError(f"{path}: cannot read ({e.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DashboardInputError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(data, dict):
        raise DashboardInputError(f"{path}: expected a JSON object at the top level")
    for key in ("period", "run_id"):
        if not str(data.get(key) or "").strip():
            raise DashboardInputError(f"{path}: key {key!r} is missing or empty")
    try:
        period_months(str(data["period"]))
    except ValueError as e:
        raise DashboardInputError(f"{path}: key 'period': {e}") from None
    for key in _MANIFEST_LISTS:
        data.setdefault(key, [])
        if not isinstance(data[key], list):
            raise DashboardInputError(f"{path}: key {key!r} must be a list")
    for key in _MANIFEST_DICTS:
        data.setdefault(key, {})
        if not isinstance(data[key], dict):
            raise DashboardInputError(f"{path}: key {key!r} must be an object")
    for key in _MANIFEST_LISTS:
        for i, item in enumerate(data[key]):
            if not isinstance(item, dict):
                raise DashboardInputError(f"{path}: {key}[{i}] must be an object")
    for i, f in enumerate(data["inputs"]):
        for k in ("rows_read", "rows_loaded", "rows_quarantined"):
            _number(path, f"inputs[{i}].{k}", f.get(k), optional=True)
    for s, reasons in data["quarantine_reasons"].items():
        for r, n in _items(path, f"quarantine_reasons.{s}", reasons):
            _number(path, f"quarantine_reasons.{s}.{r}", n)
    for s, towns in data["completeness"].items():
        for t, months in _items(path, f"completeness.{s}", towns):
            for m, n in _items(path, f"completeness.{s}.{t}", months):
                _number(path, f"completeness.{s}.{t}.{m}", n)
    return data


def _items(path: Path, where: str, obj) -> list:
    if not isinstance(obj, dict):
        raise DashboardInputError(f"{path}: {where} must be an object")
    return list(obj.items())


def _number(path: Path, where: str, v, *, optional: bool = False) -> None:
    if v is None and optional:
        return
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise DashboardInputError(f"{path}: {where}: {v!r} is not a number")


@dataclass
class Release:
    dir: Path
    manifest: dict
    table: Table  # indicators.csv, one period
    monthly: Table | None  # monthly.csv, one period per month, or None when absent

    @property
    def period(self) -> str:
        return str(self.manifest["period"])

    @property
    def district(self) -> str | None:
        return next((c for c in self.table.regions() if is_district(c)), None)

    @property
    def townships(self) -> dict[str, str]:
        return {c: n for c, n in self.table.regions().items() if is_township(c)}

    def value(self, indicator: str, breakdown: str = "total", region: str | None = None):
        region = region or self.district
        return self.table.get(self.period, region, indicator, breakdown)


def load_release(release_dir: Path) -> Release:
    manifest = read_manifest(release_dir / "manifest.json")
    period = str(manifest["period"])
    table = read_table(release_dir / "indicators.csv")
    for n, r in enumerate(table.rows, start=2):
        if r.period != period:
            raise DashboardInputError(
                f"{release_dir / 'indicators.csv'}: row {n}, column period: {r.period!r} "
                f"differs from the manifest's period {period!r}"
            )
    monthly_path = release_dir / "monthly.csv"
    monthly = read_table(monthly_path) if monthly_path.exists() else None
    return Release(release_dir, manifest, table, monthly)
