"""The Flask application factory and the production server."""

from __future__ import annotations

from flask import Flask

from hdcat.catalog import Catalog
from hdcat.labels import Labels


def create_app(catalog: Catalog) -> Flask:
    """A Flask app serving `catalog`. Views reach the catalog through `current_app.catalog`."""
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    app.config["MAX_CONTENT_LENGTH"] = catalog.settings.max_upload_bytes
    app.catalog = catalog  # type: ignore[attr-defined]
    app.labels = Labels(catalog)  # type: ignore[attr-defined]
    app.search = catalog.search_index()  # type: ignore[attr-defined]

    from service import auth, i18n

    i18n.init_app(app)
    auth.init_app(app)
    for name in (
        "home",
        "pages",
        "sparql",
        "harvesting",
        "feeds",
        "citations",
        "auth",
        "access",
        "submissions",
        "api",
        "resolver",
        "citedby",
        "stats",
        "dedup",
        "audit",
    ):
        try:
            module = __import__(f"service.{name}", fromlist=["bp"])
        except ModuleNotFoundError as e:
            if e.name != f"service.{name}":
                raise
            continue
        app.register_blueprint(module.bp)
    return app


def run(catalog: Catalog, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
    """Serve with waitress, a production WSGI server, with several threads."""
    from waitress import serve

    app = create_app(catalog)
    print(f"hdcat serving {catalog.settings.data_dir} on http://{host}:{port}/", flush=True)
    serve(app, host=host, port=port, threads=threads, ident="hdcat")
