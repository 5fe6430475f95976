/* link.h - linking one program out of an ELF object (link.c). */
#ifndef IBPF_ELF_LINK_H
#define IBPF_ELF_LINK_H

#include "elf/elf_file.h"

struct ibpf_object;
struct ibpf_program;

/* Link the program whose entry is function `entry`: fills prog->insns,
 * insn_cnt, subprogs.  Maps must already exist in obj. */
int ibpf_link_program(const struct elf_file *f, struct ibpf_object *obj, int entry,
		      struct ibpf_program *prog, char *err, size_t errsz);

#endif
