/* isa.h - the eBPF instruction set: raw encoding, decoded form, validation,
 * disassembly.  The instruction list itself lives in opcodes.def. */
#ifndef IBPF_ISA_H
#define IBPF_ISA_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* Constants newer than Debian's UAPI header (values from RFC 9669). */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0
#endif
#ifndef BPF_PSEUDO_MAP_IDX
#define BPF_PSEUDO_MAP_IDX 5
#endif
#ifndef BPF_PSEUDO_MAP_IDX_VALUE
#define BPF_PSEUDO_MAP_IDX_VALUE 6
#endif
#define IBPF_CALLX_OPCODE 0x8d   /* BPF_JMP | BPF_CALL | BPF_X */
#define IBPF_MAX_REG 10          /* r0..r10; r10 is the read-only frame pointer */

/* Which fields tell apart operations that share an opcode byte. */
enum ibpf_disc { IBPF_DISC_ANY, IBPF_DISC_OFF, IBPF_DISC_IMM, IBPF_DISC_SRC };

/* Which fields an instruction uses; every other field must be zero. */
enum ibpf_shape {
	IBPF_SHAPE_ALU_K,       /* dst, imm (off may discriminate) */
	IBPF_SHAPE_ALU_X,       /* dst, src (off may discriminate) */
	IBPF_SHAPE_ALU_NEG,     /* dst */
	IBPF_SHAPE_ALU_END,     /* dst, imm in {16,32,64} */
	IBPF_SHAPE_JMP_A,       /* off */
	IBPF_SHAPE_JMP_A32,     /* imm */
	IBPF_SHAPE_JMP_K,       /* dst, off, imm */
	IBPF_SHAPE_JMP_X,       /* dst, src, off */
	IBPF_SHAPE_CALL_HELPER, /* imm */
	IBPF_SHAPE_CALL_LOCAL,  /* imm (pc-relative) */
	IBPF_SHAPE_CALLX,       /* register in dst (LLVM >= 19) or imm (LLVM <= 18) */
	IBPF_SHAPE_EXIT,
	IBPF_SHAPE_LD_IMM64,    /* dst, src (pseudo kind), imm, next imm */
	IBPF_SHAPE_LDX,         /* dst, src, off */
	IBPF_SHAPE_ST,          /* dst, off, imm */
	IBPF_SHAPE_STX,         /* dst, src, off */
	IBPF_SHAPE_ATOMIC,      /* dst, src, off, imm names the operation */
};

enum ibpf_op {
#define OP(name, code, disc, val, shape, text) IBPF_OP_##name,
#include "opcodes.def"
#undef OP
	IBPF_OP__COUNT
};

struct ibpf_op_info {
	const char *name;       /* "ADD64_K" */
	uint8_t code;           /* opcode byte */
	uint8_t disc;           /* enum ibpf_disc */
	int32_t disc_val;
	uint8_t shape;          /* enum ibpf_shape */
	const char *meaning;
};

extern const struct ibpf_op_info ibpf_ops[IBPF_OP__COUNT];

/* One decoded instruction.  ld_imm64 occupies two raw slots; its decoded form
 * sits in the first and the second is decoded as IBPF_OP_LD_IMM64 with
 * `second_half` set so that indices stay those of the raw program. */
struct ibpf_insn {
	uint16_t op;            /* enum ibpf_op */
	uint8_t dst;
	uint8_t src;            /* for CALLX: the register holding the target */
	int16_t off;
	uint8_t second_half;    /* 1 on the second slot of ld_imm64 */
	uint8_t size;           /* access size in bytes for memory ops, else 0 */
	int32_t imm;
	uint64_t imm64;         /* ld_imm64: full value; otherwise sign-extended imm */
};

static inline int ibpf_op_is_alu32(enum ibpf_op op)
{
	uint8_t cls = ibpf_ops[op].code & 0x07;
	return cls == BPF_ALU || cls == BPF_JMP32;
}

/* Decode one raw slot (with the next slot for ld_imm64; `next` may be NULL at
 * the end).  Returns 0 or -EINVAL with a reason in `why`. */
int ibpf_decode_one(const struct bpf_insn *raw, const struct bpf_insn *next,
		    struct ibpf_insn *out, const char **why);

/* Decode and validate a whole program: known opcodes, reserved fields zero,
 * registers in range (r10 never written), jumps inside the program and never
 * into the middle of an ld_imm64, the last instruction not falling through,
 * callx encodings consistent.  On failure returns -EINVAL and writes
 * "insn N: reason" into `err` (size errsz). */
int ibpf_decode_program(const struct bpf_insn *raw, size_t n,
			struct ibpf_insn *out, char *err, size_t errsz);

/* Jump target of a decoded branch at index `pc` (JMP_A/JMP_A32/JMP_K/JMP_X
 * and CALL_LOCAL).  */
static inline long ibpf_branch_target(const struct ibpf_insn *in, long pc)
{
	if (ibpf_ops[in->op].shape == IBPF_SHAPE_JMP_A32 ||
	    ibpf_ops[in->op].shape == IBPF_SHAPE_CALL_LOCAL)
		return pc + 1 + (long)in->imm;
	return pc + 1 + (long)in->off;
}

#endif
