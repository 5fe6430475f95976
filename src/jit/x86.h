/* x86.h - a small x86-64 assembler for the JIT: instruction encoders that
 * append to a growing buffer, labels, and jumps that are relaxed to their
 * short form once the layout is known.
 *
 * Every position-dependent instruction (jmp, jcc, call rel32, lea rip+rel32)
 * is emitted through a fixup naming a label, so the code between fixups is
 * position independent and can be moved as a block when jumps shrink.
 */
#ifndef IBPF_JIT_X86_H
#define IBPF_JIT_X86_H

#include <stddef.h>
#include <stdint.h>

/* Host register numbers as the encoding uses them. */
enum {
	RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* Condition codes (the low nibble of jcc). */
enum {
	CC_B = 0x2, CC_AE = 0x3, CC_E = 0x4, CC_NE = 0x5, CC_BE = 0x6, CC_A = 0x7,
	CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe, CC_G = 0xf,
};

/* Encoding flags. */
enum {
	X_W = 1 << 0,     /* REX.W: 64-bit operand */
	X_66 = 1 << 1,    /* operand-size prefix: 16-bit operand */
	X_LOCK = 1 << 2,  /* lock prefix */
	X_BREG = 1 << 3,  /* the reg field is a byte register (needs REX for sil..) */
	X_BRM = 1 << 4,   /* the r/m register is a byte register */
};

enum x86_fixup_kind { FIX_JMP, FIX_JCC, FIX_CALL, FIX_LEA };

struct x86_fixup {
	uint32_t pos;     /* first byte of the instruction, before relaxation */
	uint32_t label;
	uint8_t kind;     /* enum x86_fixup_kind */
	uint8_t cc;       /* FIX_JCC: condition; FIX_LEA: destination register */
	uint8_t is_short; /* relaxed to rel8 */
};

struct x86_asm {
	uint8_t *buf;
	size_t len, cap;
	uint32_t *labels;          /* label -> position, X86_UNBOUND until bound */
	size_t label_cnt, label_cap;
	struct x86_fixup *fix;
	size_t fix_cnt, fix_cap;
	size_t *cum;               /* after relaxation: bytes saved before fixup i */
	int oom;                   /* an allocation failed: the result is unusable */
};

#define X86_UNBOUND UINT32_MAX

void x86_init(struct x86_asm *a);
void x86_free(struct x86_asm *a);

/* Labels: x86_new_label reserves ids; the first `n` may be reserved at once
 * (x86_reserve_labels), e.g. one per BPF instruction. */
int x86_reserve_labels(struct x86_asm *a, size_t n);
uint32_t x86_new_label(struct x86_asm *a);
void x86_bind(struct x86_asm *a, uint32_t label);

/* Raw bytes. */
void x86_byte(struct x86_asm *a, uint8_t b);
void x86_imm16(struct x86_asm *a, uint16_t v);
void x86_imm32(struct x86_asm *a, uint32_t v);
void x86_imm64(struct x86_asm *a, uint64_t v);

/* Instruction with a register operand in ModRM.rm: [prefixes] [REX] op
 * modrm(11, reg, rm).  `op` is 1-3 opcode bytes, most significant first
 * (0x0faf is "0f af"); `reg` is a register or an opcode extension (/digit). */
void x86_rr(struct x86_asm *a, unsigned flags, uint32_t op, int reg, int rm);
/* The same with a memory operand [base + disp]. */
void x86_rm(struct x86_asm *a, unsigned flags, uint32_t op, int reg, int base, int32_t disp);
/* The same with a memory operand [base + index*scale] (scale 1, 2, 4, 8). */
void x86_rmi(struct x86_asm *a, unsigned flags, uint32_t op, int reg, int base, int index,
	     int scale);
/* Opcode with the register in its low three bits (bswap, push, pop, mov imm). */
void x86_oreg(struct x86_asm *a, unsigned flags, uint32_t op, int reg);

/* Common instructions. */
void x86_mov_rr(struct x86_asm *a, int w, int dst, int src);   /* w: 64-bit */
void x86_mov_imm(struct x86_asm *a, int dst, uint64_t v);       /* shortest form */
void x86_alu_ri(struct x86_asm *a, int w, int ext, int dst, int32_t imm); /* 81/83 /ext */
void x86_push(struct x86_asm *a, int reg);
void x86_pop(struct x86_asm *a, int reg);
void x86_ret(struct x86_asm *a);
void x86_call_reg(struct x86_asm *a, int reg);

/* Label-relative instructions (fixups). */
void x86_jmp(struct x86_asm *a, uint32_t label);
void x86_jcc(struct x86_asm *a, int cc, uint32_t label);
void x86_call(struct x86_asm *a, uint32_t label);
void x86_lea_rip(struct x86_asm *a, int dst, uint32_t label);

/* Relax jumps to rel8 where they reach, then write the final code into
 * `out` (x86_final_size bytes).  Returns 0, or -1 if a label is unbound or
 * an allocation failed. */
int x86_relax(struct x86_asm *a);
size_t x86_final_size(const struct x86_asm *a);
/* Final position of a pre-relaxation position / of a label. */
uint32_t x86_final_pos(const struct x86_asm *a, uint32_t pos);
uint32_t x86_label_pos(const struct x86_asm *a, uint32_t label);
/* After relaxation: move a label to final position `pos`, at or past the end
 * of the code (e.g. data placed after it). */
void x86_bind_final(struct x86_asm *a, uint32_t label, uint32_t pos);
int x86_write(const struct x86_asm *a, uint8_t *out);

#endif
