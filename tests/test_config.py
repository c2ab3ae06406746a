import pytest

from wfm import InputError, parse_config
from wfm.roster_params import RosterParams

GOOD = """
[site]
name = "T"
timezone = "Europe/London"

[[queues]]
name = "service"
channel = "voice"

[[queues]]
name = "mail"
channel = "email"
deadline_hours = 24
shrinkage = 0.2

[[shifts]]
name = "early"
earliest_start = "06:00"
latest_start = "09:00"
length_hours = [8.0, 8.5]
cost = 170
breaks = [{ length_min = 15, paid = true, earliest_after_min = 90, latest_after_min = 150 }]
"""


def test_good_config_parses_into_frozen_objects():
    config = parse_config(GOOD, file="wfm.toml")
    assert config.site.timezone == "Europe/London"
    assert config.queue_names == ("service", "mail")
    assert config.shifts[0].length_hours == (8.0, 8.5)
    assert config.shifts[0].start_minutes()[:2] == [360, 375]
    with pytest.raises(AttributeError):
        config.site.name = "x"  # frozen


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        ('channel = "voice"', 'channel = "fax"', "queues[0].channel", "unknown channel"),
        ("shrinkage = 0.2", "shrinkage = 1.0", "queues[1].shrinkage", "[0, 1)"),
        (
            'channel = "voice"',
            'channel = "voice"\nservice_level = 1.2',
            "queues[0].service_level",
            "(0, 1)",
        ),
        (
            'channel = "voice"',
            'channel = "voice"\nmax_occupancy = 0',
            "queues[0].max_occupancy",
            "(0, 1]",
        ),
        ('timezone = "Europe/London"', 'timezone = "Mars/Base"', "site.timezone", "time zone"),
        (
            "[site]",
            '[solver]\nroster_method = "tabu"\n\n[site]',
            "solver.roster_method",
            "two_stage or price_dive",
        ),
        (
            'channel = "voice"',
            'channel = "voice"\nservicelevel = 0.8',
            "queues[0].servicelevel",
            "unknown key",
        ),
        (
            "[site]",
            "[solver]\ntime_limit_sec = 30\n\n"
            "[solver.roster]\nday_share = 0.5\ndaily_share = 1\n\n[site]",
            "solver.roster.daily_share",
            "unknown key",
        ),
        (
            "[site]",
            "[solver.roster]\nmoves_share = 0.1\nday_share = 1.5\n\n[site]",
            "solver.roster.day_share",
            "[0, 1]",
        ),
        (
            "[site]",
            '[solver.roster]\nsearch_workers = "two"\n\n[site]',
            "solver.roster.search_workers",
            "whole number",
        ),
        (
            "[site]",
            "[solver.roster]\ngroup_thresholds = [0.3, 0.0]\n\n[site]",
            "solver.roster.group_thresholds",
            "(0, 1]",
        ),
    ],
)
def test_bad_values_name_file_line_and_key(old, new, column, words):
    text = GOOD.replace(old, new, 1)
    with pytest.raises(InputError) as caught:
        parse_config(text, file="wfm.toml")
    err = caught.value
    assert err.file == "wfm.toml"
    assert err.column == column
    assert words in err.message
    line = text.splitlines()[err.row - 1]
    assert column.rsplit(".", 1)[1] in line


def test_shift_window_crossing_midnight():
    config = parse_config(GOOD.replace('"06:00"', '"23:00"').replace('"09:00"', '"01:00"'))
    starts = config.shifts[0].start_minutes()
    assert starts[0] == 23 * 60 and starts[-1] == 25 * 60 and len(starts) == 9


def test_invalid_toml_names_line():
    with pytest.raises(InputError) as caught:
        parse_config("[site\nname=1", file="wfm.toml")
    assert caught.value.row == 1


def test_solver_roster_table_sets_the_heuristics_knobs():
    text = GOOD + '\n[solver]\nroster_method = "price_dive"\n\n[solver.roster]\n'
    text += "day_share = 0.5\nrepaired_agents = 3\ngroup_thresholds = [0.2, 0.05]\n"
    roster = parse_config(text, file="wfm.toml").solver.roster
    assert roster.day_share == 0.5
    assert roster.repaired_agents == 3
    assert roster.group_thresholds == (0.2, 0.05)
    assert roster.queue_day_share == RosterParams().queue_day_share  # the rest stay default
    assert parse_config(GOOD).solver.roster == RosterParams()


def test_roster_method_defaults_to_price_dive_and_two_stage_stays_selectable():
    assert parse_config(GOOD).solver.roster_method == "price_dive"
    text = GOOD + '\n[solver]\nroster_method = "two_stage"\n'
    assert parse_config(text).solver.roster_method == "two_stage"
