"""Reporting forms (indicators.md §6 "forms"): each form is a TOML file in this folder.

A form file has a `[form]` table (`title`, optional `subtitle`, `note`, `pending`,
`year_to_date`) and one
`[[line]]` per line: `label`, `unit`, `indicator`, optional `code` (the official 指标代码),
`breakdown` (default `total`), `plus` (more indicator codes whose values, same breakdown and
region, the line adds to its own: the 季报's 低保累计支出 = dibao_funds + dibao_temp_subsidy_funds,
indicators.md §2), `region` (default `district`: the release's own top region; or a region
code), `scale` (1 or 10000: the form's figure = the published value × scale) and
`decimals` (0–4). TOML is read with the standard library's `tomllib` (no new
dependency); the bureau edits these files when a form changes, without touching code.

`{报告期}` in the title, subtitle or note is the release's period in words (2025年上半年).
`year_to_date = true` marks a form whose flows must run from January (the 季报,
indicators.md §6): a release whose period does not start in January writes it with a note
saying its flows are the period's only and which period to run instead (`form_sheet`).

`pending` lists indicator codes the form names before the catalogue has them (v2
indicators being added); every other code must be in the indicator catalogue
(`dbt_project/seeds/indicator_catalogue.csv`) and its breakdown one the catalogue lists for
it, else `FormError` names the file, the line and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.catalogue import load_catalogue

FORMS_DIR = Path(__file__).parent
SCALES = (1, 10000)
CHECK = "form_lines_missing"
CHECK_DESCRIPTION = "报表各行都有本期指标 every form line has its indicator in the release"
_LINE_KEYS = {"label", "unit", "code", "indicator", "plus", "breakdown", "region", "scale",
              "decimals"}


class FormError(ValueError):
    """A form file that cannot be used; the message names the file, the line and the key."""


@dataclass(frozen=True)
class Line:
    number: int  # 1-based position among the form's lines (行次)
    label: str  # leading spaces kept: the form's indentation (其中 lines)
    unit: str
    code: str
    indicator: str
    breakdown: str
    region: str  # "district" = the release's own top region, else a region code
    scale: int
    decimals: int
    plus: tuple[str, ...] = ()  # indicators added to `indicator` (same breakdown and region)

    @property
    def indicators(self) -> tuple[str, ...]:
        """Every indicator the line adds up: its own, then `plus`."""
        return (self.indicator, *self.plus)

    @property
    def code_text(self) -> str:
        """'dibao_funds+dibao_temp_subsidy_funds/urban': what the line reads, for messages."""
        return f"{'+'.join(self.indicators)}/{self.breakdown}"


@dataclass(frozen=True)
class Form:
    name: str  # file stem: forms/<name>.xlsx
    title: str
    subtitle: str
    note: str
    lines: tuple[Line, ...]
    year_to_date: bool = False  # flows cumulative from January (the 季报)


def _line(path: Path, n: int, raw: dict, known: dict[str, tuple[str, ...]]) -> Line:
    def bad(key: str, why: str) -> FormError:
        return FormError(f"{path.name} 第{n}行 line {n} ({raw.get('label', '?')}) 键 {key}: {why}")

    extra = sorted(set(raw) - _LINE_KEYS)
    if extra:
        raise bad(extra[0], "未知的键 unknown key")
    for key in ("label", "unit", "indicator"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise bad(key, "必填 required text")
    plus = raw.get("plus", [])
    if not isinstance(plus, list) or not all(isinstance(c, str) and c.strip() for c in plus):
        raise bad("plus", "应为指标代码的列表 must be a list of indicator codes")
    breakdown = str(raw.get("breakdown", "total")).strip()
    for key, code in [("indicator", raw["indicator"]), *(("plus", c) for c in plus)]:
        code = code.strip()
        if code not in known:
            raise bad(key, f"指标目录中没有 {code!r} unknown indicator code "
                      "(not in the catalogue nor in the form's pending list)")
        listed = known[code]
        if listed and not any("<" in b for b in listed) and breakdown not in listed:
            raise bad("breakdown", f"{breakdown!r} 不是 {code} 的口径 is not one of "
                      f"{', '.join(listed)}")
    scale, decimals = raw.get("scale", 1), raw.get("decimals", 0)
    if type(scale) is not int or scale not in SCALES:  # 10000.0 passed `in` and broke fill
        raise bad("scale", f"{scale!r} 只能是 must be 1 or 10000")
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
        raise bad("decimals", f"{decimals!r} 应为0–4的整数 must be a whole number 0–4")
    return Line(n, raw["label"].rstrip(), raw["unit"].strip(), str(raw.get("code", "")).strip(),
                raw["indicator"].strip(), breakdown,
                str(raw.get("region", "district")).strip(), scale, decimals,
                tuple(c.strip() for c in plus))


def load_form(path: Path, catalogue: dict[str, tuple[str, ...]] | None = None) -> Form:
    """The form in `path`, validated against the catalogue (indicator -> breakdowns; the
    seed's when None): its indicator codes and, where the catalogue lists them, breakdowns.

    Raises FormError naming the file, the line (1-based among `[[line]]`) and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FormError(f"{path.name}: 无法读取 cannot be read ({exc})") from None
    head = data.get("form")
    if not isinstance(head, dict) or not str(head.get("title", "")).strip():
        raise FormError(f"{path.name}: 缺少 [form] title missing the form's title")
    lines = data.get("line")
    if not isinstance(lines, list) or not lines:
        raise FormError(f"{path.name}: 没有 [[line]] the form has no lines")
    if not isinstance(head.get("year_to_date", False), bool):
        raise FormError(f"{path.name}: [form] year_to_date 应为 true 或 false must be a boolean")
    known = dict(load_catalogue() if catalogue is None else catalogue)
    known |= {code: () for code in head.get("pending", []) if code not in known}
    parsed = tuple(_line(path, n, raw, known) for n, raw in enumerate(lines, start=1))
    return Form(path.stem, str(head["title"]).strip(), str(head.get("subtitle", "")).strip(),
                str(head.get("note", "")).strip(), parsed, head.get("year_to_date", False))


def shipped_forms(folder: Path = FORMS_DIR,
                  catalogue: dict[str, tuple[str, ...]] | None = None) -> list[Form]:
    """Every `*.toml` form of `folder`, by name."""
    return [load_form(p, catalogue) for p in sorted(Path(folder).glob("*.toml"))]
