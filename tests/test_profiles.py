"""Honest profiles: where each bundled price comes from, how old it is, and what it bills."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from typer.testing import CliRunner

import ketacost
from ketacost import Clinic, Plan, estimate
from ketacost.cli import app
from ketacost.files import bundled
from ketacost.model.common import Source, price_age_days

D = Decimal
START = dt.date(2027, 1, 4)


@pytest.mark.parametrize("name", bundled.profile_names())
def test_every_bundled_profile_names_its_page_and_publication_date(name):
    source = ketacost.load_clinic(name).source
    assert source is not None
    assert source.url is not None
    assert urlparse(source.url).path.strip("/") or urlparse(source.url).query, source.url
    assert source.published is not None  # a date, or "unknown" said plainly
    assert isinstance(source.published, dt.date) or source.published == "unknown"
    assert source.checked is not None


def test_price_age_runs_from_publication_else_checking():
    article = Source(title="A 2019 article", published="2019-06-01", checked="2026-11-20")
    assert (
        price_age_days(article, dt.date(2026, 11, 30))
        == (dt.date(2026, 11, 30) - dt.date(2019, 6, 1)).days
    )
    undated = Source(title="A page", published="unknown", checked="2026-11-20")
    assert price_age_days(undated, dt.date(2026, 11, 30)) == 10
    assert price_age_days(Source(title="Nothing"), dt.date(2026, 11, 30)) is None
    with pytest.raises(ValueError, match="unknown"):
        Source(title="Bad", published="last spring")


def test_check_stale_uses_the_publication_date(tmp_path):
    # Checked yesterday, but the article is from 2019: stale at any sensible limit.
    clinic = tmp_path / "old.yaml"
    yesterday = dt.date.today() - dt.timedelta(days=1)
    clinic.write_text(
        "name: Old article\nsource:\n  title: An article\n  published: 2019-06-01\n"
        f"  checked: {yesterday.isoformat()}\nseries:\n  sessions: 1\n  price: 500\n"
    )
    result = CliRunner().invoke(app, ["check", str(clinic), "--stale", "365"])
    assert result.exit_code == 1
    age = (dt.date.today() - dt.date(2019, 6, 1)).days
    assert f"{age} days old" in result.stderr
    assert "published 2019-06-01" in result.stderr
    assert ":4:" in result.stderr  # the published line


def test_estimate_json_age_is_the_price_age():
    clinic = Clinic(
        name="Dated",
        source={"title": "Article", "published": "2026-01-04", "checked": "2026-12-01"},
        series={"sessions": 1, "price": 100},
    )
    data = estimate(clinic, start=START).to_dict()
    assert data["clinic"]["source_age_days"] == 365  # 2026-01-04 → 2027-01-04
    assert data["clinic"]["source"]["published"] == "2026-01-04"


def test_84mg_bills_g2082_on_day_one_then_g2083():
    clinic = ketacost.load_clinic("esketamine-medicare-84mg")
    part_b = ketacost.load_plan(
        Path(__file__).resolve().parent.parent / "examples" / "plans" / "medicare-part-b.yaml"
    )
    result = estimate(clinic, part_b, start=START, months=6)
    claims = result.scenarios[0].claims
    assert len(claims) == 21
    assert [line.code for line in claims[0].charge.codes] == ["G2082"]
    assert claims[0].billed == D("952.59")
    assert {line.code for c in claims[1:] for line in c.charge.codes} == {"G2083"}
    assert result.total == D("952.59") + 20 * D("1356.08")


def test_weekly_maintenance_variant():
    result = estimate(
        ketacost.load_clinic("esketamine-medicare-56mg-weekly"), start=START, months=6
    )
    # 8 twice-weekly sessions (days 0–24), then weekly from day 24 + 7 = 31 to day 180:
    # days 31, 38, …, 178 → (178 − 31) / 7 + 1 = 22; the horizon ends on day 181 (July 4).
    weekly = [e for e in result.events if e.item == "esketamine"]
    assert (weekly[0].date - START).days == 31
    assert all((b.date - a.date).days == 7 for a, b in itertools.pairwise(weekly))
    assert len(weekly) == (178 - 31) // 7 + 1 == 22
    assert result.sessions == 8 + 22
    assert result.total == result.sessions * D("952.59")


def test_superbill_profile_matches_its_source():
    clinic = ketacost.load_clinic("superbill-itemized-iv")
    result = estimate(clinic, start=START)
    assert result.total == 6 * (D(200) + D(250))  # $450 a self-pay visit, membership per session
    # The source: self-pay gets no superbill, so an out-of-network plan pays nothing back
    # (not the $800 a $900 superbill would have claimed against the $200 paid).
    plan = Plan(name="OON", out_of_network={"allowed": "70%"})
    s = estimate(clinic, plan, start=START).scenarios[0]
    assert s.claims == () and s.reimbursed == 0
    assert s.net == 6 * (D(200) + D(250))
    # The clinic's insurance option: it bills the plan $900 a session and the patient owes
    # the share. With a $1,000 deductible the first session's share is the whole 630
    # allowed (70% × 900), more than the $200 self-pay price: a warning, figures unchanged.
    inn = Plan(name="PPO", in_network={"deductible": 1000, "allowed": "70%"})
    network_in = clinic.model_copy(
        update={"billing": clinic.billing.model_copy(update={"network": "in-network"})}
    )
    result_in = estimate(network_in, inn, start=START)
    first, second = result_in.scenarios[0].claims[:2]
    assert first.billed == D(125 + 400 + 375) and first.allowed == D("0.7") * 900 == 630
    assert first.share == 630 and second.share == 1000 - 630  # the deductible's last 370
    assert any("cash price" in w for w in result_in.warnings)


# --- esketamine series with device prices ----------------------------------------------


def test_esketamine_series_takes_device_prices():
    clinic = Clinic(
        name="Split",
        modality="esketamine",
        series={
            "sessions": 3,
            "device_price": 300,
            "devices": 3,
            "first_devices": 2,
            "first_sessions": 1,
            "session_fee": 250,
        },
    )
    events = estimate(clinic, start=START).events
    assert [e.amount for e in events] == [D(300 * 2 + 250), D(300 * 3 + 250), D(300 * 3 + 250)]
    assert [e.drug for e in events] == [D(600), D(900), D(900)]


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ({"device_price": 300}, "needs devices"),
        ({"device_price": 300, "devices": 2, "price": 900}, "both device_price and price"),
        ({"price": 900, "session_fee": 100}, "goes with device_price"),
        ({"price": 900, "devices": 2}, "goes with device_price"),
    ],
)
def test_device_price_rules(series, message):
    with pytest.raises(ValueError, match=message):
        Clinic(name="Bad", modality="esketamine", series={"sessions": 2, **series})


def test_a_superbill_above_the_price_paid_is_flagged():
    from ketacost.engine.claims import superbill_warning
    from ketacost.report.estimate import estimate_report

    # the bundled profile's $900 superbill handed to a self-pay patient who paid $200
    bundled = ketacost.load_clinic("superbill-itemized-iv")
    clinic = bundled.model_copy(
        update={"billing": bundled.billing.model_copy(update={"superbill": True})}
    )
    plan = Plan(name="OON", out_of_network={"allowed": "70%"})
    result = estimate(clinic, plan, start=START)
    warning = superbill_warning(result.scenarios[0].claims)
    assert warning is not None
    assert "billed $900.00, paid $200.00" in warning
    assert "so 6 claims get back less" in warning
    assert warning in result.warnings  # in every format: JSON "warnings", the report's header
    assert warning in result.to_dict()["warnings"]
    assert any("superbill asks more" in line for line in estimate_report(result).details)
    # billed = paid: nothing to say
    assert superbill_warning(estimate(clinic, None, start=START).scenarios[0].claims) is None
    # one session: one claim, said in the singular
    one = clinic.model_copy(update={"series": clinic.series.model_copy(update={"sessions": 1})})
    only = superbill_warning(estimate(one, plan, start=START).scenarios[0].claims)
    assert only is not None and "so 1 claim gets back less" in only


def test_no_superbill_warning_when_the_plan_part_is_within_what_was_paid():
    from ketacost.engine.claims import superbill_warning

    # $750 paid, billed $750, allowed 70% = $525, nothing toward a deductible, 40%
    # coinsurance = $210: the plan's part, 525 − 210 = $315, is below the $750 paid.
    clinic = ketacost.load_clinic("los-angeles-iv")
    plan = Plan(name="OON", out_of_network={"allowed": "70%", "coinsurance": "40%"})
    claims = estimate(clinic, plan, start=START).scenarios[0].claims
    assert claims[0].plan_part == 525 - 210
    assert superbill_warning(claims) is None
    # allowed 100%, no coinsurance: the plan's part equals the $750 paid, to the cent,
    # and a reimbursement equal to the plan's part is not short
    even = Plan(name="Even", out_of_network={"allowed": "100%"})
    even_claims = estimate(clinic, even, start=START).scenarios[0].claims
    assert even_claims[0].reimbursed == even_claims[0].plan_part == 750
    assert superbill_warning(even_claims) is None


def test_a_profile_is_written_out_as_the_text_it_reads():
    clinic = Clinic.model_validate(
        {
            "name": "  Westside  ",
            "currency": "usd",
            "source": {"title": "Price page", "published": "unknown", "checked": "2026-11-20"},
            "series": {
                "sessions": "6",
                "first_price": "$1,200.50",
                "later_price": 600,
                "per_week": 2,
            },
            "maintenance": [
                {"kind": "booster", "price": 650, "every_weeks": 12, "after_weeks": "4.5"}
            ],
            "payment_plans": [{"name": "CareCredit", "months": 12, "apr": "9.99%"}],
        }
    )
    written = clinic.model_dump(mode="json", exclude_unset=True)
    assert written["name"] == "Westside"  # trimmed
    assert written["currency"] == "USD"
    assert written["source"] == {
        "title": "Price page",
        "published": "unknown",
        "checked": "2026-11-20",
    }
    # money and fractions of weeks as exact text, counts as whole numbers
    assert written["series"] == {
        "sessions": 6,
        "first_price": "1200.50",
        "later_price": "600",
        "per_week": "2",
    }
    assert written["maintenance"] == [
        {"kind": "booster", "price": "650", "every_weeks": "12", "after_weeks": "4.5"}
    ]
    assert written["payment_plans"] == [{"name": "CareCredit", "months": 12, "apr": "0.0999"}]
    assert clinic.model_dump()["series"]["first_price"] == "1200.50"  # text in Python too
    assert Clinic.model_validate(written) == clinic  # and read back unchanged
