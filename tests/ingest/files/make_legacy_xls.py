"""Builds legacy_tekun.xls, the one BIFF8 (Excel 97-2003) fixture of test_ingest_workbooks.py.

No writer of .xls is a project dependency; run once, by hand, with a pinned xlwt:
    /work/main/build/uv/bin/uv run --no-project --with xlwt==1.3.0 python make_legacy_xls.py
The file: sheet 1 "说明" (a note, no header), sheet 2 "名册" (title row 1, header row 2, three
persons in rows 3-5, month as text merged down over rows 3-4, the second person's ID number a
15-digit text ID, row 6 a hidden person), sheet 3 "旧名册" hidden (a header and one row that
must never load).
"""

import xlwt

HEADER = ["发放月份", "姓名", "身份证号", "区划代码", "供养方式", "月供养金额"]
ROWS = [
    ["2026-06", "赵一", "110101196001010011", "110101001001", "集中供养", "800.00"],
    ["2026-06", "钱二", "110101600102002", "110101001002", "分散供养", 650.5],
    ["2026-06", "孙三", "110101196001030039", "110101001003", "分散供养", "700"],
]

book = xlwt.Workbook(encoding="utf-8")
note = book.add_sheet("说明")
note.write(0, 0, "本表为2026年6月特困供养名册")
sheet = book.add_sheet("名册")
sheet.write(0, 0, "2026年6月特困人员救助供养金发放名册")
for j, h in enumerate(HEADER):
    sheet.write(1, j, h)
sheet.write_merge(2, 3, 0, 0, "2026-06")
for i, row in enumerate(ROWS, start=2):
    for j, v in enumerate(row):
        if j or i == 4:
            sheet.write(i, j, v)
for j, v in enumerate(["2026-06", "周四", "110101196001040042", "110101001001", "集中供养",
                       "999.00"]):
    sheet.write(5, j, v)
sheet.row(5).hidden = True
old = book.add_sheet("旧名册")
old.visibility = 1  # hidden
for j, h in enumerate(HEADER):
    old.write(0, j, h)
for j, v in enumerate(["2026-06", "周四", "110101196001040042", "110101001001", "集中供养",
                       "999.00"]):
    old.write(1, j, v)
book.save("legacy_tekun.xls")
