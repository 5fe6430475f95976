/* alu_cases.h - the ALU and jump semantics table, one program per case
 * computing r0; shared by the interpreter's and the JIT's tests. */
#ifndef IBPF_ALU_CASES_H
#define IBPF_ALU_CASES_H

#include "insn_build.h"

struct alu_case {
	const char *name;
	struct bpf_insn insns[8];
	size_t n;
	uint64_t expect;
};

#define ALU_CASE_N(a) (sizeof(a) / sizeof((a)[0]))
/* Each case ends with an exit. */
#define CASE(NAME, EXPECT, ...) { NAME, { __VA_ARGS__, EXIT_INSN() }, \
	ALU_CASE_N(((struct bpf_insn[]){ __VA_ARGS__, EXIT_INSN() })), (uint64_t)(EXPECT) }

/* The cases, for `const struct alu_case t[] = { ALU_CASES };` */
#define ALU_CASES \
	CASE("div64 by zero is 0", 0, MOV64_IMM(0, 7), MOV64_IMM(3, 0), ALU64_REG(BPF_DIV, 0, 3)), \
	CASE("div64 imm", 3, MOV64_IMM(0, 10), ALU64_IMM(BPF_DIV, 0, 3)), \
	CASE("mod64 by zero keeps dividend", 7, MOV64_IMM(0, 7), MOV64_IMM(3, 0), \
	     ALU64_REG(BPF_MOD, 0, 3)), \
	CASE("mod32 by zero keeps low half, zero-extended", 0xffffffffull, \
	     MOV64_IMM(0, -1), MOV64_IMM(3, 0), ALU32_REG(BPF_MOD, 0, 3)), \
	CASE("div32 by zero is 0", 0, MOV64_IMM(0, -1), MOV64_IMM(3, 0), ALU32_REG(BPF_DIV, 0, 3)), \
	CASE("div64 unsigned", 0x7fffffffffffffffull, MOV64_IMM(0, -1), MOV64_IMM(3, 2), \
	     ALU64_REG(BPF_DIV, 0, 3)), \
	CASE("sdiv64", (uint64_t)-3, MOV64_IMM(0, -7), MOV64_IMM(3, 2), SALU64_REG(BPF_DIV, 0, 3)), \
	CASE("sdiv64 INT64_MIN / -1 wraps", 0x8000000000000000ull, \
	     LD_IMM64(0, 0x8000000000000000ull), MOV64_IMM(3, -1), SALU64_REG(BPF_DIV, 0, 3)), \
	CASE("smod64 sign of dividend", (uint64_t)-1, MOV64_IMM(0, -7), MOV64_IMM(3, 2), \
	     SALU64_REG(BPF_MOD, 0, 3)), \
	CASE("smod64 by -1 is 0", 0, MOV64_IMM(0, -7), MOV64_IMM(3, -1), SALU64_REG(BPF_MOD, 0, 3)), \
	CASE("sdiv32 zero-extends", 0xfffffffdull, MOV64_IMM(0, -7), MOV64_IMM(3, 2), \
	     SALU32_REG(BPF_DIV, 0, 3)), \
	CASE("smod32 by zero", 0xfffffff9ull, MOV64_IMM(0, -7), MOV64_IMM(3, 0), \
	     SALU32_REG(BPF_MOD, 0, 3)), \
	CASE("lsh64 count masked to 63", 2, MOV64_IMM(0, 1), MOV64_IMM(3, 65), \
	     ALU64_REG(BPF_LSH, 0, 3)), \
	CASE("lsh32 count masked to 31", 2, MOV64_IMM(0, 1), MOV64_IMM(3, 33), \
	     ALU32_REG(BPF_LSH, 0, 3)), \
	CASE("rsh64 logical", 0x7fffffffffffffffull, MOV64_IMM(0, -1), ALU64_IMM(BPF_RSH, 0, 1)), \
	CASE("arsh64", (uint64_t)-1, MOV64_IMM(0, -2), ALU64_IMM(BPF_ARSH, 0, 1)), \
	CASE("arsh32 zero-extends", 0xffffffffull, MOV64_IMM(0, -2), ALU32_IMM(BPF_ARSH, 0, 1)), \
	CASE("add32 wraps and zero-extends", 0, MOV64_IMM(0, -1), ALU32_IMM(BPF_ADD, 0, 1)), \
	CASE("mov32 zero-extends", 0xffffffffull, MOV64_IMM(0, -1), ALU32_REG(BPF_MOV, 0, 0)), \
	CASE("mov64 imm sign-extends", (uint64_t)-1, MOV64_IMM(0, -1)), \
	CASE("neg64", (uint64_t)-5, MOV64_IMM(0, 5), ALU64_IMM(BPF_NEG, 0, 0)), \
	CASE("neg32", 0xfffffffbull, MOV64_IMM(0, 5), ALU32_IMM(BPF_NEG, 0, 0)), \
	CASE("movsx64 s8", (uint64_t)-128, MOV64_IMM(1, 0x180), MOVSX64(0, 1, 8)), \
	CASE("movsx64 s16", (uint64_t)-1, MOV64_IMM(1, 0xffff), MOVSX64(0, 1, 16)), \
	CASE("movsx64 s32", (uint64_t)-1, LD_IMM64(1, 0xffffffffull), MOVSX64(0, 1, 32)), \
	CASE("movsx32 s8 zero-extends", 0xffffff80ull, MOV64_IMM(1, 0x80), MOVSX32(0, 1, 8)), \
	CASE("be16", 0x3412, LD_IMM64(0, 0xaaaa1234), RAW(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 16)), \
	CASE("be32", 0x78563412, LD_IMM64(0, 0xaa12345678ull), \
	     RAW(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 32)), \
	CASE("be64", 0x0807060504030201ull, LD_IMM64(0, 0x0102030405060708ull), \
	     RAW(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 64)), \
	CASE("le16 truncates", 0x1234, LD_IMM64(0, 0xaaaa1234), RAW(BPF_ALU | BPF_END, 0, 0, 0, 16)), \
	CASE("bswap16", 0x3412, LD_IMM64(0, 0xaaaa1234), RAW(BPF_ALU64 | BPF_END, 0, 0, 0, 16)), \
	CASE("bswap64", 0x0807060504030201ull, LD_IMM64(0, 0x0102030405060708ull), \
	     RAW(BPF_ALU64 | BPF_END, 0, 0, 0, 64)), \
	CASE("jmp32 compares the low half", 1, LD_IMM64(1, 0x100000005ull), MOV64_IMM(0, 0), \
	     JMP32_IMM(BPF_JEQ, 1, 5, 1), EXIT_INSN(), MOV64_IMM(0, 1)), \
	CASE("jsgt signed", 1, MOV64_IMM(1, -1), MOV64_IMM(0, 1), JMP_IMM(BPF_JSGT, 1, 0, 1), \
	     EXIT_INSN(), EXIT_INSN()), \
	CASE("jgt unsigned", 2, MOV64_IMM(1, -1), MOV64_IMM(0, 1), JMP_IMM(BPF_JGT, 1, 0, 1), \
	     EXIT_INSN(), MOV64_IMM(0, 2)), \
	CASE("gotol", 9, MOV64_IMM(0, 1), GOTOL(1), EXIT_INSN(), MOV64_IMM(0, 9)), \
	CASE("jset", 3, MOV64_IMM(1, 6), MOV64_IMM(0, 3), JMP_IMM(BPF_JSET, 1, 1, 1), EXIT_INSN(), \
	     EXIT_INSN()),

#endif
