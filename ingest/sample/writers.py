"""Stream one inbox file (xlsx or csv) the way a township writes it: title rows, header,
data rows, a correct 合计 row, signature rows. Values come in canonical form:
months/dates as ``date``, datetimes as ``datetime``, money as integer cents, counts as int,
codes as their canonical value, booleans as bool; ``Raw(x)`` is written verbatim."""

from __future__ import annotations

import csv
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import xlsxwriter

from ingest.contract import SOURCES, Kind
from ingest.sample import forms
from ingest.sample.styles import FileStyle

CREATED = datetime(2000, 1, 1)  # fixed workbook metadata: same bytes for the same seed
UNIT_COLS = {"family_size": "人", "covered_persons": "人", "persons": "人",
             "affected_persons": "人", "relocated_persons": "人"}
XLSX_NUM = {"month": "yyyy-mm", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


class Raw:
    """A cell written exactly as given (planted faults, deliberately odd spellings)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def header_name(col, style: FileStyle) -> str:
    if style.header == "en":
        return col.name
    if style.header == "alias" and col.aliases:
        return col.aliases[0]
    if style.header == "spaced":
        return f" {col.zh.replace('（', '(').replace('）', ')')} "
    return col.zh


def money_text(cents: int, form: str) -> str:
    if form == "yuan":
        return f"{cents / 100:,.2f}元"
    return f"{cents // 100}.{cents % 100:02d}"


def fmt_value(col, v, style: FileStyle):
    """Cell value (str/int/float/datetime) of canonical value ``v`` in column ``col``."""
    if isinstance(v, Raw):
        return v.value
    if v is None:
        return ""
    return formatter(col, style)(v)


def formatter(col, style: FileStyle):
    """A function canonical value -> cell value for one column of one file."""
    k, xlsx = col.kind, style.fmt == "xlsx"
    if k is Kind.MONEY:
        if style.money == "num" and xlsx:
            return lambda v: v / 100
        form = "text" if style.money == "num" else style.money
        return lambda v: money_text(v, form)
    if k is Kind.COUNT:
        if style.count == "unit" and col.name in UNIT_COLS:
            unit = UNIT_COLS[col.name]
            return lambda v: f"{v}{unit}"
        return (lambda v: v) if xlsx else str
    if k is Kind.QUANTITY:
        return (lambda v: v) if xlsx else (lambda v: f"{v:.4f}".rstrip("0").rstrip("."))
    if k is Kind.MONTH:
        return lambda v: month_text(v, style.month)
    if k is Kind.DATE:
        return lambda v: date_text(v, style.date)
    if k is Kind.DATETIME:
        return lambda v: datetime_text(v, style.datetime)
    if k is Kind.BOOL:
        return lambda v: "是" if v else "否"
    if k is Kind.CODE:
        zh = style.code == "zh"
        spell = {c: (s[0] if s and (zh or not c.isascii()) else c) for c, s in col.codes.items()}
        return lambda v: spell.get(v, v)
    return _text


def _text(v):
    return v if type(v) is str else str(v)


@lru_cache(maxsize=4096)
def month_text(d: date, form: str):
    if form == "iso":
        return f"{d.year}-{d.month:02d}"
    if form == "slash":
        return f"{d.year}/{d.month:02d}"
    if form == "compact":
        return f"{d.year}{d.month:02d}"
    if form == "zh":
        return f"{d.year}年{d.month}月"
    return datetime(d.year, d.month, d.day)


def date_text(d: date, form: str):
    if form == "iso":
        return d.isoformat()
    if form == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if form == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return datetime(d.year, d.month, d.day)


def datetime_text(t: datetime, form: str):
    if form == "iso":
        return t.strftime("%Y-%m-%dT%H:%M:%S")
    if form == "space":
        return t.strftime("%Y-%m-%d %H:%M")
    if form == "slash":
        return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"
    if form == "zh":
        return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute}分"
    return t


class Sheet:
    """One inbox file. ``columns``: contract column names in file order."""

    def __init__(self, path: Path, source: str, columns, style: FileStyle, *, title=(),
                 total_cols=(), total_offset=0, signers=("", ""), remarks=None, form=None):
        self.path, self.style = path, style
        self.form = form or {}
        # a workbook of a special form (forms.py) is buffered and written when it closes
        self._buf = [] if self.form and style.fmt == "xlsx" else None
        src = SOURCES[source]
        self.cols = [src.column(c) for c in columns]
        self.total_idx = [i for i, c in enumerate(self.cols) if c.name in total_cols]
        self.sums = [0] * len(self.cols)
        self.total_offset = total_offset
        self.signers = signers
        self.remarks = remarks or {}
        names = [c.name for c in self.cols]
        for k in ("split", "merge"):  # a column named in the form -> its position
            if isinstance(self.form.get(k), str):
                self.form = {**self.form, k: names.index(self.form[k]) + style.seq_col}
        self.rows = 0
        self._fns = [formatter(c, style) for c in self.cols]
        self._kinds = [_xlsx_kind(c) for c in self.cols]
        if style.seq_col:
            self._kinds.insert(0, None)
        if style.remark_col:
            self._kinds.append(None)
        header = [header_name(c, style) for c in self.cols]
        if style.seq_col:
            header = ["序号", *header]
        if style.remark_col:
            header.append("备注")
        self.width = len(header)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self._buf is not None:
            pass
        elif style.fmt == "xlsx":
            self._open_xlsx()
        else:
            self._fh = open(path, "w", encoding=style.encoding, newline="")  # noqa: SIM115
            self._csv = csv.writer(self._fh, lineterminator="\r\n" if style.crlf else "\n")
        self._r = 0
        if style.title:
            for line in title:
                self._line([line], merge=True)
        if self._buf is None and style.fmt == "csv" and self.form.get("header_rows") == 2:
            for cells in forms.two_row_header(header):
                self._line(cells)
        else:
            self._line(header, role="header")

    def _open_xlsx(self):
        wb = xlsxwriter.Workbook(str(self.path), {"constant_memory": True})
        wb.set_properties({"created": CREATED, "author": "", "company": ""})
        self._wb = wb
        self._ws = wb.add_worksheet("Sheet1")
        self._fmts = {k: wb.add_format({"num_format": v}) for k, v in XLSX_NUM.items()}
        self._money_fmt = wb.add_format({"num_format": "#,##0.00"})

    def _line(self, cells, merge=False, role="footer"):
        if self._buf is not None:
            self._buf.append(forms.Line(list(cells), [], "title" if merge else role))
        elif self.style.fmt == "xlsx":
            ws = self._ws
            if merge and self.width > 1:
                ws.merge_range(self._r, 0, self._r, self.width - 1, cells[0])
            else:
                for j, v in enumerate(cells):
                    self._cell(j, v)
        else:
            self._csv.writerow(["" if v is None else v for v in cells]
                               + [""] * (self.width - len(cells)))
        self._r += 1

    def _cell(self, j, v, kind=None):
        ws, r = self._ws, self._r
        if v is None or v == "":
            return
        if isinstance(v, datetime):
            ws.write_datetime(r, j, v, self._fmts[kind or "datetime"])
        elif isinstance(v, str):
            ws.write_string(r, j, v)
        elif kind == "money":
            ws.write_number(r, j, v, self._money_fmt)
        else:
            ws.write_number(r, j, v)

    def add(self, values, hidden=False):
        """One data row (``hidden``: a row the clerk hid in the workbook). A row may leave
        out trailing optional columns (e.g. a planted row written before v2): empty cells."""
        values = self._padded(values)
        self.rows += 1
        cells = [None if v is None else v.value if type(v) is Raw else f(v)
                 for f, v in zip(self._fns, values, strict=True)]
        for i in self.total_idx:
            v = values[i]
            self.sums[i] += v if isinstance(v, int) else 0
        if self.style.seq_col:
            cells.insert(0, self.rows)
        if self.style.remark_col:
            cells.append(self.remarks.get(self.rows, ""))
        if self._buf is not None:
            self._buf.append(forms.Line(cells, list(self._kinds), "data", hidden))
        elif self.style.fmt == "xlsx":
            cell = self._cell
            for j, (v, kind) in enumerate(zip(cells, self._kinds, strict=True)):
                cell(j, v, kind)
            self._r += 1
        else:
            self._csv.writerow(cells)

    def close(self):
        st = self.style
        if st.total and self.total_idx:
            if st.blank_before_total:
                self._line([])
            cells = [""] * len(self.cols)
            for n, i in enumerate(self.total_idx):
                v = self.sums[i] + (self.total_offset if n == len(self.total_idx) - 1 else 0)
                cells[i] = fmt_value(self.cols[i], v, st)
            cells = (["合计"] + cells) if st.seq_col else cells
            if not st.seq_col:
                cells[0] = "合计"
            self._row_cells(cells)
        if st.signature:
            self._line([f"制表人：{self.signers[0]}", "", f"审核人：{self.signers[1]}"])
        if self._buf is not None:
            forms.write(self.path, self.form, self._buf, self.width, CREATED)
        elif st.fmt == "xlsx":
            if st.second_sheet:
                self._wb.add_worksheet("说明").write_string(0, 0, "本表由乡镇（街道）民政办填报。")
            self._wb.close()
        else:
            self._fh.close()

    def add_line(self, text: str) -> None:
        """A CSV data line written as it stands (a hand edit: e.g. a stray quote)."""
        self.rows += 1
        self._fh.write(text + ("\r\n" if self.style.crlf else "\n"))

    def _padded(self, values) -> list:
        missing = self.cols[len(values):]
        if any(c.required for c in missing):
            raise ValueError(f"{self.path.name}: a row leaves out required columns")
        return [*values, *([None] * len(missing))]

    def line_cells(self, values) -> list[str]:
        """The CSV cells ``add`` would write for ``values``."""
        values = self._padded(values)
        cells = [None if v is None else v.value if type(v) is Raw else f(v)
                 for f, v in zip(self._fns, values, strict=True)]
        cells = ([str(self.rows + 1)] if self.style.seq_col else []) + ["" if c is None else str(c)
                                                          for c in cells]
        return cells + ([""] if self.style.remark_col else [])

    def _row_cells(self, cells):
        if self._buf is not None:
            self._buf.append(forms.Line(cells, list(self._kinds), "total"))
        elif self.style.fmt == "xlsx":
            for j, v in enumerate(cells):
                self._cell(j, v, self._kinds[j])
            self._r += 1
        else:
            self._line(cells)


def _xlsx_kind(col):
    if col is None:
        return None
    return {Kind.MONTH: "month", Kind.DATE: "date", Kind.DATETIME: "datetime",
            Kind.MONEY: "money"}.get(col.kind)
