"""Command-line arguments the way getopt reads them, and the rule matchers over them.

``rm -rf``, ``rm -fr``, ``rm -r -f`` and ``rm --recursive --force`` are the
same request; ``git commit -m "rm -rf"`` has no ``-r`` flag at all because
``-m`` takes a value. Parsing with each command's list of value-taking options
(from the catalogue) makes flags and operands come out right in any order.
"""
from __future__ import annotations

from ...records import Record, field, replace
from .knowledge import Entry, Knowledge, glob_any
from .words import Word

_FALSE_VALUES = ("false", "0", "no", "off")


class ParsedArgs(Record):
    """Flags (name -> values; "" for a bare flag) and operands in order."""

    flags: dict[str, list[str]] = field(default_factory=dict)
    operands: list[Word] = field(default_factory=list)
    flag_words: dict[str, list[Word]] = field(default_factory=dict)

    def has(self, names: list[str] | tuple[str, ...]) -> bool:
        return any(name in self.flags for name in names)


def parse_args(words: list[Word], options_with_arg: list[str] | tuple[str, ...] = (),
               single_dash_long: bool = False, switches: str = "", fold_case: bool = False) -> ParsedArgs:
    """Split ``words`` (after the program name) into flags and operands. ``switches``: the other
    character that starts an option (Windows cmd's ``/s``: one letter, maybe ``:value``);
    ``fold_case``: option names compare in lower case (cmd and PowerShell: ``/S``, ``-Recurse``)."""
    parsed = ParsedArgs()
    if fold_case:
        words = [_folded(w) for w in words]
        options_with_arg = [o.lower() for o in options_with_arg]
    takes_value = set(options_with_arg)
    i = 0
    while i < len(words):
        word = words[i]
        text = word.shown
        if text == "--" and not word.quoted:
            parsed.operands.extend(words[i + 1:])
            break
        if switches and _is_switch(text, switches) and not word.quoted:
            name, _, value = text.partition(":")
            _add(parsed, name, value, words[i])
        elif not text.startswith("-") or text == "-":
            parsed.operands.append(word)
        elif text.startswith("--") or single_dash_long:
            i = _long(words, i, takes_value, parsed)
        else:
            i = _short(words, i, takes_value, parsed)
        i += 1
    return parsed


def _is_switch(text: str, switches: str) -> bool:
    """``/q``, ``/A:H``, ``/?``: a Windows switch, not a path (a path has more than one letter)."""
    name = text.partition(":")[0]
    return len(name) == 2 and name[0] in switches and (name[1].isalpha() or name[1] == "?")


def _folded(word: Word) -> Word:
    """An option word with its name in lower case (its value, after ``:`` or ``=``, as written)."""
    text = word.shown
    if word.value is None or text[:1] not in ("-", "/"):
        return word
    cut = min((i for i in (text.find(":"), text.find("=")) if i >= 0), default=len(text))
    folded = text[:cut].lower() + text[cut:]
    return replace(word, value=folded, text=folded)


def _add(parsed: ParsedArgs, name: str, value: str, word: Word | None = None) -> None:
    if value.lower() in _FALSE_VALUES and name.startswith("--") and value:
        return  # --force=false asks for the opposite
    parsed.flags.setdefault(name, []).append(value)
    if word is not None:
        parsed.flag_words.setdefault(name, []).append(word)


def _long(words: list[Word], i: int, takes_value: set[str], parsed: ParsedArgs) -> int:
    text = words[i].shown
    if "=" in text:
        name, _, value = text.partition("=")
        _add(parsed, name, value, words[i])
        return i
    if text in takes_value and i + 1 < len(words):
        _add(parsed, text, words[i + 1].shown, words[i + 1])
        return i + 1
    _add(parsed, text, "")
    return i


def _short(words: list[Word], i: int, takes_value: set[str], parsed: ParsedArgs) -> int:
    text = words[i].shown
    if text in takes_value:  # a multi-letter single-dash option listed as such (-cmd)
        if i + 1 < len(words):
            _add(parsed, text, words[i + 1].shown, words[i + 1])
            return i + 1
        _add(parsed, text, "")
        return i
    letters = text[1:]
    for pos, letter in enumerate(letters):
        name = "-" + letter
        if name in takes_value:
            rest = letters[pos + 1:]
            if rest:
                _add(parsed, name, rest, words[i])
                return i
            if i + 1 < len(words):
                _add(parsed, name, words[i + 1].shown, words[i + 1])
                return i + 1
            _add(parsed, name, "")
            return i
        _add(parsed, name, "")
    return i


# -- matching --------------------------------------------------------------------------


def subcommand_rest(spec: Entry, args: ParsedArgs) -> list[Word] | None:
    """The operands after the subcommand words, or None when the subcommand differs."""
    wanted = [str(w) for w in spec.get("subcommand", [])]
    operands = args.operands
    if len(operands) < len(wanted):
        return None
    ignore_case = bool(spec.get("ignore_case"))
    for pattern, word in zip(wanted, operands, strict=False):
        if word.value is None or not glob_any(word.value, [pattern], ignore_case):
            return None
    return operands[len(wanted):]


def matches(spec: Entry, args: ParsedArgs, know: Knowledge) -> list[Word] | None:
    """Whether one catalogue matcher holds for these arguments (all its conditions): the operands
    after its subcommand words when it does, else None."""
    rest = subcommand_rest(spec, args)
    if rest is None:
        return None
    if spec.get("flags_any") and not args.has(spec["flags_any"]):
        return None
    if spec.get("flags_all") and not all(f in args.flags for f in spec["flags_all"]):
        return None
    if spec.get("flags_none") and args.has(spec["flags_none"]):
        return None
    for flag, values in (spec.get("flag_values") or {}).items():
        if flag in args.flags and any(str(v) in [str(x) for x in values] for v in args.flags[flag]):
            break
    else:
        if spec.get("flag_values"):
            return None
    ignore_case = bool(spec.get("ignore_case"))
    if spec.get("operands_any") and not _any_operand(rest, spec["operands_any"], know, ignore_case):
        return None
    if spec.get("operands_none") and _any_operand(rest, spec["operands_none"], know, ignore_case):
        return None
    if spec.get("positionals_any") and not _any_operand(args.operands, spec["positionals_any"], know, ignore_case):
        return None
    prefix = spec.get("refspec_prefix")
    if prefix and not any(w.shown.startswith(prefix) for w in rest[1:]):
        return None
    return rest


def _any_operand(words: list[Word], patterns: list[str], know: Knowledge, ignore_case: bool) -> bool:
    return any(know.pattern_matches(w.shown, str(p), ignore_case) for w in words for p in patterns)
