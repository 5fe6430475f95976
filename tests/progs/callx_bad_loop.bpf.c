// SPDX-License-Identifier: GPL-2.0
/*
 * callx_bad_loop - bad bpf_loop callbacks given through function pointers
 * (issue 4, "Callbacks"); each program must be rejected.
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *
 *   bad_loop_cb_ret  bpf_loop(4, bad_cb_tab[i & 1], NULL, 0) where
 *                    bad_cb_tab = {cb_ok, cb_ret2} and cb_ret2 returns 2 (a
 *                    callback must return 0 or 1): every target of the
 *                    table is checked as a callback
 *   bad_loop_scalar  bpf_loop(4, (void *)ctx->x, NULL, 0): a number
 *   bad_loop_null    bpf_loop(4, bpf_map_lookup_elem(&bad_cb_tab, &k), ...)
 *                    without the NULL check
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

static long cb_ok(__u32 i, void *data)
{
	return 0;
}

static long cb_ret2(__u32 i, void *data)
{
	return 2;
}

SEC("callx") long (*bad_cb_tab[2])(__u32, void *) = { cb_ok, cb_ret2 };

SEC("syscall") int bad_loop_cb_ret(struct cx_ctx *ctx)
{
	return bpf_loop(4, bad_cb_tab[ctx->i & 1], NULL, 0);
}

SEC("syscall") int bad_loop_scalar(struct cx_ctx *ctx)
{
	return bpf_loop(4, (void *)ctx->x, NULL, 0);
}

SEC("syscall") int bad_loop_null(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;

	return bpf_loop(4, bpf_map_lookup_elem(&bad_cb_tab, &k), NULL, 0);
}

char _license[] SEC("license") = "GPL";
