"""Parse stage: each input (a page, a file of rows) read by its source's parser into records.

Every value keeps where it came from; one input may give many records.
"""
