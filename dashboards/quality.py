"""数据质量: checks, quarantine, reporting completeness, waivers and input files of a release."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.fmt import fmt_count, month_zh, scrub
from dashboards.html import URBAN, Card, Cell, Panel, chart, render_fragment, render_page, table
from dashboards.input_files import inputs_panels
from dashboards.view import ReleaseView
from ingest import labels
from ingest.labels import reason_zh, source_zh

MISSING, REPORTED = "#e57373", "#c8e6c9"  # no rows that month / rows
OUTCOME_CLASS = {labels.PASSED: "ok", labels.WAIVED: "waived", labels.WARNED: "waived",
                 labels.FAILED: "bad"}


def summary(view: ReleaseView) -> list[Card]:
    m = view.manifest
    quarantined = sum(sum(r.values()) for r in m.quarantine_reasons.values())
    failed = [c for c in m.checks if not c.passed]
    rejected = sum(1 for f in m.inputs if f.status == "rejected")
    word, warnings = m.gate
    return [
        Card("质量闸门", word, f"{warnings} 项警告"),
        Card("检查项", f"{len(m.checks)} 项", f"未通过 {len(failed)} 项（含警告、已豁免）"),
        Card("输入文件", f"{len(m.inputs)} 个", f"拒收 {rejected} 个"),
        Card("隔离行", f"{fmt_count(quarantined)} 行", "未入库、不参与统计"),
        Card("豁免", f"{len(m.waivers)} 项", "经授权人批准"),
    ]


def checks_panels(view: ReleaseView) -> list[Panel]:
    checks = view.manifest.checks
    fig = go.Figure()
    for sev, color in (("error", URBAN), ("warning", "#e69f00")):
        y = [sum(1 for c in checks if c.severity == sev and c.outcome == o)
             for o in labels.OUTCOMES]
        if any(y):
            word = labels.SEVERITIES[sev]
            fig.add_trace(go.Bar(
                y=list(labels.OUTCOMES), x=y, name=f"{word}级", marker_color=color,
                orientation="h", text=[n or None for n in y], textposition="inside",
                hovertemplate=f"{word}级 %{{y}}：%{{x}} 项<extra></extra>",
            ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="项", dtick=1, rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    rows = [[Cell(scrub(c.name)), Cell(scrub(c.description)), Cell(labels.SEVERITIES[c.severity]),
             Cell(c.outcome, OUTCOME_CLASS[c.outcome]), Cell(scrub(c.detail))] for c in checks]
    return [Panel(
        "检查结果概览", "按严重程度统计各检查项的结果。错误级检查未通过且未豁免时不得发布。",
        chart(fig, "chart-checks", height=240, empty="无检查记录"), wide=True,
    ), Panel(
        "全部检查项", "每一项检查、严重程度与结果。",
        table(["检查项", "说明", "严重程度", "结果", "详情"], rows), wide=True,
    )]


def quarantine_panel(view: ReleaseView) -> Panel:
    qr = view.manifest.quarantine_reasons
    sources = [s for s in sorted(qr) if sum(qr[s].values())]
    reasons = sorted({r for s in sources for r in qr[s]})
    fig = go.Figure()
    for r in reasons:
        fig.add_trace(go.Bar(
            y=[source_zh(s) for s in sources], x=[qr[s].get(r, 0) for s in sources],
            name=reason_zh(r), orientation="h",
            hovertemplate=f"%{{y}}<br>{reason_zh(r)}：%{{x:,}} 行<extra></extra>",
        ))
    fig.update_layout(barmode="stack", margin={"l": 230}, legend={"y": -0.25, "x": 0})
    fig.update_xaxes(title_text="行", tickformat=",")
    fig.update_yaxes(autorange="reversed")
    rows = [[Cell(scrub(source_zh(s))), Cell(scrub(reason_zh(r))), Cell(fmt_count(n), "num")]
            for s in sources for r, n in sorted(qr[s].items()) if n]
    height = max(260, 140 + 36 * len(sources))
    return Panel(
        "隔离行（按来源和原因）", "未通过校验、没有入库的行，按原因分色。隔离行不参与任何统计，"
        "由经办人按隔离清单更正后重新报送。",
        chart(fig, "chart-quarantine", height=height, empty="本期无隔离行")
        + table(["来源", "原因", "行数"], rows), wide=True,
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
            f"报送完整性：{source_zh(source)}", "乡镇 × 月份的入库行数；红色为 0（该月未报送）。",
            chart(fig, f"chart-completeness-{i}", height=70 + 34 * len(towns)),
        ))
    if not out:
        out.append(Panel("报送完整性", "", render_fragment("empty", text="无报送完整性数据")))
    return out


def render(view: ReleaseView) -> str:
    sections = [
        ("质量检查", checks_panels(view)),
        ("隔离数据", [quarantine_panel(view)]),
        ("报送完整性", completeness_panels(view)),
        ("豁免与输入文件", inputs_panels(view)),
    ]
    return render_page(view, "数据质量", summary(view), sections,
                       other=("overview.html", "→ 领导驾驶舱"))
