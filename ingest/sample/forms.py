"""The file forms of real offices that ``--faults some`` writes (issue 11, data contract v2
§1): a legacy ``.xls`` (BIFF8, via xlwt), an HTML table named ``.xls``, a workbook whose
rows stand on two sheets, a 户编号 merged down over a household's members, hidden rows, a
header of two rows with grouped columns, and a CSV line with a stray quote.

A sheet with a ``form`` is buffered (``Line`` per row) and written here when it closes.
``form`` keys: ``container`` (``xlsx`` | ``xls`` | ``html``), ``split`` (column whose
cell text sends a data row to the sheet of that name), ``merge`` (column merged down over
equal neighbours), ``header_rows`` (2: grouped columns split over two rows).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

GROUPS = ("倒塌房屋", "损坏房屋", "农作物")  # group cells of a two-row header
XLS_NUM = {"month": "yyyy-mm", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


@dataclass
class Line:
    cells: list
    kinds: list = field(default_factory=list)
    role: str = "data"  # title | header | data | total | footer | raw
    hidden: bool = False


def two_row_header(names: list[str]) -> tuple[list, list]:
    """(group row, lower row) of a header: ``倒塌房屋户数`` -> ``倒塌房屋`` over ``户数``;
    a column of no group stands in the group row alone (merged down in a workbook)."""
    top, low = [], []
    for n in names:
        g = next((g for g in GROUPS if n.startswith(g) and len(n) > len(g)), None)
        top.append(g or n)
        low.append(n[len(g):] if g else None)
    return top, low


def write(path: Path, form: dict, lines: list[Line], width: int, created: datetime) -> None:
    container = form.get("container", "xlsx")
    sheets = _sheets(form, lines)
    if container == "html":
        _html(path, sheets[0][1], width)
    elif container == "xls":
        _xls(path, sheets, width, form)
    else:
        _xlsx(path, sheets, width, form, created)


def _sheets(form: dict, lines: list[Line]) -> list[tuple[str, list[Line]]]:
    j = form.get("split")
    if j is None:
        return [("Sheet1", lines)]
    head = [ln for ln in lines if ln.role in ("title", "header")]
    names: dict[str, list[Line]] = {}
    for ln in lines:
        if ln.role == "data":
            names.setdefault(str(ln.cells[j])[:31], list(head)).append(ln)
    return list(names.items())


def _header_rows(form: dict, ln: Line) -> list[list]:
    if ln.role == "header" and form.get("header_rows") == 2:
        return list(two_row_header(ln.cells))
    return [ln.cells]


def _xlsx(path: Path, sheets, width: int, form: dict, created: datetime) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": created, "author": "", "company": ""})
    fmts = {k: wb.add_format({"num_format": v}) for k, v in XLS_NUM.items()}
    fmts["money"] = wb.add_format({"num_format": "#,##0.00"})
    for name, lines in sheets:
        ws = wb.add_worksheet(name)
        r, merge_from = 0, None
        for ln in lines:
            if ln.role == "title" and width > 1:
                ws.merge_range(r, 0, r, width - 1, ln.cells[0])
                r += 1
                continue
            if ln.role == "header" and form.get("header_rows") == 2:
                top, low = two_row_header(ln.cells)
                for j in range(width):
                    if low[j] is None:
                        ws.merge_range(r, j, r + 1, j, top[j])
                    elif j == 0 or top[j - 1] != top[j]:
                        span = j
                        while span + 1 < width and top[span + 1] == top[j] and low[span + 1]:
                            span += 1
                        if span > j:
                            ws.merge_range(r, j, r, span, top[j])
                        else:
                            ws.write_string(r, j, top[j])
                    if low[j] is not None:
                        ws.write_string(r + 1, j, low[j])
                r += 2
                continue
            m = form.get("merge")
            for j, v in enumerate(ln.cells):
                kind = ln.kinds[j] if j < len(ln.kinds) else None
                if j == m and ln.role == "data" and merge_from and merge_from[1] == v:
                    continue  # covered by the merged range above
                _cell(ws, r, j, v, fmts.get(kind) if kind else None)
            if m is not None and ln.role == "data":
                v = ln.cells[m]
                if merge_from and merge_from[1] == v:
                    merge_from[2] = r
                else:
                    _close_merge(ws, m, merge_from)
                    merge_from = [r, v, r]
            if ln.hidden:
                ws.set_row(r, None, None, {"hidden": True})
            r += 1
        if form.get("merge") is not None:
            _close_merge(ws, form["merge"], merge_from)
    wb.close()


def _close_merge(ws, j: int, merge: list | None) -> None:
    if merge and merge[2] > merge[0]:
        ws.merge_range(merge[0], j, merge[2], j, merge[1])


def _cell(ws, r: int, j: int, v, fmt) -> None:
    if v is None or v == "":
        return
    if isinstance(v, datetime):
        ws.write_datetime(r, j, v, fmt)
    elif isinstance(v, str):
        ws.write_string(r, j, v)
    elif isinstance(v, bool):
        ws.write_boolean(r, j, v)
    else:
        ws.write_number(r, j, v, fmt)


def _xls(path: Path, sheets, width: int, form: dict) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles = {k: xlwt.easyxf(num_format_str=v) for k, v in XLS_NUM.items()}
    styles["money"] = xlwt.easyxf(num_format_str="#,##0.00")
    for name, lines in sheets:
        ws = wb.add_sheet(name)
        r = 0
        for ln in lines:
            if ln.role == "title" and width > 1:
                ws.write_merge(r, r, 0, width - 1, ln.cells[0])
                r += 1
                continue
            for cells in _header_rows(form, ln):
                for j, v in enumerate(cells):
                    kind = ln.kinds[j] if j < len(ln.kinds) else None
                    if v is None or v == "":
                        continue
                    if isinstance(v, datetime | date) or (kind == "money" and not
                                                          isinstance(v, str)):
                        ws.write(r, j, v, styles[kind or "date"])
                    else:
                        ws.write(r, j, v)
                r += 1
    wb.save(str(path))


def _text(v, kind: str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M" if kind == "datetime" else "%Y-%m-%d")
    if kind == "money" and not isinstance(v, str):
        return f"{v:.2f}"
    return str(v)


def _html(path: Path, lines: list[Line], width: int) -> None:
    """What web systems export as "Excel": an HTML table saved with a .xls name."""
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>',
           '<body><table border="1">']
    for ln in lines:
        if ln.role == "title":
            out.append(f'<tr><td colspan="{width}">{html.escape(str(ln.cells[0]))}</td></tr>')
            continue
        tds = "".join(f"<td>{html.escape(_text(v, ln.kinds[j] if j < len(ln.kinds) else None))}"
                      "</td>" for j, v in enumerate(ln.cells))
        out.append(f"<tr>{tds}</tr>")
    out.append("</table></body></html>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
