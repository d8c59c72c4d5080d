"""A table's cells and rows (dashboards/html.py `cell_html`, `table_rows_html`): every value
escaped, a link, a second line, the empty table; markup written here by hand."""

from dashboards.html import Cell, table


def test_each_kind_of_cell_is_escaped_and_laid_out():
    rows = [
        [Cell("<b>东街道</b>", "num"), Cell("a&b", href="t/320102001.html?x=1&y=\"2\"")],
        [Cell("甲", sub="<i>乙</i>"), Cell("丙", "mono", sub="丁'", small=True)],
    ]
    html = str(table(["名称", "链接"], rows))
    body = html[html.index("<tbody>") + len("<tbody>"):html.index("</tbody>")]
    assert body == (
        "\n"
        '<tr><td class="num">&lt;b&gt;东街道&lt;/b&gt;</td>'
        '<td class=""><a href="t/320102001.html?x=1&amp;y=&#34;2&#34;">a&amp;b</a></td></tr>\n'
        '<tr><td class="">甲<br>&lt;i&gt;乙&lt;/i&gt;</td>'
        '<td class="mono">丙<br><small>丁&#39;</small></td></tr>\n'
    )
    assert html.startswith("<table><thead><tr><th>名称</th><th>链接</th></tr></thead>")


def test_a_table_without_rows_says_so():
    assert str(table(["甲", "乙"], [], empty="本期无")) == (
        '<table><tr><th>甲</th><th>乙</th></tr><tr><td colspan="2">本期无</td></tr></table>\n')


def test_an_age_band_breakdown_is_named_in_chinese():
    # 高龄津贴's bands in force and 优待证's bands are slugs (80_89, 100_plus, 60_64): the
    # pages showed them as written
    from ingest.labels import breakdown_zh

    assert [breakdown_zh(b, "longevity_persons_end") for b in ("80_89", "90_99", "100_plus")] == [
        "80–89岁", "90–99岁", "100岁及以上"]
    assert [breakdown_zh(b, "senior_cards_issued") for b in ("60_64", "65_plus")] == [
        "60–64岁", "65岁及以上"]
    assert breakdown_zh("no_such") == "no_such" and breakdown_zh("urban") == "城市"
