"""Writing output files so that a failed run never leaves a half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomically(path: str | Path, text: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` in one step."""
    target = Path(path)
    if target.exists() and not target.is_file():  # a directory, a device: never replaced
        raise IsADirectoryError(f"{target} exists and is not an ordinary file")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file: mkstemp's is 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_tree(path: str | Path, files: dict[str, bytes], own: set[str]) -> None:
    """Make directory `path` hold exactly `files` (relative path -> bytes), all or nothing.

    The new tree is written beside `path`, then swapped in by renames, so readers see the old
    set or the new one, never a mix, and files no longer produced (a person gone, a body made
    informal) disappear. Files are readable by others as the umask allows (a web server).

    Raises:
        FileExistsError: when `path` holds anything but the top-level names in `own` (it is
            somebody else's directory: nothing is deleted).
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} is a file, not a directory")
    if target.exists():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in own)
        if foreign:
            raise FileExistsError(
                f"{target} holds {', '.join(foreign[:3])}: give the feeds a directory of their own"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    mask = _umask()
    fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new."))
    old = target.parent / f".{target.name}.old.{fresh.name.rsplit('.', 1)[-1]}"
    try:
        for name, data in files.items():
            file = fresh / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
            file.chmod(0o666 & ~mask)
        for folder in [fresh, *(p for p in fresh.rglob("*") if p.is_dir())]:
            folder.chmod(0o777 & ~mask)
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    except BaseException:
        if old.exists() and not target.exists():
            old.rename(target)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
