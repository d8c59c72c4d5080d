"""The shape of the contract as code: one module per source, engines generic over them."""

import re
from pathlib import Path

from ingest.contract import LOAD_ORDER, SOURCE_MODULES, SOURCES

INGEST = Path(__file__).resolve().parents[2] / "ingest"
ENGINES = ("rules.py", "stage1.py", "stage2.py", "fields.py", "append.py", "cache.py",
           "pipeline.py", "warehouse.py", "output.py", "contract.py")


def test_one_module_per_source_in_load_order():
    files = sorted(p.stem for p in (INGEST / "sources").glob("*.py") if p.stem != "__init__")
    assert files == sorted(SOURCE_MODULES) == sorted(SOURCES)
    assert LOAD_ORDER == SOURCE_MODULES
    for i, name in enumerate(LOAD_ORDER):
        assert set(SOURCES[name].depends_on) <= set(LOAD_ORDER[:i])


def test_no_engine_names_a_source():
    # a source's rules live in its own module: no engine tests a source by name
    names = "|".join(SOURCES)
    pattern = re.compile(r"""["'](""" + names + r""")["']""")
    for name in ENGINES:
        text = (INGEST / name).read_text(encoding="utf-8")
        if name == "contract.py":  # the registry lists the modules, and nothing else
            text = text.replace(text[text.index("SOURCE_MODULES = ("):
                                     text.index(")", text.index("SOURCE_MODULES = (")) + 1], "")
        assert not pattern.findall(text), (name, pattern.findall(text))
