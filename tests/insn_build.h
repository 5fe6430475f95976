/* insn_build.h - macros to write raw BPF instructions in tests (facts from
 * the UAPI encoding; names follow the kernel's filter.h conventions). */
#ifndef IBPF_INSN_BUILD_H
#define IBPF_INSN_BUILD_H

#include <linux/bpf.h>

#define RAW(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })
#define ALU64_IMM(OP, D, IMM)  RAW(BPF_ALU64 | BPF_OP(OP) | BPF_K, D, 0, 0, IMM)
#define ALU64_REG(OP, D, S)    RAW(BPF_ALU64 | BPF_OP(OP) | BPF_X, D, S, 0, 0)
#define ALU32_IMM(OP, D, IMM)  RAW(BPF_ALU | BPF_OP(OP) | BPF_K, D, 0, 0, IMM)
#define ALU32_REG(OP, D, S)    RAW(BPF_ALU | BPF_OP(OP) | BPF_X, D, S, 0, 0)
#define SALU64_REG(OP, D, S)   RAW(BPF_ALU64 | BPF_OP(OP) | BPF_X, D, S, 1, 0)
#define SALU32_REG(OP, D, S)   RAW(BPF_ALU | BPF_OP(OP) | BPF_X, D, S, 1, 0)
#define MOV64_IMM(D, IMM)      ALU64_IMM(BPF_MOV, D, IMM)
#define MOV64_REG(D, S)        ALU64_REG(BPF_MOV, D, S)
#define MOVSX64(D, S, BITS)    RAW(BPF_ALU64 | BPF_MOV | BPF_X, D, S, BITS, 0)
#define MOVSX32(D, S, BITS)    RAW(BPF_ALU | BPF_MOV | BPF_X, D, S, BITS, 0)
#define LD_IMM64_RAW(D, SRC, LO, HI) \
	RAW(BPF_LD | BPF_DW | BPF_IMM, D, SRC, 0, (int32_t)(LO)), RAW(0, 0, 0, 0, (int32_t)(HI))
#define LD_IMM64(D, V) LD_IMM64_RAW(D, 0, (uint64_t)(V), (uint64_t)(V) >> 32)
#define LD_FUNC(D, REL)        LD_IMM64_RAW(D, BPF_PSEUDO_FUNC, REL, 0)
#define LDX(SIZE, D, S, OFF)   RAW(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM, D, S, OFF, 0)
#define LDXS(SIZE, D, S, OFF)  RAW(BPF_LDX | BPF_SIZE(SIZE) | 0x80, D, S, OFF, 0)
#define STX(SIZE, D, S, OFF)   RAW(BPF_STX | BPF_SIZE(SIZE) | BPF_MEM, D, S, OFF, 0)
#define ST_IMM(SIZE, D, OFF, IMM) RAW(BPF_ST | BPF_SIZE(SIZE) | BPF_MEM, D, 0, OFF, IMM)
#define ATOMIC(SIZE, D, S, OFF, OP) RAW(BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC, D, S, OFF, OP)
#define JMP_IMM(OP, D, IMM, OFF) RAW(BPF_JMP | BPF_OP(OP) | BPF_K, D, 0, OFF, IMM)
#define JMP_REG(OP, D, S, OFF)   RAW(BPF_JMP | BPF_OP(OP) | BPF_X, D, S, OFF, 0)
#define JMP32_IMM(OP, D, IMM, OFF) RAW(BPF_JMP32 | BPF_OP(OP) | BPF_K, D, 0, OFF, IMM)
#define JA(OFF)                RAW(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
#define GOTOL(IMM)             RAW(BPF_JMP32 | BPF_JA, 0, 0, 0, IMM)
#define CALL_HELPER(ID)        RAW(BPF_JMP | BPF_CALL, 0, 0, 0, ID)
#define CALL_LOCAL(REL)        RAW(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, REL)
#define CALLX_DST(R)           RAW(BPF_JMP | BPF_CALL | BPF_X, R, 0, 0, 0)
#define CALLX_IMM(R)           RAW(BPF_JMP | BPF_CALL | BPF_X, 0, 0, 0, R)
#define EXIT_INSN()            RAW(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#endif
