"""The app in a browser tab (``transfer-tui serve``): textual-serve runs one app process
per tab and draws it with xterm.js; the safety around it is ours.

    token.py        the secret a browser must show: random, or from the environment or a
                    0600 file (never the command line); the cookie it is traded for
    guard.py        every request passes here first: loopback host, token or cookie,
                    the websocket's Origin, and the headers that keep the page local
    sessions.py     one app process per tab, in a process group of its own, capped in
                    number, ended when its tab goes, and killed when it will not stop
    app_process.py  the tab's app itself: dies with the server, ends itself if it hangs
    server.py       the routes (page, static files, websocket, downloads) and the run
                    loop: bind, print the link, stop everything on Ctrl+C
    page/           the HTML page and the refusal pages; nothing loaded from elsewhere

Only ``app_process`` is imported by the tab's process: it must start fast.
"""
