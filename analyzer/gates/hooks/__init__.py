"""``execgate hook AGENT``: the gates for coding agents' tool calls, one module per hook protocol.

* ``core.py``: what every agent gate shares and the MCP gateway reuses: the unit of source a tool
  call would run or leave on disk, the check that keeps only what the call adds, the text the
  agent reads, and the :class:`~analyzer.gates.hooks.core.Verdict` each protocol answers;
* ``calls.py``: a tool call (shell, file write or edit, notebook cell, Codex patch, MCP tool) ->
  units, from the agents' knowledge in ``rules/agents.yaml`` and the MCP gateway's argument mapping;
* ``patch.py``: the files a Codex ``apply_patch`` call leaves behind;
* ``gate.py``: event -> tool call -> policy and checker -> verdict -> audit log -> the agent's answer;
* ``claude_code.py``, ``codex.py``, ``gemini_cli.py``, ``cursor.py``, ``copilot.py``: each agent's
  event fields and answer shape;
* ``install.py``: ``execgate hook install|uninstall AGENT``, the agent's settings file.
"""

# The agents with a hook protocol here (``gate.protocol_of`` imports each one's module). Kept apart from
# gate.py so the command line can recognise ``execgate hook AGENT`` without importing the gate.
AGENTS = ("claude-code", "codex", "gemini-cli", "cursor", "copilot")
