"""Hypothesis twins of the state machines with drawn constants
(Benchmarks/Sources/ShrinkQuality/MachineFamilies.swift,
`shrink-quality --machine-families`): the same SplitMix64 draws the same
constants in the same order, and each machine's expected minimum is found by
the same kind of brute-force search, independently.

  python3 machine_families.py run --seeds 20 [--json hyp.json] [--swift swift.json] [--only a,b]
  python3 machine_families.py ideals             # brute-force minima, one per line (name<TAB>steps)
  python3 machine_families.py replay LOG          # re-run every logged step list of `--log-calls`

`--swift` reads the JSON of `shrink-quality --machine-families --json` and
prints both engines side by side; `replay` reads the output of
`shrink-quality --machine-families --log-calls` with a `### name` line before
each problem's calls, and counts the runs whose outcome differs here.
"""

from __future__ import annotations

import copy
import json
import re
import sys

import hypothesis.strategies as st

import shrink_quality as sq
from shrink_quality import MachineFailure, machine_problem, run_one, summarise

# SplitMix64 over a fixed seed, as MachineFamilies.swift draws its constants.
Constants = sq._FamConstants


def expect(cond):
    if not cond:
        raise MachineFailure()


class Rule:
    def __init__(self, name, body, args=(), pre=lambda m: True):
        self.name, self.body, self.args, self.pre = name, body, list(args), pre

    def line(self, values):
        return f"{self.name}(" + ", ".join(f"{lab}: {v}" for (lab, _, _), v in zip(self.args, values)) + ")"


class Spec:
    """state = {"m": model, "s": system}; body(state, values) may raise MachineFailure."""

    def __init__(self, model, system, rules, check=None, key=None):
        self.model, self.system, self.rules, self.check, self.key = model, system, rules, check, key

    def fresh(self):
        return {"m": copy.deepcopy(self.model), "s": copy.deepcopy(self.system)}

    def apply(self, state, rule, values):
        rule.body(state, values)
        if self.check:
            self.check(state)

    # The Hypothesis machine: what run_machine draws, as the Swift StateMachine does.
    def machine(self, data):
        def wrap(rule):
            def body(state, d):
                values = [d.draw(st.integers(lo, hi)) for _, lo, hi in rule.args]
                state["line"] = rule.line(values)
                self.apply(state, rule, values)
                return state["line"]
            return (rule.name, lambda state: rule.pre(state["m"]), body)
        sq.run_machine(data, [wrap(r) for r in self.rules], self.fresh)

    # Brute force: the least failing run in the order [True, enabled index, args ranks] per step, shortlex.
    def least_failing(self, max_len=400):
        memo = {}

        def children(state):
            for rule in [r for r in self.rules if r.pre(state["m"])]:
                cost = 2 + len(rule.args)
                for values in product([range(lo, hi + 1) for _, lo, hi in rule.args]):
                    nxt = copy.deepcopy(state)
                    try:
                        self.apply(nxt, rule, values)
                    except MachineFailure:
                        nxt = None
                    yield rule.line(values), cost, nxt

        def feasible(state, left):
            if left < 2:
                return False
            k = (self.key(state["m"], state["s"]), left)
            if k in memo:
                return memo[k]
            found = False
            for _, cost, nxt in children(state):
                if cost > left:
                    continue
                found = (cost == left) if nxt is None else feasible(nxt, left - cost)
                if found:
                    break
            memo[k] = found
            return found

        for length in range(2, max_len + 1):
            if not feasible(self.fresh(), length):
                continue
            state, left, lines = self.fresh(), length, []
            while True:
                for line, cost, nxt in children(state):
                    if cost > left:
                        continue
                    if (cost == left) if nxt is None else feasible(nxt, left - cost):
                        break
                lines.append(line)
                left -= cost
                if nxt is None:
                    return lines
                state = nxt
        raise RuntimeError("no failing run")

    # Replays a step list; returns "pass", "FAIL" (at the last step), or an error string.
    def replay(self, lines):
        state = self.fresh()
        by_name = {r.name: r for r in self.rules}
        for i, line in enumerate(lines):
            mt = re.fullmatch(r"(\w+)\((.*)\)", line)
            rule = by_name[mt.group(1)]
            values = [int(x.split(": ")[1]) for x in mt.group(2).split(", ")] if mt.group(2) else []
            if not rule.pre(state["m"]):
                return f"step {i} not enabled"
            try:
                self.apply(state, rule, values)
            except MachineFailure:
                return "FAIL" if i == len(lines) - 1 else f"failed early at step {i}"
        return "pass"


def product(ranges):
    if not ranges:
        yield []
        return
    for v in ranges[0]:
        for rest in product(ranges[1:]):
            yield [v] + rest


def relabel(*lists):
    mp = {}
    return tuple(tuple(mp.setdefault(v, len(mp)) for v in xs) for xs in lists)


# The systems, as the Swift ones.

class Counter:
    def __init__(self, k):
        self.k, self.value = k, 0


def counter_spec(k):
    def inc(st_, a):
        st_["m"] += 1
        c = st_["s"]
        c.value += 2 if c.value == c.k else 1

    def dec(st_, a):
        st_["m"] -= 1
        st_["s"].value -= 1

    def add(st_, a):
        st_["m"] += a[0]
        st_["s"].value += a[0]

    return Spec(0, Counter(k), [Rule("increment", inc), Rule("decrement", dec, pre=lambda m: m > 0),
                                Rule("add", add, [("n", 0, 10)])],
                check=lambda s: expect(s["m"] == s["s"].value), key=lambda m, s: (m, s.value))


def stack_spec(k):
    def push(s, a):
        s["m"].append(a[0])
        if len(s["s"]) != k - 1:
            s["s"].append(a[0])

    def pop(s, a):
        expected = s["m"].pop()
        got = s["s"].pop() if s["s"] else None
        expect(got == expected)

    return Spec([], [], [Rule("push", push, [("x", 0, 100)]), Rule("pop", pop, pre=lambda m: len(m) > 0)],
                key=lambda m, s: relabel(m, s))


class Ring:
    def __init__(self, cap):
        self.slots, self.head, self.count = [0] * cap, 0, 0

    def push(self, x):
        n = len(self.slots)
        if self.count == n:
            self.slots[self.head] = x
            self.head = (self.head + 1) % n
        else:
            self.slots[(self.head + self.count) % n] = x
            self.count += 1

    def pop(self):
        if self.count == 0:
            return None
        x = self.slots[self.head]
        self.head = (self.head + 1) % len(self.slots)
        self.count -= 1
        return x

    def contents(self):
        return [self.slots[(self.head + i) % len(self.slots)] for i in range(self.count)]


def ring_spec(k):
    def push(s, a):
        if len(s["m"]) < k:
            s["m"].append(a[0])
        s["s"].push(a[0])

    def pop(s, a):
        expected = s["m"].pop(0)
        expect(s["s"].pop() == expected)

    return Spec([], Ring(k), [Rule("push", push, [("x", 0, 100)]), Rule("pop", pop, pre=lambda m: len(m) > 0)],
                key=lambda m, s: relabel(m, s.contents()))


def bank_spec(t):
    def deposit(s, a):
        s["m"] += a[0]
        s["s"][0] += a[0]

    def withdraw(s, a):
        amount = a[0]
        allowed = amount <= s["m"]
        if allowed:
            s["m"] -= amount
        acct = s["s"]
        if amount <= acct[0]:
            acct[0] -= amount
            if amount > t:
                acct[0] -= amount
            ok = True
        else:
            ok = False
        expect(ok == allowed)

    return Spec(0, [0], [Rule("deposit", deposit, [("amount", 0, 50)]), Rule("withdraw", withdraw, [("amount", 0, 200)])],
                check=lambda s: expect(s["m"] == s["s"][0]), key=lambda m, s: (m, s[0]))


def set_spec(k):
    # system: {"items": set, "inserts": int}
    def insert(s, a):
        s["m"].add(a[0])
        sy = s["s"]
        if a[0] not in sy["items"]:
            sy["inserts"] += 1
            if sy["inserts"] != k:
                sy["items"].add(a[0])

    def remove(s, a):
        s["m"].discard(a[0])
        s["s"]["items"].discard(a[0])

    def contains(s, a):
        expect((a[0] in s["s"]["items"]) == (a[0] in s["m"]))

    return Spec(set(), {"items": set(), "inserts": 0},
                [Rule("insert", insert, [("x", 0, 20)]), Rule("remove", remove, [("x", 0, 20)]),
                 Rule("contains", contains, [("x", 0, 20)])],
                key=lambda m, s: (len(m & s["items"]), len(m - s["items"]), len(s["items"] - m), min(s["inserts"], k)))


def bump_spec(arena, t):
    def alloc(s, a):
        size = a[0]
        expected = s["m"] if s["m"] + size <= arena else None
        if expected is not None:
            s["m"] += size
        sy = s["s"]
        if sy[0] + size <= arena:
            got = sy[0]
            sy[0] += size - 1 if sy[0] + size >= t else size
        else:
            got = None
        expect(got == expected)

    def reset(s, a):
        s["m"] = 0
        s["s"][0] = 0

    return Spec(0, [0], [Rule("alloc", alloc, [("size", 1, 64)]), Rule("reset", reset)], key=lambda m, s: (m, s[0]))


def lru_spec(k):
    def put(s, a):
        key, m, c = a[0], s["m"], s["s"]
        if key in m:
            m.remove(key)
        m.append(key)
        if len(m) > k:
            m.pop(0)
        if key in c:
            c.remove(key)
        elif len(c) == k:
            c.pop()
        c.append(key)

    def get(s, a):
        key, m, c = a[0], s["m"], s["s"]
        hit = key in m
        if hit:
            m.remove(key)
            m.append(key)
        got = key in c
        if got:
            c.remove(key)
            c.append(key)
        expect(got == hit)

    return Spec([], [], [Rule("put", put, [("key", 0, 9)]), Rule("get", get, [("key", 0, 9)])],
                key=lambda m, s: relabel(m, s))


def instances():
    """(name, spec) in the Swift drawing order."""
    k = Constants(20240917)
    out = []
    for n in range(5):
        kk = k.draw(1, 60)
        out.append((f"mf_counter_{n}_at{kk}", counter_spec(kk)))
    for n in range(4):
        kk = k.draw(1, 8)
        out.append((f"mf_stack_{n}_loses{kk}", stack_spec(kk)))
    for n in range(4):
        kk = k.draw(1, 6)
        out.append((f"mf_ring_{n}_cap{kk}", ring_spec(kk)))
    for n in range(4):
        t = k.draw(1, 150)
        out.append((f"mf_bank_{n}_limit{t}", bank_spec(t)))
    for n in range(4):
        kk = k.draw(1, 8)
        out.append((f"mf_set_{n}_forgets{kk}", set_spec(kk)))
    for n in range(5):
        t = k.draw(10, 400)
        arena = t + k.draw(0, 200)
        out.append((f"mf_bump_{n}_arena{arena}_at{t}", bump_spec(arena, t)))
    for n in range(4):
        kk = k.draw(2, 5)
        out.append((f"mf_lru_{n}_cap{kk}", lru_spec(kk)))
    return out


def problems(only=()):
    out = []
    for name, spec in instances():
        if only and name not in only:
            continue
        out.append(machine_problem(name, spec.machine, spec.least_failing()))
    return out


def main():
    import argparse
    ap = argparse.ArgumentParser(description="Hypothesis twins of shrink-quality --machine-families")
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("ideals", help="print each machine's brute-force minimum")
    rp = sub.add_parser("replay", help="re-run the step lists of a --log-calls output")
    rp.add_argument("log")
    run = sub.add_parser("run", help="shrink each machine with Hypothesis")
    run.add_argument("--seeds", type=int, default=20)
    run.add_argument("--max-examples", type=int, default=1000)
    run.add_argument("--only", default="")
    run.add_argument("--json")
    run.add_argument("--swift", help="the JSON of shrink-quality --machine-families --json, printed beside")
    args = ap.parse_args()
    if args.command == "ideals":
        for name, spec in instances():
            print(name + "\t" + "; ".join(spec.least_failing()))
    elif args.command == "replay":
        try:
            log = open(args.log).read().splitlines()
        except OSError as e:
            sys.exit(f"machine_families.py: cannot read {args.log}: {e.strerror}")
        specs = dict(instances())
        current, total, bad, kinds = None, 0, [], {}
        for raw in log:
            if raw.startswith("### "):
                current = raw[4:].strip()
                if current not in specs:
                    sys.exit(f"machine_families.py: {args.log} names no machine family problem: {current}")
                continue
            mt = re.match(r"^\s+\d+ (pass|FAIL|other: the example ran out of choices or went past the choice limit)  (.*)$", raw)
            if not mt or current is None:
                continue
            lines = mt.group(2).split("; ") if mt.group(2) else []
            got = specs[current].replay(lines)
            want = "FAIL" if mt.group(1) == "FAIL" else "pass"   # an overrun ran its logged steps without failing
            total += 1
            kinds[mt.group(1)[:5]] = kinds.get(mt.group(1)[:5], 0) + 1
            if got != want:
                bad.append((current, mt.group(1), got, mt.group(2)))
        print(f"replayed {total} logged runs {kinds}; disagreements: {len(bad)}")
        for b in bad[:20]:
            print("  ", b)
        sys.exit(1 if bad else 0)
    else:
        only = [s for s in args.only.split(",") if s]
        chosen = problems(only)
        if not chosen:
            sys.exit(f"machine_families.py: no problem matches --only {args.only}")
        swift = {}
        if args.swift:
            try:
                swift = {p["name"]: p for p in json.load(open(args.swift))["problems"]}
            except (OSError, ValueError, KeyError) as e:
                sys.exit(f"machine_families.py: cannot read {args.swift} as shrink-quality JSON: {e}")
        out = []
        print(f"{'problem':32} {'Hyp found ideal  med.ff':>24}" + (f" | {'PT found ideal  med.ff':>24}" if swift else ""))
        for p in chosen:
            runs = [run_one(p, n, args.max_examples) for n in range(args.seeds)]
            s = summarise(runs)
            out.append(dict(name=p.name, runs=runs, **s))
            row = f"{p.name:32} {s['found']:>8}/{s['seeds']:<2} {s['ideal']:>5} {s['med']:>7.1f}"
            if p.name in swift:
                w = swift[p.name]
                row += f" | {w['found']:>8}/{w['seeds']:<2} {w['ideal']:>5} {w['median_calls_after_first_failure']:>7.1f}"
            print(row, flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
