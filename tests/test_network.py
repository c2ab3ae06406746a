"""The parts of ``wfm roster-all`` that need no cluster: the sites file, the run order, the
exit code and the summary, one site's task called directly, and the network generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfm.config import parse_config
from wfm.demo.network import CHANNEL_MIXES, build_site, network_sites
from wfm.errors import InputError
from wfm.network import (
    NetworkRun,
    Site,
    SiteResult,
    SiteSize,
    lpt_order,
    makespan_bound_sec,
    network_client,
    network_exit_code,
    parse_sites_csv,
    parse_sites_toml,
    read_sites,
    roster_site,
    sites_toml,
    summary_dict,
    summary_table,
)

BASE = Path("/srv/wfm")

# --------------------------------------------------------------------------- sites file


def test_toml_sites_resolve_against_the_file_and_round_trip():
    text = """
[[sites]]
name = "London"
workspace = "london"
priority = 2

[[sites]]
name = "Leeds"
workspace = "/data/leeds"
database_url = "postgresql+psycopg://wfm@db/leeds"
"""
    sites = parse_sites_toml(text, file="sites.toml", base=BASE)
    assert sites == [
        Site("London", "/srv/wfm/london", 2),
        Site("Leeds", "/data/leeds", 0, "postgresql+psycopg://wfm@db/leeds"),
    ]
    assert parse_sites_toml(sites_toml(sites, base=BASE), base=BASE) == sites


def test_csv_sites_with_blank_lines_and_default_priority():
    text = "name,workspace,priority\nLondon,london,1\n\nLeeds,leeds,\n"
    sites = parse_sites_csv(text, file="sites.csv", base=BASE)
    assert [(s.name, s.workspace, s.priority) for s in sites] == [
        ("London", "/srv/wfm/london", 1),
        ("Leeds", "/srv/wfm/leeds", 0),
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name,workspace,priority\nLondon,london,high\n", "sites.csv, row 2, column 'priority'"),
        ("name,priority\nLondon,1\n", "sites.csv, row 1, column 'workspace'"),
        ("name,workspace\nLondon,a\nLeeds,\n", "sites.csv, row 3, column 'workspace'"),
        ("name,workspace\nLondon,a\nLondon,b\n", "sites.csv, row 3, column 'name'"),
        ("name,workspace\nLondon,a,extra\n", "sites.csv, row 2"),
        ("name,workspace\n", "sites.csv: the sites file lists no site"),
    ],
)
def test_bad_csv_sites_name_row_and_column(text, where):
    with pytest.raises(InputError) as err:
        parse_sites_csv(text, file="sites.csv", base=BASE)
    assert str(err.value).startswith(where)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[[sites]]\nname = "A"\n', "sites.toml, line 1, key 'sites[1].workspace'"),
        ('[[sites]]\nname = "A"\nworkspace = "a"\npriority = 1.5\n',
         "sites.toml, line 4, key 'sites[1].priority'"),
        ('[[sites]]\nname = "A"\nworkspace = "a"\nqueue = "x"\n', "line 4, key 'sites[1].queue'"),
        ('[[sites]]\nname = "A"\nworkspace = "a"\n[[sites]]\nname = "A"\nworkspace = "b"\n',
         "line 5, key 'sites[2].name': site name 'A' appears twice"),
        ('[[sites]]\nname = "A"\nworkspace = "a"\n\n[[sites]]\nname = "B"\nworkspace = ""\n',
         "line 7, key 'sites[2].workspace'"),
        ('[[sites]\nname = "A"\n', "sites.toml, line 1: not valid TOML"),
        ('site = 1\n', "sites.toml, key 'sites': expected [[sites]] tables"),
    ],
)  # fmt: skip
def test_bad_toml_sites_name_the_key(text, where):
    with pytest.raises(InputError) as err:
        parse_sites_toml(text, file="sites.toml", base=BASE)
    assert where in str(err.value)


def test_missing_sites_file_is_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_sites(tmp_path / "sites.toml")


# --------------------------------------------------------------------------- order, exit code


def test_lpt_order_priority_first_then_largest_then_file_order():
    sites = [Site(n, n, p) for n, p in (("a", 0), ("b", 0), ("c", 1), ("d", 0), ("e", 0))]
    sizes = {
        "a": SiteSize(10, 672),
        "b": SiteSize(40, 672),
        "c": SiteSize(5, 672),
        "d": SiteSize(None, None),  # unreadable here: last
        "e": SiteSize(10, 672),
    }
    assert [s.name for s in lpt_order(sites, sizes)] == ["c", "b", "a", "e", "d"]


def test_makespan_bound_is_the_larger_of_mean_load_and_longest_job():
    assert makespan_bound_sec([10, 10, 10, 10], 2) == 20
    assert makespan_bound_sec([50, 1, 1], 2) == 50
    assert makespan_bound_sec([], 2) == 0


def _result(name: str, status: str, code: int) -> SiteResult:
    return SiteResult(name=name, workspace=name, status=status, exit_code=code, message="m")


def test_exit_code_failed_over_unacceptable_over_success():
    done, same = _result("a", "done", 0), _result("b", "unchanged", 0)
    worse, failed = _result("c", "unacceptable", 3), _result("d", "failed", 2)
    assert network_exit_code([done, same]) == 0
    assert network_exit_code([done, worse]) == 3
    assert network_exit_code([done, worse, failed]) == 5
    assert network_exit_code([done], interrupted=True) == 130


def test_summary_table_and_json_name_every_site():
    results = [_result("London 01", "done", 0), _result("Leeds 02", "failed", 2)]
    run = NetworkRun(results, ["London 01", "Leeds 02"], 12.0, 10.0, 2, 2, "tcp://x:1")
    table = summary_table(run)
    assert table.splitlines()[0].split() == [
        "site", "status", "week", "version", "solver", "gap", "agents", "sec",
    ]  # fmt: skip
    assert "2 sites: 1 done, 1 failed; makespan 12.0 s on 2 worker threads" in table
    summary = summary_dict(run, week="next", sites_file="sites.toml")
    assert summary["exit_code"] == 5 and summary["failed"] == ["Leeds 02"]
    assert [s["name"] for s in summary["sites"]] == ["London 01", "Leeds 02"]


# --------------------------------------------------------------------------- one site's task


def test_roster_site_reports_a_bad_workspace_as_its_message(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "wfm.toml").write_text('[site]\nname = "x"\ntimezone = "Mars/Olympus"\n')
    result = roster_site(Site("Mars", str(folder)), "next")
    assert result.status == "failed" and result.exit_code == 2
    assert result.message.startswith(f"{folder / 'wfm.toml'}, line 3, key 'site.timezone'")
    missing = roster_site(Site("None", str(tmp_path / "none")), "2026-11-23")
    assert missing.status == "failed" and "no wfm.toml here" in missing.message


# --------------------------------------------------------------------------- the cluster


def test_an_unreachable_scheduler_is_input_error_naming_the_option():
    # port 9 (discard) has no scheduler
    with (
        pytest.raises(InputError) as err,
        network_client("tcp://127.0.0.1:9", connect_timeout_sec=1),
    ):
        pass
    assert str(err.value).startswith("--scheduler tcp://127.0.0.1:9: cannot reach")
    assert "dask scheduler" in str(err.value)


def test_a_scheduler_without_workers_is_input_error_naming_the_command():
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        with pytest.raises(InputError) as err, network_client(address, workers_wait_sec=1):
            pass
    assert f"no Dask worker joined the scheduler {address} within 1 s" in str(err.value)
    assert f"`dask worker {address}`" in str(err.value)


# --------------------------------------------------------------------------- the generator


def test_network_sites_vary_in_size_time_zone_and_channels():
    sites = network_sites(8, seed=2026)
    assert sites == network_sites(8, seed=2026)
    assert len({s.name for s in sites}) == len({s.folder for s in sites}) == 8
    assert len({s.timezone for s in sites}) == 8
    assert {s.mix for s in sites} == set(CHANNEL_MIXES)
    assert len({s.size.n_agents for s in sites}) >= 3
    assert [s.priority for s in sites] == [0, 0, 0, 0, 1, 0, 0, 0]


def test_a_generated_site_is_the_demo_with_its_own_zone_queues_and_agents():
    spec = network_sites(4)[2]
    demo = build_site(spec, time_limit_sec=3)
    config = parse_config(demo.config_text)
    assert config.site.name == spec.name and config.site.timezone == spec.timezone
    assert config.solver.time_limit_sec == 3
    assert tuple(q.name for q in config.queues) == spec.queues
    assert set(demo.history["queue"]) == set(spec.queues) - {"outbound"}
    assert str(demo.history["interval_start"].dt.tz) == spec.timezone
    assert len(demo.agents) == spec.size.n_agents
    skills = {s for row in demo.agents["skills"] for s in row}
    assert skills <= set(spec.queues) | {"*"}
