// SPDX-License-Identifier: GPL-2.0
/* bad_callx_var - compiles, must not load: a SEC("callx") call table with
 * an entry that points to a variable, not a function
 * (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef int (*bad_fn)(int);

static __noinline int bad_f1(int x)
{
	return x * 2;
}

const volatile int bad_not_a_function = 7;

SEC("callx") bad_fn bad_table_var[] = { bad_f1, (bad_fn)&bad_not_a_function };

SEC("syscall") int bad_callx_var(__u32 *ctx)
{
	__u32 i = *ctx & 1;

	return bad_table_var[i](5);
}

char _license[] SEC("license") = "GPL";
