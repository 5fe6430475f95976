/* interp_body.h - the interpreter loop, included twice by interp.c: once as
 * the fast path for verified programs (CHECKED 0) and once as the checked
 * path that bounds-checks every access and counts instructions (CHECKED 1).
 * Dispatch is computed goto over the decoded op; every op in opcodes.def
 * must have a label here or the build fails. */

static uint64_t INTERP_FN(struct ibpf_vm *vm, uint32_t entry, const uint64_t args[5])
{
	static const void *const labels[IBPF_OP__COUNT] = {
#define OP(name, code, disc, val, shape, text) [IBPF_OP_##name] = &&L_##name,
#include "isa/opcodes.def"
#undef OP
	};
	struct frame { uint32_t ret_pc; uint64_t saved[4]; } frames[IBPF_MAX_FRAMES];
	const struct ibpf_insn *code = vm->code, *in;
	const int base = vm->depth;
	uint64_t r[IBPF_MAX_REG + 1] = { 0 };
	uint32_t pc = entry, target;

	if (vm->depth >= IBPF_MAX_FRAMES)
		return ibpf_vm_fault(vm, "call stack too deep (more than %d frames)",
				     IBPF_MAX_FRAMES);
	memcpy(&r[1], args, 5 * sizeof(uint64_t));
	r[10] = STACK_TOP(vm, vm->depth);
	vm->depth++;

#if CHECKED
/* The self-check (vm->facts) compares the state with the verifier's facts
 * before every instruction. */
#define COUNT() do { if (!vm->insns_left--) { \
		ibpf_vm_fault(vm, "insn %u: instruction limit reached (%llu): infinite loop?", \
			      pc - 1, IBPF_CHECKED_INSN_LIMIT); goto fault; } \
	if (vm->facts && ibpf_selfcheck_insn(vm, pc - 1, r)) goto fault; } while (0)
#else
#define COUNT() do { } while (0)
#endif
#define NEXT() do { in = &code[pc++]; COUNT(); goto *labels[in->op]; } while (0)
#define DST r[in->dst]
#define SRC r[in->src]
#define IMM in->imm64
#define W(x) ((uint32_t)(x))
#define ALU64(name, expr) L_##name: DST = (expr); NEXT();
#define ALU32(name, expr) L_##name: DST = W(expr); NEXT();
#define JMP(name, cond) L_##name: if (cond) pc += (uint32_t)(int32_t)in->off; NEXT();

	NEXT();

	ALU64(ADD64_K, DST + IMM)  ALU64(ADD64_X, DST + SRC)
	ALU64(SUB64_K, DST - IMM)  ALU64(SUB64_X, DST - SRC)
	ALU64(MUL64_K, DST * IMM)  ALU64(MUL64_X, DST * SRC)
	ALU64(DIV64_K, IMM ? DST / IMM : 0)  ALU64(DIV64_X, SRC ? DST / SRC : 0)
	ALU64(SDIV64_K, sdiv64(DST, IMM))    ALU64(SDIV64_X, sdiv64(DST, SRC))
	ALU64(OR64_K, DST | IMM)   ALU64(OR64_X, DST | SRC)
	ALU64(AND64_K, DST & IMM)  ALU64(AND64_X, DST & SRC)
	ALU64(LSH64_K, DST << (IMM & 63))  ALU64(LSH64_X, DST << (SRC & 63))
	ALU64(RSH64_K, DST >> (IMM & 63))  ALU64(RSH64_X, DST >> (SRC & 63))
	ALU64(NEG64, -DST)
	ALU64(MOD64_K, IMM ? DST % IMM : DST)  ALU64(MOD64_X, SRC ? DST % SRC : DST)
	ALU64(SMOD64_K, smod64(DST, IMM))      ALU64(SMOD64_X, smod64(DST, SRC))
	ALU64(XOR64_K, DST ^ IMM)  ALU64(XOR64_X, DST ^ SRC)
	ALU64(MOV64_K, IMM)        ALU64(MOV64_X, SRC)
	ALU64(MOVSX64_8, (uint64_t)(int64_t)(int8_t)SRC)
	ALU64(MOVSX64_16, (uint64_t)(int64_t)(int16_t)SRC)
	ALU64(MOVSX64_32, (uint64_t)(int64_t)(int32_t)SRC)
	ALU64(ARSH64_K, (uint64_t)((int64_t)DST >> (IMM & 63)))
	ALU64(ARSH64_X, (uint64_t)((int64_t)DST >> (SRC & 63)))
	ALU64(BSWAP16, __builtin_bswap16((uint16_t)DST))
	ALU64(BSWAP32, __builtin_bswap32((uint32_t)DST))
	ALU64(BSWAP64, __builtin_bswap64(DST))

	ALU32(ADD32_K, DST + IMM)  ALU32(ADD32_X, DST + SRC)
	ALU32(SUB32_K, DST - IMM)  ALU32(SUB32_X, DST - SRC)
	ALU32(MUL32_K, W(DST) * W(IMM))  ALU32(MUL32_X, W(DST) * W(SRC))
	ALU32(DIV32_K, W(IMM) ? W(DST) / W(IMM) : 0)
	ALU32(DIV32_X, W(SRC) ? W(DST) / W(SRC) : 0)
	ALU32(SDIV32_K, sdiv32(W(DST), W(IMM)))  ALU32(SDIV32_X, sdiv32(W(DST), W(SRC)))
	ALU32(OR32_K, DST | IMM)   ALU32(OR32_X, DST | SRC)
	ALU32(AND32_K, DST & IMM)  ALU32(AND32_X, DST & SRC)
	ALU32(LSH32_K, W(DST) << (IMM & 31))  ALU32(LSH32_X, W(DST) << (SRC & 31))
	ALU32(RSH32_K, W(DST) >> (IMM & 31))  ALU32(RSH32_X, W(DST) >> (SRC & 31))
	ALU32(NEG32, -W(DST))
	ALU32(MOD32_K, W(IMM) ? W(DST) % W(IMM) : W(DST))
	ALU32(MOD32_X, W(SRC) ? W(DST) % W(SRC) : W(DST))
	ALU32(SMOD32_K, smod32(W(DST), W(IMM)))  ALU32(SMOD32_X, smod32(W(DST), W(SRC)))
	ALU32(XOR32_K, DST ^ IMM)  ALU32(XOR32_X, DST ^ SRC)
	ALU32(MOV32_K, IMM)        ALU32(MOV32_X, SRC)
	ALU32(MOVSX32_8, (int32_t)(int8_t)SRC)
	ALU32(MOVSX32_16, (int32_t)(int16_t)SRC)
	ALU32(ARSH32_K, (int32_t)W(DST) >> (IMM & 31))
	ALU32(ARSH32_X, (int32_t)W(DST) >> (SRC & 31))
	/* Little-endian host: "to little endian" only truncates. */
	ALU64(LE16, (uint16_t)DST)  ALU64(LE32, (uint32_t)DST)  ALU64(LE64, DST)
	ALU64(BE16, __builtin_bswap16((uint16_t)DST))
	ALU64(BE32, __builtin_bswap32((uint32_t)DST))
	ALU64(BE64, __builtin_bswap64(DST))

	L_JA: pc += (uint32_t)(int32_t)in->off; NEXT();
	L_GOTOL: pc += (uint32_t)in->imm; NEXT();
	JMP(JEQ_K, DST == IMM)   JMP(JEQ_X, DST == SRC)
	JMP(JGT_K, DST > IMM)    JMP(JGT_X, DST > SRC)
	JMP(JGE_K, DST >= IMM)   JMP(JGE_X, DST >= SRC)
	JMP(JSET_K, DST & IMM)   JMP(JSET_X, DST & SRC)
	JMP(JNE_K, DST != IMM)   JMP(JNE_X, DST != SRC)
	JMP(JSGT_K, (int64_t)DST > (int64_t)IMM)  JMP(JSGT_X, (int64_t)DST > (int64_t)SRC)
	JMP(JSGE_K, (int64_t)DST >= (int64_t)IMM) JMP(JSGE_X, (int64_t)DST >= (int64_t)SRC)
	JMP(JLT_K, DST < IMM)    JMP(JLT_X, DST < SRC)
	JMP(JLE_K, DST <= IMM)   JMP(JLE_X, DST <= SRC)
	JMP(JSLT_K, (int64_t)DST < (int64_t)IMM)  JMP(JSLT_X, (int64_t)DST < (int64_t)SRC)
	JMP(JSLE_K, (int64_t)DST <= (int64_t)IMM) JMP(JSLE_X, (int64_t)DST <= (int64_t)SRC)
	JMP(JEQ32_K, W(DST) == W(IMM))  JMP(JEQ32_X, W(DST) == W(SRC))
	JMP(JGT32_K, W(DST) > W(IMM))   JMP(JGT32_X, W(DST) > W(SRC))
	JMP(JGE32_K, W(DST) >= W(IMM))  JMP(JGE32_X, W(DST) >= W(SRC))
	JMP(JSET32_K, W(DST) & W(IMM))  JMP(JSET32_X, W(DST) & W(SRC))
	JMP(JNE32_K, W(DST) != W(IMM))  JMP(JNE32_X, W(DST) != W(SRC))
	JMP(JSGT32_K, (int32_t)DST > (int32_t)IMM)  JMP(JSGT32_X, (int32_t)DST > (int32_t)SRC)
	JMP(JSGE32_K, (int32_t)DST >= (int32_t)IMM) JMP(JSGE32_X, (int32_t)DST >= (int32_t)SRC)
	JMP(JLT32_K, W(DST) < W(IMM))   JMP(JLT32_X, W(DST) < W(SRC))
	JMP(JLE32_K, W(DST) <= W(IMM))  JMP(JLE32_X, W(DST) <= W(SRC))
	JMP(JSLT32_K, (int32_t)DST < (int32_t)IMM)  JMP(JSLT32_X, (int32_t)DST < (int32_t)SRC)
	JMP(JSLE32_K, (int32_t)DST <= (int32_t)IMM) JMP(JSLE32_X, (int32_t)DST <= (int32_t)SRC)

	L_CALL: {
		const struct ibpf_helper *h = (const struct ibpf_helper *)(uintptr_t)in->imm64;
		if (!h) {
			ibpf_vm_fault(vm, "insn %u: call to unknown helper %d", pc - 1, in->imm);
			goto fault;
		}
		r[0] = h->fn(vm, r[1], r[2], r[3], r[4], r[5]);
		if (vm->faulted)
			goto fault;
		NEXT();
	}
	L_CALL_KFUNC:
		ibpf_vm_fault(vm, "insn %u: kernel function calls are not supported", pc - 1);
		goto fault;
	L_CALLX: {
		long t = ibpf_vm_fptr_target(vm, SRC);
		if (t < 0) {
			ibpf_vm_fault(vm, "insn %u: callx r%u: 0x%llx is not a function pointer",
				      pc - 1, in->src, (unsigned long long)SRC);
			goto fault;
		}
		target = (uint32_t)t;
		goto push_frame;
	}
	L_CALL_LOCAL:
		target = pc + (uint32_t)in->imm;   /* pc is already past the call */
	push_frame: {
		int f = vm->depth - base - 1;
		if (vm->depth >= IBPF_MAX_FRAMES) {
			ibpf_vm_fault(vm, "insn %u: call stack too deep (more than %d frames)",
				      pc - 1, IBPF_MAX_FRAMES);
			goto fault;
		}
		frames[f].ret_pc = pc;
		memcpy(frames[f].saved, &r[6], sizeof(frames[f].saved));
		pc = target;
		r[10] = STACK_TOP(vm, vm->depth);
		vm->depth++;
		NEXT();
	}
	L_EXIT: {
		int f = vm->depth - base - 2;
		vm->depth--;
		if (f < 0)
			return r[0];
		pc = frames[f].ret_pc;
		memcpy(&r[6], frames[f].saved, sizeof(frames[f].saved));
		r[10] = STACK_TOP(vm, vm->depth - 1);
		NEXT();
	}

	L_LD_IMM64: DST = IMM; pc++; NEXT();

#if CHECKED
#define ACCESS(addr, sz, wr) do { if (!ibpf_vm_mem_ok(vm, addr, sz, wr)) { \
		ibpf_vm_fault(vm, "insn %u: invalid %s of %u bytes at 0x%llx", pc - 1, \
			      wr ? "write" : "read", (unsigned)(sz), (unsigned long long)(addr)); \
		goto fault; } } while (0)
#else
#define ACCESS(addr, sz, wr) do { } while (0)
#endif
#define LOAD(name, T, ext) L_##name: { uint64_t a = SRC + (uint64_t)(int64_t)in->off; T v; \
		ACCESS(a, sizeof(T), 0); memcpy(&v, (void *)(uintptr_t)a, sizeof(T)); \
		DST = (uint64_t)(ext)v; NEXT(); }
#define STORE(name, T, val) L_##name: { uint64_t a = DST + (uint64_t)(int64_t)in->off; \
		T v = (T)(val); ACCESS(a, sizeof(T), 1); \
		memcpy((void *)(uintptr_t)a, &v, sizeof(T)); NEXT(); }

	LOAD(LDX_B, uint8_t, uint64_t)   LOAD(LDX_H, uint16_t, uint64_t)
	LOAD(LDX_W, uint32_t, uint64_t)  LOAD(LDX_DW, uint64_t, uint64_t)
	LOAD(LDXS_B, int8_t, int64_t)    LOAD(LDXS_H, int16_t, int64_t)
	LOAD(LDXS_W, int32_t, int64_t)
	STORE(ST_B, uint8_t, IMM)   STORE(ST_H, uint16_t, IMM)
	STORE(ST_W, uint32_t, IMM)  STORE(ST_DW, uint64_t, IMM)
	STORE(STX_B, uint8_t, SRC)  STORE(STX_H, uint16_t, SRC)
	STORE(STX_W, uint32_t, SRC) STORE(STX_DW, uint64_t, SRC)

#define ATOMIC(name, T, body) L_##name: { uint64_t a = DST + (uint64_t)(int64_t)in->off; \
		T *p = (T *)(uintptr_t)a; ACCESS(a, sizeof(T), 1); \
		if (a % sizeof(T)) { ibpf_vm_fault(vm, "insn %u: misaligned atomic access", pc - 1); \
			goto fault; } \
		body; NEXT(); }
	ATOMIC(AADD_W, uint32_t, __atomic_fetch_add(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AOR_W, uint32_t, __atomic_fetch_or(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AAND_W, uint32_t, __atomic_fetch_and(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AXOR_W, uint32_t, __atomic_fetch_xor(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFADD_W, uint32_t, SRC = __atomic_fetch_add(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFOR_W, uint32_t, SRC = __atomic_fetch_or(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFAND_W, uint32_t, SRC = __atomic_fetch_and(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFXOR_W, uint32_t, SRC = __atomic_fetch_xor(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AXCHG_W, uint32_t, SRC = __atomic_exchange_n(p, (uint32_t)SRC, __ATOMIC_SEQ_CST))
	ATOMIC(ACMPXCHG_W, uint32_t, {
		uint32_t expected = (uint32_t)r[0];
		__atomic_compare_exchange_n(p, &expected, (uint32_t)SRC, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
		r[0] = expected; })
	ATOMIC(AADD_DW, uint64_t, __atomic_fetch_add(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AOR_DW, uint64_t, __atomic_fetch_or(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AAND_DW, uint64_t, __atomic_fetch_and(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AXOR_DW, uint64_t, __atomic_fetch_xor(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFADD_DW, uint64_t, SRC = __atomic_fetch_add(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFOR_DW, uint64_t, SRC = __atomic_fetch_or(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFAND_DW, uint64_t, SRC = __atomic_fetch_and(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AFXOR_DW, uint64_t, SRC = __atomic_fetch_xor(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(AXCHG_DW, uint64_t, SRC = __atomic_exchange_n(p, SRC, __ATOMIC_SEQ_CST))
	ATOMIC(ACMPXCHG_DW, uint64_t, {
		uint64_t expected = r[0];
		__atomic_compare_exchange_n(p, &expected, SRC, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
		r[0] = expected; })

fault:
	vm->depth = base;
	return 0;

#undef COUNT
#undef NEXT
#undef DST
#undef SRC
#undef IMM
#undef W
#undef ALU64
#undef ALU32
#undef JMP
#undef ACCESS
#undef LOAD
#undef STORE
#undef ATOMIC
}
