/* disasm.h - one decoded instruction to text, in two dialects.
 *
 * IBPF_DIALECT_XLATED is the kernel's print format, as `bpftool prog dump
 * xlated` and the verifier log show it: "(79) r1 = *(u64 *)(r1 +0)",
 * "(15) if r3 == 0x0 goto pc+2", "(18) r2 = subprog[+10]".
 * IBPF_DIALECT_LLVM is what `llvm-objdump -d --mcpu=v4` prints for the same
 * bytes: "r1 = *(u64 *)(r1 + 0x0)", "if r3 == 0x0 goto +0x2", "r2 = 0x18 ll".
 * (v4 because the default CPU prints 32-bit atomics wrongly and narrow
 * loads/stores with r registers; with --mcpu=v4 they read "w4 = *(u32 *)...".)
 *
 * There is one printer; whatever depends on context that a single instruction
 * does not carry (helper names, what a map reference is called, where a local
 * call goes) comes from the caller through callbacks, as in bpftool.  Every
 * callback is optional: without one the printer writes what bpftool writes
 * when it knows nothing more.
 */
#ifndef IBPF_ISA_DISASM_H
#define IBPF_ISA_DISASM_H

#include <stddef.h>
#include "isa.h"

enum ibpf_dialect {
	IBPF_DIALECT_XLATED,    /* bpftool prog dump xlated / verifier log */
	IBPF_DIALECT_LLVM,      /* llvm-objdump -d --mcpu=v4 */
};

/* Callbacks may write into `scratch` (size `size`) and return it, or return a
 * string of their own, or NULL for the default text. */
struct ibpf_disasm_cbs {
	void *ctx;                      /* passed to every callback */
	/* Name of the helper (CALL, imm = helper id) or kernel function
	 * (CALL_KFUNC, imm = BTF id).  xlated prints "call NAME#IMM"; the
	 * defaults are "unknown" and "kernel-function", as the kernel's. */
	const char *(*call_name)(void *ctx, const struct ibpf_insn *in);
	/* The right-hand side of an ld_imm64 (xlated only), e.g. "map[id:6]",
	 * "map[id:6][0]+0", "subprog[+10]".  Default: bpftool's text with the
	 * instruction's own imm as the map id. */
	const char *(*ld_imm64)(void *ctx, const struct ibpf_insn *in, size_t pc,
				char *scratch, size_t size);
	/* What follows "call pc" for a bpf-to-bpf call (xlated only).
	 * Default: the offset, "%+d", as bpftool prints it for an
	 * interpreted program. */
	const char *(*local_call)(void *ctx, const struct ibpf_insn *in, size_t pc,
				  char *scratch, size_t size);
	/* Label of a jump target (llvm only), printed as " <LABEL>" after
	 * the offset, e.g. "simple_test+0x40".  Default: none. */
	const char *(*jump_label)(void *ctx, size_t target, char *scratch, size_t size);
};

/* Format the instruction at index `pc` into buf (always NUL-terminated when
 * size > 0).  Returns the length of the full text, like snprintf (so a result
 * >= size means it was truncated), or -EINVAL for the second slot of an
 * ld_imm64 or an invalid decoded instruction.  `cbs` may be NULL. */
int ibpf_disasm(const struct ibpf_insn *in, size_t pc, enum ibpf_dialect d,
		const struct ibpf_disasm_cbs *cbs, char *buf, size_t size);

/* The raw bytes of `n` slots as bpftool and llvm-objdump print them:
 * "18 42 00 00 0a 00 00 00 00 00 00 00 01 00 00 00".  Returns the length of
 * the full text, like snprintf. */
int ibpf_disasm_hex(const struct bpf_insn *raw, size_t n, char *buf, size_t size);

#endif
