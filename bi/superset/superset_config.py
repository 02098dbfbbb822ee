"""Superset's configuration for a local instance over the published marts (scripts/superset.py).

Everything Superset keeps (its metadata database, the secret key) lives in ECW_SUPERSET_HOME,
data/bi/superset/ by default, never in the repository. It listens on 127.0.0.1 only.
"""
import os
from pathlib import Path

_HOME = Path(os.environ["ECW_SUPERSET_HOME"])

SECRET_KEY = (_HOME / "secret_key").read_text(encoding="utf-8").strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}"
# one analyst on their own machine: the REST calls of scripts/superset.py carry a bearer token,
# not a browser form, and no HTTPS terminates here
WTF_CSRF_ENABLED = False
SUPERSET_LOAD_EXAMPLES = False

# Nothing leaves the machine. The PyPI build of 6.1.0 puts a scarf.sh telemetry pixel in every
# page's menu whatever SCARF_ANALYTICS says (the switch is read when the frontend is built), and
# Superset's default CSP allows it and map tiles; this one allows this server only, so the browser
# refuses the pixel without sending a request.
_SELF_ONLY = {
    "base-uri": ["'self'"], "default-src": ["'self'"], "img-src": ["'self'", "blob:", "data:"],
    "worker-src": ["'self'", "blob:"], "connect-src": ["'self'"], "object-src": "'none'",
    "style-src": ["'self'", "'unsafe-inline'"], "font-src": ["'self'", "data:"],
    "script-src": ["'self'", "'strict-dynamic'"],
}
TALISMAN_ENABLED = True
TALISMAN_CONFIG = TALISMAN_DEV_CONFIG = {
    "content_security_policy": _SELF_ONLY, "content_security_policy_nonce_in": ["script-src"],
    "force_https": False, "session_cookie_secure": False,
}
FEATURE_FLAGS = {"ALERT_REPORTS": False}
