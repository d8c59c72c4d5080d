"""数据质量: checks, quarantine, reporting completeness, waivers and input files of a release."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards import check_help, families
from dashboards.fmt import fmt_count, fmt_value, month_zh, scrub
from dashboards.html import URBAN, Card, Cell, Panel, chart, render_fragment, render_page, table
from dashboards.input_files import inputs_panels
from dashboards.view import Check, ReleaseView
from ingest import labels
from ingest.contract import SOURCES
from ingest.labels import reason_zh, source_zh

MISSING, REPORTED = "#e57373", "#c8e6c9"  # no rows that month / rows
OUTCOME_CLASS = {labels.PASSED: "ok", labels.WAIVED: "waived", labels.WARNED: "waived",
                 labels.FAILED: "bad"}


def summary(view: ReleaseView) -> list[Card]:
    m = view.manifest
    quarantined = sum(sum(r.values()) for r in m.quarantine_reasons.values())
    of_period = m.quarantine_reasons_period
    counted = None if of_period is None else sum(sum(r.values()) for r in of_period.values())
    failed = [c for c in m.checks if not c.passed]
    rejected = sum(1 for f in m.inputs if f.status == "rejected")
    word, warnings = m.gate
    return [
        Card("质量闸门", word, f"{warnings} 项警告"),
        Card("检查项", f"{len(m.checks)} 项", f"未通过 {len(failed)} 项（含警告、已豁免）"),
        Card("输入文件", f"{len(m.inputs)} 个", f"拒收 {rejected} 个"),
        Card("隔离行", f"{fmt_count(quarantined)} 行",
             "未入库、不参与统计" if counted is None
             else f"其中计入本期 {fmt_count(counted)} 行；未入库、不参与统计"),
        Card("豁免", f"{len(m.waivers)} 项", "经授权人批准"),
    ]


def _todo(c: Check, view: ReleaseView) -> dict:
    what, todo = check_help.meaning(c)
    waiver = next((w for w in view.manifest.waivers if w.check == c.name), None)
    command = ""
    if c.severity == "error" and not c.waived and check_help.is_gate(c):
        command = (f'civstat waive --warehouse DIR --period {view.period} --check {c.name} '
                   '--reason "…" --by 姓名')
    return {
        "name": scrub(c.name), "title": scrub(check_help.title(c)), "outcome": c.outcome,
        "cls": OUTCOME_CLASS[c.outcome], "meaning": what, "todo": todo, "command": command,
        "where": [scrub(x) for x in check_help.where(c.detail, view.regions)],
        "waived": scrub(f"已由 {waiver.by} 于 {waiver.at} 豁免：{waiver.reason}") if waiver else
        ("已豁免" if c.waived else ""),
    }


def verdict_panel(view: ReleaseView) -> Panel:
    """The verdict, then every failing or warning check: what, where, what to do."""
    m = view.manifest
    word, warnings = m.gate
    failing = sorted((c for c in m.checks if not c.passed),
                     key=lambda c: (not check_help.is_gate(c), c.severity != "error", c.name))
    errors = sum(1 for c in failing if c.severity == "error" and not c.waived)
    if word == labels.FAILED:
        head = f"未通过：{errors} 项错误级检查未通过且未豁免，本期不得发布。"
    elif word == labels.PASSED:
        head = "通过：错误级检查全部通过，本期可以发布。"
    else:
        head = "经豁免通过：未通过的错误级检查都已由有权发布的人豁免。"
    if warnings:
        head += f" 另有 {warnings} 项警告，不阻止发布，但请经办人核实。"
    body = render_fragment("todos", items=[_todo(c, view) for c in failing])
    if not failing:
        body = render_fragment("empty", text="全部检查通过，没有待办事项")
    return Panel(f"结论：{word}", head, body, wide=True)


KINDS = ("质量闸门", "dbt 测试", "GX 校验套件", "入库行数核对")


def summary_panels(view: ReleaseView) -> list[Panel]:
    """Counts by outcome and severity (chart) and by kind of check (table)."""
    checks = view.manifest.checks
    fig = go.Figure()
    for sev, color in (("error", URBAN), ("warning", "#e69f00")):
        y = [sum(1 for c in checks if c.severity == sev and c.outcome == o)
             for o in labels.OUTCOMES]
        if any(y):
            word = labels.SEVERITIES[sev]
            fig.add_trace(go.Bar(
                y=list(labels.OUTCOMES), x=y, name=f"{word}级", marker_color=color,
                orientation="h", text=[n or None for n in y], textposition="auto",
                hovertemplate=f"{word}级 %{{y}}：%{{x}} 项<extra></extra>",
            ))
    fig.update_layout(barmode="stack", margin={"l": 60, "r": 20, "t": 30, "b": 40})
    most = max((sum(1 for c in checks if c.outcome == o) for o in labels.OUTCOMES), default=0)
    fig.update_xaxes(title_text="项", rangemode="tozero", tickformat=",d",
                     dtick=1 if most <= 10 else None)
    fig.update_yaxes(autorange="reversed")
    rows = []
    for k in KINDS:
        cs = [c for c in checks if check_help.kind(c) == k]
        if cs:
            rows.append([Cell(k), Cell(fmt_count(len(cs)), "num"),
                         *[Cell(fmt_count(sum(1 for c in cs if c.outcome == o)), "num " + (
                             OUTCOME_CLASS[o] if o != labels.PASSED and any(
                                 c.outcome == o for c in cs) else ""))
                           for o in labels.OUTCOMES]])
    note = "各检查项按结果和严重程度计数；柱上数字为项数。"
    return [
        Panel("检查结果概览", note, chart(fig, "chart-checks", height=220, empty="无检查记录")),
        Panel("检查类别", "质量闸门决定能否发布；dbt 测试、GX 校验套件和行数核对保证数据按契约入库和计算。",
              table(["类别", "项数", *labels.OUTCOMES], rows)),
    ]


def gate_panel(view: ReleaseView) -> Panel:
    rows = [[Cell(scrub(check_help.title(c)), sub=scrub(c.name), small=True),
             Cell(labels.SEVERITIES[c.severity]), Cell(c.outcome, OUTCOME_CLASS[c.outcome]),
             Cell("；".join(scrub(x) for x in check_help.where(c.detail, view.regions, 3)) or "—")]
            for c in view.manifest.checks if check_help.is_gate(c)]
    return Panel("质量闸门检查", "决定本期能否发布的检查（错误级未通过且未豁免即不得发布）。",
                 table(["检查", "严重程度", "结果", "详情"], rows, cols=["34%", "9%", "9%", "48%"]),
                 wide=True)


def groups_panel(view: ReleaseView) -> Panel:
    """dbt tests and GX suites, one folded line per model or source."""
    found: dict[tuple[int, str], list[Check]] = {}
    for c in view.manifest.checks:
        if not check_help.is_gate(c):
            found.setdefault(check_help.group(c), []).append(c)
    groups = []
    for key in sorted(found):
        cs = found[key]
        bad = [c for c in cs if not c.passed]
        rows = [[Cell(scrub(c.name)), Cell(labels.SEVERITIES[c.severity]),
                 Cell(c.outcome, OUTCOME_CLASS[c.outcome]), Cell(scrub(c.detail) or "—")]
                for c in sorted(cs, key=lambda c: (c.passed, c.name))]
        groups.append({
            "label": scrub(key[1] + "：" + "、".join(k for k in KINDS if any(
                check_help.kind(c) == k for c in cs))),
            "open": bool(bad), "cls": "bad" if bad else "ok",
            "summary": f"{len(cs)} 项中 {len(bad)} 项未通过" if bad else f"{len(cs)} 项全部通过",
            "body": table(["检查项", "严重程度", "结果", "详情"], rows,
                          cols=["52%", "9%", "9%", "30%"]),
        })
    body = render_fragment("groups", list=groups) if groups else render_fragment(
        "empty", text="无 dbt 测试或 GX 校验记录")
    return Panel("dbt 测试与 GX 校验（按模型和来源）",
                 "每个模型或来源一行，点击展开明细；有未通过项的自动展开。", body, wide=True)


def findings_panel(view: ReleaseView) -> Panel:
    """Cross-register findings (domain `findings`, indicators.md §5c) per township."""
    rows_all = [r for r in view.rows if r.domain == "findings" and r.breakdown == "total"]
    indicators = sorted({r.indicator for r in rows_all})
    part, short = view.part_word, view.part_short
    note = (f"把两本名册放在一起才看得出的问题（如死亡后仍在发放），按付款名册所在的{part}统计。"
            f"请{short}逐条核实。")
    title = f"数据比对发现（按{short}）"
    if not indicators:
        return Panel(title, note,
                     render_fragment("empty", text="本期没有数据比对发现指标"), wide=True)
    by = {(r.region_code, r.indicator): r for r in rows_all}
    regions = {view.district: f"{view.district_name}（{view.whole_word}）", **view.townships}
    rows = []
    for code, name in regions.items():
        vals = [by.get((code, i)) for i in indicators]
        href = "" if code == view.district else f"townships/{code}.html"
        rows.append([Cell(name, href=href), *[Cell(fmt_value(v), "num bad" if v is not None and v.value
                                                   else "num") for v in vals]])
    return Panel(title, note, table([part, *[view.name(i) for i in indicators]], rows), wide=True)


# From published/<P>/dashboards/ up to the warehouse (docs/raw-layer.md: DIR/quarantine/<source>.csv,
# DIR/published/<P>/); right when the page is opened through the period's link published/<P>.
QUARANTINE_HREF = "../../../quarantine/{source}.csv"


def quarantine_href(source: str) -> str:
    return QUARANTINE_HREF.format(source=source)


def quarantine_panel(view: ReleaseView) -> Panel:
    qr = view.manifest.quarantine_reasons
    sources = [s for s in sorted(qr) if sum(qr[s].values())]
    reasons = sorted({r for s in sources for r in qr[s]})
    fig = go.Figure()
    short = [SOURCES[s].zh if s in SOURCES else s for s in sources]  # codes: in the table
    for r in reasons:
        fig.add_trace(go.Bar(
            y=short, x=[qr[s].get(r, 0) for s in sources],
            name=labels.REASONS.get(r, r), orientation="h",
            hovertemplate=f"%{{y}}<br>{reason_zh(r)}：%{{x:,}} 行<extra></extra>",
        ))
    # room below the plot for the legend, two reasons a line (as on A4 paper; wider screens
    # use fewer lines and leave a little air)
    legend_px = 22 * ((len(reasons) + 1) // 2)
    fig.update_layout(barmode="stack", margin={"l": 150, "b": 60 + legend_px})
    fig.update_xaxes(title_text="行", tickformat=",")
    fig.update_yaxes(autorange="reversed")
    of_period = view.manifest.quarantine_reasons_period
    rows = [[Cell(scrub(source_zh(s))), Cell(scrub(reason_zh(r))), Cell(fmt_count(n), "num"),
             Cell("—" if of_period is None else fmt_count(of_period.get(s, {}).get(r, 0)), "num"),
             Cell(f"{s}.csv", href=quarantine_href(s))]
            for s in sources for r, n in sorted(qr[s].items()) if n]
    height = max(260, 140 + 36 * len(sources)) + legend_px
    return Panel(
        "隔离行（按来源和原因）", "未通过校验、没有入库的行，按原因分色：收件箱各月份的全部隔离行。"
        "「计入本期」是月份在本期内或不明的行（按月报送的名册；其他来源为全部），"
        "质量闸门的隔离比例按它计算。隔离行不参与任何统计，"
        "由经办人按隔离清单更正后重新报送。隔离清单在仓库的 quarantine 目录"
        "（含个人信息，仅限局内电脑打开）。",
        chart(fig, "chart-quarantine", height=height, empty="本期无隔离行",
              legend={"orientation": "h", "yanchor": "top", "y": -0.16, "x": 0})
        + table(["来源", "原因", "全部", "计入本期", "隔离清单"], rows,
                cols=["30%", "30%", "10%", "10%", "20%"]),
        wide=True,
    )


def completeness_panels(view: ReleaseView) -> list[Panel]:
    comp = view.manifest.completeness
    names = view.townships
    out = []
    for i, source in enumerate(sorted(comp)):
        grid = comp[source]
        months = sorted(set(view.months) | {m for t in grid.values() for m in t})
        towns = sorted(set(names) | set(grid))
        rows = [[(grid.get(t) or {}).get(m, 0) for m in months] for t in towns]
        fig = go.Figure(go.Heatmap(
            x=[month_zh(m) for m in months], y=[names.get(t, t) for t in towns],
            z=[[1 if n else 0 for n in row] for row in rows], customdata=rows,
            text=[[fmt_count(n) for n in row] for row in rows], texttemplate="%{text}",
            colorscale=[[0, MISSING], [0.5, MISSING], [0.5, REPORTED], [1, REPORTED]],
            zmin=0, zmax=1, showscale=False, xgap=2, ygap=2,
            hovertemplate="%{y} %{x}：%{customdata:,} 行<extra></extra>",
        ))
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(margin={"l": 110, "t": 10, "b": 30})
        out.append(Panel(
            f"报送完整性：{source_zh(source)}",
            f"{view.part_short} × 月份的入库行数；红色为 0（该月未报送）。",
            chart(fig, f"chart-completeness-{i}", height=70 + 34 * len(towns)),
        ))
    if not out:
        out.append(Panel("报送完整性", "", render_fragment("empty", text="无报送完整性数据")))
    return out


def render(view: ReleaseView) -> str:
    sections = [
        ("发布结论与待办", [verdict_panel(view), *summary_panels(view)]),
        ("数据比对发现", [findings_panel(view)]),
        ("隔离数据", [quarantine_panel(view)]),
        ("报送完整性", completeness_panels(view)),
        ("豁免与输入文件", inputs_panels(view)),
        ("全部检查", [gate_panel(view), groups_panel(view)]),
    ]
    return render_page(view, "数据质量", summary(view), sections,
                       other=("overview.html", "→ 领导驾驶舱"), links=families.township_links(view))
