/* vfuzz.h - the verifier fuzzer's test case: instructions plus the maps they
 * use, independent of ibpf's object so it can be generated, minimized,
 * written to a file, read back and handed to both ibpf and the kernel. */
#ifndef VFUZZ_H
#define VFUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#define VF_MAX_INSNS 2048
#define VF_MAX_MAPS 8
#define VF_MAX_PROGS 2
#define VF_MAX_SLOTS 16
#define VF_MAX_ENTRIES 16
#define VF_MAX_VALUE 128
#define VF_CTX_SIZE 64
#define VF_MAX_DICT 64

struct vf_map {
	uint32_t type, key_size, value_size, max_entries, flags;
	uint64_t extra;
	int frozen;
	/* arrays: max_entries values of value_size (no padding here) */
	uint8_t data[VF_MAX_ENTRIES * VF_MAX_VALUE];
	/* hash: initial entries */
	int nent;
	uint8_t keys[VF_MAX_ENTRIES][8];
	uint8_t vals[VF_MAX_ENTRIES][VF_MAX_VALUE];
	/* function-pointer slots: byte offset in the array data, target insn
	 * (of program 0) */
	int nslots;
	uint32_t slot_off[VF_MAX_SLOTS];
	uint32_t slot_insn[VF_MAX_SLOTS];
	int kind;                /* generator's role for it */
};

struct vf_prog {
	struct bpf_insn insns[VF_MAX_INSNS];
	int n;
};

struct vf_case {
	int nmaps;
	struct vf_map maps[VF_MAX_MAPS];
	int nprogs;
	struct vf_prog progs[VF_MAX_PROGS];
	/* constants the program compares against: inputs are biased to them */
	int ndict;
	uint64_t dict[VF_MAX_DICT];
};

/* xorshift64* */
static inline uint64_t vf_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 2685821657736338717ull;
}
static inline uint32_t vf_below(uint64_t *s, uint32_t n) { return n ? (uint32_t)(vf_rand(s) % n) : 0; }
static inline int vf_chance(uint64_t *s, int percent) { return (int)vf_below(s, 100) < percent; }

/* gen.c */
struct vf_gen_opts {
	int allow_callx;         /* ibpf-only shapes (callx, call tables) */
	int bad_percent;         /* share of snippets with a deliberate flaw */
	int no_delete_use;       /* skip use-after-delete (a known crash) */
};
void vf_generate(struct vf_case *c, uint64_t seed, const struct vf_gen_opts *o);
int vf_case_uses_ibpf_only(const struct vf_case *c);

#endif
