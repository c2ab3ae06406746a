"""The workspace store: a site's data, schedule versions and run log in one database.

SQLite in the workspace folder by default, PostgreSQL for teams; SQLAlchemy 2 Core for both.
With :mod:`wfm.io`, the only code in ``wfm`` that touches files and databases.
"""

from wfm.store.imports import IMPORT_KINDS, ImportReport, import_file, import_frame
from wfm.store.read import (
    data_ranges,
    load_actuals,
    load_agent_states,
    load_agents,
    load_history,
    recent_imports,
    row_counts,
)
from wfm.store.workspace import (
    Workspace,
    database_url,
    init_workspace,
    migrate,
    open_workspace,
    workspace_folder,
)

__all__ = [
    "IMPORT_KINDS",
    "ImportReport",
    "Workspace",
    "data_ranges",
    "database_url",
    "import_file",
    "import_frame",
    "init_workspace",
    "load_actuals",
    "load_agent_states",
    "load_agents",
    "load_history",
    "migrate",
    "open_workspace",
    "recent_imports",
    "row_counts",
    "workspace_folder",
]
