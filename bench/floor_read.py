"""Floor, part 1: the plainest fast readers from inbox files into DuckDB (no validation).

xlsx through fastexcel/calamine, GB18030 CSV through Python's codec (re-encoded to a UTF-8
temporary file), UTF-8 CSV through DuckDB's own reader. The header row is found by the
known header names (the contract's Chinese, English and alias names); title rows above it
are skipped, total/signature/empty rows below it are left to the SQL to drop.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ingest.contract import SOURCES

SNIFF_BYTES = 64 * 1024
HEADER_SCAN_ROWS = 30


def _norm(cell: object) -> str:
    s = "" if cell is None else str(cell)
    return s.strip().replace("（", "(").replace("）", ")").lower()


def header_names(source: str, wanted: tuple[str, ...]) -> dict[str, str]:
    """Normalised header spelling -> contract column name, for the wanted columns."""
    out = {}
    for name in wanted:
        for h in SOURCES[source].column(name).headers:
            out[_norm(h)] = name
    return out


def match_header(cells: list, names: dict[str, str], wanted: tuple[str, ...]) -> dict | None:
    """{column name: index} when every wanted column is in this row, else None."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = names.get(_norm(cell))
        if name is not None and name not in found:
            found[name] = i
    return found if len(found) == len(wanted) else None


def read_xlsx(path: Path, source: str, wanted: tuple[str, ...]):
    """The wanted columns of the first sheet below the header row, as a pyarrow table."""
    import fastexcel
    import pyarrow as pa

    table = fastexcel.read_excel(str(path)).load_sheet(
        0, header_row=None, dtypes="string").to_arrow()
    names = header_names(source, wanted)
    for r in range(min(HEADER_SCAN_ROWS, table.num_rows)):
        found = match_header([table.column(j)[r].as_py() for j in range(table.num_columns)],
                             names, wanted)
        if found:
            body = table.slice(r + 1)
            return pa.table({n: body.column(found[n]) for n in wanted})
    return None


def sniff_csv(path: Path, source: str, wanted: tuple[str, ...]):
    """(encoding, header line index, {column: index}, column count) or None."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        encoding = "gb18030"
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()[:HEADER_SCAN_ROWS]
    names = header_names(source, wanted)
    for i, cells in enumerate(csv.reader(io.StringIO("\n".join(lines)))):
        found = match_header(cells, names, wanted)
        if found:
            return encoding, i, found, len(cells)
    return None


def load(con, source: str, files: list[Path], wanted: tuple[str, ...], tmp: Path) -> int:
    """Create table `<source>_text` (all VARCHAR, the wanted columns) from the files.

    Returns the number of files that yielded no header (skipped: the floor does no checks).
    """
    import pyarrow as pa

    groups: dict[tuple, list[str]] = {}
    tables, skipped = [], 0
    for n, path in enumerate(files):
        if path.suffix.lower() == ".xlsx":
            try:
                t = read_xlsx(path, source, wanted)
            except Exception:  # a damaged workbook: the floor skips it
                t = None
            if t is None:
                skipped += 1
            else:
                tables.append(t)
            continue
        sniffed = sniff_csv(path, source, wanted)
        if sniffed is None:
            skipped += 1
            continue
        encoding, line, found, ncols = sniffed
        target = str(path)
        if encoding != "utf-8":
            target = str(tmp / f"{source}_{n}.csv")
            Path(target).write_bytes(path.read_bytes().decode(encoding).encode("utf-8"))
        key = (line, ncols, tuple(found[c] for c in wanted))
        groups.setdefault(key, []).append(target)
    parts = []
    for k, ((line, ncols, idx), paths) in enumerate(groups.items()):
        cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols))
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        con.execute(f"create temp view {source}_csv{k} as select * from read_csv([{listed}], "
                    f"skip={line + 1}, header=false, columns={{{cols}}}, delim=',', "
                    "quote='\"', null_padding=true, strict_mode=false)")
        sel = ", ".join(f"c{i} as {c}" for i, c in zip(idx, wanted, strict=True))
        parts.append(f"select {sel} from {source}_csv{k}")
    if tables:
        con.register(f"{source}_xlsx", pa.concat_tables(tables, promote_options="default"))
        parts.append(f"select {', '.join(wanted)} from {source}_xlsx")
    con.execute(f"create temp table {source}_text as " + " union all ".join(parts))
    return skipped
