// SPDX-License-Identifier: GPL-2.0
/*
 * callx_global - global (non-static) functions as callx targets: the talk's
 * open question "only static functions?", answered by ibpf (DESIGN.md,
 * issue 4): a global target is checked against its BTF signature at the
 * call site, as the kernel checks a direct call to a global function,
 * instead of being verified in the caller's state.
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 * targets: g_triple(x) = x * 3 (global), s_inc(x) = x + 1 (static),
 *          g_sum(p) = p ? p->a + p->b : 0 (global, pointer argument).
 *
 *   global_select  fp = i & 1 ? g_triple : s_inc; out = fp(x)
 *                  x = 5: odd -> 15, even -> 6.
 *   global_table   gtab[2] SEC("callx") = {g_triple, s_inc}; k = i;
 *                  fp = lookup(&gtab, &k); NULL -> -22; out = fp(x)
 *                  x = 5: i=0 -> 15, i=1 -> 6, i=2 -> -22.
 *   global_ptr_arg fp = g_sum (through a volatile local, so it stays an
 *                  indirect call); out = fp(&pair) with pair = {x, i} on the
 *                  stack: x = 5, i = 2 -> 7.
 *
 * The object has one call table (see callx_tables.bpf.c for several); the
 * programs that must be rejected are in callx_bad_global.bpf.c.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

struct pair {
	__u64 a;
	__u64 b;
};

typedef __u64 (*fn_t)(__u64);
typedef __u64 (*pair_fn_t)(struct pair *);

__noinline __u64 g_triple(__u64 x)
{
	return x * 3;
}

__noinline __u64 g_sum(struct pair *p)
{
	if (!p)
		return 0;
	return p->a + p->b;
}

static __noinline __u64 s_inc(__u64 x)
{
	return x + 1;
}

SEC("syscall") int global_select(struct cx_ctx *ctx)
{
	fn_t fp;

	if (ctx->i & 1)
		fp = g_triple;
	else
		fp = s_inc;
	ctx->out = fp(ctx->x);
	return 0;
}

SEC("callx") fn_t gtab[2] = { g_triple, s_inc };

SEC("syscall") int global_table(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp;

	fp = bpf_map_lookup_elem(&gtab, &k);
	if (!fp)
		return -22;
	ctx->out = fp(ctx->x);
	return 0;
}

SEC("syscall") int global_ptr_arg(struct cx_ctx *ctx)
{
	pair_fn_t volatile fp = g_sum;
	struct pair p = { ctx->x, ctx->i };

	ctx->out = fp(&p);
	return 0;
}

char _license[] SEC("license") = "GPL";
