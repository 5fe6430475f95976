/* SPDX-License-Identifier: GPL-2.0 */
/*
 * calculon.h - what calculon.bpf.c (function pointers, callx) and
 * calculon_switch.bpf.c (switch dispatch, loads in a stock kernel) share:
 * the context, the input map and the RPN stack.
 *
 * Layouts (little-endian):
 *   ctx   struct calculon_ctx { __u64 n; __s64 result; }   16 bytes
 *         n      in:  number of input characters (only the first 1024 count)
 *         result out: the top of the stack at the end (written only on success)
 *   map   calculon_input: BPF_MAP_TYPE_ARRAY, key __u32, value __u8 (one
 *         ASCII character), max_entries 1024; key i holds character i.
 *   ret   0 on success; -1 on a bad character, stack overflow (more than
 *         CALCULON_STACK_SIZE = 16 values), stack underflow (an operator with
 *         fewer than two values) or an empty stack at the end.  Characters
 *         after the first 1024 are ignored (the loop bound of the talk).
 *
 * Semantics: a digit '0'..'9' pushes its value; '+', '*', '-' pop
 * a = top, then b = next, and push a + b, a * b, a - b (so '-' is top - next).
 * Arithmetic is 64-bit two's complement.
 *   "1234567++++++"                                   -> 28
 *   "2222222******"                                   -> 128
 *   "2222222*****"                                    -> 64 (stack ends [2, 64])
 *   "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+"  -> 11
 */
#ifndef CALCULON_H
#define CALCULON_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * The verifier explores the input loop once per (iteration, known stack
 * depth) pair, so the stack size multiplies the verification cost of
 * calculon; 16 is ample for the talk's inputs (the longest needs 9).
 * Both can be overridden with -D for experiments.
 */
#ifndef CALCULON_MAX_INPUT
#define CALCULON_MAX_INPUT	1024
#endif
#ifndef CALCULON_STACK_SIZE
#define CALCULON_STACK_SIZE	16
#endif

struct calculon_ctx {
	__u64 n;
	__s64 result;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CALCULON_MAX_INPUT);
	__type(key, __u32);
	__type(value, __u8);
} calculon_input SEC(".maps");

struct calculon_stack {
	__s64 data[CALCULON_STACK_SIZE];
	__s32 top;		/* index of the top value, -1 when empty */
};

static __noinline int push(struct calculon_stack *stack, __s64 value)
{
	__s32 top = stack->top;

	if (top < -1 || top >= CALCULON_STACK_SIZE - 1)
		return -1;
	top++;
	stack->data[top] = value;
	stack->top = top;
	return 0;
}

static __noinline int pop(struct calculon_stack *stack, __s64 *value)
{
	__s32 top = stack->top;

	if (top < 0 || top >= CALCULON_STACK_SIZE)
		return -1;
	*value = stack->data[top];
	stack->top = top - 1;
	return 0;
}

static __always_inline int is_digit(__u8 c)
{
	return c >= '0' && c <= '9';
}

#endif /* CALCULON_H */
