"""PuLP integer programs for shift plans and rosters."""
