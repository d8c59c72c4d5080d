"""Last line of defence: refuse to publish a text file that holds an ID or phone number.

Only whole tokens count (a run of digits inside a hex hash does not), and an 18-character
token counts only when its birth date is a real date and its GB 11643 check digit is right,
so ordinary figures and hashes do not trip it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest import idnumber
from orchestration.release.rows import ReleaseError

TEXT_SUFFIXES = {".csv", ".json", ".md", ".html", ".htm", ".txt", ".js", ".svg"}
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z.])(1[3-9]\d{9})(?![0-9A-Za-z]|\.\d)")
def is_id_number(token: str) -> bool:
    """An 18-character token that is a valid ID number (ingest.idnumber) born 1900–2100."""
    return idnumber.is_valid(token) and 1900 <= int(token[6:10]) <= 2100


def find_personal_numbers(text: str) -> list[str]:
    """Kinds of personal number found in text ('身份证号', '手机号'), at most one of each."""
    found = []
    if any(is_id_number(m) for m in _ID.findall(text)):
        found.append("身份证号 ID number")
    if _PHONE.search(text):
        found.append("手机号 phone number")
    return found


def assert_no_personal_numbers(folder: Path) -> None:
    """Raise ReleaseError naming the first published text file that holds one."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        found = find_personal_numbers(text)
        if found:
            raise ReleaseError(
                f"{path.relative_to(folder)}: 含有个人信息 holds a {' and a '.join(found)}; "
                "不发布 refusing to publish it"
            )
