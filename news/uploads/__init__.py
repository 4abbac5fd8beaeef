"""What happens to an uploaded file: pictures checked and re-encoded (``images``) and resized
(``renditions``), documents checked by type and content (``documents``), how stored files are
offered to browsers (``storage``), and the files of a save that fails removed again (``cleanup``).
The model fields that use them are in ``news/fields.py``.
"""
