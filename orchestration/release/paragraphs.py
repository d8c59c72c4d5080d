"""The paragraphs of summary.md (assembled by summary.py), one function per paragraph."""

from __future__ import annotations

from decimal import Decimal

from dashboards.view import Manifest, Row, on_schedule
from ingest.cells import markdown_code, markdown_text
from ingest.contract import BENEFITS, PLACEMENTS, VETERAN_CATEGORIES
from ingest.labels import breakdown_zh

MISSING = "—"
TOWNSHIP_COLUMNS = [
    ("期末保障户数", "dibao_households_end", "total"),
    ("期末保障人数", "dibao_persons_end", "total"),
    ("低保率(%)", "dibao_coverage_rate", "total"),
    ("城市低保率(%)", "dibao_coverage_rate", "urban"),
    ("农村低保率(%)", "dibao_coverage_rate", "rural"),
]


class Figures:
    def __init__(self, rows: list[Row]):
        self.by_key = {r.key: r for r in rows}
        districts = sorted(r.region_code for r in rows if r.region_level == "district")
        self.district = districts[0] if districts else None
        # data text is written as literal Markdown (a `|` in a name must not split a table)
        self.names = {r.region_code: markdown_text(r.region_name) for r in rows}
        self.indicator_names = {r.indicator: markdown_text(r.indicator_name) for r in rows}
        self.townships = sorted({r.region_code for r in rows if r.region_level == "township"})

    def row(self, indicator: str, breakdown: str = "total", region: str | None = None):
        return self.by_key.get((region or self.district, indicator, breakdown))

    def get(self, indicator: str, breakdown: str = "total", region: str | None = None):
        r = self.row(indicator, breakdown, region)
        return r.text if r else None

    def value(self, indicator: str, breakdown: str = "total") -> Decimal | None:
        r = self.row(indicator, breakdown)
        return r.value if r else None


def join(parts, sep: str = "、") -> str:
    """Join the filled parts: each part is (template, text) and is dropped when text is None."""
    return sep.join(t.format(v) for t, v in parts if v is not None)


def sentence(head: str, body: str, tail: str = "。") -> str:
    return f"{head}{body}{tail}" if body else ""


def paragraph(*sentences: str) -> str:
    return "".join(s for s in sentences if s)


def dibao(f: Figures, pw: str) -> list[str]:
    cover = []
    for bd, label in (("urban", "城市低保"), ("rural", "农村低保"), ("total", "城乡低保合计")):
        body = join([("{}户次", f.get("dibao_household_months", bd)),
                      ("{}人次", f.get("dibao_person_months", bd)),
                      ("{}万元", f.get("dibao_funds", bd))])
        avg = f.get("dibao_avg_subsidy", bd)
        tail = f",月人均补差达{avg}元。" if avg is not None else "。"
        cover.append(sentence(f"{label}累计保障", body, tail))
    if any(cover):
        cover[0] = f"{pw}" + (cover[0] or "")
    end = join([("{}户", f.get("dibao_households_end")), ("{}人", f.get("dibao_persons_end"))])
    split = join([(f"{label}{{}}", join([("{}户", f.get("dibao_households_end", bd)),
                                           ("{}人", f.get("dibao_persons_end", bd))]) or None)
                   for bd, label in (("urban", "城市低保"), ("rural", "农村低保"))], ",")
    rate = join([("全区低保率为{}%", f.get("dibao_coverage_rate")),
                  ("城市低保率{}%", f.get("dibao_coverage_rate", "urban")),
                  ("农村低保率{}%", f.get("dibao_coverage_rate", "rural"))], ",")
    std = join([("城市{}元/人·月", f.get("dibao_standard", "city")),
                 ("城镇{}元/人·月", f.get("dibao_standard", "town")),
                 ("农村{}元/人·月", f.get("dibao_standard", "rural"))])
    return [
        paragraph(*cover),
        paragraph(sentence("期末全区共有低保对象", end, f",其中{split}。" if split else "。"),
                   sentence("", rate), sentence("现行低保标准为", std)),
    ]


def dynamics(f: Figures, pw: str) -> str:
    parts = []
    for bd, label in (("urban", "城市"), ("rural", "农村")):
        def counted(kind: str, money: str, bd: str = bd) -> str | None:
            # 'N户、M人、增加保障金额X万元' (v2: persons of raised/lowered and the amounts)
            return join([("{}户", f.get(f"dibao_{kind}_households", bd)),
                         ("{}人", f.get(f"dibao_{kind}_persons", bd)),
                         (money + "{}万元", f.get(f"dibao_{kind}_amount", bd))]) or None

        body = join([
            (f"新增{label}低保对象{{}}", counted("new", "增加保障金额")),
            (f"退出{label}低保{{}}", counted("exited", "减少保障金额")),
            ("提高保障标准{}", counted("raised", "增加保障金额")),
            ("降低保障标准{}", counted("lowered", "减少保障金额")),
        ], ",")
        if body:
            parts.append(body)
    missed, wrong = f.value("dibao_suspected_missed"), f.value("dibao_suspected_ineligible")
    tail = "。"
    if missed == 0 and wrong == 0:
        tail = ",城乡低保实现了动态管理下的“应保尽保、应退尽退”。"
    return sentence(f"在动态调整下,{pw}", ";".join(parts), tail)


def gaps_lowincome(f: Figures) -> str:
    gap = join([("城乡低保率差距(城市减农村)为{}个百分点", f.get("gap_coverage_pp")),
                 ("城市与农村低保标准之比为{}倍", f.get("gap_standard_ratio")),
                 ("城乡月人均补差之比为{}倍", f.get("gap_subsidy_ratio"))], ",")
    low = join([("{}户", f.get("lowincome_households")), ("{}人", f.get("lowincome_persons"))])
    low_split = join([(f"{label}{{}}", join([("{}户", f.get("lowincome_households", bd)),
                                               ("{}人", f.get("lowincome_persons", bd))]) or None)
                       for bd, label in (("urban", "城市"), ("rural", "农村"))], ",")
    missed, wrong = f.get("dibao_suspected_missed"), f.get("dibao_suspected_ineligible")
    if f.value("dibao_suspected_missed") == 0 and f.value("dibao_suspected_ineligible") == 0:
        check = "经数据比对,未发现疑似漏保、错保家庭。"
    else:
        check = sentence("经数据比对,发现", join([("疑似漏保{}户", missed),
                                                   ("疑似错保{}户", wrong)]),
                          ",需由乡镇(街道)逐户核实。")
    return paragraph(
        sentence("城乡统筹方面,", gap),
        sentence("全区认定低收入家庭", low, f",其中{low_split}。" if low_split else "。"),
        check,
    )


def tekun_temp(f: Figures, pw: str) -> list[str]:
    persons = join([("其中集中供养{}人", f.get("tekun_persons_end", "centralized")),
                     ("分散供养{}人", f.get("tekun_persons_end", "dispersed"))])
    funds = join([("其中集中供养{}万元", f.get("tekun_funds", "centralized")),
                   ("分散供养{}万元", f.get("tekun_funds", "dispersed"))])
    total, money = f.get("tekun_persons_end"), f.get("tekun_funds")
    dual = f.value("dual_benefit_persons")
    if dual == 0:
        dual_text = "经比对,未发现同时享受低保和特困供养的重复享受人员。"
    else:
        dual_text = sentence("经比对,同时享受低保和特困供养的重复享受人员",
                              f.get("dual_benefit_persons") or "", "人,需及时核查清理。")
    tekun = paragraph(
        sentence("期末全区特困供养人员", f"{total}人" if total else "",
                  f",{persons}。" if persons else "。"),
        sentence(f"{pw}累计发放特困供养金", f"{money}万元" if money else "",
                  f",{funds}。" if funds else "。"),
        dual_text,
    )
    temp = sentence(f"{pw}累计临时救助困难群众",
                     join([("{}户次", f.get("temp_assist_cases")),
                            ("{}人次", f.get("temp_assist_persons"))]),
                     "")
    money = f.get("temp_assist_funds")
    if money is not None:
        temp = (temp + "," if temp else f"{pw}") + f"发放临时救助金{money}万元"
    return [tekun, temp + "。" if temp else ""]


def disasters(f: Figures, pw: str) -> str:
    events = f.value("disaster_events")
    if events == 0:
        losses = f"{pw}我区未发生自然灾害过程。"
    else:
        body = join([
            ("共发生自然灾害过程{}次", f.get("disaster_events")),
            ("受灾人口{}人", f.get("disaster_affected_persons")),
            ("紧急转移安置人口{}人", f.get("disaster_relocated_persons")),
            ("农作物受灾面积{}公顷", f.get("disaster_crop_affected_ha")),
            ("其中绝收面积{}公顷", f.get("disaster_crop_failed_ha")),
            ("因灾倒塌房屋{}", join([("{}户", f.get("disaster_collapsed_households")),
                                  ("{}间", f.get("disaster_collapsed_rooms"))]) or None),
            ("损坏房屋{}", join([("{}户", f.get("disaster_damaged_households")),
                               ("{}间", f.get("disaster_damaged_rooms"))]) or None),
            ("直接经济损失{}万元", f.get("disaster_direct_loss")),
        ], ",")
        losses = sentence(f"{pw}我区", body)
    relief = join([
        ("灾情初报及时率为{}%", f.get("disaster_initial_report_timely_rate")),
        ("共发放救灾资金{}万元", f.get("disaster_relief_funds")),
        ("救助受灾群众{}人次", f.get("disaster_relief_persons")),
        ("人均救助{}元", f.get("disaster_relief_per_capita")),
        ("12小时救助到位率为{}%", f.get("disaster_relief_within_12h_rate")),
    ], ",")
    officers = f.get("disaster_officer_coverage_rate")
    return paragraph(losses, sentence("", relief),
                      sentence("全区灾害信息员覆盖率为", f"{officers}%" if officers else ""))


def slugs(f: Figures, indicator: str, table: dict, unit: str) -> str:
    """'其中残疾军人3人、…' for the non-zero breakdowns, in the contract's order."""
    parts = []
    for slug, names in table.items():
        r = f.row(indicator, slug)
        if r is not None and r.value != 0:
            parts.append(f"{names[0]}{r.text}{unit}")
    return ("其中" + "、".join(parts)) if parts else ""


def veterans(f: Figures, pw: str) -> str:
    persons = f.get("veterans_persons_end")
    cats = slugs(f, "veterans_persons_end", VETERAN_CATEGORIES, "人")
    funds = f.get("veteran_funds")
    kinds = slugs(f, "veteran_funds", BENEFITS, "万元")
    received = f.get("soldiers_received")
    places = slugs(f, "soldiers_received", PLACEMENTS, "人")
    tail = join([("自主就业比例为{}%", f.get("soldiers_self_employed_share")),
                  ("发放自主就业一次性补助金{}万元", f.get("soldiers_one_off_subsidy"))], ",")
    return paragraph(
        sentence("期末全区共有优抚对象", f"{persons}人" if persons else "",
                  f",{cats}。" if cats else "。"),
        sentence(f"{pw}共发放各类优抚金", f"{funds}万元" if funds else "",
                  f",{kinds}。" if kinds else "。"),
        sentence("接收退役士兵", f"{received}人" if received else "",
                  (f",{places}" if places else "") + (f";{tail}。" if tail else "。")),
    )


def _target_label(f: Figures, breakdown: str) -> str:
    indicator, _, part = breakdown.partition(":")
    name = f.indicator_names.get(indicator, markdown_text(indicator))
    label = markdown_text(breakdown_zh(part, indicator))
    return name if part in ("", "total") else f"{label}{name}"


def targets(f: Figures, period: str) -> str:
    rows = sorted((r for r in f.by_key.values()
                   if r.indicator == "target_completion_rate" and r.region_code == f.district),
                  key=lambda r: r.breakdown)
    if not rows:
        return "本期无目标任务数据。"
    listed = ";".join(f"{_target_label(f, r.breakdown)}目标完成率为{r.text}%" for r in rows)
    text = f"各项目标任务完成情况:{listed}。"
    if period.endswith("H1"):  # a half-year summary (indicators.md §5)
        lagging = [_target_label(f, r.breakdown) for r in rows
                   if not on_schedule(r.value, period)]
        if lagging:
            text += f"其中{'、'.join(lagging)}完成率尚未过半,下半年需加快进度。"
        else:
            text += "各项目标任务完成率均已过半,做到了“时间过半、任务过半”。"
    return text


def townships(f: Figures) -> str:
    if not f.townships:
        return "本期无乡镇(街道)数据。"
    head = "| 乡镇(街道) | " + " | ".join(c for c, _, _ in TOWNSHIP_COLUMNS) + " |"
    lines = [head, "|---|" + "---:|" * len(TOWNSHIP_COLUMNS)]
    for code in f.townships:
        cells = [f.get(ind, bd, region=code) or MISSING for _, ind, bd in TOWNSHIP_COLUMNS]
        lines.append(f"| {f.names[code]} | " + " | ".join(cells) + " |")
    rated = [r for code in f.townships
             if (r := f.row("dibao_coverage_rate", "total", region=code)) is not None]
    if len(rated) > 1:
        top = max(rated, key=lambda r: (r.value, r.region_code))
        low = min(rated, key=lambda r: (r.value, r.region_code))
        lines += ["", f"低保率最高的是{f.names[top.region_code]}({top.text}%),"
                      f"最低的是{f.names[low.region_code]}({low.text}%)。"]
    return "\n".join(lines)


def quality_notes(manifest: Manifest) -> str:
    warned = [c for c in manifest.checks if not c.passed and not c.waived]
    waived = [c for c in manifest.checks if not c.passed and c.waived]
    lines = ["发布前的质量检查结果见 indicators.xlsx 的“质量检查”表和 manifest.json。"]
    if warned:
        lines.append("未通过的提示性检查(请在引用相关数字前核实):"
                     + "、".join(markdown_code(c.name) for c in warned) + "。")
    if waived:
        lines.append("经批准豁免后发布的检查:"
                     + "、".join(markdown_code(c.name) for c in waived) + "。")
    return "\n".join(lines)
