// SPDX-License-Identifier: GPL-2.0
/* bad_fptr_progsec - compiles, must not load: a const table holding a
 * pointer to a program's own entry function (section "syscall", not .text).
 * Only subprograms may be called through a pointer; matched by offset alone,
 * such a slot would alias the .text function at the same offset
 * (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall") int bad_fptr_progsec(__u64 *ctx);

static __noinline int bad_text_fn(__u64 *ctx)
{
	return ctx != 0;
}

static int (*const bad_entry_table[2])(__u64 *) = { bad_text_fn, bad_fptr_progsec };

SEC("syscall") int bad_fptr_progsec(__u64 *ctx)
{
	return bad_entry_table[*ctx & 1](ctx);
}

char _license[] SEC("license") = "GPL";
