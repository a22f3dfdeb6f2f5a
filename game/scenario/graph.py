"""Plain graph helpers over {node: [successor, ...]}, iterative so big scenarios cannot overflow the stack."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def reachable(starts: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen = set(starts)
    todo = list(seen)
    while todo:
        for successor in edges.get(todo.pop(), ()):
            if successor not in seen:
                seen.add(successor)
                todo.append(successor)
    return seen


def reverse(edges: Mapping[str, list[str]]) -> dict[str, list[str]]:
    backwards: dict[str, list[str]] = {node: [] for node in edges}
    for node, successors in edges.items():
        for successor in successors:
            backwards.setdefault(successor, []).append(node)
    return backwards


def strongly_connected(edges: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(edges.get(successor, ()))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def nodes_on_cycles(edges: Mapping[str, list[str]]) -> set[str]:
    """Nodes that can be visited more than once."""
    cyclic: set[str] = set()
    for component in strongly_connected(edges):
        if len(component) > 1 or component[0] in edges.get(component[0], ()):
            cyclic.update(component)
    return cyclic
