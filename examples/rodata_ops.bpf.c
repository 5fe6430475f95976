// SPDX-License-Identifier: GPL-2.0
/*
 * rodata_ops - function pointers in read-only data, the form upstream merged
 * in 2026: a 64-bit load from a frozen read-only map (.rodata) of a slot that
 * holds a function pointer yields something callable; a bounded variable
 * index over such slots yields the set of their targets.
 *
 *   rodata_ops  static const struct ops vt[] = {{7, f1}, {9, f2}, {11, f3}};
 *               an "ops struct" table: tags (plain data) interleaved with
 *               function pointers in the same section, next to an unrelated
 *               const array (scale[]) - only the relocated slots may yield a
 *               function pointer.
 *               ret_user = vt[i].tag * scale[i] + vt[i].fn(x)
 *   table_init  the talk's first "What's next" form: a local array with a
 *               constant initializer, __u64 (*foo[2])(__u64) = {...};
 *               clang turns it into a const table in .rodata (which is what
 *               libbpf refused: "relocation against STT_SECTION in non-exec
 *               section is not supported!").
 *               ret_user = foo[i](x)
 *
 * ctx:    struct table_ctx { __u64 i; __u64 x; }          (16 bytes)
 * result: ret_user (.bss, 8 bytes); return 0, or -22 when i is out of range
 *         (i >= 3 for rodata_ops, i >= 2 for table_init; ret_user untouched).
 *   f1(x) = x + 1, f2(x) = x * 2, f3(x) = x * x; scale = {1, 10, 100}
 *   rodata_ops:  i=0,x=5 -> 7*1 + 6 = 13;  i=1,x=5 -> 9*10 + 10 = 100;
 *                i=2,x=5 -> 11*100 + 25 = 1125;  i=3 -> -22
 *   table_init:  foo = {f1, f2}: i=0,x=5 -> 6;  i=1,x=5 -> 10;  i=2 -> -22
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "ibpf_examples.h"

struct table_ctx {
	__u64 i;
	__u64 x;
};

__u64 ret_user;

static __noinline __u64 f1(__u64 x)
{
	return x + 1;
}

static __noinline __u64 f2(__u64 x)
{
	return x * 2;
}

static __noinline __u64 f3(__u64 x)
{
	return x * x;
}

struct ops {
	__u64 tag;
	__u64 (*fn)(__u64);
};

static const struct ops vt[] = {
	{ 7, f1 },
	{ 9, f2 },
	{ 11, f3 },
};

static const __u64 scale[] = { 1, 10, 100 };

SEC("syscall") int rodata_ops(struct table_ctx *ctx)
{
	__u64 i = ctx->i, x = ctx->x;
	const struct ops *op;

	if (i >= ARRAY_SIZE(vt))
		return -22;

	op = &vt[i];
	ret_user = op->tag * scale[i] + op->fn(x);

	return 0;
}

SEC("syscall") int table_init(struct table_ctx *ctx)
{
	__u64 (*foo[2])(__u64) = { &f1, &f2 };
	__u64 i = ctx->i, x = ctx->x;

	if (i >= ARRAY_SIZE(foo))
		return -22;

	ret_user = foo[i](x);

	return 0;
}

char _license[] SEC("license") = "GPL";
