// SPDX-License-Identifier: GPL-2.0
/*
 * loop_callback - bpf_loop (helper 181) with a static callback passed by
 * address: the other, long-standing use of ld_imm64 BPF_PSEUDO_FUNC (a
 * function address that is handed to a helper instead of called with
 * callx).  Plus a bpf_printk (bpf_trace_printk, helper 6, format string in
 * .rodata).  No callx, so the stock kernel runs it too.
 *
 * ctx:    struct loop_ctx { __u64 n; __u64 sum; }        (16 bytes)
 *         n   in:  number of iterations (bpf_loop takes the low 32 bits)
 *         sum out: sum of i*i for i = 0 .. n-1, stopping early once i
 *                  reaches 1000 (the callback then returns 1)
 * return: what bpf_loop returns: the number of iterations run
 *         (n when n <= 1000, else 1001: the call that returns 1 counts), or
 *         -E2BIG (-7) when n > 1 << 23 (sum is then 0).
 * printk: "loop_callback: n=%u iterations=%ld sum=%llu"
 *
 *   n=0 -> 0, sum 0;  n=10 -> 10, sum 285;  n=100 -> 100, sum 328350;
 *   n=1000 -> 1000, sum 332833500 (no stop: i only reaches 999);
 *   n=5000 -> 1001 (bpf_loop counts the stopping call), sum 332833500;
 *   n=9000000 -> -7, sum 0.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LOOP_STOP	1000

struct loop_ctx {
	__u64 n;
	__u64 sum;
};

struct loop_state {
	__u64 sum;
};

static int sum_squares(__u32 i, void *data)
{
	struct loop_state *st = data;

	if (i >= LOOP_STOP)
		return 1;	/* stop */
	st->sum += (__u64)i * i;
	return 0;		/* next iteration */
}

SEC("syscall") int loop_callback(struct loop_ctx *ctx)
{
	struct loop_state st = { .sum = 0 };
	__u32 n = (__u32)ctx->n;
	long ret;

	ret = bpf_loop(n, &sum_squares, &st, 0);
	bpf_printk("loop_callback: n=%u iterations=%ld sum=%llu", n, ret, st.sum);

	ctx->sum = st.sum;
	return (int)ret;
}

char _license[] SEC("license") = "GPL";
