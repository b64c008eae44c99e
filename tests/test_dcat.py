"""The DCAT-AP 3 catalogue: SHACL-valid in all three syntaxes, byte-stable, and readable by CKAN.

Triple-level tests in the style of ckanext-dcat: what a harvester reads (titles, licence, tags,
distributions, checksums) is asserted on the parsed graph, not on the serialised text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pyshacl
import pytest
import yaml
from conftest import shared_file
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, SKOS

from pipeline.core.errors import ConfigError
from pipeline.core.sources import source_by_key
from pipeline.publish.dcat import CATALOG_FILES, build_catalog, write_catalog
from pipeline.publish.dcat_text import TABLE_TEXT, clean_keyword, clean_keywords
from pipeline.publish.dcat_vocab import (
    ACCESS_RIGHT,
    AUTHORITY,
    COUNTRY,
    DATA_THEME,
    DCAT,
    DCT,
    FILE_TYPE,
    FOAF,
    FREQUENCY,
    LANGUAGE,
    LICENCE,
    LICENCE_TYPE,
    PLACE,
    PREFIXES,
    PUBLISHER_TYPE,
    SPDX,
    VCARD,
    concept,
)
from pipeline.publish.model import CatalogInput, PublishedFile, PublishedTable

HERE = Path(__file__).parent
ROOT = HERE.parent
SHAPES = ("dcat", "shapes", "dcat-ap-3.0.1")
BASE = "https://data.example.test/hankedata/"
FORMATS = {"catalog.ttl": "turtle", "catalog.rdf": "xml", "catalog.jsonld": "json-ld"}
MDR = Namespace("http://data.europa.eu/r5r#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module names
AUTHORITY_DEPRECATED = URIRef("http://publications.europa.eu/ontology/authority/deprecated")
CKAN_TAG = re.compile(r"^[\w \-.]*$")  # ckan.logic.validators.tag_name_validator
TABLES = {
    "projects": ("Projects", "One row per published project card."),
    "funding": ("Funding", "Tidy funding plan: one row per project x funding line x year."),
    "organisations": ("Organisations", "One row per project x organisation x role."),
    "quality": ("Quality findings", "One row per finding about a card or the dataset."),
}


# --- a small real publication ------------------------------------------------------------


def _published(out: Path, path: str, media_type: str, file_type: str) -> PublishedFile:
    data = (out / path).read_bytes()
    return PublishedFile(path, len(data), hashlib.sha256(data).hexdigest(), media_type, file_type)


def write_outputs(out: Path) -> None:
    """Real CSV, Parquet and JSON files, as publish would leave them in outputs/."""
    for name in TABLES:
        (out / "csv").mkdir(parents=True, exist_ok=True)
        (out / "parquet").mkdir(parents=True, exist_ok=True)
        (out / "csv" / f"{name}.csv").write_text(f"project_id,note\noulu-1,{name} ä\noulu-2,x\n",
                                                 encoding="utf-8")
        table = pa.table({"project_id": ["oulu-1", "oulu-2"], "note": [f"{name} ä", "x"]})
        pq.write_table(table, out / "parquet" / f"{name}.parquet")
    (out / "reports").mkdir(exist_ok=True)
    (out / "datapackage.json").write_text(json.dumps({"name": "hankedata", "resources": []}))
    (out / "reports" / "validation.json").write_text(json.dumps({"valid": True, "tasks": []}))


def catalog_input(out: Path) -> CatalogInput:
    """A CatalogInput over the files in out/, with the project's real params.yaml and source."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    tables = tuple(
        PublishedTable(name, title, description, f"schemas/{name}.json", 2,
                       _published(out, f"csv/{name}.csv", "text/csv", "CSV"),
                       _published(out, f"parquet/{name}.parquet", "application/vnd.apache.parquet",
                                  "PARQUET"))
        for name, (title, description) in TABLES.items())
    return CatalogInput(
        base_url=BASE, catalog=params["catalog"], sources=(source_by_key("oulu-hanketietokanta"),), tables=tables,
        datapackage=_published(out, "datapackage.json", "application/json", "JSON"),
        report=_published(out, "reports/validation.json", "application/json", "JSON"),
        temporal_start=date(2014, 1, 1), temporal_end=date(2022, 12, 31), modified=date(2024, 5, 2))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    write_outputs(out)
    return out


@pytest.fixture(scope="module")
def ci(outputs: Path) -> CatalogInput:
    return catalog_input(outputs)


@pytest.fixture(scope="module")
def graph(ci: CatalogInput) -> Graph:
    return build_catalog(ci)


@pytest.fixture(scope="module")
def written(ci: CatalogInput, outputs: Path) -> list[Path]:
    return write_catalog(ci, outputs / "dcat")


@pytest.fixture(scope="module")
def parsed(written: list[Path]) -> dict[str, Graph]:
    """Each file parsed back on its own, as a harvester would read it."""
    return {path.name: Graph().parse(path, format=FORMATS[path.name]) for path in written}


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    vocab = Graph()
    vocab.parse(shared_file("dcat", "vocab", "nal-index.nt"), format="nt")
    vocab.parse(shared_file("dcat", "vocab", "nal-supplement.ttl"), format="turtle")
    return vocab


def _shapes(*names: str) -> Graph:
    shapes = Graph()
    for name in names:
        shapes.parse(shared_file(*SHAPES, name), format="turtle")
    return shapes


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _shapes("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")


# --- SHACL helpers -----------------------------------------------------------------------


def with_vocabulary(data: Graph, vocab: Graph) -> Graph:
    """The data plus what the EU vocabularies say about every node the data mentions.

    pyshacl's ont_graph only copies RDFS/OWL axioms into the data, so SKOS concept facts
    (skos:inScheme) would stay invisible there; and the whole index cannot be added, because
    its 3,500 concepts carry no skos:prefLabel and would each fail Category_Shape.
    """
    nodes = set(data.subjects()) | set(data.objects())
    merged = Graph()
    for triple in data:
        merged.add(triple)
    for s, p, o in vocab:
        if s in nodes:
            merged.add((s, p, o))
    return merged


def validate(data: Graph, shapes: Graph) -> Graph:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", abort_on_first=False,
                                    allow_warnings=True, do_owl_imports=False, meta_shacl=False)
    return report


def top_results(report: Graph, severity: URIRef | None = None) -> list:
    """The report's own results (sh:detail explanations of a result are not results)."""
    results = list(report.objects(None, SH.result))
    return [r for r in results if severity is None or report.value(r, SH.resultSeverity) == severity]


def is_spdx_pattern_defect(report: Graph, shapes: Graph, result: object) -> bool:
    """README fact 2: ChecksumAlgorithmRestriction wants an https://spdx.org prefix; SPDX's is http."""
    source_shape = report.value(result, SH.sourceShape)
    details = [report.value(d, SH.sourceConstraintComponent) for d in report.objects(result, SH.detail)]
    return (report.value(result, SH.resultPath) == SPDX.algorithm
            and report.value(result, SH.sourceConstraintComponent) == SH.NodeConstraintComponent
            and report.value(result, SH.value) == SPDX.checksumAlgorithm_sha256
            and (source_shape, SH.node, MDR.ChecksumAlgorithmRestriction) in shapes
            and details == [SH.PatternConstraintComponent])


def describe(report: Graph, results: list) -> list[str]:
    return sorted(f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)} "
                  f"{report.value(r, SH.resultMessage)}" for r in results)


@pytest.fixture(scope="module")
def shacl_reports(parsed: dict[str, Graph], vocabulary: Graph, shapes: Graph) -> dict[str, Graph]:
    return {name: validate(with_vocabulary(g, vocabulary), shapes) for name, g in parsed.items()}


# --- CKAN-like readers (ckanext-dcat's RDFProfile helpers, reduced) -----------------------


def ckan_value(g: Graph, subject: object, predicate: URIRef, default_lang: str = "fi") -> str:
    """ckanext-dcat _object_value: the literal in the portal's language, else the first object."""
    fallback = ""
    for obj in g.objects(subject, predicate):
        if isinstance(obj, Literal) and obj.language == default_lang:
            return str(obj)
        fallback = fallback or str(obj)
    return fallback


def ckan_licence_id(g: Graph, dataset: URIRef) -> str:
    """ckanext-dcat _license against avoindata.fi's licence list: exact URI, then exact title."""
    licences = json.loads(shared_file("dcat", "ckan", "avoindata-license.json").read_text(encoding="utf-8"))
    by_uri = {entry["url"]: entry["id"] for entry in licences}
    by_title = {entry["title"]: entry["id"] for entry in licences}
    for distribution in g.objects(dataset, DCAT.distribution):
        licence = g.value(distribution, DCT.license)
        if licence is not None:
            found = by_uri.get(str(licence)) or by_title.get(ckan_value(g, licence, DCT.title))
            if found:
                return found
    return ""


def datasets(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, DCAT.Dataset))


def distributions(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, DCAT.Distribution))


# --- files, syntaxes, determinism --------------------------------------------------------


def test_write_catalog_writes_three_files(written: list[Path], outputs: Path) -> None:
    assert [p.name for p in written] == list(CATALOG_FILES)
    assert all(p.parent == outputs / "dcat" and p.stat().st_size > 1000 for p in written)


def test_three_syntaxes_hold_the_same_graph(parsed: dict[str, Graph], graph: Graph) -> None:
    assert len(graph) > 300
    for name, g in parsed.items():
        assert isomorphic(g, graph), f"{name} does not hold the built graph"


def test_same_input_gives_identical_bytes(ci: CatalogInput, tmp_path: Path, written: list[Path]) -> None:
    again = write_catalog(ci, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


def test_bytes_do_not_depend_on_string_hashing(outputs: Path, written: list[Path], tmp_path: Path) -> None:
    """rdflib's store is a set: without sorting, RDF/XML and JSON-LD order follows PYTHONHASHSEED."""
    script = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import test_dcat; "
              "from pipeline.publish.dcat import write_catalog; "
              "write_catalog(test_dcat.catalog_input(Path(sys.argv[2])), Path(sys.argv[3]))")
    for seed in ("1", "2"):
        target = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(HERE), str(outputs), str(target)],
                       check=True, cwd=ROOT, env=env, timeout=60)
        for path in written:
            assert (target / path.name).read_bytes() == path.read_bytes(), f"{path.name}, seed {seed}"


def test_jsonld_has_an_inline_context_of_the_prefixes(written: list[Path]) -> None:
    document = json.loads(written[2].read_text(encoding="utf-8"))
    assert document["@context"] == PREFIXES


def test_every_predicate_and_class_has_a_bound_prefix(graph: Graph, written: list[Path]) -> None:
    namespaces = tuple(PREFIXES.values())
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    assert all(str(term).startswith(namespaces) for term in used), sorted(
        t for t in used if not str(t).startswith(namespaces))
    assert not re.search(rb"@prefix ns\d", written[0].read_bytes())


def test_no_blank_nodes_and_stable_uris_under_base(graph: Graph) -> None:
    assert not [t for t in graph if any(isinstance(n, BNode) for n in t)]
    catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog)
    assert catalog == URIRef(f"{BASE}catalog")
    assert datasets(graph) == [URIRef(f"{BASE}dataset/{name}") for name in sorted(TABLES)]
    assert set(graph.objects(catalog, DCAT.dataset)) == set(datasets(graph))
    for dataset in datasets(graph):
        kinds = {str(d).rsplit("/", 1)[1] for d in graph.objects(dataset, DCAT.distribution)}
        assert kinds == {"csv", "parquet", "datapackage", "validation-report"}
        assert all(str(d).startswith(f"{dataset}/") for d in graph.objects(dataset, DCAT.distribution))


# --- SHACL -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FORMATS))
def test_shacl_violations_are_only_the_documented_spdx_defect(
        name: str, shacl_reports: dict[str, Graph], shapes: Graph, parsed: dict[str, Graph]) -> None:
    report = shacl_reports[name]
    violations = top_results(report, SH.Violation)
    defect = [r for r in violations if is_spdx_pattern_defect(report, shapes, r)]
    assert describe(report, [r for r in violations if r not in defect]) == []
    checksums = set(parsed[name].subjects(RDF.type, SPDX.Checksum))
    assert {report.value(r, SH.focusNode) for r in defect} == checksums  # the defect, once per checksum
    # the class half of the same shape passes: only the https-prefix pattern is filtered
    assert (SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm) in parsed[name]


def test_shacl_warnings_are_only_the_non_eu_publisher(shacl_reports: dict[str, Graph]) -> None:
    """A city is not an EU corporate body; that vocabulary check is a warning by design."""
    report = shacl_reports["catalog.ttl"]
    warnings = top_results(report, SH.Warning)
    assert warnings
    assert {report.value(r, SH.resultPath) for r in warnings} == {DCT.publisher}


def test_shacl_sees_the_vocabulary(graph: Graph, vocabulary: Graph, shapes: Graph) -> None:
    """Our own skos:inScheme claims removed, the EU index alone must satisfy the vocabulary shapes."""
    bare = Graph()
    for triple in graph.triples((None, None, None)):
        if triple[1] != SKOS.inScheme:
            bare.add(triple)
    with_index = validate(with_vocabulary(bare, vocabulary), shapes)
    without = validate(bare, shapes)
    with_shapes = top_results(with_index, SH.Violation)
    assert all(is_spdx_pattern_defect(with_index, shapes, r) for r in with_shapes)
    paths = {without.value(r, SH.resultPath) for r in top_results(without, SH.Violation)}
    assert {DCT["format"], DCT.language, DCT.accrualPeriodicity} <= paths


def test_recommended_shapes_leave_only_known_gaps(parsed: dict[str, Graph], vocabulary: Graph) -> None:
    """Recommended properties we cannot know offline: planned availability, place geometry."""
    shapes = _shapes("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl", "shapes_recommended.ttl")
    report = validate(with_vocabulary(parsed["catalog.ttl"], vocabulary), shapes)
    paths = {report.value(r, SH.resultPath) for r in top_results(report, SH.Warning)}
    availability = URIRef("http://data.europa.eu/r5r/availability")
    assert paths == {DCT.publisher, availability, DCAT.bbox, DCAT.centroid}


# --- vocabulary codes --------------------------------------------------------------------


def _in_index(vocab: Graph, uri: URIRef) -> bool:
    return (uri, RDF.type, SKOS.Concept) in vocab or (uri, RDF.type, SKOS.ConceptScheme) in vocab


def test_every_known_code_is_current_in_the_eu_vocabularies(vocabulary: Graph) -> None:
    for scheme in (DATA_THEME, FREQUENCY, ACCESS_RIGHT, FILE_TYPE, LANGUAGE, COUNTRY, PLACE, LICENCE,
                   PUBLISHER_TYPE, LICENCE_TYPE):
        for code in scheme.concepts:
            uri = concept(scheme, code, "test").uri
            assert (uri, SKOS.inScheme, scheme.uri) in vocabulary, uri
            assert (uri, AUTHORITY_DEPRECATED, Literal(True)) not in vocabulary, f"{uri} is deprecated"


def test_every_vocabulary_node_in_the_catalogue_is_in_the_index(graph: Graph, vocabulary: Graph) -> None:
    external = {n for n in set(graph.subjects()) | set(graph.objects())
                if isinstance(n, URIRef) and str(n).startswith((AUTHORITY, "http://purl.org/adms/"))}
    assert len(external) > 10
    assert [n for n in external if not _in_index(vocabulary, n)] == []
    for node, scheme in graph.subject_objects(SKOS.inScheme):
        assert (node, SKOS.inScheme, scheme) in vocabulary


def test_oulu_and_finland_are_the_places(graph: Graph, ci: CatalogInput) -> None:
    oulu = URIRef(f"{AUTHORITY}place/FIN_OUL")
    finland = URIRef(f"{AUTHORITY}country/FIN")
    assert ci.catalog["spatial"] == ["FIN_OUL"] and ci.catalog["country"] == "FIN"
    for dataset in datasets(graph):
        assert set(graph.objects(dataset, DCT.spatial)) == {oulu, finland}
    assert (oulu, RDF.type, DCT.Location) in graph
    assert (oulu, SKOS.prefLabel, Literal("Uleåborg", lang="sv")) in graph


# --- what CKAN (ckanext-dcat euro_dcat_ap_3) reads ----------------------------------------


def test_each_dataset_has_fi_sv_en_titles_and_descriptions(graph: Graph) -> None:
    for dataset in datasets(graph):
        for predicate in (DCT.title, DCT.description):
            langs = sorted(o.language for o in graph.objects(dataset, predicate))
            assert langs == ["en", "fi", "sv"], (dataset, predicate)
    projects = URIRef(f"{BASE}dataset/projects")
    titles = {o.language: str(o) for o in graph.objects(projects, DCT.title)}
    assert titles["fi"].endswith(": Hankkeet") and titles["en"].endswith(": Projects")
    catalog = URIRef(f"{BASE}catalog")
    assert sorted(o.language for o in graph.objects(catalog, DCT.title)) == ["en", "fi", "sv"]


def test_every_table_has_finnish_and_swedish_text() -> None:
    assert set(TABLE_TEXT) == set(TABLES)
    assert all(set(texts) == {"fi", "sv"} for texts in TABLE_TEXT.values())


def test_licence_maps_to_cc_by_4_0_on_avoindata(graph: Graph) -> None:
    licence = URIRef(f"{AUTHORITY}licence/CC_BY_4_0")
    assert (licence, RDF.type, DCT.LicenseDocument) in graph
    assert graph.value(licence, DCT.title) == Literal("Creative Commons Attribution 4.0")
    for dataset in datasets(graph):
        assert ckan_licence_id(graph, dataset) == "cc-by-4.0"
    assert {graph.value(d, DCT.license) for d in distributions(graph)} == {licence}


def test_keywords_are_valid_ckan_tags_in_three_languages(graph: Graph) -> None:
    for dataset in datasets(graph):
        keywords = list(graph.objects(dataset, DCAT.keyword))
        assert {k.language for k in keywords} == {"fi", "sv", "en"}
        for keyword in keywords:
            assert CKAN_TAG.match(str(keyword)) and 2 <= len(keyword) <= 100, keyword
    projects = set(graph.objects(URIRef(f"{BASE}dataset/projects"), DCAT.keyword))
    expected = {Literal("öppna data", lang="sv"), Literal("hankkeet", lang="fi"), Literal("6Aika", lang="en")}
    assert expected <= projects


@pytest.mark.parametrize(("raw", "tag"), [
    ("open data", "open data"),
    ("  6Aika ", "6Aika"),
    ("open/avoin data", "open avoin data"),
    ("kehittämis–hankkeet", "kehittämis hankkeet"),
    ("a\u0308ly", "äly"),  # decomposed ä is composed, not split
    ("data.europa.eu_v-3", "data.europa.eu_v-3"),
    ("C++", None),
    ("x", None),
    ("#!", None),
    ("y" * 150, "y" * 100),
])
def test_clean_keyword(raw: str, tag: str | None) -> None:
    assert clean_keyword(raw) == tag
    assert tag is None or CKAN_TAG.match(tag)


def test_clean_keywords_drops_unusable_and_duplicates() -> None:
    assert clean_keywords(["open data", "x", "open  data", "6Aika", "??"]) == ["open data", "6Aika"]


def test_distributions_have_absolute_urls_sizes_and_file_checksums(graph: Graph, outputs: Path) -> None:
    assert len(distributions(graph)) == 4 * len(TABLES)
    for distribution in distributions(graph):
        url = graph.value(distribution, DCAT.downloadURL)
        assert isinstance(url, URIRef) and str(url).startswith(BASE)
        assert graph.value(distribution, DCAT.accessURL) == url
        on_disk = (outputs / str(url)[len(BASE):]).read_bytes()
        size = graph.value(distribution, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger and int(size) == len(on_disk)
        checksum = graph.value(distribution, SPDX.checksum)
        assert (checksum, RDF.type, SPDX.Checksum) in graph
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = graph.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256(on_disk).hexdigest()
        media_type = graph.value(distribution, DCAT.mediaType)
        assert str(media_type).startswith("http://www.iana.org/assignments/media-types/")
        assert (media_type, RDF.type, DCT.MediaType) in graph
        file_type = graph.value(distribution, DCT["format"])
        assert (file_type, RDF.type, DCT.MediaTypeOrExtent) in graph
        assert {o.language for o in graph.objects(distribution, DCT.title)} == {"fi", "sv", "en"}
        for predicate in (DCT.issued, DCT.modified):
            assert graph.value(distribution, predicate) == Literal("2024-05-02", datatype=XSD.date)


def test_formats_and_media_types_per_kind(graph: Graph) -> None:
    projects = f"{BASE}dataset/projects"
    expected = {"csv": ("text/csv", "CSV", "csv/projects.csv"),
                "parquet": ("application/vnd.apache.parquet", "PARQUET", "parquet/projects.parquet"),
                "datapackage": ("application/json", "JSON", "datapackage.json"),
                "validation-report": ("application/json", "JSON", "reports/validation.json")}
    for kind, (media_type, file_type, path) in expected.items():
        distribution = URIRef(f"{projects}/{kind}")
        assert graph.value(distribution, DCAT.mediaType) == URIRef(
            f"http://www.iana.org/assignments/media-types/{media_type}")
        assert graph.value(distribution, DCT["format"]) == URIRef(f"{AUTHORITY}file-type/{file_type}")
        assert graph.value(distribution, DCAT.downloadURL) == URIRef(BASE + path)


def test_validation_report_is_published_for_every_dataset(graph: Graph) -> None:
    report_url = URIRef(f"{BASE}reports/validation.json")
    holders = {d for d in datasets(graph) for dist in graph.objects(d, DCAT.distribution)
               if graph.value(dist, DCAT.downloadURL) == report_url}
    assert holders == set(datasets(graph))


def test_ckan_reads_dataset_metadata(graph: Graph, ci: CatalogInput) -> None:
    dataset = URIRef(f"{BASE}dataset/funding")
    assert ckan_value(graph, dataset, DCT.identifier) == str(dataset)
    assert ckan_value(graph, dataset, DCT.issued) == "2024-05-02"
    assert graph.value(dataset, DCT.modified) == Literal("2024-05-02", datatype=XSD.date)
    assert ckan_value(graph, dataset, DCT.accrualPeriodicity) == f"{AUTHORITY}frequency/MONTHLY"
    assert set(graph.objects(dataset, DCT.language)) == {URIRef(f"{AUTHORITY}language/FIN")}
    assert set(graph.objects(dataset, DCAT.theme)) == {
        URIRef(f"{AUTHORITY}data-theme/{code}") for code in ci.catalog["themes"]}
    for theme in graph.objects(dataset, DCAT.theme):
        assert (theme, RDF.type, SKOS.Concept) in graph and graph.value(theme, SKOS.prefLabel)
    assert graph.value(dataset, DCT.conformsTo) == URIRef(f"{BASE}schemas/funding.json")
    assert graph.value(dataset, DCAT.landingPage) == URIRef(f"{BASE}index.html#dataset-funding")
    assert graph.value(dataset, FOAF.page) == URIRef(ci.catalog["landing_page"])
    assert graph.value(URIRef(f"{BASE}catalog"), FOAF.homepage) == URIRef(f"{BASE}index.html")
    assert graph.value(dataset, DCT.accessRights) == URIRef(f"{AUTHORITY}access-right/PUBLIC")
    provenance = graph.value(dataset, DCT.provenance)
    assert (provenance, RDF.type, DCT.ProvenanceStatement) in graph
    assert ci.sources[0].page_url in ckan_value(graph, provenance, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    period = graph.value(dataset, DCT.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2014-01-01", datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal("2022-12-31", datatype=XSD.date)


def test_ckan_reads_publisher_and_contact(graph: Graph, ci: CatalogInput) -> None:
    dataset = URIRef(f"{BASE}dataset/projects")
    publisher = graph.value(dataset, DCT.publisher)
    assert graph.value(URIRef(f"{BASE}catalog"), DCT.publisher) == publisher
    assert ckan_value(graph, publisher, FOAF.name) == "Oulun kaupunki"
    assert ckan_value(graph, publisher, FOAF.name, "en") == "City of Oulu"
    assert graph.value(publisher, DCT.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    assert (graph.value(publisher, FOAF.homepage), RDF.type, FOAF.Document) in graph
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in graph
    assert ckan_value(graph, contact, VCARD.fn) == "Oulun kaupunki"
    assert graph.value(contact, VCARD.hasEmail) == URIRef(f"mailto:{ci.catalog['contact_email']}")


# --- inputs change the graph, nothing else does --------------------------------------------


def test_dates_come_from_the_input(ci: CatalogInput) -> None:
    later = build_catalog(replace(ci, modified=date(2025, 1, 31), temporal_start=None, temporal_end=None))
    catalog = URIRef(f"{BASE}catalog")
    assert later.value(catalog, DCT.modified) == Literal("2025-01-31", datatype=XSD.date)
    assert later.value(catalog, DCT.issued) == Literal("2025-01-31", datatype=XSD.date)
    assert not list(later.objects(None, DCT.temporal))
    undated = build_catalog(replace(ci, modified=None))
    assert not list(undated.objects(None, DCT.modified)) and not list(undated.objects(None, DCT.issued))


def test_base_url_without_slash_is_normalised(ci: CatalogInput, graph: Graph) -> None:
    assert isomorphic(build_catalog(replace(ci, base_url=BASE.rstrip("/"))), graph)


@pytest.mark.parametrize(("change", "message"), [
    ({"themes": ["GOVE", "NOPE"]}, "catalog.themes"),
    ({"spatial": ["FIN_OLU"]}, "catalog.spatial"),
    ({"accrual_periodicity": "SOMETIMES"}, "catalog.accrual_periodicity"),
    ({"contact_email": ""}, "catalog.contact_email"),
    ({"title": {"fi": "x", "en": "y"}}, "catalog.title"),
    ({"landing_page": "www.example.org"}, "catalog.landing_page"),
])
def test_bad_catalog_settings_are_config_errors(ci: CatalogInput, change: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        build_catalog(replace(ci, catalog={**ci.catalog, **change}))


def test_bad_base_url_and_unknown_table_are_errors(ci: CatalogInput) -> None:
    with pytest.raises(ConfigError, match="public_base_url"):
        build_catalog(replace(ci, base_url="hankedata.example.org/"))
    stranger = replace(ci.tables[0], name="budgets")
    with pytest.raises(ConfigError, match="budgets"):
        build_catalog(replace(ci, tables=(*ci.tables, stranger)))


@pytest.mark.parametrize("name", CATALOG_FILES)
def test_published_catalogue_of_a_real_run_passes_the_shapes(
    name: str, snapshot_run: Path, vocabulary: Graph, shapes: Graph
) -> None:
    """The catalogue `hankedata run` writes for the bundled cards, not only the one built here."""
    data = Graph().parse(snapshot_run / "dcat" / name, format=FORMATS[name])
    report = validate(with_vocabulary(data, vocabulary), shapes)
    violations = top_results(report, SH.Violation)
    unexpected = [r for r in violations if not is_spdx_pattern_defect(report, shapes, r)]
    assert unexpected == [], describe(report, unexpected)
    datasets_found = sorted(str(d) for d in data.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets_found) == 4
    assert len(list(data.subjects(RDF.type, DCAT.Distribution))) == 4 * 4
    assert (None, DCT.modified, None) in data
