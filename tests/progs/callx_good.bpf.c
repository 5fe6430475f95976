// SPDX-License-Identifier: GPL-2.0
/*
 * callx_good - function pointers the verifier must accept (issue 4), each
 * one verified and run by tests/test_callx.c with clang-19 and clang-14.
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *         i selects the target, x is its argument, out receives the result;
 *         return 0, or -22 when i is out of range (out untouched).
 * targets: f_inc(x) = x + 1, f_dbl(x) = x * 2, f_sq(x) = x * x,
 *          f_neg(x) = 1000 - x.
 *
 *   spill_fill     fp picked by i & 1 (f_inc odd, f_dbl even), kept in a
 *                  volatile local: stored to the stack, loaded back, called.
 *   spill_helper   the same, with a helper call between the spill and the
 *                  fill (r1-r5 clobbered; the slot must keep its targets).
 *   stack_union    tab[4] = {f_inc, f_dbl, f_sq, f_neg} on the stack
 *                  (volatile, so the stores stay), i < 4 checked, tab[i](x):
 *                  a variable-offset read over slots that all hold function
 *                  pointers -> the union of their targets.
 *   stack_mask     the same table, index i & 3 (bounded by a mask, not by a
 *                  branch).
 *   stack_half     the same table, index 2 + (i & 1): only f_sq / f_neg are
 *                  reachable (the union of the slots the read can touch).
 *   null_check     fp = bpf_map_lookup_elem(&cx_table, &k) on a 4-entry
 *                  SEC("callx") table {f_inc, f_dbl, f_sq, f_neg}; NULL
 *                  (k >= 4) -> -22; else out = fp(x).
 *   null_else      the lookup checked the other way round:
 *                  out = fp ? fp(x) : 77; return 0 always.
 *   table_mask     cx_table[i & 3](x): direct indexing bounded by a mask.
 *   table_half     cx_table[2 + (i & 1)](x): only f_sq / f_neg reachable.
 *   rodata_fields  static const struct ops2 vt2[] = {{3, f_inc, 5, f_dbl},
 *                  {4, f_sq, 6, f_neg}} in .rodata: two function pointers and
 *                  two data fields per entry; i < 2 checked;
 *                  out = vt2[i].a(x) + vt2[i].b(x) + vt2[i].tag * vt2[i].w
 *                  (tag and w are plain data: they stay scalars).
 *   out_param      pick(&fp, i) stores f_inc (i odd) or f_dbl into the
 *                  caller's stack slot and returns i & 1;
 *                  out = fp(x) + (i & 1).
 *   void_target    fp = i & 1 ? set_inc : set_dbl, both void (no r0 set):
 *                  fp(ctx) writes out = x + 1 or x * 2.
 *
 *   e.g. x = 5:  spill_fill i=1 -> 6, i=0 -> 10;
 *                stack_union / null_check / table_mask: i=0 -> 6, 1 -> 10,
 *                2 -> 25, 3 -> 995;  stack_half / table_half: i even -> 25,
 *                odd -> 995;  rodata_fields i=0 -> 6 + 10 + 15 = 31,
 *                i=1 -> 25 + 995 + 24 = 1044;  out_param odd -> 7, even -> 10;
 *                void_target odd -> 6, even -> 10.
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

SEC("syscall") int spill_fill(struct cx_ctx *ctx)
{
	fn_t volatile fp;

	if (ctx->i & 1)
		fp = f_inc;
	else
		fp = f_dbl;
	ctx->out = fp(ctx->x);
	return 0;
}

SEC("syscall") int spill_helper(struct cx_ctx *ctx)
{
	fn_t volatile fp;
	__u64 x = ctx->x;

	if (ctx->i & 1)
		fp = f_inc;
	else
		fp = f_dbl;
	/* r1-r5 are clobbered here; fp lives on in its stack slot. */
	x += bpf_get_prandom_u32() & 0;
	ctx->out = fp(x);
	return 0;
}

SEC("syscall") int stack_union(struct cx_ctx *ctx)
{
	fn_t volatile tab[4];
	__u64 i = ctx->i;

	tab[0] = f_inc;
	tab[1] = f_dbl;
	tab[2] = f_sq;
	tab[3] = f_neg;
	if (i >= 4)
		return -22;
	ctx->out = tab[i](ctx->x);
	return 0;
}

SEC("syscall") int stack_mask(struct cx_ctx *ctx)
{
	fn_t volatile tab[4];

	tab[0] = f_inc;
	tab[1] = f_dbl;
	tab[2] = f_sq;
	tab[3] = f_neg;
	ctx->out = tab[ctx->i & 3](ctx->x);
	return 0;
}

SEC("syscall") int stack_half(struct cx_ctx *ctx)
{
	fn_t volatile tab[4];

	tab[0] = f_inc;
	tab[1] = f_dbl;
	tab[2] = f_sq;
	tab[3] = f_neg;
	ctx->out = tab[2 + (ctx->i & 1)](ctx->x);
	return 0;
}

/* The object's only call table (callx_tables.bpf.c has several). */
SEC("callx") fn_t cx_table[4] = { f_inc, f_dbl, f_sq, f_neg };

SEC("syscall") int null_check(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp;

	fp = bpf_map_lookup_elem(&cx_table, &k);
	if (fp == NULL)
		return -22;
	ctx->out = fp(ctx->x);
	return 0;
}

SEC("syscall") int null_else(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp;

	fp = bpf_map_lookup_elem(&cx_table, &k);
	ctx->out = fp ? fp(ctx->x) : 77;
	return 0;
}

SEC("syscall") int table_mask(struct cx_ctx *ctx)
{
	ctx->out = cx_table[ctx->i & 3](ctx->x);
	return 0;
}

SEC("syscall") int table_half(struct cx_ctx *ctx)
{
	ctx->out = cx_table[2 + (ctx->i & 1)](ctx->x);
	return 0;
}

struct ops2 {
	__u64 tag;
	fn_t a;
	__u64 w;
	fn_t b;
};

static const struct ops2 vt2[] = {
	{ 3, f_inc, 5, f_dbl },
	{ 4, f_sq, 6, f_neg },
};

SEC("syscall") int rodata_fields(struct cx_ctx *ctx)
{
	__u64 i = ctx->i, x = ctx->x;
	const struct ops2 *op;

	if (i >= 2)
		return -22;
	op = &vt2[i];
	ctx->out = op->a(x) + op->b(x) + op->tag * op->w;
	return 0;
}

/* A callee that hands a function pointer back through the caller's stack. */
static __noinline int pick(fn_t *out, __u64 i)
{
	*out = i & 1 ? f_inc : f_dbl;
	return (int)(i & 1);
}

SEC("syscall") int out_param(struct cx_ctx *ctx)
{
	fn_t fp;
	int odd;

	odd = pick(&fp, ctx->i);
	ctx->out = fp(ctx->x) + odd;
	return 0;
}

/* void targets: clang sets no r0 in them (the kernel accepts that for a
 * static subprogram; only the caller's later use of r0 would matter). */
static __noinline void set_inc(struct cx_ctx *ctx)
{
	ctx->out = ctx->x + 1;
}

static __noinline void set_dbl(struct cx_ctx *ctx)
{
	ctx->out = ctx->x * 2;
}

SEC("syscall") int void_target(struct cx_ctx *ctx)
{
	void (*fp)(struct cx_ctx *);

	if (ctx->i & 1)
		fp = set_inc;
	else
		fp = set_dbl;
	fp(ctx);
	return 0;
}

char _license[] SEC("license") = "GPL";
