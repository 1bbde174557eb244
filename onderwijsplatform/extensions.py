"""Flask extensions, created unbound and initialised in the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from onderwijsplatform.models.base import Base

# create_savepoint lets tests wrap each test in an outer transaction (aesthetics §3.10).
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})
migrate = Migrate()
mail = Mail()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
