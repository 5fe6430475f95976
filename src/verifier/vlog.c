/* vlog.c - the verifier log in the kernel's format: "N: (op) insn" lines,
 * register states as "R1=ctx() R10=fp0", stack slots as "fp-8=mmmm????",
 * and the closing "processed N insns (limit 1000000) ..." line. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "isa/disasm.h"
#include "verifier/env.h"

static void vappend(struct env *e, const char *fmt, va_list ap)
{
	if (!e->log || !e->log_size || e->log_truncated)
		return;
	size_t room = e->log_size - e->log_len;
	int n = vsnprintf(e->log + e->log_len, room, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		e->log_len = e->log_size - 1;
		e->log_truncated = 1;
	} else {
		e->log_len += (size_t)n;
	}
}

void vlog(struct env *e, const char *fmt, ...)
{
	va_list ap;

	if (!e->log_level)
		return;
	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
}

int verr(struct env *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
	if (e->log && e->log_size && !e->log_truncated && e->log_len + 1 < e->log_size) {
		e->log[e->log_len++] = '\n';
		e->log[e->log_len] = 0;
	}
	e->err = err;
	return err;
}

static const char *helper_name_cb(void *ctx, const struct ibpf_insn *in)
{
	(void)ctx;
	return ibpf_helper_name(in->imm);
}

/* Maps show as ibpf's ids (index + 1), as `ibpf dump xlated` prints them. */
static const char *ld_imm64_cb(void *ctx, const struct ibpf_insn *in, size_t pc,
			       char *scratch, size_t size)
{
	(void)ctx, (void)pc;
	if (in->src == BPF_PSEUDO_MAP_FD || in->src == BPF_PSEUDO_MAP_IDX)
		snprintf(scratch, size, "map[id:%d]", in->imm + 1);
	else if (in->src == BPF_PSEUDO_MAP_VALUE || in->src == BPF_PSEUDO_MAP_IDX_VALUE)
		snprintf(scratch, size, "map[id:%d][0]+%u", in->imm + 1,
			 (unsigned)(in->imm64 >> 32));
	else
		return NULL;
	return scratch;
}

void vlog_insn(struct env *e, uint32_t idx)
{
	char buf[256];
	struct ibpf_disasm_cbs cbs = { .call_name = helper_name_cb, .ld_imm64 = ld_imm64_cb };

	if (e->log_level < 1)
		return;
	if (ibpf_disasm(&e->code[idx], idx, IBPF_DIALECT_XLATED, &cbs, buf, sizeof(buf)) < 0)
		return;
	vlog(e, "%u: %s\n", idx, buf);
}

const char *reg_type_str(const struct reg_state *r)
{
	switch (r->type) {
	case NOT_INIT: return "?";
	case SCALAR_VALUE: return "scalar";
	case PTR_TO_CTX: return "ctx";
	case CONST_PTR_TO_MAP: return "map_ptr";
	case PTR_TO_MAP_VALUE: return r->maybe_null ? "map_value_or_null" : "map_value";
	case PTR_TO_MAP_KEY: return "map_key";
	case PTR_TO_STACK: return "fp";
	case PTR_TO_FUNC: return r->maybe_null ? "func_or_null" : "func";
	case PTR_TO_MEM: return r->maybe_null ? "mem_or_null" : "mem";
	}
	return "?";
}

/* Append ",name=value" pieces like the kernel's print_scalar_ranges. */
#define ADD(...) do { int _n = snprintf(p, (size_t)(end - p), __VA_ARGS__); \
	if (_n > 0 && _n < end - p) p += _n; } while (0)

static char *scalar_ranges(char *p, char *end, const struct reg_state *r, const char **sep)
{
	if (r->smin != INT64_MIN) { ADD("%ssmin=%" PRId64, *sep, r->smin); *sep = ","; }
	if (r->smax != INT64_MAX) { ADD("%ssmax=%" PRId64, *sep, r->smax); *sep = ","; }
	if (r->umin != 0) { ADD("%sumin=%" PRIu64, *sep, r->umin); *sep = ","; }
	if (r->umax != UINT64_MAX) { ADD("%sumax=%" PRIu64, *sep, r->umax); *sep = ","; }
	if (r->s32_min != INT32_MIN) { ADD("%ssmin32=%d", *sep, r->s32_min); *sep = ","; }
	if (r->s32_max != INT32_MAX) { ADD("%ssmax32=%d", *sep, r->s32_max); *sep = ","; }
	if (r->u32_min != 0) { ADD("%sumin32=%u", *sep, r->u32_min); *sep = ","; }
	if (r->u32_max != UINT32_MAX) { ADD("%sumax32=%u", *sep, r->u32_max); *sep = ","; }
	if (!tnum_is_unknown(r->var_off)) {
		char t[64];
		tnum_sbin(t, sizeof(t), r->var_off);
		ADD("%svar_off=%s", *sep, t);
		*sep = ",";
	}
	return p;
}

void vlog_reg(struct env *e, char *buf, size_t size, const struct reg_state *r)
{
	char *p = buf, *end = buf + size;
	const char *sep = "";

	(void)e;
	buf[0] = 0;
	if (r->type == SCALAR_VALUE && tnum_is_const(r->var_off) && !r->id) {
		ADD("%" PRId64, (int64_t)r->var_off.value);
		return;
	}
	if (r->type == PTR_TO_STACK && tnum_is_const(r->var_off) && !r->id) {
		ADD("fp%d", r->off + (int32_t)r->var_off.value);
		return;
	}
	ADD("%s(", reg_type_str(r));
	if (r->id) { ADD("%sid=%u", sep, r->id); sep = ","; }
	if (r->type != SCALAR_VALUE && r->off) { ADD("%soff=%d", sep, r->off); sep = ","; }
	if (r->map) {
		ADD("%smap=%s,ks=%u,vs=%u", sep, r->map->name, r->map->key_size, r->map->value_size);
		sep = ",";
	}
	if (r->type == PTR_TO_MEM) { ADD("%ssz=%u", sep, r->mem_size); sep = ","; }
	if (r->type == SCALAR_VALUE || (r->type != PTR_TO_FUNC && !tnum_is_const(r->var_off)))
		p = scalar_ranges(p, end, r, &sep);
	ADD(")");
}

static char slot_char(uint8_t t)
{
	switch (t) {
	case STACK_MISC: return 'm';
	case STACK_ZERO: return '0';
	case STACK_SPILL: return 'r';
	default: return '?';
	}
}

void vlog_state(struct env *e, const struct vstate *st, int only_frame)
{
	char buf[512];

	if (e->log_level < 2)
		return;
	for (int f = only_frame >= 0 ? only_frame : 0; f <= st->curframe; f++) {
		const struct func_state *fs = st->frame[f];
		if (f > 0 || st->curframe > 0)
			vlog(e, " frame%d:", f);
		for (int i = 0; i <= 10; i++) {
			if (fs->regs[i].type == NOT_INIT)
				continue;
			vlog_reg(e, buf, sizeof(buf), &fs->regs[i]);
			vlog(e, " R%d=%s", i, buf);
		}
		for (int s = 0; s < fs->nslots; s++) {
			const struct stack_slot *sl = &fs->slots[s];
			int any = 0;
			for (int b = 0; b < 8; b++)
				any |= sl->type[b] != STACK_INVALID;
			if (!any)
				continue;
			if (sl->type[7] == STACK_SPILL && sl->type[0] == STACK_SPILL) {
				vlog_reg(e, buf, sizeof(buf), &sl->spilled);
				vlog(e, " fp%d=%s", -8 * (s + 1), buf);
			} else {
				char t[9];
				for (int b = 0; b < 8; b++)
					t[b] = slot_char(sl->type[7 - b]);
				t[8] = 0;
				vlog(e, " fp%d=%s", -8 * (s + 1), t);
			}
		}
		if (only_frame >= 0)
			break;
	}
	vlog(e, "\n");
}
