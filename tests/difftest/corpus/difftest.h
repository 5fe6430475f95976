/* SPDX-License-Identifier: GPL-2.0 */
/*
 * difftest.h - shared by every corpus program of the differential harness
 * (tests/difftest).  Each corpus file is BPF C compiled with
 *   clang-19 --target=bpf -O2 -g -mcpu=v3 -I/usr/include/<multiarch>
 * and holds several SEC("syscall") programs, each announced by a header
 * comment (see tests/difftest/README.md for the tags):
 *
 *   / * @test NAME: what it tests
 *    * @expect accept|reject     the kernel's verdict this program is built for
 *    * @msg TEXT                 (reject) a piece of the kernel's error message
 *    * @ctx HEX                  (accept) the ctx to run it with
 *    * @map NAME=HEX             (accept) array map contents, keys 0, 1, ...
 *    * /
 *
 * Hand-written assembly uses naked functions, as the kernel's selftests do
 * (tools/testing/selftests/bpf/progs/verifier_*.c).
 */
#ifndef DIFFTEST_H
#define DIFFTEST_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __naked __attribute__((naked))
/* a program written in assembly: int NAME(void), r1 = ctx on entry */
#define ASM_PROG(name) SEC("syscall") __naked int name(void)
/* a static subprogram in assembly, reached by `call NAME` */
#define ASM_SUB(name) static __naked __noinline __attribute__((used)) void name(void)

/* inline-asm operands, as in the kernel's selftests */
#define __imm(name) [name] "i"(name)
#define __imm_const(name, expr) [name] "i"(expr)
#define __imm_addr(name) [name] "i"(&name)
#define __imm_ptr(name) [name] "r"(&name)

/* Maps most files use.  arr: 4 x u64; big: 4 x 64 bytes; hsh: hash u32 -> 16
 * bytes.  Unused ones cost nothing but a map creation. */
struct val64 { __u64 v[8]; };
struct val16 { __u64 a, b; };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val64);
} big SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct val16);
} hsh SEC(".maps");

char _license[] SEC("license") = "GPL";

/* Every operand an assembly program may name: maps and helper numbers. */
#define ASM_OPS __imm_addr(big), __imm_addr(arr), __imm_addr(hsh),			\
	__imm(bpf_map_lookup_elem), __imm(bpf_map_update_elem),				\
	__imm(bpf_map_delete_elem), __imm(bpf_loop), __imm(bpf_trace_printk),		\
	__imm(bpf_ktime_get_ns), __imm(bpf_get_prandom_u32),				\
	__imm(bpf_get_smp_processor_id)

/* ASM(name, "insn;" "insn;" ...): a whole program in assembly */
#define ASM(name, body) ASM_PROG(name) { asm volatile(body :: ASM_OPS : "memory"); }
/* SUB(name, body): a static subprogram, called with `call name` */
#define SUB(name, body) ASM_SUB(name) { asm volatile(body :: ASM_OPS : "memory"); }

/* r6 = ctx; r0 = &big[0] (64-byte value); the program returns 0 when the
 * lookup fails.  Uses the local label 9. */
#define GET_BIG								\
	"r6 = r1;"							\
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"				\
	"r2 = r10; r2 += -4;"						\
	"r1 = %[big] ll;"						\
	"call %[bpf_map_lookup_elem];"					\
	"if r0 != 0 goto 9f;"						\
	"exit;"								\
	"9:"

/* the same with arr (8-byte value) */
#define GET_ARR								\
	"r6 = r1;"							\
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"				\
	"r2 = r10; r2 += -4;"						\
	"r1 = %[arr] ll;"						\
	"call %[bpf_map_lookup_elem];"					\
	"if r0 != 0 goto 9f;"						\
	"exit;"								\
	"9:"

/* r6 = ctx; hsh[0] = {0, 0}, then r0 = &hsh[0] (16-byte value, or NULL:
 * the program returns 0) */
#define GET_HSH								\
	"r6 = r1;"							\
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"				\
	"*(u64 *)(r10 - 24) = r1; *(u64 *)(r10 - 16) = r1;"		\
	"r2 = r10; r2 += -4;"						\
	"r3 = r10; r3 += -24;"						\
	"r1 = %[hsh] ll; r4 = 0;"					\
	"call %[bpf_map_update_elem];"					\
	"r2 = r10; r2 += -4;"						\
	"r1 = %[hsh] ll;"						\
	"call %[bpf_map_lookup_elem];"					\
	"if r0 != 0 goto 9f;"						\
	"exit;"								\
	"9:"

#endif
