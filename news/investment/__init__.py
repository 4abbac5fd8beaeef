"""App ``investment``: what the portal offers investors besides news (SPEC-services.md).

Enquiries (投资咨询与合作意向): desks that answer, the working-day calendar, the enquiry and its
append-only record of events, the routing rule, the public form and its abuse checks, and mail
as notification only. Nested in ``news`` because it shares the reader pages, the languages and
the audit log, but it owns its models and migrations under its own label.
"""
