"""The exit guard: what a published cell may hold, whatever the parser made of a card.

personal_data.py finds and masks personal data in a text; cell_limit.py cuts text a spreadsheet
cannot hold; cells.py applies both to a segment's tables where cards become tables; validate/known_names.py
masks, once every card is read, the contact names read from any card (name_index.py says which
segments may hold one); catalogue.py refuses a catalogue that would publish personal data.
See docs/personal-data.md.
"""
