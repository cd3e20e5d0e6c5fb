"""Validation stamps: a directory that passed the whole contract is not checked again unchanged.

`huoyan validate DIR` (which always checks everything) or any load of DIR that finds no
violation writes a small JSON stamp
under $HUOYAN_HOME/validated/, keyed by the directory's resolved path, holding a fingerprint of
every table file in it (name, size, modification time in ns, inode) and of the rules (the
contract version and a hash of the modules that state and check them). A later load of the same
directory whose fingerprint equals the stamp's still reads and types every file (parsing.py:
the typed frames are the same either way, and a cell that cannot be read is still reported),
but skips the schema and cross-table checks that already passed. Any change (a file rewritten,
added, removed or renamed, a rule changed) gives another fingerprint, so the full checks run and
a bad file gets its usual report (table, row, column, rule).

E.g. `huoyan validate data/` then `huoyan rank --data data/` checks the rules once; replacing
data/bids.csv in between makes `rank` check everything again. The time it saves: 11 of the
19 s of reading the 2,000,000-tender world (23 M rows) before a ranking.

A stamp that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from data_contracts.contract import CONTRACT_VERSION
from data_contracts.io import SUFFIXES

STAMP_VERSION = 1
# The modules whose rules a stamp vouches for: a change to any of them invalidates every stamp.
_RULE_MODULES = ("contract.py", "schemas.py", "integrity.py", "membership.py", "parsing.py",
                 "io.py", "loader.py", "violations.py", "stamp.py")


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    digest = hashlib.sha256(f"{STAMP_VERSION}:{CONTRACT_VERSION}".encode())
    here = Path(__file__).parent
    for name in _RULE_MODULES:
        digest.update(name.encode())
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def fingerprint(directory: Path) -> dict:
    """What a stamp vouches for: the rules and every table file of `directory` as it is now."""
    files = {}
    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        st = path.stat()
        files[path.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return {"rules": rules_fingerprint(), "directory": str(Path(directory).resolve()),
            "files": files}


def _stamp_path(directory: Path) -> Path:
    from huoyan.settings import get_settings

    key = hashlib.sha256(str(Path(directory).resolve()).encode()).hexdigest()[:24]
    return get_settings().root / "validated" / f"{key}.json"


def is_stamped(directory: Path, now: dict) -> bool:
    """True if `directory`, whose fingerprint is `now`, passed the checks before as it is."""
    try:
        return json.loads(_stamp_path(directory).read_text(encoding="utf-8")) == now
    except (OSError, ValueError):
        return False


def record_validated(directory: Path, before: dict) -> None:
    """Stamp `directory` as valid, if its files are still those fingerprinted (`before`) when
    the checks began: a file replaced while they ran is not vouched for."""
    try:
        if fingerprint(directory) != before:
            return
        path = _stamp_path(directory)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}.partial")
        staging.write_text(json.dumps(before, sort_keys=True), encoding="utf-8")
        staging.replace(path)
    except OSError:
        return
    _prune(path.parent)


def _prune(stamps: Path) -> None:
    """Drop the stamps of directories that are gone (e.g. a test's temporary ones)."""
    for path in stamps.glob("*.json"):
        try:
            if not Path(json.loads(path.read_text(encoding="utf-8"))["directory"]).is_dir():
                path.unlink(missing_ok=True)
        except (OSError, ValueError, KeyError, TypeError):
            continue


def forget(directory: Path) -> None:
    """Remove the stamp of `directory` (its next load checks everything)."""
    try:
        _stamp_path(directory).unlink(missing_ok=True)
    except OSError:
        pass
