"""What a file is, by its bytes (never by its name): data contract v2 §1.

``sniff(data)`` returns one of the readable kinds

- ``xlsx`` (also .xlsm: a zip with ``xl/workbook.xml``), ``xlsb`` (a zip with
  ``xl/workbook.bin``), ``ods`` (a zip with ``content.xml`` and the OpenDocument
  spreadsheet ``mimetype``), ``xls`` (an OLE2 compound file, magic ``D0 CF 11 E0``, holding a
  ``Workbook``/``Book`` stream: BIFF8/BIFF5),
- ``html`` (a page with ``<table``/``<html``, what web systems export as "Excel"),
  ``xml2003`` (an Excel 2003 XML spreadsheet, ``urn:schemas-microsoft-com:office:spreadsheet``),
- ``text`` (anything else that is not binary: CSV or TXT, decoded later),

or raises ``Foreign`` naming what the file is instead ("这是PDF文件 / this is a PDF").
"""

from __future__ import annotations

import io
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_NS = b"urn:schemas-microsoft-com:office:spreadsheet"

# magic bytes of common files that are not tables: (prefix, 中文, English)
_MAGIC = (
    (b"%PDF", "PDF文件", "a PDF"),
    (b"\x89PNG", "PNG图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG图片", "a JPEG image"),
    (b"GIF8", "GIF图片", "a GIF image"),
    (b"II*\x00", "TIFF图片", "a TIFF image"),
    (b"MM\x00*", "TIFF图片", "a TIFF image"),
    (b"Rar!", "RAR压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip压缩包", "a gzip archive"),
    (b"{\\rtf", "RTF文档（Word/WPS文字）", "an RTF (word-processor) document"),
)


class Foreign(Exception):
    """The file is not a table civstat can read; the message names what it is."""


def _foreign(zh: str, en: str) -> Foreign:
    return Foreign(f"这是{zh}，不是表格；请另存为 .xlsx 或 .csv 后重新报送 / this is {en}, "
                   f"not a spreadsheet; save it as .xlsx or .csv and send it again")


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "xlsx"  # a damaged zip: most likely a damaged workbook, the reader says so
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names and "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            mime = z.read("mimetype")[:100]
        if b"spreadsheet" in mime:
            return "ods"
        if b"text" in mime:
            raise _foreign("OpenDocument文字文档", "an OpenDocument text document")
        raise _foreign("OpenDocument文档（不是表格）", "an OpenDocument file that is not a spreadsheet")
    if any(n.startswith("word/") for n in names):
        raise _foreign("Word文档（.docx）", "a Word document (.docx)")
    if any(n.startswith("ppt/") for n in names):
        raise _foreign("PowerPoint演示文稿", "a PowerPoint presentation")
    raise _foreign("zip压缩包", "a zip archive")


def _ole2_names(data: bytes) -> list[str]:
    """Stream names of the first directory sector of an OLE2 file (MS-CFB §2.6)."""
    shift = int.from_bytes(data[0x1E:0x20], "little")
    if not 7 <= shift <= 16:
        return []
    size = 1 << shift
    start = (int.from_bytes(data[0x30:0x34], "little") + 1) * size
    names = []
    for off in range(start, min(start + size, len(data) - 127), 128):
        n = int.from_bytes(data[off + 0x40:off + 0x42], "little")
        if 2 <= n <= 64:
            names.append(data[off:off + n - 2].decode("utf-16-le", errors="replace"))
    return names


def _ole2_kind(data: bytes) -> str:
    """An OLE2 compound file: a workbook holds a ``Workbook`` (BIFF8) or ``Book`` stream."""
    names = set(_ole2_names(data))
    u16 = lambda s: s.encode("utf-16-le")  # noqa: E731 - directory names are UTF-16LE
    word = "WordDocument" in names or (not names & {"Workbook", "Book"}
                                        and u16("WordDocument\x00") in data)
    if not word and (names & {"Workbook", "Book"} or u16("Workbook\x00") in data
                     or u16("Book\x00") in data):
        return "xls"
    if word:
        raise _foreign("Word文档（.doc）", "a Word document (.doc)")
    if "PowerPoint Document" in names or u16("PowerPoint Document") in data:
        raise _foreign("PowerPoint演示文稿", "a PowerPoint presentation")
    raise _foreign("Office复合文档（不是工作簿）", "an Office compound file that is not a workbook")


def _markup_kind(head: bytes) -> str | None:
    """``html`` / ``xml2003`` from the first bytes (any ASCII-compatible or UTF-16 encoding)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not low.startswith(b"<"):
        return None
    if SPREADSHEET_NS in low and (low.startswith(b"<?xml") or b"<workbook" in low):
        return "xml2003"
    if b"<table" in low or b"<html" in low or low.startswith(b"<!doctype html"):
        return "html"
    return None


def sniff(data: bytes) -> str:
    """The readable kind of ``data`` (see the module doc); ``Foreign`` for anything else."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE2):
        return _ole2_kind(data)
    for magic, zh, en in _MAGIC:
        if data.startswith(magic):
            raise _foreign(zh, en)
    if data[:2] == b"BM" and int.from_bytes(data[2:6], "little") == len(data) > 26:
        raise _foreign("BMP图片", "a BMP image")
    markup = _markup_kind(data[:4096])
    if markup:
        return markup
    return "text"
