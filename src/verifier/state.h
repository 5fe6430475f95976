/* state.h - the abstract state the verifier tracks: registers, stack slots,
 * call frames.  See verifier.c for how states are explored and pruned. */
#ifndef IBPF_VERIFIER_STATE_H
#define IBPF_VERIFIER_STATE_H

#include <stdint.h>

#include "core/object.h"
#include "verifier/tnum.h"

enum reg_type {
	NOT_INIT = 0,
	SCALAR_VALUE,
	PTR_TO_CTX,
	CONST_PTR_TO_MAP,
	PTR_TO_MAP_VALUE,
	PTR_TO_MAP_KEY,
	PTR_TO_STACK,
	PTR_TO_FUNC,
	PTR_TO_MEM,             /* raw programs: the memory r1 points to */
};

#define MAX_CALL_FRAMES 8
#define MAX_BPF_STACK 512
#define SLOTS_PER_FRAME (MAX_BPF_STACK / 8)

struct reg_state {
	uint8_t type;           /* enum reg_type */
	uint8_t maybe_null;     /* pointer that may be NULL (..._OR_NULL) */
	uint8_t frameno;        /* PTR_TO_STACK: the frame it points into */
	uint8_t precise;        /* its exact value mattered to some check */
	int32_t off;            /* fixed part of a pointer's offset */
	uint32_t id;            /* copies share an id: NULL checks and bounds
				 * learned on one apply to all */
	struct tnum var_off;    /* scalar value, or a pointer's variable offset */
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32_min, s32_max;
	uint32_t u32_min, u32_max;
	const struct ibpf_map *map;   /* map pointers and map values */
	uint32_t mem_size;      /* PTR_TO_MEM */
	/* PTR_TO_FUNC: the set of subprograms it may point to, an index into
	 * the verifier's interned target sets (env.h: fset_*). */
	uint32_t fset;
};

enum slot_type {
	STACK_INVALID = 0,      /* never written */
	STACK_MISC,             /* some scalar bytes */
	STACK_ZERO,             /* known zero */
	STACK_SPILL,            /* part of a spilled register */
};

/* One 8-byte stack slot: per-byte types and, for spills, the register. */
struct stack_slot {
	uint8_t type[8];        /* type[i] describes byte (slot base + i) */
	struct reg_state spilled;
};

struct func_state {
	struct reg_state regs[11];
	int callsite;           /* insn of the call that created this frame, -1 for main */
	uint32_t subprog;       /* which function runs in this frame */
	int in_callback;        /* frame of a bpf_loop callback */
	uint32_t cb_call;       /* callbacks: which bpf_loop call made it (a fresh id
				 * per call; its iterations share it) */
	struct reg_state cb_arg1, cb_arg2;  /* a callback's arguments, for re-entry */
	int nslots;             /* allocated stack slots (8 bytes each, from the top) */
	struct stack_slot *slots;  /* slots[i] covers fp-8*(i+1) .. fp-8*i-1 */
};

struct vstate {
	struct func_state *frame[MAX_CALL_FRAMES];
	int curframe;
	uint32_t insn_idx;      /* where this state continues */
};

#endif
