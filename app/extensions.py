"""Extension objects shared by the production and training instances (each calls init_app)."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.models.base import Base

# Models subclass the plain declarative Base (usable without Flask); the extension only
# manages engines and app-context-scoped sessions.
db = SQLAlchemy(metadata=Base.metadata)
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
