#!/usr/bin/env python3
"""random_gen.py - randomized differential verification: generates random but
plausible BPF programs (assembly in naked functions, compiled by clang-19),
loads each into the running kernel and into ibpf, and compares.  Run it
through random.sh, which builds what it needs.

  random_gen.py --ibpf BIN --kref BIN --workdir DIR --n N --seed S
                [--jobs J] [--repro DIR] [--checked-runs K] [--keep]

A program: r6 = ctx (64 bytes), r7 = &big[0] (64-byte map value), r8/r9 =
scalars loaded from the ctx, the stack fp-64..fp-8 zeroed, then 3-12 random
statements: ALU chains (64/32-bit, imm/reg, v4 sdiv/movsx/bswap), forward
branches over statements (reg/imm, reg/reg, 64/32-bit), map-value, stack and
ctx accesses at computed offsets (bounded by masks, by branches, or not at
all), spills and fills, bounded loops, calls to static subprograms and
bpf_loop; rarely a deliberate error (uninitialized register, division by a
constant zero, bad shift, pointer arithmetic, misaligned access).

For every program: the verdicts must agree; when both accept, the kernel's
BPF_PROG_TEST_RUN and ibpf's run must give the same retval and ctx; every
program ibpf accepts also runs in ibpf's checked mode (no verification, every
access bounds-checked) on K random ctx/map contents: a checked-mode fault is a
verifier bug.  ibpf-accept/kernel-reject programs and checked faults are
printed as reproducers (corpus-format C files) and saved under --repro.

Output ends with `N/M agree`, then `false accepts: K` and `soundness
faults: K`.  Exit 1 when there is a false accept or a soundness fault.
"""
import argparse
import concurrent.futures as cf
import os
import random
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'corpus')
BATCH = 40

SUBS = r'''
SUB(rs_mask, "r0 = r1; r0 &= 63; exit;")
SUB(rs_add, "r0 = r1; r0 += r2; exit;")
SUB(rs_store, "*(u64 *)(r1 + 0) = r2; r0 = 0; exit;")
SUB(rs_load, "r0 = *(u64 *)(r1 + 0); exit;")
SUB(rs_cb, "r0 = r1; r0 &= 1; exit;")
SUB(rs_cb_bad, "r0 = r1; r0 &= 3; exit;")
'''

HEADER = '''// SPDX-License-Identifier: GPL-2.0
/* %s */
#include "difftest.h"
''' + SUBS + '''
#define RASM(name, body) ASM_PROG(name) { asm volatile(body :: ASM_OPS, \\
	[rs_cb] "i"(rs_cb), [rs_cb_bad] "i"(rs_cb_bad) : "memory"); }
'''

SCRATCH = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r8', 'r9']
ALU_OPS = ['+=', '-=', '*=', '/=', '%%=', '|=', '&=', '^=', '<<=', '>>=', 's>>=']
JMP_OPS = ['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<=', '&']


class Gen:
    def __init__(self, rng, name):
        self.rng = rng
        self.name = name
        self.out = []
        self.nlabel = 0
        self.init = set()       # registers holding an initialized scalar
        self.ptrs = set()       # registers that may hold a pointer
        self.errors = 0

    def label(self):
        self.nlabel += 1
        return '.L%s_%d' % (self.name, self.nlabel)

    def emit(self, s):
        self.out.append(s)

    def p(self, x):
        return self.rng.random() < x

    def imm(self):
        r = self.rng.random()
        if r < 0.4:
            return self.rng.randint(0, 64)
        if r < 0.6:
            return self.rng.choice([-1, -8, -64, 0x7f, 0xff, 0x100, 0xffff, 0x7fffffff, -0x80000000, 56, 57, 63])
        return self.rng.randint(-0x80000000, 0x7fffffff)

    def src_reg(self):
        return self.rng.choice(sorted(self.init)) if self.init else None

    def scalar_dst(self, exclude=()):
        cands = [r for r in sorted(self.init) if r not in exclude]
        return self.rng.choice(cands) if cands else None

    # -- statements -------------------------------------------------------
    def alu(self, exclude=()):
        rng = self.rng
        w32 = self.p(0.3)
        reg = (lambda r: 'w' + r[1:]) if w32 else (lambda r: r)
        width = 32 if w32 else 64
        if self.p(0.2) or not self.init:
            dst = rng.choice([r for r in SCRATCH if r not in exclude])
            if self.init and self.p(0.6):
                src = self.src_reg()
                if self.p(0.1):
                    # v4 sign-extending move
                    self.emit('%s = (s%d)%s' % (reg(dst), rng.choice([8, 16] + ([] if w32 else [32])), reg(src)))
                else:
                    self.emit('%s = %s' % (reg(dst), reg(src)))
            else:
                v = self.imm()
                if not w32 and self.p(0.1):
                    self.emit('%s = %d ll' % (dst, rng.getrandbits(64) - (1 << 63)))
                else:
                    self.emit('%s = %d' % (reg(dst), v))
            self.init.add(dst)
            return
        dst = self.scalar_dst(exclude)
        if dst is None:
            return
        r = rng.random()
        if r < 0.05:
            self.emit('%s = -%s' % (reg(dst), reg(dst)))
            return
        if r < 0.08:
            self.emit('%s = %s %s' % (dst, rng.choice(['be16', 'be32', 'be64', 'le16', 'le32', 'bswap16', 'bswap32']), dst))
            return
        op = rng.choice(ALU_OPS)
        if r < 0.11:
            op = rng.choice(['s/=', 's%%='])
        use_reg = self.p(0.35)
        if use_reg:
            self.emit('%s %s %s' % (reg(dst), op, reg(self.src_reg())))
            return
        if op in ('<<=', '>>=', 's>>='):
            v = rng.randint(0, width - 1)
            if self.p(0.02):
                v = rng.choice([width, width + 1, 100])
                self.errors += 1
        elif op in ('/=', '%%=', 's/=', 's%%='):
            v = self.imm() or 3
            if self.p(0.02):
                v = 0
                self.errors += 1
        elif op == '&=' and self.p(0.6):
            v = rng.choice([7, 15, 31, 63, 0x38, 0x3c, 0x3f, 0x78, 0x7f, 0xff, 0x18, 0x30, -8])
        else:
            v = self.imm()
        self.emit('%s %s %d' % (reg(dst), op, v))

    def cond(self):
        rng = self.rng
        a = self.src_reg()
        w = 'w' if self.p(0.25) else 'r'
        op = rng.choice(JMP_OPS)
        if self.p(0.3) and len(self.init) > 1:
            b = self.src_reg()
            return 'if %s%s %s %s%s' % (w, a[1:], op, w, b[1:])
        return 'if %s%s %s %d' % (w, a[1:], op, rng.choice([0, 1, 7, 8, 16, 56, 57, 63, 64, 255, -1, self.imm()]))

    def branch(self, depth):
        if not self.init:
            return self.alu()
        before = set(self.init)
        l = self.label()
        self.emit('%s goto %s' % (self.cond(), l))
        for _ in range(self.rng.randint(1, 3)):
            self.stmt(depth + 1)
        self.emit('%s:' % l)
        self.init &= before

    def index(self, bound, size):
        """r1 = an offset for an access of `size` into `bound` bytes, made
        from a scalar by a mask, a branch, both or neither: right about 60%
        of the time, subtly wrong (one too far, misaligned, negative) or
        unbounded otherwise."""
        rng = self.rng
        src = self.src_reg()
        self.emit('r1 = %s' % src)
        style = rng.random()
        skip = None
        good = self.p(0.78)
        if style < 0.45:
            top = bound - size
            if good:
                m = rng.choice([top, (1 << (top.bit_length() - 1)) - size if top > size else 0, 0x18 & top])
                m &= ~(size - 1)
            else:
                m = rng.choice([bound - 1, top + 1, bound * 2 - 1, 0x3c, 0x1f | size, 0xff, -8])
            self.emit('r1 &= %d' % m)
            if self.p(0.2):
                self.emit('r1 += %d' % (rng.choice([0, size]) if good else rng.choice([1, -8, bound])))
        elif style < 0.8:
            skip = self.label()
            c = bound - size if good else rng.choice([bound - size + 1, bound - 1, bound])
            if self.p(0.5):
                self.emit('if r1 > %d goto %s' % (c, skip))
            else:
                self.emit('if r1 s> %d goto %s' % (c, skip))
                if good or self.p(0.5):
                    self.emit('if r1 s< 0 goto %s' % skip)
            if self.p(0.2):
                self.emit('w1 = w1')
            if size > 1 and (good or self.p(0.5)):
                self.emit('r1 &= %d' % -size)
        elif style < 0.92:
            self.emit('w1 &= %d' % ((bound - size) & ~(size - 1) if good else rng.choice([bound - 1, 0xff])))
        # else: unbounded
        return skip

    def access(self, base_expr, bound, allow_store=True, fixed_base_off=0):
        rng = self.rng
        size = rng.choice([1, 2, 4, 8])
        skip = self.index(bound, size)
        self.emit('r2 = %s' % base_expr)
        if fixed_base_off:
            self.emit('r2 += %d' % fixed_base_off)
        self.emit('r2 += r1')
        off = 0 if self.p(0.85) else rng.choice([size, -size, 8])
        sz = {1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64'}[size]
        self.init.discard('r2')
        self.ptrs.add('r2')
        self.init.add('r1')
        if allow_store and self.p(0.4):
            if self.p(0.3):
                self.emit('*(%s *)(r2 %+d) = %d' % (sz, off, rng.randint(-100, 100)))
            else:
                self.emit('*(%s *)(r2 %+d) = %s' % (sz, off, self.src_reg()))
        else:
            dst = rng.choice(['r0', 'r3', 'r4', 'r8', 'r9'])
            self.emit('%s = *(%s *)(r2 %+d)' % (dst, sz, off))
            self.init.add(dst)
        if skip:
            self.emit('%s:' % skip)
            self.init.discard('r0')
            self.init.discard('r3')
            self.init.discard('r4')

    def map_access(self):
        self.access('r7', 64)

    def stack_access(self):
        if self.p(0.3):
            # fixed offset
            size = self.rng.choice([1, 2, 4, 8])
            off = -self.rng.choice([8, 16, 24, 32, 40, 48, 56, 64]) + self.rng.choice([0, 0, 0, size, 4, 8])
            sz = {1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64'}[size]
            if self.p(0.5):
                self.emit('*(%s *)(r10 %+d) = %s' % (sz, off, self.src_reg()))
            else:
                dst = self.rng.choice(['r0', 'r3', 'r8'])
                self.emit('%s = *(%s *)(r10 %+d)' % (dst, sz, off))
                self.init.add(dst)
            return
        self.access('r10', 64, fixed_base_off=-64)

    def ctx_access(self):
        rng = self.rng
        size = rng.choice([1, 2, 4, 8])
        off = rng.randrange(0, 64 // size) * size
        if self.p(0.03):
            off += 1 if size > 1 else 64     # misaligned or past our ctx
            self.errors += 1
        sz = {1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64'}[size]
        if self.p(0.5):
            self.emit('*(%s *)(r6 + %d) = %s' % (sz, off, self.src_reg()))
        else:
            dst = rng.choice(['r3', 'r8', 'r9'])
            self.emit('%s = *(%s *)(r6 + %d)' % (dst, sz, off))
            self.init.add(dst)

    def spill_fill(self):
        rng = self.rng
        off = -rng.choice([8, 16, 24, 32, 40, 48, 56, 64])
        if self.p(0.25):
            # a pointer through the stack
            self.emit('*(u64 *)(r10 %+d) = r7' % off)
            if self.p(0.3):
                self.emit('*(u%d *)(r10 %+d) = 0' % (rng.choice([8, 32]), off))
            self.emit('r3 = *(u64 *)(r10 %+d)' % off)
            self.emit('r4 = *(u%d *)(r3 + %d)' % (rng.choice([8, 64]), rng.choice([0, 8, 56, 63])))
            self.emit('*(u64 *)(r10 %+d) = 0' % off)   # no pointer bits left for later reads
            self.init.discard('r3')
            self.ptrs.add('r3')
            self.init.add('r4')
            return
        src = self.src_reg()
        self.emit('*(u64 *)(r10 %+d) = %s' % (off, src))
        for _ in range(rng.randint(0, 2)):
            self.alu()
        dst = rng.choice(['r3', 'r4', 'r8', 'r9'])
        self.emit('%s = *(u%d *)(r10 %+d)' % (dst, rng.choice([64, 64, 32]), off))
        self.init.add(dst)

    def loop(self):
        rng = self.rng
        l = self.label()
        if self.p(0.3):
            self.emit('r5 = *(u64 *)(r6 + %d)' % (8 * rng.randrange(8)))
            self.emit('r5 &= %d' % rng.choice([3, 7, 15, 31]))
            self.emit('r5 += 1')
            self.emit('%s:' % l)
            self.init.add('r5')
            for _ in range(rng.randint(1, 2)):
                self.alu(exclude=('r5',))
            self.emit('r5 -= 1')
            self.emit('if r5 != 0 goto %s' % l)
        else:
            n = rng.choice([1, 2, 5, 10, 20, 33])
            self.emit('r5 = 0')
            self.emit('%s:' % l)
            self.init.add('r5')
            for _ in range(rng.randint(1, 2)):
                if self.p(0.3):
                    # index by the counter
                    self.emit('r1 = r5')
                    self.emit('r1 &= 7')
                    self.emit('r1 <<= 3')
                    self.emit('r2 = r7')
                    self.emit('r2 += r1')
                    self.emit('r3 = *(u64 *)(r2 + 0)')
                    self.init.update(('r1', 'r3'))
                    self.init.discard('r2')
                    self.ptrs.add('r2')
                else:
                    self.alu(exclude=('r5',))
            if self.p(0.03):
                self.emit('if r5 < %d goto %s' % (n, l))    # never advances: infinite
                self.errors += 1
            else:
                self.emit('r5 += 1')
                self.emit('if r5 %s %d goto %s' % (rng.choice(['<', 's<', '!=']), n, l))

    def call(self):
        rng = self.rng
        k = rng.random()
        if k < 0.25:
            self.emit('r1 = %s' % self.src_reg())
            self.emit('call rs_mask')
        elif k < 0.45:
            self.emit('r1 = %s' % self.src_reg())
            self.emit('r2 = %s' % self.src_reg())
            self.emit('call rs_add')
        elif k < 0.65:
            if self.p(0.5):
                self.emit('r1 = r10')
                self.emit('r1 += %d' % rng.choice([-8, -16, -64, -4, 0]))
            else:
                self.emit('r1 = r7')
                self.emit('r1 += %d' % rng.choice([0, 8, 56, 60]))
            self.emit('r2 = %s' % self.src_reg())
            self.emit('call rs_store')
        elif k < 0.8:
            self.emit('r1 = r7')
            self.emit('r1 += %d' % rng.choice([0, 16, 56, 57]))
            self.emit('call rs_load')
        else:
            n = self.src_reg()
            self.emit('r1 = %s' % n)
            self.emit('r1 &= %d' % rng.choice([7, 15, 63]))
            self.emit('r2 = %%[%s] ll' % ('rs_cb_bad' if self.p(0.1) else 'rs_cb'))
            self.emit('r3 = 0')
            self.emit('r4 = 0')
            self.emit('call %[bpf_loop]')
        for r in ('r1', 'r2', 'r3', 'r4', 'r5'):
            self.init.discard(r)
            self.ptrs.discard(r)
        self.init.add('r0')

    def error(self):
        rng = self.rng
        self.errors += 1
        k = rng.random()
        if k < 0.25:
            dead = [r for r in SCRATCH if r not in self.init and r not in self.ptrs]
            if dead:
                self.emit('r3 = %s' % rng.choice(dead))
                self.init.add('r3')
                return
        if k < 0.5:
            self.emit('r2 = r7')
            self.emit('r2 %s %d' % (rng.choice(['*=', '&=', '<<=', '|=']), rng.randint(1, 8)))
            self.init.discard('r2')
            self.ptrs.add('r2')
            return
        if k < 0.7:
            self.emit('r2 = r7')
            self.emit('w2 += 8')
            self.init.discard('r2')
            self.ptrs.add('r2')
            return
        if k < 0.85:
            self.ptrs.add('r1')
            self.init.discard('r1')
            self.emit('r1 = r6')
            self.emit('r1 += 8')
            self.emit('r3 = *(u64 *)(r1 + 0)')
            self.init.add('r3')
            return
        self.emit('r3 = *(u64 *)(r10 %+d)' % rng.choice([-520, -4, 0]))
        self.init.add('r3')

    def stmt(self, depth=0):
        r = self.rng.random()
        if r < 0.38:
            self.alu()
        elif r < 0.52 and depth < 2:
            self.branch(depth)
        elif r < 0.66:
            self.map_access()
        elif r < 0.74:
            self.stack_access()
        elif r < 0.79:
            self.ctx_access()
        elif r < 0.84:
            self.spill_fill()
        elif r < 0.90 and depth == 0:
            self.loop()
        elif r < 0.96:
            self.call()
        elif r < 0.98:
            self.error()
        else:
            self.alu()

    def program(self):
        rng = self.rng
        e = self.emit
        e('r6 = r1')
        e('r1 = 0')
        for off in range(8, 88, 8):
            e('*(u64 *)(r10 - %d) = r1' % off)
        e('r2 = r10')
        e('r2 += -72')
        e('r1 = %[big] ll')
        e('call %[bpf_map_lookup_elem]')
        ok = self.label()
        e('if r0 != 0 goto %s' % ok)
        e('exit')
        e('%s:' % ok)
        e('r7 = r0')
        e('r0 = 0')
        e('r8 = *(u%d *)(r6 + %d)' % (64, 8 * rng.randrange(8)))
        e('r9 = *(u%d *)(r6 + %d)' % (rng.choice([8, 16, 32, 64]), 8 * rng.randrange(8)))
        self.init = {'r0', 'r8', 'r9'}
        for _ in range(rng.randint(3, 10)):
            self.stmt()
        outs = sorted(self.init)
        if outs:
            e('*(u64 *)(r6 + 56) = %s' % rng.choice(outs))
            e('r0 = %s' % rng.choice(outs))
        else:
            e('r0 = 0')
        e('exit')
        return self.out


def c_source(name, lines, comment):
    body = '\n'.join('\t"%s;"' % l if not l.endswith(':') else '\t"%s"' % l for l in lines)
    return '%s\nRASM(%s,\n%s)\n' % (comment, name, body)


def repro_file(p, why, k, i):
    tags = ['@test %s: random program (seed %d, #%d): %s' % (p['name'], p['seed'], p['idx'], why)]
    if k['verdict'] == 'reject':
        tags.append('@expect reject')
        if k.get('msg'):
            tags.append('@msg ' + k['msg'].split(' | ')[0][:70])
    else:
        tags.append('@expect accept')
    tags.append('@ctx ' + p['ctx'])
    tags.append('@map big=' + p['map'])
    comment = '/* ' + '\n * '.join(tags) + '\n */'
    head = (HEADER % ('reproducer from tests/difftest/random.sh (seed %d, program %d): %s.\n'
                      ' * kernel: %s\n * ibpf:   %s' % (p['seed'], p['idx'], why, dtlib.show(k)[:300],
                                                       dtlib.show(i)[:300])))
    return head + '\n' + c_source(p['name'], p['lines'], comment)


def run_program(p, args):
    maps = {'big': p['map']}
    k = dtlib.kernel_outcome(args.kref, p['obj'], p['name'], p['ctx'], maps)
    i = dtlib.ibpf_outcome(args.ibpf, p['obj'], p['name'], p['ctx'], maps)
    res = {'p': p, 'k': k, 'i': i, 'fault': None, 'engine': None}
    if i['verdict'] == 'accept' and 'error' not in i['run']:
        rng = random.Random('%d-%d-checked' % (p['seed'], p['idx']))
        runs = [(p['ctx'], p['map'])] + [(dtlib.random_hex(64, rng), dtlib.random_hex(256, rng))
                                         for _ in range(args.checked_runs)]
        for n, (ctx, mp) in enumerate(runs):
            r = dtlib.ibpf_run(args.ibpf, p['obj'], p['name'], ctx, {'big': mp}, ('--checked',))
            if 'error' in r:
                f = dtlib.checked_fault(args.ibpf, p['obj'], p['name'], ctx, {'big': mp})
                if f:
                    res['fault'] = 'ctx %s map %s: %s' % (ctx, mp, f)
                    break
            elif n == 0 and not dtlib.same_run(r, i['run']):
                res['engine'] = 'default engine: %s / checked interpreter: %s' % (
                    dtlib.show_run(i['run']), dtlib.show_run(r))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ibpf', required=True)
    ap.add_argument('--kref', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--n', type=int, default=200)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--jobs', '-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--repro', default=os.path.join(HERE, 'repro'))
    ap.add_argument('--checked-runs', type=int, default=2)
    ap.add_argument('-v', action='store_true')
    args = ap.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    rng = random.Random(args.seed)
    progs = []
    for idx in range(args.n):
        name = 'r%d_%d' % (args.seed, idx)
        g = Gen(random.Random('%d-%d' % (args.seed, idx)), name)
        lines = g.program()
        progs.append({'name': name, 'idx': idx, 'seed': args.seed, 'lines': lines,
                      'ctx': dtlib.random_hex(64, rng), 'map': dtlib.random_hex(256, rng)})

    # write and compile in batches
    batches = [progs[i:i + BATCH] for i in range(0, len(progs), BATCH)]

    def build(bi):
        b = batches[bi]
        src = os.path.join(args.workdir, 'rand_%d_%d.c' % (args.seed, bi))
        obj = src[:-2] + '.o'
        text = HEADER % ('random programs, seed %d, batch %d' % (args.seed, bi))
        for p in b:
            text += '\n' + c_source(p['name'], p['lines'], '/* %s */' % p['name'])
        with open(src, 'w') as f:
            f.write(text)
        try:
            os.unlink(obj)
        except OSError:
            pass
        err = dtlib.compile_bpf(src, obj, (CORPUS,))
        for p in b:
            p['obj'] = obj
        return bi, err
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for bi, err in ex.map(build, range(len(batches))):
            if err:
                print('random: batch %d does not compile (a generator bug):\n%s' % (bi, err[:3000]))
                return 2

    probe = dtlib.kernel_probe(args.kref, progs[0]['obj'], progs[0]['name']) if progs else True
    if probe is not True:
        print('SKIP: random difftest: the kernel is not reachable (%s)' % probe)
        return 0

    results = []
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for r in ex.map(lambda p: run_program(p, args), progs):
            results.append(r)
            if args.v:
                print('%-12s kernel: %s | ibpf: %s' % (r['p']['name'], dtlib.show(r['k'])[:90],
                      dtlib.show(r['i'])[:90]), flush=True)

    agree = 0
    fa, fr, rs, er, sd, en, kb = [], [], [], [], [], [], []
    for r in results:
        k, i = r['k'], r['i']
        if k['verdict'] == 'error' or i['verdict'] == 'error':
            er.append(r)
        elif k['verdict'] == 'reject' and i['verdict'] == 'accept' and k.get('kbug'):
            kb.append(r)
        elif k['verdict'] == 'reject' and i['verdict'] == 'accept':
            fa.append(r)
        elif k['verdict'] == 'accept' and i['verdict'] == 'reject':
            fr.append(r)
        elif k['verdict'] == 'accept' and not dtlib.same_run(k['run'], i['run']):
            rs.append(r)
        else:
            agree += 1
        if r['fault']:
            sd.append(r)
        if r['engine']:
            en.append(r)

    os.makedirs(args.repro, exist_ok=True)

    def save(r, why, suffix):
        p = r['p']
        text = repro_file(p, why, r['k'], r['i'])
        path = os.path.join(args.repro, '%s%s.c' % (p['name'], suffix))
        with open(path, 'w') as f:
            f.write(text)
        return path, text

    print('== FALSE ACCEPTS (ibpf accepts, the kernel rejects): %d' % len(fa))
    for r in fa:
        path, text = save(r, 'ibpf accepts, the kernel rejects', '')
        print('-- %s (saved as %s)' % (r['p']['name'], os.path.relpath(path)))
        print('   kernel: %s\n   ibpf:   %s' % (dtlib.show(r['k']), dtlib.show(r['i'])))
        print(text)
    print('== SOUNDNESS (checked-mode fault on a program ibpf accepts): %d' % len(sd))
    for r in sd:
        path, text = save(r, 'checked-mode fault: ' + r['fault'][-120:], '-fault')
        print('-- %s (saved as %s)\n   %s' % (r['p']['name'], os.path.relpath(path), r['fault']))
        print(text)
    print('== other disagreements: %d' % (len(fr) + len(rs) + len(er) + len(kb)))
    for kind, lst in (('false reject', fr), ('different result', rs), ('tool error', er),
                      ('kernel-internal error (a kernel bug, not a verdict)', kb)):
        for r in lst:
            print('  [%s] %s\n    kernel: %s\n    ibpf:   %s' % (kind, r['p']['name'], dtlib.show(r['k']),
                                                           dtlib.show(r['i'])))
    if en:
        print('== ibpf engines disagree (default vs checked interpreter): %d' % len(en))
        for r in en:
            print('  %s: %s' % (r['p']['name'], r['engine']))
    if fa:
        groups = {}
        for r in fa:
            key = re.sub(r'-?\b(0x[0-9a-f]+|\d+)\b', 'N', (r['k'].get('msg') or '').split(' | ')[0])[:80]
            groups.setdefault(key, []).append(r['p']['name'])
        print('== false accepts by the kernel\'s message:')
        for key, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print('  %3d  %s  (%s)' % (len(names), key, ' '.join(names[:6]) + (' ...' if len(names) > 6 else '')))
    acc = sum(1 for r in results if r['k']['verdict'] == 'accept')
    print('programs in %s (seed %d): kernel accepted %d, rejected %d' % (args.workdir, args.seed, acc,
                                                                        len(results) - acc))
    print('false accepts: %d' % len(fa))
    print('soundness faults: %d' % len(sd))
    print('%d/%d agree' % (agree, len(results)))
    return 1 if fa or sd else 0


if __name__ == '__main__':
    sys.exit(main())
