/* jit_stub.c - placeholder until the x86-64 JIT lands: reports that no JIT
 * is available, so the engine choice fails cleanly. */
#include <errno.h>
#include <stdio.h>

#include "jit/jit.h"

int ibpf_jit_available(void) { return 0; }

int ibpf_jit_compile(const struct ibpf_program *p, struct ibpf_jit_prog **out,
		     char *err, size_t errsz)
{
	(void)p;
	*out = NULL;
	snprintf(err, errsz, "not built yet");
	return -EOPNOTSUPP;
}

void ibpf_jit_free(struct ibpf_jit_prog *j) { (void)j; }

uint64_t ibpf_jit_call(const struct ibpf_jit_prog *j, struct ibpf_vm *vm, uint32_t pc,
		       const uint64_t args[5])
{
	(void)j, (void)vm, (void)pc, (void)args;
	return 0;
}

const uint8_t *ibpf_jit_code(const struct ibpf_jit_prog *j, size_t *size)
{
	(void)j;
	*size = 0;
	return NULL;
}

const uint32_t *ibpf_jit_insn_offsets(const struct ibpf_jit_prog *j)
{
	(void)j;
	return NULL;
}
