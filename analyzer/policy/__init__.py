"""Policy as code: the rules that decide, hosts, loading, caching, and who acts (context, identity)."""
