// SPDX-License-Identifier: GPL-2.0
/*
 * hash_uaf - a map value pointer stays valid after its element is deleted or
 * replaced, for as long as the program runs (the kernel's guarantee: the
 * element is freed only after an RCU grace period).  The verifier accepts
 * these programs as the kernel's does; tests/test_maps_reclaim.c runs them on
 * both engines under ASan and from several threads at once.
 *
 * ctx:  struct uaf_ctx { __u64 key; __u64 val; __u64 out; }   (24 bytes)
 * map:  uaf_hash, hash, __u32 key -> __u64 value, 64 entries.
 *
 *   lookup_delete  v = lookup(key); NULL -> return -1.  delete(key), then
 *                  read *v, write *v = read + 1, read it back into out;
 *                  return the first read (the value before the delete).
 *   lookup_update  the same, but update(key, val) (BPF_ANY) replaces the
 *                  element instead of deleting it; out = *v after the write.
 *                  Returns the value before the update: the program still
 *                  holds the old element, a new lookup sees val.
 *
 *   e.g. uaf_hash[3] = 41:  lookup_delete key 3 -> 41, out 42, key 3 gone;
 *        lookup_update key 3, val 7 -> 41, out 42, uaf_hash[3] = 7.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct uaf_ctx {
	__u64 key;
	__u64 val;
	__u64 out;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} uaf_hash SEC(".maps");

SEC("syscall") int lookup_delete(struct uaf_ctx *ctx)
{
	__u32 k = ctx->key;
	__u64 *v = bpf_map_lookup_elem(&uaf_hash, &k);
	__u64 old;

	if (!v)
		return -1;
	bpf_map_delete_elem(&uaf_hash, &k);
	old = *v;
	*v = old + 1;
	ctx->out = *(volatile __u64 *)v;
	return old;
}

SEC("syscall") int lookup_update(struct uaf_ctx *ctx)
{
	__u32 k = ctx->key;
	__u64 nv = ctx->val;
	__u64 *v = bpf_map_lookup_elem(&uaf_hash, &k);
	__u64 old;

	if (!v)
		return -1;
	bpf_map_update_elem(&uaf_hash, &k, &nv, BPF_ANY);
	old = *v;
	*v = old + 1;
	ctx->out = *(volatile __u64 *)v;
	return old;
}

char _license[] SEC("license") = "GPL";
