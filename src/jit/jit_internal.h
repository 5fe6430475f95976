/* jit_internal.h - what the JIT's files share: the compiled program, the
 * per-call run state the generated code reaches through r12, and the code
 * pages. */
#ifndef IBPF_JIT_INTERNAL_H
#define IBPF_JIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jit/jit.h"

struct ibpf_vm;

/* One mapping: code pages first, then the call table. */
struct jit_mem {
	uint8_t *base;
	size_t size;        /* whole mapping */
	size_t code_size;   /* page-rounded code part */
};

int jit_mem_alloc(struct jit_mem *m, size_t code_size, size_t data_size);
int jit_mem_seal(struct jit_mem *m);     /* code R+X, table R */
void jit_mem_free(struct jit_mem *m);

/* State of one ibpf_jit_call, on the C stack; the generated code keeps its
 * address in r12 (callee-saved, so helpers preserve it).  The layout is
 * read by generated code: keep the offsets in jit.c in step. */
struct jit_run {
	struct ibpf_vm *vm;
	uint64_t saved_rsp;    /* host rsp inside the entry stub: unwinding target */
	uint64_t stack;        /* vm->stack */
	uint64_t stack_end;    /* vm->stack + IBPF_MAX_FRAMES * IBPF_STACK_SIZE */
	uint64_t sc_regs[11];  /* self-check build: BPF r0..r10 before an insn */
};

/* The entry stub: runs `target` with BPF r1..r5 = args and r10 = frame_top. */
typedef uint64_t (*jit_enter_fn)(struct jit_run *run, const uint64_t *args,
				 const void *target, uint64_t frame_top);

struct ibpf_jit_prog {
	struct jit_mem mem;
	const uint8_t *code;
	size_t code_size;
	size_t insn_cnt;
	/* Per linked instruction, the offset of its first native byte (a
	 * function's first instruction owns its prologue); entry insn_cnt is
	 * where the out-of-line code after the last function begins. */
	uint32_t *insn_off;
	/* Indexed by function pointer / 8: native entry of each subprogram
	 * that may be called through a pointer, 0 elsewhere. */
	const uint64_t *table;
	jit_enter_fn enter;
	const uint8_t *entry;  /* native entry of the program (insn 0) */
};

#endif
