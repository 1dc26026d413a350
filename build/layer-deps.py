#!/usr/bin/env python3
"""Folder-level dependencies of Rx.Ssh: which top-level folder's code names which other folder's types.

Most public types share the namespace Rx.Ssh, so `using` lines say little; this script instead
collects the types each folder declares and, per file, the identifiers its code uses (comments
and string literals removed, so XML doc crefs do not count). A type name declared in more than
one folder is resolved to the using file's own folder when it declares it, else it is ignored.

Usage: build/layer-deps.py [--edge FROM TO] [--cycles]
  no option: every edge with a count of references
  --edge A B: the files of A that name B's types, and which types
  --cycles: the folder pairs that depend on each other (direct two-way edges) and longer cycles
"""
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Rx.Ssh")
DECL = re.compile(r"\b(?:class|struct|interface|enum|record|delegate\s+[\w<>\[\]?,. ]+?)\s+([A-Z]\w*)")
IDENT = re.compile(r"\b([A-Z]\w*)\b")


def strip(code):
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    code = re.sub(r"//[^\n]*", " ", code)
    code = re.sub(r'@"(?:[^"]|"")*"', '""', code)
    code = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', code)
    code = re.sub(r"'(?:\\.|[^'\\\n])'", "''", code)
    return code


def folder_of(path):
    rel = os.path.relpath(path, ROOT)
    parts = rel.split(os.sep)
    return parts[0] if len(parts) > 1 else "(root)"


def main():
    files = []
    for d, _, names in os.walk(ROOT):
        if os.sep + "obj" in d or os.sep + "bin" in d:
            continue
        files += [os.path.join(d, n) for n in names if n.endswith(".cs")]

    declared = defaultdict(set)  # type name -> folders
    texts = {}
    for f in files:
        with open(f, encoding="utf-8") as h:
            texts[f] = strip(h.read())
        for m in DECL.finditer(texts[f]):
            declared[m.group(1)].add(folder_of(f))

    edges = defaultdict(lambda: defaultdict(set))  # (from, to) -> file -> types
    for f, text in texts.items():
        src = folder_of(f)
        for name in set(IDENT.findall(text)):
            owners = declared.get(name)
            if not owners or src in owners or len(owners) != 1:
                continue
            (dst,) = owners
            edges[(src, dst)][os.path.relpath(f, ROOT)].add(name)

    args = sys.argv[1:]
    if args[:1] == ["--edge"]:
        for file, types in sorted(edges.get((args[1], args[2]), {}).items()):
            print(f"{file}: {', '.join(sorted(types))}")
        return
    if args[:1] == ["--cycles"]:
        graph = defaultdict(set)
        for (a, b) in edges:
            graph[a].add(b)
        found = False
        for (a, b) in sorted(edges):
            if a < b and (b, a) in edges:
                found = True
                print(f"{a} <-> {b}")
        # strongly connected components (Tarjan) for longer cycles
        index, low, stack, on, comps = {}, {}, [], set(), []
        counter = [0]

        def visit(v):
            index[v] = low[v] = counter[0]
            counter[0] += 1
            stack.append(v)
            on.add(v)
            for w in graph[v]:
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))

        for v in list(graph):
            if v not in index:
                visit(v)
        for comp in comps:
            found = True
            print("cycle among: " + ", ".join(comp))
        if not found:
            print("no cycles")
        return
    for (a, b), byfile in sorted(edges.items()):
        print(f"{a} -> {b}: {sum(len(t) for t in byfile.values())} ({len(byfile)} files)")


if __name__ == "__main__":
    main()
