"""Prometheus metrics at /metrics, and the queue and sealing figures /healthz reports too.

The exporter is prometheus_client itself (the Prometheus project's own library), not a
Flask wrapper: the process serves two apps (production, and training under /training),
each must report its own figures, the route must pass the app's deny-by-default check,
and gunicorn's multiprocess mode needs a registry built per scrape. A thin layer here
does all of that in fewer lines than adapting a wrapper would.

What is measured:
- `openimi_request_duration_seconds{app,endpoint,method,status}`: a histogram of every
  request, labelled by the Flask endpoint name (never the raw path: the set of labels is
  bounded by the routes), the method (unusual ones as "other") and the status class
  ("2xx" ... "5xx"). Requests that match no route are `endpoint="none"`.
- Computed when scraped (a few Redis commands and two indexed SQL statements):
  `openimi_queue_jobs{app,queue,state}` (state: queued, started, scheduled, failed, as
  RQ's queue and registries hold them), `openimi_queue_oldest_job_age_seconds{app,queue}`,
  `openimi_audit_unsealed_events{app}`, `openimi_audit_sealing_lag_seconds{app}`,
  `openimi_queue_up{app}` and `openimi_database_up{app}`.

Multi-process servers (gunicorn -w N): set PROMETHEUS_MULTIPROC_DIR to an empty folder
writable by the app, the same for every worker of one server, wiped before each start
(the systemd unit's ExecStartPre). Each worker then writes its histogram to files there
and a scrape, whichever worker answers, adds them all up. Without the variable each
process counts alone (one worker, `make run`).

Access: /metrics is not public. It answers a client whose address is in
METRICS_ALLOWED_IPS (networks, comma-separated; default 127.0.0.1 and ::1) or that sends
`Authorization: Bearer <METRICS_TOKEN>` (unset: no token is accepted); anyone else gets
404. Behind nginx, BEHIND_PROXY=1 is what makes the address the client's, not nginx's;
without it a request that a proxy passed on (X-Forwarded-For, Forwarded, X-Real-IP) is
served on the token only.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterable, Iterator
from datetime import UTC

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Pages take tens of milliseconds, PDFs and searches up to seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")

# Registered in no registry of its own: a scrape builds one (see `exposition`).
REQUEST_SECONDS = Histogram(
    "openimi_request_duration_seconds",
    "Time to answer a request, by Flask endpoint, method and status class.",
    ["app", "endpoint", "method", "status"],
    buckets=BUCKETS,
    registry=None,
)


def init_app(app: Flask) -> None:
    instance = app.config["INSTANCE"]
    prefix = "TRAINING_" if app.config.get("TRAINING") else ""
    allowed = app.config.get("METRICS_ALLOWED_IPS") or os.environ.get(
        f"{prefix}METRICS_ALLOWED_IPS", "127.0.0.1,::1"
    )
    app.config["METRICS_ALLOWED_IPS"] = allowed
    app.config["METRICS_NETWORKS"] = _networks(allowed)
    app.config.setdefault("METRICS_TOKEN", os.environ.get(f"{prefix}METRICS_TOKEN") or None)

    @app.before_request
    def start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            method = request.method if request.method in METHODS else "other"
            REQUEST_SECONDS.labels(
                instance,
                request.endpoint or "none",
                method,
                f"{response.status_code // 100}xx",
            ).observe(time.perf_counter() - started)
        return response

    view = _metrics_view
    view.permission = "metrics"  # type: ignore[attr-defined]  # checked in the view itself
    app.add_url_rule("/metrics", "metrics", view, methods=["GET"])


def _networks(value: str) -> list:
    networks = []
    for part in filter(None, (part.strip() for part in value.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"METRICS_ALLOWED_IPS: {part!r} is not an address or network"
            ) from None
    return networks


def allowed() -> bool:
    """The client's address is in METRICS_ALLOWED_IPS, or it sent the bearer token."""
    token = current_app.config.get("METRICS_TOKEN")
    offered = request.headers.get("Authorization", "")
    bearer = offered[len("Bearer ") :].strip() if offered.startswith("Bearer ") else ""
    if token and bearer and hmac.compare_digest(bearer.encode(), token.encode()):
        return True
    if not current_app.config.get("BEHIND_PROXY") and any(
        name in request.headers for name in PROXY_HEADERS
    ):
        # A proxy the app does not trust passed this on: the address is the proxy's
        # (nginx on 127.0.0.1 would make every client local). Only the token counts.
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in current_app.config["METRICS_NETWORKS"])


def _metrics_view() -> Response:
    if not allowed():
        abort(404)
    return Response(exposition(current_app), mimetype=CONTENT_TYPE_LATEST)


def exposition(app: Flask) -> bytes:
    """The text a scrape receives: this process's histogram, or every worker's in
    multiprocess mode, for this app only, and the figures computed now."""
    registry = CollectorRegistry(auto_describe=False)
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        source = CollectorRegistry(auto_describe=False)
        multiprocess.MultiProcessCollector(source, path=folder)
    else:
        source = REQUEST_SECONDS
    registry.register(_OneApp(source, app.config["INSTANCE"]))
    registry.register(_Now(app))
    return generate_latest(registry)


class _OneApp(Collector):
    """The samples of one app: the process may serve both instances."""

    def __init__(self, source, instance: str) -> None:
        self.source, self.instance = source, instance

    def collect(self) -> Iterable[Metric]:
        for metric in self.source.collect():
            if not metric.name.startswith("openimi_"):
                continue
            mine = Metric(metric.name, metric.documentation, metric.type, metric.unit)
            mine.samples = [s for s in metric.samples if s.labels.get("app") == self.instance]
            yield mine


class _Now(Collector):
    """Gauges computed at scrape time: queues and the audit sealer."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        instance = self.app.config["INSTANCE"]
        queue_up = GaugeMetricFamily(
            "openimi_queue_up", "1 if Redis answered (absent in the embedded mode).", labels=["app"]
        )
        jobs = GaugeMetricFamily(
            "openimi_queue_jobs",
            "RQ jobs by queue and state (queued, started, scheduled, failed).",
            labels=["app", "queue", "state"],
        )
        oldest = GaugeMetricFamily(
            "openimi_queue_oldest_job_age_seconds",
            "Age of the job waiting longest in the queue (0 when empty).",
            labels=["app", "queue"],
        )
        try:
            stats = queue_stats(self.app)
        except Exception:  # a scrape reports Redis down, it does not fail
            log.warning("metrics: Redis did not answer", exc_info=True)
            queue_up.add_metric([instance], 0)
            stats = None
        if stats is not None:
            queue_up.add_metric([instance], 1)
            for name, figures in stats.items():
                for state in ("queued", "started", "scheduled", "failed"):
                    jobs.add_metric([instance, name, state], figures[state])
                oldest.add_metric([instance, name], figures["oldest_seconds"])
        if self.app.extensions.get("openimi_redis") is not None:
            yield queue_up
            if stats is not None:
                yield jobs
                yield oldest
        database_up = GaugeMetricFamily(
            "openimi_database_up", "1 if the database answered.", labels=["app"]
        )
        try:
            lag = sealing_lag()
        except Exception:
            log.warning("metrics: the database did not answer", exc_info=True)
            database_up.add_metric([instance], 0)
            yield database_up
            return
        database_up.add_metric([instance], 1)
        yield database_up
        yield _gauge(
            "openimi_audit_unsealed_events",
            "Audit events appended but not yet chained by the sealer.",
            instance,
            lag["unsealed"],
        )
        yield _gauge(
            "openimi_audit_sealing_lag_seconds",
            "Age of the oldest audit event not yet sealed (0 when all are).",
            instance,
            lag["lag_seconds"],
        )


def _gauge(name: str, documentation: str, instance: str, figure: float) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation, labels=["app"])
    gauge.add_metric([instance], figure)
    return gauge


# --- shared with /healthz ------------------------------------------------------------------


def queue_stats(app: Flask) -> dict[str, dict] | None:
    """Per queue: jobs queued, started, scheduled and failed, and the age in seconds of
    the job waiting longest. Two round trips to Redis; None in the embedded mode. Raises
    RedisError when Redis does not answer."""
    from rq.job import Job
    from rq.utils import utcparse

    from app.jobs import QUEUES, queue, redis_connection

    connection = redis_connection(app)
    if connection is None:
        return None
    queues = {name: queue(app, name) for name in QUEUES}
    pipe = connection.pipeline(transaction=False)
    for q in queues.values():
        pipe.llen(q.key)
        pipe.lindex(q.key, 0)  # RQ appends at the right and takes from the left
        pipe.zcard(q.started_job_registry.key)
        pipe.zcard(q.scheduled_job_registry.key)
        pipe.zcard(q.failed_job_registry.key)
    answers = pipe.execute()
    stats: dict[str, dict] = {}
    firsts: dict[str, str] = {}
    for index, name in enumerate(queues):
        queued, first, started, scheduled, failed = answers[index * 5 : index * 5 + 5]
        stats[name] = {
            "queued": queued,
            "started": started,
            "scheduled": scheduled,
            "failed": failed,
            "oldest_seconds": 0.0,
        }
        if first is not None:
            firsts[name] = first.decode()
    if firsts:
        pipe = connection.pipeline(transaction=False)
        for job_id in firsts.values():
            pipe.hget(Job.key_for(job_id), "enqueued_at")
        now = time.time()
        for name, enqueued in zip(firsts, pipe.execute(), strict=True):
            if enqueued:
                at = utcparse(enqueued.decode())
                stats[name]["oldest_seconds"] = round(max(0.0, now - _timestamp(at)), 3)
    return stats


def _timestamp(moment) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def sealing_lag() -> dict:
    """Audit events not yet sealed and the age of the oldest (app/records/sealing.py)."""
    from app.models.base import utcnow
    from app.records import sealing

    lag = sealing.lag()
    oldest = lag.oldest
    if oldest is not None and oldest.tzinfo is None:  # SQLite gives naive UTC
        oldest = oldest.replace(tzinfo=UTC)
    seconds = (utcnow() - oldest).total_seconds() if oldest else 0.0
    return {"unsealed": lag.unsealed, "lag_seconds": round(max(0.0, seconds), 3)}
