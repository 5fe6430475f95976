#!/usr/bin/env python3
"""archcheck.py - the architecture's rules, checked (ARCHITECTURE.md).

  scripts/archcheck.py [--build DIR] [--report]

Rules:
  1. Folders under src/ form layers: a folder may include from and call into
     only its own layer's folders or lower ones (LAYERS below).  Arrows are
     measured twice: by #include "dir/x.h" and by symbols (nm on the built
     objects: which folder defines what another folder's objects use).
  2. No cycle among the verifier's files by calls (nm: a file's undefined
     symbols resolved to the verifier file defining them).
  3. The CLI (tools/ibpf) includes only the public headers (include/ibpf/).
  4. No source file over 1,500 lines; no function over 100 lines in
     src/verifier and src/jit.

Exit 0 when every rule holds, 1 otherwise (each violation on its own line).
--report prints the measured graphs as well.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

# Bottom to top.  A folder may use folders of its own rank or below; folders
# sharing a rank must not use each other (checked as a cycle-free pair).
LAYERS = [
    ['isa'],
    ['maps', 'btf'],
    ['prog'],
    ['elf'],
    ['runtime'],
    ['helpers'],
    ['verifier'],
    ['vm', 'jit'],
    ['api'],
]
MAX_FILE_LINES = 1500
MAX_FUNC_LINES = 100
FUNC_LIMIT_DIRS = ('src/verifier', 'src/jit')


def rank_of(folder):
    for i, layer in enumerate(LAYERS):
        if folder in layer:
            return i
    return None


def include_edges():
    edges = {}
    for path in glob.glob('src/*/*.[ch]') + glob.glob('src/*/*.def'):
        src = path.split('/')[1]
        for line in open(path, encoding='utf-8', errors='replace'):
            m = re.match(r'\s*#\s*include\s+"([a-z_0-9]+)/[^"]+"', line)
            if m and m.group(1) != src:
                edges.setdefault((src, m.group(1)), []).append(path)
    return edges


def nm_symbols(obj):
    out = subprocess.run(['nm', obj], capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == 'U':
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in 'TDBR':
            defined.add(parts[2])
    return defined, undefined


def symbol_graph(build, files):
    """files: source paths; returns {(a, b): [symbols]} between source files."""
    defs, uses = {}, {}
    for f in files:
        obj = os.path.join(build, f[:-2] + '.o')
        if not os.path.exists(obj):
            continue
        d, u = nm_symbols(obj)
        for s in d:
            defs[s] = f
        uses[f] = u
    edges = {}
    for f, u in uses.items():
        for s in u:
            g = defs.get(s)
            if g and g != f:
                edges.setdefault((f, g), []).append(s)
    return edges


def find_cycle(nodes, edges):
    adj = {n: sorted({b for (a, b) in edges if a == n}) for n in nodes}
    color, stack = {}, []

    def dfs(n):
        color[n] = 1
        stack.append(n)
        for m in adj.get(n, []):
            if color.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if not color.get(m):
                c = dfs(m)
                if c:
                    return c
        stack.pop()
        color[n] = 2
        return None

    for n in sorted(nodes):
        if not color.get(n):
            c = dfs(n)
            if c:
                return c
    return None


def long_functions(path):
    """(name, first line, length) of each top-level function body in path
    (kernel style: the body's braces sit in column 0)."""
    res = []
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    start = None
    for i, line in enumerate(lines):
        if line.startswith('{'):
            start = i
        elif line.startswith('}') and start is not None:
            head = ' '.join(lines[max(0, start - 3):start])
            m = re.findall(r'([A-Za-z_][A-Za-z_0-9]*)\s*\(', head)
            name = m[0] if m else '?'
            n = i - start + 1
            if n > MAX_FUNC_LINES and not re.search(r'\b(struct|enum|union)\b[^(]*=\s*$|=\s*$',
                                                     lines[start - 1] if start else ''):
                res.append((name, start + 1, n))
            start = None
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--report', action='store_true')
    args = ap.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    bad = []

    folders = sorted(d for d in os.listdir('src') if os.path.isdir('src/' + d))
    for f in folders:
        if rank_of(f) is None:
            bad.append('src/%s: a folder not in any layer (scripts/archcheck.py LAYERS)' % f)

    # 1. folder arrows, by includes and by symbols
    lib_src = sorted(glob.glob('src/*/*.c'))
    inc = include_edges()
    sym_files = symbol_graph(args.build, lib_src)
    sym = {}
    for (a, b), ss in sym_files.items():
        fa, fb = a.split('/')[1], b.split('/')[1]
        if fa != fb:
            sym.setdefault((fa, fb), []).extend('%s -> %s' % (a, s) for s in ss)
    if not sym_files:
        bad.append('no objects under %s/src: build first (make)' % args.build)
    for kind, edges in (('includes', inc), ('calls', sym)):
        for (a, b), why in sorted(edges.items()):
            ra, rb = rank_of(a), rank_of(b)
            if ra is None or rb is None:
                continue
            if ra < rb:
                bad.append('src/%s %s src/%s, a higher layer (%s)' % (a, kind, b, why[0]))
        c = find_cycle(folders, edges)
        if c:
            bad.append('folder cycle by %s: %s' % (kind, ' -> '.join(c)))
    if args.report:
        print('folder arrows (includes):')
        for (a, b), why in sorted(inc.items()):
            print('  %-9s -> %-9s %s' % (a, b, why[0]))
        print('folder arrows (calls):')
        for (a, b), why in sorted(sym.items()):
            print('  %-9s -> %-9s %d symbols, e.g. %s' % (a, b, len(why), why[0]))

    # 2. verifier files: no call cycle
    vfiles = sorted(glob.glob('src/verifier/*.c'))
    vedges = symbol_graph(args.build, vfiles)
    c = find_cycle(vfiles, vedges)
    if c:
        bad.append('verifier call cycle: %s' % ' -> '.join(os.path.basename(x) for x in c))
    if args.report:
        print('verifier file calls:')
        for (a, b), ss in sorted(vedges.items()):
            print('  %-28s -> %-28s %s' % (a, b, ', '.join(sorted(ss)[:4])))

    # 3. the CLI: public headers only
    for path in sorted(glob.glob('tools/ibpf/*.[ch]')):
        for n, line in enumerate(open(path, encoding='utf-8'), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and not m.group(1).startswith('ibpf/') and '/' in m.group(1):
                bad.append('%s:%d: the CLI includes an internal header "%s"' % (path, n, m.group(1)))

    # 4. sizes
    for path in sorted(glob.glob('src/*/*.[ch]') + glob.glob('tools/ibpf/*.[ch]')):
        n = sum(1 for _ in open(path, encoding='utf-8', errors='replace'))
        if n > MAX_FILE_LINES:
            bad.append('%s: %d lines (limit %d)' % (path, n, MAX_FILE_LINES))
    for d in FUNC_LIMIT_DIRS:
        for path in sorted(glob.glob(d + '/*.[ch]')):
            for name, line, n in long_functions(path):
                bad.append('%s:%d: %s() is %d lines (limit %d)' % (path, line, name, n,
                                                                 MAX_FUNC_LINES))

    for b in bad:
        print('archcheck: ' + b)
    print('archcheck: %s' % ('ok' if not bad else '%d violations' % len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
