"""gunicorn settings for OpenIMI behind nginx (deploy/nginx/openimi.conf).

    gunicorn -c deploy/gunicorn.conf.py wsgi:app

gthread workers, one process per core, 4 threads each. Threads let a process go on while a
request waits for PostgreSQL; more of them cost CPU once the machine is busy, because they
take turns at the interpreter's lock. Measured on 2 cores (bench/load.py, 200 officers,
issue 17): 2 x 8 threads gave 87 requests/s at 15.1 ms of worker CPU each; 2 x 4 gave
118-122 at 10.5-11.0 ms; 2 x 2 and 3 x 2 gave 110-134 (noisy), and 4 x 1 gave 122 with
one process idle at the ceiling (a kept-alive connection stays with its process).
GUNICORN_BIND,
GUNICORN_WORKERS and GUNICORN_THREADS (the .env, deploy/production.env.example) change
them without editing this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker silent this long is killed and replaced (with gthread the heartbeat does not
# wait for requests, so this is not a request time limit; nginx's proxy_read_timeout is).
timeout = 60
# On stop or reload (SIGHUP), requests in progress get this long to finish; systemd waits
# a little longer (TimeoutStopSec in deploy/systemd/openimi-web.service).
graceful_timeout = 30
# nginx keeps connections to the app open (upstream keepalive): keep them a little longer
# than nginx does, so that nginx never sends on a connection being closed.
keepalive = 75
# A worker is replaced after this many requests (and a random part more, so that they
# are not all replaced at once): any slow leak stays bounded. Not much more often: a new
# worker takes about 3 s of CPU to start and then serves from cold caches, and at 5,000
# both workers were replaced in the middle of bench/load.py's busiest step (their RSS
# stays at about 230 MB however long they run).
max_requests = 50000
max_requests_jitter = 5000
# Not preload_app: each worker opens its own database and Redis connections after fork.

# Only nginx on this machine may say that a request came over https (X-Forwarded-Proto);
# the app trusts exactly one proxy for the rest (BEHIND_PROXY=1, werkzeug's ProxyFix).
forwarded_allow_ips = "127.0.0.1,::1"

# systemd's journal keeps both logs; the app writes its own JSON lines to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Client address (from nginx), request, status, bytes, time in ms, and the request id
# nginx made ($request_id), which the app's own log lines carry too.
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}i)s "%(a)s"'
)
# The workers' heartbeat files, in memory, not on disk (ProtectSystem=strict leaves little
# writable; PrivateDevices keeps a /dev/shm of the service's own).
worker_tmp_dir = "/dev/shm"  # noqa: S108 (gunicorn's documented choice, not a data file)
proc_name = "openimi"
