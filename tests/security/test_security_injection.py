"""Issue 16, defect 6: a data string is never run as a formula, a link, a style or Markdown,
in any published format (CSV, XLSX, the pages' charts and tables, summary.md) nor in the
clerks' quarantine CSV."""

import json
import re
from decimal import Decimal

import openpyxl
import polars as pl
import pytest
from lxml import html as lxml_html
from release_sample import EAST, SAMPLE, make_frame, make_manifest

from ingest.cells import formula_safe, formula_safe_column, markdown_code, markdown_text
from orchestration.release import write_release
from orchestration.release.comparisons import Comparison, comparisons_csv_bytes

FORMULAS = ['=HYPERLINK("https://evil.example/","金港街道")', "+1+2", "-1+2", "@SUM(1)",
            "\t=1", "\r=1", " =1+1", "＝1+1", "＋1"]
LINK = '<a href="https://evil.example/">金港街道</a>'
STYLE = '<span style="font-size:60px">金港街道</span>'
MARKDOWN = ["东|街道", "**东**街道", "_东_街道", "[东街道](https://evil.example/)", "`东`街道",
            "<b>东街道</b>"]


def _named(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The frame with township EAST renamed `name`."""
    return frame.with_columns(
        pl.when(pl.col("region_code") == EAST).then(pl.lit(name))
        .otherwise(pl.col("region_name")).alias("region_name"))


def _publish(root, name, pages=False):
    monthly = _named(make_frame(SAMPLE, period="2025-06"), name)
    return write_release(root, "2025H1", _named(make_frame(SAMPLE), name), make_manifest(),
                         monthly, pages=pages)


def _csv_cells(path, column):
    frame = pl.read_csv(path, infer_schema=False)
    return frame.filter(pl.col("region_code") == EAST)[column].unique().to_list()


@pytest.mark.parametrize("payload", FORMULAS)
def test_a_formula_is_quoted_in_every_csv_and_text_in_the_xlsx(tmp_path, payload):
    folder = _publish(tmp_path, payload)
    name = payload.strip()  # the release strips names (rows.release_rows)
    for file in ("indicators.csv", "monthly.csv"):
        assert _csv_cells(folder / file, "region_name") == ["'" + name], file
    sheet = openpyxl.load_workbook(folder / "indicators.xlsx")["社会救助"]
    cells = [row[2] for row in sheet.iter_rows(min_row=2) if row[1].value == EAST]
    assert cells and all((c.value, c.data_type) == (name, "s") for c in cells)


def test_comparisons_csv_quotes_a_formula_in_its_text_cells():
    row = Comparison("2025H1", "=1+1", "@x", "-x", "count", Decimal(5), "2024H2", Decimal(4),
                     Decimal("25.00"), "2024H1", None, None)
    line = comparisons_csv_bytes([row]).decode("utf-8-sig").splitlines()[1]
    assert line == "2025H1,'=1+1,'@x,'-x,5,2024H2,4,25.00,2024H1,,"


def test_the_polars_column_rule_is_the_function():
    values = [*FORMULAS, "金港=1", "a-b", "", " ", None]
    out = pl.DataFrame({"c": values}).with_columns(formula_safe_column("c"))["c"].to_list()
    assert out == [None if v is None else formula_safe(v) for v in values]
    assert out[-5:] == ["金港=1", "a-b", "", " ", None]


def _plot_strings(page: str) -> list[str]:
    """Every JSON string literal inside the page's scripts, decoded."""
    tree = lxml_html.fromstring(page)
    out = []
    for script in tree.iter("script"):
        for lit in re.findall(r'"(?:[^"\\]|\\.)*"', script.text or ""):
            out.append(json.loads(lit))
    return out


@pytest.mark.parametrize("payload", [LINK, STYLE])
def test_markup_in_a_name_is_text_in_charts_and_tables(tmp_path, payload):
    folder = _publish(tmp_path, payload, pages=True)
    page = (folder / "dashboards" / "overview.html").read_text("utf-8")
    tree = lxml_html.fromstring(page)
    assert not [a for a in tree.iter("a") if "evil.example" in (a.get("href") or "")]
    assert not [e for e in tree.iter() if "font-size:60px" in str(e.get("style") or "")]
    strings = _plot_strings(page)
    assert not [s for s in strings if "<a " in s or "<span" in s]  # plotly would render them
    escaped = payload.replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in strings  # the township's category label, shown as the text itself


@pytest.mark.parametrize("payload", MARKDOWN)
def test_markdown_in_a_name_is_literal_in_the_summary(tmp_path, payload):
    folder = _publish(tmp_path, payload)
    text = (folder / "summary.md").read_text("utf-8")
    table = [line for line in text.splitlines() if line.startswith("| ")]
    head, rows = table[0], table[1:]
    unescaped_pipes = re.compile(r"(?<!\\)\|")
    assert all(len(unescaped_pipes.findall(r)) == len(unescaped_pipes.findall(head))
               for r in rows)
    assert payload not in text
    assert markdown_text(payload) in text


def test_markdown_escapes_by_hand():
    assert markdown_text("东|街道") == "东\\|街道"
    assert markdown_text("[a](b) *c* _d_ `e` <f> ~g~") == (
        "\\[a\\](b) \\*c\\* \\_d\\_ \\`e\\` &lt;f&gt; \\~g\\~")
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`a") == "`` `a ``"
