"""The shrink-quality problems (Benchmarks/Sources/ShrinkQuality) in Hypothesis.

Each problem is run once per seed with @seed(n) and
@settings(database=None, phases=[generate, shrink], report_multiple_bugs=False).
Per run it records whether the test failed, the final (shrunk) example (the
argument of the last failing call), whether it is the expected minimum in
Hypothesis's own simplicity order, and the calls from the first failing call
on (including it). With --swift FILE (the JSON of `shrink-quality --json`) it
prints both engines side by side.

State machines are written as a loop over st.data() that draws what the
Swift StateMachine draws (another step?, a rule among the enabled ones, the
rule's arguments), so that both engines shrink the same choices; one call
is one whole run of steps.

Run:  python3 shrink_quality.py --seeds 20 --swift swift.json
      python3 shrink_quality.py --seeds 5 --only float_nan,text_contains_z
      python3 shrink_quality.py --families --seeds 20 --swift swift_families.json
(--families runs the families with drawn constants, as shrink-quality --families.)
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import statistics
import struct
import sys
import time

import hypothesis
import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis.errors import HypothesisException

sys.setrecursionlimit(20000)


class Falsified(Exception):
    pass


def check(condition):
    if not condition:
        raise Falsified()


class Problem:
    def __init__(self, name, strategy, prop, ideal, show=repr):
        self.name, self.strategy, self.prop, self.ideal, self.show = name, strategy, prop, ideal, show


I64 = st.integers(-(2**63), 2**63 - 1)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def trunc_div(a, b):
    # Integer division rounding towards zero, as Swift's / does (Python's //
    # rounds down); every batch that models Swift's division uses it.
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def sum3(t):
    a, b, c = t
    s = a + b
    if not INT64_MIN <= s <= INT64_MAX:
        return
    u = s + c
    if not INT64_MIN <= u <= INT64_MAX:
        return
    check(u <= 1_000_000)


def three_times(xs):
    check(not any(x != 0 and xs.count(x) >= 3 for x in xs))


def ascending_pair(b):
    check(not any(x < y for x, y in zip(b, b[1:])))


def depth(t):
    return 1 + max(depth(t[0]), depth(t[1])) if isinstance(t, tuple) else 1


def leaves(t):
    return leaves(t[0]) + leaves(t[1]) if isinstance(t, tuple) else [t]


def one_of_int(v):
    kind, x = v
    check(x < 100 if kind == "int" else len(x) < 2)


def one_of_text(v):
    check(v[0] != "text")


TREES = st.recursive(st.integers(0, 1000), lambda c: st.tuples(c, c))
INT_OR_TEXT = st.one_of(st.integers(0, 1000).map(lambda x: ("int", x)), st.text().map(lambda s: ("text", s)))


# State machines, drawn as the Swift StateMachine draws them.

class MachineFailure(Exception):
    pass


def run_machine(data, rules, make, max_steps=50, setup=()):
    """rules: list of (name, precondition(state), body(state, draw) -> line);
    setup: bodies run first, without a flag or a rule index (initializers)."""
    state = make()
    notes = []
    for body in setup:
        notes.append(body(state, data))
        state["notes"] = notes
    for _ in range(max_steps):
        if not data.draw(st.booleans()):
            break
        enabled = [r for r in rules if r[1](state)]
        if not enabled:
            break
        rule = enabled[data.draw(st.integers(0, len(enabled) - 1))]
        try:
            line = rule[2](state, data)
        except MachineFailure:
            notes.append(state.get("line", rule[0] + "()"))
            state["notes"] = notes
            raise
        notes.append(line)
        state["notes"] = notes
        if "check" in state:
            state["check"](state)
    state["notes"] = notes


def stack_machine(data):
    def push(s, d):
        x = d.draw(st.integers(0, 9))
        s["items"].append(x)
        return f"push(x: {x})"

    def pop(s, d):
        if len(s["items"]) == 2:
            s["line"] = "pop()"
            raise MachineFailure()
        s["items"].pop()
        return "pop()"

    run_machine(data, [("push", lambda s: True, push), ("pop", lambda s: len(s["items"]) > 0, pop)],
                lambda: {"items": []})


def alloc_machine(data):
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        s["next"] += 1
        s["blocks"].append(f"v{s['next']}")
        s["live"] += 1
        return f"v{s['next']} = alloc(size: {size})"

    def free(s, d):
        i = d.draw(st.integers(0, len(s["blocks"]) - 1))
        block = s["blocks"].pop(i)
        s["line"] = f"free(block: {block})"
        if s["live"] == 3:
            raise MachineFailure()
        s["live"] -= 1
        return s["line"]

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: s["live"] > 0, free)],
                lambda: {"blocks": [], "next": 0, "live": 0})


def counter_machine(data, with_add=True):
    # A counter that skips from 3 to 5 on an increment; `with_add=False` is
    # the twentieth round's machine_counter_skips_4, without the add rule.
    def increment(s, d):
        s["model"] += 1
        s["value"] += 2 if s["value"] == 3 else 1
        return "increment()"

    def decrement(s, d):
        s["model"] -= 1
        s["value"] -= 1
        return "decrement()"

    def add(s, d):
        n = d.draw(st.integers(0, 10))
        s["model"] += n
        s["value"] += n
        return f"add(n: {n})"

    def compare(s):
        if s["model"] != s["value"]:
            raise MachineFailure()

    rules = [("increment", lambda s: True, increment), ("decrement", lambda s: s["model"] > 0, decrement)]
    if with_add:
        rules.append(("add", lambda s: True, add))
    run_machine(data, rules, lambda: {"model": 0, "value": 0, "check": compare})


def store_machine(data):
    # A hash map with a bucket count set when it is opened; deleting from a
    # bucket that holds more than one entry forgets to lower its count.
    def bucket(s, key):
        return s["buckets"][key % len(s["buckets"])]

    def open_store(s, d):
        n = d.draw(st.integers(1, 4))
        s["buckets"] = [[] for _ in range(n)]
        return f"open(buckets: {n})"

    def put(s, d):
        key = d.draw(st.integers(0, 9))
        value = d.draw(st.integers(0, 9))
        s["model"][key] = value
        b = bucket(s, key)
        for entry in b:
            if entry[0] == key:
                entry[1] = value
                break
        else:
            b.append([key, value])
            s["count"] += 1
        return f"put(key: {key}, value: {value})"

    def delete(s, d):
        key = d.draw(st.integers(0, 9))
        s["model"].pop(key, None)
        b = bucket(s, key)
        for i, entry in enumerate(b):
            if entry[0] == key:
                if len(b) == 1:
                    s["count"] -= 1
                del b[i]
                break
        return f"delete(key: {key})"

    def get(s, d):
        key = d.draw(st.integers(0, 9))
        found = next((e[1] for e in bucket(s, key) if e[0] == key), None)
        if found != s["model"].get(key):
            s["line"] = f"get(key: {key})"
            raise MachineFailure()
        return f"get(key: {key})"

    def compare(s):
        if len(s["model"]) != s["count"]:
            raise MachineFailure()

    run_machine(data, [("put", lambda s: True, put), ("delete", lambda s: len(s["model"]) > 0, delete),
                       ("get", lambda s: True, get)],
                lambda: {"model": {}, "count": 0, "buckets": [], "check": compare}, setup=[open_store])


def machine_problem(name, machine, ideal):
    # The strategy is st.data(); the "value" recorded is the step list.
    p = Problem(name, st.data(), machine, lambda steps: steps == ideal, show=lambda steps: "; ".join(steps))
    p.machine = True
    return p


def py_bytes(b):
    return repr(b)


def nested_depth(x):
    return 1 + max(map(nested_depth, x), default=0) if isinstance(x, list) else 0


def mixed_int_and_text(xs):
    big_int = any(isinstance(x, int) and x >= 10 for x in xs)
    long_text = any(isinstance(x, str) and len(x) >= 2 for x in xs)
    check(not (big_int and long_text))


def show_dict(d):
    return "{" + ", ".join(f"{k}: {d[k]}" for k in sorted(d)) + "}"


def show_floats(xs):
    return "[" + ", ".join(map(repr, xs)) + "]"


PROBLEMS = [
    Problem("int64_at_least_1e12", I64, lambda x: check(x < 10**12), lambda x: x == 10**12),
    Problem("int64_at_most_minus_1e6", I64, lambda x: check(x > -(10**6)), lambda x: x == -(10**6)),
    Problem("int64_magnitude_1000", I64, lambda x: check(abs(x) < 1000), lambda x: x == 1000),
    Problem("int8_below_minus_100", st.integers(-128, 127), lambda x: check(x >= -100), lambda x: x == -101),
    Problem("uint8_at_least_200", st.integers(0, 255), lambda x: check(x < 200), lambda x: x == 200),
    Problem("uint32_at_least_3e9", st.integers(0, 2**32 - 1), lambda x: check(x < 3 * 10**9), lambda x: x == 3 * 10**9),
    Problem("uint64_above_2_63", st.integers(0, 2**64 - 1), lambda x: check(x < 2**63 + 5), lambda x: x == 2**63 + 5),
    Problem("int_mod_7_is_3_above_100", st.integers(0, 10**9), lambda x: check(not (x > 100 and x % 7 == 3)),
            lambda x: x == 101),
    Problem("sum_of_three_int64_over_1e6", st.tuples(I64, I64, I64), sum3, lambda t: t == (0, 0, 1_000_001)),
    Problem("product_over_1000", st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
            lambda t: check(t[0] * t[1] <= 1000), lambda t: t == (1, 1001)),
    Problem("float_above_half", st.floats(), lambda x: check(not x > 0.5), lambda x: x == 1.0),
    Problem("float_strictly_between_0_and_1", st.floats(), lambda x: check(not 0 < x < 1), lambda x: x == 0.5),
    Problem("float_below_minus_1000_25", st.floats(), lambda x: check(not x < -1000.25), lambda x: x == -1001.0),
    Problem("float_at_least_1e300", st.floats(allow_nan=False, allow_infinity=False), lambda x: check(x < 1e300),
            lambda x: x == 1e300),
    Problem("float_nan", st.floats(), lambda x: check(not math.isnan(x)),
            lambda x: math.isnan(x) and math.copysign(1.0, x) > 0),
    Problem("text_three_characters", st.text(), lambda s: check(len(s) < 3), lambda s: s == "000"),
    # Hypothesis orders characters "0".."9", ":".."@", "A".."Z", then "/" down to
    # "\x00", then "[" upwards: its simplest non-alphanumeric character is ":".
    Problem("text_not_alphanumeric", st.text(), lambda s: check(all(c.isalnum() for c in s)), lambda s: s == ":"),
    Problem("text_contains_z", st.text(), lambda s: check("z" not in s), lambda s: s == "z"),
    Problem("text_three_distinct", st.text(), lambda s: check(len(set(s)) < 3), lambda s: s == "012"),
    Problem("bytes_fifth_above_100", st.binary(max_size=64), lambda b: check(not (len(b) > 4 and b[4] > 100)),
            lambda b: b == bytes([0, 0, 0, 0, 101]), show=py_bytes),
    Problem("bytes_any_at_least_200", st.binary(max_size=64), lambda b: check(not any(x >= 200 for x in b)),
            lambda b: b == bytes([200]), show=py_bytes),
    Problem("bytes_ascending_pair", st.binary(max_size=64), ascending_pair, lambda b: b == bytes([0, 1]), show=py_bytes),
    Problem("bytes_sum_over_300", st.binary(min_size=2, max_size=64), lambda b: check(sum(b) <= 300),
            lambda b: b == bytes([46, 255]), show=py_bytes),
    Problem("nested_sum_over_100", st.lists(st.lists(st.integers(0, 100))),
            lambda ls: check(sum(map(sum, ls)) <= 100), lambda ls: ls == [[1, 100]]),
    Problem("list_value_three_times", st.lists(st.integers(-1000, 1000)), three_times, lambda xs: xs == [1, 1, 1]),
    Problem("dict_value_above_7", st.dictionaries(st.integers(0, 100), I64),
            lambda d: check(not any(v > 7 for v in d.values())), lambda d: d == {0: 8},
            show=lambda d: "{" + ", ".join(f"{k}: {d[k]}" for k in sorted(d)) + "}"),
    Problem("dict_three_keys", st.dictionaries(st.integers(0, 100), I64), lambda d: check(len(d) < 3),
            lambda d: d == {0: 0, 1: 0, 2: 0}, show=lambda d: "{" + ", ".join(f"{k}: {d[k]}" for k in sorted(d)) + "}"),
    Problem("set_three_elements", st.sets(I64), lambda s: check(len(s) < 3), lambda s: s == {0, 1, -1},
            show=lambda s: "{" + ", ".join(str(x) for x in sorted(s)) + "}" if s else "set()"),
    Problem("unique_list_sum_over_20", st.lists(st.integers(0, 100), unique=True),
            lambda xs: check(not (len(xs) >= 2 and sum(xs) > 20)), lambda xs: xs == [0, 21]),
    Problem("flatmap_length_then_list",
            st.integers(0, 10).flatmap(lambda n: st.lists(st.integers(0, 100), min_size=n, max_size=n)),
            lambda xs: check(not (len(xs) >= 3 and sum(xs) >= 50)), lambda xs: xs == [0, 0, 50]),
    Problem("flatmap_bound_then_value",
            st.integers(0, 100).flatmap(lambda x: st.integers(x, x + 100).map(lambda y: (x, y))),
            lambda t: check(t[1] < 50), lambda t: t == (0, 50)),
    Problem("one_of_int_branch", INT_OR_TEXT, one_of_int, lambda v: v == ("int", 100)),
    Problem("one_of_text_branch", INT_OR_TEXT, one_of_text, lambda v: v == ("text", "")),
    Problem("tree_depth_3", TREES, lambda t: check(depth(t) < 3), lambda t: depth(t) == 3 and leaves(t) == [0, 0, 0]),
    Problem("tree_leaf_sum_100", TREES, lambda t: check(sum(leaves(t)) < 100), lambda t: t == 100),
    machine_problem("machine_push_pop_pair", stack_machine, ["push(x: 0)", "push(x: 0)", "pop()"]),
    machine_problem("machine_alloc_free", alloc_machine,
                    ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "v3 = alloc(size: 1)", "free(block: v1)"]),
    machine_problem("machine_increment_at_3", counter_machine, ["add(n: 3)", "increment()"]),
    # The second batch: kinds Hypothesis's own shrink-quality tests use that
    # the problems above do not cover.
    Problem("sum_of_pair_over_1000", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(t[0] + t[1] <= 1000), lambda t: t == (1, 1000)),
    Problem("containment_at_least_2_40", st.tuples(I64, st.lists(I64)),
            lambda t: check(not (t[0] >= 2**40 and t[0] in t[1])), lambda t: t == (2**40, [2**40])),
    Problem("duplicate_containment", st.tuples(st.lists(I64), I64),
            lambda t: check(t[0].count(t[1]) <= 1), lambda t: t == ([0, 0], 0)),
    Problem("float_at_least_1_5", st.floats(), lambda x: check(not x >= 1.5), lambda x: x == 2.0),
    Problem("float_not_integer", st.floats(allow_nan=False, allow_infinity=False), lambda x: check(x.is_integer()),
            lambda x: x == 1.5),
    Problem("float_in_1_9_above_2", st.floats(1, 9), lambda x: check(not x > 2), lambda x: x == 3.0),
    Problem("floats_unsorted", st.lists(st.floats(allow_nan=False)), lambda xs: check(xs == sorted(xs)),
            lambda xs: xs == [0.0, -1.0], show=show_floats),
    Problem("floats_three_one_nonzero", st.lists(st.floats(), min_size=3), lambda xs: check(not any(xs)),
            lambda xs: xs == [0.0, 0.0, 1.0], show=show_floats),
    Problem("text_thirty_characters", st.text(), lambda s: check(len(s) < 30), lambda s: s == "0" * 30),
    # Hypothesis's simplest character below "0" is "/" (see text_not_alphanumeric).
    Problem("text_char_below_0", st.text(), lambda s: check(not any(ord(c) < 0x30 for c in s)), lambda s: s == "/"),
    Problem("text_lower_then_upper_at_2", st.text(),
            lambda s: check(not (len(s) > 3 and "a" <= s[2] <= "z" and "A" <= s[3] <= "Z")), lambda s: s == "00aA"),
    Problem("list_of_ten_texts", st.lists(st.text()), lambda xs: check(len(xs) < 10), lambda xs: xs == [""] * 10),
    Problem("mixed_list_int_and_text", st.lists(st.one_of(I64, st.text())), mixed_int_and_text,
            lambda xs: xs == [10, "00"]),
    Problem("list_of_pairs_two", st.lists(st.tuples(I64, I64)), lambda xs: check(len(xs) < 2),
            lambda xs: xs == [(0, 0), (0, 0)]),
    Problem("set_of_pairs_three", st.sets(st.tuples(I64, I64)), lambda s: check(len(s) < 3),
            lambda s: s == {(0, 0), (0, 1), (0, -1)},
            show=lambda s: "{" + ", ".join(map(str, sorted(s))) + "}" if s else "set()"),
    Problem("lists_three_nonempty", st.lists(st.lists(I64)), lambda ls: check(sum(1 for x in ls if x) < 3),
            lambda ls: ls == [[0], [0], [0]]),
    Problem("lists_total_length_20", st.lists(st.lists(st.booleans())), lambda ls: check(sum(map(len, ls)) < 20),
            lambda ls: ls == [[False] * 20]),
    Problem("string_list_total_len_10", st.lists(st.text()), lambda xs: check(sum(map(len, xs)) < 10),
            lambda xs: xs == ["0" * 10]),
    Problem("bytes_list_total_len_10", st.lists(st.binary(max_size=64)), lambda xs: check(sum(map(len, xs)) < 10),
            lambda xs: xs == [b"\x00" * 10]),
    Problem("dict_three_values_at_least_10", st.dictionaries(st.integers(0, 100), I64),
            lambda d: check(sum(1 for v in d.values() if v >= 10) < 3), lambda d: d == {0: 10, 1: 10, 2: 10},
            show=show_dict),
    Problem("flatmap_list_above_bound",
            st.integers(0, 100).flatmap(lambda x: st.lists(st.integers(x, x + 100)).map(lambda ys: (x, ys))),
            lambda t: check(not (len(t[1]) >= 2 and max(t[1]) >= 50)), lambda t: t == (0, [0, 50])),
    Problem("nested_list_depth_3", st.recursive(st.integers(0, 10), st.lists), lambda x: check(nested_depth(x) < 3),
            lambda x: x == [[[]]]),
    machine_problem("machine_store_delete", store_machine,
                    ["open(buckets: 1)", "put(key: 0, value: 0)", "put(key: 1, value: 0)", "delete(key: 0)"]),
]


# The third batch's helpers and machines.

def pair_mod_is_1(t):
    a, b = t
    check(not (a >= 10 and b >= 2 and a % b == 1))


def is_sorted(xs):
    return all(x <= y for x, y in zip(xs, xs[1:]))


def shared_value(d):
    vs = list(d.values())
    check(not any(v >= 5 and vs.count(v) >= 2 for v in vs))


def crossed(s):
    check(not any(a != b and (b, a) in s for a, b in s))


def show_set_of_sets(s):
    if not s:
        return "set()"
    inner = sorted((sorted(x) for x in s), key=lambda x: (len(x), x))
    return "{" + ", ".join("frozenset({" + ", ".join(map(str, x)) + "})" if x else "frozenset()" for x in inner) + "}"


def show_mixed_tuple(t):
    return f"({t[0]}, {t[1]}, {t[2]!r})"


NESTED_ONE_OF = st.one_of(st.integers(0, 100).map(lambda x: ("int", x)),
                          st.one_of(st.booleans().map(lambda b: ("bool", b)),
                                    st.lists(st.integers(0, 100)).map(lambda xs: ("list", xs))))


def one_of_nested_list(v):
    check(not (v[0] == "list" and len(v[1]) >= 2))


def both_children_nodes(t):
    check(not (isinstance(t, tuple) and isinstance(t[0], tuple) and isinstance(t[1], tuple)))


def map_overwrite_machine(data):
    # A map whose put keeps the first value written to a key.
    def put(s, d):
        key = d.draw(st.integers(0, 9))
        value = d.draw(st.integers(0, 9))
        s["model"][key] = value
        s["map"].setdefault(key, value)
        return f"put(key: {key}, value: {value})"

    def delete(s, d):
        key = d.draw(st.integers(0, 9))
        s["model"].pop(key, None)
        s["map"].pop(key, None)
        return f"delete(key: {key})"

    def compare(s):
        if s["model"] != s["map"]:
            raise MachineFailure()

    run_machine(data, [("put", lambda s: True, put), ("delete", lambda s: len(s["model"]) > 0, delete)],
                lambda: {"model": {}, "map": {}, "check": compare})


def queue_machine(data):
    # A queue that hands out the most recent value: right only while it holds one.
    def enqueue(s, d):
        x = d.draw(st.integers(0, 9))
        s["model"].append(x)
        s["items"].append(x)
        return f"enqueue(x: {x})"

    def dequeue(s, d):
        expected = s["model"].pop(0)
        if s["items"].pop() != expected:
            s["line"] = "dequeue()"
            raise MachineFailure()
        return "dequeue()"

    run_machine(data, [("enqueue", lambda s: True, enqueue), ("dequeue", lambda s: len(s["model"]) > 0, dequeue)],
                lambda: {"model": [], "items": []})


def reuse_machine(data):
    # An allocator that reuses the last freed block for any size.
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        if s["freed"]:
            handle = s["freed"].pop()
            if s["sizes"][handle] < size:
                s["line"] = f"alloc(size: {size})"
                raise MachineFailure()
        else:
            s["next"] += 1
            handle = s["next"]
            s["sizes"][handle] = size
        s["var"] += 1
        s["blocks"].append(f"v{s['var']}")
        s["handles"].append(handle)
        s["live"] += 1
        return f"v{s['var']} = alloc(size: {size})"

    def free(s, d):
        i = d.draw(st.integers(0, len(s["blocks"]) - 1))
        block = s["blocks"].pop(i)
        s["freed"].append(s["handles"].pop(i))
        s["live"] -= 1
        return f"free(block: {block})"

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: s["live"] > 0, free)],
                lambda: {"blocks": [], "handles": [], "sizes": {}, "freed": [], "next": 0, "var": 0, "live": 0})


THIRD_BATCH = [
    # Integers with modular and bit conditions.
    Problem("pair_mod_is_1", st.tuples(st.integers(0, 1000), st.integers(0, 1000)), pair_mod_is_1,
            lambda t: t == (10, 3)),
    Problem("int_multiple_of_16_above_1000", st.integers(0, 1_000_000), lambda x: check(not (x > 1000 and x % 16 == 0)),
            lambda x: x == 1008),
    Problem("int_popcount_at_least_4", st.integers(0, 2**32 - 1), lambda x: check(bin(x).count("1") < 4),
            lambda x: x == 15),
    Problem("int_power_of_two_above_1000", st.integers(0, 2**40), lambda x: check(not (x > 1000 and x & (x - 1) == 0)),
            lambda x: x == 1024),
    # Lists with length, sum and order conditions.
    Problem("list_len_5_sum_over_100", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 5 and sum(xs) > 100)), lambda xs: xs == [0, 0, 0, 1, 100]),
    Problem("ints_unsorted", st.lists(I64), lambda xs: check(xs == sorted(xs)), lambda xs: xs == [0, -1]),
    Problem("sorted_three_last_at_least_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and is_sorted(xs) and xs[-1] >= 10)), lambda xs: xs == [0, 0, 10]),
    # Dictionaries with key and value constraints.
    Problem("dict_value_exceeds_key_by_10", st.dictionaries(st.integers(0, 100), st.integers(0, 100)),
            lambda d: check(not any(v > k + 10 for k, v in d.items())), lambda d: d == {0: 11}, show=show_dict),
    Problem("dict_shared_value_at_least_5", st.dictionaries(st.integers(0, 100), st.integers(0, 100)), shared_value,
            lambda d: d == {0: 5, 1: 5}, show=show_dict),
    # Sets of tuples and of sets.
    Problem("set_of_pairs_crossed", st.sets(st.tuples(st.integers(0, 10), st.integers(0, 10))), crossed,
            lambda s: s == {(0, 1), (1, 0)}, show=lambda s: "{" + ", ".join(map(str, sorted(s))) + "}" if s else "set()"),
    Problem("sets_of_sets_three", st.sets(st.frozensets(I64)), lambda s: check(len(s) < 3),
            lambda s: s == {frozenset(), frozenset({0}), frozenset({1})}, show=show_set_of_sets),
    # A tuple of mixed kinds and a nested one-of.
    Problem("mixed_tuple_bool_int_text", st.tuples(st.booleans(), st.integers(0, 1000), st.text()),
            lambda t: check(not (t[0] and t[1] > 10 and len(t[2]) >= 2)), lambda t: t == (True, 11, "00"),
            show=show_mixed_tuple),
    Problem("one_of_nested_list", NESTED_ONE_OF, one_of_nested_list, lambda v: v == ("list", [0, 0])),
    # A tree whose root must have two children that are both nodes.
    Problem("tree_both_children_nodes", TREES, both_children_nodes, lambda t: t == ((0, 0), (0, 0))),
    # State machines that fail only on a pair of operations.
    machine_problem("machine_map_overwrite", map_overwrite_machine, ["put(key: 0, value: 0)", "put(key: 0, value: 1)"]),
    machine_problem("machine_queue_order", queue_machine, ["enqueue(x: 0)", "enqueue(x: 1)", "dequeue()"]),
    machine_problem("machine_alloc_reuse", reuse_machine, ["v1 = alloc(size: 1)", "free(block: v1)", "alloc(size: 2)"]),
]

PROBLEMS += THIRD_BATCH

# The twelfth round (see edgeAndParityBatch in AllProblems.swift): values that
# random search must meet rather than shrink to (best seen with
# --max-examples 100), and parities.
PROBLEMS += [
    Problem("int64_equals_max", I64, lambda x: check(x != INT64_MAX), lambda x: x == INT64_MAX),
    Problem("int64_equals_min", I64, lambda x: check(x != INT64_MIN), lambda x: x == INT64_MIN),
    Problem("uint32_equals_max", st.integers(0, 2**32 - 1), lambda x: check(x != 2**32 - 1), lambda x: x == 2**32 - 1),
    Problem("float_negative_zero", st.floats(), lambda x: check(not (x == 0 and math.copysign(1.0, x) < 0)),
            lambda x: x == 0 and math.copysign(1.0, x) < 0),
    Problem("int_odd_above_5", I64, lambda x: check(not (x > 5 and x % 2 != 0)), lambda x: x == 7),
    Problem("int_even_above_1000", I64, lambda x: check(not (x > 1000 and x % 2 == 0)), lambda x: x == 1002),
    Problem("int_odd_above_1000_bounded", st.integers(0, 10**6), lambda x: check(not (x > 1000 and x % 2 == 1)),
            lambda x: x == 1001),
    Problem("pair_both_odd_sum_100", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(not (t[0] % 2 == 1 and t[1] % 2 == 1 and t[0] + t[1] >= 100)), lambda t: t == (1, 99)),
    Problem("int_multiple_of_3_above_100", I64, lambda x: check(not (x > 100 and x % 3 == 0)), lambda x: x == 102),
    Problem("int_mod_7_is_3_above_50", I64, lambda x: check(not (x > 50 and x % 7 == 3)), lambda x: x == 52),
    Problem("int_multiple_of_10_above_1000_bounded", st.integers(0, 10**6),
            lambda x: check(not (x > 1000 and x % 10 == 0)), lambda x: x == 1010),
]


# The fifteenth round (see fourthBatch in AllProblems.swift).
def _letters(s):
    return [c for c in s if "a" <= c <= "z" or "A" <= c <= "Z"]


def _is_letter(c):
    return "a" <= c <= "z" or "A" <= c <= "Z"


PROBLEMS += [
    Problem("list_max_minus_min_over_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not (xs and max(xs) - min(xs) > 10)), lambda xs: xs == [0, 11]),
    Problem("list_first_equals_last_len_3", st.lists(I64), lambda xs: check(not (len(xs) >= 3 and xs[0] == xs[-1])),
            lambda xs: xs == [0, 0, 0]),
    Problem("list_adjacent_jump_over_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not any(b > a + 10 for a, b in zip(xs, xs[1:]))), lambda xs: xs == [0, 11]),
    Problem("list_sum_of_squares_over_1000", st.lists(st.integers(-100, 100)),
            lambda xs: check(sum(x * x for x in xs) <= 1000), lambda xs: xs == [32]),
    Problem("list_duplicate_above_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not any(x > 10 and xs.count(x) >= 2 for x in xs)), lambda xs: xs == [11, 11]),
    Problem("text_palindrome_len_3", st.text(), lambda s: check(not (len(s) >= 3 and s == s[::-1])),
            lambda s: s == "000"),
    Problem("text_letter_twice", st.text(), lambda s: check(len(set(_letters(s))) == len(_letters(s))),
            lambda s: s == "AA"),
    Problem("text_digit_then_letter", st.text(),
            lambda s: check(not any("0" <= a <= "9" and _is_letter(b) for a, b in zip(s, s[1:]))),
            lambda s: s == "0A"),
    # "/" is Hypothesis's simplest character below "0" (" " for PropertyTesting).
    Problem("text_unsorted", st.text(), lambda s: check(list(s) == sorted(s)), lambda s: s == "0/"),
    Problem("optional_above_10", st.none() | st.integers(0, 1000), lambda x: check(not ((x or 0) > 10)),
            lambda x: x == 11),
    Problem("strings_one_longer_than_3", st.lists(st.text()), lambda xs: check(not any(len(x) > 3 for x in xs)),
            lambda xs: xs == ["0000"]),
    Problem("set_sum_over_20", st.sets(st.integers(0, 100)), lambda s: check(sum(s) <= 20), lambda s: s == {21}),
    Problem("lists_inner_sum_over_50", st.lists(st.lists(st.integers(0, 100))),
            lambda xss: check(not any(sum(xs) > 50 for xs in xss)), lambda xss: xss == [[51]]),
    Problem("int_digit_sum_over_20", st.integers(0, 1_000_000), lambda x: check(sum(map(int, str(x))) <= 20),
            lambda x: x == 399),
    Problem("pair_sum_of_squares_over_1000", st.tuples(st.integers(0, 100), st.integers(0, 100)),
            lambda t: check(t[0] * t[0] + t[1] * t[1] <= 1000), lambda t: t == (0, 32)),
    Problem("float_square_over_10", st.floats(0, 100), lambda x: check(x * x <= 10), lambda x: x == 4.0),
    Problem("float_pair_gap_over_1", st.tuples(st.floats(0, 100), st.floats(0, 100)), lambda t: check(t[1] - t[0] <= 1),
            lambda t: t == (0.0, 2.0)),
    Problem("int64_doubling_overflows", I64, lambda x: check(-(2**63) <= 2 * x < 2**63), lambda x: x == 2**62),
    Problem("uint8_wraps_adding_100", st.integers(0, 255), lambda x: check(x + 100 <= 255), lambda x: x == 156),
    Problem("int_triple_strictly_increasing", st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)),
            lambda t: check(not (t[0] < t[1] < t[2])), lambda t: t == (0, 1, 2)),
    Problem("list_increasing_run_of_3", st.lists(st.integers(0, 100)),
            lambda xs: check(not any(a < b < c for a, b, c in zip(xs, xs[1:], xs[2:]))), lambda xs: xs == [0, 1, 2]),
    Problem("list_strictly_decreasing_len_3", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and all(a > b for a, b in zip(xs, xs[1:])))), lambda xs: xs == [2, 1, 0]),
    Problem("dict_three_distinct_values", st.dictionaries(st.integers(0, 100), st.integers(0, 100)),
            lambda d: check(not (len(d) >= 3 and len(set(d.values())) == len(d))), lambda d: d == {0: 0, 1: 1, 2: 2},
            show=show_dict),
    Problem("optional_pair_both_some", st.tuples(st.none() | st.integers(0, 100), st.none() | st.integers(0, 100)),
            lambda t: check(not (t[0] is not None and t[1] is not None)), lambda t: t == (0, 0)),
    Problem("text_non_ascii", st.text(), lambda s: check(not any(ord(c) >= 128 for c in s)), lambda s: s == "\x80"),
]


# The fifth batch (see fifthBatch in AllProblems.swift).
def _prefix_sum_stays_above(xs, bound):
    s = 0
    for x in xs:
        s += x
        check(s >= bound)


def _le32(b):
    return b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24


def _square_over_1000(x):
    sq = x * x
    check(not (sq > INT64_MAX or sq > 1000))


PROBLEMS += [
    Problem("int_in_range_below_minus_10", st.integers(-50, 50), lambda x: check(x >= -10), lambda x: x == -11),
    Problem("int16_low_byte_all_ones", st.integers(-(2**15), 2**15 - 1), lambda x: check(x & 0xFF != 0xFF),
            lambda x: x == -1),
    Problem("int64_square_over_1000", I64, _square_over_1000, lambda x: x == 32),
    Problem("text_three_uppercase", st.text(), lambda s: check(sum(1 for c in s if "A" <= c <= "Z") < 3),
            lambda s: s == "AAA"),
    Problem("text_adjacent_equal", st.text(), lambda s: check(not any(a == b for a, b in zip(s, s[1:]))),
            lambda s: s == "00"),
    Problem("bytes_le32_over_1e6", st.binary(max_size=64), lambda b: check(len(b) < 4 or _le32(b) <= 1_000_000),
            lambda b: b == bytes([0, 0, 0, 1]), show=py_bytes),
    Problem("bytes_two_0xff", st.binary(max_size=64), lambda b: check(b.count(255) < 2),
            lambda b: b == bytes([255, 255]), show=py_bytes),
    Problem("list_three_above_50", st.lists(st.integers(0, 100)), lambda xs: check(sum(1 for x in xs if x > 50) < 3),
            lambda xs: xs == [51, 51, 51]),
    Problem("set_spread_over_50", st.sets(st.integers(0, 100)), lambda s: check(not s or max(s) - min(s) <= 50),
            lambda s: s == {0, 51}, show=lambda s: "{" + ", ".join(map(str, sorted(s))) + "}" if s else "set()"),
    Problem("optionals_two_nones", st.lists(st.none() | st.integers(0, 100)),
            lambda xs: check(sum(1 for x in xs if x is None) < 2), lambda xs: xs == [None, None]),
    Problem("flatmap_exact_list_last_over_10",
            st.integers(1, 10).flatmap(lambda n: st.lists(st.integers(0, 100), min_size=n, max_size=n)),
            lambda xs: check((xs[-1] if xs else 0) <= 10), lambda xs: xs == [11]),
    Problem("filter_even_above_100", st.integers(0, 1000).filter(lambda x: x % 2 == 0), lambda x: check(x <= 100),
            lambda x: x == 102),
    Problem("cases_spades_twice", st.lists(st.sampled_from(["clubs", "diamonds", "hearts", "spades"])),
            lambda xs: check(xs.count("spades") < 2), lambda xs: xs == ["spades", "spades"]),
    Problem("float_in_range_below_minus_5", st.floats(-10, -1), lambda x: check(x >= -5), lambda x: x == -6.0),
    Problem("uint64_top_bit_and_odd", st.integers(0, 2**64 - 1), lambda x: check(not (x >= 2**63 and x % 2 == 1)),
            lambda x: x == 2**63 + 1),
    Problem("pairs_flag_and_above_10", st.lists(st.tuples(st.booleans(), st.integers(0, 100))),
            lambda xs: check(not any(f and v > 10 for f, v in xs)), lambda xs: xs == [(True, 11)]),
    Problem("list_prefix_sum_below_minus_50", st.lists(st.integers(-100, 100)),
            lambda xs: _prefix_sum_stays_above(xs, -50), lambda xs: xs == [-51]),
    Problem("int_pair_equal_nonzero", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(not (t[0] == t[1] and t[0] != 0)), lambda t: t == (1, 1)),
    Problem("list_len_at_least_8_distinct", st.lists(st.integers(0, 100)), lambda xs: check(len(set(xs)) < 8),
            lambda xs: xs == [0, 1, 2, 3, 4, 5, 6, 7]),
    Problem("text_digits_sum_over_20", st.text(), lambda s: check(sum(int(c) for c in s if "0" <= c <= "9") <= 20),
            lambda s: s == "399"),
]


# The sixth batch (see sixthBatch in AllProblems.swift).
def _is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))


def _f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


F32_1E30 = _f32(1e30)
F32_ABOVE_1E30 = struct.unpack("f", struct.pack("I", struct.unpack("I", struct.pack("f", F32_1E30))[0] + 1))[0]


def _sum_over_1e6(xs):
    s = 0
    for x in xs:
        s += x
        if not INT64_MIN <= s <= INT64_MAX:
            return
    check(s <= 1_000_000)


def losing_stack_machine(data):
    def push(s, d):
        x = d.draw(st.integers(0, 100))
        s["model"].append(x)
        if len(s["items"]) != 5:
            s["items"].append(x)
        return f"push(x: {x})"

    def pop(s, d):
        m = s["model"].pop()
        got = s["items"].pop() if s["items"] else None
        if m != got:
            s["line"] = "pop()"
            raise MachineFailure()
        return "pop()"

    def compare(s):
        if len(s["model"]) != len(s["items"]):
            raise MachineFailure()

    run_machine(data, [("push", lambda s: True, push), ("pop", lambda s: len(s["model"]) > 0, pop)],
                lambda: {"model": [], "items": [], "check": compare})


def _weighted_value(v):
    if v[0] == "text":
        check(len(v[1]) < 2)


PROBLEMS += [
    Problem("int_in_10_20_above_15", st.integers(10, 20), lambda x: check(x <= 15), lambda x: x == 16),
    Problem("int_negative_range_below_minus_900", st.integers(-1000, -500), lambda x: check(x >= -900),
            lambda x: x == -901),
    Problem("float32_above_1e30", st.floats(width=32), lambda x: check(not x > F32_1E30), lambda x: x == F32_ABOVE_1E30),
    Problem("list_of_100", st.lists(st.integers(0, 10)), lambda xs: check(len(xs) < 100), lambda xs: xs == [0] * 100,
            show=lambda xs: f"len {len(xs)}, sum {sum(xs)}"),
    Problem("tree_depth_5", TREES, lambda t: check(depth(t) < 5),
            lambda t: depth(t) == 5 and leaves(t) == [0] * 5),
    Problem("abc_contains_cba", st.text(alphabet="abc"), lambda s: check("cba" not in s), lambda s: s == "cba"),
    Problem("unique_three_sum_over_100", st.lists(st.integers(0, 100), unique=True),
            lambda xs: check(not (len(xs) >= 3 and sum(xs) > 100)), lambda xs: xs == [0, 1, 100]),
    Problem("text_exactly_5_with_a", st.text(), lambda s: check(not (len(s) == 5 and "a" in s)),
            lambda s: s == "0000a"),
    Problem("prime_above_100", st.integers(0, 1000).filter(_is_prime), lambda x: check(x <= 100), lambda x: x == 101),
    Problem("text_and_its_length", st.tuples(st.text(), st.integers(0, 20)),
            lambda t: check(not (len(t[0]) == t[1] and t[1] >= 3)), lambda t: t == ("000", 3)),
    Problem("lists_longer_by_3", st.tuples(st.lists(st.integers(0, 100)), st.lists(st.integers(0, 100))),
            lambda t: check(len(t[0]) < len(t[1]) + 3), lambda t: t == ([0, 0, 0], [])),
    Problem("ten_ints_sum_over_1e6", st.lists(I64, min_size=10, max_size=10), _sum_over_1e6,
            lambda xs: xs == [0] * 9 + [1_000_001]),
    # Gen.weighted draws an index into the total weight; the first nine are the int branch.
    Problem("weighted_rare_branch",
            st.integers(0, 9).flatmap(lambda k: st.tuples(st.just("int"), st.integers(0, 10)) if k < 9
                                      else st.tuples(st.just("text"), st.text())),
            _weighted_value, lambda v: v == ("text", "00")),
    machine_problem("machine_stack_loses_sixth", losing_stack_machine, ["push(x: 0)"] * 6),
]



def _has_letters(s, letters, count):
    return sum(c in letters for c in s) >= count


def _value_at_its_index(xs):
    check(not any(i > 0 and x == i for i, x in enumerate(xs)))


def _coupling(xs):
    for i, x in enumerate(xs):
        if x != i:
            check(xs[x] != i)


def _zero_after_five(xs):
    if 5 in xs:
        check(0 not in xs[xs.index(5) + 1:])


def _parens_depth(s):
    depth = 0
    for c in s:
        depth = max(0, depth + (1 if c == "(" else -1))
        check(depth < 3)


def _three_rising(b):
    check(not any(b[i] < b[i + 1] < b[i + 2] for i in range(len(b) - 2)))


def _neighbours_over_50(xs):
    check(not any(abs(x - y) > 50 for x, y in zip(xs, xs[1:])))


PROBLEMS += [
    Problem("int8_sum_overflows", st.tuples(st.integers(-128, 127), st.integers(-128, 127)),
            lambda t: check(-128 <= t[0] + t[1] <= 127), lambda t: t == (1, 127)),
    Problem("text_three_vowels", st.text(), lambda s: check(not _has_letters(s, "aeiou", 3)), lambda s: s == "aaa"),
    Problem("text_two_of_xyzab", st.text(), lambda s: check(not _has_letters(s, "xyzab", 2)), lambda s: s == "aa"),
    Problem("list_value_at_its_index", st.lists(st.integers(0, 10)), _value_at_its_index, lambda xs: xs == [0, 1]),
    Problem("list_coupling_filtered", st.lists(st.integers(0, 10)).filter(lambda xs: all(x < len(xs) for x in xs)),
            _coupling, lambda xs: xs == [1, 0]),
    Problem("interval_overlap", st.tuples(st.integers(0, 100), st.integers(1, 10), st.integers(0, 100), st.integers(1, 10)),
            lambda t: check(not (t[0] != t[2] and t[2] < t[0] + t[1] and t[0] < t[2] + t[3])),
            lambda t: t == (0, 2, 1, 1)),
    Problem("text_pair_equal_nonempty", st.tuples(st.text(), st.text()), lambda t: check(not (t[0] == t[1] and t[0] != "")),
            lambda t: t == ("0", "0")),
    Problem("list_zero_after_five", st.lists(st.integers(0, 10)), _zero_after_five, lambda xs: xs == [5, 0]),
    Problem("text_parens_depth_3", st.text(alphabet="()"), _parens_depth, lambda s: s == "((("),
    Problem("list_average_over_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 2 and sum(xs) > 10 * len(xs))), lambda xs: xs == [0, 21]),
    Problem("dict_key_sum_over_100", st.dictionaries(st.integers(0, 100), st.integers(0, 10)),
            lambda d: check(sum(d) <= 100), lambda d: d == {1: 0, 100: 0}, show=show_dict),
    Problem("uint16_at_least_40000", st.integers(0, 2**16 - 1), lambda x: check(x < 40000), lambda x: x == 40000),
    Problem("int64_ordered_pair_above_1e9", st.tuples(I64, I64), lambda t: check(not (t[0] > 10**9 and t[1] > t[0])),
            lambda t: t == (10**9 + 1, 10**9 + 2)),
    Problem("double_pair_sum_over_100", st.tuples(st.floats(0, 100), st.floats(0, 100)),
            lambda t: check(t[0] + t[1] <= 100), lambda t: t == (1.0, 100.0)),
    Problem("list_three_summing_to_100", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) == 3 and sum(xs) == 100)), lambda xs: xs == [0, 0, 100]),
    Problem("bytes_three_rising", st.binary(max_size=64), _three_rising, lambda b: b == bytes([0, 1, 2]), show=py_bytes),
    Problem("unique_by_max_five", st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), unique_by=max),
            lambda xs: check(len(xs) < 5),
            lambda xs: len(xs) == 5 and sorted(max(t) for t in xs) == [0, 1, 2, 3, 4] and all(0 in t for t in xs)),
    Problem("list_neighbours_51_apart", st.lists(st.integers(-100, 100)), _neighbours_over_50,
            lambda xs: xs == [0, 51]),
    Problem("pair_differ_by_one", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(abs(t[0] - t[1]) != 1), lambda t: t == (0, 1)),
]


def _has_deep_int(j, depth=0):
    if isinstance(j, list):
        return any(_has_deep_int(x, depth + 1) for x in j)
    return depth >= 2 and j > 10


PROBLEMS += [
    Problem("list_at_most_3_above_50", st.lists(st.integers(0, 100), max_size=3),
            lambda xs: check(not any(x > 50 for x in xs)), lambda xs: xs == [51]),
    Problem("list_at_most_4_sum_over_100", st.lists(st.integers(0, 100), max_size=4),
            lambda xs: check(sum(xs) <= 100), lambda xs: xs == [1, 100]),
    Problem("lists_at_most_3_above_50", st.lists(st.lists(st.integers(0, 100), max_size=3), max_size=3),
            lambda xss: check(not any(x > 50 for xs in xss for x in xs)), lambda xss: xss == [[51]]),
    Problem("json_int_two_deep_above_10", st.recursive(st.integers(0, 100), lambda c: st.lists(c, max_size=4)),
            lambda j: check(not _has_deep_int(j)), lambda j: j == [[11]]),
]


def _two_of_one_length(ss):
    lengths = [len(s) for s in ss if len(s) >= 2]
    check(len(set(lengths)) == len(lengths))


def _two_equal_nonempty(xss):
    check(not any(xss[i] and xss[i] == xss[j] for i in range(len(xss)) for j in range(i + 1, len(xss))))


PROBLEMS += [
    Problem("int_pair_product_below_minus_100", st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)),
            lambda t: check(not (t[0] * t[1] < -100)), lambda t: t in [(1, -101), (-1, 101)]),
    Problem("strings_two_of_one_length", st.lists(st.text()), _two_of_one_length, lambda ss: ss == ["00", "00"]),
    Problem("lists_two_equal_nonempty", st.lists(st.lists(st.integers(0, 10))), _two_equal_nonempty,
            lambda xss: xss == [[0], [0]]),
]

def _decreasing(xs):
    return all(a > b for a, b in zip(xs, xs[1:]))


# The eighteenth round's probe: values in decreasing order (a tuple, longer lists,
# steps of at least five, non-increasing, signed, nested).
PROBLEMS += [
    Problem("int_triple_strictly_decreasing", st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)),
            lambda t: check(not (t[0] > t[1] > t[2])), lambda t: t == (2, 1, 0)),
    Problem("list_strictly_decreasing_len_4", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 4 and _decreasing(xs))), lambda xs: xs == [3, 2, 1, 0]),
    Problem("list_non_increasing_first_over_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and xs[0] > 10 and all(a >= b for a, b in zip(xs, xs[1:])))),
            lambda xs: xs == [11, 0, 0]),
    Problem("list_decreasing_by_5", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and all(a >= b + 5 for a, b in zip(xs, xs[1:])))), lambda xs: xs == [10, 5, 0]),
    Problem("list_int64_strictly_decreasing_len_3", st.lists(st.integers()),
            lambda xs: check(not (len(xs) >= 3 and _decreasing(xs))), lambda xs: xs == [0, -1, -2]),
    Problem("lists_inner_decreasing_len_3", st.lists(st.lists(st.integers(0, 100))),
            lambda xss: check(not any(len(xs) >= 3 and _decreasing(xs) for xs in xss)), lambda xss: xss == [[2, 1, 0]]),
    Problem("list_decreasing_somewhere_sum_over_50", st.lists(st.integers(0, 100)),
            lambda xs: check(not (any(a > b for a, b in zip(xs, xs[1:])) and sum(xs) > 50)), lambda xs: xs == [26, 25]),
]

def _overflows_int64(xs):
    total = 0
    for x in xs:
        total += x
        if not -2**63 <= total < 2**63:
            return True
    return False


def _two_words(s):
    return any(s[i] == " " and s[i - 1] != " " and s[i + 1] != " " for i in range(1, len(s) - 1))


# The eighteenth round's second probe: chains, sums that overflow or wrap, pairs in a
# list, four decreasing values, lengths, words, distinct values.
PROBLEMS += [
    Problem("list_last_is_sum_over_10", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and xs[-1] > 10 and xs[-1] == sum(xs[:-1]))), lambda xs: xs == [0, 11, 11]),
    Problem("pairs_three_first_greater", st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10))),
            lambda ps: check(len([p for p in ps if p[0] > p[1]]) < 3), lambda ps: ps == [(1, 0)] * 3),
    Problem("list_int64_sum_overflows", st.lists(st.integers(-2**63, 2**63 - 1)), lambda xs: check(not _overflows_int64(xs)),
            lambda xs: xs == [1, 2**63 - 1]),
    Problem("uint8_list_wraps_to_zero", st.lists(st.integers(0, 255)),
            lambda xs: check(not (len(xs) >= 2 and all(x != 0 for x in xs) and sum(xs) % 256 == 0)), lambda xs: xs == [1, 255]),
    Problem("tuple_of_four_decreasing", st.tuples(*[st.integers(0, 100)] * 4),
            lambda t: check(not (t[0] > t[1] > t[2] > t[3])), lambda t: t == (3, 2, 1, 0)),
    Problem("lists_lengths_decreasing", st.lists(st.lists(st.integers(0, 10))),
            lambda xss: check(not (len(xss) >= 3 and all(len(a) > len(b) for a, b in zip(xss, xss[1:])))),
            lambda xss: xss == [[0, 0], [0], []]),
    Problem("text_two_words", st.text(), lambda s: check(not _two_words(s)), lambda s: s == "0 0"),
    Problem("list_distinct_three_sum_over_30", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and len(set(xs)) == len(xs) and sum(xs) > 30)), lambda xs: xs == [0, 1, 30]),
]

# The nineteenth round's probe: equal values in two places.
_SMALL_PAIRS = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)))
PROBLEMS += [
    Problem("strings_pair_equal_len_3", st.tuples(st.text(), st.text()),
            lambda t: check(not (t[0] == t[1] and len(t[0]) >= 3)), lambda t: t == ("000", "000")),
    Problem("lists_pair_equal_len_2", st.tuples(st.lists(st.integers(0, 10)), st.lists(st.integers(0, 10))),
            lambda t: check(not (t[0] == t[1] and len(t[0]) >= 2)), lambda t: t == ([0, 0], [0, 0])),
    Problem("list_string_twice_len_2", st.lists(st.text()),
            lambda ss: check(not any(ss[i] == ss[j] and len(ss[i]) >= 2 for i in range(len(ss)) for j in range(i + 1, len(ss)))),
            lambda ss: ss == ["00", "00"]),
    Problem("int64_pair_equal_above_1000", st.tuples(I64, I64), lambda t: check(not (t[0] == t[1] and t[0] > 1000)),
            lambda t: t == (1001, 1001)),
    Problem("strings_first_equals_last", st.lists(st.text()),
            lambda ss: check(not (len(ss) >= 2 and ss[0] == ss[-1] and ss[0] != "")), lambda ss: ss == ["0", "0"]),
    Problem("pair_lists_of_pairs_equal", st.tuples(_SMALL_PAIRS, _SMALL_PAIRS),
            lambda t: check(not (len(t[0]) > 0 and t[0] == t[1])), lambda t: t == ([(0, 0)], [(0, 0)])),
    Problem("bytes_pair_equal_len_4", st.tuples(st.binary(max_size=16), st.binary(max_size=16)),
            lambda t: check(not (t[0] == t[1] and len(t[0]) >= 4)), lambda t: t == (bytes(4), bytes(4))),
]

# The twentieth round's probe (see thirteenthBatch in AllProblems.swift):
# state machines of the kinds allocator and data-structure tests are made of.
def counter_skips_4_machine(data):
    counter_machine(data, with_add=False)


def overdraft_machine(data):
    # An account that lets a balance of 50 or more go one below zero.
    def deposit(s, d):
        amount = d.draw(st.integers(0, 100))
        s["model"] += amount
        s["balance"] += amount
        return f"deposit(amount: {amount})"

    def withdraw(s, d):
        amount = d.draw(st.integers(0, 100))
        allowed = amount <= s["model"]
        if allowed:
            s["model"] -= amount
        limit = s["balance"] + 1 if s["balance"] >= 50 else s["balance"]
        went = amount <= limit
        if went:
            s["balance"] -= amount
        if went != allowed:
            s["line"] = f"withdraw(amount: {amount})"
            raise MachineFailure()
        return f"withdraw(amount: {amount})"

    run_machine(data, [("deposit", lambda s: True, deposit), ("withdraw", lambda s: True, withdraw)],
                lambda: {"model": 0, "balance": 0})


def set_remove_absent_machine(data):
    # A set whose count drops when a value it does not hold is removed.
    def insert(s, d):
        x = d.draw(st.integers(0, 9))
        s["model"].add(x)
        if x not in s["items"]:
            s["items"].add(x)
            s["count"] += 1
        return f"insert(x: {x})"

    def remove(s, d):
        x = d.draw(st.integers(0, 9))
        s["model"].discard(x)
        if x in s["items"] or s["count"] > 0:
            s["count"] -= 1
        s["items"].discard(x)
        return f"remove(x: {x})"

    def compare(s):
        if len(s["model"]) != s["count"]:
            raise MachineFailure()

    run_machine(data, [("insert", lambda s: True, insert), ("remove", lambda s: True, remove)],
                lambda: {"model": set(), "items": set(), "count": 0, "check": compare})


def _produce_block(s, address, size):
    # An allocation's result kept as the next variable, as Swift's `step.produce`.
    s["var"] += 1
    s["blocks"].append(f"v{s['var']}")
    s["addresses"].append(address)
    return f"v{s['var']} = alloc(size: {size})"


def _pick_block(s, d):
    # A live block's variable and address, removed, as Swift's `step.pick(..., remove: true)`.
    i = d.draw(st.integers(0, len(s["blocks"]) - 1))
    return s["blocks"].pop(i), s["addresses"].pop(i)


def double_push_machine(data):
    # A free-list allocator that pushes a freed block of more than 32 bytes twice.
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        if s["free_list"]:
            address = s["free_list"].pop()
        else:
            address = s["top"]
            s["top"] += 64
        s["sizes"][address] = size
        if address in s["live"]:
            s["line"] = f"alloc(size: {size})"
            raise MachineFailure()
        s["live"].add(address)
        return _produce_block(s, address, size)

    def free(s, d):
        block, address = _pick_block(s, d)
        s["live"].discard(address)
        s["free_list"].append(address)
        if s["sizes"].get(address, 0) > 32:
            s["free_list"].append(address)
        return f"free(block: {block})"

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["live"]) > 0, free)],
                lambda: {"free_list": [], "sizes": {}, "top": 0, "live": set(), "var": 0, "blocks": [], "addresses": []})


def stack_free_older_machine(data):
    # A stack allocator whose free of any block moves the top back to it.
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        address = s["top"]
        s["top"] += size
        if any(a < address + size and address < a + n for a, n in s["live"].items()):
            s["line"] = f"alloc(size: {size})"
            raise MachineFailure()
        s["live"][address] = size
        return _produce_block(s, address, size)

    def free(s, d):
        block, address = _pick_block(s, d)
        del s["live"][address]
        s["top"] = address
        return f"free(block: {block})"

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["live"]) > 0, free)],
                lambda: {"top": 0, "live": {}, "var": 0, "blocks": [], "addresses": []})


def lru_machine(data):
    # A two-entry least-recently-used cache whose get does not refresh the entry read.
    def put(s, d):
        key = d.draw(st.integers(0, 9))
        for keys in (s["model"], s["keys"]):
            if key in keys:
                keys.remove(key)
            keys.append(key)
            if len(keys) > 2:
                keys.pop(0)
        return f"put(key: {key})"

    def get(s, d):
        key = d.draw(st.integers(0, 9))
        if key in s["model"]:
            s["model"].remove(key)
            s["model"].append(key)
        if (key in s["keys"]) != (key in s["model"]):
            s["line"] = f"get(key: {key})"
            raise MachineFailure()
        return f"get(key: {key})"

    def compare(s):
        if set(s["model"]) != set(s["keys"]):
            raise MachineFailure()

    run_machine(data, [("put", lambda s: True, put), ("get", lambda s: True, get)],
                lambda: {"model": [], "keys": [], "check": compare})


PROBLEMS += [
    machine_problem("machine_counter_skips_4", counter_skips_4_machine,
                    ["increment()", "increment()", "increment()", "increment()"]),
    machine_problem("machine_overdraft_above_50", overdraft_machine, ["deposit(amount: 50)", "withdraw(amount: 51)"]),
    machine_problem("machine_set_remove_absent", set_remove_absent_machine, ["insert(x: 0)", "remove(x: 1)"]),
    machine_problem("machine_free_list_double_push", double_push_machine,
                    ["v1 = alloc(size: 33)", "free(block: v1)", "v2 = alloc(size: 1)", "alloc(size: 1)"]),
    machine_problem("machine_stack_free_older", stack_free_older_machine,
                    ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "free(block: v1)", "alloc(size: 2)"]),
    machine_problem("machine_lru_get_without_refresh", lru_machine,
                    ["put(key: 0)", "put(key: 1)", "get(key: 0)", "put(key: 2)"]),
    Problem("list_abab_pattern", st.lists(st.integers(0, 3)),
            lambda xs: check(not (len(xs) == 4 and xs[0] == xs[2] and xs[1] == xs[3] and xs[0] != xs[1])),
            lambda xs: xs == [0, 1, 0, 1]),
    Problem("pairs_key_with_two_values", st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3))),
            lambda ps: check(not any(ps[i][0] == ps[j][0] and ps[i][1] != ps[j][1]
                                     for i in range(len(ps)) for j in range(i + 1, len(ps)))),
            lambda ps: ps == [(0, 0), (0, 1)]),
]



def ring_machine(data):
    # A three-slot ring buffer that overwrites its oldest value when pushed into full.
    def push(s, d):
        x = d.draw(st.integers(0, 9))
        if len(s["model"]) < 3:
            s["model"].append(x)
        s["slots"][(s["head"] + s["count"]) % 3] = x
        if s["count"] < 3:
            s["count"] += 1
        return f"push(x: {x})"

    def pop(s, d):
        expected = s["model"].pop(0)
        got = s["slots"][s["head"]] if s["count"] > 0 else None
        if s["count"] > 0:
            s["head"] = (s["head"] + 1) % 3
            s["count"] -= 1
        if got != expected:
            s["line"] = "pop()"
            raise MachineFailure()
        return "pop()"

    run_machine(data, [("push", lambda s: True, push), ("pop", lambda s: len(s["model"]) > 0, pop)],
                lambda: {"model": [], "slots": [0, 0, 0], "head": 0, "count": 0})


def _length_prefixed_sum_fails(b):
    n = b[0] if b else 0
    return n >= 1 and len(b) >= 1 + n and sum(b[1:1 + n]) > 300


def _gcd(a, b):
    return a if b == 0 else _gcd(b, a % b)


PROBLEMS += [
    Problem("pair_signed_gap_over_100", st.tuples(I64, I64), lambda t: check(not (t[0] < 0 < t[1] and t[1] - t[0] > 100)),
            lambda t: t == (-1, 100)),
    Problem("pair_same_size_class", st.tuples(st.integers(0, 4096), st.integers(0, 4096)),
            lambda t: check(not (t[0] != t[1] and t[0] >= 64 and t[1] >= 64 and (t[0] + 7) // 8 == (t[1] + 7) // 8)),
            lambda t: t == (65, 66)),
    Problem("bytes_length_prefixed_sum_over_300", st.binary(max_size=32), lambda b: check(not _length_prefixed_sum_fails(b)),
            lambda b: b == bytes([2, 46, 255])),
    Problem("matrix_last_row_nonzero", st.integers(1, 5).flatmap(lambda c: st.lists(st.lists(I64, min_size=c, max_size=c))),
            lambda rows: check(not (len(rows) >= 2 and any(x != 0 for x in rows[-1]))), lambda rows: rows == [[0], [1]]),
    Problem("int_pair_common_divisor_over_10", st.tuples(st.integers(1, 1000), st.integers(1, 1000)),
            lambda t: check(_gcd(t[0], t[1]) <= 10), lambda t: t == (11, 11)),
    Problem("size_alignment_waste_100", st.tuples(st.integers(1, 4096), st.integers(0, 12)),
            lambda t: check(-(-t[0] // (1 << t[1])) * (1 << t[1]) - t[0] < 100), lambda t: t == (1, 7)),
    machine_problem("machine_ring_overwrites_oldest", ring_machine,
                    ["push(x: 0)", "push(x: 0)", "push(x: 0)", "push(x: 1)", "pop()"]),
]


def _adjacent_dedupe_keeps_duplicate(xs):
    kept = []
    for x in xs:
        if not kept or kept[-1] != x:
            kept.append(x)
    return len(set(kept)) != len(kept)


def _two_letter_substring_twice(s):
    pairs = [i for i in range(len(s) - 1) if s[i] != s[i + 1]]
    return any(j >= i + 2 and s[i:i + 2] == s[j:j + 2] for i in pairs for j in pairs)


def _none_then_sum_over_100(xs):
    nones = [i for i, x in enumerate(xs) if x is None]
    somes = [i for i, x in enumerate(xs) if x is not None]
    return bool(nones) and bool(somes) and nones[0] < somes[0] and sum(x for x in xs if x is not None) > 100


def _zero_sum_run(xs):
    total, was_nonzero = 0, False
    for x in xs:
        total += x
        if total != 0:
            was_nonzero = True
        if was_nonzero and total == 0:
            return True
    return False


def _int_or_text_fails(v):
    return v[1] >= 10 if v[0] == "int" else len(v[1]) >= 3


PROBLEMS += [
    Problem("list_duplicate_not_adjacent", st.lists(st.integers(0, 10)), lambda xs: check(not _adjacent_dedupe_keeps_duplicate(xs)),
            lambda xs: xs == [0, 1, 0]),
    Problem("dict_two_keys_one_bucket", st.dictionaries(st.integers(0, 1000), I64),
            lambda d: check(len({k % 16 for k in d}) == len(d)), lambda d: d == {0: 0, 16: 0}),
    Problem("text_two_letter_substring_twice", st.text(), lambda s: check(not _two_letter_substring_twice(s)),
            lambda s: s == "0101"),
    Problem("list_of_optionals_none_then_sum", st.lists(st.none() | st.integers(0, 100)),
            lambda xs: check(not _none_then_sum_over_100(xs)), lambda xs: xs == [None, 1, 100]),
    Problem("list_zero_sum_run", st.lists(st.integers(-10, 10)), lambda xs: check(not _zero_sum_run(xs)),
            lambda xs: xs == [1, -1]),
    Problem("list_and_index_above_50", st.tuples(st.lists(st.integers(0, 100)), st.integers(0, 10)),
            lambda t: check(not (t[1] < len(t[0]) and t[0][t[1]] > 50)), lambda t: t == ([51], 0)),
    Problem("strings_anagram_pair", st.tuples(st.text(), st.text()),
            lambda t: check(not (t[0] != t[1] and len(t[0]) >= 2 and sorted(t[0]) == sorted(t[1]))),
            lambda t: t == ("01", "10")),
    Problem("uint16_pair_xor_high_bit", st.tuples(st.integers(0, 65535), st.integers(0, 65535)),
            lambda t: check((t[0] ^ t[1]) < 0x8000), lambda t: t == (0, 32768)),
    Problem("flatmap_bool_int_or_text", st.booleans().flatmap(
                lambda b: st.integers(0, 1000).map(lambda x: ("int", x)) if b else st.text().map(lambda s: ("text", s))),
            lambda v: check(not _int_or_text_fails(v)), lambda v: v == ("text", "000")),
]


def uint8_counter_machine(data):
    # An 8-bit counter that wraps where it should count on.
    def add(s, d):
        n = d.draw(st.integers(0, 255))
        s["total"] += n
        s["value"] = (s["value"] + n) % 256
        if s["value"] != s["total"]:
            s["line"] = f"add(n: {n})"
            raise MachineFailure()
        return f"add(n: {n})"

    run_machine(data, [("add", lambda s: True, add)], lambda: {"total": 0, "value": 0})


def _checksum_holds(b):
    return len(b) >= 3 and b[0] != 0 and sum(b[:-1]) % 256 == b[-1]


def _two_strings_one_length(ss):
    lengths = [len(s) for s in ss if len(s) >= 2]
    return len(set(lengths)) != len(lengths)


PROBLEMS += [
    Problem("flatmap_range_width_over_100", st.integers(0, 1000).flatmap(lambda lo: st.integers(lo, lo + 500).map(lambda hi: (lo, hi))),
            lambda t: check(t[1] - t[0] <= 100), lambda t: t == (0, 101)),
    Problem("list_max_in_front_over_50", st.lists(st.integers(0, 100)),
            lambda xs: check(not (len(xs) >= 3 and xs[0] > 50 and xs[0] == max(xs))), lambda xs: xs == [51, 0, 0]),
    Problem("bytes_checksum_holds", st.binary(max_size=16), lambda b: check(not _checksum_holds(b)),
            lambda b: b == bytes([1, 0, 1])),
    Problem("set_three_strings", st.sets(st.text()), lambda ss: check(len(ss) < 3), lambda ss: ss == {"", "0", "1"}),
    Problem("unique_three_byte_strings", st.lists(st.binary(), unique=True), lambda a: check(len(a) < 3),
            lambda a: set(a) == {b"", b"\x00", b"\x01"}),
    Problem("set_two_strings_one_length", st.sets(st.text()), lambda ss: check(not _two_strings_one_length(ss)),
            lambda ss: ss == {"00", "01"}),
    machine_problem("machine_uint8_counter_wraps", uint8_counter_machine, ["add(n: 1)", "add(n: 255)"]),
    Problem("optional_pair_first_greater", st.tuples(st.none() | st.integers(0, 100), st.none() | st.integers(0, 100)),
            lambda t: check(not (t[0] is not None and t[1] is not None and t[0] > t[1])), lambda t: t == (1, 0)),
]


def _second_record_over_100(b):
    records, position = [], 0
    while position < len(b):
        n = b[position]
        records.append(b[position + 1:position + 1 + n])
        position += 1 + n
    return len(records) >= 2 and sum(records[1]) > 100


def leaking_allocator_machine(data):
    # An allocator whose free of a block over 16 bytes forgets to count it as returned.
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        address = s["next"]
        s["next"] += 64
        s["in_use"] += size
        s["live"][address] = size
        return _produce_block(s, address, size)

    def free(s, d):
        block, address = _pick_block(s, d)
        size = s["live"].pop(address)
        if size <= 16:
            s["in_use"] -= size
        return f"free(block: {block})"

    def compare(s):
        if s["in_use"] != sum(s["live"].values()):
            raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["live"]) > 0, free)],
                lambda: {"next": 0, "in_use": 0, "live": {}, "var": 0, "blocks": [], "addresses": [], "check": compare})


def _xor_all(xs):
    total = 0
    for x in xs:
        total ^= x
    return total


PROBLEMS += [
    Problem("bytes_second_record_over_100", st.binary(max_size=32), lambda b: check(not _second_record_over_100(b)),
            lambda b: b == bytes([0, 1, 101])),
    Problem("pair_sum_exactly_100", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(t[0] + t[1] != 100), lambda t: t == (0, 100)),
    machine_problem("machine_allocator_leaks_large", leaking_allocator_machine, ["v1 = alloc(size: 17)", "free(block: v1)"]),
    Problem("uint32_list_xor_to_zero", st.lists(st.integers(0, 2**32 - 1)),
            lambda xs: check(not (len(xs) >= 2 and 0 not in xs and _xor_all(xs) == 0)), lambda xs: xs == [1, 1]),
]


def bump_allocator_machine(data):
    # A bump allocator whose free rolls the top back by the block's size
    # whichever block is freed (only the latest block may roll it back).
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        address = s["top"]
        s["top"] += size
        s["live"].append((address, size))
        return _produce_block(s, address, size)

    def free(s, d):
        block, address = _pick_block(s, d)
        i = next(i for i, b in enumerate(s["live"]) if b[0] == address)
        s["top"] -= s["live"].pop(i)[1]
        return f"free(block: {block})"

    def no_overlap(s):
        blocks = sorted(s["live"])
        if any(a[0] + a[1] > b[0] for a, b in zip(blocks, blocks[1:])):
            raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["live"]) > 0, free)],
                lambda: {"top": 0, "live": [], "var": 0, "blocks": [], "addresses": [], "check": no_overlap})


def _thrice_and_another_twice(xs):
    counts = collections.Counter(xs)
    return any(c >= 3 and any(k != t and n >= 2 for k, n in counts.items()) for t, c in counts.items())


def _two_bits_33_apart(x):
    return bin(x).count("1") == 2 and x.bit_length() - 1 - ((x & -x).bit_length() - 1) >= 33


PROBLEMS += [
    Problem("uint64_two_bits_33_apart", st.integers(0, 2**64 - 1), lambda x: check(not _two_bits_33_apart(x)),
            lambda x: x == 2**33 + 1),
    Problem("uint32_flags_5_and_9", st.integers(0, 2**32 - 1), lambda x: check(x & 0x220 != 0x220), lambda x: x == 0x220),
    Problem("uint64_three_bits_in_top_byte", st.integers(0, 2**64 - 1), lambda x: check(bin(x >> 56).count("1") < 3),
            lambda x: x == 0x0700_0000_0000_0000),
    Problem("text_utf8_three_bytes_more", st.text(), lambda s: check(len(s.encode()) < len(s) + 3),
            lambda s: s == "\U00010000"),
    Problem("dict_of_lists_total_5", st.dictionaries(st.integers(0, 100), st.lists(I64)),
            lambda d: check(sum(map(len, d.values())) < 5), lambda d: d == {0: [0, 0, 0, 0, 0]}),
    machine_problem("machine_bump_free_rolls_back", bump_allocator_machine,
                    ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "free(block: v1)", "v3 = alloc(size: 1)"]),
    Problem("int_pair_divides_over_100", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(not (t[0] >= 2 and t[1] > 100 and t[1] != t[0] and t[1] % t[0] == 0)),
            lambda t: t == (2, 102)),
    Problem("optional_list_len_3", st.none() | st.lists(I64), lambda x: check(len(x or []) < 3),
            lambda x: x == [0, 0, 0]),
    Problem("list_alternating_signs_len_4", st.lists(I64),
            lambda xs: check(not (len(xs) >= 4 and all(a * b < 0 for a, b in zip(xs, xs[1:])))),
            lambda xs: xs == [1, -1, 1, -1]),
    Problem("list_value_thrice_another_twice", st.lists(I64), lambda xs: check(not _thrice_and_another_twice(xs)),
            lambda xs: xs == [0, 0, 0, 1, 1]),
    Problem("dict_uint32_keys_same_low_nibble", st.dictionaries(st.integers(0, 2**32 - 1), I64),
            lambda d: check(len({k & 15 for k in d}) == len(d)), lambda d: d == {0: 0, 16: 0}),
    Problem("float_plus_one_unchanged", st.floats(allow_nan=False, allow_infinity=False), lambda x: check(x + 1 != x),
            lambda x: x == 9007199254740992.0),
    Problem("float_at_least_1e17", st.floats(allow_nan=False), lambda x: check(not (x >= 1e17)), lambda x: x == 1e17),
    Problem("bytes_invalid_utf8", st.binary(max_size=16), lambda b: check(_valid_utf8(b)), lambda b: b == bytes([128])),
    Problem("bytes_be16_exceeds_length", st.binary(max_size=16),
            lambda b: check(not (len(b) >= 2 and (b[0] << 8 | b[1]) > len(b))), lambda b: b == bytes([0, 3])),
    Problem("list_uint8_pair_or_all_ones", st.lists(st.integers(0, 255)),
            lambda xs: check(not any(xs[i] | xs[j] == 255 for i in range(len(xs)) for j in range(i + 1, len(xs)))),
            lambda xs: xs == [0, 255]),
    Problem("sizes_rounded_to_pages_over_3", st.lists(st.integers(1, 4096)),
            lambda xs: check(sum((x + 4095) // 4096 for x in xs) <= 3), lambda xs: xs == [1, 1, 1, 1]),
    Problem("lists_each_sorted_flat_unsorted", st.lists(st.lists(I64)),
            lambda xss: check(not (all(xs == sorted(xs) for xs in xss) and sum(xss, []) != sorted(sum(xss, [])))),
            lambda xss: xss == [[0], [-1]]),
    Problem("uint16_list_popcount_10", st.lists(st.integers(0, 2**16 - 1)),
            lambda xs: check(sum(bin(x).count("1") for x in xs) < 10), lambda xs: xs == [1023]),
    Problem("list_capped_sum_1000", st.lists(st.integers(0, 100)), lambda xs: check(sum(xs) < 1000),
            lambda xs: xs == [100] * 10),
    Problem("int32_pair_product_overflows", st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1)),
            lambda t: check(-(2**31) <= t[0] * t[1] <= 2**31 - 1), lambda t: t == (-1, -(2**31))),
    Problem("dict_string_key_len3_value_over_10", st.dictionaries(st.text(), st.integers(0, 1000)),
            lambda d: check(not any(len(k) >= 3 and v > 10 for k, v in d.items())), lambda d: d == {"000": 11}),
    Problem("bytes_le16_words_sum_over_255", st.binary(max_size=32),
            lambda b: check(sum(b[i] | b[i + 1] << 8 for i in range(0, len(b) - 1, 2)) <= 255),
            lambda b: b == bytes([0, 1])),
]


def _valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False

# The nineteenth batch (Benchmarks/Sources/ShrinkQuality/NineteenthBatch.swift).

def _b19_trace(ops):
    for i, op in enumerate(ops):
        if op[0] == "alloc" and op[1] > 4096 and sum(1 for o in ops[i + 1:] if o[0] == "free") >= 2:
            raise Falsified()


def _b19_midpoint(t):
    lo, hi = t
    if lo > hi:
        return
    s = (lo + hi + 32768) % 65536 - 32768
    mid = -((-s) // 2) if s < 0 else s // 2   # Swift's / truncates toward zero
    check(lo <= mid <= hi)


def _b19_bsearch(a, x):
    lo, hi = 0, len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] == x:
            return mid
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def _b19_bsearch_first(t):
    a = sorted(t[0])
    if t[1] not in a:
        return
    check(_b19_bsearch(a, t[1]) == a.index(t[1]))


def _b19_selection_sort(xs):
    a = list(xs)
    for i in range(len(a)):
        m = i
        for j in range(i + 1, len(a)):
            if a[j][0] < a[m][0]:
                m = j
        a[i], a[m] = a[m], a[i]
    return a


def _b19_sort_stable(xs):
    check(_b19_selection_sort(xs) == sorted(xs, key=lambda r: r[0]))


def _b19_one_of_third(v):
    if v[0] == "blob":
        check(not (len(v[1]) >= 2 and v[1][1] != 0))


def _b19_max_size(c):
    size = c[1][0] if c is not None and c[1] is not None and c[1][0] is not None else 0
    check(size <= 4096)


def _b19_wraps_near_zero(xs):
    total = sum(xs)
    check(not (total > 65535 and total % 65536 < 100))


def double_sync_machine(data):
    # A log whose second sync in a row (reads between do not count) un-syncs the last entry.
    def append(s, d):
        x = d.draw(st.integers(0, 9))
        s["entries"].append(x)
        s["last_sync"] = False
        s["count"] += 1
        return f"append(x: {x})"

    def sync(s, d):
        if s["last_sync"] and s["durable"] > 0:
            s["durable"] -= 1
        else:
            s["durable"] = len(s["entries"])
        s["last_sync"] = True
        s["synced"] = s["count"]
        return "sync()"

    def read(s, d):
        i = d.draw(st.integers(0, 9))
        return f"read(index: {i})"

    def compare(s):
        if s["synced"] != s["durable"]:
            raise MachineFailure()

    run_machine(data, [("append", lambda s: True, append), ("sync", lambda s: True, sync), ("read", lambda s: True, read)],
                lambda: {"entries": [], "durable": 0, "last_sync": False, "count": 0, "synced": 0, "check": compare})


PROBLEMS += [
    Problem("alloc_trace_big_then_two_frees",
            st.lists(st.one_of(st.integers(1, 8192).map(lambda n: ("alloc", n)), st.integers(0, 7).map(lambda i: ("free", i)))),
            _b19_trace, lambda ops: ops == [("alloc", 4097), ("free", 0), ("free", 0)]),
    Problem("record_size_times_count_u16",
            st.tuples(st.integers(0, 1000), st.integers(0, 65535), st.text(), st.integers(0, 1000), st.integers(0, 255)),
            lambda r: check(r[1] * r[3] <= 65535), lambda r: r == (0, 66, "", 993, 0)),
    Problem("pages_three_nonempty_total_8", st.lists(st.lists(st.integers(0, 100))),
            lambda pages: check(not (sum(1 for p in pages if p) >= 3 and sum(map(len, pages)) >= 8)),
            lambda pages: pages == [[0], [0], [0] * 6]),
    Problem("text_slash_at_index_3", st.text(), lambda s: check(not (len(s) >= 4 and s[3] == "/")),
            lambda s: s == "000/"),
    Problem("int16_midpoint_wraps", st.tuples(st.integers(-32768, 32767), st.integers(-32768, 32767)),
            _b19_midpoint, lambda t: t == (1, 32767)),
    Problem("bsearch_first_of_duplicates", st.tuples(st.lists(st.integers(0, 100)), st.integers(0, 100)),
            _b19_bsearch_first, lambda t: t == ([0, 0, 0], 0)),
    Problem("dict_quota_values_over_1000", st.dictionaries(st.integers(0, 100), st.integers(0, 1000)),
            lambda d: check(sum(d.values()) <= 1000), lambda d: d == {0: 1, 1: 1000}, show=show_dict),
    Problem("optional_chain_max_size",
            st.none() | st.tuples(st.booleans(), st.none() | st.tuples(st.none() | st.integers(0, 10000), st.integers(0, 100))),
            _b19_max_size, lambda c: c == (False, (4097, 0))),
    Problem("one_of_third_kind_blob",
            st.one_of(st.integers(0, 100).map(lambda x: ("small", x)), st.booleans().map(lambda b: ("flag", b)),
                      st.binary(max_size=64).map(lambda b: ("blob", b))),
            _b19_one_of_third, lambda v: v == ("blob", bytes([0, 1]))),
    Problem("flatmap_length_then_index",
            st.integers(1, 20).flatmap(lambda n: st.tuples(st.lists(st.integers(0, 100), min_size=n, max_size=n),
                                                           st.integers(0, n - 1))),
            lambda t: check(not (t[1] >= 2 and t[0][t[1]] > 50)), lambda t: t == ([0, 0, 51], 2)),
    machine_problem("machine_double_sync", double_sync_machine, ["append(x: 0)", "sync()", "sync()"]),
    Problem("float_tenth_times_ten", st.floats(allow_nan=False, allow_infinity=False),
            lambda x: check(x * 0.1 * 10 == x), lambda x: x == 3.0),
    Problem("selection_sort_unstable", st.lists(st.tuples(st.integers(0, 3), st.integers(0, 100))),
            _b19_sort_stable, lambda xs: xs == [(1, 0), (1, 1), (0, 0)]),
    Problem("uint16_total_wraps_near_zero", st.lists(st.integers(0, 40000)), _b19_wraps_near_zero,
            lambda xs: xs == [25536, 40000]),
]


# The twentieth batch (Benchmarks/Sources/ShrinkQuality/TwentiethBatch.swift).

def _b20_slot_class(n):
    c = 16
    while c < n:
        c *= 2
    return c


def _b20_realloc_trace(ops):
    # Slots of power-of-two classes (at least 16). A realloc to less than half
    # its slot should move the block to a smaller slot and release the old
    # one; this one relabels the slot as the smaller class and keeps it.
    system, free_slots, live = 0, collections.Counter(), []

    def take(c):
        nonlocal system
        if free_slots[c] > 0:
            free_slots[c] -= 1
        else:
            system += c

    for op in ops:
        if op[0] == "alloc":
            c = _b20_slot_class(op[1])
            take(c)
            live.append(c)
        elif op[0] == "realloc":
            i, c = op[1], _b20_slot_class(op[2])
            if i >= len(live):
                continue
            old = live[i]
            if c > old:
                free_slots[old] += 1
                take(c)
                live[i] = c
            elif c * 2 < old:
                live[i] = c
        else:
            if op[1] < len(live):
                free_slots[live.pop(op[1])] += 1
    for c in live:
        free_slots[c] += 1
    check(sum(c * k for c, k in free_slots.items()) == system)


def _b20_arena(ops):
    # An 8-page arena handing out naturally aligned runs of 2**order pages,
    # first fit. A request fails only when fewer pages than it needs are free.
    used = [False] * 8
    live = []
    for op in ops:
        if op[0] == "alloc":
            n = 1 << op[1]
            start = next((s for s in range(0, 8, n) if not any(used[s:s + n])), None)
            if start is None:
                check(used.count(False) < n)
                continue
            for p in range(start, start + n):
                used[p] = True
            live.append((start, n))
        elif op[1] < len(live):
            start, n = live.pop(op[1])
            for p in range(start, start + n):
                used[p] = False


def _b20_varints(b, max_bytes):
    out, i = [], 0
    while i < len(b):
        value, shift, k = 0, 0, 0
        while True:
            if i >= len(b) or k == max_bytes:
                return None
            byte = b[i]
            i += 1
            k += 1
            if k == 5 and byte > 0x0F:
                return None
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        out.append(value)
    return out


def _b20_heap_trace(ops):
    # A binary min-heap whose sift-down only looks at the left child.
    heap, model = [], []
    for op in ops:
        if op[0] == "push":
            heap.append(op[1])
            i = len(heap) - 1
            while i > 0 and heap[(i - 1) // 2] > heap[i]:
                heap[(i - 1) // 2], heap[i] = heap[i], heap[(i - 1) // 2]
                i = (i - 1) // 2
            model.append(op[1])
        elif heap:
            top = heap[0]
            heap[0] = heap[-1]
            heap.pop()
            i = 0
            while 2 * i + 1 < len(heap) and heap[2 * i + 1] < heap[i]:
                heap[2 * i + 1], heap[i] = heap[i], heap[2 * i + 1]
                i = 2 * i + 1
            m = min(model)
            model.remove(m)
            check(top == m)


def _b20_cover(intervals):
    return {p for s, e in intervals for p in range(s, e)}


def _b20_merge(xs):
    # Intervals (start, length) as [start, start + length); the merge sets the
    # end to the later interval's end instead of the larger of the two.
    merged = []
    for s, e in sorted((s, s + n) for s, n in xs):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    check(_b20_cover(merged) == _b20_cover((s, s + n) for s, n in xs))


def _b20_probing(ops):
    # Open addressing over 16 slots with linear probing; a delete empties its
    # slot instead of leaving a tombstone.
    slots = [None] * 16
    model = set()

    def find(k):
        for j in range(16):
            s = (k + j) % 16
            if slots[s] is None:
                return None
            if slots[s] == k:
                return s
        return None

    for op, k in ops:
        if op == "insert":
            s = next(((k + j) % 16 for j in range(16) if slots[(k + j) % 16] is None), None)
            if find(k) is not None or s is None:
                continue
            slots[s] = k
            model.add(k)
        else:
            s = find(k)
            if s is not None:
                slots[s] = None
            model.discard(k)
    check(all(find(k) is not None for k in model))


def _b20_rle(bits):
    # A page bitmap's runs as (digit '1'...'9', bit) pairs, longer runs split;
    # the encoder's split lets a run reach 10, whose digit ':' the decoder rejects.
    b = [int(x) for x in bits]
    enc, i = [], 0
    while i < len(b):
        n = 1
        while i + n < len(b) and b[i + n] == b[i] and n <= 9:
            n += 1
        enc += [0x30 + n, b[i]]
        i += n
    dec = []
    for j in range(0, len(enc), 2):
        if not 0x31 <= enc[j] <= 0x39:
            dec = None
            break
        dec += [enc[j + 1]] * (enc[j] - 0x30)
    check(dec == list(b))


MATRICES = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda rc: st.lists(st.lists(st.integers(0, 30), min_size=rc[1], max_size=rc[1]), min_size=rc[0], max_size=rc[0]))


def _b20_block_sum(m):
    check(not any(m[i][j] + m[i][j + 1] + m[i + 1][j] + m[i + 1][j + 1] > 100
                  for i in range(len(m) - 1) for j in range(len(m[0]) - 1)))


def _b20_triangle(edges):
    es = set(edges)
    check(not any((b, c) in es and (c, a) in es for a, b in es for c in range(8) if len({a, b, c}) == 3))


def _b20_days_in_month(m, y):
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _b20_add_minutes(t):
    # The day carry rolls into the next month only past day 31, whatever the month.
    year, month, day, hour, minute, add = t
    if day > _b20_days_in_month(month, year):
        return
    total = minute + add
    h = hour + total // 60
    day += h // 24
    if day > 31:
        day -= _b20_days_in_month(month, year)
        month += 1
        if month > 12:
            month, year = 1, year + 1
    check(day <= _b20_days_in_month(month, year))


TOKEN_ALPHABET = "a1 +-*"


def _b20_tokens(s):
    # Operators are '+', '-', '*' and the doubled '++', '--', '**'; the
    # tokenizer joins an operator with any operator after it.
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == " ":
            i += 1
        elif c in "+-*":
            n = 2 if i + 1 < len(s) and s[i + 1] in "+-*" else 1
            out.append(s[i:i + n])
            i += n
        else:
            j = i
            while j < len(s) and s[j].isalnum():
                j += 1
            out.append(s[i:j])
            i = j
    return out


def _b20_tokenizer(s):
    check(all(t.isalnum() or t in ("+", "-", "*", "++", "--", "**") for t in _b20_tokens(s)))


def _b20_ones_complement(b, folds):
    s = sum(b)
    for _ in range(folds):
        s = (s & 0xFF) + (s >> 8)
    return ~s & 0xFF


def _b20_checksum(b):
    # The carry is folded back once; the reference folds until none is left.
    check(_b20_ones_complement(b, 1) == _b20_ones_complement(b, 3))


ENDPOINTS = st.none() | st.tuples(st.one_of(
    st.tuples(st.integers(0, 65535), st.booleans()).map(lambda t: ("tcp", t[0], t[1])),
    st.binary(max_size=64).map(lambda b: ("unix", b)),
    st.tuples(st.none() | st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)).map(lambda t: ("vsock", t[0], t[1])),
)).map(lambda t: t[0])   # the tuple keeps the one-of a choice of its own under the optional, as in Swift


def _b20_listener(t):
    enabled, ep = t
    check(not (enabled and ep is not None and ep[0] == "vsock" and ep[1] is not None and ep[1] >= 3 and ep[2] < 1024))


def _b20_sum_pair(t):
    a, b, c = t
    check(not (a > 0 and b > 0 and a + b == c and c > 100))


PROBLEMS += [
    Problem("realloc_shrink_below_half_slot",
            st.lists(st.one_of(st.integers(1, 256).map(lambda n: ("alloc", n)),
                               st.tuples(st.integers(0, 7), st.integers(1, 256)).map(lambda t: ("realloc", t[0], t[1])),
                               st.integers(0, 7).map(lambda i: ("free", i)))),
            _b20_realloc_trace, lambda ops: ops == [("alloc", 33), ("realloc", 0, 1)]),
    Problem("arena_8_pages_fragmented",
            st.lists(st.one_of(st.integers(0, 3).map(lambda k: ("alloc", k)), st.integers(0, 7).map(lambda i: ("free", i)))),
            _b20_arena, lambda ops: ops == [("alloc", 0), ("alloc", 1), ("alloc", 1), ("free", 0), ("alloc", 2)]),
    Problem("varint_u32_five_bytes_rejected", st.binary(max_size=64),
            lambda b: check(_b20_varints(b, 4) == _b20_varints(b, 5)), lambda b: b == bytes([0x80, 0x80, 0x80, 0x80, 0])),
    Problem("heap_sift_down_left_only",
            st.lists(st.one_of(st.integers(0, 100).map(lambda x: ("push", x)), st.just(("pop",)))),
            _b20_heap_trace, lambda ops: ops == [("push", 0), ("push", 1), ("push", 0), ("push", 1), ("pop",), ("pop",)]),
    Problem("interval_merge_keeps_later_end", st.lists(st.tuples(st.integers(0, 100), st.integers(1, 10))),
            _b20_merge, lambda xs: xs == [(0, 3), (1, 1)]),
    Problem("probing_delete_without_tombstone",
            st.lists(st.tuples(st.sampled_from(["insert", "delete"]), st.integers(0, 255))),
            _b20_probing, lambda ops: ops == [("insert", 0), ("insert", 16), ("delete", 0)]),
    Problem("rle_bitmap_run_of_ten", st.lists(st.booleans()), _b20_rle, lambda bits: bits == [False] * 10),
    Problem("matrix_2x2_block_over_100", MATRICES, _b20_block_sum, lambda m: m == [[11, 30], [30, 30]]),
    Problem("graph_directed_triangle", st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7))),
            _b20_triangle, lambda es: es == [(0, 1), (1, 2), (2, 0)]),
    Problem("date_add_minutes_day_overflow",
            st.tuples(st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 31), st.integers(0, 23), st.integers(0, 59),
                      st.integers(0, 10000)),
            _b20_add_minutes, lambda t: t == (2000, 2, 23, 1, 20, 10000)),
    Problem("tokenizer_two_operators", st.lists(st.sampled_from(TOKEN_ALPHABET)).map("".join),
            _b20_tokenizer, lambda s: s == "+-"),
    Problem("ones_complement_sum_single_fold", st.binary(max_size=64), _b20_checksum,
            lambda b: b == bytes([1, 255, 255])),
    Problem("listener_vsock_reserved_cid", st.tuples(st.booleans(), ENDPOINTS), _b20_listener,
            lambda t: t == (True, ("vsock", 3, 0))),
    Problem("int_triple_positive_sum_over_100", st.tuples(*[st.integers(-1000, 1000)] * 3), _b20_sum_pair,
            lambda t: t == (1, 100, 101)),
]


# The twenty-first batch (Benchmarks/Sources/ShrinkQuality/TwentyFirstBatch.swift).

def _b21_slab(ops):
    # Objects carved from a bump pointer, freed ones kept on a free list; a
    # free of the newest carved object both rolls the bump pointer back and
    # pushes the object on the free list. No two live objects may share an address.
    bump, free_list, live = 0, [], []
    for op in ops:
        if op[0] == "alloc":
            if free_list:
                addr = free_list.pop()
            else:
                addr = bump
                bump += 1
            check(addr not in live)
            live.append(addr)
        elif op[1] < len(live):
            addr = live.pop(op[1])
            if addr == bump - 1:
                bump -= 1
            free_list.append(addr)


_B21_M64 = (1 << 64) - 1


def _b21_bitmap(ops):
    # 128 pages in two 64-bit words, runs of 1...64 pages first fit; a free
    # clears its run with one mask on the run's first word, so the pages of a
    # run past bit 63 stay taken. After every block is freed no page is taken.
    words, live = [0, 0], []

    def taken(p):
        return (words[p // 64] >> (p % 64)) & 1 == 1

    def free(s, n):
        mask = _B21_M64 if n == 64 else (1 << n) - 1
        words[s // 64] &= ~(mask << (s % 64)) & _B21_M64

    for op in ops:
        if op[0] == "alloc":
            n = op[1]
            s = next((s for s in range(0, 129 - n) if not any(taken(p) for p in range(s, s + n))), None)
            if s is None:
                continue
            for p in range(s, s + n):
                words[p // 64] |= 1 << (p % 64)
            live.append((s, n))
        elif op[1] < len(live):
            free(*live.pop(op[1]))
    for s, n in live:
        free(s, n)
    check(words == [0, 0])


def _b21_ring(ops):
    # A ring of four slots; a read of k values that runs past the last slot
    # goes on at slot 1 instead of slot 0. Reads must give the oldest values.
    buf, head, count, model = [0] * 4, 0, 0, []
    for op in ops:
        if op[0] == "push":
            if count == 4:
                continue
            buf[(head + count) % 4] = op[1]
            count += 1
            model.append(op[1])
        else:
            n = min(op[1], count)
            out = []
            for j in range(n):
                i = head + j
                if i >= 4:
                    i -= 3
                out.append(buf[i])
            head, count = (head + n) % 4, count - n
            check(out == model[:n])
            del model[:n]


def _b21_escape(s):
    # Backslash becomes two backslashes and a comma backslash-c; the
    # unescaper replaces the pairs one kind at a time, backslashes first.
    escaped = s.replace("\\", "\\\\").replace(",", "\\c")
    check(escaped.replace("\\\\", "\\").replace("\\c", ",") == s)


def _b21_lru(ops):
    # A three-entry LRU cache whose get moves a hit to the newest place
    # unless it is the oldest entry. Every get must hit exactly when a true LRU hits.
    keys, model = [], []
    for op, k in ops:
        if op == "put":
            for ks in (keys, model):
                if k in ks:
                    ks.remove(k)
                ks.append(k)
                if len(ks) > 3:
                    del ks[0]
        else:
            hit = k in keys
            if hit and keys.index(k) > 0:
                keys.remove(k)
                keys.append(k)
            expected = k in model
            if expected:
                model.remove(k)
                model.append(k)
            check(hit == expected)


def _b21_union_find(pairs):
    # Union by size over 8 elements that links the element it was given, not
    # its root, under the other root. Connectivity must match the unions made.
    parent, size, label = list(range(8)), [1] * 8, list(range(8))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            if size[ra] >= size[rb]:
                parent[b] = ra
                size[ra] += size[rb]
            else:
                parent[a] = rb
                size[rb] += size[ra]
        la, lb = label[a], label[b]
        label = [la if x == lb else x for x in label]
    check(all((find(i) == find(j)) == (label[i] == label[j]) for i in range(8) for j in range(8)))


def _b21_brackets(s):
    # A matcher that counts each kind of bracket instead of keeping a stack.
    depth = {"(": 0, "[": 0}
    counted = True
    for c in s:
        if c in "([":
            depth[c] += 1
        else:
            k = "(" if c == ")" else "["
            depth[k] -= 1
            if depth[k] < 0:
                counted = False
                break
    counted = counted and depth["("] == 0 and depth["["] == 0
    stack, stacked = [], True
    for c in s:
        if c in "([":
            stack.append(c)
        elif not stack or stack.pop() != ("(" if c == ")" else "["):
            stacked = False
            break
    stacked = stacked and not stack
    check(counted == stacked)


def _b21_csv_split(line):
    fields, cur, quoted, i = [], "", False, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    cur += '"'
                    i += 1
                else:
                    quoted = False
            else:
                cur += c
        elif c == '"':
            quoted = True
        elif c == ",":
            fields.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    fields.append(cur)
    return fields


def _b21_csv(fields):
    # Fields with a comma or a quote are quoted, but quotes inside are not
    # doubled; the splitter reads a doubled quote as a quote and a quote
    # outside quotes as an opening one. Splitting must give the fields back.
    line = ",".join('"' + f + '"' if "," in f or '"' in f else f for f in fields)
    check(_b21_csv_split(line) == fields)


def _b21_parse_u16(s):
    # Decimal digits into 16 bits, wrapping; an overflow is caught only when
    # the new value is below the old one.
    if not s:
        return None
    v = 0
    for c in s:
        new = (v * 10 + int(c)) & 0xFFFF
        if new < v:
            return None
        v = new
    return v


def _b21_parse(s):
    check(_b21_parse_u16(s) == (int(s) if s and int(s) <= 65535 else None))


def _b21_copy(t):
    # A copy within 8 bytes done forward byte by byte, as memcpy may, where
    # the ranges can overlap; it must give what memmove gives.
    mem, src, dst, n = t
    if src + n > 8 or dst + n > 8:
        return
    fwd = bytearray(mem)
    for k in range(n):
        fwd[dst + k] = fwd[src + k]
    ref = bytearray(mem)
    ref[dst:dst + n] = mem[src:src + n]
    check(fwd == ref)


def _b21_refcount(ops):
    # Reference counts kept in a 2-bit field; an object is freed when its
    # field reads 0. Ops go only to objects the model holds live, and after
    # every op the objects freed must be those whose count reached 0.
    field, model = [], []
    for op in ops:
        if op[0] == "new":
            field.append(1)
            model.append(1)
        else:
            i = op[1]
            if i >= len(model) or model[i] == 0:
                continue
            d = 1 if op[0] == "retain" else -1
            field[i] = (field[i] + d) & 3
            model[i] += d
        check(all((f != 0) == (m != 0) for f, m in zip(field, model)))


def _b21_rate_limit(gaps):
    # At most 3 requests in any 10 time units, limited by counting requests in
    # fixed windows t // 10. Requests arrive at the running sums of the gaps.
    t, window, n, accepted = 0, -1, 0, []
    for g in gaps:
        t += g
        if t // 10 != window:
            window, n = t // 10, 0
        if n < 3:
            n += 1
            accepted.append(t)
    check(all(sum(1 for u in accepted if t - 10 < u <= t) <= 3 for t in accepted))


def _b21_bst(ops):
    # A binary search tree whose delete of a node with two children moves the
    # successor's key up and unlinks the successor, dropping its right child.
    # The keys in order must be the keys inserted and not deleted.
    root, model = None, set()

    def inorder(n):
        return inorder(n[1]) + [n[0]] + inorder(n[2]) if n else []

    for op, k in ops:
        if op == "insert":
            model.add(k)
            if root is None:
                root = [k, None, None]
                continue
            n = root
            while n[0] != k:
                side = 1 if k < n[0] else 2
                if n[side] is None:
                    n[side] = [k, None, None]
                    break
                n = n[side]
        else:
            model.discard(k)
            parent, side, n = None, 0, root
            while n is not None and n[0] != k:
                parent, side = n, (1 if k < n[0] else 2)
                n = n[side]
            if n is None:
                continue
            if n[1] is not None and n[2] is not None:
                sp, ss, s = n, 2, n[2]
                while s[1] is not None:
                    sp, ss, s = s, 1, s[1]
                n[0] = s[0]
                sp[ss] = None
                continue
            child = n[1] if n[1] is not None else n[2]
            if parent is None:
                root = child
            else:
                parent[side] = child
    check(inorder(root) == sorted(model))


def _b21_reassembly(segments):
    # Stream segments (offset, length) arriving in any order: a segment at or
    # before the delivered point extends it, the rest wait; after an advance
    # only waiting segments starting exactly at the delivered point are taken,
    # not those starting before it. The delivered point must be where the
    # segments' cover from 0 first stops.
    delivered, pending, cover = 0, [], set()
    for o, n in segments:
        cover.update(range(o, o + n))
        if o > delivered:
            pending.append((o, n))
            continue
        delivered = max(delivered, o + n)
        while True:
            j = next((j for j, p in enumerate(pending) if p[0] == delivered), None)
            if j is None:
                break
            delivered = max(delivered, sum(pending.pop(j)))
    prefix = 0
    while prefix in cover:
        prefix += 1
    check(delivered == prefix)


PROBLEMS += [
    Problem("slab_free_newest_rolls_back_and_lists",
            st.lists(st.one_of(st.just(("alloc",)), st.integers(0, 7).map(lambda i: ("free", i)))),
            _b21_slab, lambda ops: ops == [("alloc",), ("free", 0), ("alloc",), ("alloc",)]),
    Problem("bitmap_free_run_across_word",
            st.lists(st.one_of(st.integers(1, 64).map(lambda n: ("alloc", n)), st.integers(0, 7).map(lambda i: ("free", i)))),
            _b21_bitmap, lambda ops: ops == [("alloc", 1), ("alloc", 64)]),
    Problem("ring_read_wraps_to_slot_1",
            st.lists(st.one_of(st.integers(0, 100).map(lambda x: ("push", x)), st.integers(1, 4).map(lambda k: ("pop", k)))),
            _b21_ring,
            lambda ops: ops == [("push", 0)] * 4 + [("pop", 1), ("push", 1), ("pop", 4)]),
    Problem("escape_unescape_backslashes_first", st.lists(st.sampled_from("abc,\\")).map("".join), _b21_escape,
            lambda s: s == "\\c"),
    Problem("lru3_hit_on_oldest_not_refreshed",
            st.lists(st.tuples(st.sampled_from(["put", "get"]), st.integers(0, 9))), _b21_lru,
            lambda ops: ops == [("put", 0), ("put", 1), ("put", 2), ("get", 0), ("put", 3), ("get", 0)]),
    Problem("union_find_links_node_not_root", st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7))),
            _b21_union_find, lambda ps: ps == [(0, 1), (2, 3), (0, 3)]),
    Problem("brackets_counted_not_stacked", st.lists(st.sampled_from("()[]")).map("".join), _b21_brackets,
            lambda s: s == "([)]"),
    Problem("csv_quotes_not_doubled",
            st.lists(st.lists(st.sampled_from('a,"')).map("".join), min_size=1, max_size=3), _b21_csv,
            lambda fs: fs == ['"', ""]),
    Problem("u16_parse_overflow_below_old", st.lists(st.sampled_from("0123456789")).map("".join), _b21_parse,
            lambda s: s == "72817"),
    Problem("memcpy_overlap_forward",
            st.tuples(st.binary(min_size=8, max_size=8), st.integers(0, 7), st.integers(0, 7), st.integers(0, 8)),
            _b21_copy, lambda t: t == (bytes([0, 0, 0, 0, 0, 0, 1, 0]), 0, 1, 7)),
    Problem("refcount_two_bit_field_wraps",
            st.lists(st.one_of(st.just(("new",)), st.integers(0, 3).map(lambda i: ("retain", i)),
                               st.integers(0, 3).map(lambda i: ("release", i)))),
            _b21_refcount, lambda ops: ops == [("new",), ("retain", 0), ("retain", 0), ("retain", 0)]),
    Problem("rate_limit_fixed_windows", st.lists(st.integers(0, 20)), _b21_rate_limit,
            lambda gs: gs == [1, 0, 0, 9]),
    Problem("bst_delete_drops_successor_child",
            st.lists(st.tuples(st.sampled_from(["insert", "delete"]), st.integers(0, 9))), _b21_bst,
            lambda ops: ops == [("insert", 1), ("insert", 0), ("insert", 2), ("insert", 3), ("delete", 1)]),
    Problem("reassembly_takes_exact_offsets_only", st.lists(st.tuples(st.integers(0, 15), st.integers(1, 8))),
            _b21_reassembly, lambda ss: ss == [(1, 2), (0, 2)]),
]


# The twenty-second batch (Benchmarks/Sources/ShrinkQuality/TwentySecondBatch.swift).

def _b22_floor_div(t):
    # Floor division from truncating division, fixed up only for a negative
    # dividend, as if the divisor were always positive.
    a, b = t
    if b == 0:
        return
    q = trunc_div(a, b)
    if a < 0 and a - q * b != 0:
        q -= 1
    check(q == a // b)


def _b22_rotate(t):
    # Rotating left by k in place by following one cycle from index 0
    # (right only when k and the length have no common factor).
    xs, k = t
    n = len(xs)
    if n == 0:
        return
    a = list(xs)
    k %= n
    if k:
        tmp, j = a[0], 0
        while True:
            d = (j + k) % n
            if d == 0:
                break
            a[j] = a[d]
            j = d
        a[j] = tmp
    check(a == xs[k:] + xs[:k])


def _b22_tombstones(ops):
    # Open addressing over 8 slots with linear probing and tombstones; an
    # insert takes the first tombstone it meets without looking further
    # along the chain for the key. The slots holding keys must be the model's.
    tomb = -1
    slots = [None] * 8
    model = set()
    for op, k in ops:
        if op == "insert":
            for j in range(8):
                s = (k + j) % 8
                if slots[s] is None or slots[s] == tomb:
                    slots[s] = k
                    model.add(k)
                    break
                if slots[s] == k:
                    break
        else:
            for j in range(8):
                s = (k + j) % 8
                if slots[s] is None:
                    break
                if slots[s] == k:
                    slots[s] = tomb
                    break
            model.discard(k)
        check(sorted(x for x in slots if x is not None and x != tomb) == sorted(model))


def _b22_coalesce(ops):
    # First fit over 16 units with a free list sorted by address; a free
    # merges with the block before it when that block's start plus the
    # freed block's length (not its own) reaches the freed block. Live
    # blocks must never overlap.
    free, live = [[0, 16]], []
    for op, x in ops:
        if op == "alloc":
            j = next((j for j, b in enumerate(free) if b[1] >= x), None)
            if j is None:
                continue
            start = free[j][0]
            free[j] = [start + x, free[j][1] - x]
            if free[j][1] == 0:
                free.pop(j)
            check(all(start + x <= s or s + n <= start for s, n in live))
            live.append((start, x))
        else:
            if x >= len(live):
                continue
            s, n = live.pop(x)
            j = next((j for j, b in enumerate(free) if b[0] > s), len(free))
            free.insert(j, [s, n])
            if j > 0 and free[j - 1][0] + n == s:
                free[j - 1][1] += n
                free.pop(j)
                j -= 1
            if j + 1 < len(free) and free[j][0] + free[j][1] == free[j + 1][0]:
                free[j][1] += free[j + 1][1]
                free.pop(j + 1)


def _b22_nanmin(xs):
    # The least value of a list, NaN skipped: the loop starts from the
    # first element and keeps a smaller one, so a NaN in front stays.
    if not xs:
        return
    m = xs[0]
    for x in xs[1:]:
        if x < m:
            m = x
    numbers = [x for x in xs if not math.isnan(x)]
    check(m == min(numbers) if numbers else math.isnan(m))


def _b22_token_bucket(ops):
    # A token bucket of 3 tokens, one more per time unit, refilled when a
    # take arrives; a full bucket skips the refill and also the update of
    # the last refill time. Every take must be allowed exactly when a
    # bucket that always refills allows it.
    now = 0
    tokens, last = 3, 0
    ref_tokens, ref_last = 3, 0
    for op, x in ops:
        if op == "wait":
            now += x
            continue
        if tokens < 3:
            tokens = min(3, tokens + now - last)
            last = now
        ref_tokens = min(3, ref_tokens + now - ref_last)
        ref_last = now
        allowed, ref_allowed = tokens >= x, ref_tokens >= x
        if allowed:
            tokens -= x
        if ref_allowed:
            ref_tokens -= x
        check(allowed == ref_allowed)


def _b22_json_text(v):
    return "[" + ",".join(_b22_json_text(x) for x in v) + "]" if isinstance(v, list) else str(v)


def _b22_json_depth(v):
    return 1 + max([_b22_json_depth(x) for x in v], default=0) if isinstance(v, list) else 0


def _b22_json_limit(v):
    # A decoder that refuses documents nested more than 3 deep counts every
    # "[" it reads instead of the open ones. It must accept exactly the
    # values at most 3 deep.
    seen = 0
    accepted = True
    for c in _b22_json_text(v):
        if c == "[":
            seen += 1
            if seen > 3:
                accepted = False
                break
    check(accepted == (_b22_json_depth(v) <= 3))


def _b22_pq(ops):
    # A binary min-heap of (priority, order of arrival) compared by
    # priority only; equal priorities must still pop in order of arrival.
    heap, model, n = [], [], 0
    for op in ops:
        if op[0] == "push":
            heap.append((op[1], n))
            model.append((op[1], n))
            n += 1
            i = len(heap) - 1
            while i > 0 and heap[i][0] < heap[(i - 1) // 2][0]:
                heap[i], heap[(i - 1) // 2] = heap[(i - 1) // 2], heap[i]
                i = (i - 1) // 2
        elif heap:
            top = heap[0]
            last = heap.pop()
            if heap:
                heap[0] = last
                i = 0
                while True:
                    c = 2 * i + 1
                    if c >= len(heap):
                        break
                    if c + 1 < len(heap) and heap[c + 1][0] < heap[c][0]:
                        c += 1
                    if heap[c][0] < heap[i][0]:
                        heap[i], heap[c] = heap[c], heap[i]
                        i = c
                    else:
                        break
            expected = min(model)
            model.remove(expected)
            check(top == expected)


def _b22_q8(t):
    # Q8 fixed-point product rounded as (a * b + 128) >> 8, which rounds a
    # negative half up; it must round halves away from zero.
    a, b = t
    p = a * b
    expected = (abs(p) + 128) >> 8
    if p < 0:
        expected = -expected
    check((p + 128) >> 8 == expected)


def _b22_sat_add(a, b, wrong):
    s = (a + b + 128) % 256 - 128
    if a > 0 and b > 0 and s < 0:
        return 127
    if a < 0 and b < 0 and (s > 0 if wrong else s >= 0):
        return -128
    return s


def _b22_sat_sum(xs):
    # An Int8 running total with saturating adds; the negative check sees
    # a wrapped sum above 0 but not at 0 (-128 + -128).
    acc, ref = 0, 0
    for x in xs:
        acc = _b22_sat_add(acc, x, True)
        ref = _b22_sat_add(ref, x, False)
        check(acc == ref)


def _b22_config(pairs):
    # key=value lines; a line starting with "[" and ending with "]" is a
    # section header. The keys read back must be the keys written, the last
    # value of each.
    text = "".join(f"{k}={v}\n" for k, v in pairs)
    read = {}
    for line in text.split("\n")[:-1]:
        if line.startswith("[") and line.endswith("]"):
            continue
        k, _, v = line.partition("=")
        read[k] = v
    check(read == dict(pairs))


def _b22_expr(t):
    # A recursive-descent evaluator of "a op b op c ..." that recurses on
    # the right, so "a - b + c" reads as a - (b + c).
    first, rest = t

    def right(x, i):
        if i == len(rest):
            return x
        op, y = rest[i]
        r = right(y, i + 1)
        return x + r if op == "+" else x - r

    left = first
    for op, y in rest:
        left = left + y if op == "+" else left - y
    check(right(first, 0) == left)


def _b22_buddy(ops):
    # A buddy allocator over 8 pages; a free looks for its buddy at
    # address + size instead of address ^ size, which is right only for a
    # left buddy. Every free block must stay aligned to its size.
    free = {0: [], 1: [], 2: [], 3: [0]}
    live = []
    for op, x in ops:
        if op == "alloc":
            k = next((k for k in range(x, 4) if free[k]), None)
            if k is None:
                continue
            addr = min(free[k])
            free[k].remove(addr)
            while k > x:
                k -= 1
                free[k].append(addr + (1 << k))
            live.append((addr, x))
        else:
            if x >= len(live):
                continue
            addr, k = live.pop(x)
            while k < 3 and addr + (1 << k) in free[k]:
                free[k].remove(addr + (1 << k))
                k += 1
            free[k].append(addr)
        check(all(a % (1 << k) == 0 for k in free for a in free[k]))


def _b22_deque_machine(data):
    # A ring-buffer deque of two slots that doubles when full; the growth
    # copies slots 0..count-1 instead of from the head.
    def grow(s):
        new = [0] * (2 * len(s["buf"]))
        for i in range(s["count"]):
            new[i] = s["buf"][i]
        s["buf"], s["head"] = new, 0

    def push_front(s, d):
        x = d.draw(st.integers(0, 9))
        if s["count"] == len(s["buf"]):
            grow(s)
        s["head"] = (s["head"] - 1) % len(s["buf"])
        s["buf"][s["head"]] = x
        s["count"] += 1
        s["model"].insert(0, x)
        return f"push_front(x: {x})"

    def push_back(s, d):
        x = d.draw(st.integers(0, 9))
        if s["count"] == len(s["buf"]):
            grow(s)
        s["buf"][(s["head"] + s["count"]) % len(s["buf"])] = x
        s["count"] += 1
        s["model"].append(x)
        return f"push_back(x: {x})"

    def pop_front(s, d):
        expected = s["model"].pop(0)
        got = s["buf"][s["head"]]
        s["head"] = (s["head"] + 1) % len(s["buf"])
        s["count"] -= 1
        if got != expected:
            s["line"] = "pop_front()"
            raise MachineFailure()
        return "pop_front()"

    def pop_back(s, d):
        expected = s["model"].pop()
        got = s["buf"][(s["head"] + s["count"] - 1) % len(s["buf"])]
        s["count"] -= 1
        if got != expected:
            s["line"] = "pop_back()"
            raise MachineFailure()
        return "pop_back()"

    nonempty = lambda s: len(s["model"]) > 0
    run_machine(data, [("push_front", lambda s: True, push_front), ("push_back", lambda s: True, push_back),
                       ("pop_front", nonempty, pop_front), ("pop_back", nonempty, pop_back)],
                lambda: {"buf": [0, 0], "head": 0, "count": 0, "model": []})


def _b22_json_values(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: at each level one of a
    # digit or a list of the next level, and only a digit at the last.
    digit = st.integers(0, 9)
    return digit if depth == 0 else st.one_of(digit, st.lists(_b22_json_values(depth - 1)))


def _b22_is_pos_zero(x):
    return x == 0 and math.copysign(1.0, x) > 0


def _b22_is_pos_nan(x):
    return math.isnan(x) and math.copysign(1.0, x) > 0


def _b22_alloc_or_free(sizes):
    return st.lists(st.one_of(st.integers(*sizes).map(lambda n: ("alloc", n)),
                              st.integers(0, 3).map(lambda i: ("free", i))))


PROBLEMS += [
    Problem("floor_div_fix_ignores_divisor_sign", st.tuples(st.integers(-100, 100), st.integers(-10, 10)),
            _b22_floor_div, lambda t: t == (1, -2)),
    Problem("rotate_one_cycle_common_factor", st.tuples(st.lists(st.integers(0, 9)), st.integers(0, 10)),
            _b22_rotate, lambda t: t == ([0, 0, 0, 1], 2)),
    Problem("tombstone_insert_duplicates_key",
            st.lists(st.tuples(st.sampled_from(["insert", "delete"]), st.integers(0, 15))), _b22_tombstones,
            lambda ops: ops == [("insert", 0), ("insert", 8), ("delete", 0), ("insert", 8)]),
    Problem("free_list_merge_wrong_length", _b22_alloc_or_free((1, 4)), _b22_coalesce,
            lambda ops: ops == [("alloc", 1), ("alloc", 1), ("alloc", 2), ("free", 0), ("free", 1), ("alloc", 2)]),
    Problem("nanmin_nan_in_front", st.lists(st.floats()), _b22_nanmin,
            lambda xs: len(xs) == 2 and _b22_is_pos_nan(xs[0]) and _b22_is_pos_zero(xs[1])),
    Problem("token_bucket_full_skips_clock",
            st.lists(st.one_of(st.integers(1, 4).map(lambda n: ("take", n)), st.integers(1, 10).map(lambda t: ("wait", t)))),
            _b22_token_bucket, lambda ops: ops == [("wait", 1), ("take", 1), ("take", 3)]),
    machine_problem("machine_deque_grow_ignores_head", _b22_deque_machine,
                    ["push_front(x: 0)", "push_back(x: 1)", "push_front(x: 0)", "pop_back()"]),
    Problem("json_depth_limit_counts_brackets", _b22_json_values(8), _b22_json_limit, lambda v: v == [[], [], []]),
    Problem("heap_equal_priorities_not_fifo",
            st.lists(st.one_of(st.integers(0, 3).map(lambda p: ("push", p)), st.just(("pop",)))), _b22_pq,
            lambda ops: ops == [("push", 0), ("push", 0), ("push", 0), ("pop",), ("pop",)]),
    Problem("q8_product_negative_half_rounds_up", st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)),
            _b22_q8, lambda t: t == (1, -128)),
    Problem("int8_saturating_sum_wraps_to_zero", st.lists(st.integers(-128, 127)), _b22_sat_sum,
            lambda xs: xs == [-128, -128]),
    Problem("config_line_read_as_section",
            st.lists(st.tuples(st.lists(st.sampled_from("a[")).map("".join), st.lists(st.sampled_from("a]")).map("".join))),
            _b22_config, lambda pairs: pairs == [("[", "]")]),
    Problem("expr_minus_parsed_right_assoc",
            st.tuples(st.integers(0, 9), st.lists(st.tuples(st.sampled_from(["+", "-"]), st.integers(0, 9)))),
            _b22_expr, lambda t: t == (0, [("-", 0), ("+", 1)])),
    Problem("buddy_free_looks_past_right_half", _b22_alloc_or_free((0, 2)), _b22_buddy,
            lambda ops: ops == [("alloc", 0)] * 4 + [("free", 2), ("free", 1)]),
]


# The twenty-third batch (Benchmarks/Sources/ShrinkQuality/TwentyThirdBatch.swift).

def _b23_utf8_decode(bs, first_lead):
    # Decoding one- to three-byte forms; a byte that starts no valid
    # sequence decodes as U+FFFD and the decoder goes on at the next byte.
    out, i = [], 0
    while i < len(bs):
        b = bs[i]
        cont = [x & 0xC0 == 0x80 for x in bs[i + 1:i + 3]]
        if b < 0x80:
            out.append(b)
            i += 1
        elif first_lead <= b < 0xE0 and cont[:1] == [True]:
            out.append((b & 0x1F) << 6 | bs[i + 1] & 0x3F)
            i += 2
        elif 0xE0 <= b < 0xF0 and cont == [True, True]:
            c = (b & 0x0F) << 12 | (bs[i + 1] & 0x3F) << 6 | bs[i + 2] & 0x3F
            if c < 0x800 or 0xD800 <= c < 0xE000:
                out.append(0xFFFD)
                i += 1
            else:
                out.append(c)
                i += 3
        else:
            out.append(0xFFFD)
            i += 1
    return out


def _b23_utf8(bs):
    # A decoder whose two-byte case accepts any lead from 0xC0, so the
    # overlong leads 0xC0 and 0xC1 pass; it must decode as one whose
    # two-byte leads start at 0xC2.
    check(_b23_utf8_decode(bs, 0xC0) == _b23_utf8_decode(bs, 0xC2))


_B23_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b23_base64(bs):
    # Base64 with padding; the decoder's table has "+" and "/" swapped.
    # Decoding the encoding must give the bytes back.
    text = ""
    for i in range(0, len(bs), 3):
        chunk = bs[i:i + 3]
        n = sum(b << (16 - 8 * j) for j, b in enumerate(chunk))
        sextets = [(n >> s) & 63 for s in (18, 12, 6, 0)][:len(chunk) + 1]
        text += "".join(_B23_B64[x] for x in sextets) + "=" * (3 - len(chunk))
    table = {c: i for i, c in enumerate(_B23_B64)}
    table["+"], table["/"] = 63, 62
    out = []
    for i in range(0, len(text), 4):
        quad = text[i:i + 4].rstrip("=")
        n = 0
        for j, c in enumerate(quad):
            n |= table[c] << (18 - 6 * j)
        out += [(n >> s) & 255 for s in (16, 8, 0)][:len(quad) - 1]
    check(out == bs)


def _b23_tlv(bs):
    # Records of a type byte, a length byte and that many value bytes; the
    # parser takes what is left when the length runs past the end. Whatever
    # it accepts must encode back to the same bytes.
    records, i = [], 0
    while i < len(bs):
        if i + 1 >= len(bs):
            return
        t, n = bs[i], bs[i + 1]
        records.append((t, bs[i + 2:i + 2 + n]))
        i += 2 + n
    check([b for t, v in records for b in [t, len(v)] + v] == bs)


def _b23_normalize(segments, buggy):
    out = []
    for s in segments:
        if s == ".":
            continue
        if s == ".." and out and (buggy or out[-1] != ".."):
            out.pop()
        else:
            out.append(s)
    return out


def _b23_path(segments):
    # Normalising a relative path; a ".." pops the segment before it even
    # when that is itself a "..".
    check(_b23_normalize(segments, True) == _b23_normalize(segments, False))


def _b23_network(t):
    # A sorting network for four values that lacks its last comparator (1, 2).
    a = list(t)
    for i, j in [(0, 1), (2, 3), (0, 2), (1, 3)]:
        if a[i] > a[j]:
            a[i], a[j] = a[j], a[i]
    check(a == sorted(t))


def _b23_group_by(xs):
    # Grouping by x // 3 into a dictionary, which merges groups that are not
    # adjacent; the groups must be the runs of equal keys, in order.
    groups = {}
    for x in xs:
        groups.setdefault(x // 3, []).append(x)
    runs = []
    for x in xs:
        if runs and runs[-1][0] // 3 == x // 3:
            runs[-1].append(x)
        else:
            runs.append([x])
    check(list(groups.values()) == runs)


def _b23_avl_height(t):
    return t[3] if t else 0


def _b23_avl_node(l, k, r):
    return (l, k, r, 1 + max(_b23_avl_height(l), _b23_avl_height(r)))


def _b23_avl_rot_right(t):
    l, k, r, _ = t
    return _b23_avl_node(l[0], l[1], _b23_avl_node(l[2], k, r))


def _b23_avl_rot_left(t):
    l, k, r, _ = t
    return _b23_avl_node(_b23_avl_node(l, k, r[0]), r[1], r[2])


def _b23_avl_insert(t, x):
    # An AVL insert whose left-right case rotates once, as the left-left case does.
    if t is None:
        return _b23_avl_node(None, x, None)
    l, k, r, _ = t
    if x == k:
        return t
    if x < k:
        t = _b23_avl_node(_b23_avl_insert(l, x), k, r)
    else:
        t = _b23_avl_node(l, k, _b23_avl_insert(r, x))
    l, k, r, _ = t
    if _b23_avl_height(l) > _b23_avl_height(r) + 1:
        return _b23_avl_rot_right(t)
    if _b23_avl_height(r) > _b23_avl_height(l) + 1:
        if x < r[1]:
            t = _b23_avl_node(l, k, _b23_avl_rot_right(r))
        return _b23_avl_rot_left(t)
    return t


def _b23_avl_balanced(t):
    if t is None:
        return True
    l, _, r, _ = t
    return abs(_b23_avl_height(l) - _b23_avl_height(r)) <= 1 and _b23_avl_balanced(l) and _b23_avl_balanced(r)


def _b23_avl(xs):
    # Every node of the tree after the inserts must stay balanced.
    t = None
    for x in xs:
        t = _b23_avl_insert(t, x)
        check(_b23_avl_balanced(t))


def _b23_bitset(t):
    # A 128-bit set in two 64-bit words; next_set_bit(from) scans the next
    # word from the same bit offset instead of from bit 0.
    bits, start = t
    words = [0, 0]
    for b in bits:
        words[b >> 6] |= 1 << (b & 63)
    got = None
    for w in range(start >> 6, 2):
        for i in range(start & 63, 64):
            if words[w] >> i & 1:
                got = 64 * w + i
                break
        if got is not None:
            break
    check(got == min((b for b in bits if b >= start), default=None))


def _b23_slab(sizes):
    # Slabs of 8, 16, 32 and 64 bytes; the class is 8 << floor(log2(ceil(size / 8))),
    # which rounds down for 17 to 24 bytes and 33 to 56. Blocks, each
    # allocated at the next slot of its class's slab, must not overlap.
    used = {}
    live = []
    for size in sizes:
        units = (size + 7) // 8
        cls = 8 << (units.bit_length() - 1)
        start = 1000 * cls + cls * used.get(cls, 0)
        used[cls] = used.get(cls, 0) + 1
        check(all(start + size <= s or s + n <= start for s, n in live))
        live.append((start, size))


def _b23_circular_log(xs):
    # A circular log of four entries read from slot 0 instead of from its
    # oldest entry; after every append it must read the last four in order.
    buf, head, count = [0] * 4, 0, 0
    for i, x in enumerate(xs):
        buf[(head + count) % 4] = x
        if count == 4:
            head = (head + 1) % 4
        else:
            count += 1
        check(buf[:count] == xs[max(0, i - 3):i + 1])


def _b23_parse_int(s):
    # Integers written as -?(0|[1-9][0-9]*); the parser checks for a leading
    # zero before it takes the sign off, so "-00" and "-01" pass. It must
    # accept exactly those strings.
    digits = s[1:] if s.startswith("-") else s
    ok = digits != "" and all(c in "0123456789" for c in digits) and not (s.startswith("0") and len(s) > 1)
    ref = digits != "" and all(c in "0123456789" for c in digits) and not (digits.startswith("0") and len(digits) > 1)
    check(ok == ref)


def _b23_checked_mul(t):
    # An Int8 multiply whose overflow check looks only at operands of one
    # sign (a > 127 / b for two positives, a < 127 / b for two negatives).
    # It must report overflow exactly when the product leaves the Int8 range.
    a, b = t
    flagged = (a > 0 and b > 0 and a > trunc_div(127, b)) or (a < 0 and b < 0 and a < trunc_div(127, b))
    check(flagged == (not -128 <= a * b <= 127))


def _b23_rwlock_machine(data):
    # A reader-writer lock that records its readers as one flag, so the
    # first release of a read lock clears it while other readers still hold
    # the lock; a write must be granted exactly when nobody holds it.
    def try_read(s, d):
        if not s["writer"]:
            s["readers"] += 1
            s["has_readers"] = True
        return "try_read()"

    def try_write(s, d):
        granted = not s["writer"] and not s["has_readers"]
        if granted != (not s["writer"] and s["readers"] == 0):
            s["line"] = "try_write()"
            raise MachineFailure()
        if granted:
            s["writer"] = True
        return "try_write()"

    def release_read(s, d):
        s["readers"] -= 1
        s["has_readers"] = False
        return "release_read()"

    def release_write(s, d):
        s["writer"] = False
        return "release_write()"

    run_machine(data, [("try_read", lambda s: True, try_read), ("try_write", lambda s: True, try_write),
                       ("release_read", lambda s: s["readers"] > 0, release_read),
                       ("release_write", lambda s: s["writer"], release_write)],
                lambda: {"readers": 0, "has_readers": False, "writer": False})


def _b23_page_runs(ops):
    # First fit of a run of pages over a bitmap of 16; the scan does not
    # restart its count at a used page, so free pages on both sides of one
    # add up to a run. Live runs must never overlap.
    used = [False] * 16
    live = []
    for op, x in ops:
        if op == "alloc":
            start, run = None, 0
            for p in range(16):
                if not used[p]:
                    if run == 0:
                        start = p
                    run += 1
                    if run == x:
                        break
            if run < x:
                continue
            check(all(start + x <= s or s + n <= start for s, n in live))
            for p in range(start, start + x):
                used[p] = True
            live.append((start, x))
        else:
            if x >= len(live):
                continue
            s, n = live.pop(x)
            for p in range(s, s + n):
                used[p] = False


PROBLEMS += [
    Problem("utf8_decoder_accepts_overlong_lead", st.lists(st.integers(0x80, 0xFF)), _b23_utf8,
            lambda bs: bs == [192, 128]),
    Problem("base64_decode_swaps_plus_slash", st.lists(st.integers(0, 255)), _b23_base64, lambda bs: bs == [248]),
    Problem("tlv_length_past_end_truncates", st.lists(st.integers(0, 255)), _b23_tlv, lambda bs: bs == [0, 1]),
    Problem("path_dotdot_pops_dotdot", st.lists(st.sampled_from(["a", ".", ".."])), _b23_path,
            lambda segments: segments == ["..", ".."]),
    Problem("sorting_network_missing_middle_comparator", st.tuples(*[st.integers(0, 9)] * 4), _b23_network,
            lambda t: t == (0, 1, 0, 1)),
    Problem("group_by_merges_nonadjacent_runs", st.lists(st.integers(0, 9)), _b23_group_by, lambda xs: xs == [0, 3, 0]),
    Problem("avl_left_right_single_rotation", st.lists(st.integers(0, 9)), _b23_avl, lambda xs: xs == [2, 0, 1]),
    Problem("bitset_next_set_bit_skips_word_start", st.tuples(st.lists(st.integers(0, 127)), st.integers(0, 127)),
            _b23_bitset, lambda t: t == ([64], 1)),
    Problem("slab_size_class_rounds_down", st.lists(st.integers(1, 64)), _b23_slab, lambda xs: xs == [17, 9]),
    Problem("circular_log_reads_from_slot_zero", st.lists(st.integers(0, 9)), _b23_circular_log,
            lambda xs: xs == [0, 0, 0, 0, 1]),
    Problem("int_syntax_leading_zero_after_sign", st.lists(st.sampled_from("01-")).map("".join), _b23_parse_int,
            lambda s: s == "-00"),
    Problem("checked_mul_int8_skips_mixed_signs", st.tuples(st.integers(-128, 127), st.integers(-128, 127)),
            _b23_checked_mul, lambda t: t == (2, -65)),
    Problem("page_run_first_fit_counts_across_used", _b22_alloc_or_free((1, 4)), _b23_page_runs,
            lambda ops: ops == [("alloc", 1), ("alloc", 1), ("free", 0), ("alloc", 2)]),
    machine_problem("machine_rwlock_reader_flag", _b23_rwlock_machine,
                    ["try_read()", "try_read()", "release_read()", "try_write()"]),
]


# The twenty-fourth batch (Benchmarks/Sources/ShrinkQuality/TwentyFourthBatch.swift).

def _b24_sleb128_encode(x, check_sign):
    # Signed LEB128; `check_sign=False` stops as soon as what is left is 0 or
    # -1, without looking at bit 6 of the last byte, which the decoder takes
    # for the sign.
    out = []
    while True:
        byte = x & 0x7F
        x >>= 7
        if check_sign:
            done = (x == 0 and not byte & 0x40) or (x == -1 and byte & 0x40)
        else:
            done = x in (0, -1)
        if done:
            out.append(byte)
            return out
        out.append(byte | 0x80)


def _b24_sleb128(xs):
    # Int16 values through a signed LEB128 encoder that ignores the sign bit
    # of its last byte, and back through a correct decoder.
    bs = [b for x in xs for b in _b24_sleb128_encode(x, False)]
    out, i = [], 0
    while i < len(bs):
        result, shift = 0, 0
        while True:
            b = bs[i]
            i += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if b & 0x40:
            result -= 1 << shift
        out.append(result)
    check(out == xs)


def _b24_probe_grow(keys):
    # Open addressing with linear probing over 4 slots, doubled when an
    # insert would fill more than three quarters; the growth copies each key
    # to the same slot index instead of inserting it again. Every key
    # inserted must still be found.
    slots, count, inserted = [None] * 4, 0, []

    def find(k):
        n = len(slots)
        for j in range(n):
            s = slots[(k + j) % n]
            if s is None:
                return False
            if s == k:
                return True
        return False

    for k in keys:
        if not find(k):
            if 4 * (count + 1) > 3 * len(slots):
                slots = slots + [None] * len(slots)
            n = len(slots)
            for j in range(n):
                if slots[(k + j) % n] is None:
                    slots[(k + j) % n] = k
                    break
            count += 1
            inserted.append(k)
        check(all(find(x) for x in inserted))


def _b24_realloc(ops):
    # First fit over 16 units (alloc sizes 1-4, block indices 0-3, realloc to
    # 1-8); a realloc that grows a block does it in place when the unit just
    # past the block is free, without checking that the gap holds the new
    # size (otherwise it moves the block by first fit, or fails). Live blocks
    # must never overlap or pass the end.
    live = []

    def free_at(u, n):
        return u + n <= 16 and all(u + n <= a or a + m <= u for a, m in live)

    for op in ops:
        if op[0] == "alloc":
            s = next((s for s in range(16) if free_at(s, op[1])), None)
            if s is not None:
                live.append((s, op[1]))
        elif op[0] == "free":
            if op[1] < len(live):
                live.pop(op[1])
        else:
            i, n = op[1], op[2]
            if i >= len(live):
                continue
            s, m = live[i]
            if n <= m:
                live[i] = (s, n)
            elif free_at(s + m, 1):
                live[i] = (s, n)
            else:
                t = next((t for t in range(16) if free_at(t, n)), None)
                if t is not None:
                    live[i] = (t, n)
        check(all(a + m <= 16 for a, m in live))
        check(all(a + m <= b or b + k <= a for j, (a, m) in enumerate(live) for b, k in live[j + 1:]))


def _b24_fd_machine(data):
    # A descriptor table that remembers where to look for the next free
    # descriptor; a close sets that hint to the closed descriptor even when
    # it is above the hint. Every open must give the lowest free descriptor.
    def open_(s, d):
        fd = s["hint"]
        while fd in s["open"]:
            fd += 1
        s["open"].add(fd)
        s["hint"] = fd + 1
        lowest = min(set(range(len(s["model"]) + 1)) - s["model"])
        if fd != lowest:
            s["line"] = "open()"
            raise MachineFailure()
        s["model"].add(fd)
        return "open()"

    def close(s, d):
        fds = sorted(s["model"])
        fd = fds[d.draw(st.integers(0, len(fds) - 1))]
        s["open"].discard(fd)
        s["hint"] = fd
        s["model"].discard(fd)
        return f"close(fd: {fd})"

    run_machine(data, [("open", lambda s: True, open_), ("close", lambda s: len(s["model"]) > 0, close)],
                lambda: {"open": set(), "hint": 0, "model": set()})


def _b24_glob_no_backtrack(p, t):
    # Glob matching that takes a run of "*" up to the first place the next
    # pattern character occurs and never comes back to try a later one.
    i = j = 0
    while i < len(p):
        if p[i] == "*":
            while i < len(p) and p[i] == "*":
                i += 1
            if i == len(p):
                return True
            k = t.find(p[i], j)
            if k < 0:
                return False
            j = k
        elif j < len(t) and p[i] == t[j]:
            i += 1
            j += 1
        else:
            return False
    return j == len(t)


def _b24_glob_reference(p, t):
    # ok[j]: the pattern read so far matches t[:j].
    ok = [True] + [False] * len(t)
    for c in p:
        if c == "*":
            for j in range(1, len(t) + 1):
                ok[j] = ok[j] or ok[j - 1]
        else:
            ok = [False] + [ok[j] and t[j] == c for j in range(len(t))]
    return ok[len(t)]


def _b24_glob(t):
    p, text = t
    check(_b24_glob_no_backtrack(p, text) == _b24_glob_reference(p, text))


def _b24_trie(ops):
    # A trie whose delete, when the word's node has no children left, cuts
    # the root's whole branch for the word's first letter instead of only
    # the nodes no other word needs. The words it holds must be the set's.
    root = {"end": False, "kids": {}}
    model = set()
    for op, w in ops:
        if op == "insert":
            node = root
            for c in w:
                node = node["kids"].setdefault(c, {"end": False, "kids": {}})
            node["end"] = True
            model.add(w)
        else:
            node = root
            for c in w:
                node = node["kids"].get(c) if node is not None else None
            if node is not None and node["end"]:
                node["end"] = False
                if not node["kids"] and w:
                    del root["kids"][w[0]]
            model.discard(w)
        words = set()

        def walk(n, prefix):
            if n["end"]:
                words.add(prefix)
            for c, k in n["kids"].items():
                walk(k, prefix + c)

        walk(root, "")
        check(words == model)


def _b24_tlb(ops):
    # Pages 0-3 mapped to frames 0-7, looked up through a direct-mapped TLB
    # of two entries (page % 2); a map flushes the page's entry, an unmap
    # does not. Every access must give the page table's frame (None when
    # the page is not mapped).
    table, tlb = {}, [None, None]
    for op in ops:
        p = op[1]
        if op[0] == "map":
            table[p] = op[2]
            if tlb[p % 2] is not None and tlb[p % 2][0] == p:
                tlb[p % 2] = None
        elif op[0] == "unmap":
            table.pop(p, None)
        else:
            entry = tlb[p % 2]
            if entry is not None and entry[0] == p:
                got = entry[1]
            else:
                got = table.get(p)
                if got is not None:
                    tlb[p % 2] = (p, got)
            check(got == table.get(p))


def _b24_vma(regions):
    # Mappings (first page, pages, protection) over 16 pages; one that
    # overlaps a mapping or passes the end is refused. A new mapping merges
    # with the one ending where it starts when their protections agree, but
    # with the one starting where it ends whatever that one's protection.
    # Every page must keep the protection it was mapped with.
    vmas, model = [], {}
    for s, n, prot in regions:
        e = s + n
        if e > 16 or any(s < b and a < e for a, b, _ in vmas):
            continue
        for q in range(s, e):
            model[q] = prot
        lo, hi = s, e
        before = next((v for v in vmas if v[1] == s and v[2] == prot), None)
        after = next((v for v in vmas if v[0] == e), None)
        if before is not None:
            vmas.remove(before)
            lo = before[0]
        if after is not None:
            vmas.remove(after)
            hi = after[1]
        vmas.append((lo, hi, prot))
        check(all(model[q] == r for a, b, r in vmas for q in range(a, b)))


def _b24_seq12(t):
    # 12-bit sequence numbers (as in 802.11 frames) advanced by each gap;
    # "a comes before b" taken as a plain a < b instead of serial-number
    # arithmetic ((b - a) mod 4096 in 1...2047).
    s, gaps = t
    for d in gaps:
        n = (s + d) % 4096
        check((s < n) == (0 < (n - s) % 4096 < 2048))
        s = n


def _b24_replay(seqs):
    # An anti-replay window of 16 packets kept as a bitmap shifted at each
    # new highest sequence number; the shift count is taken mod 16, as x86
    # does with an oversized shift in C. A packet must be accepted exactly
    # when it is above the highest, or within the window and not seen.
    top, bits, seen = None, 0, set()
    for s in seqs:
        if top is None:
            ok = ref = True
            top, bits = s, 1
        else:
            ref = s > top or (top - s < 16 and s not in seen)
            if s > top:
                ok = True
                bits = ((bits << ((s - top) & 15)) | 1) & 0xFFFF
                top = s
            elif top - s < 16 and not bits >> (top - s) & 1:
                ok = True
                bits |= 1 << (top - s)
            else:
                ok = False
        check(ok == ref)
        if ref:
            seen.add(s)


def _b24_q8(xs):
    # Samples in [-1, 1] to 8.8 fixed point: truncating x * 256 must give
    # what rounding it to nearest (halves away from zero) gives.
    for x in xs:
        y = x * 256
        t = math.trunc(y)
        rounded = t + (1 if y > 0 else -1) * (abs(y - t) >= 0.5)
        check(t == rounded)


def _b24_septets(xs):
    # 7-bit values packed into 64-bit words; a value that straddles two
    # words keeps only its bits in the first. Unpacking must give them back.
    words = [0] * ((7 * len(xs) + 63) // 64)
    for i, v in enumerate(xs):
        w, off = divmod(7 * i, 64)
        words[w] |= (v << off) & (2**64 - 1)
    out = []
    for i in range(len(xs)):
        w, off = divmod(7 * i, 64)
        v = words[w] >> off
        if off > 57:
            v |= words[w + 1] << (64 - off)
        out.append(v & 0x7F)
    check(out == xs)


def _b24_pipe(ops):
    # A pipe buffer of 4 bytes; a write that fits (else it is refused) is
    # copied up to the end of the buffer and the rest to its start, but the
    # rest is taken from the start of the data instead of where the first
    # part stopped. The writer writes the bytes 1, 2, 3, ... in turn; every
    # read must give the next ones.
    buf, head, count, written, read = [0] * 4, 0, 0, 0, 0
    for op, n in ops:
        if op == "write":
            if n > 4 - count:
                continue
            data = [(written + 1 + j) % 256 for j in range(n)]
            written += n
            tail = (head + count) % 4
            first = min(n, 4 - tail)
            buf[tail:tail + first] = data[:first]
            buf[:n - first] = data[:n - first]
            count += n
        else:
            k = min(n, count)
            got = [buf[(head + j) % 4] for j in range(k)]
            head, count = (head + k) % 4, count - k
            check(got == [(read + 1 + j) % 256 for j in range(k)])
            read += k


def _b24_ropes(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: at each level a leaf
    # (a string over "ab") or a pair of the next level, and only a leaf at
    # the last. A pair is a node: its left part, then its right part.
    leaf = st.lists(st.sampled_from("ab")).map("".join)
    return leaf if depth == 0 else st.one_of(leaf, st.tuples(_b24_ropes(depth - 1), _b24_ropes(depth - 1)))


def _b24_rope_text(r):
    return r if isinstance(r, str) else _b24_rope_text(r[0]) + _b24_rope_text(r[1])


def _b24_leftmost_leaf(r):
    return r if isinstance(r, str) else _b24_leftmost_leaf(r[0])


def _b24_rope(r):
    # A rope's index that weighs a node's left part by the length of its
    # leftmost leaf instead of its whole text. Every index must give the
    # text's character.
    def char_at(r, i):
        if isinstance(r, str):
            return r[i] if i < len(r) else None
        w = len(_b24_leftmost_leaf(r[0]))
        return char_at(r[0], i) if i < w else char_at(r[1], i - w)

    text = _b24_rope_text(r)
    check(all(char_at(r, i) == text[i] for i in range(len(text))))


def _b24_is_q8_ideal(xs):
    return xs == [0.501953125]


PROBLEMS += [
    Problem("sleb128_encoder_ignores_sign_bit", st.lists(st.integers(-(2**15), 2**15 - 1)), _b24_sleb128,
            lambda xs: xs == [64]),
    Problem("hash_grow_copies_slots_in_place", st.lists(st.integers(0, 15)), _b24_probe_grow,
            lambda xs: xs == [0, 1, 4, 2]),
    Problem("realloc_grows_into_short_gap",
            st.lists(st.one_of(st.integers(1, 4).map(lambda n: ("alloc", n)),
                               st.tuples(st.integers(0, 3), st.integers(1, 8)).map(lambda t: ("realloc",) + t),
                               st.integers(0, 3).map(lambda i: ("free", i)))),
            _b24_realloc, lambda ops: ops == [("alloc", 2), ("alloc", 1), ("realloc", 0, 1), ("realloc", 0, 3)]),
    machine_problem("machine_fd_close_moves_hint_up", _b24_fd_machine,
                    ["open()", "open()", "close(fd: 0)", "close(fd: 1)", "open()"]),
    Problem("glob_star_never_backtracks",
            st.tuples(st.lists(st.sampled_from("ab*")).map("".join), st.lists(st.sampled_from("ab")).map("".join)),
            _b24_glob, lambda t: t == ("*a", "aa")),
    Problem("trie_delete_cuts_shared_branch",
            st.lists(st.tuples(st.sampled_from(["insert", "delete"]), st.lists(st.sampled_from("ab")).map("".join))),
            _b24_trie, lambda ops: ops == [("insert", "a"), ("insert", "aa"), ("delete", "aa")]),
    Problem("tlb_unmap_keeps_stale_entry",
            st.lists(st.one_of(st.tuples(st.integers(0, 3), st.integers(0, 7)).map(lambda t: ("map",) + t),
                               st.integers(0, 3).map(lambda p: ("unmap", p)),
                               st.integers(0, 3).map(lambda p: ("access", p)))),
            _b24_tlb, lambda ops: ops == [("map", 0, 0), ("access", 0), ("unmap", 0), ("access", 0)]),
    Problem("vma_merge_next_ignores_prot",
            st.lists(st.tuples(st.integers(0, 15), st.integers(1, 4), st.integers(0, 2))), _b24_vma,
            lambda rs: rs == [(1, 1, 0), (0, 1, 1)]),
    Problem("seq12_compared_without_wrap", st.tuples(st.integers(0, 4095), st.lists(st.integers(1, 100))),
            _b24_seq12, lambda t: t == (3996, [100])),
    Problem("replay_window_shift_count_masked", st.lists(st.integers(0, 63)), _b24_replay,
            lambda xs: xs == [0, 17, 16]),
    Problem("float_to_q8_truncates", st.lists(st.floats(-1, 1)), _b24_q8, _b24_is_q8_ideal),
    Problem("septet_pack_drops_straddling_bits", st.lists(st.integers(0, 127)), _b24_septets,
            lambda xs: xs == [0] * 9 + [2]),
    Problem("pipe_write_wrap_copies_from_start",
            st.lists(st.one_of(st.integers(1, 4).map(lambda n: ("write", n)), st.integers(1, 4).map(lambda n: ("read", n)))),
            _b24_pipe, lambda ops: ops == [("write", 1), ("read", 1), ("write", 4), ("read", 4)]),
    Problem("rope_index_weighs_leftmost_leaf", _b24_ropes(4), _b24_rope, lambda r: r == (("", "a"), "")),
]


# The twenty-fifth batch (Benchmarks/Sources/ShrinkQuality/TwentyFifthBatch.swift).

def _b25_page_table(vas):
    # A two-level page table over 16-bit addresses with 256-byte pages: the
    # top four bits index the first level and the next four the second, but
    # the second-level index is masked with 7 instead of 15. Each address's
    # page is mapped in turn to frame 1, 2, 3, ...; every address must then
    # translate through the frame its page was last mapped to.
    directory, model = {}, {}
    for i, va in enumerate(vas):
        directory.setdefault(va >> 12, {})[(va >> 8) & 0x7] = i + 1
        model[va >> 8] = i + 1
    for va in vas:
        frame = directory[va >> 12][(va >> 8) & 0x7]
        check((frame << 8 | va & 0xFF) == (model[va >> 8] << 8 | va & 0xFF))


def _b25_timer_wheel(ops):
    # A timer wheel of two levels of four slots: a timer due within 4 ticks
    # goes to the slot of its expiry in the first level, a later one to the
    # slot of its expiry // 4 in the second, which is moved down each time
    # the clock reaches a multiple of 4. The move places a timer by its delay
    # instead of its expiry. After the operations the clock runs 16 more
    # ticks; every timer must have fired exactly at its expiry.
    now, wheel0, wheel1, timers, fired = 0, [[] for _ in range(4)], [[] for _ in range(4)], [], {}

    def tick():
        nonlocal now
        now += 1
        if now % 4 == 0:
            slot, wheel1[now // 4 % 4] = wheel1[now // 4 % 4], []
            for t in slot:
                wheel0[timers[t][1] % 4].append(t)
        for t in wheel0[now % 4]:
            fired[t] = now
        wheel0[now % 4] = []

    for op, n in ops:
        if op == "add":
            timers.append((now + n, n))
            if n < 4:
                wheel0[(now + n) % 4].append(len(timers) - 1)
            else:
                wheel1[(now + n) // 4 % 4].append(len(timers) - 1)
        else:
            for _ in range(n):
                tick()
    for _ in range(16):
        tick()
    check(all(fired.get(t) == e for t, (e, _) in enumerate(timers)))


def _b25_bump(requests):
    # A bump allocator over a 64-byte arena, each request a size and an
    # alignment of 2**k bytes; it checks that the request fits before
    # rounding the top up to the alignment. Every block must be aligned,
    # within the arena and apart from the others.
    top, blocks = 0, []
    for size, k in requests:
        align = 1 << k
        if top + size > 64:
            continue
        start = (top + align - 1) & ~(align - 1)
        top = start + size
        check(start % align == 0 and start + size <= 64)
        check(not any(start < e and s < start + size for s, e in blocks))
        blocks.append((start, start + size))


def _b25_bit_reader(fields):
    # Fields (width 1-8 bits, value masked to the width) written most
    # significant bit first into bytes; the reader takes a field that
    # crosses into the next byte from that byte's low bits instead of its
    # high ones. Every field must read back.
    values = [v & ((1 << w) - 1) for w, v in fields]
    data, bit_count = [], 0
    for (w, _), v in zip(fields, values):
        for j in range(w):
            if bit_count % 8 == 0:
                data.append(0)
            data[bit_count // 8] |= ((v >> (w - 1 - j)) & 1) << (7 - bit_count % 8)
            bit_count += 1
    pos = 0
    for (w, _), v in zip(fields, values):
        byte, r = pos // 8, 8 - pos % 8
        if w <= r:
            got = (data[byte] >> (r - w)) & ((1 << w) - 1)
        else:
            rest = w - r
            got = (data[byte] & ((1 << r) - 1)) << rest | data[byte + 1] & ((1 << rest) - 1)
        check(got == v)
        pos += w


def _b25_lz77_decode(tokens, check_distance):
    # An LZ77 decoder: a literal byte, or a copy of `length` bytes from
    # `distance` back, one byte at a time so that a copy may overlap what it
    # writes. `check_distance=False` checks the length against the output so
    # far instead of the distance (reading zeros before the start), so it
    # turns down valid overlapping copies. None for a stream it rejects.
    out = []
    for t in tokens:
        if t[0] == "lit":
            out.append(t[1])
        else:
            d, n = t[1], t[2]
            if (d if check_distance else n) > len(out):
                return None
            for _ in range(n):
                out.append(out[len(out) - d] if d <= len(out) else 0)
    return out


def _b25_lz77(tokens):
    check(_b25_lz77_decode(tokens, False) == _b25_lz77_decode(tokens, True))


def _b25_zigzag32(xs):
    # Zigzag decoding of a 32-bit value with an arithmetic shift where a
    # logical one belongs.
    for n in xs:
        z = ((n << 1) ^ (n >> 31)) & 0xFFFFFFFF
        signed = z - (1 << 32) if z >= 1 << 31 else z
        check((signed >> 1) ^ -(z & 1) == n)


def _b25_hdlc_stuff(data):
    # HDLC bit stuffing, least significant bit first: after five 1 bits in
    # a row the sender puts in a 0. It counts the run of 1 bits afresh at
    # each byte, so a run across two bytes goes unstuffed.
    bits = []
    for b in data:
        ones = 0
        for j in range(8):
            bit = b >> j & 1
            bits.append(bit)
            ones = ones + 1 if bit else 0
            if ones == 5:
                bits.append(0)
                ones = 0
    return bits


def _b25_hdlc_unstuff(bits):
    # The receiver takes out the 0 after five 1 bits (six 1 bits are a flag
    # or an abort, not data). None when it rejects the bits.
    out, ones, i = [], 0, 0
    while i < len(bits):
        bit = bits[i]
        i += 1
        out.append(bit)
        ones = ones + 1 if bit else 0
        if ones == 5:
            if not (i < len(bits) and bits[i] == 0):
                return None
            i += 1
            ones = 0
    if len(out) % 8:
        return None
    return bytes(sum(out[k + j] << j for j in range(8)) for k in range(0, len(out), 8))


def _b25_hdlc(data):
    check(_b25_hdlc_unstuff(_b25_hdlc_stuff(data)) == data)


def _b25_mutex_machine(data):
    # A recursive mutex whose unlock lets go of the lock when the depth
    # falls to 1 instead of 0. A lock must be granted exactly when the mutex
    # is free or held by the thread.
    def lock(s, d):
        t = d.draw(st.integers(0, 3))
        granted = s["owner"] is None or s["owner"] == t
        if granted:
            s["owner"], s["depth"] = t, s["depth"] + 1
        expected = s["m_owner"] is None or s["m_owner"] == t
        if granted != expected:
            s["line"] = f"lock(thread: {t})"
            raise MachineFailure()
        if expected:
            s["m_owner"], s["m_depth"] = t, s["m_depth"] + 1
        return f"lock(thread: {t})"

    def unlock(s, d):
        o = s["m_owner"]
        if s["owner"] == o:
            s["depth"] -= 1
            if s["depth"] <= 1:
                s["owner"] = None
        s["m_depth"] -= 1
        if s["m_depth"] == 0:
            s["m_owner"] = None
        return "unlock()"

    run_machine(data, [("lock", lambda s: True, lock), ("unlock", lambda s: s["m_owner"] is not None, unlock)],
                lambda: {"owner": None, "depth": 0, "m_owner": None, "m_depth": 0})


def _b25_magazine(ops):
    # Objects 0-7 in a depot, handed out through a magazine of two: an alloc
    # refills an empty magazine with up to two objects from the depot's top,
    # a free into a full magazine first flushes half of it to the depot but
    # leaves the flushed object in the magazine too. No alloc may hand out
    # an object still live.
    depot, magazine, live = list(range(8)), [], []
    for op in ops:
        if op[0] == "alloc":
            if not magazine:
                k = min(2, len(depot))
                magazine = depot[len(depot) - k:]
                del depot[len(depot) - k:]
            if magazine:
                x = magazine.pop()
                check(x not in live)
                live.append(x)
        elif op[1] < len(live):
            x = live.pop(op[1])
            if len(magazine) == 2:
                depot += magazine[:1]
            magazine.append(x)


def _b25_huffman(lengths):
    # Canonical Huffman codes from code lengths (None for an unused symbol),
    # counting the unused symbols as codes of length 0, which pushes every
    # code up. For lengths that satisfy Kraft's inequality, every code must
    # fit its length and none be a prefix of another.
    used = [l for l in lengths if l is not None]
    if sum(1 << (7 - l) for l in used) > 1 << 7:
        return
    count = [0] * 8
    for l in lengths:
        count[l or 0] += 1
    nxt, code = [0] * 8, 0
    for bits in range(1, 8):
        code = (code + count[bits - 1]) << 1
        nxt[bits] = code
    codes = []
    for l in used:
        codes.append((nxt[l], l))
        nxt[l] += 1
    check(all(c < 1 << l for c, l in codes))
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            short, long = (a, b) if a[1] <= b[1] else (b, a)
            check(long[0] >> (long[1] - short[1]) != short[0])


def _b25_mark(edges):
    # Marking from object 0 over the edges (from, to) with a mark stack of
    # two entries; a push onto the full stack is dropped and the object left
    # unmarked, with no note of the overflow to rescan from. The marked
    # objects must be the reachable ones.
    kids = {}
    for f, t in edges:
        kids.setdefault(f, []).append(t)
    reachable, todo = {0}, [0]
    while todo:
        n = todo.pop()
        for k in kids.get(n, []):
            if k not in reachable:
                reachable.add(k)
                todo.append(k)
    marked, stack = {0}, [0]
    while stack:
        n = stack.pop()
        for k in kids.get(n, []):
            if k not in marked and len(stack) < 2:
                marked.add(k)
                stack.append(k)
    check(marked == reachable)


def _b25_bloom_bits(s):
    # Two bit indices of a key over "abc" for a Bloom filter of 16 bits.
    x = 0
    for c in s:
        x = (x * 31 + "abc".index(c) + 1) & 0xFFFF
    return x % 16, x // 16 % 16


def _b25_bloom(ops):
    # A Bloom filter whose remove (of a key it holds) clears the key's bits,
    # though other keys may share them. Every key held must still test
    # present after each operation.
    bits, model = [False] * 16, set()
    for op, s in ops:
        h1, h2 = _b25_bloom_bits(s)
        if op == "insert":
            bits[h1] = bits[h2] = True
            model.add(s)
        elif s in model:
            bits[h1] = bits[h2] = False
            model.discard(s)
        check(all(bits[_b25_bloom_bits(k)[0]] and bits[_b25_bloom_bits(k)[1]] for k in model))


def _b25_percent_decode(s, check_both):
    # Percent-decoding to bytes: "%" and two hex digits is the byte they
    # spell, anything else stands for itself. `check_both=False` checks only
    # the first digit and converts the second as if it were one.
    def is_hex(c):
        return c in "0123456789abcdefABCDEF"

    def hex_value(c):
        if c <= "9":
            return ord(c) - 48
        if c >= "a":
            return ord(c) - 97 + 10
        return ord(c) - 65 + 10

    out, i = [], 0
    while i < len(s):
        if s[i] == "%" and i + 2 < len(s) and is_hex(s[i + 1]) and (not check_both or is_hex(s[i + 2])):
            out.append((hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])) & 0xFF)
            i += 3
        else:
            out.append(ord(s[i]))
            i += 1
    return out


def _b25_percent(s):
    check(_b25_percent_decode(s, False) == _b25_percent_decode(s, True))


def _b25_preadv(t):
    # A positioned read over a list of buffers: whole buffers before the
    # offset are skipped, and the rest is copied from the offset on, but the
    # offset into a buffer is not reset to 0 after the first one read from.
    # It must give the concatenation from the offset on.
    offset, buffers = t
    k, out = offset, []
    for buf in buffers:
        if k >= len(buf):
            k -= len(buf)
            continue
        out += buf[k:]
    check(out == [b for buf in buffers for b in buf][offset:])


PROBLEMS += [
    Problem("page_table_l2_index_masked_short", st.lists(st.integers(0, 2**16 - 1)), _b25_page_table,
            lambda xs: xs == [0, 2048]),
    Problem("timer_wheel_cascades_by_delay",
            st.lists(st.one_of(st.integers(1, 15).map(lambda n: ("add", n)), st.integers(1, 4).map(lambda n: ("tick", n)))),
            _b25_timer_wheel, lambda ops: ops == [("tick", 1), ("add", 4)]),
    Problem("bump_arena_end_checked_before_align", st.lists(st.tuples(st.integers(1, 32), st.integers(0, 4))), _b25_bump,
            lambda rs: rs == [(1, 0), (17, 4), (17, 4)]),
    Problem("bit_reader_straddle_takes_low_bits", st.lists(st.tuples(st.integers(1, 8), st.integers(0, 255))),
            _b25_bit_reader, lambda fs: fs == [(1, 0), (8, 1)]),
    Problem("lz77_checks_length_for_distance",
            st.lists(st.one_of(st.integers(0, 255).map(lambda b: ("lit", b)),
                               st.tuples(st.integers(1, 8), st.integers(1, 8)).map(lambda t: ("copy",) + t))),
            _b25_lz77, lambda ts: ts == [("lit", 0), ("copy", 1, 2)]),
    Problem("zigzag32_decode_shifts_arithmetic", st.lists(st.integers(-(2**31), 2**31 - 1)), _b25_zigzag32,
            lambda xs: xs == [2**30]),
    Problem("hdlc_stuffing_run_reset_per_byte", st.binary(max_size=64), _b25_hdlc, lambda b: b == b"\x80\x0f",
            show=py_bytes),
    machine_problem("machine_recursive_mutex_unlocks_early", _b25_mutex_machine,
                    ["lock(thread: 0)", "lock(thread: 0)", "unlock()", "lock(thread: 1)"]),
    Problem("magazine_flush_keeps_copy",
            st.lists(st.one_of(st.just(("alloc",)), st.integers(0, 3).map(lambda i: ("free", i)))), _b25_magazine,
            lambda ops: ops == [("alloc",)] * 3 + [("free", 0)] * 2 + [("alloc",)] * 4),
    Problem("huffman_counts_unused_symbols", st.lists(st.none() | st.integers(1, 7)), _b25_huffman,
            lambda ls: ls == [None, 1]),
    Problem("mark_stack_drops_overflow", st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5))), _b25_mark,
            lambda es: es == [(0, 1), (0, 2), (0, 3)]),
    Problem("bloom_remove_clears_shared_bits",
            st.lists(st.tuples(st.sampled_from(["insert", "remove"]), st.lists(st.sampled_from("abc")).map("".join))),
            _b25_bloom, lambda ops: ops == [("insert", ""), ("insert", "a"), ("remove", "")]),
    Problem("percent_decode_checks_one_digit", st.lists(st.sampled_from("z%2F")).map("".join), _b25_percent,
            lambda s: s == "%2z"),
    Problem("preadv_offset_kept_past_first_buffer",
            st.tuples(st.integers(0, 16), st.lists(st.lists(st.integers(0, 255)))), _b25_preadv,
            lambda t: t == (1, [[0, 0], [0]])),
]


# The twenty-sixth batch (Benchmarks/Sources/ShrinkQuality/TwentySixthBatch.swift).

def _b26_roundup_pow2(x):
    # Rounds up to a power of two as 1 << (32 - clz(x - 1)), computed with
    # a 32-bit shift that takes its count mod 32, so past 2**31 it gives 1.
    # The result must be the least power of two at least x.
    r = 1 if x <= 1 else 1 << (x - 1).bit_length() % 32
    check(r & (r - 1) == 0 and r >= x and (r == 1 or r // 2 < x))


def _b26_pcm(samples):
    # 16-bit PCM to 8-bit unsigned PCM, rounding by adding 128 before the
    # shift; the addition is done in 16 bits, so the top samples wrap to
    # the bottom. Each sample must land on its rounded, clamped value.
    for s in samples:
        t = (s + 128 + 32768) % 65536 - 32768
        out = ((t >> 8) + 128) & 0xFF
        check(out == min(255, (s + 32768 + 128) >> 8))


def _b26_fletcher16(data, byte_sums):
    # Fletcher-16 over bytes. `byte_sums=True` keeps each running sum in a
    # byte, so an addition wraps at 256 before the reduction mod 255.
    a = b = 0
    for x in data:
        a = ((a + x) & 0xFF) % 255 if byte_sums else (a + x) % 255
        b = ((b + a) & 0xFF) % 255 if byte_sums else (b + a) % 255
    return b << 8 | a


def _b26_fletcher(data):
    check(_b26_fletcher16(data, True) == _b26_fletcher16(data, False))


def _b26_utf8_cut(s, limit=6):
    # UTF-8 cut to at most `limit` bytes without splitting a character: when
    # the cut falls inside one it backs up over one continuation byte only,
    # so a cut inside a 3- or 4-byte character leaves part of it. The cut
    # must fall at a character boundary.
    b = s.encode("utf-8")
    if len(b) <= limit:
        return
    n = limit
    if b[n] & 0xC0 == 0x80:
        n -= 1
    check(b[n] & 0xC0 != 0x80)


def _b26_chunked_lines(s, chunk):
    # Lines ended by "\n", "\r\n" or a lone "\r", read `chunk` characters at
    # a time; whether a "\r" ended the last line is forgotten at the end of
    # each chunk, so a "\r\n" split across two chunks ends an extra empty line.
    lines, current = [], ""
    for start in range(0, len(s), chunk):
        after_cr = False
        for c in s[start:start + chunk]:
            if c == "\n" and after_cr:
                after_cr = False
                continue
            after_cr = False
            if c in "\r\n":
                lines.append(current)
                current = ""
                after_cr = c == "\r"
            else:
                current += c
    if current:
        lines.append(current)
    return lines


def _b26_lines(s):
    check(_b26_chunked_lines(s, 4) == _b26_chunked_lines(s, max(len(s), 1)))


def _b26_coalesce_segments(segments, check_boundary):
    # Scatter-gather segments, each a gap after the previous one's end and a
    # length, coalesced while contiguous and at most 16 bytes long.
    # `check_boundary=False` does not check that a merged segment stays
    # within one 16-byte-aligned window, as the device requires.
    out, end = [], 0
    for gap, length in segments:
        start = end + gap
        end = start + length
        if out and out[-1][0] + out[-1][1] == start and out[-1][1] + length <= 16 and (
                not check_boundary or out[-1][0] // 16 == (end - 1) // 16):
            out[-1][1] += length
        else:
            out.append([start, length])
    return out


def _b26_coalesce(segments):
    check(_b26_coalesce_segments(segments, False) == _b26_coalesce_segments(segments, True))


def _b26_linear_probe(ops):
    # Puts (key, value) and deletes (key, None) of keys 0-15 in a linear
    # probing table of 8 slots (home slot key % 8) that deletes by shifting
    # later entries back; the shift stops at an entry in its home slot (the
    # Robin Hood rule, wrong here), stranding displaced entries after it.
    # Every key must read back as the model says after each operation.
    slots, model = [None] * 8, {}

    def find(key):
        i = key & 7
        for _ in range(8):
            if slots[i] is None:
                return None
            if slots[i][0] == key:
                return i
            i = (i + 1) & 7
        return None

    for key, value in ops:
        if value is not None:
            i = find(key)
            if i is not None:
                slots[i] = (key, value)
            else:
                free = [(key + d) & 7 for d in range(8) if slots[(key + d) & 7] is None]
                if free:
                    slots[free[0]] = (key, value)
            if key in model or len(model) < 8:
                model[key] = value
        else:
            i = find(key)
            if i is not None:
                slots[i] = None
                hole, j = i, (i + 1) & 7
                while slots[j] is not None:
                    home = slots[j][0] & 7
                    if home == j:
                        break
                    if (j - home) & 7 < (j - hole) & 7:
                        j = (j + 1) & 7
                        continue
                    slots[hole], slots[j] = slots[j], None
                    hole, j = j, (j + 1) & 7
            model.pop(key, None)
        for k in range(16):
            i = find(k)
            check((None if i is None else slots[i][1]) == model.get(k))


def _b26_semaphore(ops):
    # A counting semaphore of one: a release with waiters hands the token to
    # the first waiter not yet woken, which holds it from the next schedule.
    # A waiter that times out after being woken leaves with the token
    # instead of passing it on. The token must always be free, held or
    # handed over.
    count, holders, waiters = 1, 0, []
    for op in ops:
        if op[0] == "acquire":
            if count > 0:
                count, holders = count - 1, holders + 1
            else:
                waiters.append(False)
        elif op[0] == "release":
            if holders > 0:
                holders -= 1
                if False in waiters:
                    waiters[waiters.index(False)] = True
                else:
                    count += 1
        elif op[0] == "schedule":
            holders += sum(waiters)
            waiters = [w for w in waiters if not w]
        elif op[1] < len(waiters):
            waiters.pop(op[1])
        check(count + holders + sum(waiters) == 1)


def _b26_work_steal(queues):
    # Per-CPU run queues of task ids; each round every CPU runs the head of
    # its queue, and an idle CPU first steals half of the longest queue. The
    # steal takes the tail half but removes the head half from the victim.
    # Every task must run exactly once.
    qs = [list(q) for q in queues]
    ran = []
    while any(qs):
        for c in range(len(qs)):
            if not qs[c]:
                victim = 0
                for i in range(len(qs)):
                    if len(qs[i]) > len(qs[victim]):
                        victim = i
                half = len(qs[victim]) // 2
                if half > 0:
                    qs[c] = qs[victim][len(qs[victim]) - half:]
                    del qs[victim][:half]
            if qs[c]:
                ran.append(qs[c].pop(0))
    check(sorted(ran) == sorted(x for q in queues for x in q))


def _b26_round_half_away(y):
    f = math.floor(y)
    return int(f) + (1 if y - f >= 0.5 else 0)


def _b26_poll_timeout(t):
    # A poll timeout in seconds to whole milliseconds, rounded to nearest: a
    # positive timeout under half a millisecond becomes 0, which does not
    # wait at all.
    check(t == 0 or _b26_round_half_away(t * 1000) >= 1)


def _b26_bucket(t):
    # A hash's bucket as the signed (C-style) remainder of its bit pattern,
    # negative for a hash with the top bit set. It must be a bucket.
    h, n = t
    signed = h - 2**64 if h >= 2**63 else h
    index = abs(signed) % n * (-1 if signed < 0 else 1)
    check(0 <= index < n)


def _b26_timespec(t):
    # The microseconds from one (seconds, nanoseconds) time to a later one,
    # as whole seconds times 10**6 plus the nanosecond difference / 1000;
    # the division truncates a negative difference towards zero instead of
    # borrowing a second. It must be the floor of the true difference.
    s1, n1, s2, n2 = t
    if (s2, n2) < (s1, n1):
        return
    d = n2 - n1
    micros = (s2 - s1) * 1_000_000 + (abs(d) // 1000) * (-1 if d < 0 else 1)
    check(micros == ((s2 - s1) * 1_000_000_000 + d) // 1000)


def _b26_pin_machine(data):
    # A buffer cache of two frames, least recently used first, that marks a
    # pinned block with a flag instead of counting its pins: one unpin of a
    # block pinned twice leaves it free to evict. A pin must be granted
    # exactly when the block is pinned or fewer than two are, and pinned
    # blocks must stay resident.
    def pin(s, d):
        block = d.draw(st.integers(0, 3))
        frames = s["frames"]
        granted = True
        i = next((k for k, f in enumerate(frames) if f[0] == block), None)
        if i is not None:
            frames.pop(i)
        elif len(frames) == 2:
            victim = next((k for k, f in enumerate(frames) if not f[1]), None)
            if victim is None:
                granted = False
            else:
                frames.pop(victim)
        if granted:
            frames.append([block, True])
        pins = s["pins"]
        expected = block in pins or len(pins) < 2
        if granted != expected:
            s["line"] = f"pin(block: {block})"
            raise MachineFailure()
        if expected:
            pins[block] = pins.get(block, 0) + 1
        return f"pin(block: {block})"

    def unpin(s, d):
        block = d.draw(st.integers(0, 3))
        pins = s["pins"]
        if block in pins:
            for f in s["frames"]:
                if f[0] == block:
                    f[1] = False
            pins[block] -= 1
            if pins[block] == 0:
                del pins[block]
        return f"unpin(block: {block})"

    def resident(s):
        if not all(any(f[0] == b for f in s["frames"]) for b in s["pins"]):
            raise MachineFailure()

    run_machine(data, [("pin", lambda s: True, pin), ("unpin", lambda s: len(s["pins"]) > 0, unpin)],
                lambda: {"frames": [], "pins": {}, "check": resident})


class _B26LinkTable:
    # A file system's names (name -> inode) and link counts (inode -> links).
    def __init__(self):
        self.names, self.links, self.next_inode = {}, {}, 0

    def key(self):
        return (sorted(self.names.items()), sorted(self.links.items()), self.next_inode)

    def create(self, name):
        if name not in self.names:
            self.names[name] = self.next_inode
            self.links[self.next_inode] = 1
            self.next_inode += 1

    def link(self, src, dst):
        if src in self.names and dst not in self.names:
            self.names[dst] = self.names[src]
            self.links[self.names[src]] += 1

    def unlink(self, name):
        if name in self.names:
            inode = self.names.pop(name)
            self.links[inode] -= 1
            if self.links[inode] == 0:
                del self.links[inode]

    def rename(self, src, dst, same_file_check):
        # `same_file_check=False` replaces a name that is another link to the
        # same file, instead of leaving both alone as POSIX requires.
        if src not in self.names or src == dst:
            return
        inode = self.names[src]
        if dst in self.names:
            if same_file_check and self.names[dst] == inode:
                return
            self.unlink(dst)
        del self.names[src]
        self.names[dst] = inode


def _b26_rename_machine(data):
    # Creates, links, unlinks and renames of names 0-2 on a file system
    # whose rename skips the same-file check; names and link counts must
    # match a model's after every step.
    def create(s, d):
        name = d.draw(st.integers(0, 2))
        s["model"].create(name)
        s["fs"].create(name)
        return f"create(name: {name})"

    def link(s, d):
        src = d.draw(st.integers(0, 2))
        dst = d.draw(st.integers(0, 2))
        s["model"].link(src, dst)
        s["fs"].link(src, dst)
        return f"link(src: {src}, dst: {dst})"

    def unlink(s, d):
        name = d.draw(st.integers(0, 2))
        s["model"].unlink(name)
        s["fs"].unlink(name)
        return f"unlink(name: {name})"

    def rename(s, d):
        src = d.draw(st.integers(0, 2))
        dst = d.draw(st.integers(0, 2))
        s["model"].rename(src, dst, True)
        s["fs"].rename(src, dst, False)
        return f"rename(src: {src}, dst: {dst})"

    def compare(s):
        if s["model"].key() != s["fs"].key():
            raise MachineFailure()

    run_machine(data, [("create", lambda s: True, create), ("link", lambda s: True, link),
                       ("unlink", lambda s: True, unlink), ("rename", lambda s: True, rename)],
                lambda: {"model": _B26LinkTable(), "fs": _B26LinkTable(), "check": compare})


PROBLEMS += [
    Problem("roundup_pow2_shift_count_wraps", st.integers(0, 2**32 - 1), _b26_roundup_pow2, lambda x: x == 2**31 + 1),
    Problem("pcm_s16_to_u8_rounding_wraps", st.lists(st.integers(-(2**15), 2**15 - 1)), _b26_pcm,
            lambda xs: xs == [32640]),
    Problem("fletcher16_sums_wrap_at_256", st.binary(max_size=64), _b26_fletcher, lambda b: b == b"\x01\xff",
            show=py_bytes),
    Problem("utf8_cut_backs_up_one_byte", st.text(), _b26_utf8_cut, lambda s: s == "\u0800\U00010000"),
    Problem("line_reader_crlf_across_chunks", st.lists(st.sampled_from("ab\r\n")).map("".join), _b26_lines,
            lambda s: s == "aaa\r\n"),
    Problem("sg_coalesce_crosses_window", st.lists(st.tuples(st.integers(0, 3), st.integers(1, 16))), _b26_coalesce,
            lambda ss: ss == [(1, 1), (0, 15)]),
    Problem("linear_probe_delete_stops_at_home", st.lists(st.tuples(st.integers(0, 15), st.none() | st.integers(0, 9))),
            _b26_linear_probe, lambda ops: ops == [(0, 0), (1, 0), (8, 0), (0, None)]),
    Problem("semaphore_timeout_keeps_handoff",
            st.lists(st.one_of(st.just(("acquire",)), st.just(("release",)), st.just(("schedule",)),
                               st.integers(0, 3).map(lambda i: ("timeout", i)))),
            _b26_semaphore, lambda ops: ops == [("acquire",), ("acquire",), ("release",), ("timeout", 0)]),
    Problem("work_steal_takes_tail_drops_head", st.lists(st.lists(st.integers(0, 99))), _b26_work_steal,
            lambda qs: qs == [[], [0, 1]]),
    Problem("poll_timeout_rounds_to_zero_ms", st.floats(0, 60), _b26_poll_timeout, lambda t: t == 0.00048828125),
    Problem("bucket_from_signed_remainder", st.tuples(st.integers(0, 2**64 - 1), st.integers(1, 16)), _b26_bucket,
            lambda t: t == (2**63, 3)),
    Problem("timespec_micros_truncates_borrow",
            st.tuples(st.integers(0, 10**6), st.integers(0, 999_999_999), st.integers(0, 10**6),
                      st.integers(0, 999_999_999)),
            _b26_timespec, lambda t: t == (0, 1, 1, 0)),
    machine_problem("machine_buffer_pin_flag_not_count", _b26_pin_machine,
                    ["pin(block: 0)", "pin(block: 0)", "pin(block: 1)", "unpin(block: 0)", "pin(block: 2)"]),
    machine_problem("machine_rename_onto_own_hard_link", _b26_rename_machine,
                    ["create(name: 0)", "link(src: 0, dst: 1)", "rename(src: 0, dst: 1)"]),
]


# The twenty-seventh batch (Benchmarks/Sources/ShrinkQuality/TwentySeventhBatch.swift).

def _b27_ring_machine(data):
    # A ring buffer of two slots whose head and tail count modulo four, so
    # that full and empty differ; the full test subtracts them without the
    # modulo, so once the tail has wrapped past the head a full ring takes
    # a third value. A push must be accepted exactly when fewer than two
    # values are queued, and pops must give them back in order.
    def push(s, d):
        x = d.draw(st.integers(0, 9))
        s["line"] = f"push(x: {x})"
        accepted = s["tail"] - s["head"] != 2
        if accepted:
            s["slots"][s["tail"] % 2] = x
            s["tail"] = (s["tail"] + 1) % 4
        expected = len(s["model"]) < 2
        if accepted != expected:
            raise MachineFailure()
        if expected:
            s["model"].append(x)
        return s["line"]

    def pop(s, d):
        s["line"] = "pop()"
        got = None
        if s["head"] != s["tail"]:
            got = s["slots"][s["head"] % 2]
            s["head"] = (s["head"] + 1) % 4
        if got != s["model"].pop(0):
            raise MachineFailure()
        return s["line"]

    run_machine(data, [("push", lambda s: True, push), ("pop", lambda s: len(s["model"]) > 0, pop)],
                lambda: {"slots": [None, None], "head": 0, "tail": 0, "model": []})


class _B27HandleTable:
    # Generational handles (slot, generation): a free bumps the slot's
    # generation so that old handles stop working. A realloc that grows a
    # block moves it to a new slot and frees the old slot without bumping
    # its generation, so the next block there gets the old handle back.
    def __init__(self):
        self.slots = []  # [generation, size, live]

    def alloc(self, size):
        for k, slot in enumerate(self.slots):
            if not slot[2]:
                slot[1], slot[2] = size, True
                return (k, slot[0])
        self.slots.append([0, size, True])
        return (len(self.slots) - 1, 0)

    def valid(self, h):
        return h[0] < len(self.slots) and self.slots[h[0]][2] and self.slots[h[0]][0] == h[1]

    def free(self, h):
        if self.valid(h):
            self.slots[h[0]][2] = False
            self.slots[h[0]][0] += 1

    def realloc(self, h, size):
        if not self.valid(h) or size <= self.slots[h[0]][1]:
            return h
        moved = self.alloc(size)
        self.slots[h[0]][2] = False
        return moved


def _b27_handle_machine(data):
    # Allocs, reallocs and frees of blocks of 1-4 bytes through generational
    # handles; after every step each live block's handle must work and
    # every handle given up (freed, or moved away from by a realloc) must not.
    def alloc(s, d):
        size = d.draw(st.integers(1, 4))
        s["var"] += 1
        s["blocks"].append(f"v{s['var']}")
        s["handles"].append(s["table"].alloc(size))
        return f"v{s['var']} = alloc(size: {size})"

    def realloc(s, d):
        i = d.draw(st.integers(0, len(s["blocks"]) - 1))
        size = d.draw(st.integers(1, 4))
        old = s["handles"][i]
        new = s["table"].realloc(old, size)
        if new != old:
            s["stale"].append(old)
            s["handles"][i] = new
        return f"realloc(block: {s['blocks'][i]}, size: {size})"

    def free(s, d):
        i = d.draw(st.integers(0, len(s["blocks"]) - 1))
        block, h = s["blocks"].pop(i), s["handles"].pop(i)
        s["table"].free(h)
        s["stale"].append(h)
        return f"free(block: {block})"

    def handles_hold(s):
        if not (all(s["table"].valid(h) for h in s["handles"]) and not any(s["table"].valid(h) for h in s["stale"])):
            raise MachineFailure()

    live = lambda s: len(s["blocks"]) > 0
    run_machine(data, [("alloc", lambda s: True, alloc), ("realloc", live, realloc), ("free", live, free)],
                lambda: {"table": _B27HandleTable(), "var": 0, "blocks": [], "handles": [], "stale": [],
                         "check": handles_hold})


def _b27_utf16le_decode(b):
    # UTF-16LE to scalars (None when malformed): a high surrogate takes the
    # next unit as its low half without checking that it is one.
    if len(b) % 2:
        return None
    units = [b[i] | b[i + 1] << 8 for i in range(0, len(b), 2)]
    out, i = [], 0
    while i < len(units):
        u = units[i]
        if 0xD800 <= u <= 0xDBFF:
            if i + 1 == len(units):
                return None
            out.append(0x10000 + ((u - 0xD800) << 10) + ((units[i + 1] - 0xDC00) & 0x3FF))
            i += 2
        elif 0xDC00 <= u <= 0xDFFF:
            return None
        else:
            out.append(u)
            i += 1
    return out


def _b27_utf16(b):
    # Whatever decodes must encode back to the same bytes.
    scalars = _b27_utf16le_decode(b)
    check(scalars is None or "".join(map(chr, scalars)).encode("utf-16-le") == b)


def _b27_wrap(s, width, strict):
    # Greedy word wrap; `strict=True` fits a word only while the line stays
    # shorter than the width, so a line of exactly the width is broken.
    lines, current = [], ""
    for word in s.split(" "):
        if not word:
            continue
        if not current:
            current = word
        elif (len(current) + 1 + len(word) < width) if strict else (len(current) + 1 + len(word) <= width):
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _b27_word_wrap(s):
    check(_b27_wrap(s, 8, True) == _b27_wrap(s, 8, False))


def _b27_ones_add(a, b):
    s = a + b
    return (s & 0xFFFF) + (s >> 16)


def _b27_checksum(t):
    # A header of two 16-bit words (other, field) whose checksum is updated
    # for a new field value by RFC 1141's HC' = HC + m + ~m' in ones'
    # complement, which gives 0xFFFF where recomputing gives 0x0000.
    other, old, new = t
    hc = ~_b27_ones_add(other, old) & 0xFFFF
    updated = _b27_ones_add(_b27_ones_add(hc, old), ~new & 0xFFFF)
    check(updated == ~_b27_ones_add(other, new) & 0xFFFF)


def _b27_buddy(size):
    # A buddy allocator's order for `size` bytes as the floor of log2 of
    # the page count, where the ceiling is needed: three pages get two.
    pages = (size + 4095) // 4096
    order = pages.bit_length() - 1
    check(4096 << order >= size)


def _b27_month_day(year, day, leap):
    months = [31, 29 if leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if day > sum(months):
        return None
    m = 0
    while day > months[m]:
        day -= months[m]
        m += 1
    return (m + 1, day)


def _b27_leap(t):
    # Day of the year to (month, day) with a leap year every fourth year,
    # forgetting that centuries not divisible by 400 are not leap years.
    year, day = t
    check(_b27_month_day(year, day, lambda y: y % 4 == 0)
          == _b27_month_day(year, day, lambda y: y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)))


def _b27_rc_run(ops, checks_strong):
    # One object's strong and weak counts; `checks_strong=False` lets an
    # upgrade succeed while the allocation lives (strong + weak > 0), so a
    # weak reference resurrects an object whose last strong one is gone.
    strong, weak, trace = 1, 0, []
    for op in ops:
        if op == "clone" and strong > 0:
            strong += 1
        elif op == "drop" and strong > 0:
            strong -= 1
        elif op == "downgrade" and strong > 0:
            weak += 1
        elif op == "drop_weak" and weak > 0:
            weak -= 1
        elif op == "upgrade":
            ok = strong > 0 if checks_strong else strong + weak > 0
            if ok:
                strong += 1
            trace.append(ok)
        trace.append((strong, weak))
    return trace


def _b27_weak(ops):
    check(_b27_rc_run(ops, False) == _b27_rc_run(ops, True))


def _b27_size_class(ops):
    # Size classes of 16, 32 and 64 bytes with a free list each; alloc
    # takes the least class that fits, but free files the block under
    # size >> 4, which is one class too high at 16 and 32 bytes. Every
    # block handed out must hold its request.
    top, carved, free_lists, live = 0, {}, {}, []
    for op in ops:
        if op[0] == "alloc":
            size = op[1]
            c = 0 if size <= 16 else 1 if size <= 32 else 2
            if free_lists.get(c):
                address = free_lists[c].pop()
            else:
                address, top = top, top + (16 << c)
                carved[address] = 16 << c
            check(carved[address] >= size)
            live.append((address, size))
        elif op[1] < len(live):
            address, size = live.pop(op[1])
            free_lists.setdefault(size >> 4, []).append(address)


def _b27_ntohs(samples):
    # Big-endian 16-bit samples read natively on a little-endian machine and
    # swapped as (x >> 8) | (x << 8) on the signed value: the arithmetic
    # shift smears the sign over the high byte. Each sample must come back.
    for s in samples:
        u = s & 0xFFFF
        raw = ((u >> 8) | (u << 8)) & 0xFFFF
        raw = raw - 0x10000 if raw >= 0x8000 else raw
        back = ((raw >> 8) | (raw << 8)) & 0xFFFF
        check((back - 0x10000 if back >= 0x8000 else back) == s)


def _b27_bignum(t):
    # Little-endian base-256 addition that adds with carry over the common
    # limbs, then copies the longer operand's rest without the carry.
    a, b = t
    out, carry = [], 0
    n = min(len(a), len(b))
    for i in range(n):
        s = a[i] + b[i] + carry
        out.append(s & 0xFF)
        carry = s >> 8
    rest = a[n:] if len(a) > n else b[n:]
    out += rest
    if not rest and carry:
        out.append(carry)
    check(int.from_bytes(bytes(out), "little") == int.from_bytes(a, "little") + int.from_bytes(b, "little"))


def _b27_intervals(xs):
    # (start, length) intervals sorted and merged: one starting inside the
    # last merged interval extends it, one starting after it is appended,
    # and one starting exactly at its end is neither. The merged intervals
    # must cover what the input covers.
    merged = []
    for start, end in sorted((s, s + n) for s, n in xs):
        if not merged or start > merged[-1][1]:
            merged.append([start, end])
        elif start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
    check(sum(e - s for s, e in merged) == len({p for s, n in xs for p in range(s, s + n)}))


def _b27_token_bucket(requests):
    # A bucket of 4 tokens refilled one per tick; a request of `cost`
    # tokens is granted when `tokens - cost >= 0` in unsigned 8-bit
    # arithmetic, which always holds, and the subtraction wraps. No more
    # may be granted than the bucket held plus what the ticks refilled.
    tokens, granted, ticks = 4, 0, 0
    for dt, cost in requests:
        ticks += dt
        tokens = min(4, tokens + dt)
        tokens = (tokens - cost) & 0xFF
        granted += cost
        check(granted <= 4 + ticks)


def _b27_route(t, longest):
    routes, address = t
    best = None
    for k, (prefix, length) in enumerate(routes):
        mask = (0xFF << (8 - length)) & 0xFF
        if address & mask == prefix & mask:
            if not longest:
                return k
            if best is None or length > routes[best][1]:
                best = k
    return best


def _b27_routes(t):
    # A route table of (prefix, length) over 8-bit addresses scanned for
    # the first matching route instead of the longest matching one.
    check(_b27_route(t, False) == _b27_route(t, True))


PROBLEMS += [
    machine_problem("machine_ring_mirror_index_full_unwrapped", _b27_ring_machine,
                    ["push(x: 0)", "push(x: 0)", "pop()", "push(x: 0)", "pop()", "push(x: 0)", "push(x: 0)"]),
    machine_problem("machine_realloc_move_keeps_generation", _b27_handle_machine,
                    ["v1 = alloc(size: 1)", "realloc(block: v1, size: 2)", "v2 = alloc(size: 1)"]),
    Problem("utf16le_decoder_pairs_any_unit", st.binary(max_size=16), _b27_utf16, lambda b: b == b"\x00\xd8\x00\x00",
            show=py_bytes),
    Problem("word_wrap_exact_width_breaks_early", st.lists(st.sampled_from("a ")).map("".join), _b27_word_wrap,
            lambda s: s == "aaaaaa a"),
    Problem("checksum_rfc1141_update_negative_zero",
            st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1)),
            _b27_checksum, lambda t: t == (0, 0, 65535)),
    Problem("buddy_order_floors_page_count", st.integers(1, 2**24), _b27_buddy, lambda x: x == 8193),
    Problem("leap_year_skips_century_rule", st.tuples(st.integers(1, 9999), st.integers(1, 366)), _b27_leap,
            lambda t: t == (100, 60)),
    Problem("weak_upgrade_checks_allocation_alive",
            st.lists(st.sampled_from(["clone", "drop", "downgrade", "drop_weak", "upgrade"])), _b27_weak,
            lambda ops: ops == ["downgrade", "drop", "upgrade"]),
    Problem("size_class_free_recomputes_by_shift",
            st.lists(st.one_of(st.integers(1, 64).map(lambda n: ("alloc", n)), st.integers(0, 7).map(lambda i: ("free", i)))),
            _b27_size_class, lambda ops: ops == [("alloc", 16), ("free", 0), ("alloc", 17)]),
    Problem("ntohs_on_int16_smears_sign", st.lists(st.integers(-(2**15), 2**15 - 1)), _b27_ntohs,
            lambda xs: xs == [128]),
    Problem("bignum_add_carry_stops_at_shorter", st.tuples(st.binary(max_size=8), st.binary(max_size=8)), _b27_bignum,
            lambda t: t == (b"\x01", b"\xff\x00")),
    Problem("interval_merge_drops_touching", st.lists(st.tuples(st.integers(0, 20), st.integers(1, 4))), _b27_intervals,
            lambda xs: xs == [(0, 1), (1, 1)]),
    Problem("token_bucket_unsigned_check_always_grants", st.lists(st.tuples(st.integers(0, 10), st.integers(1, 4))),
            _b27_token_bucket, lambda rs: rs == [(0, 1), (0, 4)]),
    Problem("route_lookup_first_match_not_longest",
            st.tuples(st.lists(st.tuples(st.integers(0, 255), st.integers(0, 8))), st.integers(0, 255)), _b27_routes,
            lambda t: t == ([(0, 0), (0, 1)], 0)),
]



# The twenty-eighth batch (Benchmarks/Sources/ShrinkQuality/TwentyEighthBatch.swift).

def _b28_wrap32(x):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= 1 << 31 else x


def _b28_comparator(t):
    # I/O requests (deadline Int32, disk offset UInt64, priority Int8,
    # queue UInt16) ordered by a qsort-style comparator that returns the
    # first non-zero field difference as an Int32: the deadline difference
    # wraps and the offset difference is truncated to its low 32 bits. Its
    # sign must be that of the field-by-field order.
    a, b = t

    def by_subtraction():
        d = _b28_wrap32(a[0] - b[0]) or _b28_wrap32(a[1] - b[1])
        return d or (a[2] - b[2]) or (a[3] - b[3])

    d = by_subtraction()
    check((d > 0) - (d < 0) == (a > b) - (a < b))


def _b28_page_cursor(pages):
    # A cursor over pages of records: at the end of a page it moves to the
    # next page once, so a second empty page in a row (or an empty page
    # after a full one) ends the scan. It must visit every record.
    out, page, slot = [], 0, 0
    while True:
        if page < len(pages) and slot == len(pages[page]):
            page, slot = page + 1, 0
        if page >= len(pages) or slot >= len(pages[page]):
            break
        out.append(pages[page][slot])
        slot += 1
    check(out == [x for p in pages for x in p])


def _b28_dirty_runs(dirty):
    # Dirty pages coalesced into (start, count) write-back runs; a page that
    # does not extend the run starts a new one without resetting the count,
    # so the new run is as long as the last. Exactly the dirty pages must
    # be written.
    pages = sorted(dirty)
    runs = []
    if pages:
        start, count = pages[0], 0
        for p in pages:
            if p == start + count:
                count += 1
            else:
                runs.append((start, count))
                start = p
        runs.append((start, count))
    check([p for start, count in runs for p in range(start, start + count)] == pages)


def _b28_orphans(table):
    # A process table pid -> parent (None for a root). The orphan test reads
    # the parent's own entry, which is None for a missing parent and for a
    # root parent alike; it must agree with the parent being missing.
    for parent in table.values():
        if parent is not None:
            check((table.get(parent) is None) == (parent not in table))


def _b28_key_hash(k):
    # Integers hash their value, floats their bits.
    return k[1] & 0xFFFFFFFFFFFFFFFF if k[0] == "int" else struct.unpack("<Q", struct.pack("<d", k[1]))[0]


def _b28_runtime_keys(keys):
    # Keys of a dynamic language's table, integers and floats, compared as
    # numbers (1 == 1.0) but hashed by value or by bits: equal keys must
    # hash alike.
    for i, b in enumerate(keys):
        for a in keys[:i]:
            same = a[1] == b[1] if a[0] == b[0] else float(a[1]) == float(b[1])
            check(not same or _b28_key_hash(a) == _b28_key_hash(b))


def _b28_coap_nibble(x):
    # CoAP's option nibble (RFC 7252, 3.1): values below 13 in the nibble,
    # 13 plus one byte up to 268, 14 plus two bytes above; 13 itself is
    # written in the nibble, which the decoder reads as "one byte follows".
    if x <= 13:
        return x, b""
    if x < 269:
        return 13, bytes([x - 13])
    return 14, bytes([(x - 269) >> 8, (x - 269) & 0xFF])


def _b28_coap_decode(b):
    out, i = [], 0

    def extended(n):
        nonlocal i
        if n < 13:
            return n
        if n == 13 and i + 1 <= len(b):
            i += 1
            return 13 + b[i - 1]
        if n == 14 and i + 2 <= len(b):
            i += 2
            return 269 + (b[i - 2] << 8 | b[i - 1])
        return None

    while i < len(b):
        header = b[i]
        i += 1
        delta = extended(header >> 4)
        if delta is None:
            return None
        length = extended(header & 15)
        if length is None or i + length > len(b):
            return None
        out.append((delta, b[i:i + length]))
        i += length
    return out


def _b28_coap(options):
    # Options as (delta, value) encoded as a header byte of two nibbles,
    # their extended bytes and the value; decoding must give them back.
    encoded = b""
    for delta, value in options:
        dn, dx = _b28_coap_nibble(delta)
        ln, lx = _b28_coap_nibble(len(value))
        encoded += bytes([dn << 4 | ln]) + dx + lx + value
    check(_b28_coap_decode(encoded) == options)


def _b28_hostname_valid(s, end_only):
    # Host names (RFC 1123) over "a-.": labels of 1-63 characters that
    # neither start nor end with "-"; `end_only=True` checks for a trailing
    # "-" only at the end of the whole name.
    if not s or len(s) > 253:
        return False
    for label in s.split("."):
        if not label or len(label) > 63 or label[0] == "-":
            return False
        if not end_only and label[-1] == "-":
            return False
    return not s.endswith("-")


def _b28_hostname(s):
    check(_b28_hostname_valid(s, True) == _b28_hostname_valid(s, False))


def _b28_float_key(x):
    # A memcmp-ordered key for a float32 that flips only the sign bit;
    # negative values need all their bits flipped.
    return struct.unpack("<I", struct.pack("<f", x))[0] ^ 0x80000000


def _b28_float_keys(t):
    a, b = t
    check(not a < b or _b28_float_key(a) < _b28_float_key(b))


def _b28_search_trees(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: at each level an
    # empty tree (None) or a node (value, left, right) of the next level,
    # and only an empty tree at the last.
    empty = st.just(None)
    if depth == 0:
        return empty
    return st.one_of(empty, st.tuples(st.integers(0, 9), _b28_search_trees(depth - 1), _b28_search_trees(depth - 1)))


def _b28_search_tree(t):
    # A check that compares each node with its children only; a tree it
    # accepts must hold its values in increasing order.
    def locally_ordered(t):
        if t is None:
            return True
        v, left, right = t
        return ((left is None or left[0] < v) and (right is None or right[0] > v)
                and locally_ordered(left) and locally_ordered(right))

    def in_order(t):
        return [] if t is None else in_order(t[1]) + [t[0]] + in_order(t[2])

    values = in_order(t)
    check(not locally_ordered(t) or all(x < y for x, y in zip(values, values[1:])))


def _b28_pitch(t):
    # Rows of `width` bytes written at the pitch (width + 3) & ~3 into a
    # frame laid out, and read back, at the pitch (width | 3) + 1: the two
    # agree except when the width is a multiple of 4.
    w, rows = t
    write_pitch, read_pitch = (w + 3) & ~3, (w | 3) + 1
    frame = bytearray(read_pitch * len(rows))
    for i, row in enumerate(rows):
        frame[i * write_pitch:i * write_pitch + w] = row
    check([bytes(frame[i * read_pitch:i * read_pitch + w]) for i in range(len(rows))] == rows)


def _b28_lock_stripes(t):
    # A transfer between two accounts locks their stripes (a 16-bit
    # Fibonacci hash to 16 locks) in order and skips the second lock only
    # when the accounts are equal; it must never take a lock it holds.
    held = set()
    for stripe in sorted(((x * 40503) & 0xFFFF) >> 12 for x in t):
        check(stripe not in held)
        held.add(stripe)


def _b28_fastbin_machine(data):
    # A fast bin: freed blocks on a stack, reused last in first out, whose
    # double-free check compares a freed block with the top of the stack
    # only. Frees pick any block handed out, freed or not: a free must be
    # refused exactly when its block is not in use, and alloc must never
    # give a block in use.
    def alloc(s, d):
        block = s["free"].pop() if s["free"] else s["next"]
        if block == s["next"]:
            s["next"] += 1
        s["blocks"].append(block)
        s["line"] = f"v{len(s['blocks'])} = alloc()"
        if block in s["in_use"]:
            raise MachineFailure()
        s["in_use"].add(block)
        return s["line"]

    def free(s, d):
        i = d.draw(st.integers(0, len(s["blocks"]) - 1))
        block = s["blocks"][i]
        s["line"] = f"free(block: v{i + 1})"
        accepted = not (s["free"] and s["free"][-1] == block)
        if accepted:
            s["free"].append(block)
        if accepted != (block in s["in_use"]):
            raise MachineFailure()
        s["in_use"].discard(block)
        return s["line"]

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["blocks"]) > 0, free)],
                lambda: {"free": [], "next": 0, "blocks": [], "in_use": set()})


def _b28_reclaim_machine(data):
    # Deferred reclamation: an object retired while n readers are inside
    # waits for n reader exits, counting the exits of readers that entered
    # after it too. No object may be reclaimed while a reader that was
    # inside when it was retired is still inside.
    def enter(s, d):
        s["entered"] += 1
        reader = f"v{s['entered']}"
        s["readers"].append(reader)
        s["inside"].add(reader)
        return f"{reader} = enter()"

    def exit_(s, d):
        reader = s["readers"].pop(d.draw(st.integers(0, len(s["readers"]) - 1)))
        s["inside"].discard(reader)
        for w in s["waiting"]:
            w[1] -= 1
        s["reclaimed"] += [w[0] for w in s["waiting"] if w[1] <= 0]
        s["waiting"] = [w for w in s["waiting"] if w[1] > 0]
        return f"exit(reader: {reader})"

    def retire(s, d):
        k = len(s["guards"])
        s["guards"].append(set(s["inside"]))
        if s["inside"]:
            s["waiting"].append([k, len(s["inside"])])
        else:
            s["reclaimed"].append(k)
        return "retire()"

    def guarded(s):
        if any(s["guards"][k] & s["inside"] for k in s["reclaimed"]):
            raise MachineFailure()

    run_machine(data, [("enter", lambda s: True, enter), ("exit", lambda s: len(s["inside"]) > 0, exit_),
                       ("retire", lambda s: True, retire)],
                lambda: {"entered": 0, "readers": [], "inside": set(), "waiting": [], "reclaimed": [], "guards": [],
                         "check": guarded})


def _b28_writeback_machine(data):
    # Two direct-mapped slots (key & 1) over a store of four keys, written
    # back on eviction when dirty. A read hit goes through the fill path,
    # which marks the line clean, so a later eviction drops the write.
    # Every read must give the last value written.
    def evict(s, key):
        line = s["lines"][key & 1]
        if line is not None and line[0] != key:
            if line[2]:
                s["store"][line[0]] = line[1]
            s["lines"][key & 1] = None

    def read(s, d):
        key = d.draw(st.integers(0, 3))
        s["line"] = f"read(key: {key})"
        evict(s, key)
        line = s["lines"][key & 1]
        value = line[1] if line is not None else s["store"][key]
        s["lines"][key & 1] = (key, value, False)
        if value != s["model"][key]:
            raise MachineFailure()
        return s["line"]

    def write(s, d):
        key = d.draw(st.integers(0, 3))
        value = d.draw(st.integers(0, 9))
        evict(s, key)
        s["lines"][key & 1] = (key, value, True)
        s["model"][key] = value
        return f"write(key: {key}, value: {value})"

    run_machine(data, [("read", lambda s: True, read), ("write", lambda s: True, write)],
                lambda: {"lines": [None, None], "store": [0] * 4, "model": [0] * 4})


_B28_REQUEST = st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(0, 2**64 - 1), st.integers(-128, 127),
                         st.integers(0, 2**16 - 1))
_B28_KEY = st.one_of(st.integers(-(2**31), 2**31 - 1).map(lambda i: ("int", i)), st.floats().map(lambda x: ("float", x)))


def _b28_is_key_ideal(keys):
    return keys == [("int", 0), ("float", 0.0)] and math.copysign(1.0, keys[1][1]) < 0


def _b28_is_float_keys_ideal(t):
    return t == (-1.0, 0.0) and math.copysign(1.0, t[1]) < 0


PROBLEMS += [
    Problem("comparator_narrows_field_differences", st.tuples(_B28_REQUEST, _B28_REQUEST), _b28_comparator,
            lambda t: t == ((0, 0, 0, 0), (0, 2147483649, 0, 0))),
    Problem("page_cursor_skips_one_empty_page", st.lists(st.lists(st.integers(0, 100))), _b28_page_cursor,
            lambda pages: pages == [[], [], [0]]),
    Problem("dirty_page_runs_keep_last_count", st.sets(st.integers(0, 31)), _b28_dirty_runs, lambda s: s == {0, 1, 3},
            show=lambda s: repr(set(sorted(s))) if s else "set()"),
    Problem("orphan_test_takes_root_for_missing", st.dictionaries(st.integers(0, 7), st.none() | st.integers(0, 7)),
            _b28_orphans, lambda d: d == {0: None, 1: 0}, show=lambda d: repr(dict(sorted(d.items())))),
    Problem("float_key_hashed_by_bits_equals_int", st.lists(_B28_KEY), _b28_runtime_keys, _b28_is_key_ideal),
    Problem("coap_option_nibble_writes_13", st.lists(st.tuples(st.integers(0, 20), st.binary(max_size=16))), _b28_coap,
            lambda options: options == [(0, bytes(13))]),
    Problem("hostname_hyphen_checked_at_end_only", st.lists(st.sampled_from("a-.")).map("".join), _b28_hostname,
            lambda s: s == "a-.a"),
    Problem("float_key_flips_sign_bit_only", st.tuples(st.floats(width=32), st.floats(width=32)), _b28_float_keys,
            _b28_is_float_keys_ideal),
    Problem("search_tree_check_sees_children_only", _b28_search_trees(4), _b28_search_tree,
            lambda t: t == (0, None, (1, (0, None, None), None))),
    Problem("pitch_round_up_differs_at_multiple_of_4",
            st.integers(1, 8).flatmap(lambda w: st.lists(st.binary(min_size=w, max_size=w)).map(lambda rows: (w, rows))),
            _b28_pitch, lambda t: t == (4, [b"\x00\x00\x00\x00", b"\x00\x00\x00\x01"])),
    Problem("lock_stripe_taken_twice",
            st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1)).filter(lambda t: t[0] != t[1]),
            _b28_lock_stripes, lambda t: t == (0, 13)),
    machine_problem("machine_fastbin_double_free_checks_top", _b28_fastbin_machine,
                    ["v1 = alloc()", "v2 = alloc()", "free(block: v1)", "free(block: v2)", "free(block: v1)"]),
    machine_problem("machine_reclaim_counts_exits_not_readers", _b28_reclaim_machine,
                    ["v1 = enter()", "retire()", "v2 = enter()", "exit(reader: v2)"]),
    machine_problem("machine_writeback_read_hit_clears_dirty", _b28_writeback_machine,
                    ["write(key: 0, value: 1)", "read(key: 0)", "read(key: 2)", "read(key: 0)"]),
]

# The twenty-ninth batch (Benchmarks/Sources/ShrinkQuality/TwentyNinthBatch.swift).

def _b29_read_bounds(t):
    # A read of `length` bytes at `offset` in a buffer of `size` bytes is
    # allowed when offset + length <= size, with the end computed in
    # wrapping 64-bit arithmetic. An allowed read must lie in the buffer.
    size, offset, length = t
    allowed = (offset + length) & 0xFFFFFFFFFFFFFFFF <= size
    check(not allowed or (offset <= size and length <= size - offset))


def _b29_round_half_away(x):
    r = math.floor(x)
    return r + 1 if x - r >= 0.5 else r


def _b29_timeout_ticks(timeouts):
    # Timeouts in seconds split into whole seconds and ticks of a 100 Hz
    # clock, the ticks rounded to nearest: a fraction of .995 or more gives
    # 100 ticks, where the seconds should have taken the carry.
    for t in timeouts.values():
        if math.isfinite(t) and t >= 0:
            check(_b29_round_half_away((t - math.floor(t)) * 100) < 100)


def _b29_f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _b29_round_half_up(xs):
    # Round half up written as floor(x + 0.5) in float32 arithmetic, where
    # the addition rounds; it must agree with rounding half away from zero.
    for x in xs:
        if math.isfinite(x) and x >= 0:
            check(math.floor(_b29_f32(x + 0.5)) == _b29_round_half_away(x))


def _b29_wrap8(x):
    x &= 0xFF
    return x - 256 if x >= 128 else x


def _b29_eval(e, narrow):
    # An Int8 expression evaluated by the program (Int8 arithmetic that
    # wraps) or by the constant folder (in Int, narrowed once at the end);
    # None for a division by zero.
    if isinstance(e, int):
        return e
    op, left, right = e
    a, b = _b29_eval(left, narrow), _b29_eval(right, narrow)
    if a is None or b is None:
        return None
    if op == "div":
        if b == 0:
            return None
        r = trunc_div(a, b)
    else:
        r = a + b if op == "add" else a - b if op == "sub" else a * b
    return _b29_wrap8(r) if narrow else r


def _b29_const_fold(e):
    wide = _b29_eval(e, False)
    check((None if wide is None else _b29_wrap8(wide)) == _b29_eval(e, True))


def _b29_exprs(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: at each level a
    # literal or an operation on two expressions of the next level, and
    # only a literal at the last.
    lit = st.integers(-128, 127)
    if depth == 0:
        return lit
    return st.one_of(lit, st.tuples(st.sampled_from(["add", "sub", "mul", "div"]), _b29_exprs(depth - 1),
                                    _b29_exprs(depth - 1)))


def _b29_round_robin(queues):
    # Jobs served one per non-empty queue per round; a queue that empties is
    # removed from the round and the index still moves on, so the queue
    # after it waits for the next round. The order must be round robin's.
    active = [list(q) for q in queues if q]
    served = []
    while active:
        i = 0
        while i < len(active):
            served.append(active[i].pop(0))
            if not active[i]:
                del active[i]
            i += 1
    rest = [list(q) for q in queues]
    expected = []
    while any(rest):
        for q in rest:
            if q:
                expected.append(q.pop(0))
    check(served == expected)


def _b29_validity_bitmap(column):
    # A nullable column as a validity bitmap (bit i & 7 of byte i >> 3) and
    # its non-null values in order; the reader takes row i's byte as
    # i >> 8, so rows from 8 on read the bits of rows 0-7. The column must
    # come back.
    bitmap = [0] * ((len(column) + 7) // 8)
    values = [v for v in column if v is not None]
    for i, v in enumerate(column):
        if v is not None:
            bitmap[i >> 3] |= 1 << (i & 7)
    out, taken = [], 0
    for i in range(len(column)):
        if bitmap[i >> 8] >> (i & 7) & 1:
            check(taken < len(values))
            out.append(values[taken])
            taken += 1
        else:
            out.append(None)
    check(taken == len(values) and out == column)


def _b29_assemble(program):
    # nop is one byte, push two (an Int8 value) or five, jump two: a jump
    # forward over k instructions holds the byte size of those it skips,
    # summed with every push counted as two bytes.
    out = []
    for i, ins in enumerate(program):
        if ins[0] == "nop":
            out.append(0)
        elif ins[0] == "push":
            x = ins[1]
            out += [1, x & 0xFF] if -128 <= x <= 127 else [3] + list(struct.pack("<i", x))
        else:
            out += [2, sum(1 if j[0] == "nop" else 2 for j in program[i + 1:i + 1 + ins[1]])]
    return out


def _b29_disassemble(b):
    # Instructions back from bytes, each jump's offset read back as a count
    # of instructions; None when a jump lands inside an instruction.
    program, starts, i = [], [], 0
    while i < len(b):
        starts.append(i)
        if b[i] == 0:
            program.append(("nop",))
            i += 1
        elif b[i] == 1:
            program.append(("push", _b29_wrap8(b[i + 1])))
            i += 2
        elif b[i] == 3:
            program.append(("push", struct.unpack("<i", bytes(b[i + 1:i + 5]))[0]))
            i += 5
        else:
            program.append(("jump", b[i + 1]))
            i += 2
    starts.append(len(b))
    for n, ins in enumerate(program):
        if ins[0] == "jump":
            target = starts[n] + 2 + ins[1]
            if target not in starts:
                return None
            program[n] = ("jump", starts.index(target) - n - 1)
    return program


def _b29_jumps(program):
    # Assembled and disassembled, a program must come back, each jump's
    # count cut to the instructions after it.
    clamped = [("jump", min(ins[1], len(program) - i - 1)) if ins[0] == "jump" else ins
               for i, ins in enumerate(program)]
    check(_b29_disassemble(_b29_assemble(program)) == clamped)


def _b29_frame(t):
    # A frame [length][payload][checksum] whose checksum is the complement
    # of the payload's byte sum and does not cover the length byte, read
    # after its length byte was overwritten: it must be rejected or give
    # the payload back.
    payload, length = t
    frame = [length] + list(payload) + [~sum(payload) & 0xFF]
    if 2 + length <= len(frame):
        body = frame[1:1 + length]
        if frame[1 + length] == ~sum(body) & 0xFF:
            check(bytes(body) == payload)


def _b29_path_containment(t):
    # Whether `target` lies in the directory `base` (both under the root),
    # checked on the normal forms as a string prefix with no separator after
    # the base; it must agree with the check component by component.
    base, target = ([c for c in p.split("/") if c] for p in t)
    by_prefix = ("/" + "/".join(target)).startswith("/" + "/".join(base))
    check(by_prefix == (target[:len(base)] == base))


def _b29_quadratic_probing(t):
    # Keys (up to the capacity) inserted in increasing order into a table of
    # 2^k slots that probes h + i * i: squares modulo a power of two miss
    # slots, so an insertion can fail with free slots left. Every key must
    # find a slot.
    k, keys = t
    capacity = 1 << k
    slots = [None] * capacity
    for key in sorted(keys):
        free = [s for s in ((key + i * i) & (capacity - 1) for i in range(capacity)) if slots[s] is None]
        check(free)
        slots[free[0]] = key


def _b29_delta_list(timers):
    # Timers (delay, id) inserted in turn into a delta list (each entry
    # holds its delay after the one before): an insertion before the head
    # takes its delay off the old head, but one in the middle leaves its
    # successor's delta as it was. Each timer must expire at its delay.
    entries = []
    for delay, tid in timers:
        rest, at = delay, len(entries)
        for j, (delta, _) in enumerate(entries):
            if rest < delta:
                at = j
                break
            rest -= delta
        if at == 0 and entries:
            entries[0][0] -= rest
        entries.insert(at, [rest, tid])
    expiries, t = [], 0
    for delta, tid in entries:
        t += delta
        expiries.append((t, tid))
    check(sorted(expiries) == sorted(timers))


def _b29_cow_machine(data):
    # Copy-on-write buffers: a copy shares its source's storage, and a write
    # gives the buffer storage of its own first when the storage has more
    # than two references, so a buffer and its one copy share the write.
    # Every buffer must read what was last written to it (or its source).
    def new(s, d):
        s["made"] += 1
        v = f"v{s['made']}"
        s["buffers"].append(v)
        s["storage"][v] = [0, 1]
        s["model"][v] = 0
        return f"{v} = new()"

    def copy(s, d):
        source = s["buffers"][d.draw(st.integers(0, len(s["buffers"]) - 1))]
        s["made"] += 1
        v = f"v{s['made']}"
        s["buffers"].append(v)
        s["storage"][v] = s["storage"][source]
        s["storage"][v][1] += 1
        s["model"][v] = s["model"][source]
        return f"{v} = copy(source: {source})"

    def write(s, d):
        v = s["buffers"][d.draw(st.integers(0, len(s["buffers"]) - 1))]
        value = d.draw(st.integers(0, 9))
        if s["storage"][v][1] > 2:
            s["storage"][v][1] -= 1
            s["storage"][v] = [s["storage"][v][0], 1]
        s["storage"][v][0] = value
        s["model"][v] = value
        return f"write(buffer: {v}, value: {value})"

    def drop(s, d):
        v = s["buffers"].pop(d.draw(st.integers(0, len(s["buffers"]) - 1)))
        s["storage"].pop(v)[1] -= 1
        del s["model"][v]
        return f"drop(buffer: {v})"

    def unchanged(s):
        if any(s["storage"][v][0] != s["model"][v] for v in s["buffers"]):
            raise MachineFailure()

    live = lambda s: len(s["buffers"]) > 0
    run_machine(data, [("new", lambda s: True, new), ("copy", live, copy), ("write", live, write), ("drop", live, drop)],
                lambda: {"made": 0, "buffers": [], "storage": {}, "model": {}, "check": unchanged})


def _b29_unlink_machine(data):
    # Files with one name each and descriptors open on them: close frees an
    # unlinked file's inode with its last descriptor, but unlink frees it
    # with its last name even while descriptors have it open. A read must
    # give the file's data.
    def create(s, d):
        s["made"] += 1
        v = f"v{s['made']}"
        s["files"].append(v)
        s["inodes"][v] = {"data": s["made"], "links": 1, "opens": 0, "freed": False}
        return f"{v} = create()"

    def open_(s, d):
        f = s["files"][d.draw(st.integers(0, len(s["files"]) - 1))]
        s["made"] += 1
        v = f"v{s['made']}"
        s["fds"].append(v)
        s["inodes"][f]["opens"] += 1
        s["open"][v] = s["inodes"][f]
        return f"{v} = open(file: {f})"

    def read(s, d):
        fd = s["fds"][d.draw(st.integers(0, len(s["fds"]) - 1))]
        s["line"] = f"read(fd: {fd})"
        if s["open"][fd]["freed"]:
            raise MachineFailure()
        return s["line"]

    def close(s, d):
        fd = s["fds"].pop(d.draw(st.integers(0, len(s["fds"]) - 1)))
        inode = s["open"].pop(fd)
        inode["opens"] -= 1
        if inode["opens"] == 0 and inode["links"] == 0:
            inode["freed"] = True
        return f"close(fd: {fd})"

    def unlink(s, d):
        f = s["files"].pop(d.draw(st.integers(0, len(s["files"]) - 1)))
        inode = s["inodes"][f]
        inode["links"] -= 1
        if inode["links"] == 0:
            inode["freed"] = True
        return f"unlink(file: {f})"

    names = lambda s: len(s["files"]) > 0
    fds = lambda s: len(s["fds"]) > 0
    run_machine(data, [("create", lambda s: True, create), ("open", names, open_), ("read", fds, read),
                       ("close", fds, close), ("unlink", names, unlink)],
                lambda: {"made": 0, "files": [], "fds": [], "inodes": {}, "open": {}})


def _b29_clock_access(cache, page, advances):
    # Second-chance (CLOCK) replacement over three frames: a hit sets the
    # page's reference bit, free frames fill first, and a miss on a full
    # cache moves the hand past referenced frames (clearing their bits) to
    # the victim; `advances=False` leaves the hand on the frame it filled.
    frames, referenced = cache["frames"], cache["referenced"]
    if page in frames:
        referenced[frames.index(page)] = True
    elif None in frames:
        frames[frames.index(None)] = page
    else:
        while referenced[cache["hand"]]:
            referenced[cache["hand"]] = False
            cache["hand"] = (cache["hand"] + 1) % 3
        frames[cache["hand"]] = page
        if advances:
            cache["hand"] = (cache["hand"] + 1) % 3


def _b29_clock_machine(data):
    # Accesses through a CLOCK cache whose hand stays on the frame it has
    # just filled, so the next miss evicts the page just loaded; the pages
    # resident must be those of the clock whose hand moves on.
    def access(s, d):
        page = d.draw(st.integers(0, 4))
        _b29_clock_access(s["model"], page, True)
        _b29_clock_access(s["cache"], page, False)
        return f"access(page: {page})"

    def same_pages(s):
        if set(s["cache"]["frames"]) != set(s["model"]["frames"]):
            raise MachineFailure()

    fresh = lambda: {"frames": [None] * 3, "referenced": [False] * 3, "hand": 0}
    run_machine(data, [("access", lambda s: True, access)],
                lambda: {"model": fresh(), "cache": fresh(), "check": same_pages})


_B29_INSTRUCTION = st.one_of(st.just(("nop",)), st.integers(-(2**31), 2**31 - 1).map(lambda x: ("push", x)),
                             st.integers(0, 3).map(lambda k: ("jump", k)))


def _b29_show_probe(t):
    return f"({t[0]}, {{{', '.join(map(str, sorted(t[1])))}}})" if t[1] else f"({t[0]}, set())"


PROBLEMS += [
    Problem("read_bounds_end_wraps", st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**64 - 1), st.integers(0, 2**32 - 1)),
            _b29_read_bounds, lambda t: t == (0, 18446744069414584321, 4294967295)),
    Problem("timeout_ticks_round_to_hz", st.dictionaries(st.integers(0, 7), st.floats()), _b29_timeout_ticks,
            lambda d: d == {0: 1.99609375}, show=lambda d: repr(dict(sorted(d.items())))),
    Problem("round_half_up_adds_half_float", st.lists(st.floats(width=32)), _b29_round_half_up,
            lambda xs: xs == [8388609.0]),
    Problem("const_fold_wide_then_narrow", _b29_exprs(3), _b29_const_fold, lambda e: e == ("div", 0, ("add", -128, -128))),
    Problem("round_robin_removal_skips_next", st.lists(st.lists(st.integers(0, 255))), _b29_round_robin,
            lambda qs: qs == [[0], [0], [1]]),
    Problem("validity_bitmap_byte_index_shift", st.lists(st.none() | st.integers(-(2**15), 2**15 - 1)), _b29_validity_bitmap,
            lambda col: col == [None] * 8 + [0]),
    Problem("jump_offsets_assume_short_push", st.lists(_B29_INSTRUCTION), _b29_jumps,
            lambda p: p == [("jump", 1), ("push", 128)]),
    Problem("frame_checksum_skips_length",
            st.tuples(st.binary(max_size=16), st.integers(0, 16)).filter(lambda t: t[1] != len(t[0])), _b29_frame,
            lambda t: t == (b"\xff", 0)),
    Problem("path_containment_string_prefix",
            st.tuples(st.lists(st.sampled_from("a/")).map("".join), st.lists(st.sampled_from("a/")).map("".join)),
            _b29_path_containment, lambda t: t == ("a", "aa")),
    Problem("quadratic_probe_squares_miss_slots",
            st.integers(1, 4).flatmap(lambda k: st.sets(st.integers(0, 255), max_size=1 << k).map(lambda s: (k, s))),
            _b29_quadratic_probing, lambda t: t == (2, {0, 1, 4}), show=_b29_show_probe),
    Problem("delta_list_middle_insert_keeps_delta", st.lists(st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 255))),
            _b29_delta_list, lambda ts: ts == [(0, 0), (2, 0), (1, 0)]),
    machine_problem("machine_cow_unique_check_off_by_one", _b29_cow_machine,
                    ["v1 = new()", "v2 = copy(source: v1)", "write(buffer: v1, value: 1)"]),
    machine_problem("machine_unlink_frees_open_file", _b29_unlink_machine,
                    ["v1 = create()", "v2 = open(file: v1)", "unlink(file: v1)", "read(fd: v2)"]),
    machine_problem("machine_clock_hand_stays_on_replaced", _b29_clock_machine,
                    ["access(page: 0)", "access(page: 1)", "access(page: 2)", "access(page: 3)", "access(page: 0)"]),
]


# The thirtieth batch (Benchmarks/Sources/ShrinkQuality/ThirtiethBatch.swift).

def _b30_align_up(t):
    # `size` rounded up to a multiple of 2^shift as
    # (size + align - 1) & ~(align - 1) in 32-bit arithmetic: within
    # align - 1 of the top the sum wraps. The result must not fall below
    # the size.
    size, shift = t
    align = 1 << shift
    check(((size + align - 1) & 0xFFFFFFFF) & ~(align - 1) >= size)


def _b30_slip(packets):
    # SLIP framing: each packet ends with END (0xC0) and an END inside it is
    # sent as ESC ESC_END (0xDB 0xDC); the encoder forgets to send an ESC
    # inside a packet as ESC ESC_ESC (0xDB 0xDD). The decoder reads ESC_END
    # and ESC_ESC after an ESC as END and ESC and any other byte as itself,
    # skips empty packets and drops an unfinished one. The packets must
    # come back.
    stream = []
    for p in packets:
        for b in p:
            stream += [0xDB, 0xDC] if b == 0xC0 else [b]
        stream.append(0xC0)
    decoded, current, escaped = [], [], False
    for b in stream:
        if escaped:
            current.append(0xC0 if b == 0xDC else 0xDB if b == 0xDD else b)
            escaped = False
        elif b == 0xDB:
            escaped = True
        elif b == 0xC0:
            if current:
                decoded.append(bytes(current))
            current = []
        else:
            current.append(b)
    check(decoded == list(packets))


def _b30_records(t):
    # Records [length][payload] read back to back from a stream that lacks
    # its last `missing` bytes; the bounds check compares the offset plus
    # the length with the stream's size, leaving out the length byte. Every
    # payload accepted must lie in the stream.
    payloads, missing = t
    stream = b"".join(bytes([len(p)]) + p for p in payloads)
    stream = stream[:max(0, len(stream) - missing)]
    pos = 0
    while pos + 1 <= len(stream):
        n = stream[pos]
        if pos + n > len(stream):
            break
        check(pos + 1 + n <= len(stream))
        pos += 1 + n


def _b30_luhn_doubled(d):
    return 2 * d - 9 if 2 * d > 9 else 2 * d


def _b30_luhn(payload):
    # A Luhn check digit that doubles every second digit counted from the
    # left (right for odd lengths only), then the Luhn check, doubling every
    # second digit from the right with the check digit not doubled.
    digits = [int(c) for c in payload]
    total = sum(_b30_luhn_doubled(x) if i % 2 == 0 else x for i, x in enumerate(digits))
    number = digits + [(10 - total % 10) % 10]
    check(sum(_b30_luhn_doubled(x) if i % 2 == 1 else x for i, x in enumerate(reversed(number))) % 10 == 0)


def _b30_format_cache(xs):
    # Float32 samples formatted through a cache keyed by the value: 0.0 and
    # -0.0 are equal keys, so whichever comes first answers for both. It
    # must agree with formatting each.
    cache, out = {}, []
    for x in xs:
        if x not in cache:
            cache[x] = repr(x)
        out.append(cache[x])
    check(out == [repr(x) for x in xs])


def _b30_is_signed_zeros(xs):
    return (len(xs) == 2 and xs == [0.0, 0.0] and math.copysign(1.0, xs[0]) > 0
            and math.copysign(1.0, xs[1]) < 0)


def _b30_xor_fingerprint(pages):
    f = 0
    for p in pages:
        f ^= p + 1
    return f


def _b30_snapshot_dedupe(t):
    # Sets of pages fingerprinted as the XOR of page + 1 over their pages;
    # equal fingerprints are taken for equal sets.
    a, b = t
    check(_b30_xor_fingerprint(a) != _b30_xor_fingerprint(b) or a == b)


def _b30_sparse_dot(t):
    # The dot product of two sparse vectors (index -> value) by a merge over
    # their sorted indices that, at a mismatch, moves on the side with the
    # greater index instead of the lesser. It must agree with the plain sum.
    a, b = t
    ka, kb = sorted(a), sorted(b)
    i = j = total = 0
    while i < len(ka) and j < len(kb):
        if ka[i] == kb[j]:
            total += a[ka[i]] * b[kb[j]]
            i += 1
            j += 1
        elif ka[i] < kb[j]:
            j += 1
        else:
            i += 1
    check(total == sum(v * b.get(k, 0) for k, v in a.items()))


def _b30_json_text(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return "[" + ",".join(map(_b30_json_text, v)) + "]"


def _b30_json_reserved(v):
    # The buffer a JSON writer reserves: exact for the scalars, but an array
    # counts its brackets and elements and not the commas between them.
    if v is None:
        return 4
    if isinstance(v, bool):
        return 4 if v else 5
    if isinstance(v, int):
        return len(str(v))
    return 2 + sum(map(_b30_json_reserved, v))


def _b30_json_buffer(v):
    check(len(_b30_json_text(v)) <= _b30_json_reserved(v))


def _b30_json(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: at each level a
    # scalar or an array of values of the next level, and only a scalar at
    # the last.
    scalar = st.one_of(st.none(), st.booleans(), st.integers(0, 1000))
    if depth == 0:
        return scalar
    return st.one_of(scalar, st.lists(_b30_json(depth - 1)))


def _b30_wire_decode(b):
    # Fields back from bytes (invalid UTF-8 replaced); None when a tag is
    # unknown or a field runs past the end.
    out, i = [], 0
    while i < len(b):
        tag = b[i]
        i += 1
        if tag == 0:
            if i + 4 > len(b):
                return None
            out.append(("int", struct.unpack("<i", b[i:i + 4])[0]))
            i += 4
        elif tag in (1, 2):
            if i + 1 > len(b):
                return None
            n = b[i]
            i += 1
            if i + n > len(b):
                return None
            chunk = bytes(b[i:i + n])
            i += n
            out.append(("text", chunk.decode("utf-8", errors="replace")) if tag == 1 else ("blob", chunk))
        else:
            return None
    return out


def _b30_wire_fields(fields):
    # Fields as a tag byte and four little-endian bytes, or a length byte
    # and that many bytes; a text's length byte is its count of characters
    # where the reader expects its count of UTF-8 bytes. The fields must
    # come back.
    out = bytearray()
    for kind, x in fields:
        if kind == "int":
            out += b"\x00" + struct.pack("<i", x)
        elif kind == "text":
            out += bytes([1, len(x) & 0xFF]) + x.encode("utf-8")
        else:
            out += bytes([2, len(x) & 0xFF]) + x
    check(_b30_wire_decode(bytes(out)) == list(fields))


def _b30_ring_mask(t):
    # A ring of `capacity` slots that turns a position into a slot with
    # & (capacity - 1), which is % capacity only for powers of two: the
    # items pushed (no more than the capacity) must read back in order.
    capacity, items = t
    slots = [0] * capacity
    for i, x in enumerate(items):
        slots[i & (capacity - 1)] = x
    check([slots[i & (capacity - 1)] for i in range(len(items))] == items)


def _b30_bitmap_alloc(bitmap, n):
    for start in range(32 - n + 1):
        run = ((1 << n) - 1) << start
        if bitmap["bits"] & run == 0:
            bitmap["bits"] |= run
            bitmap["live"] += 1
            return start
    return None


def _b30_bitmap_machine(data):
    # A first-fit page allocator over a 32-page bitmap whose free clears
    # the mask (1 << n - 1) << start as C reads it, 1 << (n - 1) << start:
    # only the run's last page. The pages in use must be those of the
    # allocator that clears the whole run.
    def alloc(s, d):
        n = d.draw(st.integers(1, 4))
        expected, got = _b30_bitmap_alloc(s["model"], n), _b30_bitmap_alloc(s["bitmap"], n)
        line = f"alloc(pages: {n})"
        if got is not None:
            s["made"] += 1
            v = f"v{s['made']}"
            s["blocks"].append((v, got, n))
            line = f"{v} = {line}"
        if got != expected:
            s["line"] = line
            raise MachineFailure()
        return line

    def free(s, d):
        v, start, n = s["blocks"].pop(d.draw(st.integers(0, len(s["blocks"]) - 1)))
        s["model"]["bits"] &= ~(((1 << n) - 1) << start)
        s["model"]["live"] -= 1
        s["bitmap"]["bits"] &= ~((1 << (n - 1)) << start)
        s["bitmap"]["live"] -= 1
        return f"free(block: {v})"

    def same_pages(s):
        if s["bitmap"]["bits"] != s["model"]["bits"]:
            raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: s["model"]["live"] > 0, free)],
                lambda: {"made": 0, "blocks": [], "model": {"bits": 0, "live": 0}, "bitmap": {"bits": 0, "live": 0},
                         "check": same_pages})


def _b30_intern_machine(data):
    # An intern table of names with reference counts whose intern of a name
    # already stored takes no reference, so one holder's release drops the
    # name under the other. The names stored must be those with references.
    def intern(s, d):
        name = d.draw(st.integers(0, 3))
        if name not in s["table"]:
            s["table"][name] = 1
        s["model"][name] = s["model"].get(name, 0) + 1
        s["made"] += 1
        v = f"v{s['made']}"
        s["handles"].append((v, name))
        return f"{v} = intern(name: {name})"

    def release(s, d):
        v, name = s["handles"].pop(d.draw(st.integers(0, len(s["handles"]) - 1)))
        if name in s["table"]:
            s["table"][name] -= 1
            if s["table"][name] == 0:
                del s["table"][name]
        s["model"][name] -= 1
        if s["model"][name] == 0:
            del s["model"][name]
        return f"release(handle: {v})"

    def same_names(s):
        if set(s["table"]) != set(s["model"]):
            raise MachineFailure()

    run_machine(data, [("intern", lambda s: True, intern), ("release", lambda s: len(s["model"]) > 0, release)],
                lambda: {"made": 0, "handles": [], "table": {}, "model": {}, "check": same_names})


def _b30_undo_machine(data):
    # A text editor's undo and redo of typed characters: undo moves the last
    # edit to the redo stack and redo types it again; the editor under test
    # keeps the redo stack through a new edit. Its text must be the text of
    # the editor that clears it.
    def fresh(clears):
        return {"text": "", "done": [], "undone": [], "clears": clears}

    def typed(e, c):
        e["text"] += c
        e["done"].append(c)
        if e["clears"]:
            e["undone"].clear()

    def undone(e):
        if e["done"]:
            e["undone"].append(e["done"].pop())
            e["text"] = e["text"][:-1]

    def redone(e):
        if e["undone"]:
            c = e["undone"].pop()
            e["text"] += c
            e["done"].append(c)

    def type_(s, d):
        c = d.draw(st.sampled_from("abc"))
        typed(s["model"], c)
        typed(s["editor"], c)
        return f"type(ch: {c})"

    def undo(s, d):
        undone(s["model"])
        undone(s["editor"])
        return "undo()"

    def redo(s, d):
        redone(s["model"])
        redone(s["editor"])
        return "redo()"

    def same_text(s):
        if s["editor"]["text"] != s["model"]["text"]:
            raise MachineFailure()

    always = lambda s: True
    run_machine(data, [("type", always, type_), ("undo", always, undo), ("redo", always, redo)],
                lambda: {"model": fresh(True), "editor": fresh(False), "check": same_text})


def _b30_pool_machine(data):
    # A connection pool whose acquire takes the connection released last or
    # opens a new one; a release of a connection that broke in use closes it
    # and puts it among the idle ones all the same. No acquire may give a
    # connection that broke.
    def acquire(s, d):
        if s["idle"]:
            c = s["idle"].pop()
        else:
            c = s["opened"]
            s["opened"] += 1
        s["made"] += 1
        v = f"v{s['made']}"
        s["held"].append((v, c))
        if c in s["broken"]:
            s["line"] = f"{v} = acquire()"
            raise MachineFailure()
        return f"{v} = acquire()"

    def release(s, d):
        v, c = s["held"].pop(d.draw(st.integers(0, len(s["held"]) - 1)))
        broken = d.draw(st.booleans())
        if broken:
            s["broken"].add(c)
        s["idle"].append(c)
        return f"release(conn: {v}, broken: {str(broken).lower()})"

    run_machine(data, [("acquire", lambda s: True, acquire), ("release", lambda s: len(s["held"]) > 0, release)],
                lambda: {"made": 0, "opened": 0, "idle": [], "held": [], "broken": set()})


_B30_FIELD = st.one_of(st.integers(-(2**31), 2**31 - 1).map(lambda x: ("int", x)),
                       st.lists(st.sampled_from("a€")).map(lambda cs: ("text", "".join(cs))),
                       st.binary(max_size=8).map(lambda b: ("blob", b)))


def _b30_show_sets(t):
    return "(" + ", ".join(repr(set(sorted(s))) if s else "set()" for s in t) + ")"


PROBLEMS += [
    Problem("align_up_u32_wraps_below_size", st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 12)), _b30_align_up,
            lambda t: t == (4294963201, 12)),
    Problem("slip_encoder_leaves_esc_unescaped", st.lists(st.binary(min_size=1, max_size=16)), _b30_slip,
            lambda ps: ps == [b"\xdb"]),
    Problem("record_reader_bounds_skip_length_byte", st.tuples(st.lists(st.binary(max_size=8)), st.integers(0, 3)),
            _b30_records, lambda t: t == ([b"\x00"], 1)),
    Problem("luhn_doubles_from_the_left", st.lists(st.sampled_from("0123456789")).map("".join), _b30_luhn,
            lambda s: s == "01"),
    Problem("format_cache_merges_signed_zeros", st.lists(st.floats(width=32)), _b30_format_cache, _b30_is_signed_zeros),
    Problem("snapshot_dedupe_by_xor_fingerprint", st.tuples(st.sets(st.integers(0, 15)), st.sets(st.integers(0, 15))),
            _b30_snapshot_dedupe, lambda t: t == (set(), {0, 1, 2}), show=_b30_show_sets),
    Problem("sparse_dot_merge_advances_wrong_side",
            st.tuples(st.dictionaries(st.integers(0, 7), st.integers(-10, 10)),
                      st.dictionaries(st.integers(0, 7), st.integers(-10, 10))),
            _b30_sparse_dot, lambda t: t == ({0: 0, 1: 1}, {1: 1}),
            show=lambda t: f"({show_dict(t[0])}, {show_dict(t[1])})"),
    Problem("json_size_estimate_forgets_commas", _b30_json(4), _b30_json_buffer, lambda v: v == [None, None]),
    Problem("field_text_length_counts_characters", st.lists(_B30_FIELD), _b30_wire_fields,
            lambda fs: fs == [("text", "€")]),
    Problem("ring_mask_index_non_power_of_two",
            st.integers(1, 8).flatmap(lambda n: st.lists(st.integers(0, 255), max_size=n).map(lambda xs: (n, xs))),
            _b30_ring_mask, lambda t: t == (3, [0, 1])),
    machine_problem("machine_page_bitmap_free_mask_precedence", _b30_bitmap_machine,
                    ["v1 = alloc(pages: 2)", "free(block: v1)"]),
    machine_problem("machine_intern_hit_takes_no_reference", _b30_intern_machine,
                    ["v1 = intern(name: 0)", "v2 = intern(name: 0)", "release(handle: v1)"]),
    machine_problem("machine_undo_edit_keeps_redo_stack", _b30_undo_machine,
                    ["type(ch: a)", "undo()", "type(ch: a)", "redo()"]),
    machine_problem("machine_pool_returns_broken_connection", _b30_pool_machine,
                    ["v1 = acquire()", "release(conn: v1, broken: true)", "v2 = acquire()"]),
]


# The thirty-first batch (Benchmarks/Sources/ShrinkQuality/ThirtyFirstBatch.swift).

def _b31_segment_window(t):
    # RFC 793's test that a segment of `length` bytes, `offset` bytes past
    # RCV.NXT, lies in the receive window, written with plain 32-bit
    # comparisons of the sequence numbers: near 2^32 the sums wrap. It must
    # agree with offset + length <= RCV.WND.
    rcv_nxt, rcv_wnd, offset, length = t
    seq = (rcv_nxt + offset) & 0xFFFFFFFF
    unsigned = seq >= rcv_nxt and (seq + length) & 0xFFFFFFFF <= (rcv_nxt + rcv_wnd) & 0xFFFFFFFF
    check(unsigned == (offset + length <= rcv_wnd))


def _b31_wrap16(x):
    x &= 0xFFFF
    return x - 65536 if x >= 32768 else x


def _b31_deadband(t):
    # Whether a sensor reading moved past the deadband, with the difference
    # taken in 16-bit arithmetic that wraps: readings more than 32767 apart
    # look close. It must agree with the exact difference.
    reading, previous, deadband = t
    check((abs(_b31_wrap16(reading - previous)) > deadband) == (abs(reading - previous) > deadband))


def _b31_lerp(t):
    # An animation's interpolation a + t * (b - a) at its last frame, t = 1:
    # the rounding of b - a and of the sum can miss b.
    a, b = t
    check(a + 1.0 * (b - a) == b)


def _b31_restart_find(hay, needle):
    # After a mismatch the scanner starts the match over at the current
    # character, where it should fall back to the longest border of the
    # part matched (as KMP does).
    j = 0
    for i, c in enumerate(hay):
        if c == needle[j]:
            j += 1
            if j == len(needle):
                return i - j + 1
        else:
            j = 1 if c == needle[0] else 0
    return None


def _b31_boundary(t):
    # A multipart reader's boundary scan must find the first occurrence.
    hay, needle = t
    i = hay.find(needle)
    check(_b31_restart_find(hay, needle) == (None if i < 0 else i))


def _b31_username_fold(t):
    # Sign-in matches names by their upper case and the unique index of
    # names by their lower case: "ß" upper-cases to "SS". Two names must
    # collide in both or in neither.
    a, b = t
    check((a.upper() == b.upper()) == (a.lower() == b.lower()))


def _b31_index_key(k):
    # A composite index key: each field's bytes and a 0x00 terminator,
    # with the zeros inside a field left unescaped.
    return k[0] + b"\x00" + k[1] + b"\x00"


def _b31_index_keys(keys):
    # Distinct keys in field order must have strictly increasing encodings.
    ks = sorted(set(keys))
    check(all(_b31_index_key(x) < _b31_index_key(y) for x, y in zip(ks, ks[1:])))


def _b31_stored_block(b):
    # A deflate stored block's header LEN, NLEN (little-endian 16-bit),
    # checked by comparing only the low bytes. An accepted header must
    # have NLEN the complement of LEN.
    if len(b) >= 4 and b[2] == ~b[0] & 0xFF:
        check(b[2] | b[3] << 8 == ~(b[0] | b[1] << 8) & 0xFFFF)


def _b31_lsm(levels):
    # Three levels of an LSM tree, newest first, None for a tombstone.
    # Compacting the two upper levels drops their tombstones, which only
    # the bottom level may: the bottom level's older value shows again.
    # Every key must read as through the three levels.
    l0, l1, l2 = levels
    compacted = {k: v for k, v in {**l1, **l0}.items() if v is not None}
    for k in range(8):
        expected = next((level[k] for level in (l0, l1, l2) if k in level), None)
        check((compacted[k] if k in compacted else l2.get(k)) == expected)


def _b31_ring(t):
    # A key's two replicas on a hash ring are the first two nodes from the
    # key on, clockwise; the lookup wraps to the start of the ring when no
    # node is at or after the key, but not when only one is.
    nodes, key = t
    ring = sorted(nodes)
    after = [n for n in ring if n >= key]
    expected = (after + [n for n in ring if n < key])[:2]
    check((after[:2] if after else ring[:2]) == expected)


def _b31_show_ring(t):
    return f"({{{', '.join(map(str, sorted(t[0])))}}}, {t[1]})"


def _b31_predicates(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a literal, or NOT,
    # AND, OR of predicates of the next level, and only a literal at the last.
    if depth == 0:
        return st.booleans()
    inner = _b31_predicates(depth - 1)
    return st.one_of(st.booleans(), st.one_of(inner.map(lambda p: ("not", p)), st.tuples(st.just("and"), inner, inner),
                                              st.tuples(st.just("or"), inner, inner)))


def _b31_value(p):
    if isinstance(p, bool):
        return p
    if p[0] == "not":
        return not _b31_value(p[1])
    return _b31_value(p[1]) and _b31_value(p[2]) if p[0] == "and" else _b31_value(p[1]) or _b31_value(p[2])


def _b31_nnf(p):
    # A query planner pushes NOT down to the literals, but rewrites
    # NOT (a AND b) as (NOT a) AND (NOT b).
    if isinstance(p, bool):
        return p
    if p[0] != "not":
        return (p[0], _b31_nnf(p[1]), _b31_nnf(p[2]))
    q = p[1]
    if isinstance(q, bool):
        return not q
    if q[0] == "not":
        return _b31_nnf(q[1])
    return ("and", _b31_nnf(("not", q[1])), _b31_nnf(("not", q[2])))


def _b31_predicate(p):
    check(_b31_value(_b31_nnf(p)) == _b31_value(p))


def _b31_calloc_machine(data):
    # A heap of one-word blocks that recycles freed blocks last in, first
    # out; calloc zeroes only fresh memory, taking a recycled block to be
    # clean too. calloc must hand out a zeroed block.
    def take(s):
        if s["free"]:
            return s["free"].pop()
        s["memory"].append(0)
        return len(s["memory"]) - 1

    def produce(s, address):
        s["made"] += 1
        v = f"v{s['made']}"
        s["blocks"].append((v, address))
        return v

    def malloc(s, d):
        return f"{produce(s, take(s))} = malloc()"

    def calloc(s, d):
        address = take(s)
        v = produce(s, address)
        if s["memory"][address] != 0:
            s["line"] = f"{v} = calloc()"
            raise MachineFailure()
        return f"{v} = calloc()"

    def write(s, d):
        v, address = s["blocks"][d.draw(st.integers(0, len(s["blocks"]) - 1))]
        value = d.draw(st.integers(0, 9))
        s["memory"][address] = value
        return f"write(block: {v}, value: {value})"

    def free(s, d):
        v, address = s["blocks"].pop(d.draw(st.integers(0, len(s["blocks"]) - 1)))
        s["free"].append(address)
        return f"free(block: {v})"

    live = lambda s: len(s["blocks"]) > 0
    run_machine(data, [("malloc", lambda s: True, malloc), ("calloc", lambda s: True, calloc), ("write", live, write),
                       ("free", live, free)],
                lambda: {"made": 0, "blocks": [], "memory": [], "free": []})


def _b31_sift_up(heap, pos, i):
    while i > 0 and heap[i][0] < heap[(i - 1) // 2][0]:
        parent = (i - 1) // 2
        heap[i], heap[parent] = heap[parent], heap[i]
        pos[heap[i][1]], pos[heap[parent][1]] = i, parent
        i = parent


def _b31_sift_down(heap, pos, i):
    while True:
        c = 2 * i + 1
        if c >= len(heap):
            return
        if c + 1 < len(heap) and heap[c + 1][0] < heap[c][0]:
            c += 1
        if not heap[c][0] < heap[i][0]:
            return
        heap[i], heap[c] = heap[c], heap[i]
        pos[heap[i][1]], pos[heap[c][1]] = i, c
        i = c


def _b31_heap_machine(data):
    # A binary min-heap of [priority, id] with each id's position, for
    # decrease-key; a lowered entry is sifted down, as after a pop, where it
    # should go up past the parents it now beats. popMin must give the
    # least priority.
    def insert(s, d):
        p = d.draw(st.integers(0, 9))
        s["made"] += 1
        v = f"v{s['made']}"
        s["items"].append(v)
        s["heap"].append([p, v])
        s["pos"][v] = len(s["heap"]) - 1
        _b31_sift_up(s["heap"], s["pos"], len(s["heap"]) - 1)
        s["model"][v] = p
        return f"{v} = insert(priority: {p})"

    def decrease(s, d):
        v = s["items"][d.draw(st.integers(0, len(s["items"]) - 1))]
        by = d.draw(st.integers(1, 5))
        if v in s["model"]:
            s["model"][v] -= by
            i = s["pos"][v]
            s["heap"][i][0] -= by
            _b31_sift_down(s["heap"], s["pos"], i)
        return f"decrease(item: {v}, by: {by})"

    def pop_min(s, d):
        heap, pos = s["heap"], s["pos"]
        heap[0], heap[-1] = heap[-1], heap[0]
        pos[heap[0][1]] = 0
        p, v = heap.pop()
        del pos[v]
        _b31_sift_down(heap, pos, 0)
        expected = min(s["model"].values())
        del s["model"][v]
        if p != expected:
            s["line"] = "popMin()"
            raise MachineFailure()
        return "popMin()"

    live = lambda s: len(s["model"]) > 0
    run_machine(data, [("insert", lambda s: True, insert), ("decrease", live, decrease), ("popMin", live, pop_min)],
                lambda: {"made": 0, "items": [], "heap": [], "pos": {}, "model": {}})


def _b31_btree_split(parent, i):
    full = parent["children"][i]
    left = {"keys": full["keys"][:1], "children": full["children"][:2]}
    right = {"keys": full["keys"][2:], "children": full["children"][2:]}
    parent["keys"].insert(i, full["keys"][1])
    parent["children"][i] = left
    parent["children"].insert(i + 1, right)


def _b31_btree_insert(tree, k):
    # A B-tree of at most three keys a node, split on the way down: a full
    # node met by an insertion is split first, its middle key moving up (a
    # full root gets an empty root above it, which the descent then
    # splits). After a split the insertion goes on in the half chosen by
    # comparing with the first key of the new right node, where it should
    # compare with the key moved up.
    node = tree["root"]
    while k not in node["keys"] and node["children"]:
        node = node["children"][sum(1 for x in node["keys"] if x < k)]
    if k in node["keys"]:
        return
    if len(tree["root"]["keys"]) == 3:
        tree["root"] = {"keys": [], "children": [tree["root"]]}
    node = tree["root"]
    while node["children"]:
        i = sum(1 for x in node["keys"] if x < k)
        if len(node["children"][i]["keys"]) == 3:
            _b31_btree_split(node, i)
            if k >= node["children"][i + 1]["keys"][0]:
                i += 1
        node = node["children"][i]
    node["keys"] = sorted(node["keys"] + [k])


def _b31_in_order(node):
    out = []
    for j, child in enumerate(node["children"]):
        out += _b31_in_order(child)
        if j < len(node["keys"]):
            out.append(node["keys"][j])
    return out if node["children"] else list(node["keys"])


def _b31_btree_machine(data):
    # Inserts and lookups of keys 0-9; the tree's keys in order must be the
    # keys inserted, sorted.
    def insert(s, d):
        k = d.draw(st.integers(0, 9))
        _b31_btree_insert(s["tree"], k)
        s["model"].add(k)
        return f"insert(key: {k})"

    def lookup(s, d):
        k = d.draw(st.integers(0, 9))
        node = s["tree"]["root"]
        while k not in node["keys"] and node["children"]:
            node = node["children"][sum(1 for x in node["keys"] if x < k)]
        if (k in node["keys"]) != (k in s["model"]):
            s["line"] = f"lookup(key: {k})"
            raise MachineFailure()
        return f"lookup(key: {k})"

    def in_order(s):
        if _b31_in_order(s["tree"]["root"]) != sorted(s["model"]):
            raise MachineFailure()

    run_machine(data, [("insert", lambda s: True, insert), ("lookup", lambda s: True, lookup)],
                lambda: {"tree": {"root": {"keys": [], "children": []}}, "model": set(), "check": in_order})


def _b31_savepoint_machine(data):
    # A key-value store inside a transaction with savepoints: ROLLBACK TO a
    # savepoint restores the data it saw and forgets the savepoints made
    # after it but keeps it (RELEASE forgets it with them); the store under
    # test forgets the savepoint rolled back to as well, so a second
    # rollback to it does nothing. Its data must be the correct store's.
    def fresh(keeps):
        return {"data": {}, "savepoints": [], "keeps": keeps}

    def find(store, v):
        ids = [sp for sp, _ in store["savepoints"]]
        return len(ids) - 1 - ids[::-1].index(v) if v in ids else None

    def rolled_back(store, v):
        i = find(store, v)
        if i is not None:
            store["data"] = dict(store["savepoints"][i][1])
            del store["savepoints"][i + 1 if store["keeps"] else i:]

    def released(store, v):
        i = find(store, v)
        if i is not None:
            del store["savepoints"][i:]

    def put(s, d):
        k = d.draw(st.integers(0, 2))
        value = d.draw(st.integers(0, 9))
        for store in (s["model"], s["store"]):
            store["data"][k] = value
        return f"put(key: {k}, value: {value})"

    def savepoint(s, d):
        s["made"] += 1
        v = f"v{s['made']}"
        s["ids"].append(v)
        for store in (s["model"], s["store"]):
            store["savepoints"].append((v, dict(store["data"])))
        return f"{v} = savepoint()"

    def rollback(s, d):
        v = s["ids"][d.draw(st.integers(0, len(s["ids"]) - 1))]
        rolled_back(s["model"], v)
        rolled_back(s["store"], v)
        return f"rollback(to: {v})"

    def release(s, d):
        v = s["ids"][d.draw(st.integers(0, len(s["ids"]) - 1))]
        released(s["model"], v)
        released(s["store"], v)
        return f"release(savepoint: {v})"

    def same_data(s):
        if s["store"]["data"] != s["model"]["data"]:
            raise MachineFailure()

    made = lambda s: s["made"] > 0
    run_machine(data, [("put", lambda s: True, put), ("savepoint", lambda s: True, savepoint),
                       ("rollback", made, rollback), ("release", made, release)],
                lambda: {"made": 0, "ids": [], "model": fresh(True), "store": fresh(False), "check": same_data})


PROBLEMS += [
    Problem("tcp_window_check_unsigned_wraps",
            st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1),
                      st.integers(0, 2**16 - 1)),
            _b31_segment_window, lambda t: t == (4294836226, 0, 65535, 65535)),
    Problem("deadband_delta_wraps_int16",
            st.tuples(st.integers(-(2**15), 2**15 - 1), st.integers(-(2**15), 2**15 - 1), st.integers(0, 2**15 - 1)),
            _b31_deadband, lambda t: t == (1, -32768, 32767)),
    Problem("lerp_at_one_misses_end", st.tuples(st.floats(allow_nan=False, allow_infinity=False),
                                                st.floats(allow_nan=False, allow_infinity=False)),
            _b31_lerp, lambda t: t == (1.0, 9007199254740994.0)),
    Problem("boundary_scan_restarts_after_partial_match",
            st.tuples(st.lists(st.sampled_from("-x")).map("".join),
                      st.lists(st.sampled_from("-x"), min_size=1, max_size=4).map("".join)),
            _b31_boundary, lambda t: t == ("---x", "--x")),
    Problem("username_match_upper_vs_lower_fold",
            st.tuples(st.lists(st.sampled_from("sSß")).map("".join), st.lists(st.sampled_from("sSß")).map("".join)),
            _b31_username_fold, lambda t: t == ("ss", "ß")),
    Problem("index_key_zero_terminator_unescaped", st.lists(st.tuples(st.binary(max_size=4), st.binary(max_size=4))),
            _b31_index_keys, lambda ks: ks == [(b"", b"\x00"), (b"\x00", b"")]),
    Problem("stored_block_nlen_checks_low_byte", st.binary(max_size=16), _b31_stored_block,
            lambda b: b == b"\x00\x00\xff\x00"),
    Problem("lsm_compaction_drops_tombstones_early",
            st.tuples(*[st.dictionaries(st.integers(0, 7), st.none() | st.integers(0, 9))] * 3), _b31_lsm,
            lambda t: t == ({}, {0: None}, {0: 0}), show=lambda t: "(" + ", ".join(map(show_dict, t)) + ")"),
    Problem("hash_ring_replica_no_wrap",
            st.tuples(st.sets(st.integers(0, 255), min_size=1, max_size=8), st.integers(0, 255)), _b31_ring,
            lambda t: t == ({0, 1}, 1), show=_b31_show_ring),
    Problem("predicate_nnf_not_and_stays_and", _b31_predicates(4), _b31_predicate,
            lambda p: p == ("not", ("and", False, True))),
    machine_problem("machine_calloc_recycled_block_not_zeroed", _b31_calloc_machine,
                    ["v1 = malloc()", "write(block: v1, value: 1)", "free(block: v1)", "v2 = calloc()"]),
    machine_problem("machine_heap_decrease_key_sifts_down", _b31_heap_machine,
                    ["v1 = insert(priority: 0)", "v2 = insert(priority: 0)", "decrease(item: v2, by: 1)", "popMin()"]),
    machine_problem("machine_btree_split_descends_by_right_key", _b31_btree_machine,
                    ["insert(key: 0)", "insert(key: 1)", "insert(key: 3)", "insert(key: 2)"]),
    machine_problem("machine_savepoint_rollback_forgets_savepoint", _b31_savepoint_machine,
                    ["v1 = savepoint()", "rollback(to: v1)", "put(key: 0, value: 0)", "rollback(to: v1)"]),
]


# The thirty-second batch (Benchmarks/Sources/ShrinkQuality/ThirtySecondBatch.swift).

def _b32_wrap32(x):
    x &= 0xFFFFFFFF
    return x - 2**32 if x >= 2**31 else x


def _b32_seek(offset):
    # A 32-bit compatibility layer's lseek narrows the 64-bit offset to
    # 32 bits after checking only that it is at most 2^31 - 1: offsets below
    # -2^31 wrap. An accepted offset must be the offset asked for.
    if offset <= 2**31 - 1:
        check(_b32_wrap32(offset) == offset)


def _b32_spread_skipping_byte_step(v):
    # A Morton code's bit spreading without its first step
    # ((n | n << 8) & 0x00FF00FF): right only below 256.
    n = v
    n = (n | n << 4) & 0x0F0F0F0F
    n = (n | n << 2) & 0x33333333
    n = (n | n << 1) & 0x55555555
    return n


def _b32_compact(m):
    n = m & 0x55555555
    n = (n | n >> 1) & 0x33333333
    n = (n | n >> 2) & 0x0F0F0F0F
    n = (n | n >> 4) & 0x00FF00FF
    n = (n | n >> 8) & 0x0000FFFF
    return n


def _b32_morton(t):
    # (x, y) through the Morton code and decoded must come back.
    x, y = t
    code = _b32_spread_skipping_byte_step(x) | _b32_spread_skipping_byte_step(y) << 1
    check(_b32_compact(code) == x and _b32_compact(code >> 1) == y)


def _b32_mean(xs):
    # A metrics aggregator's mean: the plain sum over the count, where the
    # sum of two large finite samples overflows to infinity. The mean of a
    # non-empty list must be finite.
    if xs:
        total = 0.0
        for x in xs:
            total += x
        check(math.isfinite(total / len(xs)))


def _b32_trimmed_change(t):
    # An editor's incremental sync: the change from old to new as the text
    # between their common prefix and common suffix, each measured on its
    # own; when they overlap the replaced range ends before it starts.
    # Applied to the old text the change must give the new one.
    old, new = t
    if old == new:
        return
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    check(old[:p] + new[p:max(p, len(new) - s)] + old[len(old) - s:] == new)


def _b32_unpad(b):
    # PKCS#7 unpadding for an 8-byte block cipher that checks only the last
    # byte (1-8), not the other pad bytes. An accepted unpadding must be
    # undone by padding again.
    if b and len(b) % 8 == 0 and 1 <= b[-1] <= 8:
        m = b[:-b[-1]]
        p = 8 - len(m) % 8
        check(m + bytes([p]) * p == b)


def _b32_versions(vs):
    # A package index sorts versions by their dotted strings ("10" before
    # "2"); the order must be the components' order.
    check(sorted(vs, key=lambda v: ".".join(map(str, v))) == sorted(vs))


def _b32_median_bucket(d, halving_first):
    # A latency histogram's median bucket: the first bucket whose running
    # count reaches half the total; the buggy one halves the total first by
    # integer division.
    total = sum(d.values())
    running = 0
    for k in sorted(d):
        running += d[k]
        if (running >= total // 2) if halving_first else (2 * running >= total):
            return k
    return None


def _b32_histogram(d):
    check(_b32_median_bucket(d, True) == _b32_median_bucket(d, False))


def _b32_prefix_summary(prefixes):
    # A route summarizer over /24 prefixes 0-255 merges two adjacent blocks
    # of one size into one of twice the size without checking that the
    # first is aligned to it; a block (start, size) is announced as the
    # prefix of its size that holds its start. The announced prefixes must
    # cover exactly the set.
    blocks = [(x, 1) for x in sorted(prefixes)]
    changed = True
    while changed:
        changed = False
        merged = []
        i = 0
        while i < len(blocks):
            if i + 1 < len(blocks) and blocks[i][1] == blocks[i + 1][1] and blocks[i][0] + blocks[i][1] == blocks[i + 1][0]:
                merged.append((blocks[i][0], 2 * blocks[i][1]))
                i += 2
                changed = True
            else:
                merged.append(blocks[i])
                i += 1
        blocks = merged
    covered = set()
    for start, size in blocks:
        network = start & ~(size - 1)
        covered |= set(range(network, network + size))
    check(covered == prefixes)


def _b32_register_read(a):
    # A device model's 16-byte register window checks offset < 16 and
    # ignores the read's width. An accepted read must lie in the window.
    kind, offset = a
    width = {"read8": 1, "read16": 2, "read32": 4}[kind]
    check(not offset < 16 or offset + width <= 16)


def _b32_ctypes(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only int
    # at the last level), then pointer or array, its inner type and for an
    # array its length 0-9.
    if depth == 0:
        return st.integers(0, 0).map(lambda _: "int")
    inner = _b32_ctypes(depth - 1)
    extend = st.integers(0, 1).flatmap(
        lambda k: inner.map(lambda t: ("ptr", t)) if k == 0
        else st.tuples(inner, st.integers(0, 9)).map(lambda p: ("array", p[0], p[1])))
    return st.integers(0, 1).flatmap(lambda b: st.just("int") if b == 0 else extend)


def _b32_type_key(t):
    # A debugger's type table keys types by a declarator without C's
    # parentheses: pointers as a "*" prefix, arrays as a "[n]" suffix.
    if t == "int":
        return "int"
    return "*" + _b32_type_key(t[1]) if t[0] == "ptr" else _b32_type_key(t[1]) + f"[{t[2]}]"


def _b32_parse_type_key(key):
    # Loaded back, the suffixes bind first, then the pointers.
    rest = key.lstrip("*")
    stars = len(key) - len(rest)
    rest = rest[3:]
    t = "int"
    while "]" in rest:
        close = rest.index("]")
        t = ("array", t, int(rest[1:close]))
        rest = rest[close + 1:]
    for _ in range(stars):
        t = ("ptr", t)
    return t


def _b32_type_round_trip(t):
    check(_b32_parse_type_key(_b32_type_key(t)) == t)


def _b32_slab_capacity(size):
    # A 4096-byte slab with a 64-byte header and a 16-byte stride, its
    # capacity divided by the object size, not by the stride.
    return (4096 - 64) // size


def _b32_slab_slot(t):
    # A slot below the capacity must end within the page.
    size, slot = t
    check(64 + slot * ((size + 15) // 16 * 16) + size <= 4096)


def _b32_footer_machine(data):
    # A heap with boundary tags: a header at a chunk's first unit and a
    # footer at its last, each (size, free). malloc takes the lowest free
    # chunk that fits and splits off the rest, or carves from the top; free
    # merges with a free chunk after it (by its header) and before it (by
    # the footer just before). The split writes the remainder's header but
    # leaves its footer with the whole chunk's size. Live blocks and free
    # chunks must not overlap.
    def malloc(s, d):
        n = d.draw(st.integers(1, 4))
        header, footer = s["header"], s["footer"]
        fit = [c for c in sorted(s["free"]) if header[c][0] >= n]
        if fit:
            a = fit[0]
            s["free"] = [c for c in s["free"] if c != a]
            size = header[a][0]
            header[a] = (n, False)
            footer[a + n - 1] = (n, False)
            if size > n:
                header[a + n] = (size - n, True)
                s["free"].append(a + n)
        else:
            a = s["top"]
            s["top"] += n
            header[a] = (n, False)
            footer[a + n - 1] = (n, False)
        s["made"] += 1
        v = f"v{s['made']}"
        s["blocks"].append((v, a))
        s["live"][a] = n
        return f"{v} = malloc(size: {n})"

    def free(s, d):
        v, a = s["blocks"].pop(d.draw(st.integers(0, len(s["blocks"]) - 1)))
        del s["live"][a]
        header, footer = s["header"], s["footer"]
        start, size = a, header[a][0]
        after = header.get(start + size)
        if after is not None and after[1]:
            s["free"] = [c for c in s["free"] if c != start + size]
            size += after[0]
        before = footer.get(start - 1) if start > 0 else None
        if before is not None and before[1]:
            s["free"] = [c for c in s["free"] if c != start - before[0]]
            start -= before[0]
            size += before[0]
        header[start] = (size, True)
        footer[start + size - 1] = (size, True)
        s["free"].append(start)
        return f"free(block: {v})"

    def disjoint(s):
        spans = sorted(list(s["live"].items()) + [(c, s["header"][c][0]) for c in s["free"]], key=lambda span: span[0])
        for (a, n), (b, _) in zip(spans, spans[1:]):
            if a + n > b:
                raise MachineFailure()

    run_machine(data, [("malloc", lambda s: True, malloc), ("free", lambda s: len(s["live"]) > 0, free)],
                lambda: {"top": 0, "header": {}, "footer": {}, "free": [], "made": 0, "blocks": [], "live": {},
                         "check": disjoint})


def _b32_window_min_machine(data):
    # A sliding-window minimum: the samples in arrival order and a deque of
    # candidates increasing from the front. A push drops the candidates at
    # the back that are not below it, equal ones too; an expiry drops the
    # front candidate when it equals the expired sample. The minimum must
    # be the samples' minimum.
    def push(s, d):
        x = d.draw(st.integers(0, 9))
        s["model"].append(x)
        s["samples"].append(x)
        while s["candidates"] and s["candidates"][-1] >= x:
            s["candidates"].pop()
        s["candidates"].append(x)
        return f"push(x: {x})"

    def expire(s, d):
        s["model"].pop(0)
        oldest = s["samples"].pop(0)
        if s["candidates"] and s["candidates"][0] == oldest:
            s["candidates"].pop(0)
        return "expire()"

    def same_min(s):
        if (s["candidates"][0] if s["candidates"] else None) != (min(s["model"]) if s["model"] else None):
            raise MachineFailure()

    run_machine(data, [("push", lambda s: True, push), ("expire", lambda s: len(s["model"]) > 0, expire)],
                lambda: {"model": [], "samples": [], "candidates": [], "check": same_min})


def _b32_gap_buffer_machine(data):
    # An editor's gap buffer of 2 slots at first, the gap start..end, the
    # cursor at its start. When an insertion finds the gap empty the buffer
    # doubles: the old slots are copied to the front and the gap's end moved
    # up by the old capacity, but the text after the gap is not moved with
    # it. The buffer's text must be the editor's.
    def insert(s, d):
        x = d.draw(st.integers(0, 9))
        s["text"].insert(s["cursor"], x)
        s["cursor"] += 1
        if s["start"] == s["end"]:
            capacity = len(s["slots"])
            s["slots"] += [0] * capacity
            s["end"] += capacity
        s["slots"][s["start"]] = x
        s["start"] += 1
        return f"insert(x: {x})"

    def left(s, d):
        s["cursor"] -= 1
        s["start"] -= 1
        s["end"] -= 1
        s["slots"][s["end"]] = s["slots"][s["start"]]
        return "left()"

    def right(s, d):
        s["cursor"] += 1
        s["slots"][s["start"]] = s["slots"][s["end"]]
        s["start"] += 1
        s["end"] += 1
        return "right()"

    def delete(s, d):
        s["cursor"] -= 1
        del s["text"][s["cursor"]]
        s["start"] -= 1
        return "delete()"

    def same_text(s):
        if s["slots"][:s["start"]] + s["slots"][s["end"]:] != s["text"]:
            raise MachineFailure()

    run_machine(data, [("insert", lambda s: True, insert), ("left", lambda s: s["cursor"] > 0, left),
                       ("right", lambda s: s["cursor"] < len(s["text"]), right),
                       ("delete", lambda s: s["cursor"] > 0, delete)],
                lambda: {"slots": [0, 0], "start": 0, "end": 2, "text": [], "cursor": 0, "check": same_text})


PROBLEMS += [
    Problem("seek_offset_narrowed_upper_check_only", I64, _b32_seek, lambda x: x == -2147483649),
    Problem("morton_spread_skips_byte_step", st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1)), _b32_morton,
            lambda t: t == (0, 256)),
    Problem("float_mean_sum_overflows", st.lists(st.floats(allow_nan=False, allow_infinity=False)), _b32_mean,
            lambda xs: xs == [2.0**970, sys.float_info.max], show=show_floats),
    Problem("change_range_prefix_suffix_overlap",
            st.tuples(st.lists(st.sampled_from("ab")).map("".join), st.lists(st.sampled_from("ab")).map("".join)),
            _b32_trimmed_change, lambda t: t == ("aa", "a")),
    Problem("pkcs7_unpad_checks_last_byte_only", st.binary(max_size=64), _b32_unpad,
            lambda b: b == b"\x00\x00\x00\x00\x00\x00\x00\x02", show=py_bytes),
    Problem("versions_sorted_by_dotted_string", st.lists(st.lists(st.integers(0, 20), min_size=1, max_size=3)),
            _b32_versions, lambda vs: vs == [[2], [10]]),
    Problem("histogram_median_halves_total_first", st.dictionaries(st.integers(0, 15), st.integers(0, 9)),
            _b32_histogram, lambda d: d == {0: 0, 1: 1}, show=show_dict),
    Problem("prefix_summary_merges_unaligned_pair", st.sets(st.integers(0, 255)), _b32_prefix_summary,
            lambda s: s == {1, 2}, show=lambda s: "{" + ", ".join(str(x) for x in sorted(s)) + "}" if s else "set()"),
    Problem("mmio_window_check_ignores_access_width",
            st.one_of(st.integers(0, 31).map(lambda o: ("read8", o)), st.integers(0, 31).map(lambda o: ("read16", o)),
                      st.integers(0, 31).map(lambda o: ("read32", o))),
            _b32_register_read, lambda a: a == ("read16", 15)),
    Problem("type_key_declarator_without_parens", _b32_ctypes(4), _b32_type_round_trip,
            lambda t: t == ("array", ("ptr", "int"), 0)),
    Problem("slab_capacity_ignores_stride_padding",
            st.integers(1, 512).flatmap(lambda size: st.integers(0, _b32_slab_capacity(size) - 1).map(lambda i: (size, i))),
            _b32_slab_slot, lambda t: t == (1, 252)),
    machine_problem("machine_split_leaves_stale_footer", _b32_footer_machine,
                    ["v1 = malloc(size: 2)", "v2 = malloc(size: 1)", "free(block: v1)", "v3 = malloc(size: 1)",
                     "free(block: v2)"]),
    machine_problem("machine_window_min_push_drops_equal", _b32_window_min_machine,
                    ["push(x: 0)", "push(x: 0)", "expire()"]),
    machine_problem("machine_gap_buffer_grow_leaves_tail", _b32_gap_buffer_machine,
                    ["insert(x: 0)", "insert(x: 1)", "left()", "insert(x: 0)"]),
]


# The thirty-third batch (Benchmarks/Sources/ShrinkQuality/ThirtyThirdBatch.swift).

def _b33_wrap32(x):
    x &= 0xFFFFFFFF
    return x - 2**32 if x >= 2**31 else x


def _b33_size_class(size):
    # An allocator's size class, the power of two at or below the size, read
    # from the exponent of the size converted to a double: from 2^54 - 1 on,
    # a size within half a rounding step of the next power of two rounds up
    # to it. It must be the index of the size's highest set bit.
    if size > 0:
        bits = struct.unpack("<Q", struct.pack("<d", float(size)))[0]
        check((bits >> 52 & 0x7FF) - 1023 == size.bit_length() - 1)


def _b33_deadline(t):
    # A kernel timer armed at now + timeout ticks in 32-bit arithmetic is
    # taken as expired when now >= deadline as plain numbers (not by the sign
    # of the difference, as time_after does): past 2^31 - 1 the deadline
    # wraps below now. A timer just armed must not read as expired.
    now, timeout = t
    check(not now >= _b33_wrap32(now + timeout))


def _b33_shard_sum(xs):
    # A metrics pipeline adds the per-shard samples in arrival order; the
    # total must not depend on the order (here: forward against backward).
    forward = 0.0
    for x in xs:
        forward += x
    backward = 0.0
    for x in reversed(xs):
        backward += x
    check(forward == backward)


def _b33_logical_lines(text, count_backslashes):
    # A config reader joins a line ending in a backslash with the next one;
    # one ending in an escaped backslash (an even run) ends there, which the
    # buggy reader does not count.
    lines = text.split("\n")
    out = []
    current = ""
    for i, line in enumerate(lines):
        trailing = len(line) - len(line.rstrip("\\"))
        joins = i + 1 < len(lines) and (trailing % 2 == 1 if count_backslashes else trailing > 0)
        if joins:
            current += line[:-1]
        else:
            out.append(current + line)
            current = ""
    return out


def _b33_continuation(text):
    check(_b33_logical_lines(text, False) == _b33_logical_lines(text, True))


def _b33_signed_memcmp_key(b):
    # memcmp over signed chars: bytes from 0x80 on compare below 0x00.
    return [x - 256 if x >= 128 else x for x in b]


def _b33_memcmp(keys):
    # Keys sorted by the signed comparison must come out in byte order.
    check(sorted(keys, key=_b33_signed_memcmp_key) == sorted(keys))


def _b33_layouts(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only a
    # scalar at the last level), then a scalar of 1, 2, 4 or 8 bytes or a
    # struct of 0-4 fields of the next level.
    scalar = st.integers(0, 3).map(lambda k: 1 << k)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: scalar)
    inner = _b33_layouts(depth - 1)
    return st.integers(0, 1).flatmap(lambda b: scalar if b == 0 else st.lists(inner, max_size=4))


def _b33_layout(t, first_field_align):
    # (size, alignment) of a C type: a scalar is aligned to its size; a
    # struct places each field at its alignment and pads its size to its
    # alignment, the greatest of its fields' (1 when empty). The buggy
    # layout takes a struct's alignment from its first field.
    if isinstance(t, int):
        return t, t
    offset = 0
    aligns = []
    for field in t:
        size, align = _b33_layout(field, first_field_align)
        offset = (offset + align - 1) // align * align + size
        aligns.append(align)
    align = (aligns[0] if aligns else 1) if first_field_align else max(aligns, default=1)
    return (offset + align - 1) // align * align, align


def _b33_struct_size(t):
    # A binding generator's struct size must be the C compiler's.
    check(_b33_layout(t, True)[0] == _b33_layout(t, False)[0])


def _b33_pages_spanned(t):
    # Pages a buffer of `length` bytes at `start` touches (to pin them for
    # DMA), counted as the length rounded up to pages, which misses the page
    # the buffer runs into when it does not start on a page boundary.
    shift, start, length = t
    check((length + (1 << shift) - 1) >> shift == ((start + length - 1) >> shift) - (start >> shift) + 1)


def _b33_vm_add(t):
    # A bytecode VM's add of two 32-bit values: two unsigned ones add as
    # unsigned, and a mixed pair as signed, reading the unsigned one as a
    # signed 32-bit value. The sum must be the values' sum.
    a, b = t
    got = a[1] + b[1] if a[0] == "u32" and b[0] == "u32" else _b33_wrap32(a[1]) + _b33_wrap32(b[1])
    check(got == a[1] + b[1])


def _b33_latency_average(rows):
    # Per-CPU latency samples, None for an offline CPU: the average divides
    # the sum of the samples by the number of CPUs, not of samples.
    present = [x for x in rows if x is not None]
    if present:
        check(sum(present) / len(rows) == sum(present) / len(present))


def _b33_delta_merge(t):
    # Two refcount-delta journals (inode: delta, never 0) merged by adding
    # the deltas, keeping the inodes whose deltas cancel. The merged journal
    # must not hold a zero delta (replay takes an entry as "the inode is
    # live").
    a, b = t
    if 0 in a.values() or 0 in b.values():
        return
    merged = dict(a)
    for k, v in b.items():
        merged[k] = merged.get(k, 0) + v
    check(0 not in merged.values())


def _b33_cpulist(cpus):
    # A CPU set printed as a cpulist (runs of three or more as "a-b",
    # others one by one) and parsed back, the parser taking "a-b" as a
    # half-open range. The set must come back.
    xs = sorted(cpus)
    parts = []
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{xs[i]}-{xs[j]}")
        else:
            parts.extend(str(x) for x in xs[i:j + 1])
        i = j + 1
    parsed = set()
    for part in ",".join(parts).split(",") if parts else []:
        if "-" in part:
            lo, hi = map(int, part.split("-"))
            parsed |= set(range(lo, hi))
        else:
            parsed.add(int(part))
    check(parsed == set(cpus))


def _b33_charge_machine(data):
    # A heap that charges the bytes of its blocks to a memory budget: a
    # realloc to a smaller size shrinks the block in place and uncharges the
    # difference, but keeps the block's recorded size, which a later free
    # uncharges. The charge must be the live blocks' sizes.
    def malloc(s, d):
        n = d.draw(st.integers(1, 4))
        s["made"] += 1
        v = f"v{s['made']}"
        s["blocks"].append(v)
        s["recorded"][v] = n
        s["charged"] += n
        s["model"][v] = n
        return f"{v} = malloc(size: {n})"

    def realloc(s, d):
        v = s["blocks"][d.draw(st.integers(0, len(s["blocks"]) - 1))]
        n = d.draw(st.integers(1, 4))
        old = s["recorded"][v]
        if n <= old:
            s["charged"] -= old - n
        else:
            s["charged"] += n - old
            s["recorded"][v] = n
        s["model"][v] = n
        return f"realloc(block: {v}, size: {n})"

    def free(s, d):
        v = s["blocks"].pop(d.draw(st.integers(0, len(s["blocks"]) - 1)))
        s["charged"] -= s["recorded"].pop(v)
        del s["model"][v]
        return f"free(block: {v})"

    def same_charge(s):
        if s["charged"] != sum(s["model"].values()):
            raise MachineFailure()

    live = lambda s: len(s["model"]) > 0
    run_machine(data, [("malloc", lambda s: True, malloc), ("realloc", live, realloc), ("free", live, free)],
                lambda: {"made": 0, "blocks": [], "recorded": {}, "charged": 0, "model": {}, "check": same_charge})


def _b33_truncate_machine(data):
    # A file system's file of up to 4 bytes: truncating to a smaller size
    # only lowers the size, leaving the old bytes past it in the block, so
    # growing the file again (by truncate or a write past the end) shows
    # them where zeros belong. Its bytes must be the model's.
    def write(s, d):
        offset = d.draw(st.integers(0, 3))
        value = d.draw(st.integers(0, 9))
        model = s["model"]
        model += [0] * max(0, offset + 1 - len(model))
        model[offset] = value
        block = s["block"]
        block += [0] * max(0, offset + 1 - len(block))
        block[offset] = value
        s["size"] = max(s["size"], offset + 1)
        return f"write(offset: {offset}, value: {value})"

    def truncate(s, d):
        n = d.draw(st.integers(0, 3))
        s["model"] = (s["model"] + [0] * n)[:n]
        s["block"] += [0] * max(0, n - len(s["block"]))
        s["size"] = n
        return f"truncate(size: {n})"

    def same_bytes(s):
        if s["block"][:s["size"]] != s["model"]:
            raise MachineFailure()

    run_machine(data, [("write", lambda s: True, write), ("truncate", lambda s: True, truncate)],
                lambda: {"model": [], "block": [], "size": 0, "check": same_bytes})


def _b33_weighted_put(cache, key, size, overwrite_uncharges):
    # An LRU cache of at most 4 bytes, its entries [key, size], least
    # recently used first. A put of a present key should uncharge the old
    # size; then entries other than the new one are evicted, least recently
    # used first, while the cache is over its capacity.
    entries = cache["entries"]
    for i, (k, old) in enumerate(entries):
        if k == key:
            del entries[i]
            if overwrite_uncharges:
                cache["used"] -= old
            break
    entries.append([key, size])
    cache["used"] += size
    while cache["used"] > 4 and entries[0][0] != key:
        cache["used"] -= entries.pop(0)[1]


def _b33_weighted_lru_machine(data):
    # A byte-weighted LRU cache whose put of a present key adds the new size
    # without taking off the old one. The keys cached, in recency order,
    # must be the correct cache's.
    def put(s, d):
        key = d.draw(st.integers(0, 2))
        size = d.draw(st.integers(1, 4))
        _b33_weighted_put(s["model"], key, size, True)
        _b33_weighted_put(s["cache"], key, size, False)
        return f"put(key: {key}, size: {size})"

    def get(s, d):
        key = d.draw(st.integers(0, 2))
        for cache in (s["model"], s["cache"]):
            entries = cache["entries"]
            for i, (k, size) in enumerate(entries):
                if k == key:
                    entries.append(entries.pop(i))
                    break
        return f"get(key: {key})"

    def same_keys(s):
        if [k for k, _ in s["model"]["entries"]] != [k for k, _ in s["cache"]["entries"]]:
            raise MachineFailure()

    run_machine(data, [("put", lambda s: True, put), ("get", lambda s: True, get)],
                lambda: {"model": {"entries": [], "used": 0}, "cache": {"entries": [], "used": 0}, "check": same_keys})


PROBLEMS += [
    Problem("size_class_via_double_exponent_rounds_up", st.integers(0, 2**64 - 1), _b33_size_class,
            lambda x: x == 2**54 - 1),
    Problem("deadline_int32_sum_wraps_expired", st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(1, 2**31 - 1)),
            _b33_deadline, lambda t: t == (1, 2**31 - 1)),
    Problem("float_sum_shard_order_changes_total", st.lists(st.floats(allow_nan=False, allow_infinity=False)),
            _b33_shard_sum, lambda xs: xs == [1.0, 1.0, 2.0**53], show=show_floats),
    Problem("line_continuation_ignores_escaped_backslash", st.lists(st.sampled_from("a\\\n")).map("".join),
            _b33_continuation, lambda s: s == "\\\\\n"),
    Problem("memcmp_signed_char_sorts_high_bytes_first", st.lists(st.binary(max_size=8)), _b33_memcmp,
            lambda keys: keys == [b"\x00", b"\x80"]),
    Problem("struct_layout_align_from_first_field", _b33_layouts(3), _b33_struct_size, lambda t: t == [1, 2, 1]),
    Problem("pages_spanned_ignores_start_offset",
            st.integers(9, 16).flatmap(lambda s: st.tuples(st.integers(0, 4 << s), st.integers(1, 4 << s))
                                       .map(lambda t: (s, t[0], t[1]))),
            _b33_pages_spanned, lambda t: t == (9, 1, 512)),
    Problem("vm_mixed_add_reads_u32_as_i32",
            st.tuples(*[st.one_of(st.integers(-(2**31), 2**31 - 1).map(lambda x: ("i32", x)),
                                  st.integers(0, 2**32 - 1).map(lambda x: ("u32", x)))] * 2),
            _b33_vm_add, lambda t: t == (("i32", 0), ("u32", 2**31))),
    Problem("latency_average_divides_by_offline_cpus", st.lists(st.none() | st.integers(-(2**15), 2**15 - 1)),
            _b33_latency_average, lambda rows: rows == [None, 1]),
    Problem("refcount_delta_merge_keeps_cancelled",
            st.tuples(*[st.dictionaries(st.integers(0, 7), st.integers(-16, 16))] * 2), _b33_delta_merge,
            lambda t: t == ({0: 1}, {0: -1}), show=lambda t: f"({show_dict(t[0])}, {show_dict(t[1])})"),
    Problem("cpulist_range_parsed_half_open", st.sets(st.integers(0, 63)), _b33_cpulist, lambda s: s == {0, 1, 2},
            show=lambda s: "{" + ", ".join(str(x) for x in sorted(s)) + "}" if s else "set()"),
    machine_problem("machine_shrink_in_place_keeps_charged_size", _b33_charge_machine,
                    ["v1 = malloc(size: 2)", "realloc(block: v1, size: 1)", "free(block: v1)"]),
    machine_problem("machine_truncate_extend_exposes_stale_bytes", _b33_truncate_machine,
                    ["write(offset: 0, value: 1)", "truncate(size: 0)", "truncate(size: 1)"]),
    machine_problem("machine_weighted_lru_overwrite_keeps_old_size", _b33_weighted_lru_machine,
                    ["put(key: 0, size: 1)", "put(key: 0, size: 1)", "put(key: 1, size: 3)"]),
]

# The thirty-fourth batch (Benchmarks/Sources/ShrinkQuality/ThirtyFourthBatch.swift).

_B34_MASK64 = 2**64 - 1


def _b34_signed64(x):
    x &= _B34_MASK64
    return x - 2**64 if x >= 2**63 else x


def _b34_div10(x):
    # A decimal formatter's divide by 10 as a multiply by the reciprocal and
    # a shift, with the 32-bit magic (0xCCCCCCCD, shift 35) in 64-bit
    # arithmetic: exact for 32-bit values, but the product wraps once x
    # reaches 2^64 / 0xCCCCCCCD. It must be x // 10.
    check((x * 0xCCCCCCCD & _B34_MASK64) >> 35 == x // 10)


def _b34_q32_mul(t):
    # A Q32.32 fixed-point multiply that keeps the low 64 bits of the product
    # before shifting (an arithmetic shift of a wrapped product): it must
    # keep bits 32-95 of the exact product.
    a, b = t
    check(_b34_signed64(a * b) >> 32 == _b34_signed64((a * b) >> 32))


def _b34_trunc_mod(a, n):
    # C's %: the remainder takes the dividend's sign.
    return a % n if a >= 0 else -((-a) % n)


def _b34_weekday_sum(year, month, day):
    # Gauss's weekday sum (0 = Sunday) with March as month 1: day, month
    # term, year of century and its quarter, century's quarter, minus twice
    # the century. Its mod 7 is the weekday.
    y = year - (1 if month < 3 else 0)
    c, yy = y // 100, y % 100
    m = (month + 9) % 12 + 1
    return day + (26 * m - 2) // 10 + yy + yy // 4 + c // 4 - 2 * c


def _b34_weekday(t):
    # The formula copied from a reference that means the mathematical mod,
    # written with C's %: a negative sum (a century year's first days in
    # March) gives a negative "weekday".
    s = _b34_weekday_sum(*t)
    check(_b34_trunc_mod(s, 7) == s % 7)


def _b34_round_half_away(x):
    # Rounding half away from zero (Swift's rounded()), exactly.
    f = math.floor(x)
    return f + (1 if x - f >= 0.5 else 0)


def _b34_stopwatch(x):
    # A stopwatch shows seconds and tenths: it takes the whole seconds, then
    # rounds the rest to tenths, so 1.96875 reads 1.10. It must read as the
    # position rounded to tenths (2.0).
    whole = int(x)
    tenths = _b34_round_half_away((x - whole) * 10)
    total = _b34_round_half_away(x * 10)
    check(f"{whole}.{tenths}" == f"{total // 10}.{total % 10}")


def _b34_c_escape(b):
    # Bytes as a C string literal's body: printable ASCII as itself (quote
    # and backslash escaped), every other byte as \x and two hex digits.
    out = []
    for x in b:
        if x == 0x22:
            out.append('\\"')
        elif x == 0x5C:
            out.append("\\\\")
        elif 0x20 <= x <= 0x7E:
            out.append(chr(x))
        else:
            out.append("\\x%02x" % x)
    return "".join(out)


def _b34_c_unescape(s):
    # A C compiler's reading: \x takes every hex digit that follows (the
    # value's low byte kept), so a hex digit after an escaped byte is eaten.
    out = []
    i = 0
    while i < len(s):
        if s[i] != "\\":
            out.append(ord(s[i]))
            i += 1
        elif s[i + 1] == "x":
            j = i + 2
            while j < len(s) and s[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(s[i + 2:j], 16) & 0xFF)
            i = j
        else:
            out.append(ord(s[i + 1]))
            i += 2
    return bytes(out)


def _b34_hex_escape(b):
    check(_b34_c_unescape(_b34_c_escape(b)) == b)


def _b34_strip_comment(line, escapes):
    # A config line without its "#" comment; a "#" inside double quotes is
    # text. With escapes=False it is the buggy stripper, which does not know
    # that a backslash escapes a quote inside quotes.
    in_string = escaped = False
    for i, c in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\" and escapes:
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "#":
            return line[:i]
    return line


def _b34_comment(line):
    check(_b34_strip_comment(line, False) == _b34_strip_comment(line, True))


def _b34_ragged(rows):
    # A jagged array flattened row after row, indexed as if every row were
    # as wide as the first (i * width + j). Every element must read back.
    flat = [x for row in rows for x in row]
    width = len(rows[0]) if rows else 0
    for i, row in enumerate(rows):
        for j, x in enumerate(row):
            k = i * width + j
            check(k < len(flat) and flat[k] == x)


def _b34_sparse(d):
    # A sparse array written as its values in the order of its keys sorted
    # as strings (as a JSON object's keys are), read back by pairing them
    # with the keys in numeric order: "10" sorts before "2".
    values = [d[k] for k in sorted(d, key=str)]
    check(dict(zip(sorted(d), values)) == d)


def _b34_radix(t):
    # A number in base 2-16 printed by adding each digit to "0" (right only
    # up to 9: 10 comes out as ":"), parsed back with "0-9a-f".
    base, x = t
    digits = []
    while True:
        digits.append(chr(48 + x % base))
        x //= base
        if x == 0:
            break
    value = 0
    for c in reversed(digits):
        d = "0123456789abcdef".find(c)
        check(0 <= d < base)
        value = value * base + d
    check(value == t[1])


def _b34_insn_word(insn):
    # A 32-bit instruction word: opcode in the low byte; addi's 16-bit
    # immediate in the top half; load's offset in a 12-bit field at bit 20,
    # masked without checking that it fits (-2048...2047).
    if insn[0] == "nop":
        return 0
    if insn[0] == "addi":
        return 1 | (insn[1] & 0xFFFF) << 16
    return 2 | (insn[1] & 0xFFF) << 20


def _b34_insn_decode(w):
    if w & 0xFF == 0:
        return ("nop",)
    if w & 0xFF == 1:
        imm = w >> 16
        return ("addi", imm - 0x10000 if imm >= 0x8000 else imm)
    off = w >> 20
    return ("load", off - 0x1000 if off >= 0x800 else off)


def _b34_insn(insn):
    check(_b34_insn_decode(_b34_insn_word(insn)) == insn)


_B34_PREC = {"+": 1, "*": 2, "^": 3}


def _b34_exprs(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only a leaf
    # at the last level), then a digit, or an operator (+, *, ^) and two
    # operands of the next level.
    leaf = st.integers(0, 9)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: leaf)
    inner = _b34_exprs(depth - 1)
    node = st.tuples(st.integers(0, 2), inner, inner).map(lambda t: ("+*^"[t[0]], t[1], t[2]))
    return st.integers(0, 1).flatmap(lambda b: leaf if b == 0 else node)


def _b34_expr_print(e):
    # The pretty printer puts an operand in parentheses when its operator
    # binds less tightly, or, on the right, as tightly: right for + and *,
    # but ^ associates to the right, so a left operand that is itself a
    # power loses its parentheses.
    if isinstance(e, int):
        return str(e)
    op, left, right = e
    ls, rs = _b34_expr_print(left), _b34_expr_print(right)
    if not isinstance(left, int) and _B34_PREC[left[0]] < _B34_PREC[op]:
        ls = "(" + ls + ")"
    if not isinstance(right, int) and _B34_PREC[right[0]] <= _B34_PREC[op]:
        rs = "(" + rs + ")"
    return ls + " " + op + " " + rs


def _b34_expr_parse(text):
    # Precedence climbing: + below * below ^; ^ associates to the right.
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()
    pos = [0]

    def atom():
        tok = tokens[pos[0]]
        pos[0] += 1
        if tok == "(":
            e = expr(1)
            pos[0] += 1
            return e
        return int(tok)

    def expr(min_prec):
        lhs = atom()
        while pos[0] < len(tokens) and tokens[pos[0]] in _B34_PREC and _B34_PREC[tokens[pos[0]]] >= min_prec:
            op = tokens[pos[0]]
            pos[0] += 1
            rhs = expr(_B34_PREC[op] if op == "^" else _B34_PREC[op] + 1)
            lhs = (op, lhs, rhs)
        return lhs

    return expr(1)


def _b34_expr_eval(e):
    # Arithmetic modulo 2^64 (0 ^ 0 is 1).
    if isinstance(e, int):
        return e
    op, left, right = e
    a, b = _b34_expr_eval(left), _b34_expr_eval(right)
    if op == "+":
        return (a + b) & _B34_MASK64
    if op == "*":
        return (a * b) & _B34_MASK64
    return pow(a, b, 2**64)


def _b34_expr_show(e):
    return str(e) if isinstance(e, int) else f"({_b34_expr_show(e[1])} {e[0]} {_b34_expr_show(e[2])})"


def _b34_expr(e):
    check(_b34_expr_eval(_b34_expr_parse(_b34_expr_print(e))) == _b34_expr_eval(e))


def _b34_free_list_machine(data):
    # First fit over 16 units from an address-ordered free list of (start,
    # length) blocks, allocating from a block's start. A free merges the
    # block with the free block before it and the one after it, but after
    # merging with the one after it leaves that block on the list, so a
    # later allocation can hand out its units again. Live blocks must not
    # overlap.
    def alloc(s, d):
        n = d.draw(st.integers(1, 4))
        for i, (start, length) in enumerate(s["free"]):
            if length >= n:
                s["free"][i] = (start + n, length - n)
                s["free"] = sorted(b for b in s["free"] if b[1] > 0)
                s["made"] += 1
                v = f"v{s['made']}"
                s["blocks"].append(v)
                s["live"][v] = (start, n)
                return f"{v} = alloc(size: {n})"
        return f"alloc(size: {n})"

    def free(s, d):
        v = s["blocks"].pop(d.draw(st.integers(0, len(s["blocks"]) - 1)))
        start, n = s["live"].pop(v)
        blocks = sorted(s["free"] + [(start, n)])
        i = blocks.index((start, n))
        if i + 1 < len(blocks) and start + n == blocks[i + 1][0]:
            blocks[i] = (start, n + blocks[i + 1][1])  # the block after it stays on the list
        if i > 0 and blocks[i - 1][0] + blocks[i - 1][1] == start:
            blocks[i - 1] = (blocks[i - 1][0], blocks[i - 1][1] + blocks[i][1])
            del blocks[i]
        s["free"] = sorted(blocks)
        return f"free(block: {v})"

    def no_overlap(s):
        live = sorted(s["live"].values())
        for (a, n), (b, _) in zip(live, live[1:]):
            if a + n > b:
                raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["live"]) > 0, free)],
                lambda: {"free": [(0, 16)], "made": 0, "blocks": [], "live": {}, "check": no_overlap})


def _b34_mvcc_gc(store, oldest, keep_visible):
    # Version GC: versions newer than the oldest snapshot stay, and so
    # should the newest version at or below it (the one that snapshot
    # reads). With keep_visible=False it is the buggy GC, which keeps that
    # version only when no newer one is left.
    for key, versions in store.items():
        newer = [v for v in versions if v[0] > oldest]
        older = [v for v in versions if v[0] <= oldest]
        if older and (keep_visible or not newer):
            newer.insert(0, older[-1])
        store[key] = newer


def _b34_mvcc_read(store, key, version):
    seen = [v for t, v in store.get(key, []) if t <= version]
    return seen[-1] if seen else None


def _b34_mvcc_machine(data):
    # A multi-version store (keys 0-3, values 0-9): puts, snapshots (kept
    # for good) and GC. Every snapshot, and the latest state, must read as
    # the store that keeps what snapshots need.
    def put(s, d):
        key = d.draw(st.integers(0, 3))
        value = d.draw(st.integers(0, 9))
        s["version"] += 1
        for store in (s["model"], s["buggy"]):
            store.setdefault(key, []).append((s["version"], value))
        return f"put(key: {key}, value: {value})"

    def snapshot(s, d):
        s["snapshots"].append(s["version"])
        return "snapshot()"

    def gc(s, d):
        oldest = min(s["snapshots"], default=s["version"])
        _b34_mvcc_gc(s["model"], oldest, True)
        _b34_mvcc_gc(s["buggy"], oldest, False)
        return "gc()"

    def same_reads(s):
        for version in s["snapshots"] + [s["version"]]:
            for key in range(4):
                if _b34_mvcc_read(s["model"], key, version) != _b34_mvcc_read(s["buggy"], key, version):
                    raise MachineFailure()

    run_machine(data, [("put", lambda s: True, put), ("snapshot", lambda s: True, snapshot),
                       ("gc", lambda s: True, gc)],
                lambda: {"version": 0, "snapshots": [], "model": {}, "buggy": {}, "check": same_reads})


def _b34_radix_store(t, index, value):
    # A radix tree of fanout 4 over indices 0-15: t["root"] is a list of 4
    # slots (values at the last level, nodes above it), t["height"] its
    # levels. Storing past the tree's reach puts the old root in slot 0 of
    # a new one.
    if t["root"] is None:
        t["height"] = 1
        while index >= 4 ** t["height"]:
            t["height"] += 1
        t["root"] = [None] * 4
    while index >= 4 ** t["height"]:
        t["root"] = [t["root"], None, None, None]
        t["height"] += 1
    node = t["root"]
    for level in range(t["height"] - 1, 0, -1):
        slot = index >> (2 * level) & 3
        if node[slot] is None:
            node[slot] = [None] * 4
        node = node[slot]
    node[index & 3] = value


def _b34_radix_erase(t, index, any_slot):
    # Erasing prunes the nodes it empties, then shrinks the tree while the
    # root has a single child, which must sit in slot 0 for its indices to
    # stay the same; with any_slot=True it is the buggy shrink, which takes
    # a single child from any slot.
    if t["root"] is None or index >= 4 ** t["height"]:
        return

    def erase(node, level):
        slot = index >> (2 * level) & 3
        if level == 0:
            if node[slot] is None:
                return False
            node[slot] = None
            return True
        if node[slot] is None or not erase(node[slot], level - 1):
            return False
        if all(x is None for x in node[slot]):
            node[slot] = None
        return True

    if not erase(t["root"], t["height"] - 1):
        return
    if all(x is None for x in t["root"]):
        t["root"], t["height"] = None, 0
        return
    while t["height"] > 1:
        children = [i for i in range(4) if t["root"][i] is not None]
        if len(children) != 1 or (children[0] != 0 and not any_slot):
            break
        t["root"] = t["root"][children[0]]
        t["height"] -= 1


def _b34_radix_lookup(t, index):
    if t["root"] is None or index >= 4 ** t["height"]:
        return None
    node = t["root"]
    for level in range(t["height"] - 1, 0, -1):
        node = node[index >> (2 * level) & 3]
        if node is None:
            return None
    return node[index & 3]


def _b34_radix_machine(data):
    # Stores (indices 0-15, values 0-9) and erases on a radix tree whose
    # shrink takes a root's only child from any slot. Every index must read
    # as in a dictionary.
    def store(s, d):
        index = d.draw(st.integers(0, 15))
        value = d.draw(st.integers(0, 9))
        s["model"][index] = value
        _b34_radix_store(s["tree"], index, value)
        return f"store(index: {index}, value: {value})"

    def erase(s, d):
        index = d.draw(st.integers(0, 15))
        s["model"].pop(index, None)
        _b34_radix_erase(s["tree"], index, True)
        return f"erase(index: {index})"

    def same_reads(s):
        for index in range(16):
            if _b34_radix_lookup(s["tree"], index) != s["model"].get(index):
                raise MachineFailure()

    run_machine(data, [("store", lambda s: True, store), ("erase", lambda s: len(s["model"]) > 0, erase)],
                lambda: {"model": {}, "tree": {"root": None, "height": 0}, "check": same_reads})


PROBLEMS += [
    Problem("div10_reciprocal_32bit_magic_on_u64", st.integers(0, 2**64 - 1), _b34_div10, lambda x: x == 5368709120),
    Problem("fixed_q32_mul_drops_high_half", st.tuples(I64, I64), _b34_q32_mul, lambda t: t == (-1, -(2**63))),
    Problem("weekday_gauss_truncating_mod_negative",
            st.tuples(st.integers(1, 4000), st.integers(1, 12), st.integers(1, 28)), _b34_weekday,
            lambda t: t == (200, 3, 1)),
    Problem("stopwatch_tenths_rounded_after_split", st.floats(0, 3600), _b34_stopwatch, lambda x: x == 1.96875),
    Problem("c_literal_hex_escape_swallows_digit", st.binary(max_size=16), _b34_hex_escape, lambda b: b == b"\x000"),
    Problem("comment_strip_ignores_escaped_quote", st.lists(st.sampled_from('a#"\\')).map("".join), _b34_comment,
            lambda s: s == '"\\"#'),
    Problem("ragged_rows_indexed_by_first_width", st.lists(st.lists(st.integers(0, 9))), _b34_ragged,
            lambda rows: rows == [[], [0], [1]]),
    Problem("sparse_array_keys_sorted_as_strings", st.dictionaries(st.integers(0, 100), st.integers(-128, 127)),
            _b34_sparse, lambda d: d == {2: 0, 10: 1}, show=show_dict),
    Problem("radix_format_adds_zero_to_letter_digits",
            st.integers(2, 16).flatmap(lambda b: st.integers(0, b**3 - 1).map(lambda x: (b, x))), _b34_radix,
            lambda t: t == (11, 10)),
    Problem("insn_load_offset_12bit_unchecked",
            st.one_of(st.just(("nop",)), st.integers(-(2**15), 2**15 - 1).map(lambda x: ("addi", x)),
                      st.integers(-(2**15), 2**15 - 1).map(lambda x: ("load", x))),
            _b34_insn, lambda i: i == ("load", 2048)),
    Problem("expr_printer_left_power_unparenthesized", _b34_exprs(3), _b34_expr,
            lambda e: e == ("^", ("^", 0, 0), 0), show=_b34_expr_show),
    machine_problem("machine_free_coalesce_keeps_absorbed_block", _b34_free_list_machine,
                    ["v1 = alloc(size: 1)", "free(block: v1)", "v2 = alloc(size: 2)", "v3 = alloc(size: 1)"]),
    machine_problem("machine_mvcc_gc_drops_snapshot_version", _b34_mvcc_machine,
                    ["put(key: 0, value: 0)", "snapshot()", "put(key: 0, value: 0)", "gc()"]),
    machine_problem("machine_radix_shrink_any_single_child", _b34_radix_machine,
                    ["store(index: 0, value: 0)", "store(index: 4, value: 0)", "erase(index: 0)"]),
]


# The thirty-fifth batch (Benchmarks/Sources/ShrinkQuality/ThirtyFifthBatch.swift).

def _b35_leb128_len(x):
    n = 1
    while x >= 0x80:
        x >>= 7
        n += 1
    return n


def _b35_leb128_size(x):
    # A serializer reserves a varint's bytes before writing it, estimating
    # one byte per whole seven bits of the bit length plus one: from a bit
    # length that is a multiple of 7 on, one byte too many. The estimate must
    # be the LEB128 encoding's length.
    check(x.bit_length() // 7 + 1 == _b35_leb128_len(x))


def _b35_row_id(x):
    # A row id stored in a JSON document and read back by a parser that keeps
    # every number as a double: past 2^53 an id the double cannot hold comes
    # back as a neighbour. It must come back unchanged.
    check(int(float(x)) == x)


def _b35_wrap8(x):
    x &= 0xFF
    return x - 256 if x >= 128 else x


def _b35_imu_deltas(xs):
    # An IMU's samples delta-encoded into int8 deltas after the first sample:
    # the encoder clamps a delta into int8, the decoder adds with wrapping.
    # Decoding must give the samples back.
    if not xs:
        return
    stream = [xs[0]] + [max(-128, min(127, b - a)) for a, b in zip(xs, xs[1:])]
    out = [stream[0]]
    for d in stream[1:]:
        out.append(_b35_wrap8(out[-1] + d))
    check(out == xs)


def _b35_gauge_float32(x):
    # A gauge written to a 32-bit float column must read back unchanged (past
    # the float's greatest finite value it cannot).
    check(abs(x) <= 3.4028234663852886e38 and struct.unpack("<f", struct.pack("<f", x))[0] == x)


def _b35_status_line(s):
    # A status line cut to at most 4 terminal columns with an ellipsis, the
    # cut counting characters, not columns (the ideograph takes two): both
    # whether the text fits and the three characters kept before the
    # ellipsis. The cut line must fit in 4 columns.
    cut = s if len(s) <= 4 else s[:3] + "\u2026"
    check(sum(2 if c == "\u754c" else 1 for c in cut) <= 4)


def _b35_hex_escape(b):
    # A log writer escapes printable ASCII as itself, a backslash doubled and
    # any other byte as "\x" and its hex digits, without padding to two; the
    # reader takes up to two hex digits after "\x". Unescaping the escaped
    # bytes must give them back.
    text = ""
    for x in b:
        if x == 0x5C:
            text += "\\\\"
        elif 0x20 <= x <= 0x7E:
            text += chr(x)
        else:
            text += "\\x" + format(x, "x")
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            if text[i + 1] == "\\":
                out.append(0x5C)
                i += 2
                continue
            j = i + 2
            while j < len(text) and j < i + 4 and text[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(text[i + 2:j], 16))
            i = j
        else:
            out.append(ord(text[i]))
            i += 1
    check(bytes(out) == b)


def _b35_disk_trees(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only a file
    # at the last level), then a file of 0-20000 bytes or a directory of 0-4
    # entries of the next level.
    file = st.integers(0, 20_000)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: file)
    inner = _b35_disk_trees(depth - 1)
    return st.integers(0, 1).flatmap(lambda b: file if b == 0 else st.lists(inner, max_size=4))


def _b35_du(tree):
    # Disk usage in 4096-byte blocks: each file takes its own last, partly
    # filled block; the buggy du rounds the bytes of the whole tree up to
    # blocks once. The two must agree.
    def apparent(t):
        return t if isinstance(t, int) else sum(map(apparent, t))

    def blocks(t):
        return (t + 4095) // 4096 if isinstance(t, int) else sum(map(blocks, t))

    check((apparent(tree) + 4095) // 4096 == blocks(tree))


def _b35_lww_merge(a, b):
    # Per key the entry (stamp, value) with the later stamp; on equal stamps
    # the left replica's.
    out = dict(a)
    for k, e in b.items():
        if k in out and out[k][0] >= e[0]:
            continue
        out[k] = e
    return out


def _b35_lww(t):
    # Two replicas merging each other's last-writer-wins maps must agree.
    a, b = t
    check(_b35_lww_merge(a, b) == _b35_lww_merge(b, a))


def _b35_is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _b35_days_in_month(y, m):
    return [31, 29 if _b35_is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


def _b35_day_of_year(t):
    # The day of the year from the days before the month: the buggy one adds
    # the leap day from February on, not after it.
    y, m, d = t
    before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][m - 1] + d
    leap = _b35_is_leap(y)
    check(before + (1 if leap and m >= 2 else 0) == before + (1 if leap and m > 2 else 0))


def _b35_key_compare(a, b, truncating):
    # NULL before the numbers (integers and reals compared by value) before
    # the texts; the buggy index truncates a real compared with an integer.
    def rank(k):
        return 0 if k is None else 2 if k[0] == "text" else 1

    def sign(x, y):
        return (x > y) - (x < y)

    if rank(a) != rank(b):
        return sign(rank(a), rank(b))
    if a is None:
        return 0
    x, y = a[1], b[1]
    if truncating and a[0] != b[0]:
        x, y = int(x), int(y)
    return sign(x, y)


def _b35_index_key(t):
    a, b = t
    check(_b35_key_compare(a, b, True) == _b35_key_compare(a, b, False))


_B35_INDEX_KEYS = st.one_of(st.none(), st.integers(-5, 5).map(lambda x: ("int", x)),
                            st.floats(-10, 10).map(lambda x: ("real", x)),
                            st.lists(st.sampled_from("ab")).map("".join).map(lambda s: ("text", s)))


def _b35_word_sum(b):
    # 16-bit big-endian words, an odd last byte padded with a zero low byte.
    return sum(b[i] << 8 | (b[i + 1] if i + 1 < len(b) else 0) for i in range(0, len(b), 2))


def _b35_fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _b35_mbuf_checksum(chain):
    # A packet held in a chain of buffers, checksummed buffer by buffer and
    # the sums added: an odd-length buffer pads as if the next one started
    # on a word boundary. It must be the packet's checksum.
    check(_b35_fold(sum(map(_b35_word_sum, chain))) == _b35_fold(_b35_word_sum(b"".join(chain))))


def _b35_wal_machine(data):
    # A write-ahead log whose checkpoint applies the committed transactions to
    # the store's image and truncates the whole log, the open transaction's
    # writes with it. Recovery (the image, then the committed transactions
    # of the log) must give the committed state.
    def recover(s):
        store = dict(s["image"])
        open_writes = []
        for record in s["log"]:
            if record == "commit":
                for k, v in open_writes:
                    store[k] = v
                open_writes = []
            else:
                open_writes.append(record)
        return store

    def write(s, d):
        key = d.draw(st.integers(0, 3))
        value = d.draw(st.integers(0, 9))
        s["open"].append((key, value))
        s["log"].append((key, value))
        return f"write(key: {key}, value: {value})"

    def commit(s, d):
        for k, v in s["open"]:
            s["committed"][k] = v
        s["open"] = []
        s["log"].append("commit")
        return "commit()"

    def checkpoint(s, d):
        s["image"] = recover(s)
        s["log"] = []
        return "checkpoint()"

    def same_state(s):
        if recover(s) != s["committed"]:
            raise MachineFailure()

    always = lambda s: True
    run_machine(data, [("write", always, write), ("commit", always, commit), ("checkpoint", always, checkpoint)],
                lambda: {"committed": {}, "open": [], "image": {}, "log": [], "check": same_state})


def _b35_retransmit_machine(data):
    # A TCP sender's retransmission queue of [start, length] segments whose
    # cumulative ACK drops every segment starting below it, a partly
    # acknowledged one too. The bytes queued must be those unacknowledged.
    def send(s, d):
        n = d.draw(st.integers(1, 4))
        s["segments"].append([s["next"], n])
        s["next"] += n
        return f"send(len: {n})"

    def ack(s, d):
        n = d.draw(st.integers(1, 4))
        s["una"] += min(n, s["next"] - s["una"])
        s["segments"] = [g for g in s["segments"] if not g[0] < s["una"]]
        return f"ack(n: {n})"

    def same_bytes(s):
        if sum(g[1] for g in s["segments"]) != s["next"] - s["una"]:
            raise MachineFailure()

    run_machine(data, [("send", lambda s: True, send), ("ack", lambda s: s["next"] > s["una"], ack)],
                lambda: {"una": 0, "next": 0, "segments": [], "check": same_bytes})


def _b35_leak(bucket):
    # A leaky bucket of capacity 1 leaking a unit per 100 ms: the correct one
    # moves its leak clock on by the whole units leaked (to now when empty),
    # the buggy one sets it to now and loses the rest of the elapsed time.
    leaked = (bucket["now"] - bucket["last"]) // 100
    bucket["level"] = max(0, bucket["level"] - leaked)
    if bucket["keeps_remainder"]:
        bucket["last"] += leaked * 100
        if bucket["level"] == 0:
            bucket["last"] = bucket["now"]
    else:
        bucket["last"] = bucket["now"]


def _b35_leaky_bucket_machine(data):
    def request(s, d):
        for b in (s["model"], s["bucket"]):
            _b35_leak(b)
            if b["level"] < 1:
                b["level"] += 1
        return "request()"

    def tick(s, d):
        ms = d.draw(st.integers(1, 500))
        for b in (s["model"], s["bucket"]):
            b["now"] += ms
            _b35_leak(b)
        return f"tick(ms: {ms})"

    def same_level(s):
        if s["model"]["level"] != s["bucket"]["level"]:
            raise MachineFailure()

    make = lambda keeps: {"keeps_remainder": keeps, "now": 0, "last": 0, "level": 0}
    run_machine(data, [("request", lambda s: True, request), ("tick", lambda s: True, tick)],
                lambda: {"model": make(True), "bucket": make(False), "check": same_level})


_B35_LWW_MAP = st.dictionaries(st.integers(0, 7), st.tuples(st.integers(0, 3), st.integers(0, 1000)))

PROBLEMS += [
    Problem("leb128_size_estimate_off_at_seven_bits", st.integers(0, 2**64 - 1), _b35_leb128_size, lambda x: x == 64),
    Problem("row_id_through_json_double_loses_low_bit", I64, _b35_row_id, lambda x: x == 2**53 + 1),
    Problem("imu_delta_stream_saturates_int8", st.lists(st.integers(-128, 127)), _b35_imu_deltas,
            lambda xs: xs == [1, -128]),
    Problem("gauge_column_float32_drops_low_bits", st.floats(allow_nan=False, allow_infinity=False), _b35_gauge_float32,
            lambda x: x == 16_777_217.0),
    Problem("status_line_truncate_counts_chars_not_columns", st.lists(st.sampled_from("a\u754c")).map("".join),
            _b35_status_line, lambda s: s == "a\u754c\u754c"),
    Problem("hex_escape_short_form_swallows_digit", st.binary(max_size=16), _b35_hex_escape, lambda b: b == b"\x000"),
    Problem("du_rounds_directory_total_not_files", _b35_disk_trees(3), _b35_du, lambda t: t == [1, 1]),
    Problem("lww_merge_tie_keeps_left_value", st.tuples(_B35_LWW_MAP, _B35_LWW_MAP), _b35_lww,
            lambda t: t == ({0: (0, 0)}, {0: (0, 1)}), show=lambda t: f"({show_dict(t[0])}, {show_dict(t[1])})"),
    Problem("day_of_year_leap_day_counted_in_february",
            st.tuples(st.integers(1970, 2100), st.integers(1, 12))
            .flatmap(lambda ym: st.integers(1, _b35_days_in_month(*ym)).map(lambda d: (ym[0], ym[1], d))),
            _b35_day_of_year, lambda t: t == (1972, 2, 1)),
    Problem("index_key_compares_real_by_truncation", st.tuples(_B35_INDEX_KEYS, _B35_INDEX_KEYS), _b35_index_key,
            lambda t: t == (("int", 0), ("real", 0.5))),
    Problem("mbuf_chain_checksum_ignores_odd_offset", st.lists(st.binary(max_size=8)), _b35_mbuf_checksum,
            lambda c: c == [b"\x00", b"\x01"]),
    machine_problem("machine_wal_checkpoint_drops_open_txn", _b35_wal_machine,
                    ["write(key: 0, value: 0)", "checkpoint()", "commit()"]),
    machine_problem("machine_retransmit_partial_ack_drops_segment", _b35_retransmit_machine,
                    ["send(len: 2)", "ack(n: 1)"]),
    machine_problem("machine_leaky_bucket_leak_drops_remainder", _b35_leaky_bucket_machine,
                    ["request()", "tick(ms: 1)", "tick(ms: 99)"]),
]



# The thirty-sixth batch (Benchmarks/Sources/ShrinkQuality/ThirtySixthBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b36_wrap(x, bits):
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >= 1 << (bits - 1) else x


def _b36_q16_round(x):
    # A Q16.16 value rounded to the nearest integer, halves up, by adding one
    # half and shifting, the add done in int32 with wrapping: it must round
    # as with the add done in 64 bits.
    check(_b36_wrap(x + 0x8000, 32) >> 16 == (x + 0x8000) >> 16)


def _b36_mixer_gain(t):
    # A mixer's gain stage: an int16 sample times a uint8 gain in Q0.8, the
    # product in int16 with wrapping before the shift; it must be the int32
    # product's.
    s, g = t
    check(_b36_wrap(s * g, 16) >> 8 == (s * g) >> 8)


def _b36_timebase(x):
    # Ticks of a 24 MHz counter (125/3 ns a tick) to nanoseconds, multiplying
    # first and dividing after in uint64 with wrapping; where the exact result
    # fits in 64 bits, it must be that.
    exact = x * 125 // 3
    if exact < 2**64:
        check((x * 125 & (2**64 - 1)) // 3 == exact)


def _b36_expand_tabs(s, from_input_index):
    # Tabs to the next multiple of 8 columns; the buggy expansion takes the
    # column from the tab's index in the input.
    out = []
    column = 0
    for i, c in enumerate(s):
        if c == "\t":
            n = 8 - (i if from_input_index else column) % 8
            out.append(" " * n)
            column += n
        else:
            out.append(c)
            column += 1
    return "".join(out)


def _b36_tabs(s):
    check(_b36_expand_tabs(s, True) == _b36_expand_tabs(s, False))


def _b36_heading(x):
    # A heading wrapped into [0, 360) as x - 360 * floor(x / 360): for a tiny
    # negative x, x + 360 rounds to 360.
    h = x - 360.0 * float(math.floor(x / 360.0))
    check(0.0 <= h < 360.0)


def _b36_pcx_encode(b):
    # A byte of 0xC0 or more is a run marker (its low six bits a count, the
    # next byte the value). Runs of three or more go out as runs, a lone byte
    # of 0xC0 or more as a run of one, anything else as itself: a pair of
    # equal marker bytes goes out as itself.
    out = []
    i = 0
    while i < len(b):
        run = 1
        while i + run < len(b) and b[i + run] == b[i] and run < 63:
            run += 1
        if run >= 3 or (run == 1 and b[i] >= 0xC0):
            out += [0xC0 | run, b[i]]
        else:
            out += [b[i]] * run
        i += run
    return out


def _b36_pcx_decode(e):
    out = []
    i = 0
    while i < len(e):
        if e[i] >= 0xC0:
            if i + 1 >= len(e):
                break
            out += [e[i + 1]] * (e[i] & 0x3F)
            i += 2
        else:
            out.append(e[i])
            i += 1
    return bytes(out)


def _b36_pcx(b):
    check(_b36_pcx_decode(_b36_pcx_encode(b)) == b)


def _b36_chunked_decode(e):
    # Chunk sizes in hex, CRLF, the chunk and CRLF, up to a chunk of size 0;
    # None when the coding is broken.
    out = b""
    i = 0
    while True:
        j = i
        while j < len(e) and chr(e[j]) in "0123456789abcdefABCDEF":
            j += 1
        if j == i or e[j:j + 2] != b"\r\n":
            return None
        size = int(e[i:j], 16)
        i = j + 2
        if size == 0:
            return out
        if i + size + 2 > len(e):
            return None
        out += e[i:i + size]
        i += size + 2


def _b36_chunked(chunks):
    # An HTTP/1.1 body in chunked transfer coding, every chunk written as it
    # comes, an empty one too (which reads as the last chunk): the decoded
    # body must be the chunks' bytes.
    encoded = b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
    check(_b36_chunked_decode(encoded) == b"".join(chunks))


def _b36_line_column(text, offset, counts_newline):
    # The (line, column) of an offset by walking the lines' lengths; the
    # buggy walk leaves out the newline that ends each line.
    start = 0
    for i, line in enumerate(text.split("\n")):
        if offset <= start + len(line):
            return (i, offset - start)
        start += len(line) + (1 if counts_newline else 0)
    return None


def _b36_cursor(t):
    text, offset = t
    check(_b36_line_column(text, offset, False) == _b36_line_column(text, offset, True))


def _b36_pack(v):
    # MessagePack in its smallest encoding.
    kind = v[0]
    if kind == "nil":
        return b"\xc0"
    if kind == "bool":
        return b"\xc3" if v[1] else b"\xc2"
    if kind == "int":
        x = v[1]
        if 0 <= x <= 127 or -32 <= x <= -1:
            return bytes([x & 0xFF])
        for tag, lo, hi, n in ((0xCC, 128, 255, 1), (0xCD, 256, 0xFFFF, 2), (0xCE, 0x10000, 0xFFFFFFFF, 4),
                               (0xCF, 2**32, 2**64 - 1, 8), (0xD0, -128, -33, 1), (0xD1, -32768, -129, 2),
                               (0xD2, -(2**31), -32769, 4), (0xD3, -(2**63), -(2**31) - 1, 8)):
            if lo <= x <= hi:
                return bytes([tag]) + (x & (2 ** (8 * n) - 1)).to_bytes(n, "big")
    s = v[1].encode()
    if len(s) <= 31:
        return bytes([0xA0 | len(s)]) + s
    if len(s) <= 255:
        return bytes([0xD9, len(s)]) + s
    return b"\xda" + len(s).to_bytes(2, "big") + s


def _b36_unpack(b):
    # The buggy reader: every integer format right but int 8 (0xD0), whose
    # payload byte it takes as unsigned.
    tag = b[0]
    if tag <= 0x7F:
        return ("int", tag)
    if tag >= 0xE0:
        return ("int", tag - 256)
    if tag == 0xC0:
        return ("nil",)
    if tag in (0xC2, 0xC3):
        return ("bool", tag == 0xC3)
    if 0xCC <= tag <= 0xCF:
        return ("int", int.from_bytes(b[1:1 + (1 << (tag - 0xCC))], "big"))
    if tag == 0xD0:
        return ("int", b[1])
    if 0xD1 <= tag <= 0xD3:
        n = {0xD1: 2, 0xD2: 4, 0xD3: 8}[tag]
        return ("int", int.from_bytes(b[1:1 + n], "big", signed=True))
    if 0xA0 <= tag <= 0xBF:
        return ("str", b[1:1 + (tag & 0x1F)].decode())
    if tag == 0xD9:
        return ("str", b[2:2 + b[1]].decode())
    return ("str", b[3:3 + int.from_bytes(b[1:3], "big")].decode())


def _b36_msgpack(v):
    check(_b36_unpack(_b36_pack(v)) == v)


def _b36_extents(m):
    # Page mappings coalesced into extents [first page, first frame, count]:
    # the merge checks that the frame follows the extent's last frame, not
    # that the page follows its last page. The extents must stand for the
    # mappings.
    extents = []
    for page in sorted(m):
        if extents and extents[-1][1] + extents[-1][2] == m[page]:
            extents[-1][2] += 1
        else:
            extents.append([page, m[page], 1])
    check({e[0] + k: e[1] + k for e in extents for k in range(e[2])} == m)


def _b36_lfu_put(c, key, value, resets):
    # A two-entry LFU cache (entries key -> [value, uses, last use]); the
    # buggy cache resets a key's count to one when it is put again.
    c["clock"] += 1
    e = c["entries"].get(key)
    if e is not None:
        c["entries"][key] = [value, 1 if resets else e[1] + 1, c["clock"]]
        return
    if len(c["entries"]) == 2:
        victim = min(c["entries"], key=lambda k: (c["entries"][k][1], c["entries"][k][2]))
        del c["entries"][victim]
    c["entries"][key] = [value, 1, c["clock"]]


def _b36_lfu_get(c, key):
    c["clock"] += 1
    e = c["entries"].get(key)
    if e is None:
        return None
    e[1] += 1
    e[2] = c["clock"]
    return e[0]


def _b36_lfu_machine(data):
    def put(s, d):
        key = d.draw(st.integers(0, 3))
        value = d.draw(st.integers(0, 9))
        _b36_lfu_put(s["model"], key, value, False)
        _b36_lfu_put(s["cache"], key, value, True)
        return f"put(key: {key}, value: {value})"

    def get(s, d):
        key = d.draw(st.integers(0, 3))
        s["line"] = f"get(key: {key})"
        if _b36_lfu_get(s["model"], key) != _b36_lfu_get(s["cache"], key):
            raise MachineFailure()
        return s["line"]

    def same_contents(s):
        contents = [{k: e[0] for k, e in c["entries"].items()} for c in (s["model"], s["cache"])]
        if contents[0] != contents[1]:
            raise MachineFailure()

    make = lambda: {"clock": 0, "entries": {}}
    run_machine(data, [("put", lambda s: True, put), ("get", lambda s: True, get)],
                lambda: {"model": make(), "cache": make(), "check": same_contents})


def _b36_resolver_machine(data):
    # A resolver's cache of records with a TTL: a record must expire when the
    # TTL it was stored with runs out; the buggy cache restarts the TTL on
    # every hit. Records are name -> [ttl, expires]; a lookup comes some
    # seconds after the step before.
    def put(s, d):
        name = d.draw(st.integers(0, 3))
        ttl = d.draw(st.integers(1, 30))
        for c in (s["model"], s["cache"]):
            c["records"][name] = [ttl, s["now"] + ttl]
        return f"put(name: {name}, ttl: {ttl})"

    def hit(c, name, now, refreshes):
        r = c["records"].get(name)
        if r is None or r[1] <= now:
            return False
        if refreshes:
            r[1] = now + r[0]
        return True

    def get(s, d):
        name = d.draw(st.integers(0, 3))
        after = d.draw(st.integers(0, 30))
        s["now"] += after
        s["line"] = f"get(name: {name}, after: {after})"
        if hit(s["model"], name, s["now"], False) != hit(s["cache"], name, s["now"], True):
            raise MachineFailure()
        return s["line"]

    def same_live(s):
        live = [sorted(n for n, r in c["records"].items() if r[1] > s["now"]) for c in (s["model"], s["cache"])]
        if live[0] != live[1]:
            raise MachineFailure()

    always = lambda s: True
    run_machine(data, [("put", always, put), ("get", always, get)],
                lambda: {"now": 0, "model": {"records": {}}, "cache": {"records": {}}, "check": same_live})


def _b36_list_machine(data):
    # A doubly linked list (nodes as dicts with prev and next) whose unlink
    # mends the neighbours and the head but not the tail when the node is the
    # last one: the next append hangs off the unlinked node. Reading from the
    # head must give the appended values still in the list.
    def append(s, d):
        x = d.draw(st.integers(0, 9))
        node = {"value": x, "prev": None, "next": None}
        if s["tail"] is not None:
            s["tail"]["next"] = node
            node["prev"] = s["tail"]
        else:
            s["head"] = node
        s["tail"] = node
        s["made"] += 1
        v = f"v{s['made']}"
        s["nodes"].append((v, node))
        s["model"].append((v, x))
        return f"{v} = append(x: {x})"

    def remove(s, d):
        v, node = s["nodes"].pop(d.draw(st.integers(0, len(s["nodes"]) - 1)))
        s["model"] = [e for e in s["model"] if e[0] != v]
        if node["prev"] is not None:
            node["prev"]["next"] = node["next"]
        else:
            s["head"] = node["next"]
        if node["next"] is not None:
            node["next"]["prev"] = node["prev"]
        node["prev"] = node["next"] = None
        return f"remove(node: {v})"

    def same_values(s):
        values = []
        node = s["head"]
        while node is not None and len(values) <= 100:
            values.append(node["value"])
            node = node["next"]
        if values != [x for _, x in s["model"]]:
            raise MachineFailure()

    run_machine(data, [("append", lambda s: True, append), ("remove", lambda s: len(s["model"]) > 0, remove)],
                lambda: {"head": None, "tail": None, "made": 0, "nodes": [], "model": [], "check": same_values})


def _b36_id_block_machine(data):
    # Ids reserved in blocks of two, the block's end persisted before any of
    # it goes out, resumed from the persisted end after a restart. A new
    # block should be reserved when the next id reaches the reserved end;
    # this allocator checks next > reserved, so a block's end goes out
    # unreserved. No id may be handed out twice.
    def allocate(s, d):
        if s["next"] > s["reserved"]:
            s["reserved"] = s["persisted"] = s["next"] + 2
        n = s["next"]
        s["next"] += 1
        s["line"] = "allocate()"
        if n in s["issued"]:
            raise MachineFailure()
        s["issued"].add(n)
        return "allocate()"

    def restart(s, d):
        s["next"] = s["reserved"] = s["persisted"]
        return "restart()"

    always = lambda s: True
    run_machine(data, [("allocate", always, allocate), ("restart", always, restart)],
                lambda: {"next": 0, "reserved": 2, "persisted": 2, "issued": set()})


PROBLEMS += [
    Problem("q16_round_half_add_wraps_near_max", st.integers(-(2**31), 2**31 - 1), _b36_q16_round,
            lambda x: x == 2147450880),
    Problem("mixer_gain_product_in_int16_wraps", st.tuples(st.integers(-(2**15), 2**15 - 1), st.integers(0, 255)),
            _b36_mixer_gain, lambda t: t == (129, 255)),
    Problem("timebase_ticks_to_ns_multiply_wraps", st.integers(0, 2**64 - 1), _b36_timebase,
            lambda x: x == 147573952589676413),
    Problem("tab_expand_stops_from_input_index", st.lists(st.sampled_from("a\t")).map("".join), _b36_tabs,
            lambda s: s == "\t\t"),
    Problem("heading_wrap_floor_rounds_to_360", st.floats(-3600, 3600), _b36_heading, lambda x: x == -(2.0**-45)),
    Problem("pcx_rle_pair_of_marker_bytes_unescaped", st.binary(max_size=16), _b36_pcx, lambda b: b == b"\xc0\xc0"),
    Problem("chunked_body_empty_chunk_ends_early", st.lists(st.binary(max_size=8)), _b36_chunked,
            lambda c: c == [b"", b"\x00"]),
    Problem("cursor_line_column_forgets_newline",
            st.lists(st.sampled_from("a\n")).map("".join).flatmap(lambda s: st.integers(0, len(s)).map(lambda o: (s, o))),
            _b36_cursor, lambda t: t == ("\n", 1)),
    Problem("msgpack_int8_payload_read_unsigned",
            st.one_of(st.just(("nil",)), st.booleans().map(lambda b: ("bool", b)), I64.map(lambda x: ("int", x)),
                      st.lists(st.sampled_from("ab")).map("".join).map(lambda s: ("str", s))),
            _b36_msgpack, lambda v: v == ("int", -33)),
    Problem("extent_merge_checks_frame_not_page", st.dictionaries(st.integers(0, 15), st.integers(0, 15)), _b36_extents,
            lambda m: m == {0: 0, 2: 1}, show=show_dict),
    machine_problem("machine_lfu_overwrite_resets_count", _b36_lfu_machine,
                    ["put(key: 0, value: 0)", "put(key: 0, value: 0)", "put(key: 1, value: 0)", "put(key: 2, value: 0)"]),
    machine_problem("machine_resolver_cache_hit_restarts_ttl", _b36_resolver_machine,
                    ["put(name: 0, ttl: 2)", "get(name: 0, after: 1)", "get(name: 0, after: 1)"]),
    machine_problem("machine_list_unlink_last_keeps_stale_tail", _b36_list_machine,
                    ["v1 = append(x: 0)", "remove(node: v1)", "v2 = append(x: 0)"]),
    machine_problem("machine_id_block_end_handed_out_unreserved", _b36_id_block_machine,
                    ["restart()", "allocate()", "restart()", "allocate()"]),
]



# The thirty-seventh batch (Benchmarks/Sources/ShrinkQuality/ThirtySeventhBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b37_wrap(x, bits):
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >= 1 << (bits - 1) else x


def _b37_q16_divide(t):
    # A Q16.16 quotient (a << 16) / b with the numerator shifted in int32 (an
    # integer part of 32768 or more loses its top bits) and only then widened
    # for the divide: where the exact quotient fits in int32, it must be that.
    a, b = t
    if b == 0:
        return
    exact = trunc_div(a << 16, b)
    if -(2**31) <= exact < 2**31:
        check(_b37_wrap(trunc_div(_b37_wrap(a << 16, 32), b), 32) == exact)


def _b37_calloc(t):
    # calloc's size check, count * size against the largest block (2^47
    # bytes) with the product wrapped to 64 bits: a calloc that does not
    # refuse must hand out count * size bytes.
    count, size = t
    wrapped = count * size & (2**64 - 1)
    if wrapped <= 2**47:
        check(count * size == wrapped)


def _b37_vector_length(t):
    # A vector's length as the square root of the sum of the squares, which
    # overflow from a component of 2^512 on: where the length scaled by the
    # larger component is finite, it must be finite too.
    x, y = t
    big, small = max(abs(x), abs(y)), min(abs(x), abs(y))
    scaled = 0.0 if big == 0 else big * math.sqrt(1 + (small / big) * (small / big))
    if math.isfinite(scaled):
        check(math.isfinite(math.sqrt(x * x + y * y)))


def _b37_atoi(s):
    # Digits parsed into int32 with the overflow check "the value times ten
    # plus the digit, wrapped, came out below the value before": a value the
    # parser returns must be the string's value.
    value = 0
    for c in s:
        following = _b37_wrap(value * 10 + int(c), 32)
        if following < value:
            return
        value = following
    check(value == (int(s) if s else 0))


def _b37_qp_encode(b):
    # Quoted-printable with LF line breaks: printable ASCII but "=" as itself,
    # space and tab as themselves, any other byte as =XX. Whitespace that
    # ends a line must be encoded; this encoder encodes it only at the end
    # of the data, not before a line feed.
    out = []
    for i, x in enumerate(b):
        literal = x == 0x0A or (x in (0x09, 0x20) and i < len(b) - 1) or (0x21 <= x <= 0x7E and x != 0x3D)
        out.append(bytes([x]) if literal else b"=%02X" % x)
    return b"".join(out)


def _b37_qp_decode(text):
    # The reader drops the spaces and tabs that end a line (transport padding).
    out = bytearray()
    for k, line in enumerate(text.split(b"\n")):
        if k:
            out.append(0x0A)
        line = line.rstrip(b" \t")
        i = 0
        while i < len(line):
            if line[i] == 0x3D and i + 2 < len(line):
                out.append(int(line[i + 1:i + 3], 16))
                i += 3
            else:
                out.append(line[i])
                i += 1
    return bytes(out)


def _b37_qp(lines):
    message = b"\n".join(lines)
    check(_b37_qp_decode(_b37_qp_encode(message)) == message)


def _b37_postings(lists):
    # Posting lists (sorted document ids per term) delta-encoded in uint32,
    # each list from 0; the decoder keeps the last id from one term's list
    # to the next instead of starting each from 0. Decoding must give the
    # lists back.
    lists = [sorted(xs) for xs in lists]
    deltas = [[(x - p) & 0xFFFFFFFF for p, x in zip([0] + xs, xs)] for xs in lists]
    decoded, previous = [], 0
    for ds in deltas:
        row = []
        for d in ds:
            previous = (previous + d) & 0xFFFFFFFF
            row.append(previous)
        decoded.append(row)
    check(decoded == lists)


def _b37_clock_at_most(a, b):
    return all(v <= b.get(k, 0) for k, v in a.items())


def _b37_clock_compare(a, b, dictionary_equality):
    # Vector clocks (replica -> counter, a missing replica counting as 0);
    # the buggy comparison takes two clocks to be equal when their
    # dictionaries are.
    if (a == b) if dictionary_equality else (_b37_clock_at_most(a, b) and _b37_clock_at_most(b, a)):
        return "equal"
    if _b37_clock_at_most(a, b):
        return "before"
    if _b37_clock_at_most(b, a):
        return "after"
    return "concurrent"


def _b37_vector_clocks(t):
    a, b = t
    check(_b37_clock_compare(a, b, True) == _b37_clock_compare(a, b, False))


def _b37_dependency_order(deps, successors_once):
    # Kahn's algorithm over targets 0..n-1, deps[v] listing what v depends
    # on (a target possibly twice), in-degrees counting every entry; the
    # buggy order records each dependent once per target, so a dependency
    # listed twice is released once.
    n = len(deps)
    waiting = [len(d) for d in deps]
    dependents = [[] for _ in range(n)]
    for v, ds in enumerate(deps):
        for u in ds:
            if not (successors_once and v in dependents[u]):
                dependents[u].append(v)
    ready = [v for v in range(n) if waiting[v] == 0]
    order = []
    while ready:
        u = ready.pop(0)
        order.append(u)
        for v in dependents[u]:
            waiting[v] -= 1
            if waiting[v] == 0:
                ready.append(v)
    return order if len(order) == n else None


def _b37_toposort(deps):
    check(_b37_dependency_order(deps, True) == _b37_dependency_order(deps, False))


def _b37_ip_text(a, longest_run):
    # IPv4 dotted; IPv6 as hex groups with one run of two or more zero groups
    # as "::", RFC 5952's being the longest (the first of the longest); the
    # buggy formatter takes the first run.
    kind, x = a
    if kind == "v4":
        return ".".join(str(x >> s & 0xFF) for s in (24, 16, 8, 0))
    best = None
    i = 0
    while i < 8:
        if x[i] != 0:
            i += 1
            continue
        j = i
        while j < 8 and x[j] == 0:
            j += 1
        if j - i >= 2 and (best is None or (longest_run and j - i > best[1])):
            best = (i, j - i)
        i = j
    groups = ["%x" % g for g in x]
    if best is None:
        return ":".join(groups)
    return ":".join(groups[:best[0]]) + "::" + ":".join(groups[best[0] + best[1]:])


def _b37_ipv6(a):
    check(_b37_ip_text(a, False) == _b37_ip_text(a, True))


def _b37_trees(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only a leaf
    # at the last level), then a leaf 0-9 or a node of two trees of the next
    # level.
    leaf = st.integers(0, 9)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: leaf)
    inner = _b37_trees(depth - 1)
    return st.integers(0, 1).flatmap(lambda b: leaf if b == 0 else st.tuples(inner, inner))


def _b37_mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
    return z ^ (z >> 31)


def _b37_dedup(tree):
    # Subtrees hash-consed by a table that trusts the hash; a node's hash
    # mixes the sum of its children's, so a mirror image shares it. The
    # hash-consed tree must be the tree.
    table = {}

    def visit(t):
        if isinstance(t, int):
            node, h = t, _b37_mix64((t + 0x9E3779B97F4A7C15) & (2**64 - 1))
        else:
            (left, hl), (right, hr) = visit(t[0]), visit(t[1])
            node, h = (left, right), _b37_mix64(((hl + hr) & (2**64 - 1)) ^ 0xD1B54A32D192ED03)
        if h in table:
            return table[h], h
        table[h] = node
        return node, h

    check(visit(tree)[0] == tree)


def _b37_slab_machine(data):
    # Two-object slabs and a list of the slabs with a free object: an
    # allocation takes from the last listed, and makes a slab only when none
    # is. A slab that fills leaves the list; a free into a full slab should
    # put it back, and this cache does not. It must hold no more slabs than
    # the peak of live objects needs.
    def alloc(s, d):
        if s["partial"]:
            k = s["partial"][-1]
            i = s["slabs"][k].index(False)
            s["slabs"][k][i] = True
            if all(s["slabs"][k]):
                s["partial"].pop()
        else:
            s["slabs"].append([True, False])
            k, i = len(s["slabs"]) - 1, 0
            s["partial"].append(k)
        s["live"] += 1
        s["peak"] = max(s["peak"], s["live"])
        s["made"] += 1
        v = f"v{s['made']}"
        s["objects"].append((v, (k, i)))
        return f"{v} = alloc()"

    def free(s, d):
        v, (k, i) = s["objects"].pop(d.draw(st.integers(0, len(s["objects"]) - 1)))
        s["slabs"][k][i] = False
        s["live"] -= 1
        return f"free(obj: {v})"

    def enough_slabs(s):
        if len(s["slabs"]) != (s["peak"] + 1) // 2:
            raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: s["live"] > 0, free)],
                lambda: {"slabs": [], "partial": [], "live": 0, "peak": 0, "made": 0, "objects": [],
                         "check": enough_slabs})


def _b37_munmap_machine(data):
    # Mappings as regions [first page, pages], each new one after the last
    # with a guard page between; unmapping pages inside a region leaves a head
    # and a tail, and the buggy split gives the tail the region's length less
    # the pages unmapped, forgetting the head's. The mapped pages must be the
    # model's.
    def map_(s, d):
        pages = d.draw(st.integers(1, 4))
        start = s["next"]
        s["next"] += pages + 1
        s["regions"].append([start, pages])
        s["model"] |= set(range(start, start + pages))
        s["made"] += 1
        v = f"v{s['made']}"
        s["whole"].append((v, start, pages))
        return f"{v} = map(pages: {pages})"

    def unmap(s, d):
        v, start, length = s["whole"].pop(d.draw(st.integers(0, len(s["whole"]) - 1)))
        offset = d.draw(st.integers(0, length - 1))
        pages = d.draw(st.integers(1, length - offset))
        s["regions"] = [r for r in s["regions"] if r[0] != start]
        if offset > 0:
            s["regions"].append([start, offset])
        if length - pages > 0:
            s["regions"].append([start + offset + pages, length - pages])
        s["model"] -= set(range(start + offset, start + offset + pages))
        return f"unmap(region: {v}, offset: {offset}, pages: {pages})"

    def same_pages(s):
        if sorted(p for start, n in s["regions"] for p in range(start, start + n)) != sorted(s["model"]):
            raise MachineFailure()

    run_machine(data, [("map", lambda s: True, map_), ("unmap", lambda s: len(s["whole"]) > 0, unmap)],
                lambda: {"next": 0, "regions": [], "model": set(), "made": 0, "whole": [], "check": same_pages})


def _b37_event_loop_machine(data):
    # An event loop's descriptors (open gives the lowest free one) and the
    # ones it watches; closing a descriptor should drop its watch, and this
    # loop keeps it. An open descriptor's watch must be its own.
    def open_(s, d):
        fd = 0
        while fd in s["open"]:
            fd += 1
        s["open"].add(fd)
        s["made"] += 1
        v = f"v{s['made']}"
        s["fds"].append((v, fd))
        return f"{v} = open()"

    def watch(s, d):
        v, fd = s["fds"][d.draw(st.integers(0, len(s["fds"]) - 1))]
        s["loop_watched"].add(fd)
        s["watched"].add(fd)
        return f"watch(fd: {v})"

    def close(s, d):
        v, fd = s["fds"].pop(d.draw(st.integers(0, len(s["fds"]) - 1)))
        s["open"].discard(fd)
        s["watched"].discard(fd)
        return f"close(fd: {v})"

    def same_watches(s):
        if any((fd in s["loop_watched"]) != (fd in s["watched"]) for fd in sorted(s["open"])):
            raise MachineFailure()

    has_open = lambda s: len(s["open"]) > 0
    run_machine(data, [("open", lambda s: True, open_), ("watch", has_open, watch), ("close", has_open, close)],
                lambda: {"open": set(), "watched": set(), "loop_watched": set(), "made": 0, "fds": [],
                         "check": same_watches})


def _b37_ring_commit(ring, i, in_order):
    # A log ring's reservations [offset, count, committed]: the right ring
    # publishes the end of the committed run from the start, the buggy one
    # the end of whichever reservation was committed last.
    ring["res"][i][2] = True
    if in_order:
        while ring["cursor"] < len(ring["res"]) and ring["res"][ring["cursor"]][2]:
            ring["published"] = ring["res"][ring["cursor"]][0] + ring["res"][ring["cursor"]][1]
            ring["cursor"] += 1
    else:
        ring["published"] = max(ring["published"], ring["res"][i][0] + ring["res"][i][1])


def _b37_ring_machine(data):
    def reserve(s, d):
        n = d.draw(st.integers(1, 4))
        for ring in (s["model"], s["ring"]):
            ring["res"].append([ring["head"], n, False])
            ring["head"] += n
        s["made"] += 1
        v = f"v{s['made']}"
        s["open"].append((v, len(s["model"]["res"]) - 1))
        return f"{v} = reserve(len: {n})"

    def commit(s, d):
        v, i = s["open"].pop(d.draw(st.integers(0, len(s["open"]) - 1)))
        _b37_ring_commit(s["model"], i, True)
        _b37_ring_commit(s["ring"], i, False)
        return f"commit(res: {v})"

    def same_published(s):
        if s["ring"]["published"] != s["model"]["published"]:
            raise MachineFailure()

    make = lambda: {"res": [], "head": 0, "cursor": 0, "published": 0}
    run_machine(data, [("reserve", lambda s: True, reserve), ("commit", lambda s: len(s["open"]) > 0, commit)],
                lambda: {"model": make(), "ring": make(), "made": 0, "open": [], "check": same_published})


_B37_CLOCK = st.dictionaries(st.integers(0, 7), st.integers(0, 3))

PROBLEMS += [
    Problem("q16_divide_shifts_numerator_in_int32",
            st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1)), _b37_q16_divide,
            lambda t: t == (32768, 2)),
    Problem("calloc_overflow_check_on_wrapped_product", st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)),
            _b37_calloc, lambda t: t == (2, 2**63)),
    Problem("vector_length_squares_overflow_early",
            st.tuples(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False)),
            _b37_vector_length, lambda t: t == (0.0, 2.0**512) and math.copysign(1.0, t[0]) == 1.0),
    Problem("atoi_overflow_check_compares_to_previous", st.lists(st.sampled_from("0123456789")).map("".join), _b37_atoi,
            lambda s: s == "4772185884"),
    Problem("qp_line_end_whitespace_left_unencoded", st.lists(st.binary(max_size=8)), _b37_qp, lambda ls: ls == [b"\t\n"]),
    Problem("posting_delta_base_carried_across_terms", st.lists(st.lists(st.integers(0, 2**32 - 1))), _b37_postings,
            lambda ls: ls == [[1], [0]]),
    Problem("vector_clock_explicit_zero_not_equal", st.tuples(_B37_CLOCK, _B37_CLOCK), _b37_vector_clocks,
            lambda t: t == ({}, {0: 0}), show=lambda t: f"({show_dict(t[0])}, {show_dict(t[1])})"),
    Problem("toposort_duplicate_dependency_never_released",
            st.integers(1, 6).flatmap(lambda n: st.lists(st.lists(st.integers(0, n - 1)), min_size=n, max_size=n)),
            _b37_toposort, lambda deps: deps == [[], [0, 0]]),
    Problem("ipv6_format_compresses_first_zero_run",
            st.one_of(st.integers(0, 2**32 - 1).map(lambda x: ("v4", x)),
                      st.lists(st.one_of(st.just(0), st.integers(0, 65535)), min_size=8, max_size=8)
                      .map(lambda g: ("v6", g))),
            _b37_ipv6, lambda a: a == ("v6", [0, 0, 0, 1, 0, 0, 0, 0])),
    Problem("subtree_dedup_hash_ignores_child_order", _b37_trees(4), _b37_dedup, lambda t: t == ((0, 1), (1, 0))),
    machine_problem("machine_slab_full_then_free_not_relisted", _b37_slab_machine,
                    ["v1 = alloc()", "v2 = alloc()", "free(obj: v1)", "v3 = alloc()"]),
    machine_problem("machine_munmap_split_tail_keeps_head_pages", _b37_munmap_machine,
                    ["v1 = map(pages: 2)", "unmap(region: v1, offset: 1, pages: 1)"]),
    machine_problem("machine_event_loop_close_keeps_fd_watch", _b37_event_loop_machine,
                    ["v1 = open()", "watch(fd: v1)", "close(fd: v1)", "v2 = open()"]),
    machine_problem("machine_ring_commit_out_of_order_publishes", _b37_ring_machine,
                    ["v1 = reserve(len: 1)", "v2 = reserve(len: 1)", "commit(res: v2)"]),
]

# The thirty-eighth batch (Benchmarks/Sources/ShrinkQuality/ThirtyEighthBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b38_half_bits_adding_half(x):
    # A float packed into binary16 bits by hand: the exponent rebiased, the
    # dropped mantissa bits rounded by adding half their weight before the
    # shift (ties away from zero), values below 2^-14 shifted into a subnormal.
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    sign = (bits >> 16) & 0x8000
    magnitude = bits & 0x7FFFFFFF
    if magnitude >= 0x38800000:
        return sign | ((magnitude - 0x38000000 + 0x1000) >> 13) & 0xFFFF
    exponent = magnitude >> 23
    shift = 126 - exponent
    if exponent == 0 or shift > 24:
        return sign
    mantissa = (magnitude & 0x7FFFFF) | 0x800000
    return sign | ((mantissa + (1 << (shift - 1))) >> shift) & 0xFFFF


def _b38_half_float(x):
    # The hand-rolled bits must be binary16's, which rounds ties to even.
    check(_b38_half_bits_adding_half(x) == struct.unpack("<H", struct.pack("<e", x))[0])


def _b38_file_extent(t):
    # An extent accepted when neither part is negative and its end, checked
    # in double, is at most float(2^63 - 1) = 2^63: it must end within int64.
    offset, length = t
    if offset >= 0 and length >= 0 and float(offset) + float(length) <= float(2**63 - 1):
        check(offset + length <= 2**63 - 1)


def _b38_human_size(n):
    # ls -h style: bytes below 1024, else the largest binary unit reached,
    # one decimal rounded half up; the unit is picked before the rounding.
    unit = 0
    while unit < 3 and n >= 1 << (10 * (unit + 1)):
        unit += 1
    if unit == 0:
        return f"{n} B"
    scale = 1 << (10 * unit)
    tenths = (n * 10 + scale // 2) // scale
    return f"{tenths // 10}.{tenths % 10} {['B', 'KiB', 'MiB', 'GiB'][unit]}"


def _b38_human_sizes(sizes):
    for n in sizes:
        check(int(_b38_human_size(n).split(" ")[0].split(".")[0]) < 1024)


def _b38_read_count(t):
    # A read of count bytes (uint64) allowed when the count cast to int64 is
    # at most the bytes available (int64, negative after a failed fill): a
    # read allowed must be of at most the bytes available.
    available, count = t
    if (count - 2**64 if count >= 2**63 else count) <= available:
        check(0 <= available and count <= available)


def _b38_pcm_mix(samples):
    # Channels added one at a time with int16 saturation; the exact mix
    # clamps the whole sum once.
    acc = 0
    for x in samples:
        acc = max(-32768, min(32767, acc + x))
    check(acc == max(-32768, min(32767, sum(samples))))


def _b38_name_runs(s):
    runs = []
    for c in s:
        digit = "0" <= c <= "9"
        if runs and runs[-1][0] == digit:
            runs[-1][1] += c
        else:
            runs.append([digit, c])
    return runs


def _b38_sign(a, b):
    return (a > b) - (a < b)


def _b38_natural_compare(a, b, strips_zeros):
    # Natural order for file names: digit runs as numbers (fewer significant
    # digits first, then digit by digit), a digit run before another run,
    # other runs as strings, a name that runs out first first, names whose
    # runs all tie as plain strings. The buggy order keeps leading zeros.
    ra, rb = _b38_name_runs(a), _b38_name_runs(b)
    for (dx, x), (dy, y) in zip(ra, rb):
        if dx != dy:
            return -1 if dx else 1
        if dx:
            if strips_zeros:
                x, y = x.lstrip("0"), y.lstrip("0")
            if len(x) != len(y):
                return -1 if len(x) < len(y) else 1
        if x != y:
            return _b38_sign(x, y)
    if len(ra) != len(rb):
        return -1 if len(ra) < len(rb) else 1
    return _b38_sign(a, b)


def _b38_natural(t):
    a, b = t
    check(_b38_natural_compare(a, b, False) == _b38_natural_compare(a, b, True))


def _b38_sstable(keys):
    # Sorted keys prefix-compressed (shared prefix with the key before, the
    # rest); the buggy reader takes the shared prefix from the block's first
    # key. Expanding must give the keys back.
    keys = sorted(keys)
    entries, previous = [], b""
    for k in keys:
        shared = 0
        while shared < min(len(previous), len(k)) and previous[shared] == k[shared]:
            shared += 1
        entries.append((shared, k[shared:]))
        previous = k
    restart, out = None, []
    for shared, rest in entries:
        key = (b"" if restart is None else restart)[:shared] + rest
        if restart is None:
            restart = key
        out.append(key)
    check(out == keys)


def _b38_show_bytes(b):
    # As the Swift side prints a byte string: printable ASCII as itself, a
    # quote and a backslash escaped, any other byte as \xNN.
    return "b'" + "".join("\\" + chr(x) if x in (0x27, 0x5C) else chr(x) if 0x20 <= x <= 0x7E else "\\x%02x" % x
                          for x in b) + "'"


def _b38_show_bytes_set(s):
    return "{" + ", ".join(_b38_show_bytes(k) for k in sorted(s)) + "}" if s else "set()"


def _b38_form_encode(fields):
    # Pairs in key order, space, "%", "&" and "=" percent-encoded; "+" left
    # as itself.
    def escaped(s):
        return "".join({" ": "%20", "%": "%25", "&": "%26", "=": "%3D"}.get(c, c) for c in s)

    return "&".join(escaped(k) + "=" + escaped(fields[k]) for k in sorted(fields))


def _b38_form_decode(body):
    # Pairs split at "&", key and value at the first "=", "+" read as a space
    # and %XX as its byte.
    def unescaped(s):
        b = s.encode()
        out = bytearray()
        i = 0
        while i < len(b):
            if b[i] == 0x25 and i + 2 < len(b) and all(chr(c) in "0123456789abcdefABCDEF" for c in b[i + 1:i + 3]):
                out.append(int(b[i + 1:i + 3], 16))
                i += 3
            else:
                out.append(0x20 if b[i] == 0x2B else b[i])
                i += 1
        return out.decode()

    fields = {}
    if body:
        for pair in body.split("&"):
            key, _, value = pair.partition("=")
            fields[unescaped(key)] = unescaped(value)
    return fields


def _b38_form(fields):
    check(_b38_form_decode(_b38_form_encode(fields)) == fields)


def _b38_show_str_dict(d):
    return "{" + ", ".join(f"{k!r}: {d[k]!r}" for k in sorted(d)) + "}"


def _b38_decimal_text(v, scale):
    # The whole part by truncating division, the fraction as the remainder's
    # magnitude: a negative value above -1 loses its sign.
    unit = 10**scale
    whole = -(abs(v) // unit) if v < 0 else v // unit
    if scale == 0:
        return str(whole)
    fraction = str(abs(v) % unit)
    return f"{whole}." + "0" * (scale - len(fraction)) + fraction


def _b38_decimal_parse(text, scale):
    negative = text.startswith("-")
    parts = (text[1:] if negative else text).split(".")
    if len(parts) != (2 if scale > 0 else 1) or not all(p and all("0" <= c <= "9" for c in p) for p in parts):
        return None
    if (scale > 0 and len(parts[1]) != scale) or len("".join(parts)) > 18:
        return None
    value = int("".join(parts))
    return -value if negative else value


def _b38_decimal(t):
    p, scale, v = t
    check(_b38_decimal_parse(_b38_decimal_text(v, scale), scale) == v)


def _b38_logfmt_text(v):
    # Booleans and integers bare; a string quoted when empty, holding a space,
    # "=", a quote or a backslash, or reading as a boolean or a number, where
    # the number test is "all digits" and misses a leading "-".
    kind, x = v
    if kind == "bool":
        return "true" if x else "false"
    if kind == "int":
        return str(x)
    all_digits = x != "" and all("0" <= c <= "9" for c in x)
    if x != "" and not all_digits and x not in ("true", "false") and not any(c in ' ="\\' for c in x):
        return x
    return '"' + "".join("\\" + c if c in '\\"' else c for c in x) + '"'


def _b38_logfmt_read(text):
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        out, escaping = [], False
        for c in text[1:-1]:
            if escaping or c != "\\":
                out.append(c)
                escaping = False
            else:
                escaping = True
        return ("str", "".join(out))
    if text in ("true", "false"):
        return ("bool", text == "true")
    digits = text[1:] if text.startswith("-") else text
    if digits and all("0" <= c <= "9" for c in digits) and -(2**63) <= int(text) < 2**63:
        return ("int", int(text))
    return ("str", text)


def _b38_logfmt(v):
    check(_b38_logfmt_read(_b38_logfmt_text(v)) == v)


def _b38_docs(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then null or an int8, or an array or an object
    # (a dict, in the order its members were drawn) with keys 0-3.
    base = st.one_of(st.just(None), st.integers(-128, 127))
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b38_docs(depth - 1)
    containers = st.one_of(st.lists(inner),
                           st.lists(st.tuples(st.integers(0, 3), inner), unique_by=lambda kv: kv[0]).map(dict))
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else containers)


def _b38_doc_canonical(v, top=True):
    # Canonical text for signing; the buggy canonicalizer sorts the top-level
    # object's members only.
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ",".join(_b38_doc_canonical(x, False) for x in v) + "]"
    items = sorted(v.items(), key=lambda kv: kv[0]) if top else list(v.items())
    return "{" + ",".join(f'"k{k}":' + _b38_doc_canonical(x, False) for k, x in items) + "}"


def _b38_doc_reversed(v):
    if isinstance(v, list):
        return [_b38_doc_reversed(x) for x in v]
    if isinstance(v, dict):
        return {k: _b38_doc_reversed(x) for k, x in reversed(list(v.items()))}
    return v


def _b38_doc(v):
    # Canonical text must not depend on the order of an object's members.
    check(_b38_doc_canonical(v) == _b38_doc_canonical(_b38_doc_reversed(v)))


def _b38_is_doc_minimum(v):
    return (isinstance(v, list) and len(v) == 1 and isinstance(v[0], dict)
            and list(v[0].items()) == [(0, None), (1, None)])


def _b38_lock_tracker_machine(data):
    # A lock tracker's list of the locks held, in the order taken; the buggy
    # tracker takes every release to be of the newest lock. A lock held is not
    # taken again; an unlock releases a guard.
    def lock(s, d):
        lock_id = d.draw(st.integers(0, 3))
        if lock_id in s["held"]:
            return f"lock(lock: {lock_id})"
        s["held"].append(lock_id)
        s["tracker"].append(lock_id)
        s["made"] += 1
        v = f"v{s['made']}"
        s["guards"].append((v, lock_id))
        return f"{v} = lock(lock: {lock_id})"

    def unlock(s, d):
        v, lock_id = s["guards"].pop(d.draw(st.integers(0, len(s["guards"]) - 1)))
        s["held"].remove(lock_id)
        s["tracker"].pop()
        return f"unlock(guard: {v})"

    def same_held(s):
        if s["tracker"] != s["held"]:
            raise MachineFailure()

    run_machine(data, [("lock", lambda s: True, lock), ("unlock", lambda s: len(s["held"]) > 0, unlock)],
                lambda: {"held": [], "tracker": [], "made": 0, "guards": [], "check": same_held})


def _b38_tagged_heap_machine(data):
    # 16-byte granules with 4-bit tags; a block's granules get its pointer's
    # tag (1-15 in turn), and an access whose pointer tag is not the granule's
    # faults. The buggy free retags the first granule only. An access must
    # fault exactly when its block is freed; a block freed is not freed again.
    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        address, tag = len(s["tags"]) * 16, s["next_tag"]
        s["tags"] += [tag] * ((size + 15) // 16)
        s["next_tag"] = s["next_tag"] % 15 + 1
        s["freed"][address] = False
        s["made"] += 1
        v = f"v{s['made']}"
        s["ptrs"].append((v, address, size, tag))
        return f"{v} = alloc(size: {size})"

    def free(s, d):
        v, address, size, tag = s["ptrs"][d.draw(st.integers(0, len(s["ptrs"]) - 1))]
        if not s["freed"][address]:
            s["tags"][address // 16] = 0
            s["freed"][address] = True
        return f"free(ptr: {v})"

    def access(s, d):
        v, address, size, tag = s["ptrs"][d.draw(st.integers(0, len(s["ptrs"]) - 1))]
        offset = d.draw(st.integers(0, size - 1))
        s["line"] = f"access(ptr: {v}, offset: {offset})"
        if (s["tags"][(address + offset) // 16] != tag) != s["freed"][address]:
            raise MachineFailure()
        return s["line"]

    has_block = lambda s: len(s["ptrs"]) > 0
    run_machine(data, [("alloc", lambda s: True, alloc), ("free", has_block, free), ("access", has_block, access)],
                lambda: {"tags": [], "next_tag": 1, "freed": {}, "made": 0, "ptrs": []})


def _b38_file_lock_machine(data):
    # Whole-file locks held through open file descriptions (files 0-1): the
    # model drops a lock when the description holding it is closed, the
    # buggy table (POSIX record-lock semantics) when any descriptor of the
    # file is closed. Lock results and the files locked must agree.
    def open_(s, d):
        f = d.draw(st.integers(0, 1))
        s["descriptions"] += 1
        s["made"] += 1
        v = f"v{s['made']}"
        s["fds"].append((v, f, s["descriptions"]))
        return f"{v} = open(file: {f})"

    def lock(s, d):
        v, f, description = s["fds"][d.draw(st.integers(0, len(s["fds"]) - 1))]
        held = []
        for owners in (s["model"], s["table"]):
            owners.setdefault(f, description)
            held.append(owners[f] == description)
        s["line"] = f"lock(fd: {v})"
        if held[0] != held[1]:
            raise MachineFailure()
        return s["line"]

    def close(s, d):
        v, f, description = s["fds"].pop(d.draw(st.integers(0, len(s["fds"]) - 1)))
        if s["model"].get(f) == description:
            del s["model"][f]
        s["table"].pop(f, None)
        return f"close(fd: {v})"

    def same_locks(s):
        if sorted(s["model"]) != sorted(s["table"]):
            raise MachineFailure()

    has_open = lambda s: len(s["fds"]) > 0
    run_machine(data, [("open", lambda s: True, open_), ("lock", has_open, lock), ("close", has_open, close)],
                lambda: {"descriptions": 0, "made": 0, "fds": [], "model": {}, "table": {}, "check": same_locks})


_B38_NAME = st.lists(st.sampled_from("01a")).map("".join)
_B38_FORM_TEXT = st.lists(st.sampled_from("a +=&")).map("".join)

PROBLEMS += [
    Problem("half_float_pack_rounds_ties_away", st.floats(min_value=-65504, max_value=65504, width=32), _b38_half_float,
            lambda x: x == 2049.0),
    Problem("file_extent_end_checked_in_double", st.tuples(I64, I64), _b38_file_extent, lambda t: t == (1, 2**63 - 1)),
    Problem("human_size_rounds_up_to_1024_of_unit", st.lists(st.integers(0, 2**32 - 1)), _b38_human_sizes,
            lambda xs: xs == [1048525]),
    Problem("read_count_compared_signed_to_available", st.tuples(I64, st.integers(0, 2**64 - 1)), _b38_read_count,
            lambda t: t == (0, 2**63)),
    Problem("pcm_mix_saturates_each_partial_sum", st.lists(st.integers(-32768, 32767)), _b38_pcm_mix,
            lambda xs: xs == [1, 32767, -1]),
    Problem("natural_sort_digit_runs_compared_by_length", st.tuples(_B38_NAME, _B38_NAME), _b38_natural,
            lambda t: t == ("00", "1")),
    Problem("sstable_prefix_decoded_from_restart_key", st.sets(st.binary(max_size=6)), _b38_sstable,
            lambda s: s == {b"", b"\x00", b"\x00\x00"}, show=_b38_show_bytes_set),
    Problem("form_urlencode_leaves_plus_unescaped", st.dictionaries(_B38_FORM_TEXT, _B38_FORM_TEXT), _b38_form,
            lambda d: d == {"": "+"}, show=_b38_show_str_dict),
    Problem("decimal_format_drops_sign_below_one",
            st.integers(1, 9).flatmap(lambda p: st.tuples(st.integers(0, p), st.integers(1 - 10**p, 10**p - 1))
                                      .map(lambda t: (p,) + t)),
            _b38_decimal, lambda t: t == (1, 1, -1)),
    Problem("logfmt_negative_number_string_unquoted",
            st.one_of(st.booleans().map(lambda b: ("bool", b)), I64.map(lambda x: ("int", x)),
                      st.lists(st.sampled_from("a1-")).map(lambda cs: ("str", "".join(cs)))),
            _b38_logfmt, lambda v: v == ("str", "-1")),
    Problem("json_canonical_sorts_top_level_keys_only", _b38_docs(3), _b38_doc, _b38_is_doc_minimum),
    machine_problem("machine_lock_tracker_unlock_pops_newest", _b38_lock_tracker_machine,
                    ["v1 = lock(lock: 0)", "v2 = lock(lock: 1)", "unlock(guard: v1)"]),
    machine_problem("machine_tagged_free_retags_first_granule_only", _b38_tagged_heap_machine,
                    ["v1 = alloc(size: 17)", "free(ptr: v1)", "access(ptr: v1, offset: 16)"]),
    machine_problem("machine_file_lock_dropped_by_other_fd_close", _b38_file_lock_machine,
                    ["v1 = open(file: 0)", "v2 = open(file: 0)", "lock(fd: v1)", "close(fd: v2)"]),
]

# The thirty-ninth batch (Benchmarks/Sources/ShrinkQuality/ThirtyNinthBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b39_midi_messages(b, real_time_keeps_status):
    # MIDI messages with running status: a channel status byte starts it, a
    # system common one (0xF0-0xF7) ends it, data bytes without it are
    # dropped; a real-time byte (0xF8-0xFF) is a message of its own anywhere,
    # and the buggy reader takes it for a system status byte that ends it.
    messages, status, data = [], None, []
    for x in b:
        if x >= 0xF8:
            messages.append([x])
            if real_time_keeps_status:
                continue
        if x >= 0x80:
            status, data = (x if x < 0xF0 else None), []
        elif status is not None:
            data.append(x)
            if len(data) == (1 if status >> 4 in (0xC, 0xD) else 2):
                messages.append([status] + data)
                data = []
    return messages


def _b39_midi(b):
    check(_b39_midi_messages(b, False) == _b39_midi_messages(b, True))


def _b39_civil_from_days(days, floors_era):
    # Howard Hinnant's civil_from_days with Swift's truncating division; the
    # buggy version truncates the era too.
    z = days + 719468
    era = trunc_div(z - 146096 if floors_era and z < 0 else z, 146097)
    doe = z - era * 146097
    yoe = trunc_div(doe - trunc_div(doe, 1460) + trunc_div(doe, 36524) - trunc_div(doe, 146096), 365)
    doy = doe - (365 * yoe + trunc_div(yoe, 4) - trunc_div(yoe, 100))
    mp = trunc_div(5 * doy + 2, 153)
    d = doy - trunc_div(153 * mp + 2, 5) + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (yoe + era * 400 + (1 if m <= 2 else 0), m, d)


def _b39_civil(days):
    check(_b39_civil_from_days(days, False) == _b39_civil_from_days(days, True))


def _b39_f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _b39_printf_g(x):
    # A float written with "%g" (six significant digits) must read back, as a
    # double narrowed to a float, as itself.
    check(_b39_f32(float("%g" % x)) == x)


def _b39_percentile(xs, p, floors_index):
    s = sorted(xs)
    n = len(s)
    return s[min(p * n // 100, n - 1) if floors_index else (p * n + 99) // 100 - 1]


def _b39_percentiles(t):
    p, xs = t
    if xs:
        check(_b39_percentile(xs, p, True) == _b39_percentile(xs, p, False))


def _b39_wrap16(x):
    return (x + 32768) % 65536 - 32768


def _b39_celsius_tenths(reading, in_int16):
    # Tenths of a degree Celsius, divisions truncating; the firmware works a
    # Fahrenheit reading out in 16 bits, where (f - 320) * 5 wraps.
    unit, t = reading
    if unit == "C":
        return t
    if unit == "F":
        if in_int16:
            return trunc_div(_b39_wrap16(_b39_wrap16(t - 320) * 5), 9)
        return trunc_div((t - 320) * 5, 9)
    return trunc_div(t - 27315, 10)


def _b39_temperature(reading):
    check(_b39_celsius_tenths(reading, True) == _b39_celsius_tenths(reading, False))


def _b39_json_values(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then an int8 or an array.
    base = st.integers(-128, 127)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b39_json_values(depth - 1)
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else st.lists(inner))


def _b39_json_write(v, sets_flag_after_array):
    # A streaming writer: per open array, whether a value has been written in
    # it (the next needs a comma); the buggy writer sets it after numbers only.
    out, written = [], []

    def write(v):
        if written and written[-1]:
            out.append(",")
        if isinstance(v, int):
            out.append(str(v))
            if written:
                written[-1] = True
        else:
            out.append("[")
            written.append(False)
            for x in v:
                write(x)
            written.pop()
            out.append("]")
            if sets_flag_after_array and written:
                written[-1] = True

    write(v)
    return "".join(out)


def _b39_json_read(text):
    # Integers (int8) and arrays read back strictly; None unless the whole
    # text is one value with commas between elements.
    pos = [0]

    def value():
        i = pos[0]
        if i >= len(text):
            return None
        if text[i] == "[":
            pos[0] += 1
            xs = []
            if pos[0] < len(text) and text[pos[0]] == "]":
                pos[0] += 1
                return xs
            while True:
                x = value()
                if x is None:
                    return None
                xs.append(x)
                if pos[0] >= len(text):
                    return None
                if text[pos[0]] == "]":
                    pos[0] += 1
                    return xs
                if text[pos[0]] != ",":
                    return None
                pos[0] += 1
        j = i + 1 if text[i] == "-" else i
        while j < len(text) and "0" <= text[j] <= "9":
            j += 1
        pos[0] = j
        digits = text[i + 1:j] if text[i] == "-" else text[i:j]
        if not digits or not -128 <= int(text[i:j]) <= 127:
            return None
        return int(text[i:j])

    v = value()
    return v if v is not None and pos[0] == len(text) else None


def _b39_json_writer(v):
    check(_b39_json_read(_b39_json_write(v, False)) == v)


def _b39_xattr_size(name, value):
    return (4 + len(name.encode()) + len(value) + 3) // 4 * 4


def _b39_xattrs(attrs):
    # Accepted when each entry fits in the 32-byte block's space, the space
    # never taken off: accepted attributes must fit together.
    if all(_b39_xattr_size(k, v) <= 32 for k, v in attrs.items()):
        check(sum(_b39_xattr_size(k, v) for k, v in attrs.items()) <= 32)


def _b39_show_str_bytes_dict(d):
    return "{" + ", ".join(f"{k!r}: {_b38_show_bytes(d[k])}" for k in sorted(d)) + "}"


def _b39_sparse_set(t):
    # A sparse set over 0-255 whose remove moves the last member into the
    # removed one's slot and updates the removed member's index (the moved
    # one's is right): membership after inserting the first set and removing
    # the second, each in order, must be the first less the second.
    inserted, removed = t
    dense, sparse, count = [0] * 256, [0] * 256, 0

    def contains(x):
        return sparse[x] < count and dense[sparse[x]] == x

    for x in sorted(inserted):
        if not contains(x):
            dense[count], sparse[x] = x, count
            count += 1
    for x in sorted(removed):
        if contains(x):
            i = sparse[x]
            dense[i] = dense[count - 1]
            sparse[x] = i
            count -= 1
    for x in range(256):
        check(contains(x) == (x in inserted and x not in removed))


def _b39_show_set(s):
    return "{" + ", ".join(map(str, sorted(s))) + "}" if s else "set()"


def _b39_ipv4_decimal(s):
    # Four parts of one to three decimal digits, each at most 255.
    parts = s.split(".")
    if len(parts) != 4:
        return None
    address = 0
    for part in parts:
        if not 1 <= len(part) <= 3 or not all("0" <= c <= "9" for c in part) or int(part) > 255:
            return None
        address = address << 8 | int(part)
    return address


def _b39_ipv4_inet_aton(s):
    # Four parts as inet_aton reads them: a leading 0 makes a part octal.
    parts = s.split(".")
    if len(parts) != 4:
        return None
    address = 0
    for part in parts:
        if not part or not all("0" <= c <= "9" for c in part):
            return None
        octal = len(part) > 1 and part[0] == "0"
        if octal and any(c in "89" for c in part):
            return None
        x = int(part, 8 if octal else 10)
        if x > 255:
            return None
        address = address << 8 | x
    return address


def _b39_ipv4(s):
    address = _b39_ipv4_decimal(s)
    if address is not None:
        check(address == _b39_ipv4_inet_aton(s))


def _b39_register_field(t):
    # The mask (1 << width) - 1 worked out in a 32-bit int (shift count mod 32)
    # against the 64-bit mask.
    value, (offset, width) = t
    check((value >> offset) & ((1 << (width & 31)) - 1) == (value >> offset) & ((1 << width) - 1))


def _b39_paeth_predictor(a, b, c, strict_up_tie):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    if (pb < pc) if strict_up_tie else (pb <= pc):
        return b
    return c


def _b39_paeth(b):
    # Two scanlines (the halves, an odd last byte left out): the second
    # Paeth-filtered rightly, unfiltered with the predictor that breaks a tie
    # between up and upper-left towards upper-left, must come back.
    n = len(b) // 2
    up, row = list(b[:n]), list(b[n:2 * n])
    filtered = [(row[i] - _b39_paeth_predictor(row[i - 1] if i else 0, up[i], up[i - 1] if i else 0, False)) & 0xFF
                for i in range(n)]
    decoded = []
    for i in range(n):
        predicted = _b39_paeth_predictor(decoded[i - 1] if i else 0, up[i], up[i - 1] if i else 0, True)
        decoded.append((filtered[i] + predicted) & 0xFF)
    check(decoded == row)


def _b39_pid_machine(data):
    # Pids 1-4 from the one after the last handed out, skipping live ones,
    # past 4 back at 1; the buggy allocator takes 1 after the wrap unchecked.
    # A spawn (while fewer than four are live) must hand out the right pid.
    def allocate(a, checks_after_wrap):
        pid = a["last"] + 1
        while pid <= 4 and pid in a["live"]:
            pid += 1
        if pid > 4:
            pid = 1
            while checks_after_wrap and pid in a["live"]:
                pid += 1
        a["live"].add(pid)
        a["last"] = pid
        return pid

    def spawn(s, d):
        expected = allocate(s["model"], True)
        if allocate(s["system"], False) != expected:
            s["line"] = "spawn()"
            raise MachineFailure()
        s["made"] += 1
        v = f"v{s['made']}"
        s["pids"].append((v, expected))
        return f"{v} = spawn()"

    def exit_(s, d):
        v, pid = s["pids"].pop(d.draw(st.integers(0, len(s["pids"]) - 1)))
        s["model"]["live"].discard(pid)
        s["system"]["live"].discard(pid)
        return f"exit(pid: {v})"

    run_machine(data, [("spawn", lambda s: len(s["model"]["live"]) < 4, spawn),
                       ("exit", lambda s: len(s["model"]["live"]) > 0, exit_)],
                lambda: {"model": {"live": set(), "last": 0}, "system": {"live": set(), "last": 0}, "made": 0, "pids": []})


def _b39_priority_machine(data):
    # A thread of priority 0 holding mutexes 0-1 runs at the highest priority
    # blocked on a mutex it holds; unlocking must work it out again from the
    # mutexes still held, and the buggy unlock drops it to 0.
    def lock(s, d):
        m = d.draw(st.integers(0, 1))
        s["held"].add(m)
        return f"lock(mutex: {m})"

    def block(s, d):
        m = d.draw(st.integers(0, 1))
        p = d.draw(st.integers(1, 3))
        if m in s["held"]:
            s["waiters"].setdefault(m, []).append(p)
            s["model"] = max(s["model"], p)
            s["system"] = max(s["system"], p)
        return f"block(mutex: {m}, prio: {p})"

    def unlock(s, d):
        m = d.draw(st.integers(0, 1))
        if m in s["held"]:
            s["held"].discard(m)
            s["waiters"].pop(m, None)
            s["model"] = max((max(s["waiters"][h]) for h in s["held"] if s["waiters"].get(h)), default=0)
            s["system"] = 0
        return f"unlock(mutex: {m})"

    def same_priority(s):
        if s["model"] != s["system"]:
            raise MachineFailure()

    run_machine(data, [("lock", lambda s: True, lock), ("block", lambda s: True, block), ("unlock", lambda s: True, unlock)],
                lambda: {"held": set(), "waiters": {}, "model": 0, "system": 0, "check": same_priority})


def _b39_dup2_machine(data):
    # Four descriptor slots; dup2(old, new) closes new first and makes it name
    # what old names, doing nothing when old is new, and the buggy dup2
    # closes new whatever old is. The slots must be the model's.
    def open_(s, d):
        s["opens"] += 1
        for slots in (s["model"], s["system"]):
            slots[slots.index(None)] = s["opens"]
        return "open()"

    def dup2(s, d):
        old = d.draw(st.integers(0, 3))
        new = d.draw(st.integers(0, 3))
        for slots, checks in ((s["model"], True), (s["system"], False)):
            if slots[old] is not None and not (checks and old == new):
                slots[new] = None
                slots[new] = slots[old]
        return f"dup2(old: {old}, new: {new})"

    def close(s, d):
        fd = d.draw(st.integers(0, 3))
        s["model"][fd] = s["system"][fd] = None
        return f"close(fd: {fd})"

    def same_slots(s):
        if s["model"] != s["system"]:
            raise MachineFailure()

    run_machine(data, [("open", lambda s: None in s["model"], open_), ("dup2", lambda s: True, dup2),
                       ("close", lambda s: True, close)],
                lambda: {"model": [None] * 4, "system": [None] * 4, "opens": 0, "check": same_slots})


_B39_JSON = _b39_json_values(3)

PROBLEMS += [
    Problem("midi_realtime_byte_ends_running_status", st.binary(max_size=64), _b39_midi, lambda b: b == b"\xc0\xf8\x00",
            show=_b38_show_bytes),
    Problem("civil_from_days_truncates_negative_era", st.integers(-(2**31), 2**31 - 1), _b39_civil,
            lambda x: x == -719469),
    Problem("float_printed_with_six_digits_lossy", st.floats(allow_nan=False, allow_infinity=False, width=32),
            _b39_printf_g, lambda x: x == 1000001.0),
    Problem("percentile_nearest_rank_index_floors", st.tuples(st.integers(1, 100), st.lists(st.integers(-32768, 32767))),
            _b39_percentiles, lambda t: t == (50, [0, 1])),
    Problem("fahrenheit_tenths_product_wraps_int16",
            st.one_of(st.integers(-32768, 32767).map(lambda t: ("C", t)), st.integers(-32768, 32767).map(lambda t: ("F", t)),
                      st.integers(0, 65535).map(lambda t: ("K", t))),
            _b39_temperature, lambda v: v == ("F", -6234)),
    Problem("json_writer_comma_flag_skips_after_array", _B39_JSON, _b39_json_writer, lambda v: v == [[], 0]),
    Problem("xattr_space_check_never_takes_off_free",
            st.dictionaries(st.lists(st.sampled_from("ab")).map("".join), st.binary(max_size=32)), _b39_xattrs,
            lambda d: d == {"": b"", "a": bytes(24)}, show=_b39_show_str_bytes_dict),
    Problem("sparse_set_remove_updates_removed_index", st.tuples(st.sets(st.integers(0, 255)), st.sets(st.integers(0, 255))),
            _b39_sparse_set, lambda t: t == ({0, 1}, {0}),
            show=lambda t: f"({_b39_show_set(t[0])}, {_b39_show_set(t[1])})"),
    Problem("ipv4_filter_reads_leading_zero_as_decimal",
            st.lists(st.lists(st.sampled_from("01"), min_size=1, max_size=3).map("".join), min_size=4, max_size=4).map(".".join),
            _b39_ipv4,
            lambda s: s == "0.0.0.010"),
    Problem("register_field_mask_shifted_in_int32",
            st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 63).flatmap(lambda o: st.integers(1, 64 - o).map(lambda w: (o, w)))),
            _b39_register_field, lambda t: t == (1, (0, 32)), show=lambda t: f"({t[0]}, {t[1][0]}, {t[1][1]})"),
    Problem("png_paeth_tie_goes_to_upper_left", st.binary(min_size=16, max_size=16), _b39_paeth,
            lambda b: b == bytes([0] * 6 + [1, 3] + [0] * 8),
            show=_b38_show_bytes),
    machine_problem("machine_pid_wrap_takes_live_pid", _b39_pid_machine,
                    ["v1 = spawn()", "v2 = spawn()", "v3 = spawn()", "v4 = spawn()", "exit(pid: v2)", "spawn()"]),
    machine_problem("machine_priority_inheritance_unlock_drops_to_base", _b39_priority_machine,
                    ["lock(mutex: 0)", "lock(mutex: 1)", "block(mutex: 0, prio: 1)", "unlock(mutex: 1)"]),
    machine_problem("machine_dup2_onto_itself_closes_fd", _b39_dup2_machine, ["open()", "dup2(old: 0, new: 0)"]),
]

# The fortieth batch (Benchmarks/Sources/ShrinkQuality/FortiethBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b40_isqrt(x):
    # The square root of the value converted to a float (binary32), truncated,
    # must be the integer square root. (A double's square root of a binary32
    # value, rounded to binary32, is the correctly rounded binary32 root.)
    check(int(_b39_f32(math.sqrt(_b39_f32(float(x))))) == math.isqrt(x))


def _b40_backoff(t):
    # base seconds doubled attempt times, in milliseconds, in doubles: the
    # delay converted to an integer before its cap must fit in Int64.
    base, attempt = t
    check(base * 1000 * 2.0 ** attempt < 2.0 ** 63)


def _b40_packbits_decode(b, run_at_128):
    # A header n < 128 copies the next n + 1 bytes, n > 128 repeats the next
    # byte 257 - n times, 128 is a no-op; the buggy decoder takes 128 for a run.
    out, i = [], 0
    while i < len(b):
        h = b[i]
        i += 1
        if h < 128:
            out += b[i:i + h + 1]
            i += h + 1
        elif h > 128 or run_at_128:
            if i < len(b):
                out += [b[i]] * (257 - h)
                i += 1
    return out


def _b40_packbits(b):
    b = list(b)
    check(_b40_packbits_decode(b, True) == _b40_packbits_decode(b, False))


def _b40_merge_inversions(xs, counts_one_per_crossing):
    # Merge sort (left half the first len // 2) counting inversions; a right
    # element going first crosses every left one left, and the buggy count
    # adds one for it.
    if len(xs) < 2:
        return list(xs), 0
    mid = len(xs) // 2
    left, a = _b40_merge_inversions(xs[:mid], counts_one_per_crossing)
    right, b = _b40_merge_inversions(xs[mid:], counts_one_per_crossing)
    count, merged, i, j = a + b, [], 0, 0
    while i < len(left) and j < len(right):
        if right[j] < left[i]:
            merged.append(right[j])
            j += 1
            count += 1 if counts_one_per_crossing else len(left) - i
        else:
            merged.append(left[i])
            i += 1
    return merged + left[i:] + right[j:], count


def _b40_inversions(xs):
    n = len(xs)
    check(_b40_merge_inversions(xs, True)[1] == sum(1 for i in range(n) for j in range(i + 1, n) if xs[j] < xs[i]))


def _b40_expand(s, unescapes_first):
    # $name (lowercase letters) expanded, "a" set to "1" and other names
    # unset; "$$" is a literal "$", a "$" without a name stays. The buggy
    # expander turns "$$" into "$" first and then expands names.
    if unescapes_first:
        s = s.replace("$$", "$")
    out, i = [], 0
    while i < len(s):
        if s[i] != "$":
            out.append(s[i])
            i += 1
        elif not unescapes_first and s[i + 1:i + 2] == "$":
            out.append("$")
            i += 2
        else:
            j = i + 1
            while j < len(s) and "a" <= s[j] <= "z":
                j += 1
            if j > i + 1:
                out.append("1" if s[i + 1:j] == "a" else "")
                i = j
            else:
                out.append("$")
                i += 1
    return "".join(out)


def _b40_env(s):
    check(_b40_expand(s, True) == _b40_expand(s, False))


def _b40_timers(t):
    # The timer to fire next: the earliest deadline (least id on a tie); the
    # buggy pick takes the least (deadline - now) mod 2^32.
    now, timers = t
    if timers:
        ids = sorted(timers)
        check(min(ids, key=lambda k: (timers[k] - now) % 2**32) == min(ids, key=lambda k: timers[k]))


def _b40_show_timers(t):
    return f"({t[0]}, " + "{" + ", ".join(f"{k}: {t[1][k]}" for k in sorted(t[1])) + "})"


def _b40_binary_search(s):
    # The midpoint lo + hi >> 1 as Swift reads it, lo + (hi >> 1): every
    # member must be found (a search still going after len + 1 probes, which
    # can raise hi and loop for ever, is taken as hung).
    a = sorted(s)
    for x in a:
        lo, hi, found, probes = 0, len(a) - 1, False, 0
        while lo <= hi and probes <= len(a):
            probes += 1
            mid = lo + (hi >> 1)
            if mid >= len(a):
                break
            if a[mid] == x:
                found = True
                break
            if a[mid] < x:
                lo = mid + 1
            else:
                hi = mid - 1
        check(found)


def _b40_cbor_head(major, n, inlines_24):
    if n < 24 or (inlines_24 and n == 24):
        return [major << 5 | n]
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if size == 8 or n < 1 << (8 * size):
            return [major << 5 | info] + list(n.to_bytes(size, "big"))


def _b40_cbor_encode(item, inlines_24):
    kind, x = item
    if kind == "uint":
        return _b40_cbor_head(0, x, inlines_24)
    data = list(x) if kind == "bytes" else list(x.encode())
    return _b40_cbor_head(2 if kind == "bytes" else 3, len(data), inlines_24) + data


def _b40_cbor_decode(b):
    # One item read back strictly: None unless the bytes are exactly one item.
    if not b:
        return None
    major, info = b[0] >> 5, b[0] & 31
    if info < 24:
        n, i = info, 1
    elif info <= 27:
        size = 1 << (info - 24)
        if len(b) < 1 + size:
            return None
        n, i = int.from_bytes(bytes(b[1:1 + size]), "big"), 1 + size
    else:
        return None
    if major == 0:
        return ("uint", n) if i == len(b) else None
    if n != len(b) - i:
        return None
    if major == 2:
        return ("bytes", bytes(b[i:]))
    if major == 3:
        try:
            return ("text", bytes(b[i:]).decode())
        except UnicodeDecodeError:
            return None
    return None


def _b40_cbor(item):
    check(_b40_cbor_decode(_b40_cbor_encode(item, True)) == item)


def _b40_split(t):
    # Chunks of ceil(count / workers), clipped at the end: none may be empty.
    workers, count = t
    chunk = (count + workers - 1) // workers
    for w in range(workers):
        check(min((w + 1) * chunk, count) > min(w * chunk, count))


def _b40_filters(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then a literal or a failing lookup, or not,
    # and, or.
    base = st.one_of(st.booleans().map(lambda b: ("lit", b)), st.just(("err",)))
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b40_filters(depth - 1)
    extend = st.one_of(inner.map(lambda e: ("not", e)), st.tuples(inner, inner).map(lambda t: ("and",) + t),
                       st.tuples(inner, inner).map(lambda t: ("or",) + t))
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else extend)


def _b40_evaluate(e, short_circuits):
    # The value, None for an error (an error on the left wins); the buggy
    # evaluator does not short-circuit and and or.
    kind = e[0]
    if kind == "lit":
        return e[1]
    if kind == "err":
        return None
    if kind == "not":
        v = _b40_evaluate(e[1], short_circuits)
        return None if v is None else not v
    left = _b40_evaluate(e[1], short_circuits)
    if left is None:
        return None
    if short_circuits and left != (kind == "and"):
        return left
    right = _b40_evaluate(e[2], short_circuits)
    if right is None:
        return None
    return (left and right) if kind == "and" else (left or right)


def _b40_filter(e):
    check(_b40_evaluate(e, False) == _b40_evaluate(e, True))


def _b40_trees(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch, then a file
    # (no choice) or a directory's search bit and children.
    base = st.just(("file",))
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b40_trees(depth - 1)
    extend = st.tuples(st.booleans(), st.lists(inner)).map(lambda t: ("dir",) + t)
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else extend)


def _b40_openable(node, checks_parent_only, path=(), ancestors=True, parent=True):
    # The files (child index paths) a walk opens: every directory on the way
    # must be searchable; the buggy walk checks the parent only.
    if node[0] == "file":
        return [path] if (parent if checks_parent_only else ancestors) else []
    out = []
    for i, child in enumerate(node[2]):
        out += _b40_openable(child, checks_parent_only, path + (i,), ancestors and node[1], node[1])
    return out


def _b40_path_walk(tree):
    check(_b40_openable(tree, True) == _b40_openable(tree, False))


def _b40_rehash_machine(data):
    # A map that grows incrementally: resize makes the table the old one and
    # starts an empty new one, each step moves the least old key across; a
    # lookup must look in both while migrating, and the buggy one sees the
    # new table only. A get must find what the right map finds.
    def put(s, d):
        key = d.draw(st.integers(0, 3))
        value = d.draw(st.integers(0, 3))
        if s["migrating"]:
            s["old"].pop(key, None)
        s["new"][key] = value
        return f"put(key: {key}, value: {value})"

    def get(s, d):
        key = d.draw(st.integers(0, 3))
        expected = s["new"].get(key, s["old"].get(key) if s["migrating"] else None)
        if s["new"].get(key) != expected:
            s["line"] = f"get(key: {key})"
            raise MachineFailure()
        return f"get(key: {key})"

    def resize(s, d):
        s["old"], s["new"], s["migrating"] = s["new"], {}, True
        return "resize()"

    def step(s, d):
        if s["old"]:
            key = min(s["old"])
            s["new"][key] = s["old"].pop(key)
        if not s["old"]:
            s["migrating"] = False
        return "step()"

    run_machine(data, [("put", lambda s: True, put), ("get", lambda s: True, get),
                       ("resize", lambda s: not s["migrating"], resize), ("step", lambda s: s["migrating"], step)],
                lambda: {"old": {}, "new": {}, "migrating": False})


def _b40_channel_machine(data):
    # A channel of capacity two: after close, receives drain the buffer and
    # then report closed; the buggy one reports closed at once.
    def send(s, d):
        x = d.draw(st.integers(0, 3))
        s["buffer"].append(x)
        return f"send(x: {x})"

    def close(s, d):
        s["closed"] = True
        return "close()"

    def recv(s, d):
        expected = s["buffer"].pop(0) if s["buffer"] else ("closed" if s["closed"] else "would block")
        if s["closed"] and expected != "closed":
            s["line"] = "recv()"
            raise MachineFailure()
        return "recv()"

    run_machine(data, [("send", lambda s: not s["closed"] and len(s["buffer"]) < 2, send),
                       ("close", lambda s: not s["closed"], close), ("recv", lambda s: True, recv)],
                lambda: {"buffer": [], "closed": False})


def _b40_heartbeat_machine(data):
    # A peer is down from three missed ticks on; a heartbeat resets the count,
    # and the buggy one takes one off. Whether the peer is up must agree.
    def tick(s, d):
        s["model"] += 1
        s["system"] += 1
        return "tick()"

    def heartbeat(s, d):
        s["model"] = 0
        s["system"] = max(0, s["system"] - 1)
        return "heartbeat()"

    def same_verdict(s):
        if (s["model"] < 3) != (s["system"] < 3):
            raise MachineFailure()

    run_machine(data, [("tick", lambda s: True, tick), ("heartbeat", lambda s: True, heartbeat)],
                lambda: {"model": 0, "system": 0, "check": same_verdict})


PROBLEMS += [
    Problem("isqrt_u32_via_float_sqrt_rounds_up", st.integers(0, 2**32 - 1), _b40_isqrt, lambda x: x == 16785407),
    Problem("backoff_delay_converted_before_cap", st.tuples(st.floats(0, 60), st.integers(0, 100)), _b40_backoff,
            lambda t: t == (1.0, 54)),
    Problem("packbits_decoder_takes_128_as_run", st.binary(max_size=16), _b40_packbits, lambda b: b == b"\x80\x00",
            show=_b38_show_bytes),
    Problem("merge_sort_inversions_count_one_per_crossing", st.lists(st.integers(-(2**31), 2**31 - 1)), _b40_inversions,
            lambda xs: xs == [0, 0, 0, -1]),
    Problem("env_expand_unescapes_dollars_before_names", st.lists(st.sampled_from("a$")).map("".join), _b40_env,
            lambda s: s == "$$a"),
    Problem("timer_next_deadline_unsigned_distance_skips_overdue",
            st.tuples(st.integers(0, 2**32 - 1), st.dictionaries(st.integers(0, 255), st.integers(0, 2**32 - 1))),
            _b40_timers, lambda t: t == (1, {0: 0, 1: 1}), show=_b40_show_timers),
    Problem("binary_search_mid_shift_binds_tighter", st.sets(st.integers(0, 255)), _b40_binary_search,
            lambda s: s == {0, 1, 2}, show=_b39_show_set),
    Problem("cbor_head_inlines_argument_24",
            st.one_of(st.integers(0, 2**64 - 1).map(lambda x: ("uint", x)),
                      st.lists(st.sampled_from("ab")).map(lambda cs: ("text", "".join(cs))),
                      st.binary(min_size=16, max_size=32).map(lambda b: ("bytes", b))),
            _b40_cbor, lambda v: v == ("uint", 24)),
    Problem("parallel_split_ceil_chunk_leaves_last_empty",
            st.integers(1, 8).flatmap(lambda w: st.integers(w, 64).map(lambda n: (w, n))), _b40_split,
            lambda t: t == (3, 4)),
    Problem("filter_and_evaluates_right_after_false", _b40_filters(3), _b40_filter,
            lambda e: e == ("and", ("lit", False), ("err",))),
    Problem("path_walk_checks_parent_search_bit_only", _b40_trees(3), _b40_path_walk,
            lambda t: t == ("dir", False, [("dir", True, [("file",)])])),
    machine_problem("machine_incremental_rehash_lookup_skips_old_table", _b40_rehash_machine,
                    ["put(key: 0, value: 0)", "resize()", "get(key: 0)"]),
    machine_problem("machine_channel_close_drops_buffered", _b40_channel_machine, ["send(x: 0)", "close()", "recv()"]),
    machine_problem("machine_heartbeat_decrements_missed_count", _b40_heartbeat_machine,
                    ["tick()", "tick()", "tick()", "tick()", "heartbeat()"]),
]

# The forty-first batch (Benchmarks/Sources/ShrinkQuality/FortyFirstBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b41_log2_bucket(x):
    # A latency histogram's bucket b holds [2^b, 2^(b+1)); the bucket taken as
    # int(log2(x)), which truncates towards zero, must hold the sample.
    if x > 0:
        b = int(math.log2(x))
        check(2.0 ** b <= x < 2.0 ** (b + 1))


def _b41_memrchr_swar(b):
    # The last zero byte's index as a word-at-a-time memrchr finds it: the
    # bytes past the last whole 8-byte word one by one from the end, then each
    # word (little-endian) from the last down with the has-zero test
    # (x - 0x01..01) & ~x & 0x80..80, taking the highest flagged byte.
    words = len(b) // 8
    for i in range(len(b) - 1, 8 * words - 1, -1):
        if b[i] == 0:
            return i
    for w in range(words - 1, -1, -1):
        x = int.from_bytes(bytes(b[8 * w:8 * w + 8]), "little")
        mask = ((x - 0x0101010101010101) % 2**64) & ~x & 0x8080808080808080
        if mask:
            return 8 * w + (mask.bit_length() - 1) // 8
    return None


def _b41_memrchr(b):
    zeros = [i for i, x in enumerate(b) if x == 0]
    check(_b41_memrchr_swar(b) == (zeros[-1] if zeros else None))


def _b41_semver_identifiers(x, y):
    # Two pre-release identifiers: numeric ones by value, before alphanumeric
    # ones, which go by their text.
    if x.isdigit() and y.isdigit():
        return (int(x) > int(y)) - (int(x) < int(y))
    if x.isdigit() or y.isdigit():
        return -1 if x.isdigit() else 1
    return (x > y) - (x < y)


def _b41_semver_cmp(a, b, release_last):
    # -1, 0 or 1: major, minor and patch, then the pre-release identifiers one
    # by one, a shorter list first when one is a prefix of the other; a
    # release (no identifiers) after its pre-releases. The buggy comparator
    # compares the lists as they are, so a release's empty list goes first.
    if a[:3] != b[:3]:
        return -1 if a[:3] < b[:3] else 1
    pa, pb = a[3], b[3]
    if release_last and (not pa or not pb):
        return (not pa) - (not pb)
    for x, y in zip(pa, pb):
        c = _b41_semver_identifiers(x, y)
        if c:
            return c
    return (len(pa) > len(pb)) - (len(pa) < len(pb))


def _b41_semver(t):
    check(_b41_semver_cmp(t[0], t[1], False) == _b41_semver_cmp(t[0], t[1], True))


def _b41_mulaw(sample, clip):
    # G.711 mu-law: the magnitude clipped, the bias 0x84 added in a 16-bit
    # temporary, the segment from the highest of bits 14...7 and four bits of
    # mantissa under it, all inverted. Clipped at 32635 the biased magnitude
    # fits; the buggy encoder clips at 32767, and from 32636 on the sum wraps.
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), clip)
    biased = (magnitude + 0x84 + 0x8000) % 0x10000 - 0x8000
    exponent = 7
    while exponent > 0 and not biased & (0x80 << exponent):
        exponent -= 1
    mantissa = (biased >> (exponent + 3)) & 0x0F
    return ~(sign | exponent << 4 | mantissa) & 0xFF


def _b41_mulaw_stream(xs):
    check([_b41_mulaw(x, 32767) for x in xs] == [_b41_mulaw(x, 32635) for x in xs])


def _b41_cron(t):
    # The minutes of "lo-hi/step": lo, lo + step, ... up to hi; the buggy
    # expansion takes the multiples of step between lo and hi.
    lo, hi, step = t
    check([m for m in range(lo, hi + 1) if m % step == 0] == list(range(lo, hi + 1, step)))


def _b41_fair_shares(t):
    # Slots shared in proportion to the weights: each tenant's floor, and the
    # buggy scheduler gives all that is left over to the least tenant id. Each
    # share must be within one slot of its exact quota.
    weights, slots = t
    if weights:
        total = sum(weights.values())
        shares = {k: slots * w // total for k, w in weights.items()}
        shares[min(weights)] += slots - sum(shares.values())
        for k, w in weights.items():
            check(abs(shares[k] * total - slots * w) < total)


def _b41_show_dict(d):
    return "{" + ", ".join(f"{k}: {d[k]}" for k in sorted(d)) + "}"


def _b41_show_shares(t):
    return f"({_b41_show_dict(t[0])}, {t[1]})"


def _b41_configs(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then a value or a table of keys 0...3.
    base = st.integers(0, 9)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b41_configs(depth - 1)
    extend = st.dictionaries(st.integers(0, 3), inner)
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else extend)


def _b41_merge(base, override, deep):
    # The override laid over the base: tables merge key by key, anything else
    # is replaced. The buggy merge replaces a table held under a key of the
    # top table instead of merging it.
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for k, v in override.items():
            out[k] = _b41_merge(base[k], v, True) if deep and k in base else v
        return out
    return override


def _b41_config_merge(t):
    check(_b41_merge(t[0], t[1], False) == _b41_merge(t[0], t[1], True))


def _b41_show_config(c):
    return "{" + ", ".join(f"{k}: {_b41_show_config(c[k])}" for k in sorted(c)) + "}" if isinstance(c, dict) else str(c)


def _b41_varint(b, i):
    # A varint of at most ten bytes at i: (its value mod 2^64, the index past it), or None.
    value = 0
    for k in range(10):
        if i + k >= len(b):
            return None
        value |= (b[i + k] & 0x7F) << (7 * k)
        if b[i + k] < 0x80:
            return value % 2**64, i + k + 1
    return None


def _b41_proto_fields(b, fixed32_size):
    # The (field, wire type) pairs of a protobuf message, every value skipped
    # by its wire type (0 a varint, 1 eight bytes, 2 a length and that many
    # bytes, 5 four bytes), or None for a malformed one. The buggy reader
    # skips eight bytes for wire type 5.
    out, i = [], 0
    while i < len(b):
        r = _b41_varint(b, i)
        if r is None:
            return None
        tag, i = r
        wire = tag & 7
        if wire == 0:
            r = _b41_varint(b, i)
            if r is None:
                return None
            i = r[1]
        elif wire in (1, 5):
            size = 8 if wire == 1 else fixed32_size
            if i + size > len(b):
                return None
            i += size
        elif wire == 2:
            r = _b41_varint(b, i)
            if r is None or r[0] > len(b) - r[1]:
                return None
            i = r[1] + r[0]
        else:
            return None
        out.append((tag >> 3, wire))
    return out


def _b41_protobuf(b):
    check(_b41_proto_fields(b, 8) == _b41_proto_fields(b, 4))


def _b41_has_cycle(deps, any_visited):
    # Depth-first from each node in turn (node i depends on deps[i]; indices
    # past the end are ignored): a cycle is a dependency still in progress.
    # The buggy check takes any node visited before for one.
    state = {}

    def visit(u):
        if u in state:
            return any_visited or state[u] == "open"
        state[u] = "open"
        for v in deps[u]:
            if v < len(deps) and visit(v):
                return True
        state[u] = "done"
        return False

    for u in range(len(deps)):
        if u not in state and visit(u):
            return True
    return False


def _b41_cycle(deps):
    check(_b41_has_cycle(deps, True) == _b41_has_cycle(deps, False))


def _b41_patch(config, patch, skips_zero):
    # Each field the patch sets replaces the config's; the buggy apply skips
    # fields set to a zero value (0, False), as if unset.
    return tuple(c if p is None or (skips_zero and not p) else p for c, p in zip(config, patch))


def _b41_config_patch(t):
    check(_b41_patch(t[0], t[1], True) == _b41_patch(t[0], t[1], False))


def _b41_h2_window_machine(data):
    # A stream's send window under HTTP/2 flow control, the initial window
    # size 4: a send takes what fits, a WINDOW_UPDATE adds to it, and a new
    # SETTINGS_INITIAL_WINDOW_SIZE moves it by the difference from the old
    # size; the buggy stream sets its window to the new size.
    def send(s, d):
        n = d.draw(st.integers(1, 4))
        s["model"] -= min(n, s["model"])
        s["system"] -= min(n, s["system"])
        return f"send(n: {n})"

    def window_update(s, d):
        n = d.draw(st.integers(1, 4))
        s["model"] += n
        s["system"] += n
        return f"windowUpdate(n: {n})"

    def settings(s, d):
        size = d.draw(st.integers(0, 8))
        s["model"] += size - s["initial"]
        s["system"] = size
        s["initial"] = size
        return f"settings(initialWindow: {size})"

    def same_window(s):
        if s["model"] != s["system"]:
            raise MachineFailure()

    run_machine(data, [("send", lambda s: s["model"] > 0, send), ("windowUpdate", lambda s: True, window_update),
                       ("settings", lambda s: True, settings)],
                lambda: {"model": 4, "system": 4, "initial": 4, "check": same_window})


def _b41_writer_machine(data):
    # A buffered writer of four bytes: a write that does not fit flushes the
    # buffer first; the buggy writer then copies no more than the room it
    # measured before the flush. Every byte written must be flushed or buffered.
    def write(s, d):
        n = d.draw(st.integers(1, 3))
        s["written"] += n
        room = 4 - s["buffered"]
        if n > room:
            s["flushed"] += s["buffered"]
            s["buffered"] = 0
        s["buffered"] += min(n, room)
        return f"write(n: {n})"

    def flush(s, d):
        s["flushed"] += s["buffered"]
        s["buffered"] = 0
        return "flush()"

    def accounted(s):
        if s["flushed"] + s["buffered"] != s["written"]:
            raise MachineFailure()

    run_machine(data, [("write", lambda s: True, write), ("flush", lambda s: True, flush)],
                lambda: {"written": 0, "flushed": 0, "buffered": 0, "check": accounted})


def _b41_wrap64(x):
    return (x + 2**63) % 2**64 - 2**63


def _b41_statsd_lines(metric, resets_negative_gauge):
    # The lines a StatsD client sends for a metric named "m". A gauge value
    # with a sign is a change to the gauge, so a negative gauge must be sent
    # as a reset to 0 and then the change; the buggy client sends it bare.
    kind, v = metric
    if kind == "counter":
        return [f"m:{v}|c"]
    if kind == "timing":
        return [f"m:{v}|ms"]
    return ["m:0|g", f"m:{v}|g"] if v < 0 and resets_negative_gauge else [f"m:{v}|g"]


def _b41_statsd(metric):
    # A server holding a counter and a gauge at 100 and no timings: a counter
    # must add its value (wrapping in 64 bits), a gauge end at its value and a
    # timing be recorded as sent.
    counter, gauge, timings = 100, 100, []
    for line in _b41_statsd_lines(metric, False):
        value, kind = line[2:].split("|")
        if kind == "c":
            counter = _b41_wrap64(counter + int(value))
        elif kind == "ms":
            timings.append(int(value))
        elif value[0] in "+-":
            gauge = _b41_wrap64(gauge + int(value))
        else:
            gauge = int(value)
    kind, v = metric
    expected = {"counter": (_b41_wrap64(100 + v), 100, []), "gauge": (100, v, []), "timing": (100, 100, [v])}[kind]
    check((counter, gauge, timings) == expected)


def _b41_capabilities(s):
    # Capabilities (0...40) packed as bits of a 32-bit mask and read back.
    mask = 0
    for c in s:
        mask |= 1 << c if c < 32 else 0
    check({c for c in range(41) if c < 32 and mask >> c & 1} == s)


_B41_SEMVER = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2),
                        st.lists(st.lists(st.sampled_from("0a"), min_size=1, max_size=2).map("".join), max_size=2))

PROBLEMS += [
    Problem("histogram_log2_bucket_truncates_fractions", st.floats(0, 1), _b41_log2_bucket, lambda x: x == 0.75),
    Problem("memrchr_swar_borrow_flags_byte_above_zero", st.lists(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFF])),
            _b41_memrchr, lambda b: b == [0, 0, 0, 0, 0, 0, 0, 1], show=lambda b: _b38_show_bytes(bytes(b))),
    Problem("semver_release_sorts_before_its_prerelease", st.tuples(_B41_SEMVER, _B41_SEMVER), _b41_semver,
            lambda t: t == ((0, 0, 0, []), (0, 0, 0, ["0"]))),
    Problem("mulaw_encoder_clips_without_bias_headroom", st.lists(st.integers(-(2**15), 2**15 - 1)), _b41_mulaw_stream,
            lambda xs: xs == [32636]),
    Problem("cron_range_step_counted_from_zero",
            st.integers(0, 59).flatmap(lambda lo: st.tuples(st.integers(lo, 59), st.integers(1, 30)).map(lambda t: (lo,) + t)),
            _b41_cron, lambda t: t == (1, 1, 2)),
    Problem("fair_share_leftover_all_to_first_tenant",
            st.dictionaries(st.integers(0, 15), st.integers(1, 100)).flatmap(
                lambda w: st.tuples(st.just(w), st.integers(len(w), len(w) + 64))),
            _b41_fair_shares, lambda t: t == ({0: 1, 1: 1, 2: 1}, 5), show=_b41_show_shares),
    Problem("config_merge_replaces_nested_table", st.tuples(_b41_configs(3), _b41_configs(3)), _b41_config_merge,
            lambda t: t == ({0: {0: 0}}, {0: {}}),
            show=lambda t: f"({_b41_show_config(t[0])}, {_b41_show_config(t[1])})"),
    Problem("protobuf_skip_fixed32_takes_eight_bytes", st.binary(max_size=16), _b41_protobuf,
            lambda b: b == b"\x05\x00\x00\x00\x00", show=_b38_show_bytes),
    Problem("cycle_check_takes_finished_node_for_back_edge", st.lists(st.lists(st.integers(0, 7))), _b41_cycle,
            lambda d: d == [[], [0]]),
    Problem("config_patch_skips_zero_values",
            st.tuples(st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(0, 255), st.booleans()),
                      st.tuples(st.none() | st.integers(-(2**31), 2**31 - 1), st.none() | st.integers(0, 255),
                                st.none() | st.booleans())),
            _b41_config_patch, lambda t: t == ((0, 0, True), (None, None, False))),
    machine_problem("machine_h2_initial_window_setting_resets_window", _b41_h2_window_machine,
                    ["send(n: 1)", "settings(initialWindow: 0)"]),
    machine_problem("machine_buffered_writer_room_taken_before_flush", _b41_writer_machine,
                    ["write(n: 2)", "write(n: 3)"]),
    Problem("statsd_negative_gauge_sent_as_change",
            st.one_of(st.integers(-(2**63), 2**63 - 1).map(lambda v: ("counter", v)),
                      st.integers(-(2**63), 2**63 - 1).map(lambda v: ("gauge", v)),
                      st.integers(0, 2**32 - 1).map(lambda v: ("timing", v))),
            _b41_statsd, lambda m: m == ("gauge", -1)),
    Problem("capability_set_packed_in_32_bit_mask", st.sets(st.integers(0, 40)), _b41_capabilities,
            lambda s: s == {32}, show=_b39_show_set),
]


# The forty-second batch (Benchmarks/Sources/ShrinkQuality/FortySecondBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b42_cidr(t):
    # network/prefix must match an address as the mask 0xFFFFFFFF << (32 - prefix)
    # says (a shift by 32 leaves nothing: /0 matches everything); the buggy
    # mask shifts by the count masked to five bits (Swift's &<<), so /0 is all ones.
    network, prefix, address = t
    right = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    buggy = (0xFFFFFFFF << ((32 - prefix) & 31)) & 0xFFFFFFFF
    check((address & buggy == network & buggy) == (address & right == network & right))


def _b42_levenshtein(a, b, reads_diagonal_after_reset):
    # One row of the edit-distance matrix, updated in place; the diagonal
    # (the row above's cell to the left) must be read before the row's first
    # cell is set to i + 1, and the buggy version reads it after.
    row = list(range(len(b) + 1))
    for i, x in enumerate(a):
        if reads_diagonal_after_reset:
            row[0] = i + 1
            diagonal = row[0]
        else:
            diagonal = row[0]
            row[0] = i + 1
        for j, y in enumerate(b):
            up = row[j + 1]
            row[j + 1] = min(up + 1, row[j] + 1, diagonal + (0 if x == y else 1))
            diagonal = up
    return row[len(b)]


def _b42_edit_distance(t):
    check(_b42_levenshtein(t[0], t[1], True) == _b42_levenshtein(t[0], t[1], False))


def _b42_pointer(tokens):
    # A JSON pointer: each token after a "/", "~" written "~0" and then "/"
    # written "~1"; the buggy reader turns every "~0" into "~" and only then
    # every "~1" into "/", so the token "~1" (written "~01") comes back "/".
    pointer = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)
    parsed = [] if pointer == "" else [t.replace("~0", "~").replace("~1", "/") for t in pointer.split("/")[1:]]
    check(parsed == tokens)


def _b42_timespec(x):
    # A delay in seconds (negative: already past) as (seconds, nanoseconds):
    # the seconds converted to an integer, which truncates towards zero, and
    # the nanoseconds of the fraction above the floor. It must stand for the
    # delay.
    seconds, nanoseconds = int(x), int((x - math.floor(x)) * 1e9)
    check(abs(seconds + nanoseconds / 1e9 - x) < 1e-6)


def _b42_cron_number(t):
    if not 1 <= len(t) <= 2 or not all(c in "0123456789" for c in t):
        return None
    v = int(t)
    return v if v <= 59 else None


def _b42_cron_minutes(s, steps_from_zero):
    # A cron minute field: items split at ",", each "*", "n" or "a-b", the
    # first and last with an optional "/step"; numbers of one or two digits
    # up to 59. A step counts from the range's start; the buggy parser keeps
    # the multiples of the step. None when the field is malformed.
    out = set()
    for item in s.split(","):
        parts = item.split("/")
        if len(parts) > 2:
            return None
        step = 1
        if len(parts) == 2:
            step = _b42_cron_number(parts[1])
            if not step:
                return None
        if parts[0] == "*":
            lo, hi = 0, 59
        else:
            bounds = parts[0].split("-")
            if len(bounds) > 2 or (len(parts) == 2 and len(bounds) == 1):
                return None
            lo, hi = _b42_cron_number(bounds[0]), _b42_cron_number(bounds[-1])
            if lo is None or hi is None or lo > hi:
                return None
        out |= {v for v in range(lo, hi + 1) if (v if steps_from_zero else v - lo) % step == 0}
    return sorted(out)


def _b42_cron_text(items):
    # Items ("every", step or None), ("value", n), ("range", a, b, step or
    # None) as a cron field: "*", "*/15", "5", "1-9", "1-9/2", joined by ",".
    def text(item):
        if item[0] == "every":
            return "*" + ("" if item[1] is None else f"/{item[1]}")
        if item[0] == "value":
            return str(item[1])
        return f"{item[1]}-{item[2]}" + ("" if item[3] is None else f"/{item[3]}")

    return ",".join(map(text, items))


def _b42_cron(items):
    s = _b42_cron_text(items)
    check(_b42_cron_minutes(s, True) == _b42_cron_minutes(s, False))


_B42_CRON_ITEMS = st.lists(st.one_of(
    (st.none() | st.integers(1, 59)).map(lambda step: ("every", step)),
    st.integers(0, 59).map(lambda n: ("value", n)),
    st.integers(0, 59).flatmap(lambda a: st.tuples(st.integers(a, 59), st.none() | st.integers(1, 59)).map(
        lambda t: ("range", a, t[0], t[1])))))


def _b42_png_sub(row):
    # PNG's Sub filter on a row of 8-bit grey pixels: each byte less the one
    # before it, modulo 256; the buggy unfilter adds the one before back and
    # clamps the sum at 255 where it must wrap.
    filtered = [row[i] if i == 0 else (row[i] - row[i - 1]) % 256 for i in range(len(row))]
    out = []
    for i, f in enumerate(filtered):
        out.append(f if i == 0 else min(255, f + out[-1]))
    check(out == list(row))


def _b42_has_cycle(graph, finished_is_back_edge):
    # Depth-first search from every node in order: reaching a node still on
    # the path is a cycle; the buggy search takes any node it has seen for one.
    state = {}

    def visit(n):
        if n in state:
            return state[n] == 1 or finished_is_back_edge
        state[n] = 1
        for m in sorted(graph.get(n, ())):
            if visit(m):
                return True
        state[n] = 2
        return False

    for n in sorted(graph):
        if n not in state and visit(n):
            return True
    return False


def _b42_cycle(graph):
    check(_b42_has_cycle(graph, True) == _b42_has_cycle(graph, False))


def _b42_show_graph(g):
    return "{" + ", ".join(f"{k}: {_b39_show_set(g[k])}" for k in sorted(g)) + "}"


def _b42_config_nodes(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then a value in 0...100 or a table.
    base = st.integers(0, 100)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    table = st.dictionaries(_B42_KEYS, _b42_config_nodes(depth - 1))
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else table)


_B42_KEYS = st.lists(st.sampled_from("ab")).map("".join)


def _b42_flatten(table, prefix=""):
    # Nested tables as dotted keys ("a.b" = 1); an empty table gives no key.
    out = {}
    for k in sorted(table):
        v = table[k]
        if isinstance(v, dict):
            out.update(_b42_flatten(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


def _b42_unflatten(flat):
    root = {}
    for path in sorted(flat):
        parts = path.split(".")
        t = root
        for p in parts[:-1]:
            t = t.setdefault(p, {})
        t[parts[-1]] = flat[path]
    return root


def _b42_config(table):
    check(_b42_unflatten(_b42_flatten(table)) == table)


def _b42_show_config(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k!r}: {_b42_show_config(v[k])}" for k in sorted(v)) + "}"
    return str(v)


def _b42_mode_string(mode, lowercase_always):
    # "rwxr-x---" with setuid, setgid and sticky in the execute places:
    # "s"/"t" over execute, "S"/"T" without it; the buggy writer always
    # writes the lowercase letter.
    out = ""
    for shift, special, letter in ((6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")):
        bits = mode >> shift & 7
        out += ("r" if bits & 4 else "-") + ("w" if bits & 2 else "-")
        if mode & special:
            out += letter if bits & 1 or lowercase_always else letter.upper()
        else:
            out += "x" if bits & 1 else "-"
    return out


def _b42_parse_mode(s):
    mode = 0
    for i, (shift, special) in enumerate(((6, 0o4000), (3, 0o2000), (0, 0o1000))):
        r, w, x = s[3 * i:3 * i + 3]
        mode |= ((4 if r == "r" else 0) | (2 if w == "w" else 0) | (1 if x in "xst" else 0)) << shift
        if x in "sStT":
            mode |= special
    return mode


def _b42_mode(m):
    check(_b42_parse_mode(_b42_mode_string(m, True)) == m)


def _b42_resolve(length, spec, checks_empty):
    # An HTTP byte range against a resource of `length` bytes: (first, last)
    # or None (416). A suffix range of n is the last n bytes, all of them
    # when n exceeds the length, and unsatisfiable for n = 0 or an empty
    # resource; the buggy resolver forgets the empty resource.
    if spec[0] == "range":
        return None if spec[1] >= length else (spec[1], min(spec[2], length - 1))
    if spec[0] == "suffix":
        n = spec[1]
        if n == 0 or (checks_empty and length == 0):
            return None
        return max(0, length - n), length - 1
    return None if spec[1] >= length else (spec[1], length - 1)


def _b42_http_range(t):
    check(_b42_resolve(t[0], t[1], False) == _b42_resolve(t[0], t[1], True))


def _b42_pack(codes, width):
    # Codes packed LSB first at `width` bits each (Parquet's bit packing).
    out = bytearray((len(codes) * width + 7) // 8)
    p = 0
    for c in codes:
        for bit in range(width):
            if c >> bit & 1:
                out[p // 8] |= 1 << (p % 8)
            p += 1
    return bytes(out)


def _b42_unpack(data, width, count):
    codes, p = [], 0
    for _ in range(count):
        c = 0
        for bit in range(width):
            if data[p // 8] >> (p % 8) & 1:
                c |= 1 << bit
            p += 1
        codes.append(c)
    return codes


def _b42_codes(t):
    # Codes of a dictionary of n entries at floor(log2 n) bits each (it must
    # be ceil(log2 n)) must unpack as written.
    n, codes = t
    width = n.bit_length() - 1
    check(_b42_unpack(_b42_pack(codes, width), width, len(codes)) == codes)


_B42_PAPER_BUCKETS = (("10", 7, -63, 64), ("110", 9, -255, 256), ("1110", 12, -2047, 2048))


def _b42_gorilla(ts):
    # Gorilla's delta-of-delta timestamps: the first timestamp and delta in
    # 64 bits, then each delta of deltas as "0" when zero, else a tag and a
    # two's complement field of 7, 9 or 12 bits, or 32 bits past those. The
    # ranges are the paper's, -63...64 and so on, where a 7-bit field holds
    # -64...63: a delta of deltas of 64 comes back as -64.
    fields = []
    for i in range(2, len(ts)):
        dod = (ts[i] - ts[i - 1]) - (ts[i - 1] - ts[i - 2])
        if dod == 0:
            fields.append(0)
            continue
        width = next((w for _, w, lo, hi in _B42_PAPER_BUCKETS if lo <= dod <= hi), 32)
        bits = dod & ((1 << width) - 1)
        fields.append(bits - (1 << width) if bits >> (width - 1) else bits)
    out = list(ts[:2])
    for dod in fields:
        out.append(out[-1] + (out[-1] - out[-2]) + dod)
    check(out == ts)


def _b42_queue_machine(data):
    # Vyukov's bounded queue of two slots, one call at a time: a slot's turn
    # is the position that may use it next, pos to enqueue and pos + 1 to
    # dequeue; a dequeue must hand the slot on at pos + 2 (pos + mask + 1),
    # and the buggy one sets pos + 1 (the + 1 forgotten), so the slot stays
    # "full" to the next lap's enqueue. Results must be the right queue's.
    def new_queue(full_turn):
        return {"turns": [0, 1], "slots": [0, 0], "head": 0, "tail": 0, "full_turn": full_turn}

    def enqueue_one(q, x):
        i = q["tail"] & 1
        if q["turns"][i] != q["tail"]:
            return False
        q["slots"][i] = x
        q["turns"][i] = q["tail"] + 1
        q["tail"] += 1
        return True

    def dequeue_one(q):
        i = q["head"] & 1
        if q["turns"][i] != q["head"] + 1:
            return None
        x = q["slots"][i]
        q["turns"][i] = q["head"] + (2 if q["full_turn"] else 1)
        q["head"] += 1
        return x

    def enqueue(s, d):
        x = d.draw(st.integers(0, 3))
        s["line"] = f"enqueue(x: {x})"
        if enqueue_one(s["system"], x) != enqueue_one(s["model"], x):
            raise MachineFailure()
        return s["line"]

    def dequeue(s, d):
        s["line"] = "dequeue()"
        if dequeue_one(s["system"]) != dequeue_one(s["model"]):
            raise MachineFailure()
        return s["line"]

    run_machine(data, [("enqueue", lambda s: True, enqueue), ("dequeue", lambda s: True, dequeue)],
                lambda: {"model": new_queue(True), "system": new_queue(False)})


class _B42HandleCache:
    # Open handles count references to a key's entry; an entry without any
    # goes on the idle list, of which one is kept (the oldest is dropped).
    # Opening an idle entry must take it off the list; the buggy cache leaves
    # it there, so closing it again puts it on twice and drops it.
    def __init__(self, removes_on_revive):
        self.removes_on_revive = removes_on_revive
        self.refs = {}
        self.idle = []

    def open(self, key):
        if key in self.refs:
            if self.refs[key] == 0 and self.removes_on_revive:
                self.idle = [k for k in self.idle if k != key]
            self.refs[key] += 1
        else:
            self.refs[key] = 1

    def close(self, key):
        if key not in self.refs:
            return
        self.refs[key] -= 1
        if self.refs[key] == 0:
            self.idle.append(key)
            if len(self.idle) > 1:
                self.refs.pop(self.idle.pop(0), None)


def _b42_cache_machine(data):
    def open_(s, d):
        key = d.draw(st.integers(0, 3))
        s["model"].open(key)
        s["system"].open(key)
        s["next"] += 1
        s["handles"].append((f"v{s['next']}", key))
        return f"v{s['next']} = open(key: {key})"

    def close(s, d):
        variable, key = s["handles"].pop(d.draw(st.integers(0, len(s["handles"]) - 1)))
        s["model"].close(key)
        s["system"].close(key)
        return f"close(handle: {variable})"

    def same_resident(s):
        if set(s["model"].refs) != set(s["system"].refs):
            raise MachineFailure()

    run_machine(data, [("open", lambda s: True, open_), ("close", lambda s: len(s["handles"]) > 0, close)],
                lambda: {"model": _B42HandleCache(True), "system": _B42HandleCache(False), "handles": [], "next": 0,
                         "check": same_resident})


PROBLEMS += [
    Problem("cidr_slash_zero_mask_shift_count_masked",
            st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32), st.integers(0, 2**32 - 1)), _b42_cidr,
            lambda t: t == (0, 0, 1)),
    Problem("levenshtein_one_row_diagonal_read_after_reset", st.tuples(_B42_KEYS, _B42_KEYS), _b42_edit_distance,
            lambda t: t == ("a", "a")),
    Problem("json_pointer_unescapes_tilde_before_slash", st.lists(st.lists(st.sampled_from("a~/01")).map("".join)),
            _b42_pointer, lambda xs: xs == ["~1"]),
    Problem("timespec_seconds_truncated_fraction_floored", st.floats(-3600, 3600), _b42_timespec,
            lambda x: x == -1.5),
    Problem("cron_field_items_step_counted_from_zero", _B42_CRON_ITEMS, _b42_cron, lambda items: items == [("range", 1, 1, 2)]),
    Problem("png_sub_unfilter_clamps_sum", st.binary(max_size=16), _b42_png_sub, lambda b: b == b"\x01\x00",
            show=_b38_show_bytes),
    Problem("cycle_check_finished_node_taken_for_back_edge", st.dictionaries(st.integers(0, 7), st.sets(st.integers(0, 7))),
            _b42_cycle, lambda g: g == {0: set(), 1: {0}}, show=_b42_show_graph),
    Problem("config_flatten_drops_empty_table", st.dictionaries(_B42_KEYS, _b42_config_nodes(3)), _b42_config,
            lambda t: t == {"": {}}, show=_b42_show_config),
    Problem("mode_string_special_bit_lowercase_without_exec", st.integers(0, 0o7777), _b42_mode, lambda m: m == 0o1000),
    Problem("http_suffix_range_on_empty_resource",
            st.tuples(st.integers(0, 10_000),
                      st.one_of(st.integers(0, 10_000).flatmap(
                                    lambda a: st.integers(a, 10_000).map(lambda b: ("range", a, b))),
                                st.integers(0, 10_000).map(lambda n: ("suffix", n)),
                                st.integers(0, 10_000).map(lambda a: ("from", a)))),
            _b42_http_range, lambda t: t == (0, ("suffix", 1))),
    Problem("dictionary_code_width_floors_log2",
            st.integers(1, 1000).flatmap(lambda n: st.lists(st.integers(0, n - 1)).map(lambda cs: (n, cs))), _b42_codes,
            lambda t: t == (3, [2])),
    Problem("gorilla_dod_buckets_paper_ranges", st.lists(st.integers(-(2**31), 2**31 - 1)), _b42_gorilla,
            lambda xs: xs == [0, 0, 64]),
    machine_problem("machine_bounded_queue_turn_misses_plus_one", _b42_queue_machine,
                    ["enqueue(x: 0)", "enqueue(x: 0)", "dequeue()", "enqueue(x: 0)"]),
    machine_problem("machine_handle_cache_revive_leaves_idle_entry", _b42_cache_machine,
                    ["v1 = open(key: 0)", "close(handle: v1)", "v2 = open(key: 0)", "close(handle: v2)"]),
]


# The forty-third batch (Benchmarks/Sources/ShrinkQuality/FortyThirdBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b43_cents(x, adds_half_always):
    # Hundredths of a cent to cents, rounded half away from zero; the buggy
    # rounding is (x + 50) / 100 with a division truncating towards zero (as
    # C's and Swift's), so a refund of -0.50 cents rounds to 0.
    if adds_half_always or x >= 0:
        return trunc_div(x + 50, 100)
    return -trunc_div(-x + 50, 100)


def _b43_invoice(t):
    total = t[0] * t[1]
    check(_b43_cents(total, True) == _b43_cents(total, False))


def _b43_gray(x):
    # A 32-bit Gray code decoded by folding with shifts 1, 2, 4 and 8 only
    # (the 16 forgotten) must give the value back.
    g = x ^ (x >> 1)
    for shift in (1, 2, 4, 8):
        g ^= g >> shift
    check(g == x)


def _b43_round_half_away(y):
    # y >= 0 rounded half away from zero, exactly (y - int(y) is exact).
    i = int(y)
    return i + (1 if y - i >= 0.5 else 0)


def _b43_rgb(t):
    # Each channel in 0...1 converted to a byte by truncating x * 255 must be
    # the byte it rounds to.
    check(all(int(x * 255) == _b43_round_half_away(x * 255) for x in t))


def _b43_bitmap(ids):
    # Ids in a bitmap (bit id & 7 of byte id >> 3) of (max + 7) // 8 bytes,
    # one short when the greatest id is a multiple of 8; the writer checks
    # its index and drops that id. They must read back.
    if not ids:
        return
    buf = bytearray((max(ids) + 7) // 8)
    for i in ids:
        if i >> 3 < len(buf):
            buf[i >> 3] |= 1 << (i & 7)
    back = {8 * k + b for k in range(len(buf)) for b in range(8) if buf[k] >> b & 1}
    check(back == ids)


_B43_AB = st.lists(st.sampled_from("ab")).map("".join)


def _b43_common_prefix(xs):
    # The longest common prefix as the buggy helper finds it, that of the
    # first two strings, must be a prefix of every string.
    if not xs:
        prefix = ""
    elif len(xs) == 1:
        prefix = xs[0]
    else:
        a, b = xs[0], xs[1]
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        prefix = a[:n]
    check(all(x.startswith(prefix) for x in xs))


def _b43_sort_key(t):
    # Keys written as their length byte and their bytes must compare as the
    # byte strings do.
    a, b = t
    ka, kb = bytes([len(a)]) + a, bytes([len(b)]) + b
    check(((ka > kb) - (ka < kb)) == ((a > b) - (a < b)))


def _b43_moving_sum(xs):
    # Sums of each window of three, as a running sum that takes the value
    # three back off only from index 4 on (> where >= is meant).
    out, total = [], 0
    for i, x in enumerate(xs):
        total += x
        if i > 3:
            total -= xs[i - 3]
        if i >= 2:
            out.append(total)
    check(out == [xs[i - 2] + xs[i - 1] + xs[i] for i in range(2, len(xs))])


def _b43_merge(runs):
    # Runs (each sorted first) merged by the least head, the first run on a
    # tie, only while every run has a head: the merge must hold every value.
    runs = [sorted(r) for r in runs]
    pos = [0] * len(runs)
    out = []
    while runs and all(pos[k] < len(runs[k]) for k in range(len(runs))):
        k = 0
        for j in range(len(runs)):
            if runs[j][pos[j]] < runs[k][pos[k]]:
                k = j
        out.append(runs[k][pos[k]])
        pos[k] += 1
    check(out == sorted(x for r in runs for x in r))


def _b43_stock(t):
    # An order the check accepts (by total quantity, not item by item) must
    # leave no item's stock below zero.
    stock, order = t
    if sum(order.values()) <= sum(stock.values()):
        check(all(stock.get(item, 0) - q >= 0 for item, q in order.items()))


def _b43_show_stock(t):
    return f"({show_dict(t[0])}, {show_dict(t[1])})"


_B43_BOOL_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _b43_int_literal(s):
    digits = s[1:] if s[:1] in ("-", "+") else s
    return digits != "" and all(c in "0123456789" for c in digits)


def _b43_yaml(v):
    # A scalar written bare unless it is an empty or numeric text (YAML 1.1's
    # boolean words are forgotten), and read back: quoted text, an integer,
    # a boolean word in any case, else text.
    kind, x = v
    if kind == "int":
        s = str(x)
    elif kind == "bool":
        s = "true" if x else "false"
    else:
        s = '"' + x + '"' if x == "" or _b43_int_literal(x) else x
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        back = ("text", s[1:-1])
    elif _b43_int_literal(s):
        back = ("int", int(s))
    elif s.lower() in _B43_BOOL_WORDS:
        back = ("bool", _B43_BOOL_WORDS[s.lower()])
    else:
        back = ("text", s)
    check(back == v)


def _b43_month_length(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _b43_add_months(t):
    # The date moved on with the year and month carried and the day kept
    # (not clamped to the month's end) must be a day of its month.
    y, m, d, n = t
    total = m - 1 + n
    y2, m2 = y + total // 12, total % 12 + 1
    check(d <= _b43_month_length(y2, m2))


_B43_DATES = st.integers(1970, 2100).flatmap(lambda y: st.integers(1, 12).flatmap(
    lambda m: st.tuples(st.integers(1, _b43_month_length(y, m)), st.integers(0, 120)).map(lambda t: (y, m, t[0], t[1]))))


def _b43_ledger_machine(data):
    # Three accounts; a transfer of more than the source holds is refused.
    # The buggy transfer reads both balances before writing either, so a
    # transfer to the same account credits what it read: money appears.
    def deposit(s, d):
        account = d.draw(st.integers(0, 2))
        amount = d.draw(st.integers(1, 5))
        s["balances"][account] += amount
        s["deposited"] += amount
        return f"deposit(account: {account}, amount: {amount})"

    def transfer(s, d):
        source = d.draw(st.integers(0, 2))
        target = d.draw(st.integers(0, 2))
        amount = d.draw(st.integers(1, 5))
        b = s["balances"]
        if b[source] >= amount:
            old_source, old_target = b[source], b[target]
            b[source] = old_source - amount
            b[target] = old_target + amount
        return f"transfer(from: {source}, to: {target}, amount: {amount})"

    def same_total(s):
        if sum(s["balances"]) != s["deposited"]:
            raise MachineFailure()

    run_machine(data, [("deposit", lambda s: True, deposit), ("transfer", lambda s: True, transfer)],
                lambda: {"balances": [0, 0, 0], "deposited": 0, "check": same_total})


class _B43Limiter:
    # At most 2 requests in any 3 ticks: a request at t counts those logged
    # at t - 2 ... t. The buggy limiter expires a logged request only when it
    # is more than 3 ticks old.
    def __init__(self, keeps_boundary):
        self.keeps_boundary, self.now, self.log = keeps_boundary, 0, []

    def request(self):
        if self.keeps_boundary:
            self.log = [t for t in self.log if not self.now - t > 3]
        else:
            self.log = [t for t in self.log if not self.now - t >= 3]
        if len(self.log) >= 2:
            return False
        self.log.append(self.now)
        return True


def _b43_limiter_machine(data):
    def request(s, d):
        s["line"] = "request()"
        if s["system"].request() != s["model"].request():
            raise MachineFailure()
        return s["line"]

    def tick(s, d):
        dt = d.draw(st.integers(1, 3))
        s["model"].now += dt
        s["system"].now += dt
        return f"tick(dt: {dt})"

    run_machine(data, [("request", lambda s: True, request), ("tick", lambda s: True, tick)],
                lambda: {"model": _B43Limiter(False), "system": _B43Limiter(True)})


class _B43Store:
    # Redis-like expiry: EXPIRE sets a live key's time to live, SET writes a
    # value with no expiry; the buggy SET of an existing key keeps its expiry.
    def __init__(self, set_keeps_expiry):
        self.set_keeps_expiry, self.now, self.entries = set_keeps_expiry, 0, {}

    def visible(self):
        return {k: v for k, (v, exp) in self.entries.items() if exp is None or exp > self.now}

    def set(self, key, value):
        old = self.entries.get(key)
        self.entries[key] = (value, old[1] if old and self.set_keeps_expiry else None)

    def expire(self, key, ttl):
        if key in self.visible():
            self.entries[key] = (self.entries[key][0], self.now + ttl)


def _b43_kv_machine(data):
    def set_(s, d):
        key = d.draw(st.integers(0, 2))
        value = d.draw(st.integers(0, 2))
        s["model"].set(key, value)
        s["system"].set(key, value)
        return f"set(key: {key}, value: {value})"

    def expire(s, d):
        key = d.draw(st.integers(0, 2))
        ttl = d.draw(st.integers(1, 3))
        s["model"].expire(key, ttl)
        s["system"].expire(key, ttl)
        return f"expire(key: {key}, ttl: {ttl})"

    def tick(s, d):
        s["model"].now += 1
        s["system"].now += 1
        return "tick()"

    def same_visible(s):
        if s["model"].visible() != s["system"].visible():
            raise MachineFailure()

    run_machine(data, [("set", lambda s: True, set_), ("expire", lambda s: True, expire), ("tick", lambda s: True, tick)],
                lambda: {"model": _B43Store(False), "system": _B43Store(True), "check": same_visible})


PROBLEMS += [
    Problem("invoice_refund_rounds_half_by_truncating_division",
            st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(0, 1000)), _b43_invoice, lambda t: t == (-1, 50)),
    Problem("gray_code_decode_missing_16_bit_fold", st.integers(0, 2**32 - 1), _b43_gray, lambda x: x == 65536),
    Problem("rgb_unit_doubles_truncated_to_bytes", st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)), _b43_rgb,
            lambda t: t == (0.0, 0.0, 0.5)),
    Problem("bitmap_sized_from_max_id_short_at_multiple_of_8", st.sets(st.integers(1, 255)), _b43_bitmap,
            lambda s: s == {8}, show=_b39_show_set),
    Problem("common_prefix_of_first_two_strings_only", st.lists(_B43_AB), _b43_common_prefix,
            lambda xs: xs == ["a", "a", ""]),
    Problem("sort_key_length_prefix_breaks_byte_order", st.tuples(st.binary(max_size=16), st.binary(max_size=16)),
            _b43_sort_key, lambda t: t == (b"\x01", b"\x00\x00"),
            show=lambda t: f"({_b38_show_bytes(t[0])}, {_b38_show_bytes(t[1])})"),
    Problem("moving_sum_evicts_one_step_late", st.lists(st.integers(-(2**15), 2**15 - 1)), _b43_moving_sum,
            lambda xs: xs == [1, 0, 0, 0]),
    Problem("kway_merge_stops_when_one_run_ends", st.lists(st.lists(st.integers(0, 9))), _b43_merge,
            lambda runs: runs == [[], [0]]),
    Problem("stock_reservation_checked_by_total_not_item",
            st.tuples(st.dictionaries(st.integers(0, 7), st.integers(1, 9)), st.dictionaries(st.integers(0, 7), st.integers(1, 9))),
            _b43_stock, lambda t: t == ({0: 1}, {1: 1}), show=_b43_show_stock),
    Problem("yaml_bare_no_read_back_as_false",
            st.one_of(I64.map(lambda x: ("int", x)), st.booleans().map(lambda b: ("bool", b)),
                      st.lists(st.sampled_from("no1")).map("".join).map(lambda s: ("text", s))),
            _b43_yaml, lambda v: v == ("text", "no")),
    Problem("add_months_keeps_day_past_month_end", _B43_DATES, _b43_add_months, lambda t: t == (1970, 1, 29, 1)),
    machine_problem("machine_ledger_self_transfer_reads_both_first", _b43_ledger_machine,
                    ["deposit(account: 0, amount: 1)", "transfer(from: 0, to: 0, amount: 1)"]),
    machine_problem("machine_sliding_log_limiter_keeps_edge_request", _b43_limiter_machine,
                    ["request()", "request()", "tick(dt: 3)", "request()"]),
    machine_problem("machine_kv_set_keeps_previous_expiry", _b43_kv_machine,
                    ["set(key: 0, value: 0)", "expire(key: 0, ttl: 1)", "set(key: 0, value: 0)", "tick()"]),
]


# The forty-fourth batch (Benchmarks/Sources/ShrinkQuality/FortyFourthBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b44_canonical(x):
    # An x86-64 address is canonical when bits 47...63 are all equal; the
    # buggy check compares bit 63 with bit 47 only.
    correct = x >> 47 in (0, 0x1FFFF)
    buggy = (x >> 63) == (x >> 47) & 1
    check(buggy == correct)


def _b44_int8(x):
    # x wrapped to an Int8, as Swift's &+ on Int8 wraps.
    return (x + 128) % 256 - 128


def _b44_nice(t):
    # A nice value -20...19 plus an Int8 increment, clamped to -20...19; the
    # buggy helper adds in Int8 (wrapping) before clamping.
    current, delta = t
    correct = max(-20, min(19, current + delta))
    buggy = max(-20, min(19, _b44_int8(current + delta)))
    check(buggy == correct)


def _b44_rcvbuf(t):
    # setsockopt(SO_RCVBUF, val): the request clamped to rmem_max as an
    # unsigned 32-bit value, then doubled in Int32 (wrapping) and raised to
    # the minimum 4608. The buffer must be at least the clamped request.
    val, rmem_max = t
    v = min(val % 2**32, rmem_max)
    doubled = (2 * v) % 2**32
    if doubled >= 2**31:
        doubled -= 2**32
    check(max(doubled, 4608) >= v)


def _b44_cpu_weight(w):
    # A CPU weight fraction 0...1 turned into shares of 1024 by truncation:
    # a nonzero weight must get a nonzero share.
    if w > 0:
        check(int(w * 1024) >= 1)


def _b44_mount_escape(s):
    # A mount path written for /proc/mounts with space, tab and newline as
    # octal escapes, the backslash left bare, and read back decoding every
    # backslash and three octal digits: it must read back as written.
    out = []
    for c in s:
        out.append({" ": "\\040", "\t": "\\011", "\n": "\\012"}.get(c, c))
    w = "".join(out)
    back, i = [], 0
    while i < len(w):
        if w[i] == "\\" and len(w[i + 1:i + 4]) == 3 and all(c in "01234567" for c in w[i + 1:i + 4]):
            back.append(chr(int(w[i + 1:i + 4], 8)))
            i += 4
        else:
            back.append(w[i])
            i += 1
    check("".join(back) == s)


def _b44_strlcpy(src):
    # strlcpy into 4 bytes returns the bytes copied (at most 3), not the
    # source string's length, so a caller's `ret >= 4` never sees the
    # truncation.
    n = src.index(0) if 0 in src else len(src)
    returned = min(n, 3)
    check((returned >= 4) == (n >= 4))


def _b44_netlink(payloads):
    # Attributes of 4-byte little-endian headers (length with the header,
    # type) and their payloads, each padded to 4 bytes; the buggy parser
    # steps by the length, not the length rounded up to 4.
    buf = bytearray()
    for i, p in enumerate(payloads):
        buf += (4 + len(p)).to_bytes(2, "little") + (i % 65536).to_bytes(2, "little") + p
        buf += bytes(-len(buf) % 4)
    out, off = [], 0
    while off + 4 <= len(buf):
        length = int.from_bytes(buf[off:off + 2], "little")
        if length < 4 or off + length > len(buf):
            break
        out.append(bytes(buf[off + 4:off + length]))
        off += length
    check(out == payloads)


def _b44_cloexec(fds):
    # exec closing the descriptors marked close-on-exec, as the buggy loop
    # does it: descriptors 0 ..< the number open. None marked may stay open.
    remaining = {fd: c for fd, c in fds.items() if not (fd < len(fds) and c)}
    check(not any(remaining.values()))


def _b44_show_fds(d):
    return "{" + ", ".join(f"{k}: {d[k]}" for k in sorted(d)) + "}"


def _b44_punch_hole(t):
    # A hole punched in a file of 0xff bytes with 4-byte blocks; the buggy
    # punch zeroes from the start of the block the offset is in.
    length, off, n = t
    data = [0xFF] * length
    expected = [0 if off <= i < off + n else 0xFF for i in range(length)]
    for i in range(off - off % 4, off + n):
        data[i] = 0
    check(data == expected)


_B44_HOLES = st.integers(1, 64).flatmap(lambda length: st.integers(0, length - 1).flatmap(
    lambda off: st.integers(1, length - off).map(lambda n: (length, off, n))))


def _b44_pte(v):
    # A page-table entry: none (0), present (frame << 12 | writable << 1 | 1)
    # or swapped (offset << 8 | type << 2 | 2), whose buggy encoder shifts the
    # offset in 32 bits. Decoded, it must be the entry.
    if v[0] == "none":
        x = 0
    elif v[0] == "present":
        x = v[1] << 12 | (2 if v[2] else 0) | 1
    else:
        x = ((v[2] << 8) % 2**32) | v[1] << 2 | 2
    if x & 1:
        back = ("present", x >> 12, bool(x & 2))
    elif x & 2:
        back = ("swapped", x >> 2 & 31, x >> 8)
    else:
        back = ("none",)
    check(back == v)


_B44_PTES = st.one_of(st.just(("none",)),
                      st.tuples(st.integers(0, 2**32 - 1), st.booleans()).map(lambda t: ("present", t[0], t[1])),
                      st.tuples(st.integers(0, 31), st.integers(0, 2**32 - 1)).map(lambda t: ("swapped", t[0], t[1])))


def _b44_cgroups(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then a leaf's limit or a group's limit and children.
    base = st.integers(0, 9)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b44_cgroups(depth - 1)
    extend = st.tuples(st.integers(0, 9), st.lists(inner))
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else extend)


def _b44_cgroup(root):
    # Memory limits of nested cgroups: a group's effective limit is the least
    # on its path from the root; the buggy one takes the least of its own and
    # its parent's own limit.
    def walk(node, parent_limit, path_min):
        limit = node if isinstance(node, int) else node[0]
        buggy = limit if parent_limit is None else min(limit, parent_limit)
        correct = min(limit, path_min)
        check(buggy == correct)
        if not isinstance(node, int):
            for child in node[1]:
                walk(child, limit, correct)

    walk(root, None, 10**9)


class _B44Heap:
    # A first-fit heap over a free list of (start, size) kept in address
    # order, each freed block merged with its neighbours in the list; the
    # buggy free looks for its place from the second entry on, so a block
    # below the head goes after it and is not merged.
    def __init__(self, skips_head):
        self.skips_head, self.top, self.free = skips_head, 0, []

    def alloc(self, size):
        for i, (start, n) in enumerate(self.free):
            if n >= size:
                if n == size:
                    del self.free[i]
                else:
                    self.free[i] = (start + size, n - size)
                return start
        start = self.top
        self.top += size
        return start

    def release(self, start, size):
        i = 1 if self.skips_head and self.free else 0
        while i < len(self.free) and self.free[i][0] < start:
            i += 1
        self.free.insert(i, (start, size))
        if i + 1 < len(self.free) and start + size == self.free[i + 1][0]:
            self.free[i] = (start, size + self.free[i + 1][1])
            del self.free[i + 1]
        if i > 0 and self.free[i - 1][0] + self.free[i - 1][1] == start:
            self.free[i - 1] = (self.free[i - 1][0], self.free[i - 1][1] + self.free[i][1])
            del self.free[i]


def _b44_heap_machine(data):
    def alloc(s, d):
        size = d.draw(st.integers(1, 4))
        start = s["model"].alloc(size)
        s["system"].alloc(size)
        s["next"] += 1
        s["blocks"].append((f"v{s['next']}", start, size))
        return f"v{s['next']} = alloc(size: {size})"

    def free(s, d):
        variable, start, size = s["blocks"].pop(d.draw(st.integers(0, len(s["blocks"]) - 1)))
        s["model"].release(start, size)
        s["system"].release(start, size)
        return f"free(block: {variable})"

    def same_heap(s):
        m, y = s["model"], s["system"]
        if (m.free, m.top) != (y.free, y.top):
            raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["blocks"]) > 0, free)],
                lambda: {"model": _B44Heap(False), "system": _B44Heap(True), "blocks": [], "next": 0,
                         "check": same_heap})


class _B44Handles:
    # A handle table: a handle is (slot, generation); a slot freed by its
    # last release is reused, its generation one more. The buggy table
    # checks that a handle's slot is live but not its generation.
    def __init__(self, checks_generation):
        self.checks_generation, self.slots, self.free = checks_generation, [], []

    def open(self):
        if self.free:
            slot = self.free.pop()
            self.slots[slot][1] = 1
        else:
            slot = len(self.slots)
            self.slots.append([0, 1])
        return slot, self.slots[slot][0]

    def valid(self, h):
        gen, refs = self.slots[h[0]]
        return refs > 0 and (gen == h[1] or not self.checks_generation)

    def retain(self, h):
        if not self.valid(h):
            return False
        self.slots[h[0]][1] += 1
        return True

    def release(self, h):
        if not self.valid(h):
            return False
        entry = self.slots[h[0]]
        entry[1] -= 1
        if entry[1] == 0:
            entry[0] += 1
            self.free.append(h[0])
        return True


def _b44_handle_machine(data):
    def open_(s, d):
        h = s["model"].open()
        s["system"].open()
        s["next"] += 1
        s["handles"].append((f"v{s['next']}", h))
        return f"v{s['next']} = open()"

    def retain(s, d):
        variable, h = s["handles"][d.draw(st.integers(0, len(s["handles"]) - 1))]
        s["line"] = f"retain(handle: {variable})"
        if s["model"].retain(h) != s["system"].retain(h):
            raise MachineFailure()
        return s["line"]

    def release(s, d):
        variable, h = s["handles"][d.draw(st.integers(0, len(s["handles"]) - 1))]
        s["line"] = f"release(handle: {variable})"
        if s["model"].release(h) != s["system"].release(h):
            raise MachineFailure()
        return s["line"]

    has_handles = lambda s: len(s["handles"]) > 0  # noqa: E731
    run_machine(data, [("open", lambda s: True, open_), ("retain", has_handles, retain), ("release", has_handles, release)],
                lambda: {"model": _B44Handles(True), "system": _B44Handles(False), "handles": [], "next": 0})


class _B44Ring:
    # A ring of 4 items that signals its reader when a write takes the fill
    # from below the high watermark 2 to it or above; the buggy ring signals
    # when the fill after the write equals 2.
    def __init__(self, by_equality):
        self.by_equality, self.fill = by_equality, 0

    def write(self, n):
        old = self.fill
        self.fill = min(4, self.fill + n)
        return self.fill == 2 if self.by_equality else old < 2 <= self.fill

    def read(self, n):
        self.fill = max(0, self.fill - n)


def _b44_ring_machine(data):
    def write(s, d):
        n = d.draw(st.integers(1, 2))
        s["line"] = f"write(n: {n})"
        if s["model"].write(n) != s["system"].write(n):
            raise MachineFailure()
        return s["line"]

    def read(s, d):
        n = d.draw(st.integers(1, 2))
        s["model"].read(n)
        s["system"].read(n)
        return f"read(n: {n})"

    run_machine(data, [("write", lambda s: True, write), ("read", lambda s: True, read)],
                lambda: {"model": _B44Ring(False), "system": _B44Ring(True)})


PROBLEMS += [
    Problem("canonical_address_checks_bit_47_against_63_only", st.integers(0, 2**64 - 1), _b44_canonical,
            lambda x: x == 2**48),
    Problem("nice_increment_added_in_int8_before_clamp", st.tuples(st.integers(-20, 19), st.integers(-128, 127)),
            _b44_nice, lambda t: t == (1, 127)),
    Problem("so_rcvbuf_clamped_then_doubled_in_int32",
            st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(0, 2**31 - 1)), _b44_rcvbuf,
            lambda t: t == (-1, 2**30)),
    Problem("cpu_weight_fraction_truncated_to_zero_shares", st.floats(0, 1), _b44_cpu_weight, lambda w: w == 2.0**-11),
    Problem("mount_path_escape_leaves_backslash_bare", st.lists(st.sampled_from("0 \\")).map("".join), _b44_mount_escape,
            lambda s: s == "\\000"),
    Problem("strlcpy_returns_bytes_copied_not_source_length", st.binary(max_size=64), _b44_strlcpy,
            lambda b: b == b"\x01\x01\x01\x01", show=_b38_show_bytes),
    Problem("netlink_attr_next_skips_alignment_padding", st.lists(st.binary(max_size=16)), _b44_netlink,
            lambda ps: ps == [b"\x00", b""], show=lambda ps: "[" + ", ".join(map(_b38_show_bytes, ps)) + "]"),
    Problem("exec_cloexec_scan_bounded_by_fd_count", st.dictionaries(st.integers(0, 15), st.booleans()), _b44_cloexec,
            lambda d: d == {1: True}, show=_b44_show_fds),
    Problem("punch_hole_zeroes_from_block_start", _B44_HOLES, _b44_punch_hole, lambda t: t == (2, 1, 1)),
    Problem("swap_pte_offset_shifted_in_32_bits", _B44_PTES, _b44_pte, lambda v: v == ("swapped", 0, 2**24)),
    Problem("cgroup_effective_limit_from_parent_only", _b44_cgroups(3), _b44_cgroup, lambda c: c == (0, [(1, [1])])),
    machine_problem("machine_free_list_insert_skips_head_misses_coalesce", _b44_heap_machine,
                    ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "free(block: v2)", "free(block: v1)"]),
    machine_problem("machine_handle_table_slot_checked_not_generation", _b44_handle_machine,
                    ["v1 = open()", "release(handle: v1)", "v2 = open()", "retain(handle: v1)"]),
    machine_problem("machine_ring_high_watermark_checked_by_equality", _b44_ring_machine,
                    ["write(n: 1)", "write(n: 2)"]),
]


# The forty-fifth batch (Benchmarks/Sources/ShrinkQuality/FortyFifthBatch.swift).
# Its comments there say why each expected minimum is the least failing value in both
# engines' orders.

def _b45_price_cents(c):
    # A price of c cents printed as "D.CC", read back as a double and turned
    # into cents by truncating price * 100: it must be c again.
    text = f"{c // 100}.{c % 100:02d}"
    check(int(float(text) * 100) == c)


def _b45_deduplicated(xs, by_cell):
    # The readings kept: each unless one kept before it is less than 0.25
    # away; the buggy deduplicator (by_cell) looks only at the kept readings
    # in its grid cell of width 0.25.
    kept = []
    for x in xs:
        if not any(abs(x - y) < 0.25 and (not by_cell or math.floor(x / 0.25) == math.floor(y / 0.25)) for y in kept):
            kept.append(x)
    return kept


def _b45_near_duplicates(xs):
    check(_b45_deduplicated(xs, True) == _b45_deduplicated(xs, False))


def _b45_username(t):
    # Sign-up rejects a name canonically equal to a taken one (Swift's String
    # equality, NFC here); sign-in compares UTF-8 bytes. They must agree.
    import unicodedata
    a, b = t
    canonical = unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)
    check((a.encode() == b.encode()) == canonical)


_B45_NAMES = st.lists(st.sampled_from(["e", "\u0301", "\u00e9"])).map("".join)


def _b45_headers(names):
    # Header names made unique as the buggy importer does it: the k-th
    # repeat of a name gets "_k", never checked against the other names.
    seen, out = {}, []
    for n in names:
        k = seen.get(n, 0)
        seen[n] = k + 1
        out.append(n if k == 0 else f"{n}_{k}")
    check(len(set(out)) == len(out))


def _b45_log_name(d):
    # A daily log's file name with the month padded to two digits and the
    # day not padded.
    month, day = d
    return f"2024-{month:02d}-{day}.log"


def _b45_log_order(dates):
    # Sorted by file name, the logs must be in date order.
    check(sorted(dates, key=_b45_log_name) == sorted(dates))


def _b45_coupons(t):
    # Percent coupons (pct, p) take p% off, truncated to the cent; amount
    # coupons (off, a) take a cents off, never below zero. The store's rule
    # applies every percent coupon before any amount; the buggy checkout
    # applies them in the order entered.
    price, coupons = t

    def apply(p, coupon):
        kind, x = coupon
        return p * (100 - x) // 100 if kind == "pct" else max(0, p - x)

    buggy = price
    for c in coupons:
        buggy = apply(buggy, c)
    correct = price
    for c in [c for c in coupons if c[0] == "pct"] + [c for c in coupons if c[0] == "off"]:
        correct = apply(correct, c)
    check(buggy == correct)


_B45_COUPONS = st.tuples(st.integers(0, 100_000),
                         st.lists(st.one_of(st.integers(1, 100).map(lambda p: ("pct", p)),
                                            st.integers(1, 5000).map(lambda a: ("off", a)))))


def _b45_lowercase(b):
    # ASCII lower-casing whose range check was typed as "A"..."z": every
    # byte of it, "[" to "`" and the lower-case letters too, gets 32 added.
    buggy = bytes(x + 32 if 0x41 <= x <= 0x7A else x for x in b)
    correct = bytes(x + 32 if 0x41 <= x <= 0x5A else x for x in b)
    check(buggy == correct)


_B45_PAGES = st.lists(st.integers(0, 59)).flatmap(lambda ts: st.integers(1, max(1, len(ts))).map(lambda k: (ts, k)))


def _b45_paging(t):
    # Rows (timestamp, id) read in pages of k in timestamp order, the buggy
    # cursor asking for the rows with a timestamp after the page's last one:
    # every row must be read.
    ts, k = t
    rows = sorted((x, i) for i, x in enumerate(ts))
    read, cursor = [], -1
    while True:
        page = [r for r in rows if r[0] > cursor][:k]
        if not page:
            break
        read += page
        cursor = page[-1][0]
    check(len(read) == len(rows))


def _b45_seats(t):
    # A row of 16 seats: the buggy finder returns the first block of k seats
    # whose two end seats are free. A block it returns must be all free.
    taken, k = t
    for s in range(16 - k + 1):
        if s not in taken and s + k - 1 not in taken:
            check(all(x not in taken for x in range(s, s + k)))
            return


def _b45_show_seats(t):
    return "(" + ("{" + ", ".join(map(str, sorted(t[0]))) + "}" if t[0] else "set()") + f", {t[1]})"


def _b45_ranks(scores):
    # Competition ranks (1, 1, 3: one more than the players scoring higher)
    # as the leaderboard should show them, against the buggy dense ranks
    # (1, 1, 2: one more than the distinct higher scores).
    values = list(scores.values())
    for v in values:
        check(1 + len({w for w in values if w > v}) == 1 + sum(1 for w in values if w > v))


def _b45_formulas(depth):
    # As the Swift Gen.recursive(maxDepth:) draws them: a branch (only the
    # base at the last level), then a cell's Int8 value or an average's
    # arguments.
    base = st.integers(-128, 127)
    if depth == 0:
        return st.integers(0, 0).flatmap(lambda _: base)
    inner = _b45_formulas(depth - 1)
    extend = st.lists(inner).map(lambda xs: ("avg", xs))
    return st.integers(0, 1).flatmap(lambda b: base if b == 0 else extend)


def _b45_eval(f, buggy):
    # A spreadsheet AVERAGE over values and nested averages, truncated
    # toward zero; an average of nothing is blank (None) and left out of the
    # average around it. The buggy one makes it 0 and counts it.
    if isinstance(f, int):
        return f
    vals = [_b45_eval(c, buggy) for c in f[1]]
    vals = [v for v in vals if v is not None]
    if not vals:
        return 0 if buggy else None
    return trunc_div(sum(vals), len(vals))


def _b45_sheet(f):
    correct = _b45_eval(f, False)
    check(_b45_eval(f, True) == (0 if correct is None else correct))


def _b45_show_formula(f):
    return str(f) if isinstance(f, int) else "avg(" + ", ".join(map(_b45_show_formula, f[1])) + ")"


class _B45Calendar:
    # Bookings of a room as half-open slots [start, start + length). The
    # buggy calendar refuses a booking only when its first or its last slot
    # is in a booking, so one that encloses a booking goes through.
    def __init__(self, checks_enclosing):
        self.checks_enclosing, self.booked = checks_enclosing, []

    def book(self, start, length):
        end = start + length
        if self.checks_enclosing:
            clash = any(start < e and s < end for s, e in self.booked)
        else:
            clash = any(s <= start < e or s <= end - 1 < e for s, e in self.booked)
        if clash:
            return False
        self.booked.append((start, end))
        return True

    def cancel(self, start, length):
        self.booked.remove((start, start + length))


def _b45_calendar_machine(data):
    def book(s, d):
        start = d.draw(st.integers(0, 7))
        length = d.draw(st.integers(1, 4))
        s["line"] = f"book(start: {start}, length: {length})"
        accepted = s["model"].book(start, length)
        if s["system"].book(start, length) != accepted:
            raise MachineFailure()
        if not accepted:
            return s["line"]
        s["next"] += 1
        s["bookings"].append((f"v{s['next']}", start, length))
        return f"v{s['next']} = " + s["line"]

    def cancel(s, d):
        variable, start, length = s["bookings"].pop(d.draw(st.integers(0, len(s["bookings"]) - 1)))
        s["model"].cancel(start, length)
        s["system"].cancel(start, length)
        return f"cancel(booking: {variable})"

    run_machine(data, [("book", lambda s: True, book), ("cancel", lambda s: len(s["bookings"]) > 0, cancel)],
                lambda: {"model": _B45Calendar(True), "system": _B45Calendar(False), "bookings": [], "next": 0})


class _B45IntervalMap:
    # Keys 0..<8 mapped by disjoint intervals [start, end) to values, kept
    # sorted. Assigning or erasing a range cuts the intervals it overlaps;
    # the buggy cut keeps only the left part of an interval that encloses
    # the range, losing its right part.
    def __init__(self, keeps_right):
        self.keeps_right, self.intervals = keeps_right, []

    def carve(self, lo, hi):
        out = []
        for a, b, v in self.intervals:
            if b <= lo or hi <= a:
                out.append((a, b, v))
                continue
            if a < lo:
                out.append((a, lo, v))
            if hi < b and (self.keeps_right or not a < lo):
                out.append((hi, b, v))
        self.intervals = out

    def assign(self, lo, hi, v):
        self.carve(lo, hi)
        self.intervals = sorted(self.intervals + [(lo, hi, v)])

    def erase(self, lo, hi):
        self.carve(lo, hi)

    def get(self, k):
        return next((v for a, b, v in self.intervals if a <= k < b), None)


def _b45_interval_machine(data):
    def assign(s, d):
        start = d.draw(st.integers(0, 7))
        length = d.draw(st.integers(1, 4))
        value = d.draw(st.integers(0, 9))
        for m in (s["model"], s["system"]):
            m.assign(start, min(8, start + length), value)
        return f"assign(start: {start}, length: {length}, value: {value})"

    def erase(s, d):
        start = d.draw(st.integers(0, 7))
        length = d.draw(st.integers(1, 4))
        for m in (s["model"], s["system"]):
            m.erase(start, min(8, start + length))
        return f"erase(start: {start}, length: {length})"

    def same_map(s):
        if any(s["model"].get(k) != s["system"].get(k) for k in range(8)):
            raise MachineFailure()

    run_machine(data, [("assign", lambda s: True, assign), ("erase", lambda s: True, erase)],
                lambda: {"model": _B45IntervalMap(True), "system": _B45IntervalMap(False), "check": same_map})


_B45_PRICES = [100, 250, 1000]


class _B45Cart:
    # A cart of lines (sku -> quantity), adding to a line merging into it,
    # with a running subtotal; the buggy remove takes off the line's price
    # times the quantity last added to it, not the line's quantity.
    def __init__(self, uses_line_quantity):
        self.uses_line_quantity, self.lines, self.last_added, self.subtotal = uses_line_quantity, {}, {}, 0

    def add(self, sku, qty):
        self.lines[sku] = self.lines.get(sku, 0) + qty
        self.last_added[sku] = qty
        self.subtotal += _B45_PRICES[sku] * qty

    def remove(self, sku):
        if sku in self.lines:
            qty = self.lines[sku] if self.uses_line_quantity else self.last_added[sku]
            self.subtotal -= _B45_PRICES[sku] * qty
            del self.lines[sku]


def _b45_cart_machine(data):
    def add(s, d):
        sku = d.draw(st.integers(0, 2))
        qty = d.draw(st.integers(1, 3))
        s["model"].add(sku, qty)
        s["system"].add(sku, qty)
        return f"add(sku: {sku}, qty: {qty})"

    def remove(s, d):
        sku = d.draw(st.integers(0, 2))
        s["model"].remove(sku)
        s["system"].remove(sku)
        return f"remove(sku: {sku})"

    def same_subtotal(s):
        if s["model"].subtotal != s["system"].subtotal:
            raise MachineFailure()

    run_machine(data, [("add", lambda s: True, add), ("remove", lambda s: len(s["model"].lines) > 0, remove)],
                lambda: {"model": _B45Cart(True), "system": _B45Cart(False), "check": same_subtotal})


PROBLEMS += [
    Problem("price_text_to_cents_truncates_double", st.integers(0, 2**32 - 1), _b45_price_cents, lambda c: c == 29),
    Problem("near_duplicate_readings_split_across_grid_cells", st.lists(st.floats(0, 1)), _b45_near_duplicates,
            lambda xs: xs == [1.0, 0.875], show=show_floats),
    Problem("sign_in_compares_utf8_where_sign_up_compares_canonically", st.tuples(_B45_NAMES, _B45_NAMES),
            _b45_username, lambda t: t == ("e\u0301", "\u00e9"), show=ascii),
    Problem("duplicate_headers_suffixed_without_recheck", st.lists(st.lists(st.sampled_from("a_1")).map("".join)),
            _b45_headers, lambda ns: ns == ["", "", "_1"]),
    Problem("daily_log_names_sorted_with_unpadded_day", st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28))),
            _b45_log_order, lambda ds: ds == [(1, 2), (1, 10)]),
    Problem("coupons_applied_in_entry_order_not_percent_first", _B45_COUPONS, _b45_coupons,
            lambda t: t == (3, [("off", 1), ("pct", 34)])),
    Problem("ascii_lowercase_range_typed_up_to_lowercase_z", st.binary(max_size=64), _b45_lowercase,
            lambda b: b == b"[", show=_b38_show_bytes),
    Problem("keyset_paging_by_timestamp_skips_ties", _B45_PAGES, _b45_paging, lambda t: t == ([0, 0], 1)),
    Problem("adjacent_seats_finder_checks_end_seats_only", st.tuples(st.sets(st.integers(0, 15)), st.integers(1, 4)),
            _b45_seats, lambda t: t == ({1}, 3), show=_b45_show_seats),
    Problem("leaderboard_dense_ranks_where_competition_expected",
            st.dictionaries(st.integers(0, 255), st.integers(-50, 50)), _b45_ranks,
            lambda d: d == {0: 0, 1: 0, 2: -1}, show=show_dict),
    Problem("sheet_average_counts_empty_average_as_zero", _b45_formulas(3), _b45_sheet,
            lambda f: f == ("avg", [1, ("avg", [])]), show=_b45_show_formula),
    machine_problem("machine_booking_overlap_misses_enclosing_booking", _b45_calendar_machine,
                    ["v1 = book(start: 1, length: 1)", "book(start: 0, length: 3)"]),
    machine_problem("machine_interval_map_cut_drops_right_part", _b45_interval_machine,
                    ["assign(start: 0, length: 3, value: 0)", "erase(start: 1, length: 1)"]),
    machine_problem("machine_cart_remove_takes_last_added_quantity", _b45_cart_machine,
                    ["add(sku: 0, qty: 1)", "add(sku: 0, qty: 1)", "remove(sku: 0)"]),
]


# The forty-sixth batch (Sources/ShrinkQuality/FortySixthBatch.swift): alloc/free
# traces with sizes up to 4 MiB, byte records, intervals, masks and bitmaps,
# sets, dictionaries, doubles near a boundary, one-of records and small
# machines. The minima are the Swift ones; the comments there say why.

_B46_MIB = 1 << 20


def _b46_trace_live(ops):
    live = []
    for is_alloc, size in ops:
        if is_alloc:
            live.append(size)
        elif live:
            live.pop()
        check(sum(live) <= 6 * _B46_MIB)


def _b46_double_free(ops):
    state = [0] * 4
    for op, slot in ops:
        if op == 0:
            state[slot] = 1
        elif state[slot] == 2:
            raise Falsified()
        elif state[slot] == 1:
            state[slot] = 2


def _b46_records(b):
    p = 0
    while p < len(b):
        n = b[p]
        if p + 1 + n > len(b):
            break
        check(not (n >= 3 and 255 in b[p + 1:p + 1 + n]))
        p += 1 + n


def _b46_le16(b):
    if len(b) < 3:
        return
    check((b[0] | b[1] << 8) <= 1000)


def _b46_overlap(a, b):
    return a[0] < b[0] + b[1] and b[0] < a[0] + a[1]


def _b46_intervals(xs, least=0):
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i][0] >= least and xs[j][0] >= least:
                check(not _b46_overlap(xs[i], xs[j]))


def _b46_run3(x):
    y = x >> 8
    check(y & (y >> 1) & (y >> 2) == 0)


def _b46_digit_upper(s):
    check(not any(a in "0123456789" and b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for a, b in zip(s, s[1:])))


def _b46_f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def _b46_realloc_grows(records):
    live = {}
    for r in records:
        if r[0] == "alloc":
            live[r[1]] = r[2]
        elif r[0] == "free":
            live.pop(r[1], None)
        elif r[1] in live:
            check(not (r[2] > 2 * live[r[1]] and r[2] > _B46_MIB))
            live[r[1]] = r[2]


_B46_RECORDS = st.one_of(
    st.tuples(st.integers(0, 7), st.integers(1, 4 * _B46_MIB)).map(lambda t: ("alloc",) + t),
    st.integers(0, 7).map(lambda s: ("free", s)),
    st.tuples(st.integers(0, 7), st.integers(1, 4 * _B46_MIB)).map(lambda t: ("realloc",) + t))


def _b46_pool_machine(data):
    def alloc(s, d):
        size = d.draw(st.integers(1, 4 * _B46_MIB))
        s["next"] += 1
        h = s["next"]
        s["sizes"][h] = size
        s["live"] += size
        s["model"] += size
        s["bundle"].append(h)
        return f"v{h} = alloc(size: {size})"

    def free(s, d):
        h = s["bundle"].pop(d.draw(st.integers(0, len(s["bundle"]) - 1)))
        size = s["sizes"][h]
        s["model"] -= size
        s["live"] -= size // 2 if (size >= 2 * _B46_MIB and len(s["sizes"]) >= 2) else size
        del s["sizes"][h]
        return f"free(block: v{h})"

    def compare(s):
        if s["model"] != s["live"]:
            raise MachineFailure()

    run_machine(data, [("alloc", lambda s: True, alloc), ("free", lambda s: len(s["bundle"]) > 0, free)],
                lambda: {"sizes": {}, "live": 0, "model": 0, "next": 0, "bundle": [], "check": compare})


def _b46_reserve_machine(data):
    def reserve(s, d):
        a = d.draw(st.integers(0, 4 * _B46_MIB))
        n = d.draw(st.integers(4096, _B46_MIB))
        model_says = any(a < r[0] + r[1] and r[0] < a + n for r in s["model"])
        system_says = any(a < r[0] + r[1] and r[0] < a + n - 1 for r in s["ranges"].values())
        line = f"reserve(start: {a}, len: {n})"
        if model_says != system_says:
            raise MachineFailure()
        if not model_says:
            s["model"].append((a, n))
            s["next"] += 1
            s["ranges"][s["next"]] = (a, n)
            s["bundle"].append(s["next"])
            return f"v{s['next']} = " + line
        return line

    def release(s, d):
        h = s["bundle"].pop(d.draw(st.integers(0, len(s["bundle"]) - 1)))
        r = s["ranges"].pop(h)
        s["model"] = [x for x in s["model"] if x != r]
        return f"release(range: v{h})"

    run_machine(data, [("reserve", lambda s: True, reserve), ("release", lambda s: len(s["model"]) > 0, release)],
                lambda: {"model": [], "ranges": {}, "next": 0, "bundle": []})


def _b46_refcount_machine(data):
    def new(s, d):
        s["model"].append(1)
        s["next"] += 1
        s["counts"][s["next"]] = 1
        s["bundle"].append(s["next"])
        return f"v{s['next']} = new()"

    def retain(s, d):
        h = s["bundle"][d.draw(st.integers(0, len(s["bundle"]) - 1))]
        s["model"][h - 1] += 1
        s["counts"][h] = min(3, s["counts"][h] + 1)
        return f"retain(h: v{h})"

    def release(s, d):
        h = s["bundle"][d.draw(st.integers(0, len(s["bundle"]) - 1))]
        s["model"][h - 1] -= 1
        s["counts"][h] -= 1
        return f"release(h: v{h})"

    def compare(s):
        for i, c in enumerate(s["model"]):
            if s["counts"][i + 1] != c:
                raise MachineFailure()

    run_machine(data, [("new", lambda s: True, new), ("retain", lambda s: len(s["model"]) > 0, retain),
                       ("release", lambda s: len(s["model"]) > 0, release)],
                lambda: {"model": [], "counts": {}, "next": 0, "bundle": [], "check": compare})


_B46_INTERVALS = st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 100)))
_B46_U64 = st.integers(0, 2**64 - 1)

PROBLEMS += [
    Problem("trace_live_bytes_over_6mib", st.lists(st.tuples(st.booleans(), st.integers(1, 4 * _B46_MIB))), _b46_trace_live,
            lambda v: v == [(True, 2 * _B46_MIB + 1), (True, 4 * _B46_MIB)]),
    Problem("trace_slot_double_free", st.lists(st.tuples(st.integers(0, 1), st.integers(0, 3))), _b46_double_free,
            lambda v: v == [(0, 0), (1, 0), (1, 0)]),
    Problem("size_round_up_4096_wraps", _B46_U64, lambda x: check(((x + 4095) % 2**64) & ~4095 >= x),
            lambda x: x == 2**64 - 4095),
    Problem("bytes_record_len3_holds_ff", st.binary(max_size=32), _b46_records, lambda b: b == bytes([3, 0, 0, 255])),
    Problem("bytes_le16_header_over_1000", st.binary(max_size=32), _b46_le16, lambda b: b == bytes([0, 4, 0])),
    Problem("intervals_list_overlap", _B46_INTERVALS, _b46_intervals, lambda v: v == [(0, 1), (0, 1)]),
    Problem("intervals_overlap_above_500", _B46_INTERVALS, lambda xs: _b46_intervals(xs, 500),
            lambda v: v == [(500, 1), (500, 1)]),
    Problem("mask_top_byte_two_bits", st.integers(0, 2**32 - 1), lambda x: check(bin(x & 0xFF000000).count("1") < 2),
            lambda x: x == 0x03000000),
    Problem("bitmap_run3_above_page8", _B46_U64, _b46_run3, lambda x: x == 0x700),
    Problem("set_three_in_100s", st.sets(st.integers(0, 10_000)),
            lambda s: check(sum(1 for x in s if 100 <= x <= 199) < 3), lambda s: s == {100, 101, 102}),
    Problem("nested_two_inner_len2", st.lists(st.lists(st.integers(0, 100))),
            lambda xss: check(sum(1 for x in xss if len(x) >= 2) < 2), lambda v: v == [[0, 0], [0, 0]]),
    Problem("dict_sizes_over_4mib", st.dictionaries(st.integers(0, 63), st.integers(1, 4 * _B46_MIB)),
            lambda d: check(sum(d.values()) <= 4 * _B46_MIB), lambda d: d == {0: 1, 1: 4 * _B46_MIB}),
    Problem("text_digit_then_upper", st.text(), _b46_digit_upper, lambda s: s == "0A"),
    Problem("float_crosses_page", st.floats(0, 8192), lambda x: check(x // 4096 == (x + 0.5) // 4096),
            lambda x: x == 4095.5),
    Problem("float_used_over_capacity", st.tuples(st.floats(0, 1e6), st.floats(1, 1e6)),
            lambda t: check(t[0] / t[1] <= 1), lambda t: t == (2.0, 1.0)),
    Problem("float32_size_error_over_1", st.floats(0, 1e9), lambda x: check(abs(_b46_f32(x) - x) <= 1),
            lambda x: x == 33554434.0),
    Problem("oneof_realloc_grows_live_slot", st.lists(_B46_RECORDS), _b46_realloc_grows,
            lambda v: v == [("alloc", 0, 1), ("realloc", 0, _B46_MIB + 1)]),
    machine_problem("machine_pool_large_free_miscount", _b46_pool_machine,
                    ["v1 = alloc(size: 1)", "v2 = alloc(size: 2097152)", "free(block: v2)"]),
    machine_problem("machine_reserve_overlap_off_by_one", _b46_reserve_machine,
                    ["v1 = reserve(start: 4095, len: 4096)", "reserve(start: 0, len: 4096)"]),
    machine_problem("machine_refcount_saturates", _b46_refcount_machine,
                    ["v1 = new()", "retain(h: v1)", "retain(h: v1)", "retain(h: v1)"]),
]


# The forty-seventh batch (Sources/ShrinkQuality/FortySeventhBatch.swift):
# aligned bump requests, a length field and its payload, integers that move
# together, an int/double product, UInt16 wraparound, cents in doubles,
# filters on tuples and list elements, a one-of in a list, a dictionary, a
# set, a recursive Int8 expression and two machines with two bundles each.
# The minima are the Swift ones; the comments there say why.

def _b47_text(alphabet):
    return st.lists(st.sampled_from(alphabet)).map("".join)


def _b47_show_pairs(xs):
    return "[" + ", ".join(f"({a}, {b})" for a, b in xs) + "]"


def _b47_bump(reqs):
    off = total = 0
    for size, align in reqs:
        off = (off + align - 1) // align * align + size
        total += size
    check(not (total <= 64 and off > 64))


def _b47_frame(t):
    n, b = t
    if n != len(b):
        return
    check(b[: n & 7] == b)


def _b47_quota(t):
    c, r = t
    check(int(c * r) == c * int(r))


# Int8 expressions: an int leaf, ("add", l, r) or ("neg", e).
def _b47_exprs(depth):
    leaf = st.integers(-128, 127)
    if depth == 0:
        return leaf
    c = _b47_exprs(depth - 1)
    return st.one_of(leaf, st.one_of(st.tuples(st.just("add"), c, c), st.tuples(st.just("neg"), c)))


def _b47_wrap8(v):
    return (v + 128) % 256 - 128


def _b47_wrapped(e):
    if isinstance(e, int):
        return e
    if e[0] == "add":
        return _b47_wrap8(_b47_wrapped(e[1]) + _b47_wrapped(e[2]))
    return _b47_wrap8(-_b47_wrapped(e[1]))


def _b47_exact(e):
    if isinstance(e, int):
        return e
    return _b47_exact(e[1]) + _b47_exact(e[2]) if e[0] == "add" else -_b47_exact(e[1])


def _b47_show_expr(e):
    if isinstance(e, int):
        return str(e)
    return f"add({_b47_show_expr(e[1])}, {_b47_show_expr(e[2])})" if e[0] == "add" else f"neg({_b47_show_expr(e[1])})"


def _b47_reservations(rs):
    real = seen = False
    for i in range(len(rs)):
        for j in range(i + 1, len(rs)):
            a, b = rs[i], rs[j]
            if a[0] < b[1] and b[0] < a[1]:
                real = True
            if a[0] <= b[0] < a[1]:
                seen = True
    check(real == seen)


def _b47_host_port(s):
    if ":" not in s:
        return
    last, first = s.rindex(":"), s.index(":")
    host, port = s[:last], s[last + 1:]
    if not host or not port or any(ch != "0" for ch in port):
        return
    check(s[:first] == host and s[first + 1:] == port)


def _b47_cpu_load(d):
    total = sum(d.values())
    even = sum(d.get(k, 0) for k in range(0, 16, 2))
    check(not (total > 150 and even <= 150))


def _b47_small_vector(xs):
    stored = [x if i < 3 else (x % 256) for i, x in enumerate(xs)]
    check(stored == xs)


def _b47_ring(t):
    h, tl = t
    used = (h - tl) % 65536
    if used > 40000:
        return
    check((used + 32768) % 65536 - 32768 == used)


def _b47_cents(xs):
    s = 0.0
    for c in xs:
        s += c / 100
    check(s == sum(xs) / 100)


def _b47_split(t):
    lens, data = t
    if sum(lens) != len(data):
        return
    out, i = b"", 0
    for n in lens:
        if n == 0:
            break
        out += data[i:i + n]
        i += n
    check(out == data)


# Allocation trace events: ("alloc", s), ("free", i), ("realloc", i, s).
def _b47_show_trace(evs):
    return "[" + ", ".join(f"{e[0]}({', '.join(str(x) for x in e[1:])})" for e in evs) + "]"


def _b47_trace_peak(evs):
    live, cur, peak, tracked = [], 0, 0, 0
    for e in evs:
        if e[0] == "alloc":
            live.append(e[1])
            cur += e[1]
            peak = max(peak, cur)
            tracked = max(tracked, cur)
        elif e[0] == "free":
            if live:
                cur -= live.pop(e[1] % len(live))
        elif live:
            j = e[1] % len(live)
            cur += e[2] - live[j]
            live[j] = e[2]
            peak = max(peak, cur)
    check(tracked == peak)


_B47_TRACE = st.lists(st.one_of(st.integers(1, 100).map(lambda s: ("alloc", s)), st.integers(0, 10).map(lambda i: ("free", i)),
                                st.tuples(st.integers(0, 10), st.integers(1, 100)).map(lambda t: ("realloc", t[0], t[1]))))


def _b47_best_fit(t):
    free, req = t
    fits = [b for b in free if b >= req]
    if not fits:
        return
    check(fits[0] == min(fits))


def _b47_free_pages(s):
    xs = sorted(s)
    buggy = real = False
    rb = rr = 1
    for i in range(1, len(xs)):
        rb = rb + 1 if xs[i] - xs[i - 1] <= 2 else 1
        rr = rr + 1 if xs[i] - xs[i - 1] == 1 else 1
        buggy |= rb >= 3
        real |= rr >= 3
    check(not buggy or real)


def _b47_show_set(s):
    return "{" + ", ".join(map(str, sorted(s))) + "}" if s else "set()"


def _b47_ipv4(b):
    ihl = b[0] & 15
    if b[0] >> 4 != 4 or ihl < 5:
        return
    check(ihl * 4 <= len(b))


def _b47_dedupe(xs):
    out, window = [], []
    for x in xs:
        if x in window:
            continue
        out.append(x)
        window.append(x)
        if len(window) > 3:
            window.pop(0)
    check(len(set(out)) == len(out))


def _b47_pick(s, d, bundle, remove=False):
    i = d.draw(st.integers(0, len(s[bundle]) - 1))
    return s[bundle].pop(i) if remove else s[bundle][i]


def _b47_produce(s, bundle, value):
    s["nvar"] += 1
    s[bundle].append((f"v{s['nvar']}", value))
    return f"v{s['nvar']}"


def _b47_shm_machine(data):
    def create(s, d):
        s["next"] += 1
        s["m"][s["next"]] = 0
        s["y"][s["next"]] = 0
        return f"{_b47_produce(s, 'segs', s['next'])} = create()"

    def attach(s, d):
        var, g = _b47_pick(s, d, "segs")
        s["next"] += 1
        s["segof"][s["next"]] = g
        s["m"][g] += 1
        s["y"][g] += 1
        s["live"] += 1
        return f"{_b47_produce(s, 'atts', s['next'])} = attach(seg: {var})"

    def detach(s, d):
        var, a = _b47_pick(s, d, "atts", remove=True)
        g = s["segof"][a]
        s["m"][g] -= 1
        s["live"] -= 1
        s["y"][g] = 0
        return f"detach(att: {var})"

    def compare(s):
        if s["m"] != s["y"]:
            raise MachineFailure()

    run_machine(data, [("create", lambda s: True, create), ("attach", lambda s: len(s["m"]) > 0, attach),
                       ("detach", lambda s: s["live"] > 0, detach)],
                lambda: {"m": {}, "y": {}, "segof": {}, "live": 0, "next": 0, "nvar": 0, "segs": [], "atts": [],
                         "check": compare})


def _b47_arena_machine(data):
    def mark(s, d):
        s["next"] += 1
        s["mpos"][s["next"]] = len(s["order"])
        s["latest"] = s["next"]
        return f"{_b47_produce(s, 'marks', s['next'])} = mark()"

    def alloc(s, d):
        size = d.draw(st.integers(1, 64))
        s["next"] += 1
        s["order"].append(s["next"])
        s["ma"].add(s["next"])
        s["ya"].add(s["next"])
        return f"{_b47_produce(s, 'blocks', s['next'])} = alloc(size: {size})"

    def reset(s, d):
        var, k = _b47_pick(s, d, "marks")
        for b in s["order"][s["mpos"][k]:]:
            s["ma"].discard(b)
        for b in s["order"][s["mpos"][s["latest"]]:]:
            s["ya"].discard(b)
        return f"reset(mark: {var})"

    def compare(s):
        if s["ma"] != s["ya"]:
            raise MachineFailure()

    run_machine(data, [("mark", lambda s: True, mark), ("alloc", lambda s: True, alloc),
                       ("reset", lambda s: len(s["mpos"]) > 0, reset)],
                lambda: {"order": [], "mpos": {}, "latest": 0, "ma": set(), "ya": set(), "next": 0, "nvar": 0,
                         "marks": [], "blocks": [], "check": compare})


PROBLEMS += [
    Problem("bump_requests_aligned_end_over_budget", st.lists(st.tuples(st.integers(1, 64), st.sampled_from([1, 2, 4, 8, 16]))),
            _b47_bump, lambda v: v == [(1, 1), (49, 16)], show=_b47_show_pairs),
    Problem("frame_length_field_three_bits", st.tuples(st.integers(0, 40), st.binary(max_size=40)), _b47_frame,
            lambda t: t == (8, bytes(8))),
    Problem("seq_gap_7_to_15_after_100", st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            lambda t: check(not (t[0] > 100 and 7 <= t[1] - t[0] <= 15)), lambda t: t == (101, 108)),
    Problem("quota_rate_truncated_before_multiply", st.tuples(st.integers(0, 1000), st.floats(0, 100)), _b47_quota,
            lambda t: t == (2, 1.5)),
    machine_problem("machine_shm_detach_zeroes_count", _b47_shm_machine,
                    ["v1 = create()", "v2 = attach(seg: v1)", "v3 = attach(seg: v1)", "detach(att: v2)"]),
    Problem("expr_int8_neg_or_add_wraps", _b47_exprs(5), lambda e: check(_b47_wrapped(e) == _b47_exact(e)),
            lambda e: _b47_show_expr(e) == "neg(-128)", show=_b47_show_expr),
    Problem("reservations_valid_filter_overlap_one_direction",
            st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)).filter(lambda t: t[0] < t[1])), _b47_reservations,
            lambda v: v == [(1, 2), (0, 2)], show=_b47_show_pairs),
    Problem("host_port_split_at_first_colon", _b47_text("a0:"), _b47_host_port, lambda s: s == "::0"),
    Problem("cpu_load_dict_even_keys_only", st.dictionaries(st.integers(0, 15), st.integers(0, 100)), _b47_cpu_load,
            lambda d: d == {0: 51, 1: 100}, show=show_dict),
    Problem("small_vector_spill_truncates_to_uint8", st.lists(st.integers(-32768, 32767)), _b47_small_vector,
            lambda v: v == [0, 0, 0, -1]),
    Problem("ring_u16_used_read_as_int16", st.tuples(st.integers(0, 65535), st.integers(0, 65535)), _b47_ring,
            lambda t: t == (0, 25536)),
    Problem("cents_summed_as_doubles_compared_exactly", st.lists(st.integers(0, 1000)), _b47_cents, lambda v: v == [1, 5]),
    Problem("sg_split_zero_length_ends_early", st.tuples(st.lists(st.integers(0, 8)), st.binary(max_size=32)), _b47_split,
            lambda t: t == ([0, 1], b"\x00")),
    machine_problem("machine_arena_reset_to_older_mark", _b47_arena_machine,
                    ["v1 = mark()", "v2 = alloc(size: 1)", "v3 = mark()", "reset(mark: v1)"]),
    Problem("trace_peak_misses_realloc_growth", _B47_TRACE, _b47_trace_peak,
            lambda v: _b47_show_trace(v) == "[alloc(1), realloc(0, 2)]", show=_b47_show_trace),
    Problem("best_fit_takes_first_fit", st.tuples(st.lists(st.integers(1, 100)), st.integers(1, 100)), _b47_best_fit,
            lambda t: t == ([2, 1], 1)),
    Problem("slab_sizes_mult8_filtered_total_over_300", st.lists(st.integers(0, 200).filter(lambda x: x % 8 == 0)),
            lambda xs: check(sum(xs) <= 300), lambda v: v == [104, 200]),
    Problem("free_page_set_run_allows_gap_of_one", st.sets(st.integers(0, 100)), _b47_free_pages, lambda s: s == {0, 1, 3},
            show=_b47_show_set),
    Problem("ipv4_ihl_past_packet_end", st.binary(min_size=20, max_size=40), _b47_ipv4, lambda b: b == b"\x46" + bytes(19)),
    Problem("dedupe_window_three_misses_old_repeat", st.lists(st.integers(0, 100)), _b47_dedupe,
            lambda v: v == [0, 1, 2, 3, 0]),
]


# The forty-eighth batch (Sources/ShrinkQuality/FortyEighthBatch.swift): a
# UInt16 page bitmap, a pool machine with two bundles, a key=value line, a
# Double timeout, Int8 / Int16 / Int32 arithmetic that wraps, a recursive
# TLV, a list of doubles, a one-of trace, sets, two dictionaries, a check
# digit, a UInt64 alignment check, a varint key, string pairs and a set of
# strings, and a flatMap. The minima are the Swift ones; the comments there
# say why.

def _b48_text(alphabet):
    return st.lists(st.sampled_from(alphabet)).map("".join)


def _b48_show_pairs(xs):
    return "[" + ", ".join(f"({a}, {b})" for a, b in xs) + "]"


def _b48_wrap(v, bits):
    return (v + (1 << (bits - 1))) % (1 << bits) - (1 << (bits - 1))


def _b48_show_set(s):
    return "{" + ", ".join(map(repr, sorted(s))) + "}" if s else "set()"


# A 16-page bitmap (1 = used): the run finder's loop stops one start short of 16 - n.
def _b48_bitmap(t):
    bm, n = t

    def run_at(s):
        return all(not (bm >> i) & 1 for i in range(s, s + n))

    buggy = any(run_at(s) for s in range(16 - n))
    real = any(run_at(s) for s in range(17 - n))
    check(buggy == real)


# key=value;key=value lines: values are escaped, keys are not; the reader splits at the first '='.
def _b48_kv_esc(v):
    return v.replace("=", "%3D").replace(";", "%3B")


def _b48_kv_unesc(v):
    return v.replace("%3B", ";").replace("%3D", "=")


def _b48_kv(d):
    line = ";".join(f"{k}={_b48_kv_esc(d[k])}" for k in sorted(d))
    out = {}
    if line:
        for part in line.split(";"):
            k, _, v = part.partition("=")
            out[k] = _b48_kv_unesc(v)
    check(out == d)


def _b48_show_str_dict(d):
    return "{" + ", ".join(f"{k!r}: {d[k]!r}" for k in sorted(d)) + "}"


# A timeout in seconds checked against Int32.max before being scaled to milliseconds.
def _b48_timeout(s):
    if s < 2147483647.0:
        check(math.floor(s * 1000) <= 2147483647)


# Int8 readings; the spread max - min is taken in Int8.
def _b48_spread(xs):
    if not xs:
        return
    real = max(xs) - min(xs)
    check((_b48_wrap(real, 8) > 50) == (real > 50))


# A nested TLV: header = tag << 3 | length & 7 (a 3-bit length); a leaf is an int, a node a list.
def _b48_tlv(depth):
    leaf = st.integers(0, 255)
    if depth == 0:
        return leaf
    return st.one_of(leaf, st.lists(_b48_tlv(depth - 1)))


def _b48_tlv_enc(t):
    if isinstance(t, int):
        return bytes([1 << 3 | 1, t])
    content = b"".join(_b48_tlv_enc(c) for c in t)
    return bytes([2 << 3 | (len(content) & 7)]) + content


def _b48_tlv_dec(b, i):
    # (value, next index) or None.
    if i >= len(b):
        return None
    tag, ln = b[i] >> 3, b[i] & 7
    end = i + 1 + ln
    if end > len(b):
        return None
    if tag == 1:
        return (b[i + 1], end) if ln == 1 else None
    if tag != 2:
        return None
    kids, j = [], i + 1
    while j < end:
        r = _b48_tlv_dec(b, j)
        if r is None or r[1] > end:
            return None
        kids.append(r[0])
        j = r[1]
    return kids, end


def _b48_tlv_roundtrip(t):
    b = _b48_tlv_enc(t)
    r = _b48_tlv_dec(b, 0)
    check(r is not None and r[1] == len(b) and r[0] == t)


# 20 slots shared by weight, each share rounded to nearest on its own.
def _b48_shares(ws):
    total = sum(ws)
    if total <= 0:
        return
    check(sum(math.floor(20 * w / total + 0.5) for w in ws) <= 20)


# A store buffer forwarding loads from the oldest matching store, not the newest.
# Operations: ("store", a, v), ("load", a), ("fence",).
def _b48_show_ops(ops):
    return "[" + ", ".join(f"{o[0]}({', '.join(str(x) for x in o[1:])})" for o in ops) + "]"


def _b48_store_buffer(ops):
    mem, buf = [0] * 8, []
    for o in ops:
        if o[0] == "store":
            buf.append((o[1], o[2]))
        elif o[0] == "load":
            hits = [v for a, v in buf if a == o[1]]
            buggy = hits[0] if hits else mem[o[1]]
            real = hits[-1] if hits else mem[o[1]]
            check(buggy == real)
        else:
            for a, v in buf:
                mem[a] = v
            buf = []


_B48_MEM_OPS = st.lists(st.one_of(st.tuples(st.integers(0, 7), st.integers(0, 255)).map(lambda t: ("store", t[0], t[1])),
                                  st.integers(0, 7).map(lambda a: ("load", a)), st.just(("fence",))))


# Dirty blocks written back in runs of at most 4; the run test lets a fifth block in.
def _b48_dirty(s):
    reqs = []
    for b in sorted(s):
        if reqs and b == reqs[-1][-1] + 1 and len(reqs[-1]) <= 4:  # bug: < 4
            reqs[-1].append(b)
        else:
            reqs.append([b])
    check(all(len(r) <= 4 for r in reqs))


# Quotas merged by copying the larger dict and overwriting from the smaller.
def _b48_merge(t):
    a, b = t
    big, small = (a, b) if len(a) >= len(b) else (b, a)
    m = dict(big)
    for k, v in small.items():
        m[k] = v  # bug: m.get(k, 0) + v
    check(m == {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)})


# Int16 samples delta-encoded from 0 with each delta stored in an Int16; the decoder adds in Int.
def _b48_delta(xs):
    enc, prev = [], 0
    for x in xs:
        enc.append(_b48_wrap(x - prev, 16))  # bug: a delta of two Int16 values needs 17 bits
        prev = x
    out, acc = [], 0
    for d in enc:
        acc += d
        out.append(acc)
    check(out == xs)


# Int16 samples; the sum of squares is kept in an Int32.
def _b48_rms(xs):
    acc = 0
    for x in xs:
        acc = _b48_wrap(acc + x * x, 32)
    check(acc == sum(x * x for x in xs))


# ISBN-10 check digit: 10 is rendered "10", not "X".
def _b48_isbn_render(ds):
    c = sum((i + 1) * d for i, d in enumerate(ds)) % 11
    return "".join(map(str, ds)) + str(c)  # bug: "X" when c == 10


def _b48_isbn_valid(s):
    if len(s) != 10:
        return False

    def val(ch):
        return 10 if ch == "X" else int(ch)

    return sum((i + 1) * val(s[i]) for i in range(9)) % 11 == val(s[9])


# A split-lock check on a UInt64 address: (addr ^ (addr + size)) >> 6 uses the exclusive end.
def _b48_split_lock(t):
    addr, size = t
    end, last = (addr + size) % 2**64, (addr + size - 1) % 2**64
    check((((addr ^ end) >> 6) != 0) == ((addr >> 6) != (last >> 6)))


# Protobuf-style fields (tag 1...31, UInt32 value): the key tag << 3 is written as one byte,
# not as a varint; the reader decodes both key and value as LEB128.
def _b48_leb(n):
    out = []
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return out


def _b48_read_leb(buf, i):
    v = shift = 0
    while i < len(buf):
        b = buf[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return v, i
    return None


def _b48_protobuf(fields):
    buf = []
    for tag, v in fields:
        buf += [(tag << 3) & 0xFF] + _b48_leb(v)  # bug: _b48_leb(tag << 3)
    out, i = [], 0
    while i < len(buf):
        k = _b48_read_leb(buf, i)
        if k is None:
            break
        val = _b48_read_leb(buf, k[1])
        if val is None:
            break
        out.append((k[0] >> 3, val[0]))
        i = val[1]
    check(out == fields)


# An intern table keyed by (length, first, last) with no equality check.
def _b48_intern(t):
    table = {}

    def intern(s):
        return table.setdefault((len(s), s[:1], s[-1:]), s)

    intern(t[0])
    check(intern(t[1]) == t[1])


# A page shift 12...16 drawn first, then offsets in 4 pages; pages counted with >> 12.
_B48_PAGES = st.integers(12, 16).flatmap(lambda s: st.lists(st.integers(0, (4 << s) - 1)).map(lambda xs: (s, xs)))


def _b48_pages(t):
    s, xs = t
    check(len({x >> 12 for x in xs}) == len({x >> s for x in xs}))


# Freed blocks coalesced into extents; a block bridging two extents joins only the one before it.
def _b48_extents(xs):
    ext = []  # [start, end)
    for b in xs:
        prev = next((e for e in ext if e[1] == b), None)
        nxt = next((e for e in ext if e[0] == b + 1), None)
        if prev:
            prev[1] = b + 1
        elif nxt:
            nxt[0] = b
        else:
            ext.append([b, b + 1])
    s = sorted(xs)
    runs = sum(1 for i, x in enumerate(s) if i == 0 or s[i - 1] != x - 1)
    check(len(ext) == runs)


# DNS names: labels written with a length byte; an empty label is the terminator.
def _b48_dns(s):
    if not s or s[0] == "." or s[-1] == ".":
        return
    wire = []
    for label in s.split("."):
        wire += [len(label)] + [ord(c) for c in label]
    wire.append(0)
    labels, i = [], 0
    while wire[i] != 0:
        n = wire[i]
        labels.append("".join(map(chr, wire[i + 1:i + 1 + n])))
        i += 1 + n
    check(".".join(labels) == s)


# File names checked for case-insensitive collisions with only the first character folded.
def _b48_case_fold(s):
    check(len({x[:1].lower() + x[1:] for x in s}) == len({x.lower() for x in s}))


def _b48_pick(s, d, bundle, remove=False):
    i = d.draw(st.integers(0, len(s[bundle]) - 1))
    return s[bundle].pop(i) if remove else s[bundle][i]


def _b48_produce(s, bundle, value):
    s["nvar"] += 1
    s[bundle].append((f"v{s['nvar']}", value))
    return f"v{s['nvar']}"


# Object pools: free charges the newest pool, not the object's own.
def _b48_pool_machine(data):
    def pool(s, d):
        s["next"] += 1
        s["m"][s["next"]] = 0
        s["y"][s["next"]] = 0
        s["newest"] = s["next"]
        return f"{_b48_produce(s, 'pools', s['next'])} = pool()"

    def alloc(s, d):
        var, p = _b48_pick(s, d, "pools")
        s["m"][p] += 1
        s["y"][p] += 1
        s["live"] += 1
        s["next"] += 1
        s["owner"][s["next"]] = p
        return f"{_b48_produce(s, 'objs', s['next'])} = alloc(pool: {var})"

    def free(s, d):
        var, o = _b48_pick(s, d, "objs", remove=True)
        s["m"][s["owner"][o]] -= 1
        s["live"] -= 1
        s["y"][s["newest"]] -= 1  # bug: the object's own pool
        return f"free(obj: {var})"

    def compare(s):
        if s["m"] != s["y"]:
            raise MachineFailure()

    run_machine(data, [("pool", lambda s: True, pool), ("alloc", lambda s: len(s["m"]) > 0, alloc),
                       ("free", lambda s: s["live"] > 0, free)],
                lambda: {"m": {}, "y": {}, "owner": {}, "newest": 0, "live": 0, "next": 0, "nvar": 0,
                         "pools": [], "objs": [], "check": compare})


PROBLEMS += [
    Problem("bitmap_find_run_misses_top_bits", st.tuples(st.integers(0, 2**16 - 1), st.integers(1, 4)), _b48_bitmap,
            lambda t: t == (0x0888, 4)),
    machine_problem("machine_pool_free_charges_newest_pool", _b48_pool_machine,
                    ["v1 = pool()", "v2 = pool()", "v3 = alloc(pool: v1)", "free(obj: v3)"]),
    Problem("kv_line_key_with_equals_unescaped", st.dictionaries(_b48_text("a=;"), _b48_text("a=;")), _b48_kv,
            lambda d: d == {"=": ""}, show=_b48_show_str_dict),
    Problem("timeout_seconds_checked_before_ms_scale", st.floats(0, 1e7), _b48_timeout, lambda s: s == 2147484.0),
    Problem("int8_readings_spread_wraps_in_int8", st.lists(st.integers(-128, 127)), _b48_spread, lambda v: v == [0, -128]),
    Problem("nested_tlv_length_in_three_bits", _b48_tlv(4), _b48_tlv_roundtrip, lambda t: t == [0, 0, 0, 0]),
    Problem("share_slots_rounded_sum_exceeds_20", st.lists(st.floats(0, 100)), _b48_shares, lambda v: v == [1.0, 7.0]),
    Problem("store_buffer_forwards_oldest_store", _B48_MEM_OPS, _b48_store_buffer,
            lambda v: _b48_show_ops(v) == "[store(0, 0), store(0, 1), load(0)]", show=_b48_show_ops),
    Problem("dirty_blocks_batched_five_per_request", st.sets(st.integers(0, 31)), _b48_dirty,
            lambda s: s == {0, 1, 2, 3, 4}, show=_b48_show_set),
    Problem("quota_merge_overwrites_from_smaller_dict",
            st.tuples(st.dictionaries(st.integers(0, 7), st.integers(0, 100)), st.dictionaries(st.integers(0, 7), st.integers(0, 100))),
            _b48_merge, lambda t: t == ({0: 1}, {0: 0}), show=lambda t: f"({show_dict(t[0])}, {show_dict(t[1])})"),
    Problem("int16_delta_stored_in_int16_wraps", st.lists(st.integers(-32768, 32767)), _b48_delta,
            lambda v: v == [1, -32768]),
    Problem("rms_int32_sum_of_squares_wraps", st.lists(st.integers(-32768, 32767)), _b48_rms,
            lambda v: v == [-32768, -32768]),
    Problem("isbn10_check_digit_ten_written_as_two_chars", st.lists(st.integers(0, 9), min_size=9, max_size=9),
            lambda ds: check(_b48_isbn_valid(_b48_isbn_render(ds))), lambda v: v == [0] * 8 + [6]),
    Problem("split_lock_check_xor_uses_exclusive_end", st.tuples(st.integers(0, 2**64 - 1), st.sampled_from([1, 2, 4, 8, 16])),
            _b48_split_lock, lambda t: t == (48, 16)),
    Problem("protobuf_key_written_as_one_byte", st.lists(st.tuples(st.integers(1, 31), st.integers(0, 2**32 - 1))),
            _b48_protobuf, lambda v: v == [(16, 0)], show=_b48_show_pairs),
    Problem("intern_table_keyed_by_length_first_last", st.tuples(_b48_text("ab"), _b48_text("ab")), _b48_intern,
            lambda t: t == ("aaa", "aba")),
    Problem("page_index_hardcodes_4k_shift", _B48_PAGES, _b48_pages, lambda t: t == (13, [0, 4096])),
    Problem("free_extents_bridge_merges_one_side", st.lists(st.integers(0, 31), unique=True), _b48_extents,
            lambda v: v == [0, 2, 1]),
    Problem("dns_name_empty_label_ends_name", _b48_text("a."), _b48_dns, lambda s: s == "a..a"),
    Problem("filename_case_fold_first_char_only", st.sets(_b48_text("aA")), _b48_case_fold, lambda s: s == {"aa", "aA"},
            show=_b48_show_set),
]


# The forty-ninth batch (Sources/ShrinkQuality/FortyNinthBatch.swift): a
# UInt64 multiply-high, a UInt32 power-of-two round-up, a list of double
# pairs, two dictionaries of UInt8 counts, a set of edges, a pair of strings
# (a certificate name against a host name), two machines with bundles
# (timers, a publish / subscribe bus), a byte string (TCP options), a
# filtered list of code points, a recursive list, a set of coins and an
# amount, filtered primes, a flatMap (a permutation check), Int32 and Int8
# arithmetic, a price string, a one-of trace, eight doubles (two
# rectangles) and a set of strings with a string. The minima are the Swift
# ones; the comments there say why.

def _b49_text(alphabet):
    return st.lists(st.sampled_from(alphabet)).map("".join)


def _b49_show_set(s):
    return "{" + ", ".join(map(repr, sorted(s))) + "}" if s else "set()"


def _b49_wrap(v, bits):
    return (v + (1 << (bits - 1))) % (1 << bits) - (1 << (bits - 1))


def _b49_is_prime(n):
    return n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1))


# A 64x64 -> high 64 multiply from 32-bit halves that drops the carry of the middle sums.
def _b49_mulhi(t):
    a, b = t
    ah, al, bh, bl = a >> 32, a & 0xFFFFFFFF, b >> 32, b & 0xFFFFFFFF
    buggy = (ah * bh + (ah * bl >> 32) + (al * bh >> 32)) % 2**64
    check(buggy == (a * b) >> 64)


# Round up to a power of two by smearing x - 1; the v |= v >> 16 step is missing.
def _b49_next_pow2(x):
    v = x - 1
    for k in (1, 2, 4, 8):
        v |= v >> k
    real = 1 << (x - 1).bit_length()
    check(v + 1 == real)


# Points in the closed unit square binned into a 16 x 16 heat map; the cell Int(v * 16) is 16 for 1.0.
def _b49_heat_map(pts):
    for x, y in pts:
        check(int(y * 16) * 16 + int(x * 16) < 256)


def _b49_show_points(pts):
    return "[" + ", ".join(f"({x!r}, {y!r})" for x, y in pts) + "]"


# Two histograms with UInt8 counts merged by adding in UInt8.
def _b49_histograms(t):
    a, b = t
    merged = dict(a)
    for k, v in b.items():
        merged[k] = (merged.get(k, 0) + v) % 256
    check(all(merged[k] == a.get(k, 0) + b[k] for k in b))


# Bipartiteness over 5 nodes (self-loops ignored), two-colouring node 0's component only.
def _b49_two_colours(es, starts):
    adj = [[] for _ in range(5)]
    for a, b in es:
        if a != b:
            adj[a].append(b)
            adj[b].append(a)
    colour = [-1] * 5
    for s in starts:
        if colour[s] >= 0:
            continue
        colour[s] = 0
        stack = [s]
        while stack:
            u = stack.pop()
            for v in adj[u]:
                if colour[v] < 0:
                    colour[v] = 1 - colour[u]
                    stack.append(v)
                elif colour[v] == colour[u]:
                    return False
    return True


def _b49_bipartite(es):
    check(_b49_two_colours(es, [0]) == _b49_two_colours(es, range(5)))


# A certificate name matched against a host name as a glob; only a whole leftmost label "*" is a wildcard.
def _b49_glob(p, h):
    m = [[False] * (len(h) + 1) for _ in range(len(p) + 1)]
    m[len(p)][len(h)] = True
    for i in range(len(p) - 1, -1, -1):
        for j in range(len(h), -1, -1):
            if p[i] == "*":
                m[i][j] = m[i + 1][j] or (j < len(h) and m[i][j + 1])
            else:
                m[i][j] = j < len(h) and p[i] == h[j] and m[i + 1][j + 1]
    return m[0][0]


def _b49_wildcard(t):
    p, h = t
    pl, hl = p.split("."), h.split(".")
    if not all(hl):
        return
    real = len(pl) == len(hl) and all((i == 0 and a == "*") or a == b for i, (a, b) in enumerate(zip(pl, hl)))
    check(_b49_glob(p, h) == real)


# TCP options parsed without checking length >= 2.
def _b49_tcp_parse(b, checked):
    kinds, i, steps = [], 0, 0
    while i < len(b):
        steps += 1
        if steps > 64:
            return [-1]
        kind = b[i]
        if kind == 0:
            break
        if kind == 1:
            kinds.append(1)
            i += 1
            continue
        if i + 1 >= len(b):
            return None
        ln = b[i + 1]
        if checked and ln < 2:
            return None
        if i + ln > len(b):
            return None
        kinds.append(kind)
        i += ln
    return kinds


def _b49_tcp(b):
    check(_b49_tcp_parse(b, False) == _b49_tcp_parse(b, True))


# A UTF-8 buffer sized 2 bytes a scalar plus 16.
def _b49_utf8(cps):
    need = sum(1 if c < 0x80 else 2 if c < 0x800 else 3 if c < 0x10000 else 4 for c in cps)
    check(need <= 2 * len(cps) + 16)


# A nested list flattened one level deep only.
def _b49_tree(depth):
    leaf = st.integers(0, 9)
    if depth == 0:
        return leaf
    return st.one_of(leaf, st.lists(_b49_tree(depth - 1)))


def _b49_flat(t):
    return [t] if isinstance(t, int) else [x for c in t for x in _b49_flat(c)]


def _b49_flat_buggy(t):
    if isinstance(t, int):
        return [t]
    out = []
    for c in t:
        if isinstance(c, int):
            out.append(c)
        else:
            out += [g for g in c if isinstance(g, int)]
    return out


def _b49_flatten(t):
    check(_b49_flat_buggy(t) == _b49_flat(t))


# Change made greedily from 1 and a set of coins, assumed optimal.
def _b49_change(t):
    coins = [1] + sorted(t[0])
    left, greedy = t[1], 0
    for c in reversed(coins):
        greedy += left // c
        left %= c
    best = [0] + [math.inf] * t[1]
    for v in range(1, t[1] + 1):
        for c in coins:
            if c <= v:
                best[v] = min(best[v], best[v - c] + 1)
    check(greedy == best[t[1]])


_B49_PRIME = st.integers(2, 1000).filter(_b49_is_prime)


def _b49_modulus(t):
    check((t[0] * t[1]) % 2**16 == t[0] * t[1])


# flatMap: n in 1...8, then n values in 0..<n taken for a permutation when they sum to n(n - 1)/2.
_B49_PERM = st.integers(1, 8).flatmap(lambda n: st.lists(st.integers(0, n - 1), min_size=n, max_size=n).map(lambda xs: (n, xs)))


def _b49_perm(t):
    n, xs = t
    check((sum(xs) == n * (n - 1) // 2) == (len(set(xs)) == n))


# Two Int32 readings compared within 10 by a distance taken in Int32.
def _b49_distance(t):
    a, b = t
    d = _b49_wrap(a - b, 32)
    if d < 0:
        d = _b49_wrap(-d, 32)
    check((d <= 10) == (abs(a - b) <= 10))


# A price: digits, optionally '.' and one or two digits; the fraction is added as cents unscaled.
def _b49_price(s):
    parts = s.split(".")
    if len(parts) > 2 or not parts[0] or len(parts[0]) > 9:
        return
    if len(parts) == 2 and not 1 <= len(parts[1]) <= 2:
        return
    whole, frac = int(parts[0]), parts[1] if len(parts) == 2 else ""
    buggy = whole * 100 + (int(frac) if frac else 0)
    real = whole * 100 + (int(frac) * (10 if len(frac) == 1 else 1) if frac else 0)
    check(buggy == real)


# A log writer rotating when the file has reached 100 bytes before a write.
_B49_LOG = st.lists(st.one_of(st.integers(1, 100).map(lambda n: ("write", n)), st.just(("fsync",)), st.just(("rotate",))))


def _b49_show_log(ops):
    return "[" + ", ".join(f"{o[0]}({o[1]})" if o[0] == "write" else f"{o[0]}()" for o in ops) + "]"


def _b49_log(ops):
    size = 0
    for o in ops:
        if o[0] == "write":
            if size >= 100:  # bug: size + n > 100
                size = 0
            size += o[1]
            check(size <= 100)
        elif o[0] == "rotate":
            size = 0


# A hash join of Int8 keys bucketed by the low nibble without comparing keys.
def _b49_join(t):
    left, right = t
    buggy = sum(sum(1 for r in right if r & 15 == k & 15) for k in left)
    check(buggy == sum(right.count(k) for k in left))


# Two rectangles whose intersection multiplies unclamped overlaps.
_B49_RECT = st.lists(st.floats(0, 100), min_size=4, max_size=4)


def _b49_show_rects(t):
    return "(" + ", ".join("(" + ", ".join(map(repr, r)) + ")" for r in t) + ")"


def _b49_rects(t):
    a, b = t
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    inter = dx * dy
    check(inter >= 0 and inter <= min(a[2] * a[3], b[2] * b[3]))


# Command abbreviations: the first of an ambiguous prefix's matches is taken.
def _b49_abbrev(t):
    cmds, typed = t
    matches = [c for c in sorted(cmds) if c.startswith(typed)]
    if typed in cmds:
        buggy = real = typed
    else:
        buggy = matches[0] if matches else None
        real = matches[0] if len(matches) == 1 else None
    check(buggy == real)


def _b49_pick(s, d, bundle, remove=False):
    i = d.draw(st.integers(0, len(s[bundle]) - 1))
    return s[bundle].pop(i) if remove else s[bundle][i]


def _b49_produce(s, bundle, value):
    s["nvar"] += 1
    s[bundle].append((f"v{s['nvar']}", value))
    return f"v{s['nvar']}"


# Timers: cancel of a timer that already fired takes it off the pending count again.
def _b49_timer_machine(data):
    def schedule(s, d):
        delay = d.draw(st.integers(0, 3))
        s["next"] += 1
        t = s["next"]
        s["pending"].add(t)
        s["mdl"][t] = s["mnow"] + delay
        s["sdl"][t] = s["snow"] + delay
        s["count"] += 1
        return f"{_b49_produce(s, 'timers', t)} = schedule(delay: {delay})"

    def tick(s, d):
        s["pending"] = {t for t in s["pending"] if s["mdl"][t] > s["mnow"]}
        s["mnow"] += 1
        for t, dl in s["sdl"].items():
            if dl <= s["snow"] and t not in s["done"]:
                s["done"].add(t)
                s["count"] -= 1
        s["snow"] += 1
        return "tick()"

    def cancel(s, d):
        var, t = _b49_pick(s, d, "timers", remove=True)
        s["pending"].discard(t)
        s["done"].add(t)
        s["count"] -= 1  # bug: only if t has not fired
        return f"cancel(timer: {var})"

    def compare(s):
        if len(s["pending"]) != s["count"]:
            raise MachineFailure()

    run_machine(data, [("schedule", lambda s: True, schedule), ("tick", lambda s: True, tick),
                       ("cancel", lambda s: len(s["timers"]) > 0, cancel)],
                lambda: {"pending": set(), "mdl": {}, "sdl": {}, "done": set(), "mnow": 0, "snow": 0, "count": 0,
                         "next": 0, "nvar": 0, "timers": [], "check": compare})


# A publish/subscribe bus whose unsubscribe removes the topic's first subscriber.
def _b49_bus_machine(data):
    def subscribe(s, d):
        topic = d.draw(st.integers(0, 2))
        s["next"] += 1
        i = s["next"]
        s["topic"][i] = topic
        s["live"].append(i)
        s["mgot"][i] = 0
        s["lists"].setdefault(topic, []).append(i)
        s["sgot"][i] = 0
        return f"{_b49_produce(s, 'subs', i)} = subscribe(topic: {topic})"

    def unsubscribe(s, d):
        var, i = _b49_pick(s, d, "subs", remove=True)
        s["live"].remove(i)
        s["lists"][s["topic"][i]].pop(0)  # bug: remove i
        return f"unsubscribe(sub: {var})"

    def publish(s, d):
        topic = d.draw(st.integers(0, 2))
        for i in s["live"]:
            if s["topic"][i] == topic:
                s["mgot"][i] += 1
        for i in s["lists"].get(topic, []):
            s["sgot"][i] += 1
        return f"publish(topic: {topic})"

    def compare(s):
        if s["mgot"] != s["sgot"]:
            raise MachineFailure()

    run_machine(data, [("subscribe", lambda s: True, subscribe), ("unsubscribe", lambda s: len(s["live"]) > 0, unsubscribe),
                       ("publish", lambda s: True, publish)],
                lambda: {"topic": {}, "live": [], "mgot": {}, "lists": {}, "sgot": {}, "next": 0, "nvar": 0, "subs": [],
                         "check": compare})


PROBLEMS += [
    Problem("mulhi_u64_halves_drop_middle_carry", st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)), _b49_mulhi,
            lambda t: t == (3, 0x5555555555555556)),
    Problem("next_pow2_u32_smear_skips_16_shift", st.integers(1, 2**31), _b49_next_pow2, lambda x: x == 65537),
    Problem("heat_map_cell_index_closed_unit_interval", st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1))), _b49_heat_map,
            lambda v: _b49_show_points(v) == "[(0.0, 1.0)]", show=_b49_show_points),
    Problem("histogram_merge_uint8_counts_wrap",
            st.tuples(st.dictionaries(st.integers(0, 7), st.integers(0, 255)), st.dictionaries(st.integers(0, 7), st.integers(0, 255))),
            _b49_histograms, lambda t: t == ({0: 1}, {0: 255}), show=lambda t: f"({show_dict(t[0])}, {show_dict(t[1])})"),
    Problem("bipartite_check_bfs_from_node_zero_only", st.sets(st.tuples(st.integers(0, 4), st.integers(0, 4))), _b49_bipartite,
            lambda s: s == {(1, 2), (1, 3), (2, 3)}, show=_b49_show_set),
    Problem("tls_wildcard_matched_as_glob", st.tuples(_b49_text("a.*"), _b49_text("a.")), _b49_wildcard,
            lambda t: t == ("a*", "a")),
    machine_problem("machine_timer_cancel_after_fire_decrements_pending", _b49_timer_machine,
                    ["v1 = schedule(delay: 0)", "tick()", "cancel(timer: v1)"]),
    machine_problem("machine_pubsub_unsubscribe_removes_first_on_topic", _b49_bus_machine,
                    ["v1 = subscribe(topic: 0)", "v2 = subscribe(topic: 0)", "unsubscribe(sub: v2)", "publish(topic: 0)"]),
    Problem("tcp_option_length_below_two_unchecked", st.binary(max_size=64), _b49_tcp, lambda b: b == bytes([2, 0]), show=py_bytes),
    Problem("utf8_buffer_two_bytes_per_scalar_plus_16",
            st.lists(st.integers(0, 0x10FFFF).filter(lambda c: not 0xD800 <= c <= 0xDFFF)), _b49_utf8,
            lambda v: v == [2048] + [65536] * 8),
    Problem("flatten_recurses_one_level_only", _b49_tree(4), _b49_flatten, lambda t: t == [[[0]]]),
    Problem("greedy_change_assumes_canonical_coins", st.tuples(st.sets(st.integers(2, 20)), st.integers(0, 100)), _b49_change,
            lambda t: t == ({3, 4}, 6), show=lambda t: f"({_b49_show_set(t[0])}, {t[1]})"),
    Problem("key_modulus_u16_product_of_primes_wraps", st.tuples(_B49_PRIME, _B49_PRIME), _b49_modulus, lambda t: t == (67, 983)),
    Problem("permutation_check_by_sum_only", _B49_PERM, _b49_perm, lambda t: t == (3, [1, 1, 1])),
    Problem("int32_distance_tolerance_wraps", st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1)),
            _b49_distance, lambda t: t == (0, -(2**31))),
    Problem("price_cents_parser_unscaled_single_decimal", _b49_text("0159."), _b49_price, lambda s: s == "0.1"),
    Problem("log_rotation_checked_before_write", _B49_LOG, _b49_log,
            lambda v: _b49_show_log(v) == "[write(1), write(100)]", show=_b49_show_log),
    Problem("hash_join_bucket_match_skips_key_recheck", st.tuples(st.lists(st.integers(-128, 127)), st.lists(st.integers(-128, 127))),
            _b49_join, lambda t: t == ([0], [16])),
    Problem("rect_overlap_area_unclamped_negatives_multiply", st.tuples(_B49_RECT, _B49_RECT), _b49_rects,
            lambda t: _b49_show_rects(t) == "((0.0, 0.0, 0.0, 0.0), (1.0, 1.0, 0.0, 0.0))", show=_b49_show_rects),
    Problem("command_abbrev_takes_first_of_ambiguous", st.tuples(st.sets(_b49_text("ab")), _b49_text("ab")), _b49_abbrev,
            lambda t: t == ({"a", "b"}, ""), show=lambda t: f"({_b49_show_set(t[0])}, {t[1]!r})"),
]


# Families with drawn constants (Benchmarks/Sources/ShrinkQuality/Families.swift)
#
# `--families` runs these instead of PROBLEMS: the twins of the 144 problems
# whose constants Families.swift draws from SplitMix64 over a fixed seed.
# The constants are drawn here in the same order from the same generator, so
# the names (which carry the constants) and the minima are the Swift ones.

_FAM_MASK = 2**64 - 1


class _FamConstants:
    # SplitMix64 (RandomSource.splitMix) and Constants.draw of Families.swift.
    def __init__(self, state):
        self.state = state

    def split_mix(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & _FAM_MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _FAM_MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _FAM_MASK
        return z ^ (z >> 31)

    def draw(self, lower, upper):
        return lower + self.split_mix() % (upper - lower + 1)


def _fam_least_above(threshold, modulus, remainder):
    # The least value above `threshold` congruent to `remainder` modulo `modulus`.
    m = threshold + 1
    while m % modulus != remainder:
        m += 1
    return m


def _fam_residue(t, m, r):
    # Only values above t > 0 can fail, where Python's % agrees with Swift's.
    return lambda x: check(not (x > t and x % m == r))


def _fam_pair_gap(t, gap):
    return lambda p: check(not (p[0] >= t and p[0] <= INT64_MAX - gap and p[1] >= p[0] + gap))


def _fam_difference(gap):
    def prop(xs):
        s = set(xs)
        check(not any(a + gap in s for a in s))
    return prop


def _fam_problems():
    k = _FamConstants(12345)
    out = []
    # Thresholds over all of Int64, on either side: the threshold itself.
    for n in range(12):
        t = max(2, k.draw(1, 1 << k.draw(1, 61)))
        out.append(Problem(f"at_least_{n}_{t}", I64, lambda x, t=t: check(x < t), lambda x, t=t: x == t))
        out.append(Problem(f"at_most_minus_{n}_{t}", I64, lambda x, t=t: check(x > -t), lambda x, t=t: x == -t))
    # A residue above a threshold over all of Int64 (positive values come
    # first at each distance, so the least such value); a multiple above a
    # threshold in a range from 0 with a bound far above it.
    for n in range(12):
        m = k.draw(2, 40)
        r = k.draw(0, m - 1)
        t = k.draw(10, 1_000_000)
        least = _fam_least_above(t, m, r)
        out.append(Problem(f"residue_{n}_mod{m}_is{r}_above{t}", I64, _fam_residue(t, m, r),
                           lambda x, least=least: x == least))
        bound = t * k.draw(2, 50)
        multiple = _fam_least_above(t, m, 0)
        out.append(Problem(f"bounded_multiple_{n}_of{m}_above{t}", st.integers(0, bound), _fam_residue(t, m, 0),
                           lambda x, multiple=multiple: x == multiple))
    # Unsigned widths: the threshold.
    for n in range(6):
        t8 = k.draw(2, 255)
        t16 = k.draw(2, 65535)
        t32 = k.draw(2, 2**32 - 1)
        for width, t in ((8, t8), (16, t16), (32, t32)):
            out.append(Problem(f"uint{width}_at_least_{n}_{t}", st.integers(0, 2**width - 1),
                               lambda x, t=t: check(x < t), lambda x, t=t: x == t))
    # Lists of 0...bound summing above a threshold: the fewest elements,
    # then the first as small as the rest at the bound allow.
    for n in range(10):
        bound = k.draw(5, 1000)
        t = k.draw(bound, bound * 6)
        count = (t + bound) // bound
        least = [t + 1 - (count - 1) * bound] + [bound] * (count - 1)
        out.append(Problem(f"list_sum_{n}_of0to{bound}_above{t}", st.lists(st.integers(0, bound)),
                           lambda xs, t=t: check(sum(xs) <= t), lambda xs, least=least: xs == least))
    # Lists holding at least `count` elements of at least `v`: that many of `v`.
    for n in range(8):
        count = k.draw(2, 6)
        v = k.draw(1, 500)
        out.append(Problem(f"list_count_{n}_{count}_at_least{v}", st.lists(I64),
                           lambda xs, count=count, v=v: check(sum(1 for x in xs if x >= v) < count),
                           lambda xs, count=count, v=v: xs == [v] * count))
    # Pairs with the first at least `t` and the second `gap` above it.
    for n in range(8):
        t = k.draw(1, 100_000)
        gap = k.draw(1, 100_000)
        out.append(Problem(f"pair_gap_{n}_first{t}_gap{gap}", st.tuples(I64, I64), _fam_pair_gap(t, gap),
                           lambda p, t=t, gap=gap: p == (t, t + gap)))
    # UInt64 with at least `bits` bits set: the low ones.
    for n in range(6):
        bits = k.draw(2, 20)
        out.append(Problem(f"popcount_{n}_at_least{bits}", st.integers(0, 2**64 - 1),
                           lambda x, bits=bits: check(bin(x).count("1") < bits),
                           lambda x, bits=bits: x == (1 << bits) - 1))
    # Strings over "abcdefghz" with at least `count` z's: that many z's.
    for n in range(6):
        count = k.draw(2, 5)
        out.append(Problem(f"letters_{n}_{count}_z", st.lists(st.sampled_from("abcdefghz")).map("".join),
                           lambda s, count=count: check(s.count("z") < count), lambda s, count=count: s == "z" * count))
    # Byte strings whose byte at `position` is at least `v`: zeros, then `v`.
    for n in range(8):
        position = k.draw(0, 12)
        v = k.draw(1, 255)
        out.append(Problem(f"byte_at_{n}_{position}_at_least{v}", st.binary(max_size=32),
                           lambda b, position=position, v=v: check(not (len(b) > position and b[position] >= v)),
                           lambda b, position=position, v=v: b == bytes(position) + bytes([v]), show=_b38_show_bytes))
    # Lists of 0...1000 holding two elements `gap` apart: 0 and `gap`.
    for n in range(8):
        gap = k.draw(1, 900)
        out.append(Problem(f"list_difference_{n}_{gap}", st.lists(st.integers(0, 1000)), _fam_difference(gap),
                           lambda xs, gap=gap: xs == [0, gap]))
    # Residues of powers of two above a threshold (alignment, an offset
    # within an aligned block), over all of Int64 and in a bounded range.
    for n in range(12):
        m = 1 << k.draw(4, 12)
        r = 0 if n % 2 == 0 else k.draw(0, m - 1)
        t = k.draw(10, 10_000_000)
        least = _fam_least_above(t, m, r)
        bound = t * k.draw(2, 50)
        out.append(Problem(f"aligned_{n}_mod{m}_is{r}_above{t}", I64, _fam_residue(t, m, r),
                           lambda x, least=least: x == least))
        out.append(Problem(f"bounded_aligned_{n}_mod{m}_is{r}_above{t}", st.integers(0, bound), _fam_residue(t, m, r),
                           lambda x, least=least: x == least))
    return out


def run_one(p, n, max_examples):
    rec = dict(calls=0, first=None, last=None)
    machine = getattr(p, "machine", False)

    @seed(n)
    @settings(database=None, derandomize=False, max_examples=max_examples, deadline=None,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
              verbosity=Verbosity.quiet, print_blob=False, phases=[Phase.generate, Phase.shrink])
    @given(p.strategy)
    def test(x):
        rec["calls"] += 1
        try:
            if machine:
                try:
                    p.prop(x)
                except MachineFailure:
                    raise Falsified()
            else:
                p.prop(x)
        except Falsified:
            if rec["first"] is None:
                rec["first"] = rec["calls"]
            rec["last"] = steps_of(x) if machine else x
            raise

    found = False
    try:
        test()
    except HypothesisException:
        pass
    except Falsified:
        found = True
    if not found or rec["last"] is None:
        return dict(seed=n, found=False)
    final = rec["last"]
    return dict(seed=n, found=True, final=p.show(final), ideal=bool(p.ideal(final)),
                calls_from_ff=rec["calls"] - rec["first"] + 1)


def steps_of(data):
    # The notes the machine recorded on this data object's last run.
    return list(_LAST_NOTES[0])


_LAST_NOTES = [[]]
_orig_run_machine = run_machine


def run_machine(data, rules, make, max_steps=50, setup=()):  # noqa: F811 - records the notes of the run
    state = None

    def tracking_make():
        nonlocal state
        state = make()
        return state

    try:
        _orig_run_machine(data, rules, tracking_make, max_steps, setup)
    finally:
        _LAST_NOTES[0] = list(state.get("notes", [])) if state is not None else []


def median(xs):
    return statistics.median(xs) if xs else 0.0


def summarise(runs):
    found = [r for r in runs if r["found"]]
    finals = {}
    for r in found:
        finals[r["final"]] = finals.get(r["final"], 0) + 1
    mode = max(sorted(finals.items()), key=lambda kv: kv[1]) if finals else ("", 0)
    return dict(found=len(found), ideal=sum(1 for r in found if r["ideal"]), seeds=len(runs),
                med=median([r["calls_from_ff"] for r in found]), mode=mode[0],
                share=round(100 * mode[1] / len(found)) if found else 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--max-examples", type=int, default=1000)
    ap.add_argument("--only", default="")
    ap.add_argument("--families", action="store_true",
                    help="run the families of problems with drawn constants (Families.swift) instead of PROBLEMS")
    ap.add_argument("--swift", help="JSON written by shrink-quality --json, printed side by side")
    ap.add_argument("--json", help="write per-run records here")
    ap.add_argument("--hypothesis", help="per-run records an earlier --json wrote: printed instead of running Hypothesis "
                    "again (problems it lacks are run), to print a sitting beside a newer PropertyTesting build")
    args = ap.parse_args()
    only = [s for s in args.only.split(",") if s]
    chosen = [p for p in (_fam_problems() if args.families else PROBLEMS) if not only or p.name in only]
    if not chosen:
        sys.exit(f"shrink_quality.py: no problem matches --only {args.only}")
    swift = {}
    if args.swift:
        with open(args.swift) as f:
            for row in json.load(f)["problems"]:
                swift[row["name"]] = row
    earlier = {}
    if args.hypothesis:
        with open(args.hypothesis) as f:
            for row in json.load(f):
                earlier[row["name"]] = row["runs"]
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    print(f"# Hypothesis {hypothesis.__version__}, Python {sys.version.split()[0]}, seeds {seeds[0]}..{seeds[-1]}, "
          f"phases=generate,shrink, max_examples={args.max_examples}"
          + ("; PropertyTesting from " + "--swift" if swift else "")
          + (f"; Hypothesis's runs read from {args.hypothesis}" if earlier else ""))
    header = f"{'problem':32} {'PT found':>8} {'ideal':>5} {'med.ff':>7} | {'Hyp found':>9} {'ideal':>5} {'med.ff':>7} | Hypothesis most common final (share)"
    print(header)
    out = []
    t0 = time.perf_counter()
    for p in chosen:
        runs = [r for r in earlier.get(p.name, []) if r["seed"] in seeds]
        if len(runs) != len(seeds):
            runs = [run_one(p, n, args.max_examples) for n in seeds]
        s = summarise(runs)
        out.append(dict(name=p.name, runs=runs, **{k: v for k, v in s.items()}))
        sw = swift.get(p.name)
        if sw:
            swf = f"{sw['found']:>5}/{sw['seeds']:<2} {sw['ideal']:>5} {sw['median_calls_after_first_failure']:>7.1f}"
        else:
            swf = f"{'-':>8} {'-':>5} {'-':>7}"
        final = s["mode"] if len(s["mode"]) <= 50 else s["mode"][:47] + "..."
        print(f"{p.name:32} {swf} | {s['found']:>6}/{s['seeds']:<2} {s['ideal']:>5} {s['med']:>7.1f} | {final} ({s['share']}%)",
              flush=True)
    print(f"\nColumns: found = runs that failed at all; ideal = runs ending at the engine's expected minimum;\n"
          f"med.ff = median calls from the first failing call on, including it. Total {time.perf_counter() - t0:.1f}s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
