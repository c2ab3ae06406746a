"""The Data page: an uploaded file validated and imported exactly as ``wfm import`` imports it."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from wfm.errors import InputError, WfmError

__all__ = [
    "import_upload",
]


def import_upload(ws, kind: str, name: str, data: bytes) -> tuple[object | None, str | None]:
    """Validate and import an uploaded file exactly as ``wfm import KIND FILE`` does.

    Parameters
    ----------
    ws
        The open workspace.
    kind
        One of :data:`wfm.store.imports.IMPORT_KINDS`.
    name
        The uploaded file's name (what the report and any error name).
    data
        The file's bytes.

    Returns
    -------
    (ImportReport or None, str or None)
        The report on success; else the error (file, row, column), and nothing changed.
    """
    from wfm.store.imports import import_file

    safe = Path(name).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="wfm-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            report = import_file(ws, kind, path)
            # plausibility warnings name the upload, not the temporary copy
            warnings = tuple(w.replace(str(path), safe) for w in report.warnings)
            return dataclasses.replace(report, warnings=warnings), None
        except InputError as err:
            where = safe if err.file in (None, str(path)) else err.file
            return None, str(InputError(err.message, file=where, row=err.row, column=err.column))
        except WfmError as err:
            return None, str(err).replace(str(path), safe)
