/* test_jit.c - the x86-64 JIT against the interpreter: every instruction on
 * raw programs (each op on every interesting register pair and value pair,
 * the registers it must not touch included), memory and atomics, calls,
 * callx and faults, the example objects, and a randomized differential test.
 * Both engines run with IBPF_RUN_TRUSTED (the JIT's only mode until the
 * verifier lands) and must agree on rc, r0, the fault message and memory. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "core/object.h"
#include "alu_cases.h"
#include "insn_build.h"
#include "isa/disasm.h"
#include "isa/isa.h"
#include "jit/jit_internal.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct outcome {
	int rc;
	uint64_t r0;
	char log[256];
	char trace[512];
};

/* Run raw instructions on one engine; mem is the program's memory (r1). */
static void run_raw_engine(const struct bpf_insn *insns, size_t n, int engine, void *mem,
			   uint32_t len, struct outcome *out)
{
	struct ibpf_object *obj = ibpf_object__open_raw(insns, n, NULL);

	memset(out, 0, sizeof(*out));
	if (!obj) {
		out->rc = -errno;
		snprintf(out->log, sizeof(out->log), "open_raw failed");
		return;
	}
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = mem, .ctx_size_in = len, .ctx_out = mem,
		  .ctx_size_out = len, .log_buf = out->log, .log_size = sizeof(out->log),
		  .trace_buf = out->trace, .trace_size = sizeof(out->trace),
		  .flags = IBPF_RUN_TRUSTED, .engine = engine);
	out->rc = ibpf_prog_test_run_opts(ibpf_object__next_program(obj, NULL), &o);
	out->r0 = o.retval;
	ibpf_object__close(obj);
}

static int maps_equal(const struct ibpf_object *a, const struct ibpf_object *b);

static void print_prog(const struct bpf_insn *insns, size_t n)
{
	struct ibpf_insn *dec = calloc(n + 1, sizeof(*dec));
	char err[256], line[256];

	if (!dec || ibpf_decode_program(insns, n, dec, err, sizeof(err))) {
		fprintf(stderr, "    (does not decode: %s)\n", dec ? err : "no memory");
		free(dec);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (ibpf_disasm(&dec[i], i, IBPF_DIALECT_XLATED, NULL, line, sizeof(line)) >= 0)
			fprintf(stderr, "    %4zu: %s\n", i, line);
	free(dec);
}

/* Run on both engines with identical copies of mem; 0 when they agree (and
 * *out holds the JIT's outcome), else prints what differs. */
static int differ(const char *what, const struct bpf_insn *insns, size_t n, const void *mem,
		  uint32_t len, struct outcome *out, int quiet)
{
	uint8_t *mi = malloc(len ? len : 1), *mj = malloc(len ? len : 1);
	struct outcome oi, oj;
	int bad = 0;

	if (!mi || !mj) {
		free(mi);
		free(mj);
		return 1;
	}
	if (len) {
		memcpy(mi, mem, len);
		memcpy(mj, mem, len);
	}
	run_raw_engine(insns, n, IBPF_ENGINE_INTERP, len ? mi : NULL, len, &oi);
	run_raw_engine(insns, n, IBPF_ENGINE_JIT, len ? mj : NULL, len, &oj);
	if (oi.rc != oj.rc || (!oi.rc && oi.r0 != oj.r0) || strcmp(oi.log, oj.log) ||
	    strcmp(oi.trace, oj.trace) || (len && memcmp(mi, mj, len)))
		bad = 1;
	if (bad && !quiet) {
		fprintf(stderr, "  %s: interp rc %d r0 0x%llx \"%s\"; jit rc %d r0 0x%llx \"%s\"\n",
			what, oi.rc, (unsigned long long)oi.r0, oi.log, oj.rc,
			(unsigned long long)oj.r0, oj.log);
		for (uint32_t i = 0; i < len; i++)
			if (mi[i] != mj[i]) {
				fprintf(stderr, "    memory differs first at byte %u\n", i);
				break;
			}
		if (n <= 64)
			print_prog(insns, n);
	}
	if (out)
		*out = oj;
	free(mi);
	free(mj);
	return bad;
}

/* ---- the interpreter's table, on both engines ------------------------------ */

TEST(jit_interp_table)
{
	const struct alu_case cases[] = {
	ALU_CASES
	/* edge cases the JIT handles specially */
	CASE("shift by zero still zero-extends", 0xffffffffull, MOV64_IMM(0, -1),
	     MOV64_IMM(3, 0), ALU32_REG(BPF_LSH, 0, 3)),
	CASE("lsh32 imm 0 zero-extends", 0xffffffffull, MOV64_IMM(0, -1), ALU32_IMM(BPF_LSH, 0, 0)),
	CASE("div32 imm 0", 0, MOV64_IMM(0, -1), ALU32_IMM(BPF_DIV, 0, 0)),
	CASE("mod32 imm 0", 0xffffffffull, MOV64_IMM(0, -1), ALU32_IMM(BPF_MOD, 0, 0)),
	CASE("sdiv64 imm -1", 0x8000000000000000ull, LD_IMM64(0, 0x8000000000000000ull),
	     RAW(BPF_ALU64 | BPF_DIV | BPF_K, 0, 0, 1, -1)),
	CASE("smod32 imm -1", 0, MOV64_IMM(0, -7), RAW(BPF_ALU | BPF_MOD | BPF_K, 0, 0, 1, -1)),
	CASE("sdiv32 INT_MIN / -1 reg", 0x80000000ull, MOV64_IMM(0, INT32_MIN), MOV64_IMM(2, -1),
	     SALU32_REG(BPF_DIV, 0, 2)),
	};
	for (size_t i = 0; i < N(cases); i++) {
		const struct alu_case *c = &cases[i];
		struct outcome o;
		if (differ(c->name, c->insns, c->n, NULL, 0, &o, 0)) {
			test_failed = 1;
			continue;
		}
		if (o.rc || o.r0 != c->expect) {
			fprintf(stderr, "  case '%s': rc %d r0 0x%llx, want 0x%llx (%s)\n", c->name,
				o.rc, (unsigned long long)o.r0, (unsigned long long)c->expect, o.log);
			test_failed = 1;
		}
	}
}

/* ---- every ALU and jump op, every special register, many values ------------ */

/* Raw encoding of a decoded op (the discriminating field filled in). */
static struct bpf_insn raw_op(enum ibpf_op op, int dst, int src, int16_t off, int32_t imm)
{
	const struct ibpf_op_info *o = &ibpf_ops[op];
	struct bpf_insn r = RAW(o->code, dst, 0, 0, 0);

	switch (o->shape) {
	case IBPF_SHAPE_ALU_K: r.imm = imm; break;
	case IBPF_SHAPE_ALU_X: r.src_reg = src; break;
	case IBPF_SHAPE_JMP_K: r.imm = imm; r.off = off; break;
	case IBPF_SHAPE_JMP_X: r.src_reg = src; r.off = off; break;
	default: break;
	}
	if (o->disc == IBPF_DISC_OFF)
		r.off = (int16_t)o->disc_val;
	else if (o->disc == IBPF_DISC_IMM)
		r.imm = o->disc_val;
	return r;
}

static const uint64_t vals[] = {
	0, 1, 7, (uint64_t)-1, (uint64_t)-7, 33, 64, 0x80000000, 0xffffffff,
	0x8000000000000000ull, 0x123456789abcdef0ull, 0xfffffffe80000003ull,
};
static const int32_t imms[] = { 0, 1, -1, 7, -7, 31, 32, 63, 0x7fffffff, INT32_MIN, 0x12345,
				 -0x8000 };
static const uint64_t init_regs[10] = {
	0x0101010101010101ull, 0x1212121212121212ull, 0x2323232323232323ull,
	0x3434343434343434ull, 0x4545454545454545ull, 0x5656565656565656ull,
	0x6767676767676767ull, 0x7878787878787878ull, 0x8989898989898989ull,
	0x9a9a9a9a9a9a9a9aull,
};

#define STEP_BYTES 88   /* r0..r9 and the jump marker */

struct gen { struct bpf_insn *p; size_t n, cap; };

static void put(struct gen *g, struct bpf_insn in)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->p = realloc(g->p, g->cap * sizeof(*g->p));
		if (!g->p)
			abort();
	}
	g->p[g->n++] = in;
}

static void put_ld64(struct gen *g, int r, uint64_t v)
{
	put(g, RAW(BPF_LD | BPF_DW | BPF_IMM, r, 0, 0, (int32_t)(uint32_t)v));
	put(g, RAW(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

/* One step: set dst and src, apply `op`, copy r0..r9 and a jump marker to
 * mem + step * STEP_BYTES (the mem pointer lives at r10-88).  The other
 * registers keep what the steps before left, the same on both engines, except
 * r1 and r2 which the copy uses: they are set again. */
static void put_step(struct gen *g, enum ibpf_op op, int dst, int src, uint64_t a, uint64_t b,
		     int32_t imm, int step)
{
	enum ibpf_shape s = ibpf_ops[op].shape;
	int is_jmp = s == IBPF_SHAPE_JMP_K || s == IBPF_SHAPE_JMP_X;

	put_ld64(g, dst, a);
	if ((s == IBPF_SHAPE_ALU_X || s == IBPF_SHAPE_JMP_X) && src != dst)
		put_ld64(g, src, b);
	if (is_jmp)
		put(g, ST_IMM(BPF_DW, 10, -96, 0));
	put(g, raw_op(op, dst, src, 1, imm));
	if (is_jmp)
		put(g, ST_IMM(BPF_DW, 10, -96, 1));
	for (int r = 0; r < 10; r++)
		put(g, STX(BPF_DW, 10, r, (int16_t)(-8 * (r + 1))));
	put(g, LDX(BPF_DW, 1, 10, -88));
	for (int k = 0; k < 11; k++) {
		put(g, LDX(BPF_DW, 2, 10, (int16_t)(-8 * (k + 1) - (k == 10 ? 8 : 0))));
		put(g, STX(BPF_DW, 1, 2, (int16_t)(step * STEP_BYTES + 8 * k)));
	}
	put_ld64(g, 1, init_regs[1] + (uint64_t)step);
	put_ld64(g, 2, init_regs[2] - (uint64_t)step);
}

/* Register pairs that exercise the JIT's fixed registers: r0/r2 are rax/rdx
 * (division), r3 is rcx (shift counts). */
static const int pairs[][2] = {
	{ 0, 0 }, { 0, 2 }, { 2, 0 }, { 3, 1 }, { 1, 3 }, { 3, 3 }, { 2, 3 }, { 3, 2 },
	{ 0, 3 }, { 3, 0 }, { 2, 2 }, { 6, 7 }, { 9, 5 }, { 5, 4 }, { 4, 1 }, { 7, 8 },
};

static int check_op_program(enum ibpf_op op, int dst, int src, int nsteps, struct gen *g,
			    const uint64_t *as, const uint64_t *bs, const int32_t *is)
{
	size_t len = (size_t)nsteps * STEP_BYTES;
	uint8_t *mem = calloc(1, len);
	uint8_t *mi = malloc(len), *mj = malloc(len);
	struct outcome oi, oj;
	int bad = 0;

	if (!mem || !mi || !mj)
		abort();
	memcpy(mi, mem, len);
	memcpy(mj, mem, len);
	run_raw_engine(g->p, g->n, IBPF_ENGINE_INTERP, mi, (uint32_t)len, &oi);
	run_raw_engine(g->p, g->n, IBPF_ENGINE_JIT, mj, (uint32_t)len, &oj);
	if (oi.rc || oj.rc) {
		fprintf(stderr, "  %s r%d r%d: rc %d / %d: %s / %s\n", ibpf_ops[op].name, dst, src,
			oi.rc, oj.rc, oi.log, oj.log);
		bad = 1;
	}
	for (int st = 0; st < nsteps && !bad; st++) {
		const uint64_t *vi = (const uint64_t *)(mi + st * STEP_BYTES);
		const uint64_t *vj = (const uint64_t *)(mj + st * STEP_BYTES);
		for (int k = 0; k < 11; k++)
			if (vi[k] != vj[k]) {
				fprintf(stderr, "  %s dst r%d src r%d a 0x%llx b 0x%llx imm %d: "
					"%s differs: interp 0x%llx jit 0x%llx\n", ibpf_ops[op].name,
					dst, src, (unsigned long long)as[st],
					(unsigned long long)bs[st], is[st],
					k == 10 ? "branch taken" : (char[]){ 'r', (char)('0' + k), 0 },
					(unsigned long long)vi[k], (unsigned long long)vj[k]);
				bad = 1;
				break;
			}
	}
	free(mem);
	free(mi);
	free(mj);
	return bad;
}

TEST(jit_every_alu_and_jump_op)
{
	int programs = 0, failures = 0;

	for (int op = 0; op < IBPF_OP__COUNT; op++) {
		enum ibpf_shape s = ibpf_ops[op].shape;
		int is_x = s == IBPF_SHAPE_ALU_X || s == IBPF_SHAPE_JMP_X;
		int is_k = s == IBPF_SHAPE_ALU_K || s == IBPF_SHAPE_JMP_K;

		if (!is_x && !is_k && s != IBPF_SHAPE_ALU_NEG && s != IBPF_SHAPE_ALU_END)
			continue;
		for (size_t pi = 0; pi < N(pairs); pi++) {
			int dst = pairs[pi][0], src = pairs[pi][1];
			uint64_t as[N(vals) * N(vals)], bs[N(vals) * N(vals)];
			int32_t is[N(vals) * N(vals)];
			struct gen g = { 0 };
			int steps = 0;

			/* K and one-operand forms only care about dst; only
			 * division and shifts use fixed host registers. */
			const char *name = ibpf_ops[op].name;
			int fixed = strstr(name, "DIV") || strstr(name, "MOD") || strstr(name, "SH");
			if (!is_x && src != dst)
				continue;
			if (is_x && !fixed && pi % 3)
				continue;
			put(&g, STX(BPF_DW, 10, 1, -88));
			for (int r = 0; r < 10; r++)
				put_ld64(&g, r, init_regs[r]);
			for (size_t ai = 0; ai < N(vals); ai++)
				for (size_t bi = 0; bi < (is_x ? N(vals) : is_k ? N(imms) : 1); bi++) {
					as[steps] = vals[ai];
					bs[steps] = is_x ? vals[bi] : 0;
					is[steps] = is_k ? imms[bi] : 0;
					put_step(&g, (enum ibpf_op)op, dst, src, as[steps], bs[steps],
						 is[steps], steps);
					steps++;
				}
			put(&g, MOV64_IMM(0, 0));
			put(&g, EXIT_INSN());
			programs++;
			if (check_op_program((enum ibpf_op)op, dst, src, steps, &g, as, bs, is)) {
				test_failed = 1;
				if (++failures > 10) {
					free(g.p);
					return;
				}
			}
			free(g.p);
		}
	}
	printf("  %d programs\n", programs);
	CHECK(programs > 100);
}

/* ---- memory ------------------------------------------------------------------ */

TEST(jit_loads_and_stores)
{
	uint8_t mem[512];
	struct outcome o;

	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)(i * 37 + 0x80);
	/* Every size, sign-extending loads, immediate and register stores, short
	 * and long displacements, through rbp (r10) and r13 (r7) which need a
	 * displacement byte, and byte stores from sil/bpl (need REX). */
	const struct bpf_insn prog[] = {
		MOV64_REG(7, 1),
		LDX(BPF_B, 0, 7, 0), LDX(BPF_H, 2, 7, 1), LDX(BPF_W, 3, 7, 3), LDX(BPF_DW, 4, 7, 300),
		LDXS(BPF_B, 5, 7, 5), LDXS(BPF_H, 6, 7, 7), LDXS(BPF_W, 8, 7, 400),
		STX(BPF_DW, 10, 0, -8), STX(BPF_DW, 10, 2, -16), STX(BPF_DW, 10, 3, -24),
		STX(BPF_DW, 10, 4, -512), STX(BPF_DW, 10, 5, -40), STX(BPF_DW, 10, 6, -48),
		STX(BPF_DW, 10, 8, -56),
		ST_IMM(BPF_B, 7, 200, -3), ST_IMM(BPF_H, 7, 202, -3), ST_IMM(BPF_W, 7, 204, -3),
		ST_IMM(BPF_DW, 7, 208, -3), ST_IMM(BPF_DW, 7, 216, 0x7fffffff),
		MOV64_IMM(1, 0x1234abcd),
		STX(BPF_B, 7, 1, 224), STX(BPF_H, 7, 1, 226),
		/* bpl: the low byte of r10 (an address), checked in the program */
		STX(BPF_B, 7, 10, 225), LDX(BPF_B, 3, 7, 225), MOV64_REG(2, 10),
		ALU64_IMM(BPF_AND, 2, 255), ALU64_REG(BPF_SUB, 3, 2), STX(BPF_DW, 7, 3, 248),
		ST_IMM(BPF_B, 7, 225, 0x5a),
		STX(BPF_W, 7, 4, 228), STX(BPF_DW, 7, 8, 232), STX(BPF_B, 7, 6, -0 + 240),
		MOV64_REG(9, 10),
		LDX(BPF_DW, 0, 9, -8), LDX(BPF_DW, 2, 9, -16), ALU64_REG(BPF_ADD, 0, 2),
		LDX(BPF_DW, 2, 10, -24), ALU64_REG(BPF_XOR, 0, 2),
		LDX(BPF_DW, 2, 10, -512), ALU64_REG(BPF_ADD, 0, 2),
		LDXS(BPF_W, 2, 10, -40), ALU64_REG(BPF_SUB, 0, 2),
		LDX(BPF_H, 2, 10, -48), ALU64_REG(BPF_ADD, 0, 2),
		LDX(BPF_DW, 2, 10, -56), ALU64_REG(BPF_MUL, 0, 2),
		STX(BPF_DW, 7, 0, 256),
		EXIT_INSN(),
	};
	CHECK(!differ("loads and stores", prog, N(prog), mem, sizeof(mem), &o, 0));
	CHECK_EQ(o.rc, 0);
}

TEST(jit_atomics)
{
	static const int32_t ops[] = {
		BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH,
		BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG,
	};
	/* (dst, src) pairs, including r0 (rax, used by cmpxchg loops). */
	static const int regs[][2] = { { 1, 2 }, { 1, 0 }, { 0, 2 }, { 3, 4 }, { 6, 9 }, { 0, 3 } };
	int n = 0;

	for (size_t oi = 0; oi < N(ops); oi++)
		for (int sz = 0; sz < 2; sz++)
			for (size_t ri = 0; ri < N(regs); ri++)
				for (int eq = 0; eq < 2; eq++) {
					uint64_t mem[4] = { 0xf0f0f0f0a5a5a5a5ull, 0x00ff00ff12345678ull,
							    0, 0 };
					int d = regs[ri][0], s = regs[ri][1];
					int size = sz ? BPF_DW : BPF_W;
					char what[96];
					/* cmpxchg: r0 equal to memory or not */
					uint64_t r0v = eq ? (sz ? mem[1] : (uint32_t)mem[1]) | (sz ? 0 :
						0xabcd00000000ull) : 0x5555;
					const struct bpf_insn prog[] = {
						STX(BPF_DW, 10, 1, -8),
						LD_IMM64(2, 0xcafe0000beef1111ull),
						LD_IMM64(3, 0x1111222233334444ull),
						LD_IMM64(4, 0x8000000180000001ull),
						LD_IMM64(9, 0x0f0f0f0ff0f0f0f0ull),
						LD_IMM64(0, r0v),
						LDX(BPF_DW, d, 10, -8),
						ALU64_IMM(BPF_ADD, d, 4),
						ATOMIC(size, d, s, 4, ops[oi]),
						LDX(BPF_DW, 1, 10, -8),
						/* the address differs between the runs */
						d != 1 && d != s && !(d == 0 && ops[oi] == BPF_CMPXCHG) ?
						ALU64_REG(BPF_SUB, d, 1) : ALU64_IMM(BPF_ADD, 2, 0),
						STX(BPF_DW, 1, 0, 16),
						STX(BPF_DW, 1, 2, 24),
						ALU64_REG(BPF_XOR, 0, 3),
						ALU64_REG(BPF_XOR, 0, 4),
						ALU64_REG(BPF_XOR, 0, 9),
						ALU64_REG(BPF_XOR, 0, s == 1 ? 2 : s),
						EXIT_INSN(),
					};
					/* off 4 from mem+4 = mem+8: aligned for both sizes */
					snprintf(what, sizeof(what), "atomic 0x%x size %d r%d r%d eq %d",
						 ops[oi], sz ? 8 : 4, d, s, eq);
					if (differ(what, prog, N(prog), mem, sizeof(mem), NULL, 0))
						test_failed = 1;
					n++;
				}
	printf("  %d programs\n", n);
}

TEST(jit_misaligned_atomic_faults_like_interp)
{
	uint64_t mem[2] = { 0 };
	const struct bpf_insn prog[] = {
		MOV64_IMM(2, 1), ATOMIC(BPF_W, 1, 2, 2, BPF_ADD), MOV64_IMM(0, 0), EXIT_INSN(),
	};
	struct outcome o;

	CHECK(!differ("misaligned atomic", prog, N(prog), mem, sizeof(mem), &o, 0));
	CHECK_EQ(o.rc, -EFAULT);
	CHECK_STR_CONTAINS(o.log, "insn 1: misaligned atomic access");
}

/* ---- calls ------------------------------------------------------------------- */

TEST(jit_calls_and_callx)
{
	static const struct {
		const char *name;
		int rc;
		struct bpf_insn p[24];
		size_t n;
	} progs[] = {
#define P(NAME, RC, ...) { NAME, RC, { __VA_ARGS__ }, N(((struct bpf_insn[]){ __VA_ARGS__ })) }
	P("callx both encodings, spilled pointer", 0,
	  LD_FUNC(2, 9), STX(BPF_DW, 10, 2, -8), LDX(BPF_DW, 3, 10, -8), MOV64_IMM(1, 20),
	  CALLX_DST(3), MOV64_REG(6, 0), CALLX_IMM(3), ALU64_REG(BPF_ADD, 0, 6), EXIT_INSN(),
	  MOV64_REG(0, 1), ALU64_IMM(BPF_ADD, 0, 1), EXIT_INSN()),
	P("local call keeps r6..r9 and sees r1..r5", 0,
	  MOV64_IMM(6, 100), MOV64_IMM(7, 1000), MOV64_IMM(8, 10000), MOV64_IMM(9, 100000),
	  MOV64_IMM(1, 5), MOV64_IMM(5, 3), CALL_LOCAL(6),
	  ALU64_REG(BPF_ADD, 0, 6), ALU64_REG(BPF_ADD, 0, 7), ALU64_REG(BPF_ADD, 0, 8),
	  ALU64_REG(BPF_ADD, 0, 9), ALU64_REG(BPF_ADD, 0, 1), EXIT_INSN(),
	  MOV64_IMM(6, 7), MOV64_IMM(7, 7), MOV64_IMM(8, 7), MOV64_IMM(9, 7),
	  MOV64_REG(0, 1), ALU64_REG(BPF_MUL, 0, 5), MOV64_IMM(1, 1), EXIT_INSN()),
	P("frames: each call gets its own 512 bytes below the caller's", 0,
	  ST_IMM(BPF_DW, 10, -8, 11), MOV64_REG(1, 10), CALL_LOCAL(4),
	  LDX(BPF_DW, 2, 10, -8), ALU64_REG(BPF_ADD, 0, 2), EXIT_INSN(), EXIT_INSN(),
	  ST_IMM(BPF_DW, 10, -8, 22), MOV64_REG(0, 1), ALU64_REG(BPF_SUB, 0, 10),
	  LDX(BPF_DW, 3, 10, -8), ALU64_REG(BPF_ADD, 0, 3), EXIT_INSN()),
	P("recursion: 8 frames is the limit", 0,
	  MOV64_IMM(1, 6), CALL_LOCAL(1), EXIT_INSN(),
	  MOV64_IMM(0, 0), JMP_IMM(BPF_JEQ, 1, 0, 4), ALU64_IMM(BPF_SUB, 1, 1), CALL_LOCAL(-4),
	  ALU64_IMM(BPF_ADD, 0, 1), EXIT_INSN(), EXIT_INSN()),
	P("recursion: 9 frames faults", -EFAULT,
	  MOV64_IMM(1, 7), CALL_LOCAL(1), EXIT_INSN(),
	  MOV64_IMM(0, 0), JMP_IMM(BPF_JEQ, 1, 0, 4), ALU64_IMM(BPF_SUB, 1, 1), CALL_LOCAL(-4),
	  ALU64_IMM(BPF_ADD, 0, 1), EXIT_INSN(), EXIT_INSN()),
	P("unbounded self-recursion faults", -EFAULT,
	  CALL_LOCAL(1), EXIT_INSN(), CALL_LOCAL(-1), EXIT_INSN()),
	P("callx of a non-function faults", -EFAULT, MOV64_IMM(2, 24), CALLX_DST(2), EXIT_INSN()),
	P("callx of NULL faults", -EFAULT, MOV64_IMM(3, 0), CALLX_DST(3), EXIT_INSN()),
	P("callx of a misaligned pointer faults", -EFAULT, LD_FUNC(4, 4), ALU64_IMM(BPF_ADD, 4, 1),
	  CALLX_DST(4), EXIT_INSN(), MOV64_IMM(0, 1), EXIT_INSN()),
	P("callx of a huge value faults", -EFAULT, LD_IMM64(5, 0x8000000000000028ull),
	  CALLX_DST(5), EXIT_INSN(), MOV64_IMM(0, 1), EXIT_INSN(), LD_FUNC(1, -3), EXIT_INSN()),
	P("callx of the entry program faults", -EFAULT, LD_FUNC(4, 4), MOV64_IMM(4, 0),
	  CALLX_DST(4), EXIT_INSN(), MOV64_IMM(0, 1), EXIT_INSN()),
	P("callx through r0 and a table on the stack", 0,
	  LD_FUNC(0, 16), STX(BPF_DW, 10, 0, -16), LD_FUNC(0, 10), STX(BPF_DW, 10, 0, -8),
	  LDX(BPF_DW, 0, 10, -8), MOV64_IMM(1, 6), CALLX_DST(0), MOV64_REG(6, 0),
	  LDX(BPF_DW, 0, 10, -16), CALLX_DST(0), ALU64_REG(BPF_ADD, 0, 6), EXIT_INSN(),
	  MOV64_REG(0, 1), ALU64_IMM(BPF_MUL, 0, 7), EXIT_INSN(),
	  MOV64_REG(0, 1), ALU64_IMM(BPF_ADD, 0, 1000), EXIT_INSN()),
	P("unknown helper is fine until reached", 0,
	  MOV64_IMM(0, 1), JMP_IMM(BPF_JEQ, 0, 1, 1), CALL_HELPER(9999), EXIT_INSN()),
	P("unknown helper faults when reached", -EFAULT,
	  MOV64_IMM(0, 0), JMP_IMM(BPF_JEQ, 0, 1, 1), CALL_HELPER(9999), EXIT_INSN()),
	P("helper: r0 comes back, r6..r9 survive", 0,
	  MOV64_IMM(6, 5), MOV64_IMM(9, 6), CALL_HELPER(BPF_FUNC_get_smp_processor_id),
	  ALU64_REG(BPF_ADD, 0, 6), ALU64_REG(BPF_ADD, 0, 9), EXIT_INSN()),
	P("bpf_loop with a callback in the next frame", 0,
	  ST_IMM(BPF_DW, 10, -8, 0), MOV64_IMM(6, 77),
	  MOV64_IMM(1, 10), LD_FUNC(2, 10), MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -8),
	  MOV64_IMM(4, 0), CALL_HELPER(181), LDX(BPF_DW, 1, 10, -8), ALU64_IMM(BPF_LSH, 1, 16),
	  ALU64_REG(BPF_ADD, 0, 1), ALU64_REG(BPF_ADD, 0, 6), EXIT_INSN(),
	  /* cb(i, p): *p += i * (p - r10); returns i == 6 */
	  LDX(BPF_DW, 3, 2, 0), MOV64_REG(4, 2), ALU64_REG(BPF_SUB, 4, 10),
	  ALU64_REG(BPF_MUL, 4, 1), ALU64_REG(BPF_ADD, 3, 4), STX(BPF_DW, 2, 3, 0),
	  MOV64_IMM(0, 0), JMP_IMM(BPF_JNE, 1, 6, 1), MOV64_IMM(0, 1), EXIT_INSN()),
	P("a fault inside a bpf_loop callback stops the run", -EFAULT,
	  MOV64_IMM(1, 10), LD_FUNC(2, 6), MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL_HELPER(181),
	  MOV64_IMM(0, 42), EXIT_INSN(),
	  MOV64_IMM(5, 8), CALLX_DST(5), EXIT_INSN()),
	P("callbacks nesting without end fault", -EFAULT,
	  MOV64_IMM(1, 1), LD_FUNC(2, 5), MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL_HELPER(181),
	  EXIT_INSN(),
	  MOV64_IMM(1, 1), LD_FUNC(2, -2), MOV64_IMM(3, 0), MOV64_IMM(4, 0), CALL_HELPER(181),
	  EXIT_INSN()),
	P("kfunc calls fault", -EFAULT, RAW(BPF_JMP | BPF_CALL, 0, 2, 0, 1), EXIT_INSN()),
#undef P
	};

	for (size_t i = 0; i < N(progs); i++) {
		struct outcome o;
		if (differ(progs[i].name, progs[i].p, progs[i].n, NULL, 0, &o, 0)) {
			test_failed = 1;
			continue;
		}
		if (o.rc != progs[i].rc) {
			fprintf(stderr, "  %s: rc %d, want %d (%s)\n", progs[i].name, o.rc,
				progs[i].rc, o.log);
			test_failed = 1;
		}
	}
}

TEST(jit_rejects_what_it_cannot_compile)
{
	/* Calls make insns 3 and 5 function starts: the jump at 3 leaves its
	 * function, which native code with per-function prologues cannot do. */
	const struct bpf_insn cross[] = {
		CALL_LOCAL(2), CALL_LOCAL(3), EXIT_INSN(), JA(1), EXIT_INSN(), MOV64_IMM(0, 1),
		EXIT_INSN(),
	};
	/* Functions [2, 4) and [4, 6): the first ends in a call, not an exit. */
	const struct bpf_insn fallthrough[] = {
		CALL_LOCAL(1), EXIT_INSN(), MOV64_IMM(0, 1), CALL_LOCAL(0), MOV64_IMM(0, 2),
		EXIT_INSN(),
	};
	struct outcome o;

	run_raw_engine(cross, N(cross), IBPF_ENGINE_JIT, NULL, 0, &o);
	CHECK_EQ(o.rc, -EINVAL);
	CHECK_STR_CONTAINS(o.log, "JIT: insn 3: jump to insn 5 leaves function 'func_3'");
	run_raw_engine(fallthrough, N(fallthrough), IBPF_ENGINE_JIT, NULL, 0, &o);
	CHECK_EQ(o.rc, -EINVAL);
	CHECK_STR_CONTAINS(o.log, "insn 3: function 'func_2' falls through into the next function");
}

/* A raw program with one array map (index 0) added by hand: what clang's
 * objects do, on sizes the examples do not have. */
static struct ibpf_object *open_with_array(const struct bpf_insn *insns, size_t n,
					   uint32_t value_size, uint32_t max_entries)
{
	struct ibpf_object *obj = ibpf_object__open_raw(insns, n, NULL);
	struct ibpf_map **maps, *m;
	char err[128];

	if (!obj)
		return NULL;
	maps = realloc(obj->maps, sizeof(*maps));
	if (!maps || ibpf_map_create("arr", BPF_MAP_TYPE_ARRAY, 4, value_size, max_entries, 0,
				     0, &m, err, sizeof(err))) {
		if (maps)
			obj->maps = maps;
		ibpf_object__close(obj);
		return NULL;
	}
	obj->maps = maps;
	obj->maps[obj->map_cnt++] = m;
	for (uint32_t k = 0; k < max_entries; k++) {
		uint8_t v[64] = { 0 };
		uint64_t x = 1000 + k;
		memcpy(v, &x, 8);
		ibpf_map__update_elem(m, &k, 4, v, value_size, 0);
	}
	return obj;
}

TEST(jit_inline_array_lookup)
{
	static const uint32_t keys[] = { 0, 1, 4, 5, 1000, 0xffffffff };
	static const uint32_t sizes[] = { 8, 20, 64 };   /* elements of 8, 24, 64 bytes */
	int n = 0;

	for (size_t si = 0; si < N(sizes); si++)
		for (size_t ki = 0; ki < N(keys); ki++)
			for (int form = 0; form < 2; form++) {
				/* form 1: a jump lands between the map load and the
				 * call, so the call stays a helper call */
				const struct bpf_insn prog[] = {
					ST_IMM(BPF_W, 10, -4, (int32_t)keys[ki]),
					MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
					LD_IMM64_RAW(1, BPF_PSEUDO_MAP_FD, 0, 0),
					form ? JA(0) : MOV64_IMM(3, 0),
					CALL_HELPER(BPF_FUNC_map_lookup_elem),
					JMP_IMM(BPF_JEQ, 0, 0, 4),
					LDX(BPF_DW, 3, 0, 0), ALU64_IMM(BPF_MUL, 3, 3),
					STX(BPF_DW, 0, 3, 0), EXIT_INSN(),
					MOV64_IMM(0, -1), EXIT_INSN(),
				};
				struct ibpf_object *oi = open_with_array(prog, N(prog), sizes[si], 5);
				struct ibpf_object *oj = open_with_array(prog, N(prog), sizes[si], 5);
				struct outcome ri, rj;

				CHECK(oi && oj);
				for (int e = 0; e < 2; e++) {
					struct outcome *r = e ? &rj : &ri;
					memset(r, 0, sizeof(*r));
					IBPF_OPTS(ibpf_test_run_opts, o, .flags = IBPF_RUN_TRUSTED,
						  .engine = e ? IBPF_ENGINE_JIT : IBPF_ENGINE_INTERP,
						  .log_buf = r->log, .log_size = sizeof(r->log));
					r->rc = ibpf_prog_test_run_opts(
						ibpf_object__next_program(e ? oj : oi, NULL), &o);
					r->r0 = o.retval;
				}
				int in_range = keys[ki] < 5;
				if (ri.rc || rj.rc || !maps_equal(oi, oj) ||
				    (ri.r0 == (uint64_t)-1) == in_range ||
				    (rj.r0 == (uint64_t)-1) == in_range) {
					fprintf(stderr, "  value size %u key %u form %d: interp %d %s, "
						"jit %d %s\n", sizes[si], keys[ki], form, ri.rc, ri.log,
						rj.rc, rj.log);
					test_failed = 1;
				}
				ibpf_object__close(oi);
				ibpf_object__close(oj);
				n++;
			}
	printf("  %d programs\n", n);
}

/* Permissions of the mapping that holds `addr`, from /proc/self/maps. */
static int map_perms(const void *addr, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	uintptr_t a = (uintptr_t)addr;
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 && a >= lo && a < hi)
			found = 1;
	}
	fclose(f);
	return found;
}

TEST(jit_code_pages_are_never_writable)
{
	const struct bpf_insn prog[] = {
		LD_FUNC(2, 3), CALLX_DST(2), EXIT_INSN(), MOV64_IMM(0, 5), EXIT_INSN(),
	};
	struct ibpf_object *obj = ibpf_object__open_raw(prog, N(prog), NULL);
	struct ibpf_program *p;
	const struct ibpf_jit_prog *jit;
	char perms[5];
	size_t size;

	CHECK(obj);
	p = ibpf_object__next_program(obj, NULL);
	IBPF_OPTS(ibpf_test_run_opts, o, .flags = IBPF_RUN_TRUSTED, .engine = IBPF_ENGINE_JIT);
	CHECK_EQ(ibpf_prog_test_run_opts(p, &o), 0);
	CHECK_EQ(o.retval, 5);
	jit = p->jit;
	CHECK(jit);
	CHECK(ibpf_jit_code(jit, &size) && size > 0);
	/* code: read + execute; the callx table: read only */
	CHECK(map_perms(jit->code, perms));
	CHECK(!strcmp(perms, "r-xp"));
	CHECK(map_perms(jit->table, perms));
	CHECK(!strcmp(perms, "r--p"));
	CHECK_EQ(jit->table[0], 0);                   /* the entry is not callable */
	CHECK_EQ(jit->table[3], 0);
	CHECK(jit->table[4] != 0);                   /* the function at insn 4 */
	ibpf_object__close(obj);
}

/* `ibpf dump jited` when the test runner is given the CLI (make test does). */
TEST(jit_dump_cli)
{
	const char *cli = getenv("IBPF_CLI");
	char cmd[1024], out[65536];
	size_t n;
	FILE *f;

	if (!cli)
		SKIP("IBPF_CLI not set");
	snprintf(cmd, sizeof(cmd), "%s dump jited %s --prog table_lookup 2>&1", cli,
		 test_obj("table_test.o"));
	f = popen(cmd, "r");
	CHECK(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = 0;
	CHECK_EQ(pclose(f), 0);
	CHECK_STR_CONTAINS(out, "entry stub:\n     0:\tpush rbp\n");
	CHECK_STR_CONTAINS(out, "int table_lookup(struct table_ctx * ctx):\n; 0: (79) r2 = *(u64 *)(r1 +0)\n");
	CHECK_STR_CONTAINS(out, "; 11: (8d) callx r0\n");
	CHECK_STR_CONTAINS(out, "call r11\n");
	CHECK_STR_CONTAINS(out, "__u64 foo_1(__u64 x):\n");
	CHECK_STR_CONTAINS(out, "out of line (faults):\n");
}

/* ---- the example objects ---------------------------------------------------- */

static struct ibpf_object *open_obj(const char *file)
{
	char log[512] = "";
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj = ibpf_object__open_file(test_obj(file), &o);

	if (!obj)
		fprintf(stderr, "  open %s: %s\n", file, log);
	return obj;
}

/* Compare every map's every element. */
static int maps_equal(const struct ibpf_object *a, const struct ibpf_object *b)
{
	const struct ibpf_map *ma = NULL, *mb = NULL;

	while ((ma = ibpf_object__next_map(a, ma))) {
		mb = ibpf_object__find_map_by_name(b, ibpf_map__name(ma));
		if (!mb)
			return 0;
		uint32_t ks = ibpf_map__key_size(ma), vs = ibpf_map__value_size(ma);
		uint8_t key[ks + 1], next[ks + 1], va[vs + 1], vb[vs + 1];
		const void *cur = NULL;
		while (!ibpf_map__get_next_key(ma, cur, next, ks)) {
			memcpy(key, next, ks);
			cur = key;
			int ra = ibpf_map__lookup_elem(ma, key, ks, va, vs, 0);
			int rb = ibpf_map__lookup_elem(mb, key, ks, vb, vs, 0);
			if (ra != rb || (!ra && memcmp(va, vb, vs))) {
				fprintf(stderr, "  map %s differs\n", ibpf_map__name(ma));
				return 0;
			}
		}
	}
	return 1;
}

struct ex_run { const char *obj, *prog; uint64_t ctx[2]; const char *input; int64_t want_ret; };

static int run_example(struct ibpf_object *obj, const char *prog, int engine, uint64_t ctx[2],
		       const char *input, uint64_t *ret, char *trace, size_t tsz)
{
	struct ibpf_program *p = ibpf_object__find_program_by_name(obj, prog);
	char log[512] = "";
	int rc;

	if (!p)
		return -ENOENT;
	if (input) {
		struct ibpf_map *in = ibpf_object__find_map_by_name(obj, "calculon_input");
		if (!in)
			return -ENOENT;
		for (uint32_t i = 0; input[i]; i++) {
			uint8_t ch = (uint8_t)input[i];
			if ((rc = ibpf_map__update_elem(in, &i, 4, &ch, 1, 0)))
				return rc;
		}
	}
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = 16, .ctx_out = ctx,
		  .ctx_size_out = 16, .log_buf = log, .log_size = sizeof(log),
		  .trace_buf = trace, .trace_size = tsz, .flags = IBPF_RUN_TRUSTED,
		  .engine = engine);
	rc = ibpf_prog_test_run_opts(p, &o);
	if (rc)
		fprintf(stderr, "  %s (%s): %d %s\n", prog, engine == IBPF_ENGINE_JIT ? "jit" :
			"interp", rc, log);
	*ret = o.retval;
	return rc;
}

TEST(jit_examples_match_interp)
{
	static const struct ex_run runs[] = {
		{ "simple_test", "simple_test", { 7, 0 }, NULL, 0 },
		{ "simple_test", "simple_test", { 8, 0 }, NULL, 0 },
		{ "calculon", "calculon", { 13, 0 }, "1234567++++++", 0 },
		{ "calculon", "calculon", { 45, 0 }, "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+", 0 },
		{ "calculon", "calculon", { 2, 0 }, "1+", -1 },
		{ "calculon", "calculon", { 2, 0 }, "1x", -1 },
		{ "calculon_switch", "calculon_switch", { 13, 0 }, "2222222******", 0 },
		{ "calculon_switch", "calculon_switch", { 3, 0 }, "37-", 0 },
		{ "table_test", "table_lookup", { 0, 5 }, NULL, 0 },
		{ "table_test", "table_lookup", { 1, 5 }, NULL, 0 },
		{ "table_test", "table_lookup", { 2, 5 }, NULL, -22 },
		{ "table_test", "table_index", { 0, 5 }, NULL, 0 },
		{ "table_test", "table_index", { 1, 5 }, NULL, 0 },
		{ "table_test", "table_index", { 1000000, 5 }, NULL, -22 },
		{ "table_test", "table_stack", { 0, 5 }, NULL, 0 },
		{ "table_test", "table_stack", { 1, 5 }, NULL, 0 },
		{ "rodata_ops", "rodata_ops", { 0, 5 }, NULL, 0 },
		{ "rodata_ops", "rodata_ops", { 2, 5 }, NULL, 0 },
		{ "rodata_ops", "rodata_ops", { 3, 5 }, NULL, -22 },
		{ "rodata_ops", "table_init", { 1, 5 }, NULL, 0 },
		{ "loop_callback", "loop_callback", { 100, 0 }, NULL, 100 },
		{ "loop_callback", "loop_callback", { 5000, 0 }, NULL, 1001 },
		{ "loop_callback", "loop_callback", { 9000000, 0 }, NULL, -7 },
	};
	static const char *const variants[] = { "", ".clang14" };
	int n = 0;

	for (size_t v = 0; v < N(variants); v++)
		for (size_t i = 0; i < N(runs); i++) {
			const struct ex_run *r = &runs[i];
			char file[128], ti[512] = "", tj[512] = "";
			uint64_t ci[2], cj[2], ri = 0, rj = 0;
			struct ibpf_object *oi, *oj;

			snprintf(file, sizeof(file), "%s%s.o", r->obj, variants[v]);
			oi = open_obj(file);
			oj = open_obj(file);
			if (!oi || !oj) {
				ibpf_object__close(oi);
				ibpf_object__close(oj);
				if (!oi && !oj && !n)
					SKIP("example objects not built (make progs)");
				test_failed = 1;
				return;
			}
			memcpy(ci, r->ctx, sizeof(ci));
			memcpy(cj, r->ctx, sizeof(cj));
			int rci = run_example(oi, r->prog, IBPF_ENGINE_INTERP, ci, r->input, &ri,
					      ti, sizeof(ti));
			int rcj = run_example(oj, r->prog, IBPF_ENGINE_JIT, cj, r->input, &rj,
					      tj, sizeof(tj));
			if (rci || rcj || ri != rj || memcmp(ci, cj, sizeof(ci)) || strcmp(ti, tj) ||
			    !maps_equal(oi, oj) || (int32_t)rj != r->want_ret) {
				fprintf(stderr, "  %s/%s ctx {%llu, %llu}: interp rc %d ret %lld ctx "
					"{%lld, %lld}; jit rc %d ret %lld ctx {%lld, %lld}; want %lld\n",
					file, r->prog, (unsigned long long)r->ctx[0],
					(unsigned long long)r->ctx[1], rci, (long long)(int32_t)ri,
					(long long)ci[0], (long long)ci[1], rcj, (long long)(int32_t)rj,
					(long long)cj[0], (long long)cj[1], (long long)r->want_ret);
				test_failed = 1;
			}
			n++;
			ibpf_object__close(oi);
			ibpf_object__close(oj);
		}
	printf("  %d runs\n", n);
}

/* One verified run of `prog` on `engine`: rc, r0, the ctx written back and
 * the trace, into *out (ctx: CTX_ALL_SIZE bytes, overwritten). */
#define CTX_ALL_SIZE 64

static void run_verified_flags(struct ibpf_object *obj, const char *prog, int engine,
			       uint32_t flags, uint8_t *ctx, struct outcome *out)
{
	struct ibpf_program *p = ibpf_object__find_program_by_name(obj, prog);

	memset(out, 0, sizeof(*out));
	if (!p) {
		out->rc = -ENOENT;
		return;
	}
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = CTX_ALL_SIZE,
		  .ctx_out = ctx, .ctx_size_out = CTX_ALL_SIZE, .engine = engine, .flags = flags,
		  .log_buf = out->log, .log_size = sizeof(out->log),
		  .trace_buf = out->trace, .trace_size = sizeof(out->trace));
	out->rc = ibpf_prog_test_run_opts(p, &o);
	out->r0 = o.retval;
}

static void run_verified(struct ibpf_object *obj, const char *prog, int engine, uint8_t *ctx,
			 struct outcome *out)
{
	run_verified_flags(obj, prog, engine, 0, ctx, out);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every program of every object in the test object directory (the
 * examples and tests/progs, both compilers) that opens and verifies runs on
 * the interpreter and on the JIT (verified runs, no TRUSTED) over a few
 * generic ctx inputs, and the two agree on rc, r0, the ctx written back,
 * the trace and every map.  The tables above and test_callx.c pin the
 * values for chosen inputs; this makes sure no accepted program, including
 * one added later without a table entry, escapes the comparison.  Objects
 * that do not open and programs the verifier rejects are the loader's and
 * the verifier's tests' business. */
TEST(jit_every_accepted_program_matches_interp)
{
	static const uint64_t inputs[][2] = {
		{ 0, 0 }, { 1, 5 }, { 2, 7 }, { 3, 1000 }, { 4, 5 }, { 1ull << 32 | 1, 3 },
		{ ~0ull, ~0ull },
	};
	DIR *d = opendir(test_objdir());
	struct dirent *de;
	char *names[512];
	size_t nn = 0;
	int nprogs = 0, nruns = 0, nok = 0, nsc = 0, nscj = 0;

	if (!d)
		SKIP("example objects not built (make progs)");
	while ((de = readdir(d)) && nn < N(names)) {
		size_t len = strlen(de->d_name);
		if (len > 2 && !strcmp(de->d_name + len - 2, ".o"))
			names[nn++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(names[0]), cmp_names);
	for (size_t f = 0; f < nn; f++) {
		struct ibpf_object *oi = ibpf_object__open_file(test_obj(names[f]), NULL);
		struct ibpf_object *oj = ibpf_object__open_file(test_obj(names[f]), NULL);
		struct ibpf_object *os = ibpf_object__open_file(test_obj(names[f]), NULL);
		struct ibpf_object *osj = ibpf_object__open_file(test_obj(names[f]), NULL);
		struct ibpf_program *p = NULL;

		if (!oi || !oj || !os || !osj)
			goto next;      /* bad_* objects: test_loader_errors.c */
		while ((p = ibpf_object__next_program(oi, p))) {
			const char *prog = ibpf_program__name(p);
			IBPF_OPTS(ibpf_verify_opts, vo);

			if (ibpf_program__verify(p, &vo))
				continue;       /* rejected: the verifier's tests */
			nprogs++;
			for (size_t k = 0; k < N(inputs); k++) {
				uint8_t ci[CTX_ALL_SIZE], cj[CTX_ALL_SIZE], cs[CTX_ALL_SIZE];
				uint8_t csj[CTX_ALL_SIZE];
				struct outcome a, b, c, cj_;

				for (size_t i = 0; i < CTX_ALL_SIZE; i++)
					ci[i] = (uint8_t)(i + 1);       /* 01 02 .. 40 */
				memcpy(ci, inputs[k], sizeof(inputs[k]));
				memcpy(cj, ci, sizeof(cj));
				memcpy(cs, ci, sizeof(cs));
				memcpy(csj, ci, sizeof(csj));
				run_verified(oi, prog, IBPF_ENGINE_INTERP, ci, &a);
				run_verified(oj, prog, IBPF_ENGINE_JIT, cj, &b);
				/* The self-check: the verifier's facts hold at every
				 * instruction of the run, and the result is the same. */
				run_verified_flags(os, prog, IBPF_ENGINE_INTERP, IBPF_RUN_SELF_CHECK,
						   cs, &c);
				run_verified_flags(osj, prog, IBPF_ENGINE_JIT, IBPF_RUN_SELF_CHECK,
						   csj, &cj_);
				nsc += !c.rc;
				nscj += !cj_.rc;
				if (cj_.rc != a.rc || cj_.r0 != a.r0 || memcmp(ci, csj, sizeof(ci)) ||
				    !maps_equal(oi, osj)) {
					fprintf(stderr, "  %s %s ctx {%#llx, %#llx}: JIT self-check rc %d "
						"r0 %#llx (%s); interp rc %d r0 %#llx\n", names[f], prog,
						(unsigned long long)inputs[k][0],
						(unsigned long long)inputs[k][1], cj_.rc,
						(unsigned long long)cj_.r0, cj_.log, a.rc,
						(unsigned long long)a.r0);
					test_failed = 1;
				}
				if (c.rc != a.rc || c.r0 != a.r0 || memcmp(ci, cs, sizeof(ci)) ||
				    !maps_equal(oi, os)) {
					fprintf(stderr, "  %s %s ctx {%#llx, %#llx}: self-check rc %d "
						"r0 %#llx (%s); interp rc %d r0 %#llx\n", names[f], prog,
						(unsigned long long)inputs[k][0],
						(unsigned long long)inputs[k][1], c.rc,
						(unsigned long long)c.r0, c.log, a.rc,
						(unsigned long long)a.r0);
					test_failed = 1;
				}
				nruns++;
				nok += !a.rc;
				if (a.rc != b.rc || a.r0 != b.r0 || memcmp(ci, cj, sizeof(ci)) ||
				    strcmp(a.trace, b.trace) || strcmp(a.log, b.log) ||
				    !maps_equal(oi, oj)) {
					fprintf(stderr, "  %s %s ctx {%#llx, %#llx}: interp rc %d r0 %#llx "
						"(%s); jit rc %d r0 %#llx (%s)%s%s\n", names[f], prog,
						(unsigned long long)inputs[k][0],
						(unsigned long long)inputs[k][1], a.rc,
						(unsigned long long)a.r0, a.log, b.rc,
						(unsigned long long)b.r0, b.log,
						memcmp(ci, cj, sizeof(ci)) ? "; ctx differs" : "",
						strcmp(a.trace, b.trace) ? "; trace differs" : "");
					test_failed = 1;
				}
			}
		}
next:
		ibpf_object__close(oi);
		ibpf_object__close(oj);
		ibpf_object__close(os);
		ibpf_object__close(osj);
	}
	for (size_t f = 0; f < nn; f++)
		free(names[f]);
	if (!nprogs)
		SKIP("no accepted program in the test objects (make progs)");
	printf("  %d programs, %d runs on each engine (%d ran to exit, %d self-checked on "
	       "the interpreter, %d on the JIT)\n", nprogs, nruns, nok, nsc, nscj);
	/* every run that exits on the interpreter passes both self-checks */
	CHECK_EQ(nsc, nok);
	CHECK_EQ(nscj, nok);
}

/* The JIT compiles each program once and reuses it across runs; a
 * callx-heavy example many times over, with the results staying right. */
TEST(jit_repeat_runs)
{
	struct ibpf_object *obj = open_obj("calculon.o");
	struct ibpf_map *in;
	char expr[1024];
	uint64_t ctx[2];
	char log[256] = "";

	if (!obj)
		SKIP("example objects not built (make progs)");
	in = ibpf_object__find_map_by_name(obj, "calculon_input");
	CHECK(in);
	expr[0] = '1';
	for (int i = 1; i + 1 < 1023; i += 2) {
		expr[i] = '1';
		expr[i + 1] = '+';
	}
	expr[1023] = 0;
	for (uint32_t i = 0; i < 1023; i++) {
		uint8_t ch = (uint8_t)expr[i];
		CHECK_EQ(ibpf_map__update_elem(in, &i, 4, &ch, 1, 0), 0);
	}
	ctx[0] = 1023;
	ctx[1] = 0;
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = 16, .ctx_out = ctx,
		  .ctx_size_out = 16, .repeat = 200, .flags = IBPF_RUN_TRUSTED,
		  .engine = IBPF_ENGINE_JIT, .log_buf = log, .log_size = sizeof(log));
	CHECK_EQ(ibpf_prog_test_run_opts(ibpf_object__next_program(obj, NULL), &o), 0);
	CHECK_EQ(o.retval, 0);
	CHECK_EQ(ctx[1], 512);
	ibpf_object__close(obj);
}

/* ---- randomized differential test -------------------------------------------- */

static uint64_t rnd(uint64_t *s)
{
	/* splitmix64: a fixed seed gives the same programs everywhere. */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd_val(uint64_t *s)
{
	static const uint64_t special[] = {
		0, 1, (uint64_t)-1, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000000000000000ull,
		0x7fffffffffffffffull, 63, 64, 32, 31,
	};
	uint64_t r = rnd(s);
	switch (r % 4) {
	case 0: return special[(r >> 8) % N(special)];
	case 1: return (r >> 8) % 256;
	case 2: return (uint64_t)(int64_t)(int32_t)(r >> 16);
	default: return rnd(s);
	}
}

/* Ops the generator picks from: every ALU op and every conditional jump. */
static size_t pickable(enum ibpf_op *ops)
{
	size_t n = 0;
	for (int op = 0; op < IBPF_OP__COUNT; op++) {
		enum ibpf_shape s = ibpf_ops[op].shape;
		if (s == IBPF_SHAPE_ALU_K || s == IBPF_SHAPE_ALU_X || s == IBPF_SHAPE_ALU_NEG ||
		    s == IBPF_SHAPE_ALU_END || s == IBPF_SHAPE_JMP_K || s == IBPF_SHAPE_JMP_X)
			ops[n++] = (enum ibpf_op)op;
	}
	return n;
}

/* A random program: r0..r9 and 8 stack slots initialized, then `len` random
 * ALU ops, conditional forward jumps, stack loads/stores of every size and
 * atomics on the slots, then every register folded into r0. */
static void random_prog(uint64_t *seed, struct gen *g, const enum ibpf_op *ops, size_t nops)
{
	size_t len = 8 + rnd(seed) % 56, body, end;

	g->n = 0;
	for (int r = 0; r < 10; r++)
		put_ld64(g, r, rnd_val(seed));
	for (int k = 1; k <= 8; k++)
		put(g, STX(BPF_DW, 10, (int)(rnd(seed) % 10), (int16_t)(-8 * k)));
	body = g->n;
	end = body + len;
	for (size_t i = 0; i < len; i++) {
		uint64_t r = rnd(seed);
		int dst = (int)(r % 10), src = (int)((r >> 8) % 10);
		int16_t slot = (int16_t)(-8 * (int)(1 + (r >> 16) % 8));
		size_t pc = g->n;
		unsigned kind = (unsigned)((r >> 24) % 16);

		if (kind == 0) {
			static const int sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
			int k = (int)((r >> 32) % 4), bytes = 1 << k, sz = sizes[k];
			/* a naturally aligned piece of the slot */
			int16_t off = (int16_t)(slot + (int)((r >> 40) % (uint64_t)(8 / bytes)) * bytes);
			switch ((r >> 36) % 4) {
			case 0: put(g, LDX(sz, dst, 10, off)); break;
			case 1: put(g, sz == BPF_DW ? LDX(sz, dst, 10, off) : LDXS(sz, dst, 10, off));
				break;
			case 2: put(g, STX(sz, 10, src, off)); break;
			default: put(g, ST_IMM(sz, 10, off, (int32_t)rnd_val(seed))); break;
			}
			continue;
		}
		if (kind == 1) {
			static const int32_t aops[] = {
				BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH,
				BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH, BPF_XCHG,
				BPF_CMPXCHG,
			};
			int sz = (r >> 32) & 1 ? BPF_DW : BPF_W;
			put(g, ATOMIC(sz, 10, src, slot, aops[(r >> 40) % N(aops)]));
			continue;
		}
		if (kind == 2) {
			put(g, JA((int16_t)(rnd(seed) % (end - pc))));
			continue;
		}
		if (kind == 3 && i + 1 < len) {
			/* the JIT fuses this pair into one lea */
			put(g, MOV64_REG(dst, src));
			put(g, ALU64_IMM(BPF_ADD, dst, (int32_t)rnd_val(seed)));
			i++;
			continue;
		}
		enum ibpf_op op = ops[(r >> 32) % nops];
		int32_t imm = (int32_t)rnd_val(seed);
		int16_t off = 0;
		enum ibpf_shape s = ibpf_ops[op].shape;
		if (s == IBPF_SHAPE_JMP_K || s == IBPF_SHAPE_JMP_X)
			off = (int16_t)(rnd(seed) % (end - pc));   /* forward, inside the body */
		put(g, raw_op(op, dst, src, off, imm));
	}
	/* Fold: r0 = r0 ^ (r1 * 3) ^ ... with rotations so nothing cancels. */
	for (int r = 1; r < 10; r++) {
		put(g, ALU64_IMM(BPF_MUL, 0, 0x9e3779b1));
		put(g, ALU64_REG(BPF_XOR, 0, r));
	}
	for (int k = 1; k <= 8; k++) {
		put(g, LDX(BPF_DW, 1, 10, (int16_t)(-8 * k)));
		put(g, ALU64_IMM(BPF_MUL, 0, 0x85ebca6b));
		put(g, ALU64_REG(BPF_XOR, 0, 1));
	}
	put(g, EXIT_INSN());
}

TEST(jit_random_differential)
{
	enum ibpf_op ops[IBPF_OP__COUNT];
	size_t nops = pickable(ops);
	uint64_t seed = 0x1b9f2025;
	struct gen g = { 0 };
	int failures = 0;
	const int count = 4000;

	for (int i = 0; i < count; i++) {
		struct outcome o;
		char what[64];

		random_prog(&seed, &g, ops, nops);
		snprintf(what, sizeof(what), "random program %d", i);
		if (differ(what, g.p, g.n, NULL, 0, &o, 1)) {
			struct outcome oi;
			run_raw_engine(g.p, g.n, IBPF_ENGINE_INTERP, NULL, 0, &oi);
			fprintf(stderr, "  random program %d (seed 0x1b9f2025): interp rc %d r0 0x%llx "
				"\"%s\", jit rc %d r0 0x%llx \"%s\"\n", i, oi.rc,
				(unsigned long long)oi.r0, oi.log, o.rc, (unsigned long long)o.r0,
				o.log);
			print_prog(g.p, g.n);
			test_failed = 1;
			if (++failures >= 3)
				break;
		} else if (o.rc) {
			fprintf(stderr, "  random program %d: both fail: %s\n", i, o.log);
			test_failed = 1;
			break;
		}
	}
	free(g.p);
	printf("  %d random programs\n", count);
}
