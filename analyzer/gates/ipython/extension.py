"""The kernel gate: ``%load_ext analyzer`` refuses a blocked cell before anything in it runs.

How IPython lets us stop a cell (measured, FACTS.md "IPython 9"): only an AST
transformer that raises ``InputRejected`` does; a transformer raising anything
else is silently unregistered and the cell runs, so :class:`Guard` turns every
internal failure into a refusal. ``pre_run_cell`` callbacks cannot block, so
they are used only to learn the raw cell text and to put the guard back when a
cell removed it.

Where the cell text comes from: the transformer is given only the tree. The
``pre_run_cell`` event, fired just before the transformation of every
non-silent cell, carries ``info.raw_cell`` (comments, hence suppressions, and
the lines the user sees) and ``info.transformed_cell`` (the exact text the
tree was parsed from, magics already ``get_ipython()`` calls). The guard uses
them once: ``pre_execute`` (fired for every cell, silent ones too) forgets them,
and the first tree after ``pre_run_cell`` consumes them, so a later
``transform_ast`` in the same cell (``%time``/``%timeit`` bodies) or a silent
cell never borrows another cell's text. Without text the tree is unparsed:
suppression comments are then lost and findings stand (fail closed). When
another transformer ran before ours the tree is not the text's either, so the
unparsed tree is read then too.

The guard keeps itself the *last* transformer, so it reads the tree that runs.
"""
from __future__ import annotations

import ast
import sys
import weakref
from typing import Any

from IPython.core.error import InputRejected

from .gate import Gate, Verdict, record, record_bypass, record_event
from .render import HEADER, explain_lines, loaded_line, refusal_lines, shadow_lines, status_lines

_GATES: weakref.WeakKeyDictionary[Any, Gate] = weakref.WeakKeyDictionary()
_GUARDS: weakref.WeakKeyDictionary[Any, Guard] = weakref.WeakKeyDictionary()


class CellRefused(InputRejected):
    """A refusal IPython shows as our few lines instead of a traceback."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)

    def _render_traceback_(self) -> list[str]:
        return list(self.lines)


class Guard(ast.NodeTransformer):
    """The AST transformer: analyse the cell's tree, return it unchanged or refuse it."""

    def __init__(self, shell: Any, gate: Gate) -> None:
        super().__init__()
        self.shell = shell
        self.gate = gate
        self._raw: str | None = None
        self._transformed: str | None = None
        self._label = "<cell>"

    # -- IPython events ------------------------------------------------------------------------

    def pre_execute(self) -> None:
        """Every cell, silent ones too: forget the last cell's text; make sure we still guard."""
        self._raw = self._transformed = None
        self._label = "<cell>"
        self.ensure_registered()

    def pre_run_cell(self, info: Any) -> None:
        """Non-silent cells: remember the raw and transformed text for the tree that follows."""
        self.ensure_registered()
        self._raw = getattr(info, "raw_cell", None)
        self._transformed = getattr(info, "transformed_cell", None)
        count = getattr(self.shell, "execution_count", None)
        if isinstance(count, int):
            self._label = f"In[{count - 1 if getattr(info, 'store_history', False) else count}]"

    def ensure_registered(self) -> None:
        """Put the guard back (last) if a cell took it out or another transformer came after it."""
        try:
            transformers = self.shell.ast_transformers
            if not any(t is self for t in transformers):
                transformers.append(self)
                problem = record_bypass(self.gate, "the guard was missing from shell.ast_transformers: put back")
                print("execgate: the guard had been removed from this kernel; it is back on."
                      + (f" ({problem})" if problem else ""), file=sys.stderr)
            elif transformers[-1] is not self:
                transformers.remove(self)
                transformers.append(self)
        except Exception as exc:  # noqa: BLE001 - an event callback must not raise
            print(f"execgate: cannot check the guard: {exc}", file=sys.stderr)

    # -- the transformer ---------------------------------------------------------------------------

    def visit(self, node: ast.AST) -> ast.AST:
        """Every tree IPython hands us, whatever its type: nothing passes unread."""
        try:
            return self._guard(node)
        except CellRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - anything else would unregister us and run the cell
            raise CellRefused([HEADER, f"  execgate could not analyse this cell: {type(exc).__name__}: {exc}"]) \
                from None

    def _guard(self, node: ast.AST) -> ast.AST:
        raw, transformed, label = self._raw, self._transformed, self._label
        self._raw = self._transformed = None
        tree = node if isinstance(node, ast.Module) else _as_module(node)
        if _is_own_magic(tree):
            return node
        if self.shell.ast_transformers[:1] != [self]:
            raw = transformed = None  # an earlier transformer may have changed the tree
        verdict = self.gate.check(tree, raw, transformed, label)
        problem = record(self.gate, verdict)
        if problem:
            if verdict.refused or verdict.report is None or verdict.unrecorded_refuses:
                verdict.refused = True
                verdict.problem = (verdict.problem + "; " if verdict.problem else "") + problem
            else:
                verdict.notes.append(problem)
        if verdict.refused and verdict.shadow:
            # Shadow mode: decided and recorded as always; the cell runs, and says what would have been refused.
            print("\n".join(shadow_lines(verdict)), file=sys.stderr)
            _show_notes(verdict)
            return node
        if verdict.refused:
            raise CellRefused(refusal_lines(verdict))
        _show_notes(verdict)
        return node


def _as_module(node: ast.AST) -> ast.Module:
    if isinstance(node, ast.Expression):
        return ast.Module(body=[ast.Expr(node.body)], type_ignores=[])
    if isinstance(node, ast.Interactive):
        return ast.Module(body=node.body, type_ignores=[])
    if isinstance(node, ast.stmt):
        return ast.Module(body=[node], type_ignores=[])
    if isinstance(node, ast.expr):
        return ast.Module(body=[ast.Expr(node)], type_ignores=[])
    raise TypeError(f"unexpected {type(node).__name__} tree")


def _is_own_magic(tree: ast.Module) -> bool:
    """A cell that is only ``%execgate ...``: it must work even when the policy is broken."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    call = tree.body[0].value
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "run_line_magic" and isinstance(call.func.value, ast.Call)
            and isinstance(call.func.value.func, ast.Name) and call.func.value.func.id == "get_ipython"
            and len(call.args) == 2 and not call.keywords
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)
            and isinstance(call.args[0], ast.Constant) and call.args[0].value == "execgate")


def _show_notes(verdict: Verdict) -> None:
    for note in verdict.notes:
        print(f"execgate: {verdict.label} {note}", file=sys.stderr)


# -- %execgate -----------------------------------------------------------------------------------

USAGE = "usage: %execgate [status] | %execgate explain | %execgate policy [PATH]"


def execgate_magic(shell: Any, line: str) -> None:
    """``%execgate`` status | explain | policy PATH."""
    guard = _GUARDS.get(shell)
    gate = _GATES.get(shell)
    if gate is None:
        print("execgate: not loaded in this kernel (%load_ext analyzer)")
        return
    words = line.split(maxsplit=1)
    command = words[0] if words else "status"
    if command == "status":
        registered = guard is not None and any(t is guard for t in shell.ast_transformers)
        print("\n".join(status_lines(gate, registered)))
    elif command == "explain":
        print("\n".join(explain_lines(gate.last)))
    elif command == "policy":
        print(switch_policy(gate, words[1].strip() if len(words) > 1 else ""))
    else:
        print(USAGE)


def switch_policy(gate: Gate, path: str) -> str:
    """Use the policy at ``path`` from the next cell on (not when EXECGATE_POLICY pins one)."""
    import os

    from ...policy.cache import load_policy_cached
    from ...policy.rules import PolicyError

    if not path:
        chosen, by = gate.policy_choice()
        return f"execgate: policy {chosen or gate.policy().source} (chosen by {by})"
    if gate.environ.get("EXECGATE_POLICY"):
        return f"execgate: the policy is pinned by EXECGATE_POLICY={gate.environ['EXECGATE_POLICY']}; not switched"
    full = os.path.abspath(os.path.expanduser(path))
    try:
        policy = load_policy_cached(full)
    except PolicyError as exc:
        return f"execgate: not switched: {exc}"
    except OSError as exc:
        return f"execgate: not switched: {full}: {exc.strerror or exc}"
    gate.policy_override = full
    problem = record_event(gate, f"policy switched by %execgate policy to {full} (sha256 {policy.sha256})")
    return f"execgate: policy {policy.source} (sha256 {policy.sha256[:12]}) from the next cell on" + \
        (f"; {problem}" if problem else "")


# -- loading ----------------------------------------------------------------------------------------


def load_ipython_extension(shell: Any) -> None:
    """Register the guard (once per shell; a reload keeps the kernel's session and policy choice) and
    say in one line that it is on, with the policy and the context it decides with."""
    gate = _GATES.get(shell)
    if gate is None:
        gate = _GATES[shell] = Gate()
    guard = _GUARDS.get(shell)
    if guard is None:
        guard = _GUARDS[shell] = Guard(shell, gate)
    if not any(t is guard for t in shell.ast_transformers):
        shell.ast_transformers.append(guard)
    _register(shell, "pre_execute", guard.pre_execute)
    _register(shell, "pre_run_cell", guard.pre_run_cell)
    shell.register_magic_function(lambda line: execgate_magic(shell, line), "line", "execgate")
    print(loaded_line(gate))


def unload_ipython_extension(shell: Any) -> None:
    """Take the guard out (a cell cannot ask for this: ``%unload_ext analyzer`` is refused)."""
    guard = _GUARDS.get(shell)
    if guard is None:
        return
    while any(t is guard for t in shell.ast_transformers):
        shell.ast_transformers.remove(guard)
    for event, callback in (("pre_execute", guard.pre_execute), ("pre_run_cell", guard.pre_run_cell)):
        try:
            shell.events.unregister(event, callback)
        except ValueError:
            pass


def _register(shell: Any, event: str, callback: Any) -> None:
    if callback not in shell.events.callbacks.get(event, []):
        shell.events.register(event, callback)
