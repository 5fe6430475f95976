// SPDX-License-Identifier: GPL-2.0
/*
 * dispatch - the dispatch micro-benchmark of `make bench` (issue 5): the
 * same loop of up to DISPATCH_MAX iterations, one call per iteration, with
 * the call made six ways.  Each iteration computes acc = f(acc, i) with
 *
 *   f_a(acc, i) = acc * 3 + i        f_b(acc, i) = (acc ^ i) + 7
 *
 * both __noinline static functions of the same cost, and the call table
 * tab[2] = { f_a, f_b } (SEC("callx"), a frozen call-table map).
 *
 *   dispatch_inline   acc = acc * 3 + i in the loop body, no call: the
 *                     loop's own cost, the floor under every other form
 *   dispatch_direct   acc = f_a(acc, i): a direct call (BPF_PSEUDO_CALL)
 *   dispatch_reg      fp = tab[sel & 1] once before the loop, then
 *                     acc = fp(acc, i): callx on a register, nothing else
 *   dispatch_index    acc = tab[k & 1](acc, i), the table indexed in every
 *                     iteration (a load from the frozen map value + callx)
 *   dispatch_lookup   fp = bpf_map_lookup_elem(&tab, &k) in every
 *                     iteration, NULL check, callx
 *   dispatch_alt      acc = tab[i & 1](acc, i): the target alternates
 *                     f_a, f_b, f_a, ... (a polymorphic call site)
 *   dispatch_alt_dir  the same alternation with if/else and direct calls
 *
 * k is ctx->sel passed through an empty asm (barrier_var) in every
 * iteration, so clang cannot hoist the table load or the lookup out of the
 * loop; sel is unknown to the verifier, so tab[k & 1] has both targets.
 *
 * ctx: struct dispatch_ctx { __u64 n; __u64 sel; __u64 acc; }  (24 bytes)
 *   n   iterations (at most DISPATCH_MAX count)
 *   sel the table index for reg/index/lookup (0 -> f_a: the same result
 *       as dispatch_direct and dispatch_inline)
 *   acc out: the final accumulator (starts at 1); return 0, or 1 when a
 *       lookup is NULL (sel & 1 is always in range, so never).
 *
 * The loop bound is a constant so that the kernel-style verifier explores
 * the loop iteration by iteration (DISPATCH_MAX iterations, each calling
 * every target the call site can reach); the run length is ctx->n, and the
 * benchmark takes the slope between n = 1 and n = DISPATCH_MAX.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef DISPATCH_MAX
#define DISPATCH_MAX 1024
#endif


struct dispatch_ctx {
	__u64 n;
	__u64 sel;
	__u64 acc;
};

typedef __u64 (*dispatch_fn)(__u64 acc, __u64 i);

static __noinline __u64 f_a(__u64 acc, __u64 i)
{
	return acc * 3 + i;
}

static __noinline __u64 f_b(__u64 acc, __u64 i)
{
	return (acc ^ i) + 7;
}

SEC("callx") dispatch_fn tab[2] = { f_a, f_b };

SEC("syscall") int dispatch_inline(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n;
	__u32 i;

	for (i = 0; i < DISPATCH_MAX && i < n; i++) {
		acc = acc * 3 + i;
		barrier_var(acc);	/* keep one iteration per iteration */
	}
	ctx->acc = acc;
	return 0;
}

SEC("syscall") int dispatch_direct(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n;
	__u32 i;

	for (i = 0; i < DISPATCH_MAX && i < n; i++)
		acc = f_a(acc, i);
	ctx->acc = acc;
	return 0;
}

SEC("syscall") int dispatch_reg(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n;
	dispatch_fn fp = tab[ctx->sel & 1];
	__u32 i;

	for (i = 0; i < DISPATCH_MAX && i < n; i++)
		acc = fp(acc, i);
	ctx->acc = acc;
	return 0;
}

SEC("syscall") int dispatch_index(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n, sel = ctx->sel;
	__u32 i;

	for (i = 0; i < DISPATCH_MAX && i < n; i++) {
		__u64 k = sel;

		barrier_var(k);
		acc = tab[k & 1](acc, i);
	}
	ctx->acc = acc;
	return 0;
}

SEC("syscall") int dispatch_lookup(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n, sel = ctx->sel;
	dispatch_fn fp;
	__u32 i, k;

	for (i = 0; i < DISPATCH_MAX && i < n; i++) {
		k = (__u32)sel & 1;
		barrier_var(k);
		fp = bpf_map_lookup_elem(&tab, &k);
		if (!fp)
			return 1;
		acc = fp(acc, i);
	}
	ctx->acc = acc;
	return 0;
}

SEC("syscall") int dispatch_alt(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n;
	__u32 i;

	for (i = 0; i < DISPATCH_MAX && i < n; i++)
		acc = tab[i & 1](acc, i);
	ctx->acc = acc;
	return 0;
}

SEC("syscall") int dispatch_alt_dir(struct dispatch_ctx *ctx)
{
	__u64 acc = 1, n = ctx->n;
	__u32 i;

	for (i = 0; i < DISPATCH_MAX && i < n; i++) {
		if (i & 1)
			acc = f_b(acc, i);
		else
			acc = f_a(acc, i);
	}
	ctx->acc = acc;
	return 0;
}

char _license[] SEC("license") = "GPL";
