"""Issue 16, defect 7: a person's name or ID number in a file name, and a phone number in a
waiver reason, never reach a published file; the privacy scan runs last, reads the xlsx and
refuses the whole release."""

import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from release_sample import EAST, SAMPLE, make_frame, make_manifest

from ingest.redact import file_label, scrub
from orchestration.release import ReleaseError, privacy, write_release

ID = "110101196001020017"  # valid check digit (tests/ingest/ingest_cases.person(1))
PHONE = "13812345678"
SHA = "3fa2c1d0" + "9" * 56


def _manifest():
    m = make_manifest()
    m["inputs"][0].update(path=f"dibao_households/张三_{ID}.xlsx", sha256=SHA)
    m["waivers"][0]["reason"] = f"已电话核实 {PHONE}，户主 {ID}"
    m["checks"][1]["detail"] = f"账号 6222020200112233446 文件 {ID}.xlsx"
    m["ignored"] = [f"dibao_households/{ID}.lnk"]  # a key the model does not name
    return m


def _published_texts(folder):
    """Every published file's text; an xlsx as the text of all its zipped parts."""
    out = {}
    for path in folder.rglob("*"):
        if not path.is_file() or "history" in path.parts:
            continue
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[rel] = "".join(z.read(n).decode("utf-8") for n in z.namelist())
        else:
            out[rel] = path.read_text("utf-8", errors="replace")
    return out


def test_names_ids_and_phones_of_the_manifest_reach_no_published_file(tmp_path):
    folder = write_release(tmp_path, "2025H1", make_frame(SAMPLE), _manifest())
    texts = _published_texts(folder)
    assert {"manifest.json", "indicators.xlsx", "dashboards/quality.html",
            "summary.md"} <= set(texts)
    for rel, text in texts.items():
        for secret in ("张三", ID, PHONE, "6222020200112233446"):
            assert secret not in text, (rel, secret)
    manifest = (folder / "manifest.json").read_text("utf-8")
    assert '"path": "dibao_households/文件-3fa2c1d0.xlsx"' in manifest
    assert "已电话核实 ［已隐去］，户主 ［已隐去］" in manifest
    sheet = openpyxl.load_workbook(folder / "indicators.xlsx")["质量检查"]
    reasons = [row[3].value for row in sheet.iter_rows() if row[0].value == "quarantine_share"]
    assert "已电话核实 ［已隐去］，户主 ［已隐去］" in reasons


def test_the_scan_runs_last_and_nothing_is_published_on_a_hit(tmp_path, monkeypatch):
    monkeypatch.setattr("orchestration.release.writer.public_manifest", lambda m: m)
    with pytest.raises(ReleaseError, match="含有个人信息") as err:
        write_release(tmp_path, "2025H1", make_frame(SAMPLE), _manifest(), pages=False)
    assert "indicators.xlsx:xl/sharedStrings.xml" in str(err.value)  # first in name order
    assert not (tmp_path / "2025H1").exists()
    assert list((tmp_path / ".releases" / "2025H1").iterdir()) == [
        tmp_path / ".releases" / "2025H1" / ".lock"]
    assert list((tmp_path / ".staging").iterdir()) == []


def test_the_scan_reads_an_xlsx_and_names_files(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "a.xlsx"))
    wb.add_worksheet("质量检查").write_string(0, 0, f"联系 {PHONE}")
    wb.close()
    with pytest.raises(ReleaseError, match=r"a\.xlsx:xl/sharedStrings\.xml.*phone"):
        privacy.assert_no_personal_numbers(tmp_path)
    (tmp_path / "a.xlsx").unlink()
    (tmp_path / f"{ID}.txt").write_text("无")
    with pytest.raises(ReleaseError, match=f"{ID}.txt.*ID number"):
        privacy.assert_no_personal_numbers(tmp_path)


def test_a_region_name_holding_an_id_refuses_the_release(tmp_path):
    import polars as pl

    frame = make_frame(SAMPLE).with_columns(
        pl.when(pl.col("region_code") == EAST).then(pl.lit(f"东街道{ID}"))
        .otherwise(pl.col("region_name")).alias("region_name"))
    with pytest.raises(ReleaseError, match="ID number"):
        write_release(tmp_path, "2025H1", frame, make_manifest(), pages=False)
    assert not (tmp_path / "2025H1").exists()


@pytest.mark.parametrize(("text", "found"), [
    (f"x {ID} y", ["身份证号 ID number"]),
    (f"电话{PHONE}。", ["手机号 phone number"]),
    ("卡 6222020200112233446", ["银行卡号 bank-card number"]),   # Luhn-valid, 19 digits
    ("卡 6222020200112233445", []),                             # Luhn fails: a figure
    ("sha ab13812345678cd 110101196001020017ab", []),           # inside hashes
    ("1234.13812345678 0.30000000000000004", []),                # inside longer numbers
])
def test_personal_numbers_by_hand(text, found):
    assert privacy.find_personal_numbers(text) == found


def test_file_label_and_scrub_by_hand():
    assert file_label(f"dibao_households/张三_{ID}.XLSX", SHA) == "dibao_households/文件-3fa2c1d0.xlsx"
    assert file_label("张三.csv", SHA) == "文件-3fa2c1d0.csv"
    assert file_label("李四/王五.xls", SHA) == "文件-3fa2c1d0.xls"  # a folder not a source name
    assert scrub(f"电话 138-1234-5678 或 +86 {PHONE}，身份证 {ID[:-1]}X，旧证 {ID[:15]}") == (
        "电话 ［已隐去］ 或 ［已隐去］，身份证 ［已隐去］，旧证 ［已隐去］")
    assert scrub("文件 " + SHA) == "文件 " + SHA


@pytest.mark.parametrize(("text", "may_hold"), [
    (f"x {ID} y", True),
    (ID, True),                                       # the whole text
    (f"_{ID}_", True),                                # an underscore is no letter or digit
    (f"{ID[:-1]}X", True),
    (ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")), True),  # full-width
    (f"电话{PHONE}。", True),
    (f"{PHONE}.5", True),                             # a candidate the patterns then reject
    ("卡 6222020200112233446", True),
    ("320102001000,dibao_persons_end,total,17393", False),  # region codes: 12 digits
    ("0.30000000000000004,1234.13812345678", False),
    (f"ab{PHONE}cd x{ID} {ID}00", False),              # inside words; 20 digits
])
def test_the_fast_pass_finds_every_candidate(text, may_hold):
    """The one-pass pre-check may say yes where the exact patterns say no, never the reverse
    (worked by hand from the patterns' boundaries)."""
    assert privacy.may_hold_personal_numbers(text) is may_hold


def test_a_candidate_the_patterns_reject_is_not_reported():
    assert privacy.find_personal_numbers(f"{PHONE}.5") == []


@pytest.mark.parametrize(("data", "size", "pieces"), [
    (b"12345\n789<abc>defghij\nk", 8, [b"12345\n", b"789<abc>", b"defghij\n", b"k"]),
    (b"0123456789012\nx", 4, [b"0123456789012\n", b"x"]),   # no boundary in the window
    (b"0123456789", 4, [b"0123456789"]),                     # no boundary at all
    (b"short", 8, [b"short"]),
])
def test_a_file_is_scanned_in_pieces_cut_after_a_boundary(data, size, pieces):
    assert list(privacy._read_pieces(io.BytesIO(data), size)) == pieces
    # read from a stream that gives a byte or two at a time (a zipped part may): the same
    assert list(privacy._read_pieces(_Trickle(data), size)) == pieces


class _Trickle(io.RawIOBase):
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), 2, len(self.data) - self.at)
        b[:n] = self.data[self.at:self.at + n]
        self.at += n
        return n


def test_pieces_find_what_the_whole_text_finds(tmp_path, monkeypatch):
    """Cut into pieces of a few bytes, a file still shows its phone number, and a number
    that is no phone (followed by ".5") still is none."""
    monkeypatch.setattr(privacy, "PIECE_BYTES", 6)
    (tmp_path / "a.csv").write_text(f"地区,值\n东,{PHONE}.5\n西,<b>{PHONE}</b>\n",
                                    encoding="utf-8-sig")
    with pytest.raises(ReleaseError, match=r"a\.csv.*phone"):
        privacy.assert_no_personal_numbers(tmp_path)
    (tmp_path / "a.csv").write_text(f"地区,值\n东,{PHONE}.5\n" * 3, encoding="utf-8-sig")
    privacy.assert_no_personal_numbers(tmp_path)


def test_a_name_not_in_utf8_is_scanned_the_exact_way():
    name = "报表\udcff.csv"  # a surrogate escape: polars cannot hold it
    assert privacy.may_hold_personal_numbers(name) is True
    assert privacy.find_personal_numbers(name) == []
    assert privacy.find_personal_numbers(f"\udcff {PHONE} ") == ["手机号 phone number"]
