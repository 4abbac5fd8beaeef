"""The reader's side of the investor services: ``enquiries`` (the form, the reference number, the
rating link) and ``projects`` (the project library: list, page, printable brochure)."""
