"""The roll-up's regions file: ingest's header aliases, the level words of levels.toml."""

import pytest

from orchestration.rollup import RollupError
from orchestration.rollup.hierarchy import level_below, read_tree


def test_header_aliases_title_rows_and_level_words(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("某市行政区划\n"  # a title row above the header, as clerks write them
                    "行政区划代码,区划名称,层级,上级区划代码\n"
                    "320100000000,南京市,市,\n320102000000,玄武区,区,320100000000\n"
                    "320104000000,秦淮区,县,320100000000\n"
                    "320102001000,梅园街道,街道,320102000000\n"
                    "320102001001,某社区,社区,320102001000\n"
                    "330102000000,别市的区,区县,330100000000\n", encoding="utf-8")
    tree = read_tree(path)
    assert (tree.code, tree.name, tree.level, tree.child_level) == (
        "320100000000", "南京市", "city", "district")
    assert tree.children == {"320102000000": "玄武区", "320104000000": "秦淮区"}
    assert level_below("province") == "city"


def test_an_unknown_level_word_names_file_row_and_column(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("区划代码,名称,层级,上级代码\n320100000000,南京市,地市,\n"
                    "320102000000,玄武区,片区,320100000000\n", encoding="utf-8")
    with pytest.raises(RollupError, match=r"regions\.csv 第3行 row 3 列 column 层级: '片区'"):
        read_tree(path)


def test_two_regions_at_the_top_level_are_refused(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("区划代码,名称,层级,上级代码\n320100000000,南京市,地市,\n"
                    "320200000000,无锡市,地市,\n", encoding="utf-8")
    with pytest.raises(RollupError, match="320100000000, 320200000000"):
        read_tree(path)


def test_a_code_given_twice_or_a_child_without_parent_is_named(tmp_path):
    """Two rows of one code (the second replaced the first) and a district row without its
    上级代码 (it was left out of the city unseen) are errors naming the row."""
    path = tmp_path / "regions.csv"
    path.write_text("区划代码,名称,层级,上级代码\n320100000000,南京市,地市,\n"
                    "320102000000,玄武区,区县,320100000000\n"
                    "320102000000,秦淮区,区县,320100000000\n", encoding="utf-8")
    with pytest.raises(RollupError, match=r"第4行 row 4 列 column 区划代码: 320102000000 与第3行"):
        read_tree(path)
    path.write_text("区划代码,名称,层级,上级代码\n320100000000,南京市,地市,\n"
                    "320102000000,玄武区,区县,320100000000\n320104000000,秦淮区,区县,\n",
                    encoding="utf-8")
    with pytest.raises(RollupError, match=r"第4行 row 4 列 column 上级代码: 为空 empty"):
        read_tree(path)
