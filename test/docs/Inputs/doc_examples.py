#!/usr/bin/env python3
"""Turns the ```mlir examples of a generated dialect reference into a module.

Usage: doc_examples.py KilnDialect.md > examples.mlir

Every `### `kiln.<op>`` section of the markdown must hold at least one
```mlir block. Each block becomes a function whose arguments are the values
the example uses without defining; their types come from the example's own
type list, which for kiln ops names the operand types in operand order
(`: type(lhs), type(rhs) -> type(result)`, `: type(input)`, ...). Feeding
the module to kiln-opt then checks that every example parses and verifies.
"""

import re
import sys

SECTION = re.compile(r"^### `([a-z_]+\.[a-z0-9_]+)`")
DEFINITION = re.compile(r"^\s*(%[\w.]+)\s*=")
VALUE = re.compile(r"%[\w.]+")
OPEN, CLOSE = "<[{(", ">]})"


def split_top_level(text, separators):
    """Splits `text` at any of `separators` outside brackets."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if text.startswith("->", i) and "->" not in separators:
            i += 2  # The `>` of an arrow closes nothing.
            continue
        if depth == 0:
            sep = next((s for s in separators if text.startswith(s, i)), None)
            if sep:
                parts.append(text[start:i])
                i += len(sep)
                start = i
                continue
        if text[i] in OPEN:
            depth += 1
        elif text[i] in CLOSE:
            depth -= 1
        i += 1
    parts.append(text[start:])
    return parts


def statements(example):
    """Joins continuation lines: a statement starts with `%name =`."""
    result = []
    for line in example.splitlines():
        if not line.strip():
            continue
        if DEFINITION.match(line) or not result:
            result.append(line.strip())
        else:
            result[-1] += " " + line.strip()
    return result


def to_function(name, example):
    defined, arguments, body = set(), {}, []
    for stmt in statements(example):
        lhs, _, rhs = stmt.partition("=")
        parts = split_top_level(rhs, [" : "])
        if len(parts) != 2:
            raise ValueError(f"{name}: no ` : ` type list in `{stmt}`")
        uses = [v for v in VALUE.findall(parts[0])]
        types_part = split_top_level(parts[1], ["->", " to "])[0]
        types = [t.strip() for t in split_top_level(types_part, [","])]
        undefined = [v for v in uses if v not in defined]
        if undefined:
            if len(uses) != len(types):
                raise ValueError(f"{name}: {len(uses)} operands but "
                                 f"{len(types)} operand types in `{stmt}`")
            for value, type_ in zip(uses, types):
                if value not in defined and arguments.setdefault(
                        value, type_) != type_:
                    raise ValueError(f"{name}: {value} used with two types")
        defined.update(VALUE.findall(lhs))
        body.append(stmt)
    args = ", ".join(f"{v}: {t}" for v, t in arguments.items())
    lines = [f"func.func @{name}({args}) {{"]
    lines += [f"  {stmt}" for stmt in body]
    lines += ["  return", "}"]
    return "\n".join(lines)


def main():
    markdown = open(sys.argv[1]).read()
    examples, op = {}, None
    in_block, block = False, []
    for line in markdown.splitlines():
        section = SECTION.match(line)
        if section:
            op = section.group(1)
            examples.setdefault(op, [])
        elif line.startswith("```mlir"):
            in_block, block = True, []
        elif in_block and line.startswith("```"):
            in_block = False
            if op:
                examples[op].append("\n".join(block))
        elif in_block:
            block.append(line)
    if not examples:
        sys.exit(f"error: no op sections in {sys.argv[1]}")
    missing = [op for op, blocks in examples.items() if not blocks]
    if missing:
        sys.exit("error: ops without an ```mlir example: " + ", ".join(missing))
    try:
        for op, blocks in sorted(examples.items()):
            for i, example in enumerate(blocks):
                name = f"{op.replace('.', '_')}_example{i}"
                print(f"// {op}\n{to_function(name, example)}\n")
    except ValueError as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
