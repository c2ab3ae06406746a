from wfm.axis import day_starts, interval_axis, week_axis


def test_dst_days_have_92_and_100_quarter_hours():
    spring = interval_axis("2026-03-29", 1, "Europe/London")
    autumn = interval_axis("2026-10-25", 1, "Europe/London")
    assert len(spring) == 92
    assert len(autumn) == 100
    assert len(interval_axis("2026-11-23", 1, "Europe/London")) == 96


def test_week_axis_is_continuous_and_days_split():
    axis = week_axis("2026-10-19", "Europe/London", 30)
    assert len(axis) == 7 * 48 + 2  # the autumn change adds one hour on Sunday 25 Oct
    assert len(day_starts(axis)) == 7
    steps = axis.to_series().diff().dropna().unique()
    assert len(steps) == 1
