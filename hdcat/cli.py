"""The `hdcat` command."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from hdcat import rdfio
from hdcat.catalog import EXPORT_FORMATS, Catalog, LoadReport
from hdcat.config import DEFAULT_DATA
from hdcat.errors import HdcatError, InputError
from hdcat.store import QuerySyntaxError, StoreError
from hdcat.validation import LEVELS, Report


def _catalog(ctx: click.Context) -> Catalog:
    obj = ctx.ensure_object(dict)
    if "catalog" not in obj:
        obj["catalog"] = Catalog.open(obj.get("data"))
        ctx.call_on_close(obj["catalog"].close)
    return obj["catalog"]


def _ensure_initialized(catalog: Catalog) -> None:
    if not catalog.is_initialized():
        catalog.initialize()


def _parse_contexts(values: tuple[str, ...]) -> dict[str, object]:
    contexts: dict[str, object] = {}
    for value in values:
        url, sep, file = value.partition("=")
        if not sep:
            raise click.BadParameter(f"expected URL=FILE, got {value!r}", param_hint="--context")
        contexts[url] = rdfio.load_context_file(Path(file))
    return contexts


def _show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False),
    envvar="HDCAT_DATA",
    default=DEFAULT_DATA,
    show_default=True,
    help="The data folder.",
)
@click.pass_context
def main(ctx: click.Context, data: str) -> None:
    """hdcat: a linked-data catalog for health and medical scientific data."""
    import getpass

    from hdcat import audit

    ctx.ensure_object(dict)["data"] = data
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    audit.set_actor(f"cli:{user}", ctx.invoked_subcommand or "cli")


@main.command()
@click.option("--demo", is_flag=True, help="Also load the demo catalog.")
@click.pass_context
def init(ctx: click.Context, demo: bool) -> None:
    """Create the data folder and load the ontology, vocabularies and standards."""
    catalog = _catalog(ctx)
    report = catalog.initialize(demo=demo, progress=_show_progress(None))
    click.echo(f"initialised {catalog.settings.data_dir} ({catalog.store!r})")
    if report is not None:
        _print_load(report, "en", quiet=True)
        if not report.ok:
            sys.exit(1)


def _print_reports(reports: list[Report], lang: str, heading: str, warnings: bool) -> None:
    for rep in reports:
        where = f" from {rep.source}" if rep.source else ""
        click.echo(f"{heading} {rep.subject}{where}", err=True)
        click.echo(rep.describe(lang, warnings=warnings), err=True)


def _print_load(report: LoadReport, lang: str, quiet: bool = False) -> None:
    for error in report.errors:
        click.echo(f"REFUSED FILE {error}", err=True)
    _print_reports(report.refused, lang, "REFUSED", warnings=False)
    if not quiet:
        _print_reports(report.warned, lang, "WARNINGS", warnings=True)
    state = "" if report.written else " (nothing written: --strict and something was refused)"
    stored = len(report.stored) if report.written else 0
    click.echo(
        f"{stored} records stored ({len(report.replaced) if report.written else 0} replaced),"
        f" {len(report.refused)} refused, {len(report.errors)} files refused,"
        f" {len(report.warned)} with warnings{state}"
    )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Refuse the whole input if any record is invalid.")
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default="full",
    show_default=True,
    help="full: the whole hdcat profile; core: DCAT-AP mandatory only, the rest warnings.",
)
@click.option("--format", "fmt", default=None, help="Input format (default: by file suffix).")
@click.option(
    "--context",
    "contexts",
    multiple=True,
    metavar="URL=FILE",
    help="A local copy of a remote JSON-LD context.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("--quiet", is_flag=True, help="Do not list warnings.")
@click.option(
    "--no-validate",
    "no_validate",
    is_flag=True,
    help="Store records without validating them (bulk import of trusted data).",
)
@click.option("--progress/--no-progress", default=None, help="Show a progress bar.")
@click.pass_context
def load(
    ctx: click.Context,
    files: tuple[str, ...],
    strict: bool,
    level: str,
    fmt: str | None,
    contexts: tuple[str, ...],
    lang: str,
    quiet: bool,
    no_validate: bool,
    progress: bool | None,
) -> None:
    """Load RDF files: split into records, validate, store the valid ones."""
    catalog = _catalog(ctx)
    _ensure_initialized(catalog)
    report = catalog.load(
        [Path(f) for f in files],
        level=level,
        strict=strict,
        fmt=fmt,
        contexts=_parse_contexts(contexts),
        progress=_show_progress(progress),
        validate=not no_validate,
    )
    _print_load(report, lang, quiet)
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--all", "all_records", is_flag=True, help="Validate every stored record.")
@click.option("--level", type=click.Choice(LEVELS), default="full", show_default=True)
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True)
@click.option("--format", "fmt", default=None, help="Input format (default: by file suffix).")
@click.option("--context", "contexts", multiple=True, metavar="URL=FILE")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.pass_context
def validate(
    ctx: click.Context,
    file: str | None,
    all_records: bool,
    level: str,
    engine: str,
    fmt: str | None,
    contexts: tuple[str, ...],
    as_json: bool,
    lang: str,
) -> None:
    """Validate a file (without loading it) or every stored record."""
    if bool(file) == all_records:
        raise click.UsageError("give either FILE or --all")
    catalog = _catalog(ctx)
    _ensure_initialized(catalog)
    if all_records:
        reports = catalog.validate_all(level, progress=_show_progress(None), engine=engine)
    else:
        reports = catalog.validate_file(
            file, level=level, fmt=fmt, contexts=_parse_contexts(contexts), engine=engine
        )
    violations = sum(len(r.violations) for r in reports)
    if as_json:
        results = []
        for rep in reports:
            for result in rep.results:
                item = result.to_json(lang)
                item["record"] = rep.subject
                results.append(item)
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for rep in reports:
            if rep.results:
                state = "conforms" if rep.conforms else "does not conform"
                click.echo(f"{rep.subject}: {state}")
                click.echo(rep.describe(lang))
        warnings = sum(len(r.warnings) for r in reports)
        click.echo(f"{len(reports)} records, {violations} violations, {warnings} warnings")
    if violations:
        sys.exit(1)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="ttl", show_default=True
)
@click.option("--record", default=None, help="Only this record (dataset or catalog record IRI).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
@click.pass_context
def export(ctx: click.Context, fmt: str, record: str | None, output: str | None) -> None:
    """Write the public catalog (or one record) with the concepts it uses."""
    catalog = _catalog(ctx)
    try:
        if output:
            with open(output, "wb") as f:
                n = catalog.export(f, fmt, record, progress=_show_progress(None))
            click.echo(f"{n} statements written to {output}", err=True)
        else:
            catalog.export(sys.stdout.buffer, fmt, record)
    except KeyError as e:
        raise click.ClickException(str(e.args[0])) from None


def _cell(term: object) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


@main.command()
@click.argument("text", required=False)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.pass_context
def query(ctx: click.Context, text: str | None, file: str | None, fmt: str) -> None:
    """Run a SPARQL query on the catalog (default graph = all graphs)."""
    if bool(text) == bool(file):
        raise click.UsageError("give either a QUERY or -f FILE")
    sparql = text if text else Path(file).read_text("utf-8")  # type: ignore[arg-type]
    catalog = _catalog(ctx)
    try:
        result = catalog.store.query(sparql, union_default_graph=True)
    except QuerySyntaxError as e:
        raise click.ClickException(f"query syntax error: {e}") from None
    if isinstance(result, bool):
        click.echo(json.dumps({"boolean": result}) if fmt == "json" else str(result).lower())
        return
    if not hasattr(result, "variables"):
        sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE))
        return
    variables = list(result.variables)
    rows = [[_cell(row.get(v)) for v in variables] for row in result]
    if fmt == "json":
        data = [
            {v: _cell(row.get(v)) for v in variables if row.get(v) is not None} for row in result
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(variables)
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
        click.echo("  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)))
        click.echo("  ".join("-" * w for w in widths))
        for r in rows:
            click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        click.echo(f"({len(rows)} rows)", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Numbers of the catalog."""
    numbers = _catalog(ctx).stats()
    if as_json:
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
        return
    for key, value in numbers.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k}: {v}")
        else:
            click.echo(f"{key}: {value}")


def _harvester(ctx: click.Context):
    from hdcat.state import PrivateState
    from loaders.harvest import Harvester

    catalog = _catalog(ctx)
    _ensure_initialized(catalog)
    state = PrivateState(catalog.settings.data_dir / "private.sqlite")
    ctx.call_on_close(state.close)
    return Harvester(catalog, state)


@main.group()
def harvest() -> None:
    """Harvest the catalogs of other institutions and regions."""


@harvest.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--kind", required=True,
              type=click.Choice(["dcat", "ckan", "datajson", "schemaorg", "datacite", "oai",
                                 "sparql", "sheet"]))
@click.option("--strict", is_flag=True,
              help="Hold records to the whole hdcat profile (default: DCAT-AP core).")
@click.option("--publisher", default=None, help="Default publisher IRI for the records.")
@click.option("--schedule", default=None,
              help="hourly, daily, weekly, monthly or an ISO 8601 duration (P1D, PT6H):"
                   " what `hdcat harvest run --due` goes by.")
@click.pass_context
def harvest_add(ctx: click.Context, name: str, url: str, kind: str, strict: bool,
                publisher: str | None, schedule: str | None) -> None:
    """Configure a harvest source."""
    source = _harvester(ctx).add(name, url, kind, strict, publisher, schedule)
    click.echo(f"source {source.name}: {source.kind} {source.url}"
               f"{' (strict)' if source.strict else ''}")


@harvest.command("run")
@click.argument("name", required=False)
@click.option("--all", "all_sources", is_flag=True)
@click.option("--due", "due_only", is_flag=True,
              help="Only the sources whose schedule says they are due (for cron).")
@click.pass_context
def harvest_run(ctx: click.Context, name: str | None, all_sources: bool,
                due_only: bool) -> None:
    """Run one source, all, or the due ones now; exit non-zero if a run failed or records
    were refused."""
    if [bool(name), all_sources, due_only].count(True) != 1:
        raise click.UsageError("give one of NAME, --all or --due")
    harvester = _harvester(ctx)
    if due_only:
        names = [s.name for s in harvester.due()]
        if not names:
            click.echo("no source is due")
    elif all_sources:
        names = [s.name for s in harvester.state.sources()]
    else:
        names = [name]
    bad = False
    for source in names:
        report = harvester.run(source)
        counts = ", ".join(f"{v} {k}" for k, v in report.counts().items())
        click.echo(f"{source}: run {report.run} {report.status}: {counts}"
                   f" ({report.pages} pages, {report.warnings_total} warnings:"
                   f" hdcat harvest report {source})")
        for error in report.source_errors:
            click.echo(f"  source error: {error}", err=True)
        for failure in report.failed[:50]:
            click.echo(f"  failed {failure['record']}: {failure['reason']}", err=True)
        bad = bad or report.status != "completed" or bool(report.failed)
    if bad:
        sys.exit(1)


@harvest.command("list")
@click.pass_context
def harvest_list(ctx: click.Context) -> None:
    """The configured sources, their last run and when they are next due."""
    from loaders import schedule

    harvester = _harvester(ctx)
    for source in harvester.state.sources():
        runs = harvester.state.runs(source.name, limit=1)
        last = (f"last run {runs[0].id} {runs[0].status} {runs[0].finished or runs[0].started}"
                if runs else "never run")
        due = schedule.next_run(source.schedule, runs[0].started if runs else None)
        when = f"\t{source.schedule}, next {due}" if due else ""
        click.echo(f"{source.name}\t{source.kind}\t{source.url}\t{last}{when}")


@harvest.command("report")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def harvest_report(ctx: click.Context, name: str, as_json: bool) -> None:
    """The report of the last runs of a source."""
    runs = _harvester(ctx).state.runs(name)
    if as_json:
        click.echo(json.dumps([r.report | {"status": r.status, "started": r.started,
                                           "finished": r.finished} for r in runs],
                              ensure_ascii=False, indent=2))
        return
    if not runs:
        click.echo(f"{name}: never run")
    for run in runs:
        counts = run.report.get("counts", {})
        click.echo(f"run {run.id} {run.status} {run.started} -> {run.finished}: "
                   + ", ".join(f"{v} {k}" for k, v in counts.items()))
        for error in run.report.get("source_errors", []):
            click.echo(f"  source error: {error}")
        for failure in run.report.get("failed", [])[:20]:
            click.echo(f"  failed {failure['record']}: {failure['reason'][:300]}")
        listed = run.report.get("warnings", [])
        if listed:
            click.echo(f"  {run.report.get('warnings_total', len(listed))} warnings"
                       f"{', the first 20:' if len(listed) > 20 else ':'}")
        for warning in listed[:20]:
            click.echo(f"  warning {warning[:300]}")


@main.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the public graph."""
    catalog = _catalog(ctx)
    count = catalog.search_index().rebuild(catalog)
    click.echo(f"{count} records indexed")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Load the demo catalog first if the catalog is empty.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, demo: bool) -> None:
    """Serve the catalog site and SPARQL endpoint."""
    catalog = _catalog(ctx)
    _ensure_initialized(catalog)
    if demo and catalog.count_records() == 0:
        report = catalog.load([_demo_path()], progress=_show_progress(None))
        _print_load(report, "en", quiet=True)
    try:
        from service.app import run
    except ImportError:
        run = None
    if run is None:
        numbers = catalog.stats()
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
        click.echo("The web site comes with the next issue; the catalog above is ready.")
        return
    run(catalog, host=host, port=port)


def _workflow(ctx: click.Context):
    from hdcat.accounts import Accounts
    from hdcat.workflow import Workflow

    catalog = _catalog(ctx)
    _ensure_initialized(catalog)
    state = catalog.private_state()
    return Workflow(catalog, state), Accounts(state)


def _acting(accounts, name: str):  # noqa: ANN001, ANN202
    """The account named by --as; the operator at the console acts as admin when the name is
    not an account (the default `cli`)."""
    from hdcat.accounts import Account

    return accounts.get(name) or Account(name, "admin")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_name", default="cli", show_default=True, envvar="HDCAT_USER",
              help="The account that owns the drafts.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def submit(ctx: click.Context, files: tuple[str, ...], as_name: str, as_json: bool) -> None:
    """Create drafts from metadata files (RDF or a CSV/XLSX registration sheet); print their
    ids. Exit 1 when part of the input was refused."""
    flow, accounts = _workflow(ctx)
    owner = _acting(accounts, as_name)
    drafts, errors = [], []
    for file in files:
        created = flow.create_from_file(owner, Path(file))
        drafts += created.drafts
        errors += created.errors
    if as_json:
        click.echo(json.dumps({"submissions": [d.to_json() for d in drafts], "errors": errors},
                              ensure_ascii=False, indent=2))
    else:
        for draft in drafts:
            click.echo(f"{draft.id}\t{draft.dataset}\t{draft.title('zh')}")
        for error in errors:
            click.echo(f"refused: {error}", err=True)
    if errors:
        ctx.exit(1)


@main.group()
def submissions() -> None:
    """Drafts and submissions: list, show, and act on them (submit, return, approve,
    publish, withdraw)."""


@submissions.command("list")
@click.option("--state", "states", multiple=True)
@click.pass_context
def submissions_list(ctx: click.Context, states: tuple[str, ...]) -> None:
    flow, _accounts = _workflow(ctx)
    for sub in flow.list(states=states):
        click.echo(f"{sub.id}\t{sub.state}\t{sub.owner}\t{sub.dataset}\t{sub.title('zh')}")


@submissions.command("act")
@click.argument("sid")
@click.argument("action", type=click.Choice(["submit", "return", "approve", "publish",
                                             "withdraw"]))
@click.option("--comment", default=None)
@click.option("--as", "as_name", default="cli", show_default=True, envvar="HDCAT_USER")
@click.pass_context
def submissions_act(ctx: click.Context, sid: str, action: str, comment: str | None,
                    as_name: str) -> None:
    from hdcat.workflow import WorkflowError

    flow, accounts = _workflow(ctx)
    try:
        sub = flow.act(sid, action, _acting(accounts, as_name), comment)
    except WorkflowError as e:
        click.echo(f"refused: {e.en} / {e.zh}", err=True)
        if e.report is not None:
            click.echo(e.report.describe("en", warnings=False), err=True)
        ctx.exit(1)
    click.echo(f"{sub.id}\t{sub.state}\t{sub.dataset}")


@main.group()
def user() -> None:
    """Accounts (submitter, curator, admin) and their API tokens."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["submitter", "curator", "admin"]),
              default="submitter", show_default=True)
@click.option("--publisher", default=None, help="The publisher IRI a curator manages.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, publisher: str | None,
             password_stdin: bool) -> None:
    from hdcat.accounts import AccountError

    _flow, accounts = _workflow(ctx)
    password = (sys.stdin.readline().rstrip("\n") if password_stdin else
                click.prompt("password", hide_input=True, confirmation_prompt=True))
    try:
        accounts.add(name, password, role, publisher)
    except AccountError as e:
        click.echo(f"refused: {e.en} / {e.zh}", err=True)
        ctx.exit(1)
    click.echo(f"account {name}: {role}")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["submitter", "curator", "admin"]))
@click.pass_context
def user_role(ctx: click.Context, name: str, role: str) -> None:
    """Change an account's role (an audit entry)."""
    import getpass

    from hdcat.accounts import AccountError

    _flow, accounts = _workflow(ctx)
    try:
        accounts.set_role(name, role, actor=f"cli:{getpass.getuser()}")
    except AccountError as e:
        click.echo(f"refused: {e.en} / {e.zh}", err=True)
        ctx.exit(1)
    click.echo(f"account {name}: {role}")


@user.command("token")
@click.argument("name")
@click.option("--days", default=90, show_default=True)
@click.option("--scope", type=click.Choice(["read", "write"]), default="write",
              show_default=True)
@click.option("--label", default="")
@click.pass_context
def user_token(ctx: click.Context, name: str, days: int, scope: str, label: str) -> None:
    """Issue an API token (printed once; only its digest is kept)."""
    from hdcat.accounts import AccountError

    _flow, accounts = _workflow(ctx)
    try:
        click.echo(accounts.issue_token(name, label, days, scope))
    except AccountError as e:
        click.echo(f"refused: {e.en} / {e.zh}", err=True)
        ctx.exit(1)


@main.group()
def citations() -> None:
    """Papers that cite datasets (cited-by)."""


@citations.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def citations_add(ctx: click.Context, file: str) -> None:
    """Add citing papers from a CSV file (columns dataset, doi[, title, year]); the dataset
    may be named by its IRI, CSTR or DOI. Exit 1 when a row was refused."""
    from hdcat import citedby

    catalog = _catalog(ctx)
    try:
        rows = citedby.read_csv(Path(file))
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    result = citedby.add(catalog, rows, where=f"{Path(file).name} row")
    click.echo(f"added {len(result.added)} citation(s), {result.known} already known")
    for error in result.errors:
        click.echo(f"refused: {error}", err=True)
    if result.errors:
        ctx.exit(1)


@main.group()
def audit() -> None:
    """The audit chain: every write, who made it, and the hash of what was written."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit_verify(ctx: click.Context, as_json: bool) -> None:
    """Recompute the chain and every graph's hash; exit 1 naming what was changed outside
    hdcat."""
    catalog = _catalog(ctx)
    problems = catalog.audit_log().verify(catalog.stored_graphs())
    if as_json:
        click.echo(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(f"{p.kind}: {p.subject} {p.detail}")
        if not problems:
            click.echo("audit chain and store agree")
    if problems:
        ctx.exit(1)


@audit.command("trail")
@click.argument("graph")
@click.pass_context
def audit_trail(ctx: click.Context, graph: str) -> None:
    """The audit entries of one graph (a record IRI, or a dataset IRI)."""
    catalog = _catalog(ctx)
    found = catalog.find_record(graph)
    name = found[0] if found else graph
    for e in catalog.audit_log().trail(name):
        click.echo(f"{e.seq}\t{e.at}\t{e.actor}\t{e.action}\t{e.content[:16]}")


def _demo_path() -> Path:
    from hdcat import resources

    return resources.demo_catalog()


main.add_command(__import__("hdcat.agency_export", fromlist=["cli"]).cli)
main.add_command(__import__("hdcat.dedup", fromlist=["cli"]).cli)
main.add_command(__import__("hdcat.quality", fromlist=["cli"]).cli)
main.add_command(__import__("hdcat.backup", fromlist=["x"]).backup_command)
main.add_command(__import__("hdcat.backup", fromlist=["x"]).restore_command)


def run() -> None:
    try:
        main(standalone_mode=True)
    except (HdcatError, StoreError, InputError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        os._exit(0)


if __name__ == "__main__":
    run()
