"""Peak memory of reading one hostile file (docs/ingest.md): run under `/usr/bin/time -v`.

    .venv/bin/python tests/reliability/measure_rss.py CASE DIR --build   # writes DIR/<file>
    /usr/bin/time -v .venv/bin/python tests/reliability/measure_rss.py CASE DIR
CASE: a key of hostile.CASES, `long_line_200mb` or `zip_bomb_1gb`; `baseline` reads nothing.
The second run reads the file from disk as the ingest does (`Path.read_bytes`).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from hostile import CASES, long_line_csv, zip_bomb  # noqa: E402

from ingest.reader import UnreadableFile, read_file  # noqa: E402

BIG = {"long_line_200mb": ("long.csv", lambda: long_line_csv(200)),
       "zip_bomb_1gb": ("bomb.xlsx", lambda: zip_bomb(1024))}

case, folder = sys.argv[1], Path(sys.argv[2])
if case != "baseline":
    name, build = BIG[case] if case in BIG else CASES[case][:2]
    if "--build" in sys.argv:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(build())
        sys.exit(0)
    data = (folder / name).read_bytes()
    try:
        read_file(Path(name), data)
        print(case, "read")
    except UnreadableFile as e:
        print(case, "rejected:", str(e)[:120])
