// SPDX-License-Identifier: GPL-2.0
/* bad_callx_entry - compiles, must not load: SEC("callx") call tables whose
 * entries are not all functions - one holds a plain number, the other the
 * address of a variable (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef int (*bad_fn)(int);

static __noinline int bad_f1(int x)
{
	return x * 2;
}

/* Entry 1 is the number 3 dressed up as a function pointer. */
SEC("callx") bad_fn bad_table_num[] = { bad_f1, (bad_fn)3 };

SEC("syscall") int bad_callx_entry(__u32 *ctx)
{
	__u32 i = *ctx & 1;

	return bad_table_num[i](5);
}

char _license[] SEC("license") = "GPL";
