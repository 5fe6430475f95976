/* jit.c - the x86-64 JIT: translates a program's linked, resolved
 * instructions (p->exec) to native code, one BPF instruction at a time, with
 * every BPF register in a host register.
 *
 * Register map.  BPF r1..r5 sit in the SysV argument registers 2..6, so a
 * helper call only has to load the vm pointer into rdi:
 *
 *   r0 rax   r1 rsi   r2 rdx   r3 rcx   r4 r8   r5 r9
 *   r6 rbx   r7 r13   r8 r14   r9 r15   r10 rbp
 *   r12: the struct jit_run of this call (vm, unwinding rsp, stack bounds)
 *   rdi, r10, r11: scratch
 *
 * r6..r9, r10 and r12 are callee-saved in SysV, so they survive helper
 * calls as BPF wants; r0..r5 are clobbered by helpers, as in BPF.
 *
 * Frames.  BPF stacks live in vm->stack, exactly where the interpreter puts
 * them: frame d (0-based) owns [stack + d*512, stack + (d+1)*512) and r10
 * points to its top.  A bpf-to-bpf call (direct or callx) checks that r10 is
 * below the last frame, adds 512 to rbp, does a native `call` and subtracts
 * 512 after it.  The callee pushes the registers among rbx, r13, r14, r15
 * that it mentions (so r6..r9 come back intact) and keeps rsp 16-byte aligned
 * for helper calls.  Depth is thus bounded by the 8 frames of vm->stack and
 * the host stack grows by at most 48 bytes per frame.
 *
 * Function pointers keep the interpreter's value (byte offset of the target in
 * the linked program).  callx rotates the value right by 3 (a misaligned value
 * becomes huge), bounds-checks it against the program length and loads the
 * native entry from a read-only table indexed by instruction; zero entries
 * (not a subprogram, or the entry program) fault.
 *
 * Faults.  The entry stub saves rsp in jit_run; a fault (bad callx, too deep,
 * misaligned atomic, unknown helper) jumps to a cold stub that restores that
 * rsp, records the message with ibpf_vm_fault and returns 0 from the stub.
 * After every helper call the code checks vm->faulted and unwinds the same
 * way, so a fault inside a bpf_loop callback stops the whole run.
 *
 * Before a helper call, vm->depth is set from rbp so that a callback entered
 * through ibpf_jit_call gets the next free frame.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/object.h"
#include "helpers/helpers.h"
#include "jit/jit_internal.h"
#include "jit/x86.h"
#include "vm/vm.h"

_Static_assert(IBPF_STACK_SIZE == 1 << 9, "frame index is computed with a shift by 9");
/* The generated code reads and writes these as 32-bit fields. */
_Static_assert(sizeof(((struct ibpf_vm *)0)->depth) == 4, "vm->depth is 32 bits");
_Static_assert(sizeof(((struct ibpf_vm *)0)->faulted) == 4, "vm->faulted is 32 bits");

#define CTX R12
static const uint8_t reg_map[IBPF_MAX_REG + 1] = {
	RAX, RSI, RDX, RCX, R8, R9, RBX, R13, R14, R15, RBP,
};

/* Offsets into struct jit_run the generated code uses. */
#define RUN_VM        ((int32_t)offsetof(struct jit_run, vm))
#define RUN_SAVED_RSP ((int32_t)offsetof(struct jit_run, saved_rsp))
#define RUN_STACK     ((int32_t)offsetof(struct jit_run, stack))
#define RUN_STACK_END ((int32_t)offsetof(struct jit_run, stack_end))
#define RUN_SC_REGS   ((int32_t)offsetof(struct jit_run, sc_regs))

enum fault_kind { F_DEPTH = 1, F_CALLX, F_HELPER, F_KFUNC, F_ALIGN };

/* An out-of-line fault stub, emitted after the functions. */
struct fault_site {
	uint32_t label;
	uint8_t kind;        /* enum fault_kind */
	int8_t val_reg;      /* host register holding the faulty value, or -1 */
	uint32_t pc;
	uint32_t aux;        /* callx: BPF register; helper: its id */
};

struct jit {
	const struct ibpf_program *p;
	const struct ibpf_insn *code;
	size_t n;
	struct x86_asm a;
	uint32_t *fn_start;  /* sorted subprogram starts */
	size_t fn_cnt;
	uint32_t *fn_of;     /* function index of each instruction */
	uint8_t *is_target;  /* some jump lands on this instruction */
	uint32_t *entry;     /* label of each function's prologue */
	uint32_t l_exit, l_fault, l_unwind, l_table, l_selfcheck;
	int selfcheck;       /* IBPF_JIT_SELF_CHECK: check before every insn */
	struct fault_site *faults;
	size_t fault_cnt, fault_cap;
	/* the function being compiled */
	int saved[4], nsaved, pad;
	char *err;
	size_t errsz;
};

/* ---- run-time support ------------------------------------------------------ */

/* Called by the fault stubs with rsp already restored to the entry stub's. */
static void jit_fault(struct jit_run *run, uint32_t kind, uint32_t pc, uint64_t val,
		      uint32_t aux)
{
	struct ibpf_vm *vm = run->vm;

	switch (kind) {
	case F_DEPTH:
		ibpf_vm_fault(vm, "insn %u: call stack too deep (more than %d frames)", pc,
			      IBPF_MAX_FRAMES);
		break;
	case F_CALLX:
		ibpf_vm_fault(vm, "insn %u: callx r%u: 0x%llx is not a function pointer", pc, aux,
			      (unsigned long long)val);
		break;
	case F_HELPER:
		ibpf_vm_fault(vm, "insn %u: call to unknown helper %d", pc, (int32_t)aux);
		break;
	case F_KFUNC:
		ibpf_vm_fault(vm, "insn %u: kernel function calls are not supported", pc);
		break;
	case F_ALIGN:
		ibpf_vm_fault(vm, "insn %u: misaligned atomic access", pc);
		break;
	default:
		ibpf_vm_fault(vm, "insn %u: JIT fault %u", pc, kind);
	}
}

/* ---- compile-time helpers -------------------------------------------------- */

/* Called by the self-check stub before instruction pc with the BPF
 * registers stored in run->sc_regs; nonzero stops the run (the self-check
 * has faulted it). */
static int jit_selfcheck(struct jit_run *run, uint32_t pc)
{
	struct ibpf_vm *vm = run->vm;

	/* frames in use, from r10, as before a helper call */
	vm->depth = (int)((run->sc_regs[10] - run->stack) / IBPF_STACK_SIZE);
	return ibpf_selfcheck_insn(vm, pc, run->sc_regs) != 0;
}

static int fail(struct jit *j, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct jit *j, int rc, const char *fmt, ...)
{
	va_list ap;

	if (j->err && j->errsz) {
		va_start(ap, fmt);
		vsnprintf(j->err, j->errsz, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static uint32_t fault_site(struct jit *j, int kind, uint32_t pc, int val_reg, uint32_t aux)
{
	struct fault_site *f;

	if (j->fault_cnt == j->fault_cap) {
		size_t nc = j->fault_cap ? j->fault_cap * 2 : 16;
		f = realloc(j->faults, nc * sizeof(*f));
		if (!f) {
			j->a.oom = 1;
			return 0;
		}
		j->faults = f;
		j->fault_cap = nc;
	}
	f = &j->faults[j->fault_cnt++];
	*f = (struct fault_site){ .label = x86_new_label(&j->a), .kind = (uint8_t)kind,
				  .val_reg = (int8_t)val_reg, .pc = pc, .aux = aux };
	return f->label;
}

static const char *fn_name(const struct jit *j, size_t f)
{
	int32_t s = j->p->subprog_of[j->fn_start[f]];
	const char *name = s >= 0 ? j->p->subprogs[s].name : NULL;
	return name ? name : "?";
}

/* Functions, their extents, and the control flow the JIT relies on: jumps stay
 * inside their function, calls go to function starts, no function falls
 * through into the next (each has its own prologue). */
static int analyze(struct jit *j)
{
	const struct ibpf_program *p = j->p;

	j->fn_start = malloc((p->subprog_cnt + 1) * sizeof(*j->fn_start));
	j->fn_of = malloc(j->n * sizeof(*j->fn_of));
	j->is_target = calloc(j->n, 1);
	if (!j->fn_start || !j->fn_of || !j->is_target)
		return fail(j, -ENOMEM, "out of memory");
	for (size_t i = 0; i < p->subprog_cnt; i++) {
		uint32_t s = p->subprogs[i].start;
		size_t k = j->fn_cnt++;
		if (s >= j->n || p->subprog_of[s] != (int32_t)i)
			return fail(j, -EINVAL, "subprogram %zu (insn %u) does not match the "
				    "program's function table", i, s);
		while (k > 0 && j->fn_start[k - 1] > s) {
			j->fn_start[k] = j->fn_start[k - 1];
			k--;
		}
		j->fn_start[k] = s;
	}
	if (!j->fn_cnt || j->fn_start[0] != 0)
		return fail(j, -EINVAL, "no function starts at insn 0");
	for (size_t f = 0; f < j->fn_cnt; f++) {
		uint32_t end = f + 1 < j->fn_cnt ? j->fn_start[f + 1] : (uint32_t)j->n;
		if (f + 1 < j->fn_cnt && end == j->fn_start[f])
			return fail(j, -EINVAL, "two functions start at insn %u", end);
		for (uint32_t i = j->fn_start[f]; i < end; i++)
			j->fn_of[i] = (uint32_t)f;
		const struct ibpf_insn *last = &j->code[end - 1];
		if (last->second_half || (last->op != IBPF_OP_EXIT && last->op != IBPF_OP_JA &&
					  last->op != IBPF_OP_GOTOL))
			return fail(j, -EINVAL, "insn %u: function '%s' falls through into the "
				    "next function", end - 1, fn_name(j, f));
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct ibpf_insn *in = &j->code[i];
		enum ibpf_shape s = ibpf_ops[in->op].shape;
		long t;

		if (in->second_half)
			continue;
		if (s == IBPF_SHAPE_CALLX && in->src > IBPF_MAX_REG)
			return fail(j, -EINVAL, "insn %zu: callx names r%u", i, in->src);
		if (s != IBPF_SHAPE_JMP_A && s != IBPF_SHAPE_JMP_A32 && s != IBPF_SHAPE_JMP_K &&
		    s != IBPF_SHAPE_JMP_X && s != IBPF_SHAPE_CALL_LOCAL)
			continue;
		t = ibpf_branch_target(in, (long)i);
		if (t < 0 || t >= (long)j->n || j->code[t].second_half)
			return fail(j, -EINVAL, "insn %zu: bad jump target %ld", i, t);
		j->is_target[t] = 1;
		if (s == IBPF_SHAPE_CALL_LOCAL) {
			if (p->subprog_of[t] < 0)
				return fail(j, -EINVAL, "insn %zu: call to insn %ld, which does not "
					    "start a function", i, t);
		} else if (j->fn_of[t] != j->fn_of[i]) {
			return fail(j, -EINVAL, "insn %zu: jump to insn %ld leaves function '%s'",
				    i, t, fn_name(j, j->fn_of[i]));
		}
	}
	return 0;
}

/* ---- prologue and epilogue --------------------------------------------------- */

static void prologue(struct jit *j, size_t f)
{
	static const int callee_saved[4] = { RBX, R13, R14, R15 };  /* r6..r9 */
	uint32_t end = f + 1 < j->fn_cnt ? j->fn_start[f + 1] : (uint32_t)j->n;
	unsigned used = 0;
	int calls = 0;

	/* Conservatively, a function saves each of r6..r9 it mentions at all.
	 * Self-checked code calls out before every instruction. */
	calls = j->selfcheck;
	for (uint32_t i = j->fn_start[f]; i < end; i++) {
		const struct ibpf_insn *in = &j->code[i];
		enum ibpf_shape s = ibpf_ops[in->op].shape;
		if (s == IBPF_SHAPE_CALL_HELPER || s == IBPF_SHAPE_CALL_LOCAL || s == IBPF_SHAPE_CALLX)
			calls = 1;
		if (in->dst >= 6 && in->dst <= 9)
			used |= 1u << (in->dst - 6);
		if (in->src >= 6 && in->src <= 9 && s != IBPF_SHAPE_LD_IMM64)
			used |= 1u << (in->src - 6);
	}
	j->nsaved = 0;
	for (int r = 0; r < 4; r++)
		if (used & (1u << r)) {
			j->saved[j->nsaved++] = callee_saved[r];
			x86_push(&j->a, callee_saved[r]);
		}
	/* On entry rsp is 8 mod 16 (the return address); a function that calls
	 * anything keeps it 0 mod 16, as the callees (C helpers included)
	 * expect.  Leaf functions need not bother. */
	j->pad = calls && j->nsaved % 2 == 0;
	if (j->pad)
		x86_alu_ri(&j->a, 1, 5, RSP, 8);            /* sub rsp, 8 */
}

static void epilogue(struct jit *j)
{
	if (j->pad)
		x86_alu_ri(&j->a, 1, 0, RSP, 8);            /* add rsp, 8 */
	for (int k = j->nsaved - 1; k >= 0; k--)
		x86_pop(&j->a, j->saved[k]);
	x86_ret(&j->a);
}

/* ---- ALU ------------------------------------------------------------------- */

static void zext32(struct x86_asm *a, int r)
{
	x86_rr(a, 0, 0x89, r, r);                           /* mov r32, r32 */
}

/* Shift by an immediate: ext 4 shl, 5 shr, 7 sar. */
static void shift_k(struct x86_asm *a, int w, int ext, int dst, uint32_t count)
{
	count &= w ? 63 : 31;
	if (count == 0) {
		if (!w)
			zext32(a, dst);
		return;
	}
	x86_rr(a, w ? X_W : 0, 0xc1, ext, dst);
	x86_byte(a, (uint8_t)count);
}

/* Shift by a register: the count must be in cl, which is BPF r3.  x86 masks
 * the count to 5 or 6 bits, as BPF does. */
static void shift_x(struct x86_asm *a, int w, int ext, int dst, int src)
{
	unsigned fl = w ? X_W : 0;

	if (src == RCX) {
		x86_rr(a, fl, 0xd3, ext, dst);
		return;
	}
	/* Park rcx in r11 (shifting it there when it is also dst). */
	x86_mov_rr(a, 1, R11, RCX);
	x86_mov_rr(a, 1, RCX, src);
	x86_rr(a, fl, 0xd3, ext, dst == RCX ? R11 : dst);
	x86_mov_rr(a, 1, RCX, R11);
}

/* Division and modulo with BPF's rules (x/0 = 0, x%0 = x, INT_MIN/-1 wraps).
 * x86 divides rdx:rax, which hold BPF r2 and r0: both are saved in scratch
 * registers around the division.  src < 0 means the divisor is `imm`. */
static void divmod(struct jit *j, int w, int is_mod, int is_signed, int dst, int src,
		   int64_t imm)
{
	struct x86_asm *a = &j->a;
	unsigned fl = w ? X_W : 0;
	uint32_t l_zero = 0, l_m1 = 0, l_done = 0;

	if (src < 0) {
		/* Constant divisor: the special cases are known now. */
		int64_t d = w ? imm : (int64_t)(uint32_t)imm;
		int minus1 = w ? imm == -1 : (int32_t)imm == -1;
		if (d == 0) {
			if (!is_mod)
				x86_mov_imm(a, dst, 0);
			else if (!w)
				zext32(a, dst);
			return;
		}
		if (is_signed && minus1) {
			if (is_mod)
				x86_mov_imm(a, dst, 0);
			else
				x86_rr(a, fl, 0xf7, 3, dst);        /* neg */
			return;
		}
		x86_mov_imm(a, R11, w ? (uint64_t)imm : (uint32_t)imm);
	} else {
		x86_rr(a, fl, 0x89, src, R11);              /* mov r11, src */
	}
	x86_mov_rr(a, 1, R10, RAX);
	x86_mov_rr(a, 1, RDI, RDX);
	if (dst != RAX)
		x86_mov_rr(a, 1, RAX, dst);
	if (src >= 0) {
		l_zero = x86_new_label(a);
		l_done = x86_new_label(a);
		x86_rr(a, fl, 0x85, R11, R11);              /* test r11, r11 */
		x86_jcc(a, CC_E, l_zero);
		if (is_signed) {
			l_m1 = x86_new_label(a);
			x86_alu_ri(a, w, 7, R11, -1);       /* cmp r11, -1 */
			x86_jcc(a, CC_E, l_m1);
		}
	}
	if (is_signed) {
		if (w)
			x86_byte(a, 0x48);                  /* cqo */
		x86_byte(a, 0x99);                          /* cdq */
		x86_rr(a, fl, 0xf7, 7, R11);                /* idiv r11 */
	} else {
		x86_rr(a, 0, 0x31, RDX, RDX);               /* xor edx, edx */
		x86_rr(a, fl, 0xf7, 6, R11);                /* div r11 */
	}
	x86_rr(a, fl, 0x89, is_mod ? RDX : RAX, R11);       /* mov r11, result */
	if (src >= 0) {
		x86_jmp(a, l_done);
		x86_bind(a, l_zero);
		if (is_mod)
			x86_rr(a, fl, 0x89, RAX, R11);      /* mov r11, dividend */
		else
			x86_mov_imm(a, R11, 0);
		if (is_signed) {
			x86_jmp(a, l_done);
			x86_bind(a, l_m1);
			if (is_mod) {
				x86_mov_imm(a, R11, 0);
			} else {
				x86_rr(a, fl, 0xf7, 3, RAX);        /* neg rax */
				x86_rr(a, fl, 0x89, RAX, R11);
			}
		}
		x86_bind(a, l_done);
	}
	x86_mov_rr(a, 1, RAX, R10);
	x86_mov_rr(a, 1, RDX, RDI);
	x86_mov_rr(a, 1, dst, R11);
}

/* ---- calls ------------------------------------------------------------------ */

/* r10 must be below the last frame; then the callee gets the next one. */
static void frame_push(struct jit *j, uint32_t pc)
{
	struct x86_asm *a = &j->a;
	uint32_t l_deep = fault_site(j, F_DEPTH, pc, -1, 0);

	x86_rm(a, X_W, 0x3b, RBP, CTX, RUN_STACK_END);      /* cmp rbp, [r12+end] */
	x86_jcc(a, CC_AE, l_deep);
	x86_alu_ri(a, 1, 0, RBP, IBPF_STACK_SIZE);           /* add rbp, 512 */
}

static void frame_pop(struct jit *j)
{
	x86_alu_ri(&j->a, 1, 5, RBP, IBPF_STACK_SIZE);       /* sub rbp, 512 */
}

/* May this instruction change r1? (Calls clobber r1..r5.) */
static int writes_r1(const struct ibpf_insn *in)
{
	switch (ibpf_ops[in->op].shape) {
	case IBPF_SHAPE_ALU_K: case IBPF_SHAPE_ALU_X: case IBPF_SHAPE_ALU_NEG:
	case IBPF_SHAPE_ALU_END: case IBPF_SHAPE_LDX: case IBPF_SHAPE_LD_IMM64:
		return in->dst == 1;
	case IBPF_SHAPE_ATOMIC:
		return in->src == 1;
	case IBPF_SHAPE_CALL_HELPER: case IBPF_SHAPE_CALL_LOCAL: case IBPF_SHAPE_CALLX:
		return 1;
	default:
		return 0;
	}
}

/* The map that r1 holds at the call at `pc` when an ld_imm64 of a map sets
 * it earlier in the same basic block (clang's pattern for every map helper),
 * else NULL. */
static const struct ibpf_map *const_map_r1(const struct jit *j, uint32_t pc)
{
	for (uint32_t k = pc; k > j->fn_start[j->fn_of[pc]] && pc - k < 16; k--) {
		const struct ibpf_insn *in = &j->code[k - 1];

		if (j->is_target[k])
			return NULL;                /* another path reaches the call */
		if (in->second_half)
			continue;
		if (in->op == IBPF_OP_LD_IMM64 && in->dst == 1) {
			if (in->src == BPF_PSEUDO_MAP_FD || in->src == BPF_PSEUDO_MAP_IDX)
				return (const struct ibpf_map *)(uintptr_t)in->imm64;
			/* `&table` of a SEC("callx") table: the address of its entries */
			const struct ibpf_object *obj = j->p->obj;
			const struct ibpf_map *m = (uint32_t)in->imm < obj->map_cnt ?
						   obj->maps[in->imm] : NULL;
			if ((in->src == BPF_PSEUDO_MAP_VALUE || in->src == BPF_PSEUDO_MAP_IDX_VALUE) &&
			    m && (m->map_extra & IBPF_F_CALL_TABLE) &&
			    in->imm64 == (uint64_t)(uintptr_t)ibpf_program_map_data(j->p, m))
				return m;
			return NULL;
		}
		if (writes_r1(in))
			return NULL;
	}
	return NULL;
}

/* bpf_map_lookup_elem inline, with the key read from *r2 like the helper:
 * r0 = key < max_entries ? base + key * elem_size : NULL for an array, and
 * for a call table the function pointer stored there (this program's view
 * of the table).  r1..r5 are left alone (the interpreter leaves them too). */
static void inline_lookup(struct jit *j, const struct ibpf_map *m, int call_table)
{
	struct x86_asm *a = &j->a;
	uint32_t l_null = x86_new_label(a), l_done = x86_new_label(a);
	uint32_t size = call_table ? 8 : m->elem_size;
	const uint8_t *base = ibpf_program_map_data(j->p, m);   /* what the verifier read */
	int r2 = reg_map[2];

	x86_rm(a, 0, 0x8b, RAX, r2, 0);                      /* mov eax, [r2] */
	x86_rr(a, 0, 0x81, 7, RAX);                          /* cmp eax, max_entries */
	x86_imm32(a, m->max_entries);
	x86_jcc(a, CC_AE, l_null);
	if (size && !(size & (size - 1))) {
		shift_k(a, 1, 4, RAX, (uint32_t)__builtin_ctz(size));
	} else {
		x86_rr(a, X_W, 0x69, RAX, RAX);              /* imul rax, rax, size */
		x86_imm32(a, size);
	}
	x86_mov_imm(a, R11, (uint64_t)(uintptr_t)base);
	x86_rr(a, X_W, 0x01, R11, RAX);                      /* add rax, r11 */
	if (call_table)
		x86_rm(a, X_W, 0x8b, RAX, RAX, 0);           /* mov rax, [rax] */
	x86_jmp(a, l_done);
	x86_bind(a, l_null);
	x86_mov_imm(a, RAX, 0);
	x86_bind(a, l_done);
}

static void call_helper(struct jit *j, const struct ibpf_insn *in, uint32_t pc)
{
	const struct ibpf_helper *h = (const struct ibpf_helper *)(uintptr_t)in->imm64;
	struct x86_asm *a = &j->a;
	const struct ibpf_map *m;

	if (!h) {
		/* Faults when (and only if) it runs, as in the interpreter. */
		x86_jmp(a, fault_site(j, F_HELPER, pc, -1, (uint32_t)in->imm));
		return;
	}
	if (h->id == BPF_FUNC_map_lookup_elem && (m = const_map_r1(j, pc)) &&
	    m->type == BPF_MAP_TYPE_ARRAY && !(m->map_extra & IBPF_F_CALL_TABLE) &&
	    m->data && m->elem_size <= INT32_MAX) {
		inline_lookup(j, m, 0);
		return;
	}
	if (h->id == BPF_FUNC_map_lookup_elem && (m = const_map_r1(j, pc)) &&
	    (m->map_extra & IBPF_F_CALL_TABLE) && m->key_size == 4) {
		inline_lookup(j, m, 1);
		return;
	}
	x86_rm(a, X_W, 0x8b, RDI, CTX, RUN_VM);              /* mov rdi, vm */
	/* vm->depth = frames in use = (rbp - stack) / 512, for callbacks. */
	x86_mov_rr(a, 1, RAX, RBP);
	x86_rm(a, X_W, 0x2b, RAX, CTX, RUN_STACK);           /* sub rax, [r12+stack] */
	x86_rr(a, X_W, 0xc1, 5, RAX);                        /* shr rax, 9 */
	x86_byte(a, 9);
	x86_rm(a, 0, 0x89, RAX, RDI, (int32_t)offsetof(struct ibpf_vm, depth));
	x86_mov_imm(a, RAX, (uint64_t)(uintptr_t)h->fn);
	x86_call_reg(a, RAX);
	x86_rm(a, X_W, 0x8b, RDI, CTX, RUN_VM);
	x86_rm(a, 0, 0x83, 7, RDI, (int32_t)offsetof(struct ibpf_vm, faulted));
	x86_byte(a, 0);                                      /* cmp dword [faulted], 0 */
	x86_jcc(a, CC_NE, j->l_unwind);
}

static void call_indirect(struct jit *j, const struct ibpf_insn *in, uint32_t pc)
{
	struct x86_asm *a = &j->a;
	int r = reg_map[in->src];
	uint32_t l_bad = fault_site(j, F_CALLX, pc, r, in->src);

	x86_mov_rr(a, 1, R11, r);
	x86_rr(a, X_W, 0xc1, 1, R11);                        /* ror r11, 3 */
	x86_byte(a, 3);
	x86_alu_ri(a, 1, 7, R11, (int32_t)j->n);             /* cmp r11, n */
	x86_jcc(a, CC_AE, l_bad);
	x86_lea_rip(a, R10, j->l_table);
	x86_rmi(a, X_W, 0x8b, R11, R10, R11, 8);             /* mov r11, [r10+r11*8] */
	x86_rr(a, X_W, 0x85, R11, R11);
	x86_jcc(a, CC_E, l_bad);
	frame_push(j, pc);
	x86_call_reg(a, R11);
	frame_pop(j);
}

/* ---- jumps ------------------------------------------------------------------ */

struct cond { uint8_t cc, test; };

static struct cond cond_of(enum ibpf_op op)
{
	switch (op) {
	case IBPF_OP_JEQ_K: case IBPF_OP_JEQ_X: case IBPF_OP_JEQ32_K: case IBPF_OP_JEQ32_X:
		return (struct cond){ CC_E, 0 };
	case IBPF_OP_JNE_K: case IBPF_OP_JNE_X: case IBPF_OP_JNE32_K: case IBPF_OP_JNE32_X:
		return (struct cond){ CC_NE, 0 };
	case IBPF_OP_JGT_K: case IBPF_OP_JGT_X: case IBPF_OP_JGT32_K: case IBPF_OP_JGT32_X:
		return (struct cond){ CC_A, 0 };
	case IBPF_OP_JGE_K: case IBPF_OP_JGE_X: case IBPF_OP_JGE32_K: case IBPF_OP_JGE32_X:
		return (struct cond){ CC_AE, 0 };
	case IBPF_OP_JLT_K: case IBPF_OP_JLT_X: case IBPF_OP_JLT32_K: case IBPF_OP_JLT32_X:
		return (struct cond){ CC_B, 0 };
	case IBPF_OP_JLE_K: case IBPF_OP_JLE_X: case IBPF_OP_JLE32_K: case IBPF_OP_JLE32_X:
		return (struct cond){ CC_BE, 0 };
	case IBPF_OP_JSGT_K: case IBPF_OP_JSGT_X: case IBPF_OP_JSGT32_K: case IBPF_OP_JSGT32_X:
		return (struct cond){ CC_G, 0 };
	case IBPF_OP_JSGE_K: case IBPF_OP_JSGE_X: case IBPF_OP_JSGE32_K: case IBPF_OP_JSGE32_X:
		return (struct cond){ CC_GE, 0 };
	case IBPF_OP_JSLT_K: case IBPF_OP_JSLT_X: case IBPF_OP_JSLT32_K: case IBPF_OP_JSLT32_X:
		return (struct cond){ CC_L, 0 };
	case IBPF_OP_JSLE_K: case IBPF_OP_JSLE_X: case IBPF_OP_JSLE32_K: case IBPF_OP_JSLE32_X:
		return (struct cond){ CC_LE, 0 };
	default:  /* JSET */
		return (struct cond){ CC_NE, 1 };
	}
}

static void cond_jump(struct jit *j, const struct ibpf_insn *in, uint32_t pc)
{
	struct x86_asm *a = &j->a;
	enum ibpf_shape s = ibpf_ops[in->op].shape;
	struct cond c = cond_of(in->op);
	int w = !ibpf_op_is_alu32(in->op);
	unsigned fl = w ? X_W : 0;
	int dst = reg_map[in->dst];
	long t = ibpf_branch_target(in, pc);

	if (t == (long)pc + 1)
		return;              /* both ways lead to the next instruction */
	if (s == IBPF_SHAPE_JMP_X) {
		/* test dst, src / cmp dst, src */
		x86_rr(a, fl, c.test ? 0x85 : 0x39, reg_map[in->src], dst);
	} else if (c.test) {
		x86_rr(a, fl, 0xf7, 0, dst);                 /* test dst, imm32 */
		x86_imm32(a, (uint32_t)in->imm);
	} else if (in->imm == 0) {
		/* test sets the flags of cmp with 0 for every condition (CF and OF
		 * are 0 either way). */
		x86_rr(a, fl, 0x85, dst, dst);
	} else {
		x86_alu_ri(a, w, 7, dst, in->imm);           /* cmp dst, imm */
	}
	x86_jcc(a, c.cc, (uint32_t)t);
}

/* ---- memory ----------------------------------------------------------------- */

static void atomic(struct jit *j, const struct ibpf_insn *in, uint32_t pc)
{
	struct x86_asm *a = &j->a;
	int w = in->size == 8;
	unsigned fl = w ? X_W : 0;
	int dst = reg_map[in->dst], src = reg_map[in->src];
	uint32_t op = 0;

	/* The interpreter faults on a misaligned atomic; so does this (x86
	 * would do it, slowly or with #AC under split-lock detection). */
	x86_rm(a, X_W, 0x8d, R11, dst, in->off);             /* lea r11, [dst+off] */
	x86_rr(a, 0, 0xf6, 0, R11);                          /* test r11b, size-1 */
	x86_byte(a, (uint8_t)(in->size - 1));
	x86_jcc(a, CC_NE, fault_site(j, F_ALIGN, pc, -1, 0));

	switch (in->op) {
	case IBPF_OP_AADD_W: case IBPF_OP_AADD_DW: op = 0x01; break;
	case IBPF_OP_AOR_W: case IBPF_OP_AOR_DW: op = 0x09; break;
	case IBPF_OP_AAND_W: case IBPF_OP_AAND_DW: op = 0x21; break;
	case IBPF_OP_AXOR_W: case IBPF_OP_AXOR_DW: op = 0x31; break;
	default: break;
	}
	if (op) {
		x86_rm(a, fl | X_LOCK, op, src, R11, 0);     /* lock op [r11], src */
		return;
	}
	switch (in->op) {
	case IBPF_OP_AFADD_W: case IBPF_OP_AFADD_DW:
		x86_rm(a, fl | X_LOCK, 0x0fc1, src, R11, 0); /* lock xadd [r11], src */
		return;
	case IBPF_OP_AXCHG_W: case IBPF_OP_AXCHG_DW:
		x86_rm(a, fl, 0x87, src, R11, 0);            /* xchg [r11], src */
		return;
	case IBPF_OP_ACMPXCHG_W: case IBPF_OP_ACMPXCHG_DW:
		x86_rm(a, fl | X_LOCK, 0x0fb1, src, R11, 0); /* lock cmpxchg [r11], src */
		/* A successful 32-bit cmpxchg leaves rax's upper half alone. */
		if (!w)
			zext32(a, RAX);
		return;
	case IBPF_OP_AFOR_W: case IBPF_OP_AFOR_DW: op = 0x09; break;
	case IBPF_OP_AFAND_W: case IBPF_OP_AFAND_DW: op = 0x21; break;
	case IBPF_OP_AFXOR_W: case IBPF_OP_AFXOR_DW: op = 0x31; break;
	default: break;
	}
	/* fetch_or/and/xor: a cmpxchg loop, which needs rax (BPF r0). */
	uint32_t l_retry = x86_new_label(a);
	int val = src == RAX ? R10 : src;
	x86_mov_rr(a, 1, R10, RAX);
	x86_rm(a, fl, 0x8b, RAX, R11, 0);                    /* mov rax, [r11] */
	x86_bind(a, l_retry);
	x86_mov_rr(a, w, RDI, RAX);
	x86_rr(a, fl, op, val, RDI);                         /* op rdi, src */
	x86_rm(a, fl | X_LOCK, 0x0fb1, RDI, R11, 0);         /* lock cmpxchg [r11], rdi */
	x86_jcc(a, CC_NE, l_retry);
	if (src != RAX) {
		x86_mov_rr(a, w, src, RAX);
		x86_mov_rr(a, 1, RAX, R10);
	}
}

static void load(struct x86_asm *a, const struct ibpf_insn *in)
{
	int dst = reg_map[in->dst], src = reg_map[in->src];

	switch (in->op) {
	case IBPF_OP_LDX_B: x86_rm(a, 0, 0x0fb6, dst, src, in->off); break;   /* movzx */
	case IBPF_OP_LDX_H: x86_rm(a, 0, 0x0fb7, dst, src, in->off); break;
	case IBPF_OP_LDX_W: x86_rm(a, 0, 0x8b, dst, src, in->off); break;
	case IBPF_OP_LDX_DW: x86_rm(a, X_W, 0x8b, dst, src, in->off); break;
	case IBPF_OP_LDXS_B: x86_rm(a, X_W, 0x0fbe, dst, src, in->off); break; /* movsx */
	case IBPF_OP_LDXS_H: x86_rm(a, X_W, 0x0fbf, dst, src, in->off); break;
	case IBPF_OP_LDXS_W: x86_rm(a, X_W, 0x63, dst, src, in->off); break;  /* movsxd */
	default: break;
	}
}

static void store(struct x86_asm *a, const struct ibpf_insn *in)
{
	int dst = reg_map[in->dst], src = reg_map[in->src];

	switch (in->op) {
	case IBPF_OP_ST_B:
		x86_rm(a, 0, 0xc6, 0, dst, in->off);
		x86_byte(a, (uint8_t)in->imm);
		break;
	case IBPF_OP_ST_H:
		x86_rm(a, X_66, 0xc7, 0, dst, in->off);
		x86_imm16(a, (uint16_t)in->imm);
		break;
	case IBPF_OP_ST_W: case IBPF_OP_ST_DW:
		x86_rm(a, in->op == IBPF_OP_ST_DW ? X_W : 0, 0xc7, 0, dst, in->off);
		x86_imm32(a, (uint32_t)in->imm);
		break;
	case IBPF_OP_STX_B: x86_rm(a, X_BREG, 0x88, src, dst, in->off); break;
	case IBPF_OP_STX_H: x86_rm(a, X_66, 0x89, src, dst, in->off); break;
	case IBPF_OP_STX_W: x86_rm(a, 0, 0x89, src, dst, in->off); break;
	case IBPF_OP_STX_DW: x86_rm(a, X_W, 0x89, src, dst, in->off); break;
	default: break;
	}
}

/* ---- one instruction -------------------------------------------------------- */

/* An ALU instruction (64- or 32-bit, moves, byte swaps); 0 if `in` is not
 * one. */
static int alu(struct jit *j, const struct ibpf_insn *in)
{
	struct x86_asm *a = &j->a;
	enum ibpf_op op = in->op;
	int w = !ibpf_op_is_alu32(op);
	unsigned fl = w ? X_W : 0;
	/* src names a register only where the shape says so; elsewhere it is a
	 * small pseudo kind, still a valid index. */
	int dst = reg_map[in->dst], src = reg_map[in->src <= IBPF_MAX_REG ? in->src : 0];
	int32_t imm = in->imm;

	switch (op) {
	/* add, sub, or, and, xor: "op r/m, r" and "op r/m, imm" (81/83 /ext) */
#define ALU(NAME, OPC, EXT)                                                       \
	case IBPF_OP_##NAME##64_X: case IBPF_OP_##NAME##32_X:                      \
		x86_rr(a, fl, OPC, src, dst);                                      \
		return 1;                                                          \
	case IBPF_OP_##NAME##64_K: case IBPF_OP_##NAME##32_K:                      \
		x86_alu_ri(a, w, EXT, dst, imm);                                   \
		return 1;
	ALU(ADD, 0x01, 0) ALU(SUB, 0x29, 5) ALU(OR, 0x09, 1) ALU(AND, 0x21, 4)
	ALU(XOR, 0x31, 6)
#undef ALU
	case IBPF_OP_MUL64_X: case IBPF_OP_MUL32_X:
		x86_rr(a, fl, 0x0faf, dst, src);                 /* imul dst, src */
		return 1;
	case IBPF_OP_MUL64_K: case IBPF_OP_MUL32_K:
		x86_rr(a, fl, 0x69, dst, dst);                   /* imul dst, dst, imm32 */
		x86_imm32(a, (uint32_t)imm);
		return 1;
	case IBPF_OP_MOV64_X:
		if (dst != src)
			x86_mov_rr(a, 1, dst, src);
		return 1;
	case IBPF_OP_MOV32_X:
		x86_mov_rr(a, 0, dst, src);                      /* zero-extends */
		return 1;
	case IBPF_OP_MOV64_K:
		x86_mov_imm(a, dst, in->imm64);
		return 1;
	case IBPF_OP_MOV32_K:
		x86_mov_imm(a, dst, (uint32_t)imm);
		return 1;
	case IBPF_OP_MOVSX64_8: x86_rr(a, X_W, 0x0fbe, dst, src); return 1;
	case IBPF_OP_MOVSX64_16: x86_rr(a, X_W, 0x0fbf, dst, src); return 1;
	case IBPF_OP_MOVSX64_32: x86_rr(a, X_W, 0x63, dst, src); return 1;
	case IBPF_OP_MOVSX32_8: x86_rr(a, X_BRM, 0x0fbe, dst, src); return 1;
	case IBPF_OP_MOVSX32_16: x86_rr(a, 0, 0x0fbf, dst, src); return 1;
	case IBPF_OP_NEG64: case IBPF_OP_NEG32:
		x86_rr(a, fl, 0xf7, 3, dst);
		return 1;
	case IBPF_OP_LSH64_K: case IBPF_OP_LSH32_K: shift_k(a, w, 4, dst, (uint32_t)imm); return 1;
	case IBPF_OP_RSH64_K: case IBPF_OP_RSH32_K: shift_k(a, w, 5, dst, (uint32_t)imm); return 1;
	case IBPF_OP_ARSH64_K: case IBPF_OP_ARSH32_K: shift_k(a, w, 7, dst, (uint32_t)imm); return 1;
	case IBPF_OP_LSH64_X: case IBPF_OP_LSH32_X: shift_x(a, w, 4, dst, src); return 1;
	case IBPF_OP_RSH64_X: case IBPF_OP_RSH32_X: shift_x(a, w, 5, dst, src); return 1;
	case IBPF_OP_ARSH64_X: case IBPF_OP_ARSH32_X: shift_x(a, w, 7, dst, src); return 1;
	case IBPF_OP_DIV64_K: case IBPF_OP_DIV32_K: divmod(j, w, 0, 0, dst, -1, in->imm64); return 1;
	case IBPF_OP_DIV64_X: case IBPF_OP_DIV32_X: divmod(j, w, 0, 0, dst, src, 0); return 1;
	case IBPF_OP_MOD64_K: case IBPF_OP_MOD32_K: divmod(j, w, 1, 0, dst, -1, in->imm64); return 1;
	case IBPF_OP_MOD64_X: case IBPF_OP_MOD32_X: divmod(j, w, 1, 0, dst, src, 0); return 1;
	case IBPF_OP_SDIV64_K: case IBPF_OP_SDIV32_K: divmod(j, w, 0, 1, dst, -1, in->imm64); return 1;
	case IBPF_OP_SDIV64_X: case IBPF_OP_SDIV32_X: divmod(j, w, 0, 1, dst, src, 0); return 1;
	case IBPF_OP_SMOD64_K: case IBPF_OP_SMOD32_K: divmod(j, w, 1, 1, dst, -1, in->imm64); return 1;
	case IBPF_OP_SMOD64_X: case IBPF_OP_SMOD32_X: divmod(j, w, 1, 1, dst, src, 0); return 1;

	case IBPF_OP_LE16:
		x86_rr(a, 0, 0x0fb7, dst, dst);                  /* movzx dst32, dst16 */
		return 1;
	case IBPF_OP_LE32:
		zext32(a, dst);
		return 1;
	case IBPF_OP_LE64:
		return 1;
	case IBPF_OP_BE16: case IBPF_OP_BSWAP16:
		x86_rr(a, X_66, 0xc1, 1, dst);                   /* ror dst16, 8 */
		x86_byte(a, 8);
		x86_rr(a, 0, 0x0fb7, dst, dst);
		return 1;
	case IBPF_OP_BE32: case IBPF_OP_BSWAP32:
		x86_oreg(a, 0, 0x0fc8, dst);                     /* bswap dst32 */
		return 1;
	case IBPF_OP_BE64: case IBPF_OP_BSWAP64:
		x86_oreg(a, X_W, 0x0fc8, dst);
		return 1;
	default:
		return 0;
	}
}

static int insn(struct jit *j, uint32_t pc)
{
	const struct ibpf_insn *in = &j->code[pc];
	struct x86_asm *a = &j->a;
	enum ibpf_op op = in->op;
	enum ibpf_shape s = ibpf_ops[op].shape;
	int dst = reg_map[in->dst];

	if (in->second_half || alu(j, in))
		return 0;
	switch (op) {
	case IBPF_OP_LD_IMM64:
		x86_mov_imm(a, dst, in->imm64);
		return 0;

	case IBPF_OP_JA: case IBPF_OP_GOTOL: {
		long t = ibpf_branch_target(in, pc);
		if (t != (long)pc + 1)
			x86_jmp(a, (uint32_t)t);
		return 0;
	}
	case IBPF_OP_EXIT:
		epilogue(j);
		return 0;
	case IBPF_OP_CALL:
		call_helper(j, in, pc);
		return 0;
	case IBPF_OP_CALL_KFUNC:
		x86_jmp(a, fault_site(j, F_KFUNC, pc, -1, 0));
		return 0;
	case IBPF_OP_CALL_LOCAL:
		frame_push(j, pc);
		x86_call(a, j->entry[j->fn_of[ibpf_branch_target(in, pc)]]);
		frame_pop(j);
		return 0;
	case IBPF_OP_CALLX:
		call_indirect(j, in, pc);
		return 0;
	default:
		break;
	}
	switch (s) {
	case IBPF_SHAPE_JMP_K: case IBPF_SHAPE_JMP_X:
		cond_jump(j, in, pc);
		return 0;
	case IBPF_SHAPE_LDX:
		load(a, in);
		return 0;
	case IBPF_SHAPE_ST: case IBPF_SHAPE_STX:
		store(a, in);
		return 0;
	case IBPF_SHAPE_ATOMIC:
		atomic(j, in, pc);
		return 0;
	default:
		return fail(j, -EOPNOTSUPP, "insn %u: the JIT cannot compile %s", pc,
			    ibpf_ops[op].name);
	}
}

/* `rX = rY; rX += imm` (how clang forms stack addresses) as one
 * `lea rX, [rY + imm]`, unless a jump lands between them.  Returns 1 if it
 * compiled both instructions. */
static int fuse_lea(struct jit *j, uint32_t pc)
{
	const struct ibpf_insn *mov = &j->code[pc], *add = &j->code[pc + 1];

	if (pc + 1 >= j->n || mov->op != IBPF_OP_MOV64_X || add->op != IBPF_OP_ADD64_K ||
	    mov->dst != add->dst || mov->dst == mov->src || j->is_target[pc + 1] ||
	    j->fn_of[pc + 1] != j->fn_of[pc])
		return 0;
	x86_rm(&j->a, X_W, 0x8d, reg_map[mov->dst], reg_map[mov->src], add->imm);
	return 1;
}

/* ---- stubs ------------------------------------------------------------------ */

/* uint64_t enter(struct jit_run *run, const uint64_t *args, target, frame_top) */
static void entry_stub(struct jit *j)
{
	static const int saved[] = { RBP, RBX, R12, R13, R14, R15 };
	struct x86_asm *a = &j->a;

	for (int i = 0; i < 6; i++)
		x86_push(a, saved[i]);
	x86_alu_ri(a, 1, 5, RSP, 8);                         /* align to 16 */
	x86_mov_rr(a, 1, CTX, RDI);
	x86_rm(a, X_W, 0x89, RSP, CTX, RUN_SAVED_RSP);       /* mov [r12+saved], rsp */
	x86_mov_rr(a, 1, RBP, RCX);
	x86_mov_rr(a, 1, R11, RDX);
	x86_mov_rr(a, 1, R10, RSI);
	for (int r = 1; r <= 5; r++)                         /* r1..r5 = args */
		x86_rm(a, X_W, 0x8b, reg_map[r], R10, (r - 1) * 8);
	/* The interpreter starts with r0 and r6..r9 zero: so does this. */
	x86_mov_imm(a, reg_map[0], 0);
	for (int r = 6; r <= 9; r++)
		x86_mov_imm(a, reg_map[r], 0);
	x86_call_reg(a, R11);
	x86_bind(a, j->l_exit);
	x86_alu_ri(a, 1, 0, RSP, 8);
	for (int i = 5; i >= 0; i--)
		x86_pop(a, saved[i]);
	x86_ret(a);
}

static void fault_stubs(struct jit *j)
{
	struct x86_asm *a = &j->a;

	for (size_t i = 0; i < j->fault_cnt; i++) {
		const struct fault_site *f = &j->faults[i];
		x86_bind(a, f->label);
		if (f->val_reg >= 0 && f->val_reg != RCX)
			x86_mov_rr(a, 1, RCX, f->val_reg);
		x86_mov_imm(a, RSI, f->kind);
		x86_mov_imm(a, RDX, f->pc);
		x86_mov_imm(a, R8, f->aux);
		if (i + 1 < j->fault_cnt)
			x86_jmp(a, j->l_fault);     /* the last one falls into it */
	}
	/* jit_fault(run, kind, pc, val, aux) on the entry stub's stack, then
	 * return 0 from the entry stub. */
	x86_bind(a, j->l_fault);
	x86_rm(a, X_W, 0x8b, RSP, CTX, RUN_SAVED_RSP);
	x86_mov_rr(a, 1, RDI, CTX);
	x86_mov_imm(a, RAX, (uint64_t)(uintptr_t)jit_fault);
	x86_call_reg(a, RAX);
	x86_bind(a, j->l_unwind);
	x86_rm(a, X_W, 0x8b, RSP, CTX, RUN_SAVED_RSP);
	x86_mov_imm(a, RAX, 0);
	x86_jmp(a, j->l_exit);
}

/* Reached by `call` with the instruction index in r11, rsp 8 mod 16 (every
 * function of a self-checked build keeps 0 mod 16 in its body): store the
 * registers, call jit_selfcheck, unwind if it failed, else restore what
 * the C call clobbered (r0..r5; the rest are callee-saved) and return. */
static void selfcheck_stub(struct jit *j)
{
	struct x86_asm *a = &j->a;

	x86_bind(a, j->l_selfcheck);
	for (int r = 0; r <= IBPF_MAX_REG; r++)
		x86_rm(a, X_W, 0x89, reg_map[r], CTX, RUN_SC_REGS + 8 * r);
	x86_mov_rr(a, 1, RDI, CTX);
	x86_mov_rr(a, 0, RSI, R11);
	x86_alu_ri(a, 1, 5, RSP, 8);                         /* sub rsp, 8 */
	x86_mov_imm(a, RAX, (uint64_t)(uintptr_t)jit_selfcheck);
	x86_call_reg(a, RAX);
	x86_alu_ri(a, 1, 0, RSP, 8);                         /* add rsp, 8 */
	x86_rr(a, 0, 0x85, RAX, RAX);                        /* test eax, eax */
	x86_jcc(a, CC_NE, j->l_unwind);
	for (int r = 0; r <= 5; r++)
		x86_rm(a, X_W, 0x8b, reg_map[r], CTX, RUN_SC_REGS + 8 * r);
	x86_ret(a);
}

/* ---- the program -------------------------------------------------------------- */

static int emit_program(struct jit *j)
{
	struct x86_asm *a = &j->a;
	int rc;

	/* Labels 0..n-1 are the instructions. */
	if (x86_reserve_labels(a, j->n))
		return fail(j, -ENOMEM, "out of memory");
	j->entry = malloc(j->fn_cnt * sizeof(*j->entry));
	if (!j->entry)
		return fail(j, -ENOMEM, "out of memory");
	for (size_t f = 0; f < j->fn_cnt; f++)
		j->entry[f] = x86_new_label(a);
	j->l_exit = x86_new_label(a);
	j->l_fault = x86_new_label(a);
	j->l_unwind = x86_new_label(a);
	j->l_table = x86_new_label(a);
	j->l_selfcheck = x86_new_label(a);

	entry_stub(j);
	for (size_t f = 0; f < j->fn_cnt; f++) {
		uint32_t end = f + 1 < j->fn_cnt ? j->fn_start[f + 1] : (uint32_t)j->n;
		x86_bind(a, j->entry[f]);
		prologue(j, f);
		for (uint32_t pc = j->fn_start[f]; pc < end; pc++) {
			x86_bind(a, pc);
			if (j->selfcheck && !j->code[pc].second_half) {
				x86_mov_imm(a, R11, pc);
				x86_call(a, j->l_selfcheck);
			} else if (pc + 1 < end && fuse_lea(j, pc)) {
				x86_bind(a, ++pc);
				continue;
			}
			if ((rc = insn(j, pc)))
				return rc;
		}
	}
	fault_stubs(j);
	if (j->selfcheck)
		selfcheck_stub(j);
	x86_bind(a, j->l_table);      /* placeholder until the table is placed */
	if (a->oom)
		return fail(j, -ENOMEM, "out of memory");
	return 0;
}

int ibpf_jit_available(void)
{
#if defined(__x86_64__)
	return 1;
#else
	return 0;
#endif
}

static void jit_state_free(struct jit *j)
{
	x86_free(&j->a);
	free(j->fn_start);
	free(j->fn_of);
	free(j->is_target);
	free(j->entry);
	free(j->faults);
}

int ibpf_jit_compile(const struct ibpf_program *p, unsigned flags, struct ibpf_jit_prog **out,
		     char *err, size_t errsz)
{
	struct jit j = { .p = p, .code = p->exec, .n = p->insn_cnt, .err = err, .errsz = errsz,
			 .selfcheck = !!(flags & IBPF_JIT_SELF_CHECK) };
	struct ibpf_jit_prog *jp = NULL;
	size_t code_size, table_size;
	uint8_t *base;
	int rc;

	*out = NULL;
	if (err && errsz)
		err[0] = 0;
	if (!ibpf_jit_available())
		return fail(&j, -EOPNOTSUPP, "the JIT needs an x86-64 host");
	if (!p->exec || !p->insn_cnt)
		return fail(&j, -EINVAL, "program '%s' is not prepared for running", p->name);
	if (p->insn_cnt > INT32_MAX / 8)
		return fail(&j, -E2BIG, "program too large");
	x86_init(&j.a);
	if ((rc = analyze(&j)) || (rc = emit_program(&j)))
		goto out;
	if (x86_relax(&j.a)) {
		rc = fail(&j, -ENOMEM, "out of memory");
		goto out;
	}
	code_size = x86_final_size(&j.a);
	table_size = j.n * sizeof(uint64_t);   /* after the code, in its own pages */
	jp = calloc(1, sizeof(*jp));
	if (!jp || !(jp->insn_off = malloc((j.n + 1) * sizeof(*jp->insn_off)))) {
		rc = fail(&j, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = jit_mem_alloc(&jp->mem, code_size, table_size))) {
		fail(&j, rc, "cannot map code pages: %s", strerror(-rc));
		goto out;
	}
	base = jp->mem.base;
	/* callx loads rip-relative from the table, which starts on the first
	 * page after the code. */
	x86_bind_final(&j.a, j.l_table, (uint32_t)jp->mem.code_size);
	if (x86_write(&j.a, base)) {
		rc = fail(&j, -EFAULT, "internal error: jump relaxation");
		goto out;
	}
	uint64_t *table = (uint64_t *)(base + jp->mem.code_size);
	for (size_t i = 0; i < j.n; i++) {
		int32_t s = p->subprog_of[i];
		table[i] = s > 0 ? (uint64_t)(uintptr_t)(base + x86_label_pos(&j.a,
							 j.entry[j.fn_of[i]])) : 0;
	}
	for (size_t i = 0; i < j.n; i++) {
		int32_t s = p->subprog_of[i];
		jp->insn_off[i] = x86_label_pos(&j.a, s >= 0 ? j.entry[j.fn_of[i]] : (uint32_t)i);
	}
	jp->insn_off[j.n] = j.fault_cnt ? x86_label_pos(&j.a, j.faults[0].label)
					: x86_label_pos(&j.a, j.l_fault);
	if ((rc = jit_mem_seal(&jp->mem))) {
		fail(&j, rc, "cannot protect code pages: %s", strerror(-rc));
		goto out;
	}
	jp->code = base;
	jp->code_size = code_size;
	jp->insn_cnt = j.n;
	jp->table = table;
	jp->enter = (jit_enter_fn)(uintptr_t)base;    /* the entry stub is first */
	jp->entry = base + x86_label_pos(&j.a, j.entry[0]);
	*out = jp;
	jp = NULL;
	rc = 0;
out:
	if (jp) {
		jit_mem_free(&jp->mem);
		free(jp->insn_off);
		free(jp);
	}
	jit_state_free(&j);
	return rc;
}

void ibpf_jit_free(struct ibpf_jit_prog *j)
{
	if (!j)
		return;
	jit_mem_free(&j->mem);
	free(j->insn_off);
	free(j);
}

uint64_t ibpf_jit_call(const struct ibpf_jit_prog *j, struct ibpf_vm *vm, uint32_t pc,
		       const uint64_t args[5])
{
	int base = vm->depth;
	const void *target;
	struct jit_run run;
	uint64_t r0;

	if (base < 0 || base >= IBPF_MAX_FRAMES)
		return ibpf_vm_fault(vm, "call stack too deep (more than %d frames)",
				     IBPF_MAX_FRAMES);
	if (pc == 0)
		target = j->entry;
	else if (pc < j->insn_cnt && j->table[pc])
		target = (const void *)(uintptr_t)j->table[pc];
	else
		return ibpf_vm_fault(vm, "insn %u does not start a function", pc);
	run.vm = vm;
	run.saved_rsp = 0;
	run.stack = (uint64_t)(uintptr_t)vm->stack;
	run.stack_end = run.stack + (uint64_t)IBPF_MAX_FRAMES * IBPF_STACK_SIZE;
	vm->depth = base + 1;
	r0 = j->enter(&run, args, target, run.stack + (uint64_t)(base + 1) * IBPF_STACK_SIZE);
	vm->depth = base;
	return vm->faulted ? 0 : r0;
}

const uint8_t *ibpf_jit_code(const struct ibpf_jit_prog *j, size_t *size)
{
	*size = j ? j->code_size : 0;
	return j ? j->code : NULL;
}

const uint32_t *ibpf_jit_insn_offsets(const struct ibpf_jit_prog *j)
{
	return j ? j->insn_off : NULL;
}
