"""The MCP gateway: ``execgate mcp proxy`` between an agent and a stdio MCP server.

``tools.py`` says which tool arguments hold SQL, shell or code (from ``rules/mcp.yaml`` and the
policy), ``gate.py`` decides each ``tools/call`` and pins the tools, ``proxy.py`` relays the
JSON-RPC messages and refuses what the gate refuses.
"""
