// SPDX-License-Identifier: GPL-2.0
/*
 * callx_depth - stack depth and call depth through function pointers
 * (issue 4, "Stack depth and recursion"): the combined stack size takes the
 * deepest target of every callx, and more than 8 frames is too many.
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *
 *   depth_ok        main uses 192 bytes of stack (big[16], big2[8] indexed
 *                   by x & 15 and x & 7), fp = i & 1 ? t_deep : t_shallow;
 *                   t_deep uses 256 bytes, t_shallow 8: 192 + 256 = 448 <=
 *                   512, accepted.  out = fp(x) + big[x & 15] + big2[x & 7]
 *                   with big[..] = 1, big2[..] = 2, t_deep(x) = x + 7,
 *                   t_shallow(x) = x + 1: x = 5: odd -> 15, even -> 9.
 *   depth_too_big   the same with main using 320 bytes: with t_deep
 *                   320 + 256 = 576 > 512, rejected ("combined stack
 *                   size"), although t_shallow alone (320 + 32) would fit.
 *   depth_table_too_big  the same through a SEC("callx") table
 *                   {t_shallow, t_deep} looked up with k = i: the deep
 *                   target sits behind the lookup only.
 *   frames_ok       main -> c1 -> ... -> c6 -> chain_end, every link a callx
 *                   through a volatile pointer: 8 frames, accepted;
 *                   out = x + 7.
 *   frames_too_deep main -> d1 -> ... -> d7 -> chain_end: 9 frames, rejected.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

typedef __u64 (*fn_t)(__u64);

static __noinline __u64 t_shallow(__u64 x)
{
	volatile __u64 v = x;

	return v + 1;
}

/* 256 bytes of stack: a store and a load at a variable offset make clang
 * keep the whole array (a volatile array touched at constant offsets only
 * is split into scalars). */
static __noinline __u64 t_deep(__u64 x)
{
	volatile __u8 buf[256];

	buf[x & 255] = 7;
	return buf[x & 255] + x;
}

SEC("syscall") int depth_ok(struct cx_ctx *ctx)
{
	volatile __u64 big[16], big2[8];	/* 192 bytes */
	__u64 k = ctx->x & 15, k2 = ctx->x & 7;
	fn_t fp;

	big[k] = 1;
	big2[k2] = 2;
	if (ctx->i & 1)
		fp = t_deep;
	else
		fp = t_shallow;
	ctx->out = fp(ctx->x) + big[k] + big2[k2];
	return 0;
}

SEC("syscall") int depth_too_big(struct cx_ctx *ctx)
{
	volatile __u64 big[32], big2[8];	/* 320 bytes */
	__u64 j = ctx->x & 31, j2 = ctx->x & 7;
	fn_t fp;

	big[j] = 1;
	big2[j2] = 2;
	if (ctx->i & 1)
		fp = t_deep;
	else
		fp = t_shallow;
	ctx->out = fp(ctx->x) + big[j] + big2[j2];
	return 0;
}

SEC("callx") fn_t depth_table[2] = { t_shallow, t_deep };

SEC("syscall") int depth_table_too_big(struct cx_ctx *ctx)
{
	volatile __u64 big[32], big2[8];	/* 320 bytes */
	__u64 j = ctx->x & 31, j2 = ctx->x & 7;
	__u32 k = (__u32)ctx->i;
	fn_t fp;

	big[j] = 1;
	big2[j2] = 2;
	fp = bpf_map_lookup_elem(&depth_table, &k);
	if (!fp)
		return -22;
	ctx->out = fp(ctx->x) + big[j] + big2[j2];
	return 0;
}

/* A chain of functions, each calling the next through a function pointer
 * kept in a volatile local (so clang cannot turn it into a direct call). */
#define LINK(name, next)					\
	static __noinline __u64 name(__u64 x)			\
	{							\
		fn_t volatile fp = next;			\
		return fp(x) + 1;				\
	}

static __noinline __u64 chain_end(__u64 x)
{
	return x;
}

/* frames_ok: main, c1..c6, chain_end = 8 frames */
LINK(c6, chain_end)
LINK(c5, c6)
LINK(c4, c5)
LINK(c3, c4)
LINK(c2, c3)
LINK(c1, c2)

SEC("syscall") int frames_ok(struct cx_ctx *ctx)
{
	fn_t volatile fp = c1;

	ctx->out = fp(ctx->x) + 1;
	return 0;
}

/* frames_too_deep: main, d1..d7, chain_end = 9 frames */
LINK(d7, chain_end)
LINK(d6, d7)
LINK(d5, d6)
LINK(d4, d5)
LINK(d3, d4)
LINK(d2, d3)
LINK(d1, d2)

SEC("syscall") int frames_too_deep(struct cx_ctx *ctx)
{
	fn_t volatile fp = d1;

	ctx->out = fp(ctx->x) + 1;
	return 0;
}

char _license[] SEC("license") = "GPL";
