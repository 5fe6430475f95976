// SPDX-License-Identifier: GPL-2.0
/*
 * table_test - the talk's "What's next" call tables, one SEC("syscall")
 * program per form, all in this object:
 *
 *   table_lookup  __u64 (*foo_table[2])(__u64) SEC("callx") = {...};
 *                 foo = bpf_map_lookup_elem(&foo_table, &i): the loader turns
 *                 the "callx" section into a frozen call-table map, and the
 *                 lookup returns the function pointer itself, or NULL when
 *                 i >= 2 (-> return -22).  The key is 4 bytes: the low half
 *                 of i (little-endian), as the slide passes &i of a __u64.
 *   table_index   foo = foo_table[i]: the same table indexed directly (a
 *                 64-bit load from the read-only map value).  The slide has
 *                 no bounds check before the load; a verifier must reject
 *                 that (unbounded read), so this one checks i first.
 *   table_stack   a table built on the BPF stack (foo[0] = &foo_1;
 *                 foo[1] = &foo_2;) then called with a variable index: the
 *                 slide's "aux information is lost" case.
 *
 * ctx:    struct table_ctx { __u64 i; __u64 x; }          (16 bytes)
 * result: ret_user (.bss, 8 bytes) = foo_table[i](x); return 0,
 *         or return -22 when i >= 2 (ret_user untouched).
 *         foo_1(x) = x + 100, foo_2(x) = x * 3, so
 *         i=0, x=5 -> 105;  i=1, x=5 -> 15;  i=2 -> -22.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "ibpf_examples.h"

struct table_ctx {
	__u64 i;
	__u64 x;
};

__u64 ret_user;

static __noinline __u64 foo_1(__u64 x)
{
	return x + 100;
}

static __noinline __u64 foo_2(__u64 x)
{
	return x * 3;
}

__u64 (*foo_table[2])(__u64) SEC("callx") = { &foo_1, &foo_2 };

SEC("syscall") int table_lookup(struct table_ctx *ctx)
{
	__u64 i = ctx->i, x = ctx->x;
	__u64 (*foo)(__u64);

	foo = bpf_map_lookup_elem(&foo_table, &i);
	if (!foo)
		return -22;

	ret_user = foo(x);

	return 0;
}

SEC("syscall") int table_index(struct table_ctx *ctx)
{
	__u64 i = ctx->i, x = ctx->x;
	__u64 (*foo)(__u64);

	if (i >= ARRAY_SIZE(foo_table))
		return -22;

	foo = foo_table[i];
	if (!foo)
		return -22;

	ret_user = foo(x);

	return 0;
}

SEC("syscall") int table_stack(struct table_ctx *ctx)
{
	__u64 (*foo[2])(__u64);
	__u64 i = ctx->i, x = ctx->x;

	foo[0] = &foo_1;
	foo[1] = &foo_2;

	if (i >= ARRAY_SIZE(foo))
		return -22;

	ret_user = foo[i](x);

	return 0;
}

char _license[] SEC("license") = "GPL";
