// SPDX-License-Identifier: GPL-2.0
/*
 * calculon - the RPN calculator of the talk's "a more realistic example":
 * every operator is a static function taking the stack, picked into a
 * function pointer `op` and called indirectly (`callx`).
 *
 * ctx, map and semantics: see include/calculon.h.
 *   ctx  struct calculon_ctx { __u64 n; __s64 result; }
 *   map  calculon_input: array, key __u32, value __u8 (one character), 1024
 *   "1234567++++++" -> result 28, "2222222******" -> 128,
 *   "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+" -> 11; return 0.
 */
#include "calculon.h"

static __noinline int calculon_add(struct calculon_stack *stack)
{
	__s64 a, b;

	if (pop(stack, &a) || pop(stack, &b))
		return -1;
	return push(stack, a + b);
}

static __noinline int calculon_mul(struct calculon_stack *stack)
{
	__s64 a, b;

	if (pop(stack, &a) || pop(stack, &b))
		return -1;
	return push(stack, a * b);
}

/* top - next */
static __noinline int calculon_sub(struct calculon_stack *stack)
{
	__s64 a, b;

	if (pop(stack, &a) || pop(stack, &b))
		return -1;
	return push(stack, a - b);
}

SEC("syscall") int calculon(struct calculon_ctx *ctx)
{
	struct calculon_stack stack = {
		.top = -1,
	};
	int (*op)(struct calculon_stack *);
	__s64 result;
	__u32 i, key;
	__u8 *x;

	for (i = 0; i < CALCULON_MAX_INPUT && i < ctx->n; i++) {
		key = i;

		x = bpf_map_lookup_elem(&calculon_input, &key);
		if (!x)
			break;

		if (is_digit(*x)) {
			if (push(&stack, *x - '0'))
				return -1;
			continue;
		} else if (*x == '*') {
			op = calculon_mul;
		} else if (*x == '+') {
			op = calculon_add;
		} else if (*x == '-') {
			op = calculon_sub;
		} else {
			return -1;
		}

		if (op(&stack))
			return -1;
	}

	if (pop(&stack, &result))
		return -1;
	ctx->result = result;
	return 0;
}

char _license[] SEC("license") = "GPL";
