"""Production entry point: ``gunicorn wsgi:app``."""

from onderwijsplatform import create_app

app = create_app()
