"""A SPARQL endpoint: datasets paged with LIMIT/OFFSET over an ordered SELECT of their IRIs,
then one CONSTRUCT per page of their closure (the dataset, what it links to -- distributions,
agents, contact points, periods... -- and the blank nodes below those), via SPARQLWrapper."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from loaders.base import Loader, Page
from loaders.http import Http

SELECT = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT DISTINCT ?d WHERE {{ ?d a dcat:Dataset . FILTER(isIRI(?d)) }}
ORDER BY ?d LIMIT {limit} OFFSET {offset}"""
CONSTRUCT = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  VALUES ?d {{ {values} }}
  {{ ?d ?p ?o . BIND(?d AS ?s) }}
  UNION {{ ?d ?q ?s . ?s ?p ?o . FILTER(isBlank(?s) || NOT EXISTS {{ ?s a dcat:Dataset }}) }}
  UNION {{ ?d ?q ?x . ?x ?r ?s . ?s ?p ?o . FILTER(isBlank(?s))
           FILTER(isBlank(?x) || NOT EXISTS {{ ?x a dcat:Dataset }}) }}
}}"""
COUNT = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset . FILTER(isIRI(?d)) }"""


class SparqlLoader(Loader):
    """A SPARQL 1.1 endpoint, `page_size` datasets a page."""

    kind = "sparql"

    def __init__(self, page_size: int = 200) -> None:
        self.page_size = page_size

    def _client(self, url: str, http: Http) -> SPARQLWrapper:
        client = SPARQLWrapper(url, agent=http.user_agent)
        client.setTimeout(int(http.timeout))
        client.setMethod(POST)
        return client

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        client = self._client(url, http)
        total: int | None = None
        try:
            client.setQuery(COUNT)
            client.setReturnFormat(JSON)
            rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
            total = int(rows[0]["n"]["value"]) if rows else 0
        except (SPARQLWrapperException, OSError, KeyError, ValueError) as e:
            yield Page.broken(url, f"{url}: SPARQL COUNT failed: {e}")
            return
        offset = 0
        while offset < total:
            page_url = f"{url}#offset={offset}"
            more = offset + self.page_size < total
            next_url = f"{url}#offset={offset + self.page_size}" if more else None
            try:
                client.setQuery(SELECT.format(limit=self.page_size, offset=offset))
                client.setReturnFormat(JSON)
                bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
                iris = [b["d"]["value"] for b in bindings]
                triples: list[ox.Triple] = []
                if iris:
                    values = " ".join(f"<{i}>" for i in iris)
                    client.setQuery(CONSTRUCT.format(values=values))
                    client.setReturnFormat(TURTLE)
                    body = client.query().response.read()
                    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE,
                                                          rename_blank_nodes=True)]
            except (SPARQLWrapperException, OSError, KeyError, ValueError, SyntaxError) as e:
                yield Page.broken(page_url, f"{page_url}: SPARQL query failed: {e}", next_url,
                                  total)
                offset += self.page_size
                continue
            yield Page(triples, page_url, next_url, total=total)
            if not iris:
                return
            offset += self.page_size
