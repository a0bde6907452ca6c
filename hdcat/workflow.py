"""The registration workflow: drafts, review, publication, versions and withdrawal.

States: draft -> submitted -> returned (with comments) | approved -> published;
published -> a new version (a new draft); published -> withdrawn (a tombstone). Drafts and
submissions live in the private state only: they never reach the store, so no public page,
feed, search or SPARQL query sees them. Publication mints the identifiers and writes the
record through the catalog core, validated at the full profile; a refused publication
changes nothing. Every transition is recorded: who, when, from, to, comment.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from hdcat import audit, rdfio
from hdcat.accounts import Account
from hdcat.catalog import Catalog
from hdcat.errors import InputError
from hdcat.records import Record, Splitter
from hdcat.state import PrivateState, now
from hdcat.validation import Report, Result

STATES = ("draft", "submitted", "returned", "approved", "published", "withdrawn")
EDITABLE = frozenset({"draft", "returned"})
UPLOAD_TYPES = (".ttl", ".jsonld", ".json", ".rdf", ".xml", ".nt", ".nq", ".trig", ".csv",
                ".xlsx")
# action -> (states it applies to, state it leads to, role it needs beyond ownership)
ACTIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "submit": (frozenset({"draft", "returned"}), "submitted", "submitter"),
    "return": (frozenset({"submitted", "approved"}), "returned", "curator"),
    "approve": (frozenset({"submitted"}), "approved", "curator"),
    "publish": (frozenset({"approved"}), "published", "curator"),
    "withdraw": (frozenset({"published"}), "withdrawn", "curator"),
}
# The profile rule that a published dataset has a CSTR: minted at publication, so a draft
# is not held to it.
MINTED_AT_PUBLICATION = frozenset({"HealthDataset-cstr"})

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_TITLE = ox.NamedNode(_DCT + "title")
DCT_PUBLISHER = ox.NamedNode(_DCT + "publisher")
DCT_ISSUED = ox.NamedNode(_DCT + "issued")
DCT_MODIFIED = ox.NamedNode(_DCT + "modified")
DCT_IDENTIFIER = ox.NamedNode(_DCT + "identifier")
ADMS_IDENTIFIER = ox.NamedNode("http://www.w3.org/ns/adms#identifier")
SKOS_NOTATION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
DCAT_VERSION = ox.NamedNode(_DCAT + "version")
DCAT_PREVIOUS = ox.NamedNode(_DCAT + "previousVersion")
DCAT_HAS_VERSION = ox.NamedNode(_DCAT + "hasVersion")
DCAT_DATASET_CLASS = ox.NamedNode(_DCAT + "Dataset")
XSD_DATE = ox.NamedNode(_XSD + "date")

SCHEMA = """
CREATE TABLE IF NOT EXISTS submission (
    id TEXT PRIMARY KEY,
    dataset TEXT NOT NULL,
    record TEXT NOT NULL,
    owner TEXT NOT NULL,
    state TEXT NOT NULL,
    title_zh TEXT,
    title_en TEXT,
    content TEXT NOT NULL,
    previous TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submission_dataset ON submission(dataset);
CREATE INDEX IF NOT EXISTS submission_owner ON submission(owner, state);
CREATE TABLE IF NOT EXISTS transition (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission TEXT,
    dataset TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS transition_dataset ON transition(dataset);
CREATE TABLE IF NOT EXISTS tombstone (
    dataset TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    title_zh TEXT,
    title_en TEXT,
    identifiers TEXT NOT NULL,
    reason TEXT,
    withdrawn TEXT NOT NULL,
    actor TEXT NOT NULL
);
"""


class WorkflowError(ValueError):
    """A refused workflow step, in zh and en, with the validation report when there is one."""

    def __init__(self, zh: str, en: str, status: int = 409,
                 report: Report | None = None) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.status = status
        self.report = report

    def message(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Submission:
    id: str
    dataset: str
    record: str
    owner: str
    state: str
    title_zh: str | None
    title_en: str | None
    content: str
    previous: str | None
    created: str
    updated: str

    def title(self, lang: str = "zh") -> str:
        first, second = (self.title_zh, self.title_en) if lang == "zh" else (
            self.title_en, self.title_zh)
        return first or second or self.dataset

    def triples(self) -> list[ox.Triple]:
        return [q.triple for q in ox.parse(self.content.encode(), format=ox.RdfFormat.N_TRIPLES)]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "dataset": self.dataset, "record": self.record,
            "owner": self.owner, "state": self.state,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "previousVersion": self.previous, "created": self.created,
            "updated": self.updated,
        }


@dataclass
class Transition:
    submission: str | None
    dataset: str
    from_state: str | None
    to_state: str
    actor: str
    at: str
    comment: str | None

    def to_json(self) -> dict[str, object]:
        return {"from": self.from_state, "to": self.to_state, "actor": self.actor,
                "at": self.at, "comment": self.comment}


@dataclass
class Tombstone:
    dataset: str
    record: str
    title_zh: str | None
    title_en: str | None
    identifiers: list[str]
    reason: str | None
    withdrawn: str
    actor: str


@dataclass
class Created:
    """What a submission of RDF produced: drafts, and the parts refused with reasons."""

    drafts: list[Submission] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _serialise(triples: Iterable[ox.Triple]) -> str:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode()


def _titles(triples: Iterable[ox.Triple], dataset: ox.NamedNode) -> tuple[str | None, str | None]:
    zh = en = None
    for t in triples:
        if t.subject == dataset and t.predicate == DCT_TITLE and isinstance(t.object, ox.Literal):
            if t.object.language == "zh" or (t.object.language or "").startswith("zh-"):
                zh = zh or t.object.value
            elif t.object.language == "en" or not t.object.language:
                en = en or t.object.value
    return zh, en


def _rename(triples: Iterable[ox.Triple], old: str, new: str) -> list[ox.Triple]:
    """Triples with the IRI `old` and the IRIs under it (`old#x`, `old/x`) renamed to `new`."""

    def term(node: object) -> object:
        if isinstance(node, ox.NamedNode):
            value = node.value
            if value == old or value.startswith((old + "#", old + "/")):
                return ox.NamedNode(new + value[len(old):])
        return node

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def _identifier_values(triples: Iterable[ox.Triple], dataset: ox.NamedNode) -> list[str]:
    triples = list(triples)
    nodes = {t.object for t in triples if t.subject == dataset and t.predicate == ADMS_IDENTIFIER}
    values = [t.object.value for t in triples
              if t.subject in nodes and t.predicate == SKOS_NOTATION]
    values += [t.object.value for t in triples
               if t.subject == dataset and t.predicate == DCT_IDENTIFIER
               and isinstance(t.object, ox.Literal)]
    return list(dict.fromkeys(values))


class Workflow:
    """Drafts, review and publication over a catalog and its private state."""

    def __init__(self, catalog: Catalog, state: PrivateState) -> None:
        self.catalog = catalog
        self.state = state
        state.ensure(SCHEMA)

    # ------------------------------------------------------------------ reading

    def get(self, sid: str) -> Submission | None:
        rows = self.state.rows("SELECT * FROM submission WHERE id = ?", (sid,))
        return Submission(**rows[0]) if rows else None

    def of_dataset(self, dataset: str) -> Submission | None:
        """The latest submission of a dataset IRI."""
        rows = self.state.rows(
            "SELECT * FROM submission WHERE dataset = ? ORDER BY updated DESC LIMIT 1", (dataset,)
        )
        return Submission(**rows[0]) if rows else None

    def list(self, owner: str | None = None, states: Iterable[str] | None = None,
             limit: int = 200) -> list[Submission]:
        sql = "SELECT * FROM submission WHERE 1 = 1"
        params: list[object] = []
        if owner is not None:
            sql += " AND owner = ?"
            params.append(owner)
        wanted = list(states or ())
        if wanted:
            sql += f" AND state IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        sql += " ORDER BY updated DESC LIMIT ?"
        params.append(limit)
        return [Submission(**row) for row in self.state.rows(sql, tuple(params))]

    def visible_to(self, account: Account, sid: str) -> Submission:
        """The submission if `account` may see it (its owner, or a curator in scope)."""
        sub = self.get(sid)
        if sub is None or not (sub.owner == account.name or (
                account.can("curator") and in_scope(account, sub.triples(), sub.dataset))):
            raise WorkflowError(f"没有提交 {sid}", f"no submission {sid}", status=404)
        return sub

    def queue(self, account: Account) -> list[Submission]:
        """Submissions awaiting a curator's review or publication, within its scope."""
        waiting = self.list(states=["submitted", "approved"])
        return [s for s in waiting if in_scope(account, s.triples(), s.dataset)]

    def _check_scope(self, account: Account, triples: list[ox.Triple], dataset: str) -> None:
        if not in_scope(account, triples, dataset):
            raise WorkflowError(
                "该数据集不属于你所管理的机构", "this dataset's publisher is not the"
                f" institution {account.name} curates", status=403)

    def history(self, dataset: str) -> list[Transition]:
        rows = self.state.rows(
            "SELECT submission, dataset, from_state, to_state, actor, at, comment"
            " FROM transition WHERE dataset = ? ORDER BY id", (dataset,))
        return [Transition(**row) for row in rows]

    def tombstone(self, dataset: str) -> Tombstone | None:
        import json

        rows = self.state.rows("SELECT * FROM tombstone WHERE dataset = ?", (dataset,))
        if not rows:
            return None
        row = rows[0]
        row["identifiers"] = json.loads(row["identifiers"])
        return Tombstone(**row)

    # ------------------------------------------------------------------ drafts

    def new_dataset_iri(self) -> str:
        return f"{self.catalog.base}/dataset/d{date.today():%Y%m%d}-{secrets.token_hex(4)}"

    def _record(self, record: Record) -> Record:
        """A record whose dataset is an IRI (a blank-node dataset gets one minted)."""
        if isinstance(record.dataset, ox.NamedNode):
            return record
        iri = ox.NamedNode(self.new_dataset_iri())
        blank = record.dataset
        triples = [
            ox.Triple(iri if t.subject == blank else t.subject, t.predicate,
                      iri if t.object == blank else t.object)
            for t in record.triples
        ]
        return Record(iri, record.iri, triples)

    def _claimed(self, dataset: str) -> str | None:
        """Why a dataset IRI cannot start a new submission, or None."""
        if self.catalog.find_record(dataset) is not None:
            return "published"
        rows = self.state.rows(
            "SELECT id FROM submission WHERE dataset = ? AND state NOT IN ('withdrawn')",
            (dataset,))
        if rows:
            return rows[0]["id"]
        if self.tombstone(dataset) is not None:
            return "withdrawn"
        return None

    def create(self, owner: Account, triples: Iterable[ox.Triple], source: str = "form",
               previous: str | None = None) -> Created:
        """Drafts from RDF: one per dataset it describes (with the shared things it uses)."""
        staging = ox.Store()
        staging.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                       for t in triples)
        splitter = Splitter(staging, self.catalog.base, today=date.today())
        records = [self._record(r) for r in splitter.iter_records({})]
        shared, _kinds = splitter.shared_graphs()
        created = Created()
        if not records:
            created.errors.append(f"{source}: no dcat:Dataset described / 没有描述任何数据集")
            return created
        for record in records:
            dataset = str(record.dataset.value)
            claim = self._claimed(dataset)
            if claim is not None and previous is None:
                created.errors.append(
                    f"{source}: {dataset} is already registered ({claim}); submit a new version"
                    f" instead / 该数据集已登记({claim}),请提交新版本")
                continue
            used = {t.object.value for t in record.triples if isinstance(t.object, ox.NamedNode)}
            content = list(record.triples)
            for iri, graph in shared.items():
                if iri in used:
                    content.extend(graph)
            created.drafts.append(self._insert(owner, record.dataset, record.iri, content,
                                               previous, source))
        return created

    def create_from_file(self, owner: Account, path: Path, fmt: str | None = None) -> Created:
        """Drafts from a Turtle / JSON-LD / RDF file or a registration spreadsheet."""
        if path.suffix.lower() in (".csv", ".xlsx"):
            return self._create_from_sheet(owner, path)
        staging = ox.Store()
        try:
            rdfio.parse_into(staging, path, fmt=rdfio.detect_format(path, fmt))
        except InputError as e:
            return Created(errors=[str(e)])
        return self.create(owner, (q.triple for q in staging), source=path.name)

    def create_from_bytes(self, owner: Account, name: str, body: bytes,
                          fmt: str | None = None) -> Created:
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_TYPES:
            return Created(errors=[
                f"{name}: not a metadata file; upload one of {', '.join(UPLOAD_TYPES)}"
                f" / 不支持的文件类型,请上传 {'、'.join(UPLOAD_TYPES)} 文件"])
        with tempfile.TemporaryDirectory(prefix="hdcat-upload-") as tmp:
            path = Path(tmp) / ("upload" + suffix)
            path.write_bytes(body)
            created = self.create_from_file(owner, path, fmt)
        created.errors = [e.replace(str(path), name) for e in created.errors]
        return created

    def _create_from_sheet(self, owner: Account, path: Path) -> Created:
        from loaders.http import Http
        from loaders.sheet import SheetLoader

        created = Created()
        for page in SheetLoader(self.catalog.base).pages(str(path), Http()):
            created.errors.extend(f"{path.name}: {e.record}: {e.message}" for e in page.errors)
            if page.triples:
                more = self.create(owner, page.triples, source=path.name)
                created.drafts.extend(more.drafts)
                created.errors.extend(more.errors)
        return created

    def _insert(self, owner: Account, dataset: ox.NamedNode, record: str,
                content: list[ox.Triple], previous: str | None, source: str) -> Submission:
        stamp = now()
        zh, en = _titles(content, dataset)
        sub = Submission(
            id="s" + secrets.token_hex(6), dataset=dataset.value, record=record,
            owner=owner.name, state="draft", title_zh=zh, title_en=en,
            content=_serialise(content), previous=previous, created=stamp, updated=stamp,
        )
        with self.state.locked(write=True):
            self.state.execute(
                "INSERT INTO submission (id, dataset, record, owner, state, title_zh, title_en,"
                " content, previous, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (sub.id, sub.dataset, sub.record, sub.owner, sub.state, sub.title_zh,
                 sub.title_en, sub.content, sub.previous, sub.created, sub.updated))
            self._log(sub, None, "draft", owner.name, f"created from {source}")
        return sub

    def update(self, sid: str, actor: Account, triples: Iterable[ox.Triple]) -> Submission:
        """Replace a draft's content (its owner, or a curator; drafts and returned ones)."""
        sub = self.visible_to(actor, sid)
        if sub.state not in EDITABLE:
            raise WorkflowError(f"状态为 {sub.state} 的提交不能修改",
                                f"a {sub.state} submission cannot be edited")
        content = list(triples)
        dataset = ox.NamedNode(sub.dataset)
        if not any(t.subject == dataset for t in content):
            raise WorkflowError(f"内容没有描述数据集 {sub.dataset}",
                                f"the content does not describe the dataset {sub.dataset}",
                                status=400)
        zh, en = _titles(content, dataset)
        self.state.execute(
            "UPDATE submission SET content = ?, title_zh = ?, title_en = ?, updated = ?"
            " WHERE id = ?", (_serialise(content), zh, en, now(), sid))
        return self.get(sid)  # type: ignore[return-value]

    def delete(self, sid: str, actor: Account) -> None:
        """Discard a draft that was never submitted."""
        sub = self.visible_to(actor, sid)
        if sub.state != "draft":
            raise WorkflowError("只能删除草稿", "only a draft can be deleted")
        with self.state.locked(write=True):
            self.state.execute("DELETE FROM submission WHERE id = ?", (sid,))
            self._log(sub, "draft", "deleted", actor.name, None)

    # ------------------------------------------------------------------ validation

    def validate(self, sub: Submission, published: bool = False) -> Report:
        """The full profile's verdict on a submission (the CSTR rule only once published)."""
        reports = self.catalog.validate_triples(sub.triples(), source=f"submission {sub.id}")
        mine = [r for r in reports if r.subject == sub.dataset] or reports
        results: list[Result] = [res for report in mine for res in report.results]
        if not published:
            results = [r for r in results if _shape_name(r) not in MINTED_AT_PUBLICATION]
        return Report(sub.dataset, results, source=f"submission {sub.id}")

    # ------------------------------------------------------------------ transitions

    def act(self, sid: str, action: str, actor: Account, comment: str | None = None) -> Submission:
        """Apply a transition: submit, return, approve, publish or withdraw."""
        if action not in ACTIONS:
            raise WorkflowError(f"未知操作 {action}", f"unknown action {action}", status=400)
        states, target, role = ACTIONS[action]
        sub = self.visible_to(actor, sid)
        if not actor.can(role):
            raise WorkflowError("需要审核员权限", "this needs a curator", status=403)
        if action == "submit" and sub.owner != actor.name and not actor.can("curator"):
            raise WorkflowError("只能提交自己的草稿", "only the owner submits a draft", status=403)
        if sub.state not in states:
            raise WorkflowError(
                f"状态为 {sub.state} 的提交不能执行 {action}",
                f"a {sub.state} submission cannot be {action}ed"
                f" (allowed from: {', '.join(sorted(states))})")
        if role == "curator":
            self._check_scope(actor, sub.triples(), sub.dataset)
        if action == "return" and not (comment or "").strip():
            raise WorkflowError("退回时必须写明意见", "a return needs a comment", status=400)
        if action in ("submit", "approve"):
            report = self.validate(sub)
            if not report.conforms:
                raise WorkflowError("提交的元数据不符合规范,请先修正", "the metadata has "
                                    "violations; fix them first", status=422, report=report)
        with audit.acting(actor.name, action):
            if action == "publish":
                self._publish(sub, actor)
            if action == "withdraw":
                self._withdraw(sub.dataset, sub.record, actor, comment)
        with self.state.locked(write=True):
            self.state.execute("UPDATE submission SET state = ?, updated = ? WHERE id = ?",
                               (target, now(), sid))
            self._log(sub, sub.state, target, actor.name, comment)
        return self.get(sid)  # type: ignore[return-value]

    def _log(self, sub: Submission, before: str | None, after: str, actor: str,
             comment: str | None) -> None:
        self.state.execute(
            "INSERT INTO transition (submission, dataset, from_state, to_state, actor, at,"
            " comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sub.id, sub.dataset, before, after, actor, now(), comment))

    def _publish(self, sub: Submission, actor: Account) -> None:
        from hdcat import identifiers

        dataset = ox.NamedNode(sub.dataset)
        triples = [t for t in sub.triples()
                   if not (t.subject == dataset and t.predicate in (DCT_ISSUED, DCT_MODIFIED))
                   and not (t.subject == dataset and t.predicate == DCT_IDENTIFIER
                            and t.object.value.upper().startswith("CSTR:"))]
        # Identifiers the submitter brings (an existing DOI) are checked and reserved, so that
        # no other dataset gets them.
        registry = identifiers.Identifiers(self.state)
        for value in _identifier_values(triples, dataset):
            if not value.upper().startswith(("CSTR:", "10.", "DOI:", "HTTPS://DOI.ORG/")):
                continue  # a local identifier: not a persistent one
            try:
                registry.reserve(value, sub.dataset)
            except identifiers.IdentifierError as e:
                raise WorkflowError(e.zh, e.en, status=422) from None
        today = ox.Literal(date.today().isoformat(), datatype=XSD_DATE)
        minted = identifiers.Minter(self.state, self.catalog.settings).mint(sub.dataset)
        triples += identifiers.identifier_triples(sub.dataset, minted)
        triples += [ox.Triple(dataset, DCT_ISSUED, today), ox.Triple(dataset, DCT_MODIFIED, today)]
        if sub.previous:
            triples.append(ox.Triple(dataset, DCAT_PREVIOUS, ox.NamedNode(sub.previous)))
        report = self.catalog.load_triples(triples, source=f"submission {sub.id}", strict=True)
        if not report.ok:
            refused = report.refused[0] if report.refused else None
            raise WorkflowError("发布被拒绝:元数据不符合规范", "publication refused: the "
                                "metadata has violations", status=422, report=refused)
        if sub.previous:
            self._link_version(sub.previous, sub.dataset)

    def _link_version(self, previous: str, newer: str) -> None:
        """State on the previous version's record that it has a newer version."""
        found = self.catalog.find_record(previous)
        if found is None:
            return
        record_iri, _node = found
        old = self.catalog.record_triples(record_iri)
        link = ox.Triple(ox.NamedNode(previous), DCAT_HAS_VERSION, ox.NamedNode(newer))
        if link not in old:
            self.catalog.load_triples([*old, link], source=f"version of {previous}",
                                      validate=False)

    def withdraw_dataset(self, dataset: str, actor: Account, reason: str | None) -> Tombstone:
        """Withdraw a published dataset, however it was published; leave a tombstone."""
        if not actor.can("curator"):
            raise WorkflowError("需要审核员权限", "this needs a curator", status=403)
        sub = self.of_dataset(dataset)
        if sub is not None and sub.state == "published":
            self.act(sub.id, "withdraw", actor, reason)
            return self.tombstone(dataset)  # type: ignore[return-value]
        found = self.catalog.find_record(dataset)
        if found is None:
            raise WorkflowError(f"目录中没有数据集 {dataset}", f"no published dataset {dataset}",
                                status=404)
        self._check_scope(actor, self.catalog.record_triples(found[0]), dataset)
        with audit.acting(actor.name, "withdraw"):
            self._withdraw(dataset, found[0], actor, reason)
        with self.state.locked(write=True):
            self.state.execute(
                "INSERT INTO transition (submission, dataset, from_state, to_state, actor, at,"
                " comment) VALUES (NULL, ?, 'published', 'withdrawn', ?, ?, ?)",
                (dataset, actor.name, now(), reason))
        return self.tombstone(dataset)  # type: ignore[return-value]

    def _withdraw(self, dataset: str, record: str, actor: Account, reason: str | None) -> None:
        import json

        triples = self.catalog.record_triples(record)
        node = ox.NamedNode(dataset)
        zh, en = _titles(triples, node)
        ids = _identifier_values(triples, node)
        with self.state.locked(write=True):
            self.state.execute(
                "INSERT OR REPLACE INTO tombstone (dataset, record, title_zh, title_en,"
                " identifiers, reason, withdrawn, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (dataset, record, zh, en, json.dumps(ids, ensure_ascii=False), reason, now(),
                 actor.name))
        self.catalog.drop_records([record])

    # ------------------------------------------------------------------ versions

    def new_version(self, dataset: str, actor: Account) -> Submission:
        """A draft of the next version of a published dataset: its description under a new
        IRI, without the old identifiers and dates, linked to it by dcat:previousVersion."""
        found = self.catalog.find_record(dataset)
        if found is None:
            raise WorkflowError(f"目录中没有数据集 {dataset}", f"no published dataset {dataset}",
                                status=404)
        record_iri, _node = found
        old = ox.NamedNode(dataset)
        triples = self.catalog.record_triples(record_iri)
        self._check_scope(actor, triples, dataset)
        version = next((t.object.value for t in triples
                        if t.subject == old and t.predicate == DCAT_VERSION), None)
        new_iri = self.new_dataset_iri()
        content = copy_description(
            triples, record_iri, dataset, new_iri,
            drop=(DCT_ISSUED, DCT_MODIFIED, DCAT_VERSION, DCAT_HAS_VERSION, DCAT_PREVIOUS))
        content.append(ox.Triple(ox.NamedNode(new_iri), DCAT_VERSION,
                                 ox.Literal(_next_version(version))))
        created = self.create(actor, content, source=f"new version of {dataset}",
                              previous=dataset)
        if not created.drafts:
            raise WorkflowError("无法创建新版本", "; ".join(created.errors) or
                                "could not create the new version")
        return created.drafts[0]


def in_scope(account: Account, triples: Iterable[ox.Triple], dataset: str) -> bool:
    """Whether a curator may act on a dataset: admins and curators without a publisher
    scope on all; a curator of one institution on the datasets it publishes."""
    if account.role == "admin" or not account.publisher:
        return True
    node = ox.NamedNode(dataset)
    return any(t.subject == node and t.predicate == DCT_PUBLISHER
               and isinstance(t.object, ox.NamedNode) and t.object.value == account.publisher
               for t in triples)


def copy_description(triples: Iterable[ox.Triple], record_iri: str, dataset: str,
                     new_iri: str, drop: Iterable[ox.NamedNode] = ()) -> list[ox.Triple]:
    """A published dataset's description under `new_iri`: without its catalog record, its
    identifiers (ADMS identifier nodes and dct:identifier literals) and the dataset's
    properties in `drop`; the dataset's own IRIs (`#x`, `/x`) renamed with it."""
    triples = list(triples)
    old = ox.NamedNode(dataset)
    dropped = {ADMS_IDENTIFIER, *drop}
    id_nodes = {t.object for t in triples if t.subject == old and t.predicate == ADMS_IDENTIFIER}
    kept = [
        t for t in triples
        if t.subject not in id_nodes
        and not (t.subject == old and (t.predicate in dropped or (
            t.predicate == DCT_IDENTIFIER and isinstance(t.object, ox.Literal))))
        and not _is_record_triple(t, record_iri)
    ]
    return _rename(kept, dataset, new_iri)


def _is_record_triple(t: ox.Triple, record_iri: str) -> bool:
    return (isinstance(t.subject, ox.NamedNode) and t.subject.value == record_iri) or (
        isinstance(t.object, ox.NamedNode) and t.object.value == record_iri)


def _next_version(version: str | None) -> str:
    """1.0 -> 2.0, 3 -> 4, v2 -> v3; no version -> 2.0."""
    if not version:
        return "2.0"
    head, dot, _rest = version.partition(".")
    digits = "".join(ch for ch in head if ch.isdigit())
    if not digits:
        return version + "-2"
    prefix = head[: len(head) - len(head.lstrip("vV"))]
    return f"{prefix}{int(digits) + 1}" + (".0" if dot else "")


def _shape_name(result: Result) -> str:
    shape = str(result.shape or "")
    return shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1].rstrip(">")
