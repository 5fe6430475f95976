"""dtlib - the pieces shared by the corpus harness (difftest.py) and the random
differential verifier (random_gen.py): compiling BPF C, loading and running a
program in the running kernel (through kernel_ref) and in ibpf, reading both
verifier logs, and comparing the two outcomes.

An outcome is a dict:
  verdict   'accept' | 'reject' | 'error' (the tool itself failed: crash,
            timeout, bad usage)
  insn      the first failing instruction of a rejected program: the last
            `N: (op)` line of the log before the error, else the `insn N` the
            error names (cfg errors), else None
  msg       the error message (rejected) or the run error (accepted)
  log       the whole log (rejected)
  run       for accepted programs: {'retval': int32, 'ctx_out': hex} or
            {'error': text} when the run itself failed
"""
import json
import os
import random
import re
import subprocess
import tempfile

CLANG = os.environ.get('CLANG19', 'clang-19')
LLVM_OBJDUMP = os.environ.get('LLVM_OBJDUMP', 'llvm-objdump-19')
TIMEOUT = int(os.environ.get('DIFFTEST_TIMEOUT', '60'))


def multiarch():
    try:
        out = subprocess.run(['gcc', '-dumpmachine'], capture_output=True, text=True).stdout.strip()
        return out or 'x86_64-linux-gnu'
    except OSError:
        return 'x86_64-linux-gnu'


def bpf_cflags(incdirs=()):
    flags = ['--target=bpf', '-O2', '-g', '-mcpu=v3', '-I/usr/include/' + multiarch()]
    for d in incdirs:
        flags.append('-I' + d)
    return flags + ['-Wall', '-Wno-unused-function', '-Wno-unused-variable']


def compile_bpf(src, obj, incdirs=(), deps=()):
    """Compile src to obj unless obj is newer than src and deps.
    Returns None on success, else clang's message."""
    try:
        ot = os.path.getmtime(obj)
        if all(os.path.getmtime(f) < ot for f in (src,) + tuple(deps)):
            return None
    except OSError:
        pass
    os.makedirs(os.path.dirname(obj) or '.', exist_ok=True)
    p = subprocess.run([CLANG] + bpf_cflags(incdirs) + ['-c', src, '-o', obj],
                       capture_output=True, text=True)
    if p.returncode:
        try:
            os.unlink(obj)
        except OSError:
            pass
        return (p.stderr or p.stdout).strip() or 'clang failed'
    return None


def programs_in(obj):
    """Names of the SEC("syscall") programs (global functions) of an object."""
    p = subprocess.run([LLVM_OBJDUMP, '-t', obj], capture_output=True, text=True)
    names = []
    for line in p.stdout.splitlines():
        m = re.match(r'^[0-9a-f]+\s+g\s+F\s+syscall\s+[0-9a-f]+\s+(\S+)$', line)
        if m:
            names.append(m.group(1))
    return names


# ---- logs -------------------------------------------------------------------

INSN_RE = re.compile(r'^(\d+): (\([0-9a-f]{2}\)|BUG_)')
NOISE_RE = re.compile(r'^(\d+: R\d|\d+: frame\d|from \d+ to \d+|;|mark_precise|last_idx|'
                      r'parent |regs=|func#|Func#|Validating |Live regs|caller:|callee:|'
                      r'returning from callee|to caller at|\s*frame\d|\s*R\d+=|\d+: safe)')
CFG_INSN_RE = re.compile(r'\binsn[ #]?(\d+)')


def analyze_log(log):
    """(insn, msg) of a rejected program's verifier log (kernel or ibpf)."""
    lines = [l.rstrip() for l in log.splitlines()]
    end = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if re.match(r'^processed \d+ insns', lines[i]):
            end = i
            break
    last = None
    last_idx = -1
    for i in range(end):
        m = INSN_RE.match(lines[i])
        if m:
            last = int(m.group(1))
            last_idx = i
    err = [l for l in lines[last_idx + 1:end] if l.strip() and not NOISE_RE.match(l)]
    if not err:
        err = [l for l in lines[:end] if l.strip() and not NOISE_RE.match(l) and not INSN_RE.match(l)]
        err = err[-1:]
    msg = ' | '.join(err[-4:]) if err else ''
    m = re.search(r'infinite loop detected at insn (\d+)', msg)
    if m:
        # detected on arrival at an instruction not printed yet
        last = int(m.group(1))
    if last is None:
        m = CFG_INSN_RE.search(msg)
        if m:
            last = int(m.group(1))
    return last, msg


def int32(v):
    v &= 0xffffffff
    return v - (1 << 32) if v & 0x80000000 else v


def _map_args(maps, tmpdir):
    args = []
    for name, hexval in sorted(maps.items()):
        path = os.path.join(tmpdir, 'map_' + re.sub(r'[^A-Za-z0-9_]', '_', name) + '.bin')
        with open(path, 'wb') as f:
            f.write(bytes.fromhex(hexval))
        args += ['--map', '%s=@%s' % (name, path)]
    return args


def _run(cmd, timeout=TIMEOUT):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return None, '', 'timed out after %d s' % timeout


def kernel_probe(kref, obj, prog):
    """True when the kernel's bpf() works here; else the reason (a string)."""
    rc, out, err = _run([kref, 'run', obj, '--prog', prog, '--ctx', '00' * 64])
    if rc == 3:
        return err.strip().splitlines()[-1] if err.strip() else 'kernel BPF unavailable'
    if rc is None:
        return 'kernel_ref timed out'
    return True


def kernel_outcome(kref, obj, prog, ctx_hex, maps):
    with tempfile.TemporaryDirectory(prefix='dt-k.') as tmp:
        cmd = [kref, 'run', obj, '--prog', prog, '--json', '--ctx', ctx_hex] + _map_args(maps, tmp)
        rc, out, err = _run(cmd)
    if rc is None:
        return {'verdict': 'error', 'msg': 'kernel_ref ' + err, 'insn': None}
    if rc == 0:
        try:
            j = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {'verdict': 'error', 'msg': 'kernel_ref printed no JSON: ' + out[-300:], 'insn': None}
        return {'verdict': 'accept', 'run': {'retval': int32(j['retval']), 'ctx_out': j['ctx_out'].lower()},
                'verified_insns': j.get('verified_insns')}
    if rc == 3:
        return {'verdict': 'error', 'msg': 'kernel BPF unavailable', 'insn': None}
    if rc == 1 and 'kernel_ref: test run:' in err:
        line = [l for l in err.splitlines() if 'kernel_ref: test run:' in l][-1]
        return {'verdict': 'accept', 'run': {'error': line.split('test run:', 1)[1].strip()}}
    if rc == 1:
        m = re.search(r'-- BEGIN PROG LOAD LOG --\n(.*?)-- END PROG LOAD LOG --', err, re.S)
        if m and m.group(1).strip():
            insn, msg = analyze_log(m.group(1))
            # the kernel's own internal errors ("verifier bug: ...", EFAULT)
            # are kernel bugs, not a verdict about the program
            kbug = 'verifier bug' in msg or 'verifier internal error' in msg
            return {'verdict': 'reject', 'insn': insn, 'msg': msg, 'log': m.group(1), 'kbug': kbug}
        # refused before the verifier (libbpf, or a load error without a log)
        lines = [l for l in err.splitlines()
                 if l.strip() and 'BTF' not in l and not l.startswith('kernel_ref: load')]
        msg = ' | '.join(lines[-3:]) if lines else err.strip()[-300:]
        m2 = CFG_INSN_RE.search(msg)
        return {'verdict': 'reject', 'insn': int(m2.group(1)) if m2 else None, 'msg': msg, 'log': err}
    return {'verdict': 'error', 'msg': 'kernel_ref exit %s: %s' % (rc, err.strip()[-300:]), 'insn': None}


def ibpf_verify(ibpf, obj, prog, level=1):
    rc, out, err = _run([ibpf, 'verify', obj, '--prog', prog, '--log-level', str(level)])
    if rc is None:
        return {'verdict': 'error', 'msg': 'ibpf verify ' + err, 'insn': None}
    if rc == 0:
        return {'verdict': 'accept', 'log': out}
    if rc in (1, 2):
        if out.strip():
            insn, msg = analyze_log(out)
            if rc == 2 and err.strip():
                msg = (msg + ' | ' if msg else '') + err.strip().splitlines()[-1]
        else:
            msg = err.strip().splitlines()[-1] if err.strip() else 'rejected (no message)'
            m = CFG_INSN_RE.search(msg)
            insn = int(m.group(1)) if m else None
        return {'verdict': 'reject', 'insn': insn, 'msg': msg, 'log': out + err, 'exit': rc}
    return {'verdict': 'error', 'msg': 'ibpf verify exit %s (crash?): %s' % (rc, (err or out).strip()[-300:]),
            'insn': None}


def ibpf_run(ibpf, obj, prog, ctx_hex, maps, extra=()):
    with tempfile.TemporaryDirectory(prefix='dt-i.') as tmp:
        cmd = [ibpf, 'run', obj, '--prog', prog, '--json', '--ctx', ctx_hex] + _map_args(maps, tmp) + list(extra)
        rc, out, err = _run(cmd)
    if rc == 0:
        try:
            j = json.loads(out.strip().splitlines()[-1])
            return {'retval': int32(j['retval']), 'ctx_out': j['ctx_out'].lower()}
        except (ValueError, IndexError, KeyError):
            return {'error': 'ibpf run printed no JSON: ' + out[-300:]}
    if rc is None:
        return {'error': 'ibpf run ' + err, 'crash': True}
    if rc in (1, 2):
        return {'error': err.strip().splitlines()[-1] if err.strip() else 'run failed (exit %d)' % rc}
    return {'error': 'ibpf run exit %s (crash?): %s' % (rc, err.strip()[-300:]), 'crash': True}


def ibpf_outcome(ibpf, obj, prog, ctx_hex, maps, engines=('default',)):
    o = ibpf_verify(ibpf, obj, prog)
    if o['verdict'] == 'accept':
        runs = {}
        for e in engines:
            runs[e] = ibpf_run(ibpf, obj, prog, ctx_hex, maps, () if e == 'default' else ('--engine', e))
        o['run'] = runs[engines[0]]
        o['runs'] = runs
    return o


def random_hex(n, rng):
    """Random bytes, biased towards small and boundary values."""
    out = bytearray()
    while len(out) < n:
        k = rng.random()
        if k < 0.3:
            w = rng.choice([0, 1, 2, 7, 8, 15, 16, 31, 63, 64, 255, 256])
        elif k < 0.45:
            w = rng.choice([-1, -2, -8, -64, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32, (1 << 63) - 1, 1 << 63])
        else:
            w = rng.getrandbits(64)
        out += (w & ((1 << 64) - 1)).to_bytes(8, 'little')
    return bytes(out[:n]).hex()


def checked_fault(ibpf, obj, prog, ctx_hex, maps):
    """Run in ibpf's checked mode (no verification, every access checked).
    Returns None when the run is clean, else the fault text."""
    r = ibpf_run(ibpf, obj, prog, ctx_hex, maps, ('--checked',))
    if 'error' not in r:
        return None
    e = r['error']
    # the checked-mode instruction cap is not a memory fault
    if re.search(r'instruction limit|insn limit|too many instructions|executed more than', e, re.I):
        return None
    return e


def same_run(a, b):
    """Both runs are the same result (both failed counts as the same)."""
    if 'error' in a or 'error' in b:
        return ('error' in a) == ('error' in b)
    return a['retval'] == b['retval'] and a['ctx_out'] == b['ctx_out']


def show_run(r):
    if r is None:
        return '-'
    if 'error' in r:
        return 'run failed: ' + r['error']
    return 'retval %d ctx_out %s' % (r['retval'], r['ctx_out'])


def show(o):
    if o['verdict'] == 'accept':
        return 'accepted; ' + show_run(o.get('run'))
    if o['verdict'] == 'reject':
        return 'rejected at insn %s: %s' % (o.get('insn'), o.get('msg'))
    return 'ERROR: ' + o.get('msg', '')
