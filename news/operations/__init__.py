"""Running the site: what readers and editors get while a service is away (``faults``), the
health check (``health``), backups (``backup``) and the response headers every answer carries
(``headers``). The app has no models; its commands are ``backup`` and ``restore``.
"""
