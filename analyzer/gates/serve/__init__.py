"""``execgate serve``: a warm server for machines that call the hook thousands of times a day.

* ``server.py``: the socket, its checks and its lifecycle; one decision at a time, in the client's world;
* ``client.py``: the hook's side: the server's decision, or None (decide in-process);
* ``protocol.py``: length-prefixed JSON frames, bounded, one request and one answer per connection;
* ``trust.py``: the ownership and mode checks of the socket and its folder, and the peer's uid;
* ``fingerprint.py``: the code and rules on disk, compared at every handshake (a stale server exits);
* ``location.py``: where the socket lives (``EXECGATE_SOCKET``, ``$XDG_RUNTIME_DIR/execgate/``, the cache).

The command (``analyzer/commands/serve.py``) gives the server its ``decide`` function; nothing here
imports the command line or prints. ``docs/serve.md`` has the threat model and the fallbacks.
"""
