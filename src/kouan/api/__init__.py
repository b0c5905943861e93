"""HTTP plumbing every router shares, in one place: the request transaction and sign-in (``deps``), path and
query parameters (``params``), raw bodies and forms (``body``), and what guards the app as a whole — body limits,
browser headers, the mapping of store errors and the declared 422 (``guards``). The console (``web/``) uses it
too; no API module imports ``web/``."""
