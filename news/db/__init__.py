"""Database code below the ORM's public API: ``prepared`` (the only module that uses the ORM's
internals, behind ``PORTAL_PREPARED_QUERIES``) and ``sqlite`` (planner statistics)."""
