"""push-ckan: make a CKAN portal's datasets match a published outputs/ folder, through the Action API.

published.py reads the catalogue back, names/licences/mapping/avoindata turn it into CKAN payloads,
plan.py compares them with what the portal holds, client.py talks to the portal and apply.py makes
the planned writes; command.py is the command-line glue.
"""
