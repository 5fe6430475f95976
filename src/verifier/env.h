/* env.h - the verifier's working state shared by its files:
 *   verifier.c  driver: the exploration loop and per-instruction dispatch
 *   cfg.c       control-flow checks before exploration (reachability, calls)
 *   analysis.c  static liveness and precision (which values pruning must compare)
 *   scalar.c    bounds and tnum arithmetic, branch refinement
 *   alu.c       ALU instructions on scalars and pointers
 *   mem.c       memory accesses: ctx, stack, map values
 *   calls.c     helpers, bpf-to-bpf calls, callx, callbacks
 *   prune.c     checkpoints and state equivalence
 *   vlog.c      the kernel-format log
 * Checks (which may reject) are kept apart from transfer functions (which
 * change the state and never reject). */
#ifndef IBPF_VERIFIER_ENV_H
#define IBPF_VERIFIER_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "core/object.h"
#include "verifier/facts.h"
#include "verifier/state.h"
#include "verifier/verifier.h"

#define BPF_COMPLEXITY_LIMIT_INSNS 1000000

/* A stored state at a prune point (prune.c). */
struct checkpoint {
	struct vstate *st;
	struct checkpoint *parent;   /* previous checkpoint on the same path */
	struct checkpoint *next;     /* next one in its list at the same insn */
	struct checkpoint **pprev;   /* the link pointing at it (in-flight list) */
	struct checkpoint *hnext;    /* in-flight hash chain (loop detection) */
	struct checkpoint **hpprev;
	uint32_t branches;           /* paths from here still being explored */
	uint32_t insn;
	uint32_t trail_pos;          /* its instruction's entry in the trail */
	uint32_t hits, miss;
	uint64_t hash;               /* state_hash() at creation */
};

/* One executed instruction on the current path (precise.c walks it back). */
struct trail_entry {
	uint32_t idx;
	uint8_t frame;               /* curframe when it ran */
	uint8_t sframe;              /* stack access: the frame of the slot */
	int16_t spi;                 /* stack access at a fixed slot, else -1 */
	uint32_t link;               /* branches that refined linked copies: their
				      * index in env.links (0: none) */
};

/* Copies sharing an id that one branch refined together, in every frame:
 * if any of them matters later, all of them do (precise.c). */
struct link_set {
	uint16_t regs[MAX_CALL_FRAMES];
	uint64_t slots[MAX_CALL_FRAMES];
};

/* Per-instruction facts from the static analysis. */
struct insn_aux {
	uint16_t live_regs;      /* registers that may be read before written */
	uint16_t prec_regs;      /* registers whose exact value may matter */
	uint64_t prec_slots;     /* fp-relative slots (bit i: fp-8*(i+1)) that may matter */
	uint8_t prune_point;     /* store checkpoints here */
	uint8_t seen;            /* reached during exploration */
	uint8_t callback_entry;  /* first insn of a bpf_loop callback */
	uint8_t force_checkpoint;/* function entries, call returns: always checkpoint */
	uint8_t loop_head;       /* target of a back-edge */
	uint32_t last_add;
	uint8_t base_type;       /* memory insns: pointer type of the base seen first */       /* insn_processed when a checkpoint was last added here */
	int32_t subprog;         /* function containing the insn */
	struct checkpoint *states;  /* fully explored states at this insn */
	struct checkpoint *inflight;/* states whose paths are still being explored */
	uint32_t nstates;
	/* facts for the engines */
	uint32_t fset_at_callx;  /* union of callx targets seen here */
};

/* An interned set of subprogram indices (function pointer targets). */
struct fset {
	uint32_t n;
	uint32_t *items;         /* sorted, unique */
};

struct pending;              /* a branch waiting to be explored (verifier.c) */

struct env {
	struct ibpf_program *prog;
	const struct ibpf_insn *code;   /* decoded */
	const struct bpf_insn *raw;
	uint32_t n;                     /* instructions */
	struct insn_aux *aux;
	int log_level;
	char *log;                      /* caller's buffer */
	size_t log_size, log_len;
	int log_truncated;
	/* exploration */
	struct vstate *cur;
	struct checkpoint *cur_parent;  /* newest checkpoint on the current path */
	struct pending *stack;          /* branches still to explore */
	size_t stack_len, stack_cap;
	uint32_t insn_processed, total_states, peak_states, cur_states, max_states_per_insn;
	uint32_t id_gen;
	uint32_t cb_call_id;            /* the bpf_loop call whose callback is entered */
	uint32_t jmps_processed, prev_jmps, prev_insns;
	struct checkpoint *retired;     /* evicted checkpoints, freed at the end */
	struct checkpoint **loop_index; /* in-flight checkpoints by (insn, hash) */
	uint32_t prev_insn;
	int all_slots_precise;          /* analysis: a fill through an unknown pointer matters */
	/* interned function-pointer target sets; index 0 is the empty set */
	struct fset *fsets;
	uint32_t nfsets, fsets_cap;
	/* per function: deepest stack use seen (bytes), and whether it was reached */
	uint32_t *stack_depth;
	uint32_t combined_stack;
	uint8_t *global_needed;         /* per subprog: called as a global function */
	/* the current path, for precision backtracking */
	struct trail_entry *trail;
	size_t trail_len, trail_cap;
	struct link_set *links;         /* links[0] unused */
	uint32_t nlinks, links_cap;
	/* results */
	uint32_t max_ctx_off;           /* largest ctx byte touched + 1 */
	int err;
	struct ibpf_facts *facts;       /* recorded for a self-check run, else NULL */
	int facts_rel_frames;           /* verifying a global function on its own */
};

/* ---- vlog.c ---- */
void vlog(struct env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report a rejection: logs the message (always, even at level 0) and returns -EINVAL
 * (or -EACCES for permission-like errors, as the kernel does). */
int verr(struct env *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vlog_insn(struct env *e, uint32_t idx);
void vlog_state(struct env *e, const struct vstate *st, int only_frame);
void vlog_reg(struct env *e, char *buf, size_t size, const struct reg_state *r);
const char *reg_type_str(const struct reg_state *r);

/* ---- scalar.c ---- */
void reg_mark_unknown(struct reg_state *r);
void reg_mark_const(struct reg_state *r, uint64_t v);
void reg_mark_const32(struct reg_state *r, uint32_t v);   /* zero-extended */
void reg_bounds_sync(struct reg_state *r);
void reg_bounds_from_var_off(struct reg_state *r);
void reg_zext32(struct reg_state *r);      /* result of a 32-bit op */
void reg_sext_to(struct reg_state *r, int bits, int is64);  /* movsx and ldsx */
void reg_truncate(struct reg_state *r, int size);          /* narrow load/zext */
int reg_is_const(const struct reg_state *r);
int scalar_alu(struct env *e, const struct ibpf_insn *in, struct reg_state *dst,
	       const struct reg_state *src, int is64);
/* Branch decision for `dst OP src`: 1 taken, 0 not taken, -1 unknown. */
int branch_taken(const struct reg_state *dst, const struct reg_state *src, int op,
		 int is32);
/* Refine both registers for the taken (taken=1) or fall-through branch. */
void branch_refine(struct reg_state *dst, struct reg_state *src, int op, int is32, int taken);
int range_within(const struct reg_state *old, const struct reg_state *cur);

/* ---- alu.c ---- */
int check_alu(struct env *e, const struct ibpf_insn *in);
int check_ld_imm64(struct env *e, const struct ibpf_insn *in);

/* ---- mem.c ---- */
int check_load(struct env *e, const struct ibpf_insn *in);
int check_store(struct env *e, const struct ibpf_insn *in);
int check_atomic(struct env *e, const struct ibpf_insn *in);
/* Check that [reg+off, reg+off+size) may be read (or written) by a helper. */
int check_helper_mem(struct env *e, int regno, int64_t size, int write, int zero_ok);
struct func_state *frame_of(struct env *e, const struct reg_state *r);
int stack_grow(struct func_state *f, int slots);
/* Does [lo, end) of frame f touch a slot holding a spilled function pointer? */
int stack_range_has_func(const struct func_state *f, int64_t lo, int64_t end);

/* ---- calls.c ---- */
int check_helper_call(struct env *e, const struct ibpf_insn *in, uint32_t idx);
int check_local_call(struct env *e, const struct ibpf_insn *in, uint32_t *idx);
int check_callx(struct env *e, const struct ibpf_insn *in, uint32_t *idx);
int check_exit(struct env *e, uint32_t *idx, int *path_done);
int check_stack_depth(struct env *e);
uint32_t fset_single(struct env *e, uint32_t subprog);
uint32_t fset_union(struct env *e, uint32_t a, uint32_t b);
int fset_subset(const struct env *e, uint32_t sub, uint32_t super);

/* ---- printk_check.c ---- */
/* A call to helper_id: for bpf_trace_printk with a format known now, check
 * the format and the arguments its conversions consume; else 0. */
int check_printk_format(struct env *e, int32_t helper_id);

/* ---- global.c ---- */
int is_global_func(const struct env *e, uint32_t sp);
/* A call from state st at insn callsite to global function sp: check the
 * arguments against its BTF signature; st continues after the call. */
int check_global_call(struct env *e, struct vstate *st, uint32_t sp, uint32_t callsite);
int init_global_state(struct env *e, uint32_t sp);

/* ---- precise.c ---- */
int mark_precise(struct env *e, int regno);
/* The same for a decision only some paths through the instruction make (a
 * branch, a NULL constant, a stored zero): not one the self-check can
 * compare on every path (precise.c). */
int mark_precise_branch(struct env *e, int regno);
int mark_precise_slot(struct env *e, int frame, int spi);
int mark_all_precise(struct env *e);
int propagate_precision(struct env *e, const struct vstate *old);
int trail_push(struct env *e, uint32_t idx);
void trail_note_stack(struct env *e, int frame, int spi);
int trail_note_linked(struct env *e, const struct link_set *l);

/* ---- facts.c: what was proved, for the self-check ---- */
int facts_begin(struct env *e);
int facts_record(struct env *e, uint32_t idx);
void facts_edge(struct env *e, uint32_t idx, int taken);
void facts_need(struct env *e, uint32_t idx, uint16_t regs, uint64_t slots);
int facts_finish(struct env *e, struct ibpf_facts **out);

/* ---- cfg.c / analysis.c ---- */
int check_cfg(struct env *e);
int analyze(struct env *e);

/* ---- prune.c ---- */
/* At a prune point: 1 if cur is covered by an explored state (stop this
 * path), 0 to go on (a checkpoint may have been stored), <0 on error. */
int prune_check(struct env *e, uint32_t idx);
void prune_branch_added(struct checkpoint *c);
void prune_path_done(struct env *e);
void prune_free_all(struct env *e);

/* ---- verifier.c: state helpers ---- */
struct vstate *state_copy(const struct vstate *s);
void state_free(struct vstate *s);
struct reg_state *cur_regs(struct env *e);
struct func_state *cur_frame(struct env *e);
/* Queue the other side of a branch: a copy of the current state at insn. */
struct vstate *push_branch(struct env *e, uint32_t insn);
uint32_t new_id(struct env *e);
int check_reg_read(struct env *e, int regno);
void mark_reg_not_init(struct reg_state *r);
void reg_mark_ptr(struct reg_state *r, enum reg_type t);

#endif
