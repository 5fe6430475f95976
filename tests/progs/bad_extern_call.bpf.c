// SPDX-License-Identifier: GPL-2.0
/* bad_extern_call - compiles, must not load: a call to a function that is
 * declared but defined nowhere in the object (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bad_missing_func(int x);

SEC("syscall") int bad_extern_call(void *ctx)
{
	return bad_missing_func(1);
}

char _license[] SEC("license") = "GPL";
