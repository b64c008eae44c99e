"""Readers for sources whose raw inputs are lists and workbooks rather than pages."""
