"""The sites file of ``wfm roster-all``: which workspaces make up the network.

TOML (``sites.toml``)::

    [[sites]]
    name = "London 01"
    workspace = "01-london"      # a workspace folder, relative to this file's folder
    priority = 1                 # optional, default 0: higher runs first
    # database_url = "postgresql+psycopg://wfm@db/london"   # optional, instead of [database]

or CSV with the header ``name,workspace,priority[,database_url]``. Names are unique; each
workspace folder is that site's own (its ``wfm.toml``, its lock, versions and run log).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from wfm.config import toml_line
from wfm.errors import InputError

__all__ = [
    "SITE_COLUMNS",
    "Site",
    "parse_sites_csv",
    "parse_sites_toml",
    "read_sites",
    "sites_toml",
]

#: The columns (CSV) or keys (TOML) of a site; the first two are required.
SITE_COLUMNS = ("name", "workspace", "priority", "database_url")


@dataclass(frozen=True)
class Site:
    """One site of the network: a name, its workspace folder, a priority, a database URL.

    ``database_url`` (empty: the workspace's own ``[database] url`` or its SQLite file) names
    the site's database for this run, as ``WFM_DATABASE_URL`` does for one ``wfm roster``.
    """

    name: str
    workspace: str
    priority: int = 0
    database_url: str = ""


def _site(values: dict, base: Path, where: dict) -> Site:
    """One site from its raw values; ``where`` locates it (file, row, column prefix)."""

    def fail(message: str, key: str) -> InputError:
        return InputError(
            message, file=where["file"], row=where.get("row"), column=f"{where['prefix']}{key}"
        )

    unknown = sorted(set(values) - set(SITE_COLUMNS))
    if unknown:
        raise fail(f"unknown key; a site has {', '.join(SITE_COLUMNS)}", unknown[0])
    for key in ("name", "workspace"):
        value = values.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{key} is required (a non-empty text)", key)
    priority = values.get("priority", 0)
    if isinstance(priority, str):
        text = priority.strip()
        try:
            priority = int(text) if text else 0
        except ValueError:
            raise fail(f"priority must be a whole number, got {text!r}", "priority") from None
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise fail(f"priority must be a whole number, got {priority!r}", "priority")
    url = values.get("database_url") or ""
    if not isinstance(url, str):
        raise fail("database_url must be a text", "database_url")
    folder = Path(os.path.expanduser(values["workspace"].strip()))
    return Site(
        name=values["name"].strip(),
        workspace=str(folder if folder.is_absolute() else (base / folder)),
        priority=priority,
        database_url=url.strip(),
    )


def _unique(sites: list[Site], rows: list[dict]) -> list[Site]:
    if not sites:
        raise InputError("the sites file lists no site", file=rows[0]["file"] if rows else None)
    seen: dict[str, int] = {}
    for site, where in zip(sites, rows, strict=True):
        if site.name in seen:
            raise InputError(
                f"site name {site.name!r} appears twice (also site {seen[site.name] + 1})",
                file=where["file"],
                row=where.get("row"),
                column=f"{where['prefix']}name",
            )
        seen[site.name] = len(seen)
    return sites


def parse_sites_toml(
    text: str, *, file: str = "sites.toml", base: Path | None = None
) -> list[Site]:
    """The sites of a TOML sites file (``[[sites]]`` tables); relative workspaces against
    ``base`` (default: the file's folder)."""
    base = base or Path(file).resolve().parent
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # the message ends "(at line N, column M)"
        line = re.search(r"at line (\d+)", str(err))
        row = int(line.group(1)) if line else None
        raise InputError(f"not valid TOML: {err}", file=file, row=row) from None
    entries = data.get("sites")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("expected [[sites]] tables", file=file, column="sites")
    where = [{"file": file, "prefix": f"sites[{i + 1}]."} for i in range(len(entries))]
    if not entries:
        raise InputError("the sites file lists no site", file=file, column="sites")
    try:
        sites = [_site(e, base, w) for e, w in zip(entries, where, strict=True)]
        return _unique(sites, where)
    except InputError as err:
        raise InputError(
            err.message, file=file, row=_toml_line(text, err.column), column=err.column
        ) from None


def _toml_line(text: str, key: str | None) -> int | None:
    """The line of ``sites[N].key`` (N counted from 1, as the messages do) in the TOML text."""
    found = re.match(r"^sites\[(\d+)\]\.(.+)$", key or "")
    return toml_line(text, f"sites[{int(found.group(1)) - 1}].{found.group(2)}" if found else key)


def parse_sites_csv(text: str, *, file: str = "sites.csv", base: Path | None = None) -> list[Site]:
    """The sites of a CSV sites file (header ``name,workspace,priority[,database_url]``)."""
    base = base or Path(file).resolve().parent
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    for key in ("name", "workspace"):
        if key not in header:
            raise InputError(f"missing column {key!r}", file=file, row=1, column=key)
    reader.fieldnames = header
    sites, where = [], []
    for line_no, row in enumerate(reader, start=2):
        if None in row:
            raise InputError("more fields than the header has", file=file, row=line_no)
        values = {k: v for k, v in row.items() if v is not None}
        if not any(v.strip() for v in values.values()):
            continue  # a blank line
        w = {"file": file, "row": line_no, "prefix": ""}
        sites.append(_site(values, base, w))
        where.append(w)
    if not sites:
        raise InputError("the sites file lists no site", file=file)
    return _unique(sites, where)


def read_sites(path: str | os.PathLike) -> list[Site]:
    """The sites of ``path`` (``.csv``: CSV, else TOML)."""
    from wfm.io.files import read_text

    p = Path(path)
    text = read_text(p)
    parse = parse_sites_csv if p.suffix.lower() == ".csv" else parse_sites_toml
    return parse(text, file=str(p), base=p.resolve().parent)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sites_toml(sites: list[Site], *, base: Path | None = None) -> str:
    """A TOML sites file listing ``sites`` (workspaces relative to ``base`` where inside it)."""
    lines = ["# The sites of `wfm roster-all --sites FILE`: one [[sites]] table per workspace."]
    for site in sites:
        folder = Path(site.workspace)
        if base is not None and folder.is_relative_to(base):
            folder = folder.relative_to(base)
        lines += ["", "[[sites]]", f"name = {_toml_string(site.name)}"]
        lines.append(f"workspace = {_toml_string(str(folder))}")
        lines.append(f"priority = {site.priority}")
        if site.database_url:
            lines.append(f"database_url = {_toml_string(site.database_url)}")
    return "\n".join(lines) + "\n"
