"""Run by CKAN's own Python: create CKAN's tables and print an API token of its site user (a sysadmin).

One process instead of three `ckan` CLI calls (db init, sysadmin add, user token add): each call loads
CKAN and its plugins again, which costs several seconds, far more on a busy machine.
Usage: python bootstrap.py CKAN_INI  ->  {"token": "..."} on standard output.
"""

import json
import sys

from ckan import logic, model
from ckan.cli import load_config
from ckan.config.middleware import make_app


def main(ini: str) -> None:
    app = make_app(load_config(ini))
    model.repo.init_db()  # the migrations `ckan db init` runs; the test stack's plugins have none of their own
    with app._wsgi_app.test_request_context():
        context = {"ignore_auth": True}
        site_user = logic.get_action("get_site_user")(context, {})
        token = logic.get_action("api_token_create")(
            {"ignore_auth": True, "user": site_user["name"]}, {"user": site_user["name"], "name": "tests"})
    print(json.dumps({"token": token["token"]}))


if __name__ == "__main__":
    main(sys.argv[1])
