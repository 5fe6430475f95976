// SPDX-License-Identifier: GPL-2.0
/*
 * callx_loop - a function pointer taken from a SEC("callx") call table (or
 * kept in a stack slot) handed to bpf_loop (helper 181) as its callback,
 * instead of being called with callx (issue 4, "Callbacks").
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *         i picks the callback, x is the number of iterations;
 *         out = the sum the callback accumulated; return what bpf_loop
 *         returns (x), or -22 when i is out of range (out untouched).
 * callbacks: cb_add adds the index, cb_sq its square:
 *         x = 10 -> cb_add 45, cb_sq 285.
 *
 *   loop_lookup  cb = bpf_map_lookup_elem(&cb_table, &k); NULL -> -22;
 *                bpf_loop(x, cb, &st, 0)      (cb_table = {cb_add, cb_sq})
 *   loop_index   cb = cb_table[i & 1]; bpf_loop(x, cb, &st, 0)
 *   loop_spill   cb picked by i & 1 (cb_sq odd, cb_add even) into a volatile
 *                local (a stack slot), then bpf_loop(x, cb, &st, 0)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

struct loop_state {
	__u64 sum;
};

typedef long (*cb_t)(__u32, void *);

static long cb_add(__u32 i, void *data)
{
	struct loop_state *st = data;

	st->sum += i;
	return 0;
}

static long cb_sq(__u32 i, void *data)
{
	struct loop_state *st = data;

	st->sum += (__u64)i * i;
	return 0;
}

SEC("callx") cb_t cb_table[2] = { cb_add, cb_sq };

SEC("syscall") int loop_lookup(struct cx_ctx *ctx)
{
	struct loop_state st = { 0 };
	__u32 k = (__u32)ctx->i;
	void *cb;
	long n;

	cb = bpf_map_lookup_elem(&cb_table, &k);
	if (!cb)
		return -22;
	n = bpf_loop((__u32)ctx->x, cb, &st, 0);
	ctx->out = st.sum;
	return (int)n;
}

SEC("syscall") int loop_index(struct cx_ctx *ctx)
{
	struct loop_state st = { 0 };
	long n;

	n = bpf_loop((__u32)ctx->x, cb_table[ctx->i & 1], &st, 0);
	ctx->out = st.sum;
	return (int)n;
}

SEC("syscall") int loop_spill(struct cx_ctx *ctx)
{
	struct loop_state st = { 0 };
	cb_t volatile cb;
	long n;

	if (ctx->i & 1)
		cb = cb_sq;
	else
		cb = cb_add;
	n = bpf_loop((__u32)ctx->x, cb, &st, 0);
	ctx->out = st.sum;
	return (int)n;
}

char _license[] SEC("license") = "GPL";
