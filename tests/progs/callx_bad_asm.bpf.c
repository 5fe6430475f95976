// SPDX-License-Identifier: GPL-2.0
/*
 * callx_bad_asm - bad function-pointer programs clang would not emit from C
 * (it optimizes them away or folds them into something else), written as
 * naked functions in inline asm; tests/test_callx.c checks each rejection.
 *
 * clang-14's assembler has no `callx` mnemonic: CALLX(n) emits the raw
 * instruction in the encoding that compiler uses (opcode 0x8d, register
 * number in imm, dst_reg 0); clang-19 writes `callx rN` (register in
 * dst_reg).  llvm-objdump-19 -d shows the first form as "callx r0".
 *
 *   asm_uninit      callx r7 with r7 never written
 *   asm_const       r2 = 0x18 (the byte offset of a function in .text, as a
 *                   plain number); callx r2
 *   asm_arith       r3 = two_args ll (BPF_PSEUDO_FUNC); r3 += 8; callx r3
 *   asm_arith_back  the same with r3 += 8; r3 -= 8 (back on the function,
 *                   still not callable: arithmetic is refused outright)
 *   asm_unset_arg   r1 = 5; r3 = two_args ll; callx r3: two_args reads r2,
 *                   which nobody set (r2..r5 are uninitialized at entry)
 *   asm_spill_partial  the function pointer spilled with an 8-byte store,
 *                   then a 4-byte load of half of it called
 *   asm_leak_partial   the function pointer spilled, both 4-byte halves
 *                   read back and stored into ctx: however an engine
 *                   represents a function pointer (a native address in the
 *                   JIT), no part of it may reach user space (the kernel
 *                   refuses a partial fill of a spilled pointer: "invalid
 *                   size of register fill")
 *   asm_leak_byte   the same with one byte
 *   asm_leak_overwrite the low half of the spilled pointer overwritten with
 *                   0, then all 8 bytes read back and stored into ctx
 *   asm_spill_corrupt  the low half of a spilled function pointer
 *                   overwritten (4-byte store of 8), then the 8 bytes filled
 *                   and called: the slot no longer holds a function pointer
 *   asm_spill_overwrite  the same with an 8-byte store of 0x48
 *   asm_atomic_add  lock *(u64 *)(r10 - 8) += 8 on a spilled function
 *                   pointer, then filled and called
 *   asm_spill_u32   a function pointer stored with a 4-byte store, read back
 *                   and written into ctx
 *   asm_varoff_store a function pointer stored through a stack pointer with
 *                   a variable offset (r10 - 16 + (i & 8)), both candidate
 *                   slots read back and written into ctx
 *   asm_varoff_clobber two slots hold a function pointer, a number is
 *                   stored through r10 - 16 + (i & 8) (one of them, which is
 *                   unknown), then r10 - 16 is filled and called
 *   asm_cmp_const   a function pointer compared with 0x40 (only comparisons
 *                   with 0 are allowed: the result tells its value)
 *   asm_mov32       w3 = w3 on a function pointer, then written into ctx
 *   asm_neg         r3 = -r3 on a function pointer, then written into ctx
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#if __clang_major__ >= 19
#define CALLX(n) "callx r" #n ";"
#else
#define CALLX(n) ".quad 0x8d | (" #n " << 32);"
#endif

static __attribute__((noinline)) __u64 two_args(__u64 a, __u64 b)
{
	return a + b;
}

SEC("syscall") __attribute__((naked)) int asm_uninit(void *ctx)
{
	asm volatile (CALLX(7)
		      "r0 = 0;"
		      "exit;" ::: "memory");
}

SEC("syscall") __attribute__((naked)) int asm_const(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = 0x18;"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" ::: "memory");
}

SEC("syscall") __attribute__((naked)) int asm_arith(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = %[f] ll;"
		      "r3 += 8;"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_arith_back(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = %[f] ll;"
		      "r3 += 8;"
		      "r3 -= 8;"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_unset_arg(void *ctx)
{
	asm volatile ("r1 = 5;"
		      "r3 = %[f] ll;"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_spill_partial(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r3 = *(u32 *)(r10 - 8);"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_leak_partial(void *ctx)
{
	asm volatile ("r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r3 = *(u32 *)(r10 - 8);"
		      "*(u64 *)(r1 + 16) = r3;"
		      "r3 = *(u32 *)(r10 - 4);"
		      "*(u64 *)(r1 + 8) = r3;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_leak_byte(void *ctx)
{
	asm volatile ("r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r3 = *(u8 *)(r10 - 8);"
		      "*(u64 *)(r1 + 16) = r3;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_leak_overwrite(void *ctx)
{
	asm volatile ("r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r4 = 0;"
		      "*(u32 *)(r10 - 8) = r4;"
		      "r3 = *(u64 *)(r10 - 8);"
		      "*(u64 *)(r1 + 16) = r3;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_spill_corrupt(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r4 = 8;"
		      "*(u32 *)(r10 - 8) = r4;"
		      "r3 = *(u64 *)(r10 - 8);"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_spill_overwrite(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r4 = 0x48;"
		      "*(u64 *)(r10 - 8) = r4;"
		      "r3 = *(u64 *)(r10 - 8);"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_atomic_add(void *ctx)
{
	asm volatile ("r1 = 1;"
		      "r2 = 2;"
		      "r3 = %[f] ll;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r4 = 8;"
		      "lock *(u64 *)(r10 - 8) += r4;"
		      "r3 = *(u64 *)(r10 - 8);"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_spill_u32(void *ctx)
{
	asm volatile ("r3 = %[f] ll;"
		      "*(u32 *)(r10 - 8) = r3;"
		      "r4 = *(u32 *)(r10 - 8);"
		      "*(u64 *)(r1 + 16) = r4;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_varoff_store(void *ctx)
{
	asm volatile ("r6 = r1;"
		      "r4 = 0;"
		      "*(u64 *)(r10 - 16) = r4;"
		      "*(u64 *)(r10 - 8) = r4;"
		      "r5 = *(u64 *)(r6 + 0);"
		      "r5 &= 8;"
		      "r5 += r10;"
		      "r3 = %[f] ll;"
		      "*(u64 *)(r5 - 16) = r3;"
		      "r4 = *(u64 *)(r10 - 16);"
		      "*(u64 *)(r6 + 8) = r4;"
		      "r4 = *(u64 *)(r10 - 8);"
		      "*(u64 *)(r6 + 16) = r4;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_varoff_clobber(void *ctx)
{
	asm volatile ("r6 = r1;"
		      "r3 = %[f] ll;"
		      "*(u64 *)(r10 - 16) = r3;"
		      "*(u64 *)(r10 - 8) = r3;"
		      "r5 = *(u64 *)(r6 + 0);"
		      "r5 &= 8;"
		      "r5 += r10;"
		      "r4 = 0x48;"
		      "*(u64 *)(r5 - 16) = r4;"
		      "r3 = *(u64 *)(r10 - 16);"
		      "r1 = 1;"
		      "r2 = 2;"
		      CALLX(3)
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_cmp_const(void *ctx)
{
	asm volatile ("r0 = 0;"
		      "r3 = %[f] ll;"
		      "if r3 > 0x40 goto 1f;"
		      "r0 = 1;"
		      "1:"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_mov32(void *ctx)
{
	asm volatile ("r3 = %[f] ll;"
		      "w3 = w3;"
		      "*(u64 *)(r1 + 16) = r3;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

SEC("syscall") __attribute__((naked)) int asm_neg(void *ctx)
{
	asm volatile ("r3 = %[f] ll;"
		      "r3 = -r3;"
		      "*(u64 *)(r1 + 16) = r3;"
		      "r0 = 0;"
		      "exit;" :: [f]"i"(two_args) : "memory");
}

char _license[] SEC("license") = "GPL";
