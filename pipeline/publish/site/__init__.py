"""The landing site in outputs/: index.html and the pages it links, made from the published files and metadata.

build.write_site is the entry point; links.py holds the addresses the DCAT catalogue points at.
"""
