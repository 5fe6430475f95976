// SPDX-License-Identifier: GPL-2.0
/*
 * callx_bad_global - global (non-static) callx targets used in ways their
 * BTF signature does not allow; each program must be rejected.  Like the
 * kernel does for a direct call to a global function, a global target is
 * checked against its signature at the call site, not verified in the
 * caller's state (DESIGN.md, issue 4 "Global functions as targets").
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *
 *   bad_global_ptr_arg    gret_tab[0] = g_keep(__u64 x) { return x; } given
 *                         the ctx pointer: "R1 is not a scalar" in the
 *                         kernel; verified in the caller's state the ctx
 *                         pointer would come back and land in ctx->out
 *   bad_global_ret_known  buf[gret_tab[1](x)] on an 8-entry stack array,
 *                         gret_tab[1] = g_five returns 5: to the caller an
 *                         unknown __u64, so the index is unbounded
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

typedef __u64 (*fn_t)(__u64);

__noinline __u64 g_keep(__u64 x)
{
	return x;
}

__noinline __u64 g_five(__u64 x)
{
	return 5;
}

SEC("callx") fn_t gret_tab[2] = { g_keep, g_five };

/* g_keep's parameter is a __u64: a pointer must not be passed there (the
 * kernel: "R1 is not a scalar").  Verified in the caller's state, g_keep
 * would hand the ctx pointer back and it would land in ctx->out. */
SEC("syscall") int bad_global_ptr_arg(struct cx_ctx *ctx)
{
	__u32 k = 0;
	fn_t fp = bpf_map_lookup_elem(&gret_tab, &k);

	if (!fp)
		return -22;
	ctx->out = fp((__u64)ctx);
	return 0;
}

/* What g_five returns is, to its caller, an unknown __u64: indexing an
 * 8-entry stack array with it is unbounded.  (Verified in the caller's
 * state, r0 would be the constant 5.) */
SEC("syscall") int bad_global_ret_known(struct cx_ctx *ctx)
{
	volatile __u64 buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	__u32 k = 1;
	fn_t fp = bpf_map_lookup_elem(&gret_tab, &k);

	if (!fp)
		return -22;
	ctx->out = buf[fp(ctx->x)];
	return 0;
}

char _license[] SEC("license") = "GPL";
