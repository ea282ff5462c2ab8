"""analyzer/records.py: record classes behave as the dataclasses they replace."""
from __future__ import annotations

import copy
import dataclasses
import functools
import pickle
from typing import ClassVar

import pytest

from analyzer.model import Location, Operation
from analyzer.records import COMPILE_AFTER, FrozenRecordError, Record, asdict, defaults, field, replace


class Point(Record, frozen=True, order=True):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()


class Bag(Record):
    name: str
    items: list[int] = field(default_factory=list)
    seen: ClassVar[int] = 0

    def __post_init__(self) -> None:
        type(self).seen += 1


class Labelled(Point, frozen=True):
    label: str = ""


@dataclasses.dataclass(frozen=True, order=True)
class PointDataclass:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()


def test_init_takes_fields_in_order_with_defaults_and_fresh_factories():
    assert (Point(1).x, Point(1).y, Point(1, 2).y, Point(1, tags=("a",)).tags) == (1, 0, 2, ("a",))
    first, second = Bag("a"), Bag("b")
    first.items.append(1)
    assert second.items == []
    assert Bag.__record_names__ == ("name", "items")   # a ClassVar is no field
    assert defaults(Point) == {"y": 0, "tags": ()} and defaults(Bag) == {}
    assert Labelled(1, 2, (), "l").label == "l" and Labelled.__match_args__ == ("x", "y", "tags", "label")


@pytest.mark.parametrize("build, message", [
    (lambda: Point(), "missing required argument: 'x'"),
    (lambda: Point(1, 2, (), 4), "takes 3 positional arguments but 4 were given"),
    (lambda: Point(1, x=2), "multiple values for argument 'x'"),
    (lambda: Point(1, z=2), "unexpected keyword argument 'z'"),
])
def test_wrong_arguments_are_type_errors(build, message):
    with pytest.raises(TypeError, match=message):
        build()


def test_equality_hash_order_and_repr_match_the_dataclass():
    pairs = [(Point(x, y), PointDataclass(x, y)) for x, y in ((1, 2), (1, 3), (0, 9))]
    assert [repr(r) for r, _ in pairs] == [repr(d).replace("PointDataclass", "Point") for _, d in pairs]
    assert sorted(r for r, _ in pairs) == [Point(0, 9), Point(1, 2), Point(1, 3)]
    assert Point(1, 2) == Point(1, 2) and hash(Point(1, 2)) == hash(Point(1, 2)) and Point(1, 2) != Point(1, 3)
    assert Point(1) != Labelled(1)   # another class is never equal
    with pytest.raises(TypeError):
        Point(1) < Labelled(2)   # noqa: B015 - ordering across classes is refused, as with dataclasses
    with pytest.raises(TypeError, match="unhashable"):
        hash(Bag("a"))


def test_frozen_records_refuse_assignment_mutable_ones_take_it():
    point = Point(1)
    with pytest.raises(FrozenRecordError):
        point.x = 2   # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y   # type: ignore[misc]
    bag = Bag("a")
    bag.name = "b"
    assert bag.name == "b"


def test_replace_builds_through_init_and_asdict_recurses():
    before = Bag.seen
    changed = replace(Bag("a", [1]), name="b")
    assert (changed.name, changed.items, Bag.seen - before) == ("b", [1], 2)
    op = Operation("shell.rm-recursive", "destructive", "high", "shell", Location("x.sh", 3), "m", targets=("/srv",))
    data = asdict(op)
    assert data["location"] == {"path": "x.sh", "line": 3, "column": 1, "cell": None, "cell_id": None,
                                "file_line": None}
    assert data["targets"] == ("/srv",) and data["rule"] == "shell.rm-recursive"
    assert Operation(**{**data, "location": Location(**data["location"])}) == op


def test_copies_and_pickles_keep_the_values_and_do_not_run_post_init_again():
    bag = Bag("a", [1])
    before = Bag.seen
    assert copy.deepcopy(bag) == bag and pickle.loads(pickle.dumps(bag)) == bag
    assert Bag.seen == before
    point = pickle.loads(pickle.dumps(Labelled(1, label="x")))
    assert point == Labelled(1, label="x")
    with pytest.raises(FrozenRecordError):
        point.label = "y"   # type: ignore[misc]


def test_class_definition_errors():
    with pytest.raises(ValueError, match="mutable default"):
        class Shared(Record):
            items: list[int] = []   # noqa: RUF012 - the error under test
    with pytest.raises(TypeError, match="without a default follows"):
        class Unordered(Record):
            a: int = 0
            b: int
    with pytest.raises(TypeError, match="exactly one"):
        field()


def test_own_methods_win_and_cached_properties_work_on_frozen_records():
    class Named(Record, frozen=True):
        name: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named) and self.name.lower() == other.name.lower()

        def __hash__(self) -> int:
            return hash(self.name.lower())

        @functools.cached_property
        def shout(self) -> str:
            return self.name.upper()

    assert Named("A") == Named("a") and len({Named("A"), Named("a")}) == 1
    named = Named("x")
    assert named.shout == "X" and named.shout is named.shout


def test_a_class_built_often_gets_a_compiled_init_that_behaves_the_same():
    class Often(Record):
        name: str
        items: list[int] = field(default_factory=list)
        size: int = 3
        made: ClassVar[int] = 0

        def __post_init__(self) -> None:
            type(self).made += 1

    class Child(Often):
        extra: str = "e"

    class Fixed(Record, frozen=True):
        name: str
        size: int = 3

    shared = Often.__init__
    built = [Often(f"n{i}") for i in range(COMPILE_AFTER)] + [Fixed("f") for _ in range(COMPILE_AFTER)]
    assert Often.__init__ is not shared and Fixed.__init__ is not shared   # compiled once the count was reached
    assert Child.__init__ is shared                    # a subclass keeps the shared one: it has other fields
    assert Often.made == COMPILE_AFTER
    after, fixed = Often("z", size=5), Fixed("f", 4)
    assert (after.name, after.items, after.size, Often.made) == ("z", [], 5, COMPILE_AFTER + 1)
    assert after.items is not Often("y").items and after == Often("z", [], 5) and built[0] == Often("n0")
    assert Child("c").extra == "e" and Child("c", [1], 2, "x") == Child(name="c", items=[1], size=2, extra="x")
    assert fixed == Fixed("f", 4) and hash(fixed) == hash(Fixed("f", 4))
    assert repr(fixed).endswith(".Fixed(name='f', size=4)")
    with pytest.raises(FrozenRecordError):
        fixed.size = 1   # type: ignore[misc]
    with pytest.raises(TypeError):
        Often()
    with pytest.raises(TypeError):
        Often("a", unknown=1)
