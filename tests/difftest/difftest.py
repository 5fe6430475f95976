#!/usr/bin/env python3
"""difftest.py - the corpus half of the differential harness: every program of
tests/difftest/corpus is loaded into the running kernel (kernel_ref) and into
ibpf, and the two verdicts (and, for accepted programs, the two results) are
compared.  Run it through run.sh, which builds what it needs.

  difftest.py --ibpf BIN --kref BIN --objdir DIR [--jobs N] [-k SUBSTR]... [-v]
              [CORPUS_FILE.c ...]

Prints, in order: false accepts (ibpf accepts, the kernel rejects), result
mismatches (the kernel's BPF_PROG_TEST_RUN, ibpf's JIT and ibpf's interpreter
do not all give the same retval and ctx out, or do not all fail), other
disagreements, soundness faults (an accepted program faulting in ibpf's checked
mode or failing its self-check), failing-instruction mismatches (both reject, at different instructions:
reported, not counted), corpus problems (the kernel's verdict is not the one a
test was written for: reported, not counted), then `N/M agree`.

Exit: 0 when agreement >= 98% and there is no false accept, no result
mismatch and no soundness fault; 1 otherwise, with the failing programs named
on `FAIL:` lines; 2 on harness errors (a corpus file that does not compile,
malformed tags); 0 with "SKIP" when the kernel's bpf() is not usable.
"""
import argparse
import concurrent.futures as cf
import glob
import os
import random
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'corpus')
DEFAULT_CTX = bytes(range(1, 65)).hex()   # 64 bytes 01 02 .. 40


def parse_corpus(path):
    """Tests of one corpus file, from their header comments."""
    text = open(path).read()
    tests, errors = [], []
    for m in re.finditer(r'/\*(.*?)\*/', text, re.S):
        body = m.group(1)
        if '@test' not in body:
            continue
        line = text.count('\n', 0, m.start()) + 1
        t = {'file': os.path.basename(path), 'line': line, 'maps': {}, 'what': '',
             'expect': None, 'msg': [], 'ctx': None, 'nondet': False, 'runfail': False}
        last = None
        for raw in body.splitlines():
            s = re.sub(r'^\s*\*?\s?', '', raw).strip()
            if not s:
                continue
            tm = re.match(r'@([\w-]+)\s*(.*)$', s)
            if not tm:
                if last == 'test':
                    t['what'] += ' ' + s
                continue
            tag, val = tm.group(1), tm.group(2).strip()
            last = tag
            if tag == 'test':
                nm = re.match(r'(\w+)\s*:?\s*(.*)$', val)
                if not nm:
                    errors.append('%s:%d: @test wants NAME: description' % (path, line))
                    break
                t['name'], t['what'] = nm.group(1), nm.group(2)
            elif tag == 'expect':
                if val not in ('accept', 'reject'):
                    errors.append('%s:%d: @expect accept|reject' % (path, line))
                t['expect'] = val
            elif tag == 'msg':
                t['msg'].append(val)
            elif tag == 'ctx':
                t['ctx'] = re.sub(r'[\s_:]', '', val).lower()
            elif tag == 'map':
                mm = re.match(r'([\w.]+)=([0-9a-fA-F\s_]*)$', val)
                if not mm:
                    errors.append('%s:%d: @map NAME=HEX' % (path, line))
                    continue
                t['maps'][mm.group(1)] = re.sub(r'[\s_]', '', mm.group(2)).lower()
            elif tag == 'nondet':
                t['nondet'] = True
            elif tag == 'runfail':
                t['runfail'] = True
            else:
                errors.append('%s:%d: unknown tag @%s' % (path, line, tag))
        if 'name' not in t:
            continue
        if t['expect'] is None:
            errors.append('%s:%d: %s has no @expect' % (path, line, t['name']))
        if t['ctx'] is None:
            t['ctx'] = DEFAULT_CTX
        if len(t['ctx']) % 2:
            errors.append('%s:%d: %s: odd number of hex digits in @ctx' % (path, line, t['name']))
        tests.append(t)
    return tests, errors


def run_one(t, args):
    k = dtlib.kernel_outcome(args.kref, t['obj'], t['name'], t['ctx'], t['maps'])
    i = dtlib.ibpf_outcome(args.ibpf, t['obj'], t['name'], t['ctx'], t['maps'],
                           engines=('default', 'interp'))
    res = {'t': t, 'k': k, 'i': i, 'soundness': None, 'engines': None}
    if i['verdict'] == 'accept':
        # the engines must agree whether or not the run succeeded (a run
        # failing on one engine only is a mismatch too)
        r2 = i['runs'].get('interp')
        if r2 is not None and not t['nondet'] and not dtlib.same_run(i['run'], r2):
            res['engines'] = 'JIT: %s / interpreter: %s' % (dtlib.show_run(i['run']), dtlib.show_run(r2))
    if i['verdict'] == 'accept' and 'error' not in i['run']:
        rng = random.Random(t['name'])
        n = len(t['ctx']) // 2
        for ctx in (t['ctx'], dtlib.random_hex(n, rng)):
            f = dtlib.checked_fault(args.ibpf, t['obj'], t['name'], ctx, t['maps'])
            if f:
                res['soundness'] = 'ctx %s: %s' % (ctx, f)
                break
            # the self-check: what the verifier proved holds at every insn,
            # on the interpreter and on the JIT's self-check build
            for engine in ('interp', 'jit'):
                sc = dtlib.ibpf_run(args.ibpf, t['obj'], t['name'], ctx, t['maps'],
                                    ('--self-check', '--engine', engine))
                if 'error' in sc and 'self-check' in sc['error']:
                    res['soundness'] = 'ctx %s (%s): %s' % (ctx, engine, sc['error'])
                    break
            if res['soundness']:
                break
    return res


def classify(r):
    k, i, t = r['k'], r['i'], r['t']
    r['agree'] = False
    r['kind'] = None
    if k['verdict'] == 'error' or i['verdict'] == 'error':
        r['kind'] = 'error'
        return
    if k['verdict'] == 'reject' and i['verdict'] == 'accept':
        r['kind'] = 'kernel-bug' if k.get('kbug') else 'false-accept'
        return
    if k['verdict'] == 'accept' and i['verdict'] == 'reject':
        r['kind'] = 'false-reject'
        return
    if k['verdict'] == 'accept':
        # the kernel against both engines (the JIT against the interpreter
        # is r['engines'], from run_one)
        runs = i.get('runs') or {'default': i['run']}
        if t['nondet'] or all(dtlib.same_run(k['run'], ri) for ri in runs.values()):
            r['agree'] = True
        else:
            r['kind'] = 'result'
        return
    r['agree'] = True
    if k.get('insn') is not None and i.get('insn') is not None and k['insn'] != i['insn']:
        r['kind'] = 'insn'


def corpus_problem(r):
    t, k = r['t'], r['k']
    if k['verdict'] == 'error':
        return None
    if t['expect'] and k['verdict'] != t['expect']:
        return 'written for the kernel to %s it; the kernel: %s' % (t['expect'], dtlib.show(k))
    if k['verdict'] == 'reject':
        for m in t['msg']:
            if m not in (k.get('msg') or ''):
                return 'kernel message lacks "%s": %s' % (m, k.get('msg'))
    if k['verdict'] == 'accept' and ('error' in k.get('run', {})) != t['runfail']:
        if t['runfail']:
            return 'written for the test run to fail, but it ran: %s' % dtlib.show_run(k['run'])
        return 'kernel accepts but the test run fails: %s' % k['run']['error']
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ibpf', required=True)
    ap.add_argument('--kref', required=True)
    ap.add_argument('--objdir', required=True)
    ap.add_argument('--jobs', '-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('-k', action='append', default=[], help='only tests whose name contains this')
    ap.add_argument('-v', action='store_true', help='print every test')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()

    files = args.files or sorted(glob.glob(os.path.join(CORPUS, '*.c')))
    tests, errors = [], []
    for f in files:
        ts, es = parse_corpus(f)
        for t in ts:
            t['src'] = f
        tests += ts
        errors += es
    seen = {}
    for t in tests:
        key = (t['file'], t['name'])
        if key in seen:
            errors.append('%s: %s defined twice' % (t['file'], t['name']))
        seen[key] = t
    names_all = {}
    for t in tests:
        names_all.setdefault(t['name'], []).append(t['file'])
    for n, fs in names_all.items():
        if len(fs) > 1:
            errors.append('test name %s used in %s' % (n, ', '.join(fs)))

    # build the corpus
    hdrs = tuple(glob.glob(os.path.join(CORPUS, '*.h')))
    srcs = sorted(set(t['src'] for t in tests))

    def build(src):
        obj = os.path.join(args.objdir, os.path.basename(src)[:-2] + '.o')
        return src, obj, dtlib.compile_bpf(src, obj, (CORPUS,), hdrs)
    objs = {}
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for src, obj, err in ex.map(build, srcs):
            if err:
                errors.append('%s: does not compile:\n%s' % (src, err))
            objs[src] = obj
    progs = {}
    for src, obj in objs.items():
        if os.path.exists(obj):
            progs[src] = set(dtlib.programs_in(obj))
    for t in tests:
        t['obj'] = objs[t['src']]
        if t['src'] in progs and t['name'] not in progs[t['src']]:
            errors.append('%s:%d: no program %s in the object' % (t['file'], t['line'], t['name']))
    for src, names in progs.items():
        tagged = set(t['name'] for t in tests if t['src'] == src)
        for n in sorted(names - tagged):
            errors.append('%s: program %s has no @test header' % (os.path.basename(src), n))
    if errors:
        print('difftest: corpus errors:')
        for e in errors:
            print('  ' + e)
        return 2
    if args.k:
        tests = [t for t in tests if any(s in t['name'] for s in args.k)]
    if not tests:
        print('difftest: no program matches')
        return 2

    probe = dtlib.kernel_probe(args.kref, tests[0]['obj'], tests[0]['name']) if tests else True
    if probe is not True:
        print('SKIP: difftest: the kernel is not reachable (%s); nothing compared' % probe)
        return 0

    results = []
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for r in ex.map(lambda t: run_one(t, args), tests):
            classify(r)
            results.append(r)
            if args.v:
                print('%-5s %-40s kernel: %s | ibpf: %s' % ('ok' if r['agree'] else 'DIFF', r['t']['name'],
                      dtlib.show(r['k'])[:100], dtlib.show(r['i'])[:100]), flush=True)

    def label(r):
        t = r['t']
        return '%s:%d %s — %s' % (t['file'], t['line'], t['name'], t['what'])

    def both(r):
        return '    kernel: %s\n    ibpf:   %s' % (dtlib.show(r['k']), dtlib.show(r['i']))

    fa = [r for r in results if r['kind'] == 'false-accept']
    fr = [r for r in results if r['kind'] == 'false-reject']
    er = [r for r in results if r['kind'] in ('error', 'kernel-bug')]
    im = [r for r in results if r['kind'] == 'insn']
    sd = [r for r in results if r['soundness']]
    cp = [(r, corpus_problem(r)) for r in results]
    cp = [(r, p) for r, p in cp if p]

    def runs(r):
        i = r['i']
        out = '    kernel:            %s' % (dtlib.show_run(r['k'].get('run')) if r['k']['verdict'] == 'accept'
                                            else dtlib.show(r['k']))
        for e, name in (('default', 'ibpf JIT:'), ('interp', 'ibpf interpreter:')):
            out += '\n    %-18s %s' % (name, dtlib.show_run((i.get('runs') or {}).get(e)))
        return out

    print('== FALSE ACCEPTS (ibpf accepts, the kernel rejects): %d' % len(fa))
    for r in fa:
        print('  ' + label(r))
        print(both(r))
    # a program both accept must give one result everywhere; ibpf's two
    # engines must agree even where the kernel rejects
    rm = [r for r in results if r['kind'] == 'result' or r['engines']]
    print('== RESULT MISMATCHES (kernel / ibpf JIT / ibpf interpreter): %d' % len(rm))
    for r in rm:
        print('  ' + label(r))
        print(runs(r))
    print('== other disagreements: %d' % (len(fr) + len(er)))
    for kind, lst in (('false reject (the kernel accepts, ibpf rejects)', fr),
                      ('tool error or kernel-internal error', er)):
        for r in lst:
            print('  [%s] %s' % (kind, label(r)))
            print(both(r))
    print('== SOUNDNESS (checked-mode fault on a program ibpf accepts): %d' % len(sd))
    for r in sd:
        print('  ' + label(r))
        print('    ' + r['soundness'])
    print('== failing-instruction mismatches (both reject; not counted): %d' % len(im))
    for r in im:
        print('  ' + label(r))
        print('    kernel insn %s: %s' % (r['k'].get('insn'), r['k'].get('msg')))
        print('    ibpf   insn %s: %s' % (r['i'].get('insn'), r['i'].get('msg')))
    print('== corpus problems (the kernel does not do what the test was written for; not counted): %d'
          % len(cp))
    for r, p in cp:
        print('  %s\n    %s' % (label(r), p))

    n, m = sum(1 for r in results if r['agree']), len(results)
    acc = sum(1 for r in results if r['k']['verdict'] == 'accept')
    rej = sum(1 for r in results if r['k']['verdict'] == 'reject')
    print('kernel: %d accepted, %d rejected' % (acc, rej))
    print('false accepts: %d' % len(fa))
    print('result mismatches: %d' % len(rm))
    print('soundness faults: %d' % len(sd))
    print('%d/%d agree' % (n, m))
    for what, lst in (('false accept', fa), ('result mismatch', rm), ('soundness fault', sd)):
        for r in lst:
            print('FAIL: %s: %s (%s:%d)' % (what, r['t']['name'], r['t']['file'], r['t']['line']))
    if m and n * 100 < 98 * m:
        print('FAIL: %d/%d agree, under 98%%' % (n, m))
    ok = m and n * 100 >= 98 * m and not fa and not rm and not sd
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
