"""数据质量: checks, quarantine, reporting completeness, waivers and input files of a release."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.data import Release
from dashboards.fmt import (
    SEVERITY_ZH,
    esc,
    fmt_count,
    month_zh,
    period_months,
    reason_zh,
    source_zh,
)
from dashboards.html import URBAN, card, chart, page, panel, table
from dashboards.inputs import inputs_section

MISSING, REPORTED = "#e57373", "#c8e6c9"  # no rows that month / rows
OUTCOME_CLASS = {"通过": "ok", "已豁免": "waived", "警告": "waived", "未通过": "bad"}


def check_outcome(c: dict) -> str:
    if c.get("passed"):
        return "通过"
    if c.get("waived"):
        return "已豁免"
    return "警告" if c.get("severity") == "warning" else "未通过"


def gate(checks: list[dict]) -> tuple[str, int]:
    """(通过 / 经豁免通过 / 未通过, number of warnings)."""
    failed = [c for c in checks if c.get("severity") == "error" and not c.get("passed")]
    warnings = sum(1 for c in checks if c.get("severity") == "warning" and not c.get("passed"))
    if any(not c.get("waived") for c in failed):
        return "未通过", warnings
    return ("经豁免通过" if failed else "通过"), warnings


def gate_outcome(checks: list[dict]) -> str:
    word, warnings = gate(checks)
    return f"{word}（{warnings} 项警告）" if warnings else word


def summary(release: Release) -> str:
    m = release.manifest
    checks, inputs = m["checks"], m["inputs"]
    quarantined = sum(sum(r.values()) for r in m["quarantine_reasons"].values())
    failed = [c for c in checks if not c.get("passed")]
    rejected = sum(1 for f in inputs if f.get("status") == "rejected")
    return '<div class="cards">' + "".join((
        card("质量闸门", gate(checks)[0], f"{gate(checks)[1]} 项警告"),
        card("检查项", f"{len(checks)} 项", f"未通过 {len(failed)} 项（含警告、已豁免）"),
        card("输入文件", f"{len(inputs)} 个", f"拒收 {rejected} 个"),
        card("隔离行", f"{fmt_count(quarantined)} 行", "未入库、不参与统计"),
        card("豁免", f"{len(m['waivers'])} 项", "经授权人批准"),
    )) + "</div>"


def checks_section(release: Release) -> str:
    checks = release.manifest["checks"]
    outcomes = ["通过", "已豁免", "警告", "未通过"]
    fig = go.Figure()
    for sev, color in (("error", URBAN), ("warning", "#e69f00")):
        y = [sum(1 for c in checks if c.get("severity") == sev and check_outcome(c) == o)
             for o in outcomes]
        if any(y):
            fig.add_trace(go.Bar(
                y=outcomes, x=y, name=f"{SEVERITY_ZH[sev]}级", marker_color=color,
                orientation="h", text=[n or None for n in y], textposition="inside",
                hovertemplate=f"{SEVERITY_ZH[sev]}级 %{{y}}：%{{x}} 项<extra></extra>",
            ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="项", dtick=1, rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    rows = []
    for c in checks:
        o = check_outcome(c)
        rows.append([
            ("", esc(c.get("name"))), ("", esc(c.get("description"))),
            ("", SEVERITY_ZH.get(c.get("severity"), esc(c.get("severity")))),
            (OUTCOME_CLASS[o], o), ("", esc(c.get("detail"))),
        ])
    return panel(
        "检查结果概览", "按严重程度统计各检查项的结果。错误级检查未通过且未豁免时不得发布。",
        chart(fig, "chart-checks", height=240, empty="无检查记录"), wide=True,
    ) + panel(
        "全部检查项", "每一项检查、严重程度与结果。",
        table(["检查项", "说明", "严重程度", "结果", "详情"], rows), wide=True,
    )


def quarantine_section(release: Release) -> str:
    qr = release.manifest["quarantine_reasons"]
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
    rows = [
        [("", esc(source_zh(s))), ("", esc(reason_zh(r))), ("num", fmt_count(n))]
        for s in sources for r, n in sorted(qr[s].items()) if n
    ]
    height = max(260, 140 + 36 * len(sources))
    return panel(
        "隔离行（按来源和原因）", "未通过校验、没有入库的行，按原因分色。隔离行不参与任何统计，"
        "由经办人按隔离清单更正后重新报送。",
        chart(fig, "chart-quarantine", height=height, empty="本期无隔离行")
        + table(["来源", "原因", "行数"], rows), wide=True,
    )


def completeness_section(release: Release) -> str:
    comp = release.manifest["completeness"]
    names = release.townships
    out = []
    for i, source in enumerate(sorted(comp)):
        grid = comp[source]
        months = sorted(set(period_months(release.period)) | {m for t in grid.values() for m in t})
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
        out.append(panel(
            f"报送完整性：{source_zh(source)}", "乡镇 × 月份的入库行数；红色为 0（该月未报送）。",
            chart(fig, f"chart-completeness-{i}", height=70 + 34 * len(towns)),
        ))
    if not out:
        out.append(panel("报送完整性", "", '<div class="empty">无报送完整性数据</div>'))
    return "".join(out)


def render(release: Release) -> str:
    body = "".join((
        summary(release),
        '<h2>质量检查</h2><div class="grid">', checks_section(release), "</div>",
        '<h2>隔离数据</h2><div class="grid">', quarantine_section(release), "</div>",
        '<h2>报送完整性</h2><div class="grid">', completeness_section(release), "</div>",
        '<h2>豁免与输入文件</h2><div class="grid">', inputs_section(release), "</div>",
    ))
    return page(release, "数据质量", body, other=("overview.html", "→ 领导驾驶舱"))
