"""Record classes: fields declared by annotation, as with dataclasses, without code generation.

``class Finding(Record, frozen=True, order=True)`` gives what ``@dataclass(frozen=True, order=True)``
gives: an ``__init__`` taking the fields in order (defaults and ``field(default_factory=...)``
included), ``__post_init__``, ``repr``, equality, hashing when frozen, ordering, and ``replace`` /
``asdict``. Type checkers read it through PEP 681 (``dataclass_transform``).

Why not the standard library: ``@dataclass`` compiles each generated method with ``exec``, about
0.6 ms a class, and an agent's hook call defines some forty records before it decides anything
(25 ms, as much as starting the interpreter); msgspec's C records are fast to define but importing
msgspec costs 20 ms. Here the methods are ordinary functions shared by every record class, so
defining one costs what defining a plain class costs. A class built many times (a folder scan
makes hundreds of thousands of values) then gets the ``__init__`` a dataclass would have, compiled
once: the shared one is 2-3x slower per call, a one-shot call never builds a class that often.
"""
from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    # Only for type checkers: a TypeVar bound by name costs the first compile() of the process (~1 ms).
    _R = TypeVar("_R", bound="Record")
    _T = TypeVar("_T")
else:
    def dataclass_transform(**_: Any) -> Callable[[type], type]:
        return lambda cls: cls

_MISSING: Any = object()


class FrozenRecordError(AttributeError):
    """Assigning to a field of a frozen record."""


class Field:
    __slots__ = ("default", "factory")

    def __init__(self, default: Any, factory: Callable[[], Any] | None) -> None:
        self.default = default
        self.factory = factory


@overload
def field(*, default: _T) -> _T: ...
@overload
def field(*, default_factory: Callable[[], _T]) -> _T: ...
def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None) -> Any:
    """A field's default made fresh for every record (``default_factory``), or a plain ``default``."""
    if (default is _MISSING) == (default_factory is None):
        raise TypeError("field() takes exactly one of default and default_factory")
    return Field(default, default_factory)


def _annotations(cls: type) -> dict[str, Any]:
    return cls.__dict__.get("__annotations__", {})


def _is_class_variable(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__qualname__", "")
    return text.startswith(("ClassVar", "typing.ClassVar"))


@dataclass_transform(field_specifiers=(field,))
class Record:
    """Base of every record class; see the module docstring."""

    __record_names__: tuple[str, ...] = ()
    # name -> (plain default or _MISSING, factory or None), for fields that have a default
    __record_defaults__: dict[str, tuple[Any, Callable[[], Any] | None]] = {}
    # record -> the tuple of its field values (a C attrgetter: equality, hashing and order use it)
    __record_values__: Callable[[Any], tuple[Any, ...]] = staticmethod(lambda record: ())
    __record_post_init__ = False
    __record_positions__: dict[str, int] = {}   # each field's position, for __init__'s checks
    __record_template__: dict[str, Any] = {}    # every field in order: its plain default, else _MISSING
    __record_unfilled__: tuple[tuple[str, Callable[[], Any] | None], ...] = ()   # required or made by a factory

    def __init_subclass__(cls, *, frozen: bool = False, order: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = list(cls.__record_names__)
        defaults = dict(cls.__record_defaults__)
        for name, annotation in _annotations(cls).items():
            if _is_class_variable(annotation):
                continue
            if name not in names:
                names.append(name)
            value = cls.__dict__.get(name, _MISSING)
            if isinstance(value, Field):
                defaults[name] = (value.default, value.factory)
                if value.factory is None:
                    setattr(cls, name, value.default)
                else:
                    delattr(cls, name)
            elif value is not _MISSING:
                if isinstance(value, (list, dict, set)):
                    raise ValueError(f"{cls.__qualname__}.{name}: a mutable default needs field(default_factory=...)")
                defaults[name] = (value, None)
            else:
                defaults.pop(name, None)
        seen_default = ""
        for name in names:
            if name in defaults:
                seen_default = name
            elif seen_default:
                raise TypeError(f"{cls.__qualname__}: field {name!r} without a default follows {seen_default!r}")
        cls.__record_names__ = tuple(names)
        cls.__record_defaults__ = defaults
        if len(names) > 1:
            cls.__record_values__ = operator.attrgetter(*names)
        elif names:
            single = operator.attrgetter(names[0])
            cls.__record_values__ = staticmethod(lambda record: (single(record),))
        cls.__record_post_init__ = hasattr(cls, "__post_init__")
        cls.__record_positions__ = {name: position for position, name in enumerate(names)}
        cls.__record_template__ = {name: defaults.get(name, (_MISSING, None))[0] for name in names}
        cls.__record_unfilled__ = tuple((name, defaults.get(name, (_MISSING, None))[1]) for name in names
                                        if cls.__record_template__[name] is _MISSING)
        cls.__match_args__ = tuple(names)   # type: ignore[attr-defined,misc]
        own = cls.__dict__
        if "__init__" not in own:   # each class its own entry: a compiled one must not reach subclasses
            cls.__init__ = Record.__init__   # type: ignore[method-assign]
        if frozen:
            cls.__setattr__ = _refuse_assignment   # type: ignore[assignment,method-assign]
            cls.__delattr__ = _refuse_assignment   # type: ignore[assignment,method-assign]
            explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
            if not explicit_hash:
                cls.__hash__ = _hash               # type: ignore[assignment,method-assign]
        if order:
            for name, method in _ORDERING.items():
                if name not in own:
                    setattr(cls, name, method)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        names = cls.__record_names__
        if len(args) > len(names):
            raise TypeError(f"{cls.__qualname__}() takes {len(names)} positional arguments but {len(args)} were given")
        given = dict(zip(names, args, strict=False))   # fewer arguments than fields: defaults below
        if kwargs:
            positions = cls.__record_positions__
            if not kwargs.keys() <= positions.keys():
                unknown = next(name for name in kwargs if name not in positions)
                raise TypeError(f"{cls.__qualname__}() got an unexpected keyword argument {unknown!r}")
            if args and not kwargs.keys().isdisjoint(names[:len(args)]):
                twice = next(name for name in kwargs if positions[name] < len(args))
                raise TypeError(f"{cls.__qualname__}() got multiple values for argument {twice!r}")
            given.update(kwargs)
        # Every field set in the order of the fields, whatever the call gave: CPython shares one key
        # table among a class's instances only while they are filled in the same order. The
        # template holds every field in order (its plain default, else _MISSING); what the call
        # gave then overwrites existing keys, which keeps that order.
        values = self.__dict__
        values.update(cls.__record_template__)
        values.update(given)
        for name, factory in cls.__record_unfilled__:
            if values[name] is _MISSING:
                if factory is None:
                    raise TypeError(f"{cls.__qualname__}() missing required argument: {name!r}")
                values[name] = factory()
        if cls.__record_post_init__:
            self.__post_init__()   # type: ignore[attr-defined]
        built = _BUILT[cls] = _BUILT.get(cls, 0) + 1
        if built == COMPILE_AFTER and cls.__dict__.get("__init__") is Record.__init__:
            cls.__init__ = _compiled_init(cls)   # type: ignore[method-assign]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_names__)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.__record_values__(self) == other.__record_values__(other)

    __hash__ = None   # type: ignore[assignment]   # mutable records are not hashable; frozen ones are


COMPILE_AFTER = 500   # records of one class built before it gets a compiled __init__
# Records built by the shared __init__, per class (kept apart: writing a class attribute at every
# build would invalidate the interpreter's caches for the class).
_BUILT: dict[type, int] = {}


def _compiled_init(cls: type[Record]) -> Callable[..., None]:
    """The ``__init__`` a dataclass generates for ``cls``'s fields (defaults, factories, then
    ``__post_init__``), compiled once; names come from the class's own annotations."""
    namespace: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    frozen = cls.__setattr__ is _refuse_assignment
    # Fields are set as attributes (a frozen record's past its own __setattr__), which CPython keeps
    # without materialising a __dict__: a third less memory than writing the dict, as a dataclass.
    parameters, body = ["_record_self"], []
    for name in cls.__record_names__:
        plain, made = cls.__record_defaults__.get(name, (_MISSING, None))
        if name not in cls.__record_defaults__:
            parameters.append(name)
        elif made is None:
            namespace[f"_default_{name}"] = plain
            parameters.append(f"{name}=_default_{name}")
        else:
            namespace[f"_factory_{name}"] = made
            parameters.append(f"{name}=_MISSING")
            body.append(f"    if {name} is _MISSING:\n        {name} = _factory_{name}()")
        body.append(f"    _set(_record_self, {name!r}, {name})" if frozen else f"    _record_self.{name} = {name}")
    if cls.__record_post_init__:
        body.append("    _record_self.__post_init__()")
    exec(f"def __init__({', '.join(parameters)}):\n" + "\n".join(body), namespace)   # noqa: S102 - our own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _refuse_assignment(self: Record, name: str, *_: Any) -> None:
    raise FrozenRecordError(f"cannot assign to field {name!r} of frozen {type(self).__qualname__}")


def _hash(self: Record) -> int:
    return hash(self.__record_values__(self))


def _ordering(compare: Callable[[Any, Any], bool]) -> Callable[[Record, object], bool]:
    """An order method (``__lt__`` ...): ``compare`` of the field values, for two records of one class."""
    def method(self: Record, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compare(self.__record_values__(self), other.__record_values__(other))

    return method


_ORDERING = {"__lt__": _ordering(operator.lt), "__le__": _ordering(operator.le),
             "__gt__": _ordering(operator.gt), "__ge__": _ordering(operator.ge)}


def defaults(cls: type[Record]) -> dict[str, Any]:
    """The plain default of each field of ``cls`` that has one (not those made by a factory)."""
    return {name: plain for name, (plain, made) in cls.__record_defaults__.items() if made is None}


def replace(record: _R, /, **changes: Any) -> _R:
    """A copy of ``record`` with some fields changed, built through ``__init__`` (``__post_init__`` runs)."""
    cls = type(record)
    values = dict(zip(cls.__record_names__, cls.__record_values__(record), strict=True))
    values.update(changes)
    return cls(**values)


def asdict(value: Any) -> Any:
    """``value`` with every record in it turned into a dict of its fields, recursively."""
    if isinstance(value, Record):
        return {name: asdict(getattr(value, name)) for name in type(value).__record_names__}
    if isinstance(value, (list, tuple)):
        return type(value)(asdict(item) for item in value)
    if isinstance(value, dict):
        return {asdict(key): asdict(item) for key, item in value.items()}
    return value
