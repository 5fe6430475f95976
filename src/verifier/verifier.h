/* verifier.h - verify a linked program before it runs (see verifier.c). */
#ifndef IBPF_VERIFIER_H
#define IBPF_VERIFIER_H

#include <stddef.h>
#include <stdint.h>

struct ibpf_program;

struct ibpf_verify_result {
	uint32_t insn_processed;
	uint32_t max_states_per_insn, total_states, peak_states;
	uint32_t max_ctx_off;     /* ctx bytes the program may touch */
	uint32_t stack_depth;     /* deepest combined stack, bytes */
	int err_insn;             /* instruction that failed, -1 if none */
};

/* Verify p.  Returns 0 when accepted, -EINVAL/-EACCES when rejected (the log
 * says why, in the kernel's words), -ENOMEM etc. on internal failure. */
int ibpf_verify_program(struct ibpf_program *p, int log_level, char *log, size_t log_size,
			struct ibpf_verify_result *res);

#endif
