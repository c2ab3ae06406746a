"""File input and output: the only place in ``wfm`` that touches files.

Readers take a path, read the text or CSV and hand it to the matching ``parse_*`` function, which
validates it and raises :class:`~wfm.errors.InputError` naming the file, row and column. Writers
write to a temporary file in the same folder and rename it over the target, so a crash never
leaves a half-written file and what the user had is never lost.
"""

from wfm.io.files import atomic_write_text, read_config, read_csv_text, write_csv, write_json

__all__ = ["atomic_write_text", "read_config", "read_csv_text", "write_csv", "write_json"]
