"""Policy as code: the rules that decide, hosts, loading, hot reload, who acts (context, identity), policy tests."""
