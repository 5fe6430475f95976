// SPDX-License-Identifier: GPL-2.0
/*
 * callx_recursion - recursion through function pointers, which the verifier
 * must reject like direct recursion (issue 4): every program here is bad.
 * Each pointer sits in a volatile local or in a call table so that clang
 * keeps the indirect call (it turns `p = g; p(x)` into a direct call).
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *         (were they run: out = x, after x recursive steps)
 *
 *   rec_mutual  r_f calls r_g through a pointer, r_g calls r_f directly
 *   rec_self    r_self calls itself through a pointer
 *   rec_table   t_f calls rec_table_tab[0] = t_g through a SEC("callx")
 *               table lookup, t_g calls rec_table_tab[1] = t_f the same way
 *   rec_callback a bpf_loop callback that calls the program's own
 *               subprogram which started the loop (through a pointer)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

typedef __u64 (*fn_t)(__u64);

/* ---- r_f -> (pointer) r_g -> (direct) r_f ------------------------------ */
static __u64 r_f(__u64 x);

static __noinline __u64 r_g(__u64 x)
{
	return r_f(x - 1) + 1;
}

static __noinline __u64 r_f(__u64 x)
{
	fn_t volatile p = r_g;

	if (x == 0)
		return 0;
	return p(x);
}

SEC("syscall") int rec_mutual(struct cx_ctx *ctx)
{
	ctx->out = r_f(ctx->x & 7);
	return 0;
}

/* ---- r_self -> (pointer) r_self ----------------------------------------- */
static __noinline __u64 r_self(__u64 x)
{
	fn_t volatile p = r_self;

	if (x == 0)
		return 0;
	return p(x - 1) + 1;
}

SEC("syscall") int rec_self(struct cx_ctx *ctx)
{
	ctx->out = r_self(ctx->x & 7);
	return 0;
}

/* ---- t_f -> (table) t_g -> (table) t_f ---------------------------------- */
static __u64 t_f(__u64 x);
static __u64 t_g(__u64 x);

SEC("callx") fn_t rec_table_tab[2] = { t_g, t_f };

static __noinline __u64 t_g(__u64 x)
{
	__u32 k = 1;
	fn_t p = bpf_map_lookup_elem(&rec_table_tab, &k);

	if (!p)
		return 0;
	return p(x - 1) + 1;
}

static __noinline __u64 t_f(__u64 x)
{
	__u32 k = 0;
	fn_t p;

	if (x == 0)
		return 0;
	p = bpf_map_lookup_elem(&rec_table_tab, &k);
	if (!p)
		return 0;
	return p(x);
}

SEC("syscall") int rec_table(struct cx_ctx *ctx)
{
	ctx->out = t_f(ctx->x & 7);
	return 0;
}

/* ---- loop_sub -> bpf_loop(cb) -> cb -> (pointer) loop_sub -------------- */
static __u64 loop_sub(__u64 x);

static long rec_cb(__u32 i, void *data)
{
	fn_t volatile p = loop_sub;
	__u64 *acc = data;

	if (*acc)
		*acc = p(*acc - 1) + 1;
	return 1;
}

static __noinline __u64 loop_sub(__u64 x)
{
	__u64 acc = x;

	bpf_loop(1, rec_cb, &acc, 0);
	return acc;
}

SEC("syscall") int rec_callback(struct cx_ctx *ctx)
{
	ctx->out = loop_sub(ctx->x & 7);
	return 0;
}

char _license[] SEC("license") = "GPL";
