// SPDX-License-Identifier: GPL-2.0
/*
 * calculon_switch - the same RPN calculator as calculon.bpf.c with the
 * operator dispatched by a switch and a direct call, no function pointers:
 * a stock kernel (no callx) loads and runs it, so it is the kernel-checked
 * reference for calculon's results (tests/progs/kernel_ref/).
 *
 * ctx, input map and semantics: include/calculon.h (identical to calculon).
 *   ctx  struct calculon_ctx { __u64 n; __s64 result; }
 *   map  calculon_input: array, key __u32, value __u8 (one character), 1024
 *   "1234567++++++" -> result 28, "2222222******" -> 128,
 *   "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+" -> 11; return 0.
 *
 * One difference from calculon besides the dispatch: the RPN stack lives in
 * .bss (calculon_scratch), not on the BPF stack.  On the BPF stack the
 * verifier knows `top` exactly and explores the 1024-iteration loop once per
 * (iteration, depth, which slots were written) - the kernel 6.18 verifier
 * gives up after 1,000,000 instructions even for this switch form.  Read
 * from a global, `top` is an unknown bounded scalar, every iteration has one
 * state and the kernel verifies the program in about 350k instructions.
 */
#include "calculon.h"

enum calculon_op {
	CALCULON_ADD,
	CALCULON_MUL,
	CALCULON_SUB,
};

struct calculon_stack calculon_scratch;

static __noinline int calculon_apply(struct calculon_stack *stack, int op)
{
	__s64 a, b, r;

	if (pop(stack, &a) || pop(stack, &b))
		return -1;

	switch (op) {
	case CALCULON_ADD:
		r = a + b;
		break;
	case CALCULON_MUL:
		r = a * b;
		break;
	case CALCULON_SUB:
		r = a - b;	/* top - next */
		break;
	default:
		return -1;
	}
	return push(stack, r);
}

SEC("syscall") int calculon_switch(struct calculon_ctx *ctx)
{
	struct calculon_stack *stack = &calculon_scratch;
	__s64 result;
	__u32 i, key;
	int op;
	__u8 *x;

	stack->top = -1;

	for (i = 0; i < CALCULON_MAX_INPUT && i < ctx->n; i++) {
		key = i;

		x = bpf_map_lookup_elem(&calculon_input, &key);
		if (!x)
			break;

		if (is_digit(*x)) {
			if (push(stack, *x - '0'))
				return -1;
			continue;
		}

		switch (*x) {
		case '*':
			op = CALCULON_MUL;
			break;
		case '+':
			op = CALCULON_ADD;
			break;
		case '-':
			op = CALCULON_SUB;
			break;
		default:
			return -1;
		}

		if (calculon_apply(stack, op))
			return -1;
	}

	if (pop(stack, &result))
		return -1;
	ctx->result = result;
	return 0;
}

char _license[] SEC("license") = "GPL";
