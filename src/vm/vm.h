/* vm.h - the state of one program run, shared by the interpreter, the JIT's
 * runtime and the helpers. */
#ifndef IBPF_VM_H
#define IBPF_VM_H

#include <stddef.h>
#include <stdint.h>

#include "core/object.h"

#define IBPF_STACK_SIZE 512
#define IBPF_MAX_FRAMES 8
/* Checked mode runs unverified code: cap the instructions it may execute. */
#ifndef IBPF_CHECKED_INSN_LIMIT   /* the fuzz build lowers it (fuzz/run.sh) */
#define IBPF_CHECKED_INSN_LIMIT 200000000ull
#endif

struct ibpf_jit_prog;
struct ibpf_facts;

/* The top (r10) of call frame d on the run's stack. */
#define STACK_TOP(vm, d) ((uint64_t)(uintptr_t)((vm)->stack + ((size_t)(d) + 1) * IBPF_STACK_SIZE))

struct ibpf_vm {
	const struct ibpf_program *prog;
	const struct ibpf_insn *code;
	int checked;              /* bounds-check every access (unverified code) */
	uint8_t *ctx;             /* the ctx buffer (syscall) or memory (raw) */
	size_t ctx_size;
	uint8_t *stack;           /* IBPF_MAX_FRAMES * IBPF_STACK_SIZE bytes */
	int depth;                /* frames in use, including callbacks */
	uint64_t insns_left;      /* checked mode budget */
	uint64_t rand_state;
	/* The engine running this program: how helpers call back into it (bpf_loop
	 * callbacks).  NULL means the interpreter. */
	uint64_t (*call)(struct ibpf_vm *vm, uint32_t pc, const uint64_t args[5]);
	const struct ibpf_jit_prog *jit;
	char *trace;              /* trace_printk output */
	size_t trace_size, trace_len;
	int faulted;              /* a run-time error stopped the program */
	/* Self-check run (checked interpreter, or the JIT's self-check build):
	 * the verifier's facts, and the conditional jump just executed (-1:
	 * none). */
	const struct ibpf_facts *facts;
	int64_t sc_prev_jump;
	char *err;
	size_t errsz;
};

/* Self-check before instruction pc with registers r: 0, or -1 after
 * faulting the run with what the verifier got wrong (selfcheck.c). */
int ibpf_selfcheck_insn(struct ibpf_vm *vm, uint32_t pc, const uint64_t *r);

/* Run the function starting at linked instruction `pc` with r1..r5 set;
 * returns r0.  On a fault vm->faulted is set and vm->err explains it. */
uint64_t ibpf_interp_call(struct ibpf_vm *vm, uint32_t pc, const uint64_t args[5]);

/* Call a function pointer (as produced by ld_imm64 BPF_PSEUDO_FUNC or read
 * from a table) from a helper, e.g. bpf_loop's callback. */
uint64_t ibpf_vm_call_ptr(struct ibpf_vm *vm, uint64_t fptr, const uint64_t args[5]);

/* Stop the run with an error (printf-style), returns 0 for convenience. */
uint64_t ibpf_vm_fault(struct ibpf_vm *vm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Checked mode: may [p, p+size) be read (write=0) or written (write=1)?
 * Always true in verified mode. */
int ibpf_vm_mem_ok(struct ibpf_vm *vm, uint64_t p, uint64_t size, int write);

/* Which region [p, p+1) lies in, in every mode (verified or checked): the
 * stack frames in use, the ctx, one value of a map of the program (its
 * private view of a frozen table included) or a hash element.  Returns how
 * many bytes from p to the end of that region may be read (write=0) or
 * written (write=1), or 0 when p is in no such region.  A helper that
 * dereferences a pointer the verifier did not check bounds the access by
 * this.  Costs a walk over the maps (and over a hash map's elements): call
 * it only where a helper needs it. */
uint64_t ibpf_vm_region_left(struct ibpf_vm *vm, uint64_t p, int write);

/* A name for p that does not depend on where the host put the memory: for
 * a pointer into the stack, the ctx or an array's values (views included),
 * the region and the offset in it; any other value as it is.  Equal
 * pointers get equal names across runs and engines.  Cheap (no hash map
 * walk): for printing pointers, always hashed (trace_printk's %p). */
uint64_t ibpf_vm_region_name(struct ibpf_vm *vm, uint64_t p);

/* The map a helper's map argument designates: the map itself, or (for call
 * tables passed as `&table`) the address of its entries.  NULL if neither. */
struct ibpf_map *ibpf_vm_map_arg(struct ibpf_vm *vm, uint64_t p);

/* The linked instruction a function pointer designates, or -1. */
long ibpf_vm_fptr_target(const struct ibpf_vm *vm, uint64_t fptr);

#endif
