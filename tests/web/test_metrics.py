"""Prometheus metrics at /metrics (app/metrics.py) and the figures /healthz adds: request
latency by endpoint, queue depths, failed jobs and the audit sealing lag; not public."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rq.job import Job
from rq.serializers import JSONSerializer

from app.extensions import db
from app.jobs import queue, redis_connection
from app.metrics import MULTIPROC_ENV
from app.records import audit

ROOT = Path(__file__).resolve().parents[2]
OUTSIDER = {"REMOTE_ADDR": "203.0.113.5"}


def samples(text: str) -> dict[tuple, float]:
    """{(name, sorted label items): value} of an exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


def scrape(client, **kwargs) -> dict:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    return samples(response.get_data(True))


# --- who may scrape -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "header", "allowed_ips", "served"),
    [
        ("127.0.0.1", None, None, True),  # the default: the machine itself
        ("::1", None, None, True),
        ("203.0.113.5", None, None, False),  # anyone else: denied by default
        ("203.0.113.5", "Bearer wrong-token", None, False),
        ("203.0.113.5", "Basic c2VjcmV0", None, False),
        ("203.0.113.5", "Bearer metrics-token-of-the-test", None, True),
        ("10.1.2.3", None, "10.0.0.0/8", True),  # a configured network
        ("127.0.0.1", None, "10.0.0.0/8", False),  # ... which replaces the default
        ("not an address", None, None, False),
    ],
)
def test_metrics_are_served_only_to_allowed_networks_or_the_token(
    client, app, monkeypatch, remote, header, allowed_ips, served
):
    from app.metrics import _networks

    monkeypatch.setitem(app.config, "METRICS_TOKEN", "metrics-token-of-the-test")
    if allowed_ips:
        monkeypatch.setitem(app.config, "METRICS_NETWORKS", _networks(allowed_ips))
    headers = {"Authorization": header} if header else {}
    response = client.get("/metrics", headers=headers, environ_overrides={"REMOTE_ADDR": remote})
    assert response.status_code == (200 if served else 404)
    if served:
        assert b"openimi_database_up" in response.data


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP"])
def test_through_an_untrusted_proxy_only_the_token_counts(client, app, monkeypatch, header):
    """nginx on the same machine without BEHIND_PROXY=1: every client would look local."""
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "metrics-token-of-the-test")
    passed_on = {header: "203.0.113.5"}
    assert client.get("/metrics", headers=passed_on).status_code == 404
    with_token = {**passed_on, "Authorization": "Bearer metrics-token-of-the-test"}
    assert client.get("/metrics", headers=with_token).status_code == 200
    monkeypatch.setitem(app.config, "BEHIND_PROXY", True)  # ProxyFix decides the address
    assert client.get("/metrics", headers=passed_on).status_code == 200


def test_a_misconfigured_network_stops_the_start_with_its_name():
    from app.metrics import _networks

    assert [str(n) for n in _networks(" 10.0.0.0/8, ::1 ,")] == ["10.0.0.0/8", "::1/128"]
    with pytest.raises(ValueError, match="METRICS_ALLOWED_IPS: 'monitor.example.eu'"):
        _networks("10.0.0.0/8,monitor.example.eu")


def test_without_a_configured_token_no_bearer_is_accepted(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", None)
    for header in ("Bearer ", "Bearer None", "Bearer"):
        response = client.get(
            "/metrics", headers={"Authorization": header}, environ_overrides=OUTSIDER
        )
        assert response.status_code == 404


# --- what is measured -----------------------------------------------------------------------


def test_request_latency_is_labelled_by_endpoint_and_status_class(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page/12345")
    client.open("/healthz", method="BREW")
    found = scrape(client)

    def count(**labels):
        full = {"app": "production", **labels}
        now = value(found, "openimi_request_duration_seconds_count", **full) or 0
        return now - (value(before, "openimi_request_duration_seconds_count", **full) or 0)

    assert count(endpoint="main.healthz", method="GET", status="2xx") == 2
    assert count(endpoint="none", method="GET", status="4xx") == 1
    assert count(endpoint="none", method="other", status="4xx") == 1
    # No raw path in any label: the label set is bounded by the routes.
    assert not [key for key in found if "/no/such" in str(key)]
    # The buckets are cumulative and end in +Inf, equal to the count.
    inf = value(
        found,
        "openimi_request_duration_seconds_bucket",
        app="production",
        endpoint="main.healthz",
        method="GET",
        status="2xx",
        le="+Inf",
    )
    assert inf == value(
        found,
        "openimi_request_duration_seconds_count",
        app="production",
        endpoint="main.healthz",
        method="GET",
        status="2xx",
    )


def test_training_requests_are_not_counted_in_production_metrics(client):
    client.get("/training/healthz")
    found = scrape(client)
    assert not [key for key in found if ("app", "training") in key[1]]
    # The embedded mode (no Redis) has no queue figures.
    assert not [key for key in found if key[0].startswith("openimi_queue")]


def test_sealing_lag_counts_the_rows_the_sealer_has_not_chained(client, app):
    audit.record("test.metrics", object_type="request", object_id=1)
    audit.record("test.metrics", object_type="request", object_id=2)
    db.session.commit()
    time.sleep(0.02)
    found = scrape(client)
    unsealed = value(found, "openimi_audit_unsealed_events", app="production")
    assert value(found, "openimi_database_up", app="production") == 1
    if db.engine.dialect.name == "sqlite":  # the embedded mode seals after each commit
        assert unsealed == 0
        return
    assert unsealed == 2
    assert value(found, "openimi_audit_sealing_lag_seconds", app="production") > 0

    audit.seal(wait_seconds=0)
    found = scrape(client)
    assert value(found, "openimi_audit_unsealed_events", app="production") == 0
    assert value(found, "openimi_audit_sealing_lag_seconds", app="production") == 0


def _park_jobs(production) -> None:
    """One job waiting on the mail queue and one failed on the pdf queue (no worker)."""
    mail = queue(production, "mail")
    mail.enqueue("app.jobs.mail.send_one", "production", 1)
    pdf = queue(production, "pdf")
    failed = Job.create(
        "app.jobs.pdf.render", args=("production", 1), connection=pdf.connection,
        serializer=JSONSerializer, origin=pdf.name,
    )  # fmt: skip
    failed.save()
    pdf.failed_job_registry.add(failed, ttl=600, exc_string="Traceback: boom")


@pytest.mark.redis
def test_queue_depths_failed_jobs_and_oldest_age_come_from_redis(rq_apps):
    production, _ = rq_apps
    _park_jobs(production)
    time.sleep(0.05)
    client = production.test_client()
    with production.app_context():
        found = scrape(client)
    assert value(found, "openimi_queue_up", app="production") == 1
    depth = {
        (queue_name, state): value(
            found, "openimi_queue_jobs", app="production", queue=queue_name, state=state
        )
        for queue_name in ("mail", "pdf", "translation", "default")
        for state in ("queued", "failed")
    }
    assert depth == {
        ("mail", "queued"): 1,
        ("mail", "failed"): 0,
        ("pdf", "queued"): 0,
        ("pdf", "failed"): 1,
        ("translation", "queued"): 0,
        ("translation", "failed"): 0,
        ("default", "queued"): 0,
        ("default", "failed"): 0,
    }
    age = value(found, "openimi_queue_oldest_job_age_seconds", app="production", queue="mail")
    assert 0.04 < age < 60
    assert value(found, "openimi_queue_oldest_job_age_seconds", app="production", queue="pdf") == 0


def test_a_scrape_reports_redis_down_instead_of_failing(app):
    from tests.jobs.test_mail_jobs import redis_down

    with redis_down(app) as broken, broken.app_context():
        found = scrape(broken.test_client())
    assert value(found, "openimi_queue_up", app="production") == 0
    assert value(found, "openimi_database_up", app="production") == 1


# --- gunicorn's multiprocess mode -----------------------------------------------------------


def test_multiprocess_mode_adds_up_every_worker(client, tmp_path, monkeypatch):
    """Two processes (as two gunicorn workers) record a request each; a scrape in a third
    sees both."""
    record = (
        "from app.metrics import REQUEST_SECONDS;"
        "REQUEST_SECONDS.labels('production', 'main.home', 'GET', '2xx').observe(0.2);"
        "REQUEST_SECONDS.labels('training', 'main.home', 'GET', '2xx').observe(0.2)"
    )
    env = {**os.environ, MULTIPROC_ENV: str(tmp_path), "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen([sys.executable, "-c", record], env=env, cwd=ROOT) for _ in range(2)
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    assert len(list(tmp_path.glob("histogram_*.db"))) == 2  # one file per process

    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path))
    found = scrape(client)
    labels = {"app": "production", "endpoint": "main.home", "method": "GET", "status": "2xx"}
    assert value(found, "openimi_request_duration_seconds_count", **labels) == 2
    assert value(found, "openimi_request_duration_seconds_sum", **labels) == pytest.approx(0.4)
    assert value(found, "openimi_request_duration_seconds_bucket", **labels, le="0.25") == 2
    assert value(found, "openimi_request_duration_seconds_bucket", **labels, le="0.1") == 0
    assert not [key for key in found if ("app", "training") in key[1]]
    assert value(found, "openimi_database_up", app="production") == 1


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.redis
def test_healthz_reports_queue_depth_and_the_oldest_job(rq_apps):
    production, _ = rq_apps
    _park_jobs(production)
    time.sleep(0.05)
    with production.app_context():
        response = production.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["database"], body["queue"]) == ("ok", "ok")
    assert body["queues"]["mail"]["depth"] == 1
    assert 0.04 < body["queues"]["mail"]["oldest_seconds"] < 60
    assert body["queues"]["pdf"] == {"depth": 0, "oldest_seconds": 0.0}
    assert set(body["queues"]) == {"mail", "translation", "pdf", "default"}
    assert body["sealing"] == {"unsealed": 0, "lag_seconds": 0.0}
    with production.app_context():
        assert redis_connection(production).ping()


@pytest.mark.parametrize(
    ("remote", "header", "figures"),
    [
        ("127.0.0.1", None, True),  # monitoring on the machine (the default network)
        ("203.0.113.5", "Bearer metrics-token-of-the-test", True),  # monitoring elsewhere
        ("203.0.113.5", None, False),  # a load balancer, or anyone, through the site
        ("203.0.113.5", "Bearer wrong-token", False),
    ],
)
def test_healthz_tells_anyone_up_or_down_and_only_monitoring_its_figures(
    client, app, monkeypatch, remote, header, figures
):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "metrics-token-of-the-test")
    headers = {"Authorization": header} if header else {}
    response = client.get("/healthz", headers=headers, environ_overrides={"REMOTE_ADDR": remote})
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert ("sealing" in body) is figures, body
