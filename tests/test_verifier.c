/* test_verifier.c - one program per verifier rule, on raw instruction
 * streams (r1 = memory of mem_size bytes, r2 = that size).  Every case pins
 * its outcome exactly (verify_expect.h): OK, or REJ(insn, "line"), the
 * instruction that fails and the whole error line the verifier logs. */
#include <errno.h>
#include <stdlib.h>

#include <ibpf/ibpf.h>
#include "insn_build.h"
#include "test.h"
#include "verify_expect.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct vcase {
	const char *name;
	struct bpf_insn insns[24];
	size_t n;
	uint32_t mem_size;
	struct verify_want want;
};

#define PROG(...) { __VA_ARGS__ }, N(((struct bpf_insn[]){ __VA_ARGS__ }))
#define OK VE_ACCEPTED
#define REJ(INSN, MSG) VE_REJECTED(INSN, MSG)

/* Tails of two long lines of ibpf's own (function pointers). */
#define NOT_CALLABLE " (a function pointer loaded from writable memory or changed by " \
	"arithmetic is not callable)"
#define STORE_HINT ": user space could read or change it; keep function pointers on the " \
	"stack, in const tables or in SEC(\"callx\")"

/* bpf_loop and trace_printk helper ids (UAPI numbers). */
#define LOOP 181
#define PRINTK 6

static void run_cases(const struct vcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!verify_raw_expect(cases[i].insns, cases[i].n, cases[i].mem_size, cases[i].name,
				       cases[i].want, NULL))
			test_failed = 1;
}

TEST(verifier_registers_and_alu)
{
	const struct vcase cases[] = {
		{ "exit without r0", PROG(EXIT_INSN()), 8, REJ(0, "R0 !read_ok") },
		{ "read of an uninitialized register", PROG(MOV64_REG(0, 3), EXIT_INSN()), 8,
		  REJ(0, "R3 !read_ok") },
		{ "division by constant zero", PROG(MOV64_IMM(0, 1), ALU64_IMM(BPF_DIV, 0, 0),
						     EXIT_INSN()), 8, REJ(1, "div by zero") },
		{ "modulo by constant zero", PROG(MOV64_IMM(0, 1), ALU32_IMM(BPF_MOD, 0, 0),
						   EXIT_INSN()), 8, REJ(1, "div by zero") },
		{ "division by a zero register is defined", PROG(MOV64_IMM(0, 1), MOV64_IMM(3, 0),
			ALU64_REG(BPF_DIV, 0, 3), EXIT_INSN()), 8, OK },
		{ "shift by 64", PROG(MOV64_IMM(0, 1), ALU64_IMM(BPF_LSH, 0, 64), EXIT_INSN()), 8,
		  REJ(1, "invalid shift 64") },
		{ "32-bit shift by 32", PROG(MOV64_IMM(0, 1), ALU32_IMM(BPF_RSH, 0, 32), EXIT_INSN()),
		  8, REJ(1, "invalid shift 32") },
		{ "bitwise op on a pointer", PROG(ALU64_IMM(BPF_AND, 1, 7), MOV64_IMM(0, 0), EXIT_INSN()),
		  8, REJ(0, "R1 bitwise operator &= on pointer prohibited") },
		{ "multiply a pointer", PROG(ALU64_IMM(BPF_MUL, 1, 2), MOV64_IMM(0, 0), EXIT_INSN()),
		  8, REJ(0, "R1 pointer arithmetic with *= operator prohibited") },
		{ "32-bit pointer add", PROG(ALU32_IMM(BPF_ADD, 1, 2), MOV64_IMM(0, 0), EXIT_INSN()),
		  8, REJ(0, "R1 32-bit pointer arithmetic prohibited") },
		{ "pointer plus pointer", PROG(MOV64_REG(3, 10), ALU64_REG(BPF_ADD, 1, 3),
					       MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(1, "R1 pointer += pointer prohibited") },
		{ "scalar minus pointer", PROG(MOV64_IMM(3, 0), ALU64_REG(BPF_SUB, 3, 1),
					       MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(1, "R3 tried to subtract pointer from scalar") },
		{ "pointer minus pointer is a scalar (privileged)", PROG(MOV64_REG(3, 1),
			ALU64_REG(BPF_SUB, 3, 1), MOV64_REG(0, 3), EXIT_INSN()), 8, OK },
	};
	run_cases(cases, N(cases));
}

TEST(verifier_memory)
{
	const struct vcase cases[] = {
		{ "load through a scalar", PROG(MOV64_IMM(3, 0), LDX(BPF_DW, 0, 3, 0), EXIT_INSN()), 8,
		  REJ(1, "R3 invalid mem access 'scalar'") },
		{ "load inside memory", PROG(LDX(BPF_DW, 0, 1, 0), EXIT_INSN()), 8, OK },
		{ "load past the end of memory", PROG(LDX(BPF_DW, 0, 1, 4), EXIT_INSN()), 8,
		  REJ(0, "invalid access to memory, mem_size=8 off=4 size=8") },
		{ "load before memory", PROG(LDX(BPF_B, 0, 1, -1), EXIT_INSN()), 8,
		  REJ(0, "invalid access to memory, mem_size=8 off=-1 size=1") },
		{ "bounded variable offset", PROG(LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 7),
			ALU64_REG(BPF_ADD, 1, 3), LDX(BPF_B, 0, 1, 0), EXIT_INSN()), 8, OK },
		{ "variable offset one byte too far", PROG(LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 7),
			ALU64_REG(BPF_ADD, 1, 3), LDX(BPF_H, 0, 1, 0), EXIT_INSN()), 8,
		  REJ(3, "R1 max value is outside of the allowed memory range") },
		{ "unbounded variable offset", PROG(LDX(BPF_DW, 3, 1, 0), ALU64_REG(BPF_ADD, 1, 3),
			LDX(BPF_B, 0, 1, 0), EXIT_INSN()), 8,
		  REJ(1, "math between mem pointer and register with unbounded min value is not allowed") },
		{ "unbounded positive variable offset", PROG(LDX(BPF_W, 3, 1, 0),
			ALU64_REG(BPF_ADD, 1, 3), LDX(BPF_B, 0, 1, 0), EXIT_INSN()), 8,
		  REJ(2, "R1 unbounded memory access, make sure to bounds check any such access") },
		{ "branch-bounded offset", PROG(LDX(BPF_DW, 3, 1, 0), MOV64_IMM(0, 0),
			JMP_IMM(BPF_JGT, 3, 7, 2), ALU64_REG(BPF_ADD, 1, 3), LDX(BPF_B, 0, 1, 0),
			EXIT_INSN()), 8, OK },
		{ "signed bound only: negative min", PROG(LDX(BPF_DW, 3, 1, 0), MOV64_IMM(0, 0),
			JMP_IMM(BPF_JSGT, 3, 7, 2), ALU64_REG(BPF_ADD, 1, 3), LDX(BPF_B, 0, 1, 0),
			EXIT_INSN()), 8,
		  REJ(3, "math between mem pointer and register with unbounded min value is not allowed") },
		{ "signed bound with a non-negative check", PROG(LDX(BPF_DW, 3, 1, 0), MOV64_IMM(0, 0),
			JMP_IMM(BPF_JSGT, 3, 7, 3), JMP_IMM(BPF_JSLT, 3, -2, 2),
			ALU64_REG(BPF_ADD, 1, 3), LDX(BPF_B, 0, 1, 0), EXIT_INSN()), 8,
		  REJ(5, "R1 min value is negative, either use unsigned index or do a if (index >=0) check.") },
		{ "stack read of spilled pointer", PROG(STX(BPF_DW, 10, 1, -8), LDX(BPF_DW, 3, 10, -8),
			LDX(BPF_B, 0, 3, 0), EXIT_INSN()), 8, OK },
		{ "stack below 512 bytes", PROG(LDX(BPF_DW, 0, 10, -520), EXIT_INSN()), 8,
		  REJ(0, "invalid read from stack R10 off=-520 size=8") },
		{ "stack write above the frame", PROG(ST_IMM(BPF_DW, 10, 0, 1), MOV64_IMM(0, 0),
						       EXIT_INSN()), 8,
		  REJ(0, "invalid write to stack R10 off=0 size=8") },
		{ "uninitialized stack read (privileged)", PROG(LDX(BPF_DW, 0, 10, -8), EXIT_INSN()),
		  8, OK },
		{ "partial pointer spill", PROG(STX(BPF_W, 10, 1, -8), MOV64_IMM(0, 0), EXIT_INSN()),
		  8, REJ(0, "invalid size of register spill") },
		{ "scalar filled from a partially overwritten pointer", PROG(STX(BPF_DW, 10, 1, -8),
			ST_IMM(BPF_B, 10, -8, 0), LDX(BPF_DW, 3, 10, -8), LDX(BPF_B, 0, 3, 0),
			EXIT_INSN()), 8, REJ(3, "R3 invalid mem access 'scalar'") },
	};
	run_cases(cases, N(cases));
}

/* Pinned as ibpf logs them today.  Where the kernel's line differs (its CFG
 * and decode lines have no "insn N: " prefix and no "(code 0x..)"), and
 * where err_insn does not name the instruction the line names (-1 for the
 * CFG and decode checks, 0 for "unreachable insn 2"), a verifier change
 * updates the case. */
TEST(verifier_control_flow)
{
	const struct vcase cases[] = {
		{ "unreachable instruction", PROG(MOV64_IMM(0, 0), EXIT_INSN(), EXIT_INSN()), 8,
		  REJ(0, "unreachable insn 2") },
		{ "infinite loop", PROG(MOV64_IMM(0, 0), JMP_IMM(BPF_JEQ, 0, 0, -1), EXIT_INSN()), 8,
		  REJ(1, "infinite loop detected at insn 1") },
		{ "bounded loop", PROG(MOV64_IMM(0, 0), ALU64_IMM(BPF_ADD, 0, 1),
			JMP_IMM(BPF_JLT, 0, 100, -2), EXIT_INSN()), 8, OK },
		{ "loop too long to walk", PROG(MOV64_IMM(0, 0), ALU64_IMM(BPF_ADD, 0, 1),
			JMP_IMM(BPF_JLT, 0, 2000000, -2), EXIT_INSN()), 8,
		  REJ(1, "BPF program is too large. Processed 1000001 insn") },
		{ "dead branch is not walked", PROG(MOV64_IMM(0, 1), JMP_IMM(BPF_JEQ, 0, 1, 1),
			LDX(BPF_DW, 0, 0, 0), EXIT_INSN()), 8, OK },
		{ "32-bit compare decides", PROG(LD_IMM64(3, 0x100000001ull), MOV64_IMM(0, 0),
			JMP32_IMM(BPF_JEQ, 3, 1, 1), LDX(BPF_DW, 0, 0, 0), EXIT_INSN()), 8, OK },
		{ "jump out of range", PROG(JA(5), EXIT_INSN()), 8,
		  REJ(-1, "insn 0: jump out of range from insn 0 to 6") },
		{ "fall off the end", PROG(MOV64_IMM(0, 0)), 8,
		  REJ(-1, "insn 0: last insn is not an exit or jmp") },
		{ "write to r10", PROG(MOV64_IMM(10, 0), EXIT_INSN()), 8,
		  REJ(-1, "insn 0: frame pointer is read only (code 0xb7)") },
		{ "unknown opcode", PROG(RAW(0xff, 0, 0, 0, 0), EXIT_INSN()), 8,
		  REJ(-1, "insn 0: unknown opcode (code 0xff)") },
	};
	run_cases(cases, N(cases));
}

TEST(verifier_calls)
{
	const struct vcase cases[] = {
		{ "call keeps r6-r9, clobbers r1-r5", PROG(MOV64_IMM(6, 1), MOV64_IMM(3, 1),
			CALL_LOCAL(3), ALU64_REG(BPF_ADD, 0, 6), ALU64_REG(BPF_ADD, 0, 3), EXIT_INSN(),
			MOV64_IMM(0, 2), EXIT_INSN()), 8, REJ(4, "R3 !read_ok") },
		{ "callee reads an argument never set", PROG(CALL_LOCAL(1), EXIT_INSN(),
			MOV64_REG(0, 4), EXIT_INSN()), 8, REJ(2, "R4 !read_ok") },
		{ "direct recursion", PROG(MOV64_IMM(0, 0), CALL_LOCAL(1), EXIT_INSN(),
			CALL_LOCAL(-1), EXIT_INSN()), 8, REJ(3, "recursive call from func_3() to func_3() at insn 3") },
		{ "returning the callee's stack", PROG(CALL_LOCAL(1), EXIT_INSN(),
			MOV64_REG(0, 10), EXIT_INSN()), 8, REJ(3, "cannot return stack pointer to the caller") },
		{ "combined stack over 512 bytes", PROG(ST_IMM(BPF_DW, 10, -320, 0), CALL_LOCAL(2),
			MOV64_IMM(0, 0), EXIT_INSN(), ST_IMM(BPF_DW, 10, -320, 0), MOV64_IMM(0, 0),
			EXIT_INSN()), 8, REJ(3, "combined stack size of 2 calls is 640. Too large") },
		{ "unknown helper", PROG(CALL_HELPER(9999), EXIT_INSN()), 8,
		  REJ(0, "invalid func unknown#9999") },
		{ "printk with a negative size", PROG(LDX(BPF_DW, 2, 1, 0), CALL_HELPER(PRINTK),
							 EXIT_INSN()), 8,
		  REJ(1, "R2 min value is negative, either use unsigned or 'var &= const'") },
		{ "printk with an unbounded size", PROG(LDX(BPF_W, 2, 1, 0), CALL_HELPER(PRINTK),
							 EXIT_INSN()), 8,
		  REJ(1, "R2 unbounded memory access, use 'var &= const' or 'if (var < const)'") },
		{ "printk reading past memory", PROG(MOV64_IMM(2, 9), CALL_HELPER(PRINTK), EXIT_INSN()),
		  8, REJ(1, "invalid access to memory, mem_size=8 off=0 size=9") },
		{ "bpf_loop without a callback", PROG(MOV64_IMM(1, 3), MOV64_IMM(2, 0), MOV64_IMM(3, 0),
			MOV64_IMM(4, 0), CALL_HELPER(LOOP), EXIT_INSN()), 8, REJ(4, "R2 type=scalar expected=func") },
		{ "bpf_loop callback returning 5", PROG(MOV64_IMM(1, 3), LD_FUNC(2, 5), MOV64_IMM(3, 0),
			MOV64_IMM(4, 0), CALL_HELPER(LOOP), EXIT_INSN(), MOV64_IMM(0, 5), EXIT_INSN()), 8,
		  REJ(8, "At callback return the register R0 has smin=5 smax=5 should have been in [0, 1]") },
		{ "bpf_loop callback returning 0", PROG(MOV64_IMM(1, 3), LD_FUNC(2, 5), MOV64_IMM(3, 0),
			MOV64_IMM(4, 0), CALL_HELPER(LOOP), EXIT_INSN(), MOV64_IMM(0, 0), EXIT_INSN()), 8, OK },
	};
	run_cases(cases, N(cases));
}

/* Function pointers and callx (the indirect-call rules of DESIGN.md). */
TEST(verifier_function_pointers)
{
	const struct vcase cases[] = {
		{ "callx through ld_imm64", PROG(LD_FUNC(2, 4), MOV64_IMM(1, 4), CALLX_DST(2),
			EXIT_INSN(), MOV64_REG(0, 1), EXIT_INSN()), 8, OK },
		{ "callx, LLVM 18 encoding", PROG(LD_FUNC(2, 4), MOV64_IMM(1, 4), CALLX_IMM(2),
			EXIT_INSN(), MOV64_REG(0, 1), EXIT_INSN()), 8, OK },
		{ "callx on a scalar", PROG(MOV64_IMM(2, 48), CALLX_DST(2), EXIT_INSN()), 8,
		  REJ(1, "callx R2: expected a function pointer, got scalar" NOT_CALLABLE) },
		{ "callx on an uninitialized register", PROG(CALLX_DST(3), EXIT_INSN()), 8,
		  REJ(0, "R3 !read_ok") },
		{ "callx after pointer arithmetic", PROG(LD_FUNC(2, 4), ALU64_IMM(BPF_ADD, 2, 8),
			CALLX_DST(2), EXIT_INSN(), MOV64_IMM(0, 1), EXIT_INSN()), 8,
		  REJ(2, "R2 arithmetic on a function pointer is prohibited") },
		{ "spilled and filled function pointer", PROG(LD_FUNC(2, 5), STX(BPF_DW, 10, 2, -8),
			LDX(BPF_DW, 3, 10, -8), CALLX_DST(3), EXIT_INSN(), MOV64_IMM(0, 1),
			EXIT_INSN()), 8, OK },
		{ "function pointer partly overwritten", PROG(LD_FUNC(2, 6), STX(BPF_DW, 10, 2, -8),
			ST_IMM(BPF_B, 10, -8, 0), LDX(BPF_DW, 3, 10, -8), CALLX_DST(3), EXIT_INSN(),
			MOV64_IMM(0, 1), EXIT_INSN()), 8,
		  REJ(3, "attempt to corrupt spilled pointer on stack") },
		{ "function pointer stored to memory", PROG(LD_FUNC(2, 4), STX(BPF_DW, 1, 2, 0),
			MOV64_IMM(0, 0), EXIT_INSN(), MOV64_IMM(0, 1), EXIT_INSN()), 8,
		  REJ(2, "R2 storing a function pointer into mem is not allowed"
		      STORE_HINT) },
		{ "function pointer returned to the caller of the program", PROG(LD_FUNC(0, 2),
			EXIT_INSN(), MOV64_IMM(0, 1), EXIT_INSN()), 8,
		  REJ(2, "R0 leaks a function pointer as return value") },
		{ "recursion through a pointer", PROG(MOV64_IMM(0, 0), CALL_LOCAL(1), EXIT_INSN(),
			LD_FUNC(2, 3), CALLX_DST(2), EXIT_INSN(), CALL_LOCAL(-5), EXIT_INSN()), 8,
		  REJ(7, "recursive call from func_7() to func_3() at insn 7") },
		{ "target uses a pointer result as memory", PROG(LD_FUNC(2, 4), CALLX_DST(2),
			LDX(BPF_DW, 0, 0, 0), EXIT_INSN(), MOV64_IMM(0, 0), EXIT_INSN()), 8,
		  REJ(3, "R0 invalid mem access 'scalar'") },
		{ "variable stack read over two function pointers", PROG(
			LD_FUNC(2, 12), STX(BPF_DW, 10, 2, -16), LD_FUNC(2, 11), STX(BPF_DW, 10, 2, -8),
			LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 8), MOV64_REG(4, 10),
			ALU64_REG(BPF_ADD, 4, 3), LDX(BPF_DW, 5, 4, -16), CALLX_DST(5), EXIT_INSN(),
			MOV64_IMM(0, 1), EXIT_INSN(), MOV64_IMM(0, 2), EXIT_INSN()), 8, OK },
		{ "variable stack read reaching a non-pointer", PROG(
			LD_FUNC(2, 10), STX(BPF_DW, 10, 2, -16), ST_IMM(BPF_DW, 10, -8, 0),
			LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 8), MOV64_REG(4, 10),
			ALU64_REG(BPF_ADD, 4, 3), LDX(BPF_DW, 5, 4, -16), CALLX_DST(5), EXIT_INSN(),
			MOV64_IMM(0, 1), EXIT_INSN()), 8,
		  REJ(8, "variable-offset read from stack off [-16, -8] mixes function pointers "
		      "and data: a function pointer may not become a number") },
	};
	run_cases(cases, N(cases));
}

/* Verified programs then run on both engines with the same result. */
TEST(verifier_accepted_programs_run)
{
	const struct bpf_insn prog[] = {
		LD_FUNC(2, 12), STX(BPF_DW, 10, 2, -16), LD_FUNC(2, 11), STX(BPF_DW, 10, 2, -8),
		LDX(BPF_B, 3, 1, 0), ALU64_IMM(BPF_AND, 3, 8), MOV64_REG(4, 10),
		ALU64_REG(BPF_ADD, 4, 3), LDX(BPF_DW, 5, 4, -16), CALLX_DST(5), EXIT_INSN(),
		MOV64_IMM(0, 1), EXIT_INSN(), MOV64_IMM(0, 2), EXIT_INSN(),
	};
	for (int engine = IBPF_ENGINE_INTERP; engine <= IBPF_ENGINE_JIT; engine++)
		for (uint8_t sel = 0; sel <= 8; sel += 8) {
			struct ibpf_object *obj = ibpf_object__open_raw(prog, N(prog), NULL);
			uint8_t mem[8] = { sel };
			char log[512] = "";
			CHECK(obj);
			IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = mem, .ctx_size_in = 8,
				  .engine = engine, .log_buf = log, .log_size = sizeof(log));
			int rc = ibpf_prog_test_run_opts(ibpf_object__next_program(obj, NULL), &o);
			ibpf_object__close(obj);
			if (rc)
				fprintf(stderr, "  engine %d: %s\n", engine, log);
			CHECK_EQ(rc, 0);
			/* slot fp-16 holds f (returns 1), fp-8 holds g (returns 2) */
			CHECK_EQ(o.retval, sel ? 2 : 1);
		}
}
