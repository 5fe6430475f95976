/* test_interp.c - the interpreter's semantics for every instruction class,
 * on raw instruction streams (r1 = memory, r2 = its length). */
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "alu_cases.h"
#include "insn_build.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Run raw insns; returns the run's rc and r0 in *r0, the error in log. */
static int run_raw_flags(const struct bpf_insn *insns, size_t n, void *mem, uint32_t len,
			 uint64_t *r0, char *log, size_t logsz, uint32_t flags)
{
	struct ibpf_object *obj = ibpf_object__open_raw(insns, n, NULL);
	int rc;

	if (!obj)
		return -errno;
	IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = mem, .ctx_size_in = len,
		  .ctx_out = mem, .ctx_size_out = len, .log_buf = log, .log_size = logsz,
		  .flags = flags);
	rc = ibpf_prog_test_run_opts(ibpf_object__next_program(obj, NULL), &o);
	*r0 = o.retval;
	ibpf_object__close(obj);
	return rc;
}

/* Semantics tests run the unchecked fast path (the programs are trusted:
 * some end in unreachable code the verifier would refuse); the checked-mode
 * tests run unverified programs under bounds checks. */
#define run_raw(i, n, m, l, r, lg, ls) run_raw_flags(i, n, m, l, r, lg, ls, IBPF_RUN_TRUSTED)
#define run_checked(i, n, m, l, r, lg, ls) run_raw_flags(i, n, m, l, r, lg, ls, IBPF_RUN_CHECKED)


TEST(interp_alu_and_jumps)
{
	const struct alu_case alu_cases[] = { ALU_CASES };

	for (size_t i = 0; i < N(alu_cases); i++) {
		const struct alu_case *c = &alu_cases[i];
		uint64_t r0 = 0xdead;
		char log[256] = "";
		int rc = run_raw(c->insns, c->n, NULL, 0, &r0, log, sizeof(log));
		if (rc || r0 != c->expect) {
			fprintf(stderr, "  case '%s': rc %d r0 0x%llx, want 0x%llx (%s)\n", c->name, rc,
				(unsigned long long)r0, (unsigned long long)c->expect, log);
			test_failed = 1;
		}
	}
}

TEST(interp_memory_and_atomics)
{
	uint8_t mem[16] = { 0x80, 0xff, 0x01, 0x02 };
	const struct bpf_insn prog[] = {
		LDXS(BPF_B, 3, 1, 0),            /* r3 = (s8)0x80 = -128 */
		LDXS(BPF_H, 4, 1, 0),            /* r4 = (s16)0xff80 = -128 */
		ALU64_REG(BPF_ADD, 3, 4),        /* r3 = -256 */
		STX(BPF_DW, 1, 3, 8),            /* mem[8..16] = -256 */
		MOV64_IMM(5, 10),
		ATOMIC(BPF_DW, 1, 5, 8, BPF_ADD | BPF_FETCH), /* r5 = -256, mem = -246 */
		MOV64_IMM(0, -246),
		MOV64_IMM(6, 77),
		ATOMIC(BPF_DW, 1, 6, 8, BPF_CMPXCHG),  /* equal: mem = 77, r0 = -246 */
		MOV64_IMM(7, 5),
		ATOMIC(BPF_DW, 1, 7, 8, BPF_XCHG),     /* r7 = 77, mem = 5 */
		ALU64_REG(BPF_ADD, 0, 5),        /* -246 + -256 */
		ALU64_REG(BPF_ADD, 0, 7),        /* + 77 */
		LDX(BPF_DW, 8, 1, 8),
		ALU64_REG(BPF_ADD, 0, 8),        /* + 5 */
		EXIT_INSN(),
	};
	uint64_t r0;
	char log[256] = "";

	CHECK_EQ(run_raw(prog, N(prog), mem, sizeof(mem), &r0, log, sizeof(log)), 0);
	CHECK_EQ((int64_t)r0, -246 - 256 + 77 + 5);
	CHECK_EQ(mem[8], 5);
}

TEST(interp_raw_r2_is_length)
{
	uint8_t mem[5] = { 0 };
	const struct bpf_insn prog[] = { MOV64_REG(0, 2), EXIT_INSN() };
	uint64_t r0;

	CHECK_EQ(run_raw(prog, N(prog), mem, sizeof(mem), &r0, NULL, 0), 0);
	CHECK_EQ(r0, 5);
}

/* callx in both encodings, a function pointer spilled to the stack, and a
 * local call; targets are subprograms found from the pc-relative refs. */
TEST(interp_callx_both_encodings)
{
	const struct bpf_insn prog[] = {
		LD_FUNC(2, 9),                   /* 0: r2 = &f (insn 10) */
		STX(BPF_DW, 10, 2, -8),          /* 2: spill */
		LDX(BPF_DW, 3, 10, -8),          /* 3: fill */
		MOV64_IMM(1, 20),                /* 4 */
		CALLX_DST(3),                    /* 5: LLVM >= 19 encoding */
		MOV64_REG(6, 0),                 /* 6: r6 = 21 */
		CALLX_IMM(3),                    /* 7: LLVM <= 18 encoding: r1 clobbered? */
		ALU64_REG(BPF_ADD, 0, 6),        /* 8 */
		EXIT_INSN(),                     /* 9 */
		MOV64_REG(0, 1),                 /* 10: f(x) = x + 1 */
		ALU64_IMM(BPF_ADD, 0, 1),
		EXIT_INSN(),
	};
	uint64_t r0;
	char log[256] = "";

	CHECK_EQ(run_raw(prog, N(prog), NULL, 0, &r0, log, sizeof(log)), 0);
	/* The second call sees whatever r1 holds (20 in this interpreter). */
	CHECK_EQ(r0, 21 + 21);
}

TEST(interp_local_call_keeps_callee_saved)
{
	const struct bpf_insn prog[] = {
		MOV64_IMM(6, 100),
		MOV64_IMM(1, 5),
		CALL_LOCAL(2),
		ALU64_REG(BPF_ADD, 0, 6),
		EXIT_INSN(),
		MOV64_IMM(6, 7),                 /* callee clobbers r6 ... */
		MOV64_REG(0, 1),
		ALU64_IMM(BPF_MUL, 0, 3),
		EXIT_INSN(),                     /* ... and the caller gets it back */
	};
	uint64_t r0;

	CHECK_EQ(run_raw(prog, N(prog), NULL, 0, &r0, NULL, 0), 0);
	CHECK_EQ(r0, 115);
}

TEST(interp_checked_mode_stops_bad_access)
{
	const struct bpf_insn oob[] = { LDX(BPF_DW, 0, 1, 8), EXIT_INSN() };
	const struct bpf_insn above_stack[] = { LDX(BPF_DW, 0, 10, 0), EXIT_INSN() };
	const struct bpf_insn read_past_end[] = { ST_IMM(BPF_W, 1, 0, 1), MOV64_IMM(0, 0),
					     LDX(BPF_W, 0, 1, 6), EXIT_INSN() };
	const struct bpf_insn bad_callx[] = { MOV64_IMM(2, 24), CALLX_DST(2), EXIT_INSN() };
	const struct bpf_insn loop[] = { JA(-1), EXIT_INSN() };
	uint8_t mem[8] = { 0 };
	uint64_t r0;
	char log[256];

	CHECK_EQ(run_checked(oob, N(oob), mem, 8, &r0, log, sizeof(log)), -EFAULT);
	CHECK_STR_CONTAINS(log, "insn 0: invalid read of 8 bytes");
	CHECK_EQ(run_checked(above_stack, N(above_stack), mem, 8, &r0, log, sizeof(log)), -EFAULT);
	CHECK_STR_CONTAINS(log, "insn 0: invalid read");
	CHECK_EQ(run_checked(read_past_end, N(read_past_end), mem, 8, &r0, log, sizeof(log)), -EFAULT);
	CHECK_STR_CONTAINS(log, "insn 2: invalid read of 4 bytes");
	CHECK_EQ(run_checked(bad_callx, N(bad_callx), NULL, 0, &r0, log, sizeof(log)), -EFAULT);
	CHECK_STR_CONTAINS(log, "insn 1: callx r2: 0x18 is not a function pointer");
	CHECK_EQ(run_checked(loop, N(loop), NULL, 0, &r0, log, sizeof(log)), -EFAULT);
	CHECK_STR_CONTAINS(log, "instruction limit");
}

TEST(interp_recursion_depth_is_bounded)
{
	const struct bpf_insn prog[] = { CALL_LOCAL(-1), EXIT_INSN() };
	const struct bpf_insn self[] = { CALL_LOCAL(1), EXIT_INSN(), CALL_LOCAL(-1), EXIT_INSN() };
	uint64_t r0;
	char log[256];

	/* A call to itself at insn 0 targets the entry: the decoder allows it,
	 * the run stops at 8 frames. */
	(void)prog;
	CHECK_EQ(run_checked(self, N(self), NULL, 0, &r0, log, sizeof(log)), -EFAULT);
	CHECK_STR_CONTAINS(log, "call stack too deep");
}
