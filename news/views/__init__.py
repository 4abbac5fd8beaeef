"""The views: reader pages (``reader``), search (``search``), files (``files``), and what the site
answers outside the reader pages (``site``: robots.txt, the favicon, the 500 page)."""
