"""WSGI entry point: production at /, the isolated training instance at /training.

`flask --app wsgi ...` finds `app` (production); its CLI commands reach the training
instance too. Under gunicorn: `gunicorn wsgi:app`.
"""

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from app.config import check_isolation

app = create_app("production")
training = create_app("training")
check_isolation(app.config, training.config)

app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/training": training.wsgi_app})
if app.config.get("BEHIND_PROXY"):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
