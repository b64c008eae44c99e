"""A real CKAN for the push-ckan integration tests: PostgreSQL, Redis, CKAN + ckanext-dcat, and a Solr stand-in."""
