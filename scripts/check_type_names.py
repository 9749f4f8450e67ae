#!/usr/bin/env python3
"""Fails when two files under src/ define a class or struct of the same name outside an anonymous namespace.

Every layer is in `namespace kql` today, so two layers defining `struct Pipeline` is an ODR violation: the linker
keeps one inline constructor for both and the wrong one runs (it overflowed the stack in the fuzz build).
Usage: scripts/check_type_names.py [SRC_DIR]   (default: src/ next to this script)
"""
import os
import re
import sys

DEFINITION = re.compile(r'\b(?:struct|class)\s+(?:alignas\([^)]*\)\s+)?([A-Za-z_][\w:]*)\s*(?:final\s*)?(?::[^;{]*)?\{')
NAMESPACE = re.compile(r'\bnamespace\s*([A-Za-z_][\w:]*)?\s*\{')


def StripCommentsAndStrings(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    text = re.sub(r'R"(\w*)\((?:.|\n)*?\)\1"', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)


def NamespaceScopeTypes(path):
    """Yields (name, line) of types defined directly at namespace scope, not inside an anonymous namespace."""
    text = StripCommentsAndStrings(open(path, encoding='utf-8', errors='replace').read())
    # A stack of scopes: 'ns' (named namespace), 'anon' (anonymous namespace) or 'other' (class, function, ...).
    stack = []
    position = 0
    while True:
        brace = re.compile(r'[{}]').search(text, position)
        if not brace:
            return
        if brace.group(0) == '}':
            if stack:
                stack.pop()
            position = brace.end()
            continue
        # The statement that opens this brace: text since the last ';', '{' or '}'.
        start = max(text.rfind(ch, 0, brace.start()) for ch in ';{}') + 1
        head = text[start:brace.end()]
        namespace = NAMESPACE.search(head)
        if namespace:
            stack.append('ns' if namespace.group(1) else 'anon')
        else:
            definition = DEFINITION.search(head)
            # `struct Outer::Inner {` defines a nested type, named by its outer one.
            if definition and '::' not in definition.group(1) and all(scope == 'ns' for scope in stack) and 'enum' not in head.split(definition.group(0))[0]:
                yield definition.group(1).rstrip(':'), text.count('\n', 0, brace.start()) + 1
            stack.append('other')
        position = brace.end()


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    seen = {}
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith(('.h', '.cpp')):
                path = os.path.join(folder, name)
                for type_name, line in NamespaceScopeTypes(path):
                    seen.setdefault(type_name, []).append(f'{os.path.relpath(path, root)}:{line}')
    clashes = {name: places for name, places in seen.items() if len({p.rsplit(':', 1)[0] for p in places}) > 1}
    for name, places in sorted(clashes.items()):
        print(f'type {name} is defined in more than one file (ODR clash): ' + ', '.join(places))
    if clashes:
        return 1
    print(f'{len(seen)} namespace-scope types, all names unique')
    return 0


if __name__ == '__main__':
    sys.exit(main())
