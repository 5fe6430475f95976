// SPDX-License-Identifier: GPL-2.0
/*
 * btf_sample - an object whose .BTF and .BTF.ext tests/test_btf.c reads:
 * BTF-defined maps (__uint, __type, key_size/value_size, __ulong map_extra),
 * a syscall program with a struct ctx pointer, static and global subprograms
 * with different signatures, and line info.  The kernel loads it.
 *
 * `bpftool prog dump xlated` (bpftool v7.1.0, kernel 6.18) prints these
 * function header lines for it, with clang-19 and clang-14 alike:
 *
 *   int simple_test(struct simple_ctx * ctx):
 *   slot_t pick_slot(const struct simple_ctx * ctx, unsigned int nslots):
 *   void record(struct sample_val * v, __u64 bytes):
 *   long run_loop(long (__u32, void *)* cb, void * data):
 *   long loop_cb(__u32 index, void * data):
 *   int global_update(struct simple_ctx * ctx, __u32 slot):
 *   int no_args():
 *
 * (libbpf 1.1, inside that bpftool, predates __ulong: to load this object
 * with it, compile with -DBTF_SAMPLE_UINT_EXTRA.)
 *
 * tests/test_btf.c checks the line number of the line marked "line-info
 * probe" below: keep it on line 150 or update the test.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* libbpf >= 1.3 has __ulong; Debian's libbpf 1.1 headers do not. */
#ifndef __ulong
#define BTF_SAMPLE_CAT2(a, b) a##b
#define BTF_SAMPLE_CAT(a, b) BTF_SAMPLE_CAT2(a, b)
#define __ulong(name, val) enum { BTF_SAMPLE_CAT(__btf_sample_ulong, __COUNTER__) = val } name
#endif

#define OPAQUE(x) asm volatile("" : "+r"(x))

struct simple_ctx {
	__u32 key;
	__u32 flags;
	__u64 value;
};

struct sample_key {                 /* 16 bytes */
	__u32 ifindex;
	__u16 proto;
	__u16 port;
	__u64 cookie;
};

struct sample_val {                 /* 24 bytes */
	__u64 packets;
	__u64 bytes;
	__u64 last;
};

typedef __u32 slot_t;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct sample_val);
} arr_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct sample_key);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_NONE);
} hash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 12);
	__uint(value_size, 40);
	__uint(max_entries, 64);
} sized_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(value_size, sizeof(__u64));
	__uint(max_entries, 100);
#ifdef BTF_SAMPLE_UINT_EXTRA
	__uint(map_extra, 3);
#else
	__ulong(map_extra, 3);      /* number of hash functions */
#endif
} bloom_map SEC(".maps");      /* unused: sleepable programs cannot use it */

static __noinline slot_t pick_slot(const struct simple_ctx *ctx, unsigned int nslots)
{
	OPAQUE(nslots);
	return ctx->key % nslots;
}

static __noinline void record(struct sample_val *v, __u64 bytes)
{
	v->packets++;
	v->bytes += bytes;
}

static long loop_cb(__u32 index, void *data)
{
	*(__u64 *)data += index;
	return 0;
}

static __noinline long run_loop(long (*cb)(__u32, void *), void *data)
{
	return bpf_loop(4, cb, data, 0);
}

static __noinline int no_args(void)
{
	int x = 7;

	OPAQUE(x);
	return x;
}

__noinline int global_update(struct simple_ctx *ctx, __u32 slot)
{
	struct sample_val *v;

	if (!ctx)
		return 0;
	v = bpf_map_lookup_elem(&arr_map, &slot);
	if (!v)
		return 0;
	v->last = ctx->value;
	return 1;
}

SEC("syscall")
int simple_test(struct simple_ctx *ctx)
{
	struct sample_key k = {};
	struct sample_val *v;
	char skey[12] = {}, sval[40] = {};
	__u64 one = 1, acc = 0;
	slot_t slot = pick_slot(ctx, 16);

	v = bpf_map_lookup_elem(&arr_map, &slot);
	if (v)
		record(v, ctx->value);
	k.ifindex = ctx->key;
	k.cookie = ctx->value;
	bpf_map_update_elem(&hash_map, &k, &one, BPF_ANY); /* line-info probe */
	bpf_map_update_elem(&sized_map, skey, sval, BPF_ANY);
	run_loop(loop_cb, &acc);
	return global_update(ctx, slot) + no_args() + (int)acc;
}

char _license[] SEC("license") = "GPL";
