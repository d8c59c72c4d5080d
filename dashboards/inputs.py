"""The waivers and input files of the quality page.

A district run reads hundreds of files, so the page shows a summary per source and every
rejected file; the full list with every SHA-256 sits in a folded <details> block (open it on
screen; folded, it stays off paper).
"""

from __future__ import annotations

from dashboards.data import Release
from dashboards.fmt import esc, fmt_count, reason_zh, source_zh
from dashboards.html import panel, table

STATUS_ZH = {"loaded": "已入库", "rejected": "拒收"}
COUNTS = ("rows_read", "rows_loaded", "rows_quarantined")
FILE_HEADERS = ["来源 / 报送单位", "文件", "SHA-256", "状态", "读取", "入库", "隔离"]


def _file_row(f: dict, agencies: dict) -> list[tuple[str, str]]:
    src = f.get("source") or ""
    status = esc(STATUS_ZH.get(f.get("status"), f.get("status")))
    if f.get("reason"):
        status += f"<br>{esc(reason_zh(f['reason']))}"
    return [
        ("", f"{esc(source_zh(src))}<br><small>{esc(agencies.get(src, ''))}</small>"),
        ("", esc(f.get("path"))), ("hash", esc(f.get("sha256"))),
        ("bad" if f.get("status") == "rejected" else "", status),
        *[("num", fmt_count(f.get(k))) for k in COUNTS],
    ]


def _by_source(inputs: list[dict], agencies: dict) -> list[list[tuple[str, str]]]:
    sources = sorted({f.get("source") or "" for f in inputs})
    rows = []
    for s in sources:
        fs = [f for f in inputs if (f.get("source") or "") == s]
        rejected = sum(1 for f in fs if f.get("status") == "rejected")
        rows.append([
            ("", esc(source_zh(s))), ("", esc(agencies.get(s, ""))),
            ("num", fmt_count(len(fs))), ("num bad" if rejected else "num", fmt_count(rejected)),
            *[("num", fmt_count(sum(f.get(k) or 0 for f in fs))) for k in COUNTS],
        ])
    return rows


def inputs_section(release: Release) -> str:
    m = release.manifest
    agencies, inputs = m["source_agencies"], m["inputs"]
    waivers = [
        [("", esc(w.get("check"))), ("", esc(w.get("period"))), ("", esc(w.get("reason"))),
         ("", esc(w.get("by"))), ("", esc(w.get("at")))]
        for w in m["waivers"]
    ]
    rejected = [_file_row(f, agencies) for f in inputs if f.get("status") == "rejected"]
    every = table(FILE_HEADERS, [_file_row(f, agencies) for f in inputs])
    return "".join((
        panel("豁免记录", "授权人对某项检查在本期放行的记录及理由。",
              table(["检查项", "期间", "理由", "批准人", "时间"], waivers, empty="本期无豁免"),
              wide=True),
        panel("输入文件（按来源）", "每个来源的文件数、拒收数和行数（读取 = 入库 + 隔离）。",
              table(["来源", "报送单位", "文件", "拒收", "读取", "入库", "隔离"],
                    _by_source(inputs, agencies)), wide=True),
        panel("被拒收的文件", "整份退回的文件：原因见状态栏，按 SHA-256 可找到原件。",
              table(FILE_HEADERS, rejected, empty="本期无拒收文件"), wide=True),
        panel("全部输入文件", "本次发布所用的每个文件及其 SHA-256 指纹，可据此核对原始台账。",
              f'<details id="all-inputs"><summary>展开全部 {len(inputs)} 个文件</summary>'
              f"{every}</details>", wide=True),
    ))
