// SPDX-License-Identifier: GPL-2.0
/* sound_rodata - reads of .rodata that must not turn a function pointer
 * into a number, and a map that is read-only to programs but not frozen
 * (tests/test_soundness.c pins each rejection).
 *
 *   partial_fptr   reads the low 4 bytes of a function-pointer slot
 *   mixed_index    an 8-byte load at a variable index over {tag, fn} pairs:
 *                  it may read the tag or the pointer
 *   rdonly_unfrozen  a BPF_F_RDONLY_PROG array user space may still write:
 *                  its value is not a constant, so using it as a stack
 *                  offset is unbounded
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sr_ctx {
	__u64 i;
	__u64 out;
};

static __noinline __u64 sr_f1(__u64 x) { return x + 1; }
static __noinline __u64 sr_f2(__u64 x) { return x * 2; }

struct sr_ops {
	__u64 tag;
	__u64 (*fn)(__u64);
};

static const struct sr_ops sr_vt[] = { { 7, sr_f1 }, { 9, sr_f2 } };

SEC("syscall") int partial_fptr(struct sr_ctx *ctx)
{
	ctx->out = *(volatile const __u32 *)&sr_vt[0].fn;
	return 0;
}

SEC("syscall") int mixed_index(struct sr_ctx *ctx)
{
	__u64 i = ctx->i & 3;      /* 8-byte words 0..3: tags and pointers */

	ctx->out = ((volatile const __u64 *)sr_vt)[i];
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_RDONLY_PROG);
} sr_rdonly SEC(".maps");

SEC("syscall") int rdonly_unfrozen(struct sr_ctx *ctx)
{
	char buf[64] = {};
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&sr_rdonly, &k);

	if (!v)
		return 0;
	ctx->out = ((volatile char *)buf)[*v];
	return 0;
}

char _license[] SEC("license") = "GPL";
