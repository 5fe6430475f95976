// SPDX-License-Identifier: GPL-2.0
/*
 * callx_tables - several SEC("callx") call tables in one object (clang puts
 * them all in the one "callx" section).  Each is its own table, as libbpf
 * makes one map per table in the talk ("Libbpf creates a map"): a lookup
 * past the end of one table is NULL, not an entry of the next table.
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 * tables: tab_a[2] = {f_inc, f_dbl}, tab_b[3] = {f_sq, f_neg, f_inc},
 *         vtab[2] = {m_leaf, m_outer}
 *         f_inc(x) = x + 1, f_dbl(x) = x * 2, f_sq(x) = x * x,
 *         f_neg(x) = 1000 - x, m_leaf(x) = x + 3, m_outer(x) = vtab[0](x) * 2
 *
 *   lookup_a        fp = lookup(&tab_a, &k), k = i; NULL -> -22; out = fp(x)
 *                   x = 5: i=0 -> 6, i=1 -> 10, i=2.. -> -22
 *   lookup_b        the same on tab_b: i=0 -> 25, 1 -> 995, 2 -> 6, 3 -> -22
 *   index_b         tab_b[i](x) with i < 3 checked (-22 otherwise)
 *   vtable_sibling  out = vtab[i & 1](x): m_outer calls a sibling method
 *                   through the same table with a constant index (no
 *                   recursion): i=0 -> 8, i=1 -> 16
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

typedef __u64 (*fn_t)(__u64);

static __noinline __u64 f_inc(__u64 x)
{
	return x + 1;
}

static __noinline __u64 f_dbl(__u64 x)
{
	return x * 2;
}

static __noinline __u64 f_sq(__u64 x)
{
	return x * x;
}

static __noinline __u64 f_neg(__u64 x)
{
	return 1000 - x;
}

SEC("callx") fn_t tab_a[2] = { f_inc, f_dbl };
SEC("callx") fn_t tab_b[3] = { f_sq, f_neg, f_inc };

SEC("syscall") int lookup_a(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp = bpf_map_lookup_elem(&tab_a, &k);

	if (!fp)
		return -22;
	ctx->out = fp(ctx->x);
	return 0;
}

SEC("syscall") int lookup_b(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp = bpf_map_lookup_elem(&tab_b, &k);

	if (!fp)
		return -22;
	ctx->out = fp(ctx->x);
	return 0;
}

SEC("syscall") int index_b(struct cx_ctx *ctx)
{
	__u64 i = ctx->i;

	if (i >= 3)
		return -22;
	ctx->out = tab_b[i](ctx->x);
	return 0;
}

static __u64 m_outer(__u64 x);

static __noinline __u64 m_leaf(__u64 x)
{
	return x + 3;
}

SEC("callx") fn_t vtab[2] = { m_leaf, m_outer };

static __noinline __u64 m_outer(__u64 x)
{
	return vtab[0](x) * 2;
}

SEC("syscall") int vtable_sibling(struct cx_ctx *ctx)
{
	ctx->out = vtab[ctx->i & 1](ctx->x);
	return 0;
}

char _license[] SEC("license") = "GPL";
