/* facts.h - what the verifier proved, per instruction, for the self-check run
 * (state embedding, after "Validating the eBPF Verifier via State
 * Embedding", OSDI 2024).  While it explores, the verifier joins every state
 * it reaches at an instruction -- explored or about to be pruned -- into one
 * fact per register and per stack slot of the running frame.  The engines'
 * self-check (src/vm/selfcheck.c) then compares the concrete registers and
 * stack with these facts before every instruction: a concrete value outside
 * them is a verifier bug, whether or not a memory error follows.
 *
 * A scalar's bounds are only compared at the instruction that used its
 * exact value for a safety decision every path there makes (pointer
 * arithmetic, helper sizes, constant keys, callback return values):
 * elsewhere pruning legitimately lets imprecise values differ from what was
 * explored.  Branches decided by a value are checked by their edges.  Pointer facts -- kind, base, offset range,
 * the function-pointer target set -- and known-zero stack bytes are always
 * compared: pruning never generalizes them. */
#ifndef IBPF_VERIFIER_FACTS_H
#define IBPF_VERIFIER_FACTS_H

#include <stdint.h>

#include "verifier/tnum.h"

struct ibpf_map;

#define FACT_VARIANTS 4       /* distinct pointer kinds kept per location */

/* The join of the values one location held, for one kind of value. */
struct val_fact {
	uint8_t type;             /* enum reg_type (state.h) */
	uint8_t maybe_null;
	uint8_t frameno;          /* PTR_TO_STACK: the frame pointed into */
	int32_t off;              /* pointers: the fixed offset */
	const struct ibpf_map *map;
	uint32_t mem_size;
	struct tnum var_off;      /* scalar value, or a pointer's variable offset */
	int64_t smin, smax;
	uint64_t umin, umax;
	uint32_t fset;            /* PTR_TO_FUNC: index into ibpf_facts.sets */
};

/* A register or a spilled slot: up to FACT_VARIANTS kinds, or anything. */
struct loc_fact {
	uint8_t any;              /* some state left it unknown: not checked */
	uint8_t n;
	struct val_fact v[FACT_VARIANTS];
};

struct slot_fact {
	uint8_t spi;              /* fp - 8*(spi+1) */
	struct loc_fact val;      /* the spilled register, in every state */
};

struct insn_fact {
	uint32_t states;          /* how many states were joined (0: never reached) */
	uint8_t frames;           /* bit k: reached with curframe == k */
	uint8_t edges;            /* conditional jumps: 1 fall-through, 2 taken */
	uint8_t rel_frames;       /* reached while verifying a global function on
				   * its own: frame numbers count from its entry,
				   * not from the program's */
	uint16_t live_regs;       /* registers read before written from here: dead
				   * ones are not compared when pruning, so not here */
	uint16_t need_regs;       /* scalars whose bounds are compared */
	uint64_t need_slots;
	struct loc_fact regs[11];
	uint64_t zero[8];         /* per slot: bytes known zero in every state */
	uint32_t nslots;
	struct slot_fact *slots;  /* slots spilled in every state */
};

struct fset_copy {
	uint32_t n;
	uint32_t *subprog;
};

struct ibpf_facts {
	uint32_t n;               /* instructions */
	struct insn_fact *insn;
	uint32_t nsets;
	struct fset_copy *sets;   /* target sets, by the ids used in val_fact */
};

void ibpf_facts_free(struct ibpf_facts *f);

#endif
