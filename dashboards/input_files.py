"""The waivers and input files of the quality page.

A district run reads hundreds of files, so the page shows a summary per source and every
rejected file; the full list with every SHA-256 sits in a folded <details> block (open it on
screen; folded, it stays off paper).
"""

from __future__ import annotations

from dashboards.fmt import fmt_count, scrub
from dashboards.html import Cell, Panel, render_fragment, table
from dashboards.view import InputFile, ReleaseView
from ingest.labels import FILE_STATUSES, reason_zh, source_zh

COUNTS = ("rows_read", "rows_loaded", "rows_quarantined")
FILE_HEADERS = ["来源 / 报送单位", "文件", "SHA-256", "状态", "读取", "入库", "隔离"]


def _file_row(f: InputFile, agencies: dict[str, str]) -> list[Cell]:
    return [
        Cell(scrub(source_zh(f.source)), sub=scrub(agencies.get(f.source, "")), small=True),
        Cell(scrub(f.path)), Cell(scrub(f.sha256), "hash"),
        Cell(scrub(FILE_STATUSES.get(f.status, f.status)), "bad" if f.status == "rejected" else "",
             sub=scrub(reason_zh(f.reason)) if f.reason else ""),
        *[Cell(fmt_count(getattr(f, k)), "num") for k in COUNTS],
    ]


def _by_source(inputs: list[InputFile], agencies: dict[str, str]) -> list[list[Cell]]:
    rows = []
    for s in sorted({f.source for f in inputs}):
        fs = [f for f in inputs if f.source == s]
        rejected = sum(1 for f in fs if f.status == "rejected")
        rows.append([
            Cell(scrub(source_zh(s))), Cell(scrub(agencies.get(s, ""))),
            Cell(fmt_count(len(fs)), "num"),
            Cell(fmt_count(rejected), "num bad" if rejected else "num"),
            *[Cell(fmt_count(sum(getattr(f, k) or 0 for f in fs)), "num") for k in COUNTS],
        ])
    return rows


def releases_panel(view: ReleaseView) -> list[Panel]:
    """A roll-up's input releases (indicators.md §9), one line each: the district (or city),
    its gate outcome, who published it and its run; [] for a district's own release."""
    rels = [f for f in view.manifest.inputs if f.source == "release"]
    if not rels:
        return []
    rows = []
    for f in rels:
        if f.status == "rejected":
            gate = Cell(scrub(FILE_STATUSES.get(f.status, f.status)), "bad",
                        sub=scrub(reason_zh(f.reason)) if f.reason else "")
        else:
            gate = Cell(scrub(str(getattr(f, "gate", "") or "")))
        rows.append([Cell(scrub(str(getattr(f, "region_name", "") or "")),
                          sub=scrub(str(getattr(f, "region_code", "") or "")), small=True),
                     gate, Cell(scrub(str(getattr(f, "published_by", "") or ""))),
                     Cell(scrub(str(getattr(f, "run_id", "") or "")), "hash")])
    return [Panel("汇总的下级发布", "每个下级单位的发布：质量闸门结论、发布人和运行编号；缺报或被拒的单位"
                  "使本次汇总的闸门不通过（可豁免）。",
                  table(["单位", "闸门结论", "发布人", "运行编号"], rows), wide=True)]


def inputs_panels(view: ReleaseView) -> list[Panel]:
    m = view.manifest
    agencies, inputs = m.source_agencies, m.inputs
    waivers = [[Cell(scrub(w.check)), Cell(scrub(w.period)), Cell(scrub(w.reason)),
                Cell(scrub(w.by)), Cell(scrub(w.at))] for w in m.waivers]
    rejected = [_file_row(f, agencies) for f in inputs if f.status == "rejected"]
    every = table(FILE_HEADERS, [_file_row(f, agencies) for f in inputs])
    return [
        *releases_panel(view),
        Panel("豁免记录", "授权人对某项检查在本期放行的记录及理由。",
              table(["检查项", "期间", "理由", "批准人", "时间"], waivers, empty="本期无豁免"),
              wide=True),
        Panel("输入文件（按来源）", "每个来源的文件数、拒收数和行数（读取 = 入库 + 隔离）。",
              table(["来源", "报送单位", "文件", "拒收", "读取", "入库", "隔离"],
                    _by_source(inputs, agencies)), wide=True),
        Panel("被拒收的文件", "整份退回的文件：原因见状态栏，按 SHA-256 可找到原件。",
              table(FILE_HEADERS, rejected, empty="本期无拒收文件"), wide=True),
        Panel("全部输入文件", "本次发布所用的每个文件及其 SHA-256 指纹，可据此核对原始台账。",
              render_fragment("details", div_id="all-inputs",
                              summary=f"展开全部 {len(inputs)} 个文件", body=every), wide=True),
    ]
