// SPDX-License-Identifier: GPL-2.0
/* bad_fptr_data - compiles, must not load: a function pointer stored in
 * writable .data, where user space could rewrite it between runs.  The
 * loader rejects it and points to a const table (.rodata) or SEC("callx")
 * (DESIGN.md; tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __noinline int bad_target(int x)
{
	return x + 1;
}

int (*bad_writable_fp)(int) = bad_target;

SEC("syscall") int bad_fptr_data(void *ctx)
{
	return bad_writable_fp(41);
}

char _license[] SEC("license") = "GPL";
