"""Experiment readouts: randomised arms and difference-in-differences, against statsmodels on fixed data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats import proportion

from insight.errors import InputError
from insight.metrics.experiments import Experiment, load_experiments
from insight.metrics.readout import experiment_months, readout


def questions(rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
    """(asker, month, accepted): one question per row, answered by a helper, accepted or not."""
    posts = []
    for i, (asker, month, accepted) in enumerate(rows):
        at = pd.Timestamp(f"{month}-10T10:00:00Z") + pd.Timedelta(minutes=i)
        posts.append({"post_id": f"q{i}", "thread_id": f"t{i}", "author_id": asker, "created_at": at,
                      "kind": "question", "accepted_answer": False})
        posts.append({"post_id": f"r{i}", "thread_id": f"t{i}", "author_id": "helper",
                      "created_at": at + pd.Timedelta(hours=2), "kind": "reply", "accepted_answer": accepted})
    return pd.DataFrame(posts)


def members(ids: dict[str, str]) -> pd.DataFrame:
    rows = [{"author_id": a, "consent_analytics": True, "joined_at": "2025-01-01T00:00:00Z", "motivation": m,
             "segment": "startup"} for a, m in ids.items()]
    return pd.DataFrame([*rows, {"author_id": "helper", "consent_analytics": True, "joined_at": "2025-01-01T00:00:00Z",
                                 "motivation": "other", "segment": "startup"}])


def test_randomised_readout_is_the_two_proportion_comparison_of_the_arms() -> None:
    treatment = [f"a{i}" for i in range(60)]
    control = [f"b{i}" for i in range(60)]
    rows = [(a, "2026-08", i < 42) for i, a in enumerate(treatment)] + \
           [(b, "2026-09", i < 24) for i, b in enumerate(control)]
    experiment = Experiment("reminder", "h", "solution_acceptance_rate", "member", date(2026, 8, 1),
                            date(2026, 9, 30), 0.1, 0.8, arms={"treatment": tuple(treatment),
                                                               "control": tuple(control)}, control="control")
    out = readout(experiment, questions(rows), members(dict.fromkeys(treatment + control, "learn")))
    low, high = proportion.confint_proportions_2indep(42, 60, 24, 60, method="agresti-caffo", compare="diff")
    p = proportion.test_proportions_2indep(42, 60, 24, 60, method="agresti-caffo", compare="diff").pvalue
    assert out["uplift"] == pytest.approx(0.3) and (out["ci_low"], out["ci_high"]) == pytest.approx((low, high))
    assert out["p_value"] == pytest.approx(p) and out["n_per_arm"] == {"treatment": 60, "control": 60}
    assert out["design"] == "randomised" and "Agresti-Caffo" in out["method"]
    assert 0 < out["power_at_mde"] < 1 and out["months"] == ["2026-08", "2026-09"]


def test_an_empty_arm_is_a_coded_error() -> None:
    experiment = Experiment("x", "h", "solution_acceptance_rate", "member", date(2026, 8, 1), date(2026, 8, 31),
                            0.1, 0.8, arms={"treatment": ("a0",), "control": ("nobody",)}, control="control")
    with pytest.raises(InputError) as err:
        readout(experiment, questions([("a0", "2026-08", True)]), members({"a0": "learn"}))
    assert err.value.code == "E660"


def did_rows(post_effect: float, pre_drift: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Learners vs builders, 40 questions each a month, May-July before and August-September during."""
    rows, motivation = [], {}
    for month_index, month in enumerate(("2026-05", "2026-06", "2026-07", "2026-08", "2026-09")):
        during = month_index >= 3
        for group in ("learn", "build"):
            share = 0.5 + (post_effect if during and group == "learn" else 0.0)
            if group == "learn" and not during:
                share += pre_drift * (month_index - 1)
            accepted = round(40 * share)
            for i in range(40):
                asker = f"{group}{month_index}_{i}"
                motivation[asker] = group
                rows.append((asker, month, i < accepted))
    return questions(rows), members(motivation)


def cohort_experiment() -> Experiment:
    return Experiment("circle", "h", "solution_acceptance_rate", "member", date(2026, 8, 1), date(2026, 9, 30),
                      0.1, 0.8, treated="motivation=learn", comparison="motivation=build", pre_months=3)


def test_difference_in_differences_is_the_ols_interaction_with_the_pre_trend_shown() -> None:
    posts, people = did_rows(post_effect=0.25, pre_drift=0.0)
    out = readout(cohort_experiment(), posts, people)
    assert out["design"] == "difference-in-differences" and out["uplift"] == pytest.approx(0.25)
    # Reference: the same regression fitted by hand on the units.
    asked = posts[posts["kind"] == "question"]
    frame = pd.DataFrame({"x": [float(r) for r in posts[posts["kind"] == "reply"]["accepted_answer"]],
                          "treated": [int(a.startswith("learn")) for a in asked["author_id"]],
                          "post": [int(str(t)[:7] >= "2026-08") for t in asked["created_at"]]})
    fit = smf.ols("x ~ treated * post", data=frame).fit(cov_type="HC1")
    assert out["p_value"] == pytest.approx(fit.pvalues["treated:post"])
    assert (out["ci_low"], out["ci_high"]) == pytest.approx(tuple(fit.conf_int().loc["treated:post"]))
    assert out["n_per_arm"] == {"treated": 80, "comparison": 80}
    check = out["pre_trend"]
    assert check["parallel"] is True and [m["month"] for m in check["means"]] == ["2026-05", "2026-06", "2026-07"]


def test_diverging_pre_trends_are_flagged() -> None:
    posts, people = did_rows(post_effect=0.0, pre_drift=0.2)
    check = readout(cohort_experiment(), posts, people)["pre_trend"]
    assert check["parallel"] is False and check["p_value"] < 0.05 and "suspect" in check["detail"]


def test_experiments_file_registers_both_designs(tmp_path: Path) -> None:
    (tmp_path / "arms").mkdir()
    (tmp_path / "arms" / "t.txt").write_text("# treatment\na1\na2\n", encoding="utf-8")
    (tmp_path / "arms" / "c.txt").write_text("b1\n", encoding="utf-8")
    path = tmp_path / "experiments.toml"
    path.write_text('''
[[experiments]]
name = "reminder"
hypothesis = "Reminders raise acceptance."
kpi = "solution_acceptance_rate"
unit = "member"
start = 2026-08-01
end = 2026-10-31
mde = 0.1
power = 0.8
assignment = { arms = { treatment = "arms/t.txt", control = "arms/c.txt" } }

[[experiments]]
name = "circle"
hypothesis = "Mentors help learners."
kpi = "activation_rate"
unit = "member"
start = "2026-07-01"
end = "2026-09-30"
mde = 0.15
power = 0.8
assignment = { treated = "motivation=learn", comparison = "motivation=build" }
''', encoding="utf-8")
    found = load_experiments(path)
    assert list(found) == ["reminder", "circle"]
    assert found["reminder"].arms == {"treatment": ("a1", "a2"), "control": ("b1",)} and found["reminder"].randomised
    assert found["circle"].treated == "motivation=learn" and not found["circle"].randomised
    assert experiment_months(found["circle"]) == ["2026-07", "2026-08", "2026-09"]
    assert found["reminder"].summary()["arms"] == {"treatment": 2, "control": 1}


@pytest.mark.parametrize(("body", "code", "where"), [
    ("", "E656", None),
    ('[[experiments]]\nname = "x"\n', "E657", "experiments[0].hypothesis"),
    ('[[experiments]]\nname="x"\nhypothesis="h"\nkpi="nps"\nunit="member"\nstart=2026-01-01\nend=2026-02-01\n'
     'mde=0.1\npower=0.8\nassignment={treated="motivation=learn", comparison="motivation=build"}\n',
     "E657", "experiments[0].kpi"),
    ('[[experiments]]\nname="x"\nhypothesis="h"\nkpi="activation_rate"\nunit="member"\nstart=2026-01-01\n'
     'end=2026-02-01\nmde=0.1\npower=0.8\nassignment={arms={t="none.txt", control="none.txt"}}\n', "E659", None),
])
def test_bad_experiment_files_are_coded(tmp_path: Path, body: str, code: str, where: str | None) -> None:
    path = tmp_path / "experiments.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_experiments(path)
    assert err.value.code == code and (where is None or where in str(err.value))
    with pytest.raises(InputError) as missing:
        load_experiments(tmp_path / "nope.toml")
    assert missing.value.code == "E655"
