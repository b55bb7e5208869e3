"""`galley preview`'s parts: what to watch (watch.py), the HTML-only rebuild (rebuild.py) and the
loopback server that serves the output folder and reloads the open page (server.py, reload.js)."""
