/* test_soundness.c - one program per defect class of the soundness issue:
 * shapes that once got past the verifier and then ran out of bounds.  Each
 * is now rejected with its exact message at its exact instruction, or,
 * where the kernel accepts the shape too, accepted and run safely on every
 * engine and under the self-check.  A last test shows the self-check has
 * teeth: facts narrowed by hand must make a run fail. */
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "insn_build.h"
#include "test.h"
#include "verify_expect.h"
#include "core/object.h"
#include "verifier/facts.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define PROG(...) { __VA_ARGS__ }, N(((struct bpf_insn[]){ __VA_ARGS__ }))
#define OK VE_ACCEPTED
#define REJ(INSN, MSG) VE_REJECTED(INSN, MSG)
#define NEG64(D) RAW(BPF_ALU64 | BPF_NEG, D, 0, 0, 0)
#define LOOP 181
#define PAD8 MOV64_IMM(0, 0), MOV64_IMM(0, 0), MOV64_IMM(0, 0), MOV64_IMM(0, 0), \
	     MOV64_IMM(0, 0), MOV64_IMM(0, 0), JA(0), JA(0)

struct scase {
	const char *name;
	struct bpf_insn insns[40];
	size_t n;
	uint32_t mem_size;
	struct verify_want want;
};

/* An accepted program runs on the interpreter, the JIT and under the
 * self-check, for every first byte of memory, with equal results. */
static int run_everywhere(struct ibpf_program *p, uint32_t mem_size, const char *name)
{
	static const struct { int engine; uint32_t flags; const char *what; } modes[] = {
		{ IBPF_ENGINE_INTERP, 0, "interp" },
		{ IBPF_ENGINE_JIT, 0, "jit" },
		{ IBPF_ENGINE_INTERP, IBPF_RUN_SELF_CHECK, "self-check" },
		{ IBPF_ENGINE_JIT, IBPF_RUN_SELF_CHECK, "JIT self-check" },
	};
	for (int b = 0; b < 256; b += 17) {
		uint64_t first = 0;
		for (size_t m = 0; m < N(modes); m++) {
			uint8_t mem[64] = { (uint8_t)b, 1, 2, 3, 4, 5, 6, 7 };
			char log[512] = "";
			IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = mem, .ctx_size_in = mem_size,
				  .engine = modes[m].engine, .flags = modes[m].flags,
				  .log_buf = log, .log_size = sizeof(log));
			int rc = ibpf_prog_test_run_opts(p, &o);
			if (rc || (m && o.retval != first)) {
				fprintf(stderr, "  '%s' byte %d on %s: rc %d r0 %llu (%s)\n", name, b,
					modes[m].what, rc, (unsigned long long)o.retval, log);
				return 0;
			}
			first = o.retval;
		}
	}
	return 1;
}

static void run_cases(const struct scase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!verify_raw_expect(cases[i].insns, cases[i].n, cases[i].mem_size, cases[i].name,
				       cases[i].want, run_everywhere))
			test_failed = 1;
}

/* Class 1: only a plain 64-bit move links two scalars. */
TEST(soundness_linked_scalars)
{
	const struct scase cases[] = {
		/* r4 = x, r3 = -x linked by NEG: a bound learnt on -x must not
		 * reach x (r5 = r1 - x would then look in bounds). */
		{ "neg keeps no link", PROG(
			LDX(BPF_B, 3, 1, 0), MOV64_REG(4, 3), NEG64(3),
			JMP_IMM(BPF_JSLT, 3, -7, 4), MOV64_REG(5, 1), ALU64_REG(BPF_SUB, 5, 4),
			LDX(BPF_B, 0, 5, 0), EXIT_INSN(), MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(6, "R5 min value is negative, either use unsigned index or do a if "
		      "(index >=0) check.") },
		/* A 32-bit move of a linked register is no copy of the 64-bit value. */
		{ "32-bit move keeps no link", PROG(
			LDX(BPF_DW, 3, 1, 0), MOV64_REG(4, 3), ALU32_REG(BPF_MOV, 4, 4),
			JMP_IMM(BPF_JGT, 4, 7, 4), MOV64_REG(5, 1), ALU64_REG(BPF_ADD, 5, 3),
			LDX(BPF_B, 0, 5, 0), EXIT_INSN(), MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(5, "math between mem pointer and register with unbounded min value is "
		      "not allowed") },
		/* A plain 64-bit copy is linked: the bound on the copy holds. */
		{ "64-bit move links", PROG(
			LDX(BPF_B, 3, 1, 0), MOV64_REG(4, 3), JMP_IMM(BPF_JGT, 4, 7, 4),
			MOV64_REG(5, 1), ALU64_REG(BPF_ADD, 5, 3), LDX(BPF_B, 0, 5, 0), EXIT_INSN(),
			MOV64_IMM(0, 0), EXIT_INSN()), 8, OK },
	};
	run_cases(cases, N(cases));
}

/* Class 2: a precision mark carried by an ALU result must not stop the walk
 * back to the operand that changed the value. */
TEST(soundness_precision)
{
	const struct scase cases[] = {
		{ "alu result inherits no precision", PROG(
			PAD8,
			/* 8 */ LDX(BPF_B, 6, 1, 0), MOV64_IMM(7, 0), MOV64_REG(9, 1),
			/* 11 */ ALU64_REG(BPF_ADD, 9, 7),           /* r7 precise */
			/* 12 */ MOV64_IMM(8, 100), JMP_IMM(BPF_JNE, 6, 0, 1),
			/* 14 */ MOV64_IMM(8, 0),
			/* 15 */ ALU64_REG(BPF_ADD, 7, 8), MOV64_REG(9, 1),
			/* 17 */ ALU64_REG(BPF_ADD, 9, 7), LDX(BPF_B, 0, 9, 0), EXIT_INSN()), 8,
		  REJ(18, "invalid access to memory, mem_size=8 off=100 size=1") },
	};
	run_cases(cases, N(cases));
}

/* Class 3: a bpf_loop callback's next iteration starts from what the last
 * left behind; a counter in the caller's frame must not be taken as its
 * first value. */
TEST(soundness_callback_iterations)
{
	const struct scase cases[] = {
		{ "callback counter indexes memory", PROG(
			/* 0 */ STX(BPF_DW, 10, 1, -16), ST_IMM(BPF_DW, 10, -8, 0),
			/* 2 */ MOV64_IMM(1, 100), LD_FUNC(2, 7), MOV64_REG(3, 10),
			/* 6 */ ALU64_IMM(BPF_ADD, 3, -16), MOV64_IMM(4, 0), CALL_HELPER(LOOP),
			/* 9 */ MOV64_IMM(0, 0), EXIT_INSN(),
			/* 11: cb(index, ctx) */ LDX(BPF_DW, 3, 2, 8), LDX(BPF_DW, 4, 2, 0),
			/* 13 */ ALU64_REG(BPF_ADD, 4, 3), LDX(BPF_B, 0, 4, 0),
			/* 15 */ ALU64_IMM(BPF_ADD, 3, 1), STX(BPF_DW, 2, 3, 8),
			/* 17 */ MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  /* the counter decides the offset, so iterations are walked
		   * one by one until the ninth reads past the end */
		  REJ(14, "invalid access to memory, mem_size=8 off=8 size=1") },
		/* The loop may run zero times: a pointer the callback would store
		 * over a scalar is not there then. */
		{ "callback may never run", PROG(
			/* 0 */ LDX(BPF_DW, 6, 1, 0), STX(BPF_DW, 10, 6, -16),
			/* 2 */ STX(BPF_DW, 10, 1, -8), MOV64_REG(1, 6), LD_FUNC(2, 8),
			/* 6 */ MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -16), MOV64_IMM(4, 0),
			/* 9 */ CALL_HELPER(LOOP), LDX(BPF_DW, 1, 10, -16),
			/* 11 */ LDX(BPF_B, 0, 1, 0), EXIT_INSN(),
			/* 13: cb */ LDX(BPF_DW, 3, 2, 8), STX(BPF_DW, 2, 3, 0),
			/* 15 */ MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(11, "R1 invalid mem access 'scalar'") },
		/* The same with the counter bounded in the callback is fine. */
		{ "callback counter bounded", PROG(
			/* 0 */ STX(BPF_DW, 10, 1, -16), ST_IMM(BPF_DW, 10, -8, 0),
			/* 2 */ MOV64_IMM(1, 100), LD_FUNC(2, 7), MOV64_REG(3, 10),
			/* 6 */ ALU64_IMM(BPF_ADD, 3, -16), MOV64_IMM(4, 0), CALL_HELPER(LOOP),
			/* 9 */ MOV64_IMM(0, 0), EXIT_INSN(),
			/* 11: cb */ LDX(BPF_DW, 3, 2, 8), LDX(BPF_DW, 4, 2, 0),
			/* 13 */ ALU64_IMM(BPF_AND, 3, 7), ALU64_REG(BPF_ADD, 4, 3),
			/* 15 */ LDX(BPF_B, 0, 4, 0), ALU64_IMM(BPF_ADD, 3, 1),
			/* 17 */ STX(BPF_DW, 2, 3, 8), MOV64_IMM(0, 0), EXIT_INSN()), 8, OK },
	};
	run_cases(cases, N(cases));
}

/* A pointer is not NULL, but its low 32 bits may be 0: a 32-bit compare
 * with 0 decides nothing. */
TEST(soundness_pointer_compare32)
{
	const struct scase cases[] = {
		{ "32-bit compare of a pointer with 0", PROG(
			JMP32_IMM(BPF_JNE, 10, 0, 2), LDX(BPF_B, 0, 2, 0), EXIT_INSN(),
			MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(1, "R2 invalid mem access 'scalar'") },
		{ "64-bit compare of a pointer with 0 is decided", PROG(
			JMP_IMM(BPF_JNE, 10, 0, 2), LDX(BPF_B, 0, 2, 0), EXIT_INSN(),
			MOV64_IMM(0, 0), EXIT_INSN()), 8, OK },
	};
	run_cases(cases, N(cases));
}

/* Class 9: an atomic must be aligned at every offset the pointer may hold. */
TEST(soundness_atomics)
{
	const struct scase cases[] = {
		{ "8-byte atomic at a variable offset", PROG(
			ST_IMM(BPF_DW, 10, -16, 0), ST_IMM(BPF_DW, 10, -8, 0),
			LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 4), MOV64_REG(4, 10),
			ALU64_IMM(BPF_ADD, 4, -16), ALU64_REG(BPF_ADD, 4, 3), MOV64_IMM(5, 1),
			ATOMIC(BPF_DW, 4, 5, 0, BPF_ADD), MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(8, "misaligned stack access off (0x0; 0x4)+-16+0 size 8") },
		{ "8-byte atomic at aligned variable offsets", PROG(
			ST_IMM(BPF_DW, 10, -16, 0), ST_IMM(BPF_DW, 10, -8, 0),
			LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 8), MOV64_REG(4, 10),
			ALU64_IMM(BPF_ADD, 4, -16), ALU64_REG(BPF_ADD, 4, 3), MOV64_IMM(5, 1),
			ATOMIC(BPF_DW, 4, 5, 0, BPF_ADD), MOV64_IMM(0, 0), EXIT_INSN()), 8, OK },
	};
	run_cases(cases, N(cases));
}

/* Class 10: a function pointer never becomes a number. */
TEST(soundness_function_pointer_opacity)
{
	const struct scase cases[] = {
		{ "helper reads a spilled function pointer", PROG(
			LD_FUNC(2, 9), STX(BPF_DW, 10, 2, -8), ST_IMM(BPF_DW, 10, -16, 0),
			MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, -16), MOV64_IMM(2, 16),
			CALL_HELPER(6), MOV64_IMM(0, 0), EXIT_INSN(),
			/* 10: f */ MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(7, "R1 points to a spilled function pointer the helper would read: a "
		      "function pointer is opaque") },
	};
	run_cases(cases, N(cases));
}

/* The self-check has teeth: with the fact for r0 at the exit narrowed by
 * hand below the value the program computes, the run must fail and say so. */
TEST(soundness_self_check_detects_wrong_facts)
{
	struct bpf_insn insns[] = { LDX(BPF_B, 0, 1, 0), ALU64_IMM(BPF_AND, 0, 15), EXIT_INSN() };
	struct ibpf_object *obj = ibpf_object__open_raw(insns, N(insns), NULL);
	uint8_t mem[8] = { 9 };
	char log[512] = "";

	CHECK(obj);
	struct ibpf_program *p = ibpf_object__next_program(obj, NULL);
	ibpf_program__set_mem_size(p, sizeof(mem));
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = mem, .ctx_size_in = sizeof(mem),
		  .flags = IBPF_RUN_SELF_CHECK, .log_buf = log, .log_size = sizeof(log));
	CHECK_EQ(ibpf_prog_test_run_opts(p, &o), 0);
	CHECK_EQ(o.retval, 9);
	CHECK(p->facts && p->facts->insn[2].states);
	struct insn_fact *f = &p->facts->insn[2];
	CHECK(!f->regs[0].any && f->regs[0].n == 1);
	/* The verifier's truth: r0 in [0, 15].  Claim [0, 7] instead, and say
	 * that its value mattered there. */
	f->regs[0].v[0].umax = 7;
	f->regs[0].v[0].smax = 7;
	f->need_regs |= 1;
	/* Both engines: the interpreter and the JIT's self-check build. */
	for (int e = 0; e < 2; e++) {
		mem[0] = 9;
		o.engine = e ? IBPF_ENGINE_JIT : IBPF_ENGINE_INTERP;
		CHECK_EQ(ibpf_prog_test_run_opts(p, &o), -EFAULT);
		CHECK_STR_CONTAINS(log, "self-check: insn 2: R0 = 0x9 is outside what the "
				   "verifier proved: scalar(off=[0,7]");
		/* A value inside the narrowed fact passes. */
		mem[0] = 3;
		CHECK_EQ(ibpf_prog_test_run_opts(p, &o), 0);
		CHECK_EQ(o.retval, 3);
	}
	ibpf_object__close(obj);
}

/* Program `prog` of object `obj` (clang-19 and clang-14 builds) verified
 * against `want`.  Returns 0 when the objects are not built. */
static int expect_both_compilers(const char *obj, const char *prog, struct verify_want want)
{
	for (int c14 = 0; c14 < 2; c14++) {
		char file[64];
		snprintf(file, sizeof(file), "%s%s.o", obj, c14 ? ".clang14" : "");
		struct ibpf_object *o = ibpf_object__open_file(test_obj(file), NULL);
		if (!o)
			return 0;
		struct ibpf_program *p = ibpf_object__find_program_by_name(o, prog);
		if (!p || !verify_expect(p, file, want)) {
			if (!p)
				fprintf(stderr, "  %s: no program %s\n", file, prog);
			test_failed = 1;
		}
		ibpf_object__close(o);
	}
	return 1;
}

/* Class 5 and 8 in BPF C (tests/progs/sound_rodata.bpf.c): no read of a
 * function-pointer slot other than the whole slot; a BPF_F_RDONLY_PROG map
 * that is not frozen is no constant. */
TEST(soundness_rodata_reads)
{
	static const struct { const char *prog; struct verify_want want; } cases[] = {
		{ "partial_fptr", REJ(2, "invalid read from map '.rodata' off=8 size=4: overlaps "
				     "with a pointer to a function at off 8") },
		{ "mixed_index", REJ(6, "variable read from map '.rodata' mixes function pointers "
				    "and data: a function pointer may not become a number") },
		{ "rdonly_unfrozen", REJ(21, "math between fp pointer and register with unbounded "
					"min value is not allowed") },
	};
	for (size_t i = 0; i < N(cases); i++)
		if (!expect_both_compilers("sound_rodata", cases[i].prog, cases[i].want))
			SKIP("test objects not built (make progs)");
}

/* The independent attack round's programs (tests/progs/attack_NN.bpf.c, each
 * with how it once got past): all rejected now, from both compilers. */
TEST(soundness_attack_programs)
{
	static const struct { const char *obj; struct verify_want want; } cases[] = {
		{ "attack_01", REJ(34, "math between map_value pointer and register with "
				   "unbounded min value is not allowed") },
		{ "attack_02", REJ(8, "R6 invalid mem access 'scalar'") },
		{ "attack_03", REJ(28, "R0 invalid mem access 'map_value_or_null'") },
		{ "attack_04", REJ(25, "R1 type=scalar expected=fp, pkt, pkt_meta, map_key, "
				   "map_value, mem, ringbuf_mem, buf, trusted_ptr_") },
		{ "attack2_01", REJ(37, "math between map_value pointer and register with "
				    "unbounded min value is not allowed") },
		{ "attack3_01", REJ(17, "math between map_value pointer and register with "
				    "unbounded min value is not allowed") },
		{ "attack3_02", REJ(9, "The sequence of 8192 jumps is too complex.") },
		{ "attack4_01", REJ(4, "R6 invalid mem access 'scalar'") },
	};
	for (size_t i = 0; i < N(cases); i++)
		if (!expect_both_compilers(cases[i].obj, cases[i].obj, cases[i].want))
			SKIP("attack objects not built (make progs)");
}
