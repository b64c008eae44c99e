"""push-ckan's metadata: read back from the real published catalogue of a `hankedata run`, mapped to CKAN."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import shared_file

from pipeline.core.errors import ConfigError, UserError
from pipeline.publish.dcat_text import clean_keyword
from pipeline.push.avoindata import avoindata
from pipeline.push.checks import file_sha256
from pipeline.push.licences import portal_licence_id
from pipeline.push.mapping import CATALOG_EXTRA, KEY_FIELD, LANDING_PAGE, desired_dataset
from pipeline.push.names import check_names, dataset_name, derived_name
from pipeline.push.published import Licence, read_published

TABLES = ("funding", "organisations", "projects", "quality")
KINDS = ("csv", "datapackage", "parquet", "validation-report")


@pytest.fixture(scope="module")
def licences() -> list[dict]:
    return json.loads(shared_file("dcat", "ckan", "avoindata-license.json").read_text(encoding="utf-8"))


def _desired(published, dataset, licences, link=False):
    return desired_dataset(dataset, name=dataset_name(dataset.identifier, {}), organization="oulu",
                           licence_id=portal_licence_id(dataset.licence, licences),
                           catalog_uri=published.catalog_uri, out_dir=published.out_dir, link=link)


def test_one_dataset_per_published_table_with_its_files(snapshot_run: Path) -> None:
    published = read_published(snapshot_run)
    assert [d.identifier.rsplit("/", 1)[-1] for d in published.datasets] == list(TABLES)
    for dataset in published.datasets:
        assert tuple(d.key for d in dataset.distributions) == KINDS
        for dist in dataset.distributions:
            path = snapshot_run / dist.path
            assert file_sha256(path) == dist.sha256 and path.stat().st_size == dist.byte_size
            assert dist.download_url == published.base_url + dist.path
        assert dataset.language == "fi"
        assert set(dataset.titles) == set(dataset.descriptions) == {"fi", "sv", "en"}
        assert dataset.licence.see_also == "http://creativecommons.org/licenses/by/4.0/"


def test_names_derive_stably_from_identifiers_and_params_override_them() -> None:
    identifier = "https://www.hankedata.example.org/dataset/projects"
    assert derived_name(identifier) == "hankedata-example-org-projects"
    assert derived_name(identifier) == derived_name(identifier)
    long = "https://example.org/" + "a" * 150
    assert len(derived_name(long)) == 100 and derived_name(long) != derived_name(long + "b")
    assert dataset_name(identifier, {"projects": "oulun-hankkeet"}) == "oulun-hankkeet"
    assert dataset_name(identifier, {identifier: "by-whole-identifier"}) == "by-whole-identifier"
    with pytest.raises(ConfigError, match=r"ckan.names.projects"):
        check_names({"projects": "Oulun Hankkeet"})


def test_licence_is_mapped_to_the_portals_list_by_url_or_title(licences: list[dict]) -> None:
    assert portal_licence_id(Licence("x", "", "https://creativecommons.org/licenses/by/4.0"), licences) == "cc-by-4.0"
    assert portal_licence_id(Licence("x", "Creative Commons CCZero 1.0", ""), licences) == "cc-zero-1.0"
    with pytest.raises(UserError, match="no licence matching") as caught:
        portal_licence_id(Licence("http://example.org/l", "Some Other Licence", ""), licences)
    assert "cc-by-4.0" in str(caught.value)


def test_ckan_profile_fields_come_from_the_catalogue(snapshot_run: Path, licences: list[dict]) -> None:
    published = read_published(snapshot_run)
    dataset = next(d for d in published.datasets if d.identifier.endswith("/projects"))
    want = _desired(published, dataset, licences)
    fields = want.fields
    assert want.name == "hankedata-example-org-projects"
    assert fields["title"] == dataset.titles["fi"] and fields["notes"] == dataset.descriptions["fi"]
    assert fields["license_id"] == "cc-by-4.0"
    assert fields["maintainer_email"] == "palaute@ouka.fi"
    assert fields["tags"] and all(clean_keyword(t["name"]) == t["name"] for t in fields["tags"])
    extras = {e["key"]: e["value"] for e in fields["extras"]}
    assert extras["uri"] == dataset.uri and extras[CATALOG_EXTRA] == published.catalog_uri
    assert json.loads(extras["theme"]) == sorted(c.uri for c in dataset.themes)
    assert extras["spatial_uri"].endswith("/place/FIN_OUL")
    assert extras["temporal_start"] <= extras["temporal_end"]
    assert set(extras) >= {"issued", "modified", "frequency", "access_rights", "provenance", "contact_email",
                           "publisher_name", "language", "conforms_to"}


def test_resources_upload_the_files_or_link_them_under_public_base_url(snapshot_run: Path,
                                                                        licences: list[dict]) -> None:
    published = read_published(snapshot_run)
    dataset = published.datasets[0]
    uploaded = _desired(published, dataset, licences)
    linked = _desired(published, dataset, licences, link=True)
    assert [r.key for r in uploaded.resources] == [*KINDS, LANDING_PAGE]
    for up, link, dist in zip(uploaded.resources, linked.resources, dataset.distributions, strict=False):
        assert up.upload == snapshot_run / dist.path and up.fields["hash"] == dist.sha256
        assert link.upload is None and link.fields["url"] == dist.download_url
        assert link.fields["url"].startswith(published.base_url)
        assert up.fields[KEY_FIELD] == link.fields[KEY_FIELD] == dist.key
    landing = uploaded.resources[-1]
    assert landing.upload is None and landing.fields["url"] == dataset.landing_page


def _required(field: dict) -> bool:
    return bool(field.get("required") or field.get("only_default_lang_required")
                or "not_empty" in str(field.get("validators", "")))


def _filled(field: dict, value: object) -> bool:
    if field.get("form_languages"):  # fluent: the default (first) language must be there
        return isinstance(value, dict) and bool(value.get(field["form_languages"][0]))
    if field.get("choices"):
        return value in [c["value"] for c in field["choices"]]
    return bool(value)


def test_avoindata_profile_fills_every_required_field_of_its_schema(snapshot_run: Path,
                                                                    licences: list[dict]) -> None:
    schema = json.loads(shared_file("ckan", "avoindata-dataset-schema.json").read_text(encoding="utf-8"))
    published = read_published(snapshot_run)
    for dataset in published.datasets:
        want = avoindata(_desired(published, dataset, licences), dataset)
        missing = [f["field_name"] for f in schema["dataset_fields"]
                   if _required(f) and not _filled(f, want.fields.get(f["field_name"]))]
        assert not missing, f"{want.name}: required fields not filled: {missing}"
        for resource in want.resources:
            unfilled = [f["field_name"] for f in schema["resource_fields"]
                        if _required(f) and not _filled(f, resource.fields.get(f["field_name"]))]
            assert not unfilled, f"{want.name} {resource.key}: {unfilled}"
        assert set(want.fields["title_translated"]) == {"fi", "sv", "en"}
        assert want.fields["maintainer_email"] == ["palaute@ouka.fi"]
        assert "tags" not in want.fields


def test_outputs_changed_after_publishing_are_refused(snapshot_run: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(snapshot_run, tmp_path / "outputs")
    with (copy / "csv" / "projects.csv").open("a", encoding="utf-8") as handle:
        handle.write("edited after publishing\n")
    with pytest.raises(UserError, match=r"projects.csv differs from its entry"):
        read_published(copy)
    with pytest.raises(UserError, match="run `hankedata run`"):
        read_published(tmp_path / "nothing")
