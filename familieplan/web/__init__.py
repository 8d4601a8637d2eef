"""`familieplan serve`: the caseload and each case in a browser, read-only and local.

The top layer beside the CLI: HTTP (app.py), the guard every request passes (security.py),
the access log (accesslog.py), live reload (live.py) and starting the server (server.py).
Every page is made by `familieplan.render` (`pages.py`, `caseload_page.py`, `case_page.py`)
from the library's results and the documents' own contexts; nothing here computes or
decides what a reader may see.
"""
