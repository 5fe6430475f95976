// SPDX-License-Identifier: GPL-2.0
/* bad_extern - compiles, must not load: a global variable and a function
 * that only exist as extern declarations (relocations against undefined
 * symbols).  ibpf links nothing from outside the object, so both are
 * errors naming the symbol (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bad_missing_var;

SEC("syscall") int bad_extern_var(void *ctx)
{
	return bad_missing_var;
}

char _license[] SEC("license") = "GPL";
