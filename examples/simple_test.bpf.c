// SPDX-License-Identifier: GPL-2.0
/*
 * simple_test - the toy selftest from the talk "BPF: Indirect Calls"
 * (LSF/MM/BPF 2025), slide "Indirect calls in BPF: toy selftest".
 *
 * ctx:    struct simple_ctx { __u64 x; }              (8 bytes, read only)
 * result: ret_user (in .bss) = foo(x), where
 *           foo = foo_1 if x is odd:  foo_1(x) = x + 100
 *           foo = foo_2 if x is even: foo_2(x) = x * 3
 *         return value 0.
 * e.g. x = 7 -> ret_user = 107;  x = 8 -> ret_user = 24.
 *
 * clang-19 -O2 -mcpu=v3 compiles simple_test() to exactly the 14 instructions
 * of the seed's objdump: two ld_imm64 of a function address (insns 3 and 6,
 * R_BPF_64_64 against .text), `callx r2` (insn 8) and the ld_imm64 of
 * ret_user (insn 9).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct simple_ctx {
	__u64 x;
};

__u64 ret_user;

static __attribute__((noinline)) __u64 foo_1(__u64 x)
{
	return x + 100;
}

static __attribute__((noinline)) __u64 foo_2(__u64 x)
{
	return x * 3;
}

SEC("syscall") int simple_test(struct simple_ctx *ctx)
{
	__u64 (*foo)(__u64);

	if (ctx->x % 2)
		foo = &foo_1;
	else
		foo = &foo_2;

	ret_user = foo(ctx->x);

	return 0;
}

char _license[] SEC("license") = "GPL";
