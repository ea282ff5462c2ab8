"""Cells that try to switch the IPython gate off, found before they run.

The gate lives in the same process as the code it guards, so a cell could
simply remove it (``get_ipython().ast_transformers.clear()``), unload it
(``%unload_ext analyzer``), patch the shell's execution path
(``get_ipython().transform_ast = ...``), edit execgate's own modules
(``import analyzer.gates.ipython.extension``, ``sys.modules["analyzer.policy.rules"]``), change
the environment variables that decide the context (``EXECGATE_ENV``) or
rewrite the policy file it obeys. Those cells are refused like a blocked
operation. This is a tripwire against agents and accidents, not a sandbox: a
determined author can still reach the gate through ``gc`` tricks that no static
check sees; the gate re-registers itself before every cell (see
:mod:`analyzer.gates.ipython.extension`) so that a removal lasts at most one cell.

Only the tree after IPython's input transformation is read (magics are
``get_ipython().run_line_magic(...)`` calls there), and a cheap word test on
the cell text skips the walk for the ordinary cell.
"""
from __future__ import annotations

import ast
import re

from ...records import Record

# A cell without any of these words cannot tamper in a way this module finds.
_WORDS = re.compile(r"ast_transformers|transform_ast|transform_cell|run_ast_nodes|run_code|run_cell|events|"
                    r"extension_manager|analyzer|modules|EXECGATE_|execgate|setattr|delattr|gc|_magic|"
                    r"input_transformer|callbacks")
# Attributes of the shell on the path every cell takes: reading them hands out the list or
# object that holds the gate, assigning them replaces it.
_GUARDED_ATTRIBUTES = frozenset({"ast_transformers", "transform_ast", "run_ast_nodes", "run_code", "run_cell",
                                 "run_cell_async", "_run_cell", "transform_cell", "events", "extension_manager"})
# Reading these is harmless and common; only rebinding or deleting them is tampering.
_READ_OK = frozenset({"run_cell", "run_cell_async", "transform_cell", "events", "extension_manager", "run_code"})
# Calls on the event manager or extension manager that take the gate away.
_REMOVING_METHODS = frozenset({"unregister", "unload_extension", "reload_extension"})
_GC_INTROSPECTION = frozenset({"get_objects", "get_referrers", "get_referents"})
_IMPORT_CALLS = ("import_module", "__import__", "reload", "find_spec", "import_ext")
_POLICY_NAMES = (".execgate.yaml", ".execgate.yml")
_OWN_PACKAGE = "analyzer"


class Tampering(Record, frozen=True):
    """One way a cell tries to get past the gate."""

    line: int
    what: str


def might_tamper(text: str) -> bool:
    """Whether the cell text holds a word tampering needs (false for most cells)."""
    return _WORDS.search(text) is not None


def find_tampering(tree: ast.AST, protected_paths: tuple[str, ...] = ()) -> list[Tampering]:
    """Every attempt in ``tree`` to remove, bypass or reconfigure the gate.

    ``protected_paths`` are files the gate depends on (the active policy file): a string
    naming one of them is treated as an attempt to rewrite it."""
    finder = _Finder(tuple(p for p in protected_paths if p))
    finder.visit(tree)
    return sorted(set(finder.found), key=lambda t: (t.line, t.what))


class _Finder(ast.NodeVisitor):
    def __init__(self, protected: tuple[str, ...]) -> None:
        self.protected = protected
        self.found: list[Tampering] = []

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.append(Tampering(getattr(node, "lineno", 1), what))

    # -- the shell's execution path ---------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in _GUARDED_ATTRIBUTES:
            writing = isinstance(node.ctx, (ast.Store, ast.Del))
            if writing or node.attr not in _READ_OK:
                verb = "replaces" if writing else "reaches"
                self.flag(node, f"{verb} the shell's {node.attr}, which holds the execgate guard")
        elif node.attr == "callbacks" and _source_mentions(node.value, "events"):
            self.flag(node, "edits the shell's event callbacks, which re-register the execgate guard")
        elif node.attr == "modules" and _dotted(node.value) == "sys":
            if not self._harmless_modules_use(node):
                self.flag(node, "reaches sys.modules, where execgate's own modules live")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func) or ""
        tail = name.rsplit(".", 1)[-1]
        first = _const_str(node.args[0]) if node.args else None
        second = _const_str(node.args[1]) if len(node.args) > 1 else None
        if tail in ("setattr", "delattr") and second in _GUARDED_ATTRIBUTES:
            self.flag(node, f"{tail} on the shell's {second}, which holds the execgate guard")
        elif tail in ("setattr", "delattr") and len(node.args) > 1 and second is None:
            self.flag(node, f"{tail} with an attribute name execgate cannot read")
        if tail in _REMOVING_METHODS and isinstance(node.func, ast.Attribute):
            if _source_mentions(node.func.value, "events", "extension_manager"):
                self.flag(node, f"calls {tail}, which can take the execgate guard away")
        if tail in _GC_INTROSPECTION and name.startswith("gc."):
            self.flag(node, f"calls {name}, which reaches objects the guard holds")
        if tail in _IMPORT_CALLS:
            module = first or _const_str(_keyword(node, "name"))
            if module is None and (node.args or node.keywords) and tail in ("import_module", "__import__"):
                self.flag(node, f"{name} of a module execgate cannot name")
            elif module and _is_own(module):
                self.flag(node, f"imports execgate's own module {module} (its state must not be edited)")
        if tail in ("run_line_magic", "run_cell_magic") and "get_ipython" in name:
            self.magic(node, tail, first, second)
        self.generic_visit(node)

    def magic(self, node: ast.Call, kind: str, magic: str | None, line: str | None) -> None:
        if magic is None:
            self.flag(node, f"{kind} with a magic name execgate cannot read")
            return
        words = (line or "").split()
        if magic == "unload_ext" and any(_is_own(w) for w in words):
            self.flag(node, "%unload_ext removes the execgate guard")
        elif magic in ("config",) and any(w in (line or "") for w in _GUARDED_ATTRIBUTES):
            self.flag(node, "%config changes the shell setting that holds the execgate guard")
        elif magic in ("env", "set_env") and "EXECGATE_" in (line or ""):
            self.flag(node, f"%{magic} changes an EXECGATE_ variable, which decides the gate's context")
        elif magic in ("alias_magic",) and any(w.lstrip("%") in ("unload_ext", "config", "env", "set_env")
                                               for w in words):
            self.flag(node, "%alias_magic renames a magic the gate watches")
        elif line is None and len(node.args) > 1:
            self.flag(node, f"%{magic} with arguments execgate cannot read")

    # -- execgate's own modules, environment and policy ------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _is_own(alias.name):
                self.flag(node, f"imports execgate's own module {alias.name} (its state must not be edited)")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module and _is_own(node.module):
            self.flag(node, f"imports from execgate's own module {node.module} (its state must not be edited)")

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str) or self._is_execgate_magic(node):
            return
        if "EXECGATE_" in value and not self._reads_environment(node):
            self.flag(node, "changes an EXECGATE_ variable, which decides the gate's context")
        if any(name in value for name in _POLICY_NAMES) or any(path in value for path in self.protected):
            if not self._reads_environment(node):
                self.flag(node, "names the execgate policy file; a cell must not rewrite the policy it is checked by")

    def _harmless_modules_use(self, node: ast.Attribute) -> bool:
        """``sys.modules["pandas"]``, ``"x" in sys.modules``, ``sys.modules.get("x")``: other packages."""
        parent = self._parents.get(id(node))
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load):
            key = _const_str(parent.slice)
        elif isinstance(parent, ast.Compare):
            key = _const_str(parent.left)
        elif isinstance(parent, ast.Attribute) and parent.attr in ("get", "__contains__"):
            call = self._parents.get(id(parent))
            key = _const_str(call.args[0]) if isinstance(call, ast.Call) and call.args else None
        else:
            key = None
        return key is not None and not _is_own(key)

    def _is_execgate_magic(self, node: ast.AST) -> bool:
        """The arguments of ``%execgate ...`` itself (``%execgate policy PATH``) are the gate's own."""
        parent = self._parents.get(id(node))
        return isinstance(parent, ast.Call) and (_dotted(parent.func) or "").endswith("run_line_magic") \
            and bool(parent.args) and _const_str(parent.args[0]) == "execgate"

    def _reads_environment(self, node: ast.AST) -> bool:
        """``os.environ["EXECGATE_ENV"]`` read, ``os.getenv("EXECGATE_ENV")``, ``.get(...)``."""
        parent = self._parents.get(id(node))
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load):
            return True
        if isinstance(parent, ast.Call):
            callee = _dotted(parent.func) or ""
            return callee.endswith(("getenv", "environ.get")) or (callee in ("print", "open")
                                                                   and _mode_is_read(parent))
        if isinstance(parent, ast.Compare):
            return True
        return False

    # -- parents ----------------------------------------------------------------------------------

    def visit(self, node: ast.AST) -> None:
        if not hasattr(self, "_parents"):
            self._parents: dict[int, ast.AST] = {}
            for parent in ast.walk(node):
                for child in ast.iter_child_nodes(parent):
                    self._parents[id(child)] = parent
        super().visit(node)


def _is_own(module: str) -> bool:
    return module == _OWN_PACKAGE or module.startswith(_OWN_PACKAGE + ".")


def _dotted(node: ast.AST | None) -> str | None:
    """``a.b.c`` of a name/attribute chain; calls in the chain are written ``f()``."""
    parts = []
    while node is not None:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        elif isinstance(node, ast.Call):
            inner = _dotted(node.func)
            if inner is None:
                return None
            parts.append(inner + "()")
            break
        else:
            return None
    return ".".join(reversed(parts))


def _source_mentions(node: ast.AST, *words: str) -> bool:
    text = _dotted(node) or ""
    return any(word in text for word in words) or "get_ipython" in text or not text


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keyword(node: ast.Call, name: str) -> ast.AST | None:
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _mode_is_read(call: ast.Call) -> bool:
    if _dotted(call.func) == "print":
        return True
    mode = _const_str(call.args[1]) if len(call.args) > 1 else _const_str(_keyword(call, "mode"))
    return (mode or "r").strip("bt") == "r"


