"""``make bench``'s second baseline: the saved bytes of every page served by whitenoise alone.

The same gunicorn as the portal (2 sync workers), with nothing but whitenoise in it: no Django,
no middleware. It is the ``static-whitenoise`` row of the shared harness (issue 18), here on the
bytes of this run's pages. ``bench/run.py`` serves ``$BENCH_STATIC_DIR`` with it at ``/<name>``;
anything else is a plain 404.
"""

import os

from whitenoise import WhiteNoise


def not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found\n"]


application = WhiteNoise(not_found, root=os.environ["BENCH_STATIC_DIR"], autorefresh=False)
