"""push-ckan against a real CKAN 2.12 + ckanext-dcat (PostgreSQL, Redis; Solr is a stand-in) on 127.0.0.1.

Each test publishes into its own organization under its own dataset names (params.yaml ckan.names),
so the tests share one portal without seeing each other's datasets. They skip when the stack cannot
start here and fail in CI (HANKEDATA_REQUIRE_ALL=1); .ci/ckan-stack.sh installs what it needs.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from ckan_stack.fixture import CkanStack, ckan_stack  # noqa: F401 - the session fixture, used by name
from ckan_stack.outputs import copy_outputs, drop_dataset, replace_file
from conftest import ROOT, SNAPSHOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from pipeline.cli import main
from pipeline.publish.dcat_vocab import DCAT, DCT, SPDX
from pipeline.push.apply import apply_plan
from pipeline.push.client import CkanClient
from pipeline.push.command import plan_push
from pipeline.push.published import read_published

pytestmark = pytest.mark.xdist_group("ckan")  # one worker starts the one stack
TABLES = ("funding", "organisations", "projects", "quality")
CC_BY_4_0 = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"


@dataclass
class Pushed:
    code: int
    out: str
    err: str


@dataclass
class Deployment:
    """One publisher on the shared portal: an organization of its own and dataset names of its own."""

    stack: CkanStack
    organization: str
    prefix: str
    params: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def name(self, table: str) -> str:
        return f"{self.prefix}-{table}"

    @property
    def names(self) -> dict[str, str]:
        return {table: self.name(table) for table in TABLES}

    def push(self, outputs: Path, *options: str, token: str | None = None) -> Pushed:
        """`hankedata push-ckan` in-process, with CKAN_API_TOKEN set to the sysadmin's (or the given) token."""
        self.monkeypatch.setenv("CKAN_API_TOKEN", self.stack.sysadmin_token if token is None else token)
        self.capsys.readouterr()
        code = main(["push-ckan", "--url", self.stack.url, "--organization", self.organization, "--out", str(outputs),
                     "--params", str(self.params), *options])
        captured = self.capsys.readouterr()
        return Pushed(code, captured.out, captured.err)

    def show(self, table: str) -> dict[str, Any]:
        return self.stack.action("package_show", {"id": self.name(table)})

    def shows(self) -> dict[str, dict[str, Any]]:
        return {table: self.show(table) for table in TABLES}


@pytest.fixture
def deployment(ckan_stack: CkanStack, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
               monkeypatch: pytest.MonkeyPatch) -> Deployment:
    prefix = f"t{uuid.uuid4().hex[:10]}"
    ckan_stack.action("organization_create", {"name": f"{prefix}-org"})
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    params["ckan"] = {"names": {table: f"{prefix}-{table}" for table in TABLES}}
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return Deployment(ckan_stack, f"{prefix}-org", prefix, path, capsys, monkeypatch)


def _writes(pushed: Pushed) -> int:
    return int(pushed.out.rsplit("; ", 2)[-2].split()[0])


def _by_key(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["hankedata_key"]: r for r in dataset["resources"]}


def test_dry_run_changes_nothing_push_creates_and_a_second_push_writes_nothing(
        deployment: Deployment, snapshot_run: Path) -> None:
    dry = deployment.push(snapshot_run, "--dry-run")
    assert dry.code == 0 and "nothing was changed" in dry.out and "24 writes" in dry.out
    with pytest.raises(urllib.error.HTTPError):
        deployment.show("projects")
    first = deployment.push(snapshot_run)
    assert first.code == 0, first.err
    assert _writes(first) == 24
    published = read_published(snapshot_run)
    for table, dataset in deployment.shows().items():
        resources = _by_key(dataset)
        assert set(resources) == {"csv", "parquet", "datapackage", "validation-report", "landing-page"}
        source = next(d for d in published.datasets if d.identifier.endswith("/" + table))
        for dist in source.distributions:
            assert resources[dist.key]["hash"] == dist.sha256 and resources[dist.key]["url_type"] == "upload"
        assert dataset["license_id"] == "cc-by-4.0" and dataset["title"] == source.titles["fi"]
    download = deployment.stack.get(_by_key(deployment.show("projects"))["csv"]["url"].split(
        deployment.stack.url, 1)[1])
    assert download == (snapshot_run / "csv" / "projects.csv").read_bytes()
    before = deployment.shows()
    second = deployment.push(snapshot_run)
    assert second.code == 0 and _writes(second) == 0
    assert deployment.shows() == before  # not even metadata_modified moved


def test_a_changed_card_updates_only_the_resources_of_changed_files(
        deployment: Deployment, snapshot_run: Path, tmp_path: Path) -> None:
    assert deployment.push(snapshot_run).code == 0
    before = deployment.shows()
    cards = copy_outputs(SNAPSHOT, tmp_path / "cards")
    card = cards / "544.txt"
    card.write_text(card.read_text(encoding="utf-8").replace("Tavoitteet:", "Tavoitteet (päivitetty):", 1),
                    encoding="utf-8")
    changed_out = tmp_path / "outputs"
    assert main(["run", "--quiet", "--input", str(cards), "--out", str(changed_out)]) == 0
    old, new = read_published(snapshot_run), read_published(changed_out)
    old_hashes = {(d.identifier, f.key): f.sha256 for d in old.datasets for f in d.distributions}
    expected = {(d.identifier.rsplit("/", 1)[-1], f.key) for d in new.datasets for f in d.distributions
                if old_hashes[(d.identifier, f.key)] != f.sha256}
    assert ("projects", "csv") in expected and ("funding", "csv") not in expected
    pushed = deployment.push(changed_out)
    assert pushed.code == 0, pushed.err
    assert _writes(pushed) == len(expected)
    after = deployment.shows()
    for table in TABLES:
        for key, resource in _by_key(after[table]).items():
            untouched = _by_key(before[table])[key]
            if (table, key) in expected:
                assert resource["hash"] != untouched["hash"] and resource["last_modified"] != untouched["last_modified"]
            else:
                assert resource == untouched, (table, key)
    csv = _by_key(after["projects"])["csv"]["url"].split(deployment.stack.url, 1)[1]
    assert deployment.stack.get(csv) == (changed_out / "csv" / "projects.csv").read_bytes()


def test_a_dataset_no_longer_published_is_reported_and_removed_only_with_prune(
        deployment: Deployment, snapshot_run: Path, tmp_path: Path) -> None:
    assert deployment.push(snapshot_run).code == 0
    fewer = copy_outputs(snapshot_run, tmp_path / "outputs")
    drop_dataset(fewer, "quality")
    kept = deployment.push(fewer)
    assert kept.code == 0 and _writes(kept) == 0
    assert f"vanished  dataset {deployment.name('quality')}: no longer published; kept" in kept.out
    assert deployment.show("quality")["state"] == "active"
    pruned = deployment.push(fewer, "--prune")
    assert pruned.code == 0 and _writes(pruned) == 1
    assert deployment.show("quality")["state"] == "deleted"
    assert all(deployment.show(t)["state"] == "active" for t in TABLES if t != "quality")


def test_a_bad_token_or_one_without_rights_is_refused_and_never_shown(
        deployment: Deployment, snapshot_run: Path) -> None:
    for token in ("not-a-token-" + uuid.uuid4().hex, deployment.stack.outsider_token):
        refused = deployment.push(snapshot_run, token=token)
        assert refused.code == 5, refused.err
        assert f"lacks the rights to do this on organization '{deployment.organization}'" in refused.err
        assert token not in refused.out + refused.err
    with pytest.raises(urllib.error.HTTPError):
        deployment.show("funding")


def test_a_validation_error_lists_ckans_field_messages(deployment: Deployment, snapshot_run: Path) -> None:
    params = yaml.safe_load(deployment.params.read_text(encoding="utf-8"))
    params["ckan"]["names"]["funding"] = "new"  # a well-formed name CKAN reserves
    deployment.params.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    rejected = deployment.push(snapshot_run)
    assert rejected.code == 6
    assert "CKAN rejected package_create (dataset new) (HTTP 409): Validation Error; name: That name cannot be used" \
        in rejected.err


def test_an_oversized_upload_suggests_links_and_links_work(
        deployment: Deployment, snapshot_run: Path, tmp_path: Path) -> None:
    big = copy_outputs(snapshot_run, tmp_path / "outputs")
    report = json.loads((big / "reports" / "validation.json").read_text(encoding="utf-8"))
    report["padding"] = "x" * 1_200_000  # the stack's ckan.max_resource_size is 1 MB
    replace_file(big, "reports/validation.json", json.dumps(report).encode("utf-8"))
    refused = deployment.push(big)
    assert refused.code == 7
    assert "validation.json (1,2" in refused.err and "as too large" in refused.err
    assert "use --link-resources" in refused.err
    linked = deployment.push(big, "--link-resources")
    assert linked.code == 0, linked.err
    published = read_published(big)
    for table, dataset in deployment.shows().items():
        source = next(d for d in published.datasets if d.identifier.endswith("/" + table))
        for dist in source.distributions:
            resource = _by_key(dataset)[dist.key]
            assert resource["url"] == dist.download_url and resource["url_type"] in ("", None)
            assert resource["url"].startswith(published.base_url)
    assert _writes(deployment.push(big, "--link-resources")) == 0


def test_an_interrupted_push_is_completed_by_the_next(deployment: Deployment, snapshot_run: Path) -> None:
    published = read_published(snapshot_run)
    client = CkanClient(deployment.stack.url, deployment.stack.sysadmin_token, organization=deployment.organization)
    plan = plan_push(client, published, organization=deployment.organization, names=deployment.names)
    done: list[str] = []

    def stop_after_seven(message: str) -> None:
        done.append(message)
        if len(done) == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, client, stop_after_seven)
    client.close()
    completed = deployment.push(snapshot_run)
    assert completed.code == 0
    assert _writes(completed) == plan.writes - 7
    assert all(len(d["resources"]) == 5 for d in deployment.shows().values())
    assert _writes(deployment.push(snapshot_run)) == 0


def test_ckanext_dcat_reads_the_pushed_dataset_back_with_its_licence(
        deployment: Deployment, snapshot_run: Path) -> None:
    assert deployment.push(snapshot_run).code == 0
    published = read_published(snapshot_run)
    source = next(d for d in published.datasets if d.identifier.endswith("/projects"))
    graph = Graph()
    graph.parse(data=deployment.stack.get(f"/dataset/{deployment.name('projects')}.ttl"), format="turtle")
    dataset = URIRef(source.uri)
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert str(graph.value(dataset, DCT.title)) == source.titles["fi"]
    for dist in source.distributions:
        node = URIRef(dist.uri)
        assert (dataset, DCAT.distribution, node) in graph
        assert graph.value(node, DCT.license) == URIRef(CC_BY_4_0)
        assert str(graph.value(graph.value(node, SPDX.checksum), SPDX.checksumValue)) == dist.sha256
        assert str(graph.value(node, DCAT.byteSize)) == str(dist.byte_size)
        assert hashlib.sha256(deployment.stack.get(str(graph.value(node, DCAT.accessURL)).split(
            deployment.stack.url, 1)[1])).hexdigest() == dist.sha256
    shown = deployment.show("projects")
    assert (shown["license_id"], shown["license_url"]) == ("cc-by-4.0", "http://creativecommons.org/licenses/by/4.0/")
