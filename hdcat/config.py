"""Settings: from the data folder's config.toml, then the environment, then command-line flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_DATA = "./hdcat-data"
DEFAULT_BASE = "https://hdcat.example.org"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(DEFAULT_DATA))
    base_iri: str = DEFAULT_BASE
    store_url: str | None = None
    """A remote SPARQL 1.1 store; None means the embedded Oxigraph store in data_dir/store."""
    language: str = "zh"
    query_timeout: float = 10.0
    result_limit: int = 10_000
    max_upload_bytes: int = 50 * 1024 * 1024
    cstr_prefix: str = "A0006"
    """The CSTR registration-agency prefix (5 letters or digits) minted identifiers carry."""
    cstr_centre: str = "A0009"
    """This catalog's centre code in minted CSTR and DOI suffixes (the demo's are A0001-A0005)."""
    doi_prefix: str = "10.12213"
    """The DOI prefix of minted DOIs; their suffix equals the CSTR suffix ('11.<centre>...')."""

    def __post_init__(self) -> None:
        if not isinstance(self.data_dir, Path):  # Settings(data_dir="...") from a caller
            object.__setattr__(self, "data_dir", Path(self.data_dir))

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def catalog_iri(self) -> str:
        return self.base_iri.rstrip("/") + "/catalog"


_ENV = {
    "base_iri": "HDCAT_BASE_IRI",
    "store_url": "HDCAT_STORE_URL",
    "language": "HDCAT_LANGUAGE",
    "query_timeout": "HDCAT_QUERY_TIMEOUT",
    "result_limit": "HDCAT_RESULT_LIMIT",
    "max_upload_bytes": "HDCAT_MAX_UPLOAD_BYTES",
    "cstr_prefix": "HDCAT_CSTR_PREFIX",
    "cstr_centre": "HDCAT_CSTR_CENTRE",
    "doi_prefix": "HDCAT_DOI_PREFIX",
}


def _coerce(name: str, value: object) -> object:
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = kinds[name]
    if kind in ("float",):
        return float(value)  # type: ignore[arg-type]
    if kind in ("int",):
        return int(value)  # type: ignore[arg-type]
    return value


def load_settings(data_dir: str | Path | None = None, **overrides: object) -> Settings:
    """Settings for a data folder: `DATA/config.toml`, then HDCAT_* variables, then overrides."""
    data = Path(data_dir or os.environ.get("HDCAT_DATA") or DEFAULT_DATA)
    values: dict[str, object] = {}
    config_file = data / "config.toml"
    if config_file.exists():
        with config_file.open("rb") as f:
            parsed = tomllib.load(f)
        known = {f.name for f in fields(Settings)} - {"data_dir"}
        unknown = set(parsed) - known
        if unknown:
            raise ValueError(f"{config_file}: unknown settings {', '.join(sorted(unknown))}")
        values.update(parsed)
    for name, var in _ENV.items():
        if var in os.environ:
            values[name] = os.environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(data_dir=data)
    return replace(settings, **{k: _coerce(k, v) for k, v in values.items()})
