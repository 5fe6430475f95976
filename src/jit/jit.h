/* jit.h - the x86-64 JIT: compiles a verified program's linked instructions
 * to native code once; calls run it with the same struct ibpf_vm the
 * interpreter uses, so helpers and callbacks work the same on both engines. */
#ifndef IBPF_JIT_H
#define IBPF_JIT_H

#include <stddef.h>
#include <stdint.h>

struct ibpf_program;
struct ibpf_vm;
struct ibpf_jit_prog;

/* 1 when this build can JIT on this machine (x86-64). */
int ibpf_jit_available(void);

/* Compile p (uses p->exec: references already resolved to addresses).
 * On failure returns -errno with a reason in err.  With IBPF_JIT_SELF_CHECK
 * the code calls the self-check (vm/selfcheck.c) before every instruction
 * with the registers as they are, so a run with vm->facts set checks what
 * the verifier proved against the native code's state; nothing is fused
 * across instructions then. */
#define IBPF_JIT_SELF_CHECK 1u
int ibpf_jit_compile(const struct ibpf_program *p, unsigned flags, struct ibpf_jit_prog **out,
		     char *err, size_t errsz);
void ibpf_jit_free(struct ibpf_jit_prog *j);

/* Run the function starting at linked instruction `pc` (0 = entry, or a
 * subprogram start for callbacks) with r1..r5 = args; returns r0. */
uint64_t ibpf_jit_call(const struct ibpf_jit_prog *j, struct ibpf_vm *vm, uint32_t pc,
		       const uint64_t args[5]);

/* Native code of the whole program and, per linked instruction, the offset
 * of its first native byte (for `ibpf dump jited`).  The code starts with the
 * entry stub (bytes before offset[0]); a function's first instruction owns
 * its prologue; an instruction's code runs up to the next instruction's
 * offset (a second ld_imm64 slot, or an instruction fused into the one before,
 * has none); offset[insn_cnt] is where the out-of-line fault paths begin,
 * which run to the end of the code. */
const uint8_t *ibpf_jit_code(const struct ibpf_jit_prog *j, size_t *size);
const uint32_t *ibpf_jit_insn_offsets(const struct ibpf_jit_prog *j);

#endif
