/* link.c - build one program's linked instruction array, as libbpf does:
 * the entry function first, then every function it reaches, each appended
 * the first time it is referenced and scanned at once (depth first), so that
 * instruction indices match what the kernel sees for the same object.
 * Functions reachable only through function-pointer tables in read-only data
 * or call tables follow, in the order the program first references the table.
 * Relocations become ibpf's linked form: calls and function addresses
 * pc-relative, maps as BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE with
 * imm = map index. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/object.h"
#include "elf/link.h"

#define ERR(...) do { snprintf(err, errsz, __VA_ARGS__); rc = -EINVAL; goto out; } while (0)

struct fixup {
	uint32_t pc;              /* linked instruction */
	int func;                 /* target function (elf_func index) */
};

struct linker {
	const struct elf_file *f;
	struct ibpf_object *obj;
	int32_t *placed;          /* per elf_func: linked start, or -1 */
	struct ibpf_subprog *subs;
	size_t sub_cnt;
	struct bpf_insn *out;
	size_t out_cnt, out_cap;
	struct fixup *fix;
	size_t fix_cnt, fix_cap;
	int *maps_used;           /* map indices in order of first reference */
	size_t maps_used_cnt;
	char *err;
	size_t errsz;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static void note_map(struct linker *l, int map_idx)
{
	for (size_t i = 0; i < l->maps_used_cnt; i++)
		if (l->maps_used[i] == map_idx)
			return;
	l->maps_used[l->maps_used_cnt++] = map_idx;
}

/* Copy a function's instructions to the end of the linked program. */
static int place(struct linker *l, int fi)
{
	const struct elf_func *fn = &l->f->funcs[fi];
	const struct elf_sec *sec = &l->f->secs[fn->sec];
	struct ibpf_subprog *s;

	if (l->out_cnt + fn->len > (1u << 20)) {
		snprintf(l->err, l->errsz, "program is too large (over 1M instructions)");
		return -E2BIG;
	}
	if (grow((void **)&l->out, &l->out_cap, l->out_cnt + fn->len, sizeof(*l->out)))
		return -ENOMEM;
	memcpy(l->out + l->out_cnt, sec->data + fn->off, (size_t)fn->len * 8);
	l->placed[fi] = (int32_t)l->out_cnt;
	s = &l->subs[l->sub_cnt++];
	s->name = strdup(fn->name);
	if (!s->name)
		return -ENOMEM;
	s->start = (uint32_t)l->out_cnt;
	s->len = fn->len;
	s->text_off = fn->off;
	s->in_text = fn->sec == l->f->text_sec;
	s->is_global = fn->global;
	l->out_cnt += fn->len;
	return 0;
}

static int add_fixup(struct linker *l, uint32_t pc, int func)
{
	if (grow((void **)&l->fix, &l->fix_cap, l->fix_cnt + 1, sizeof(*l->fix)))
		return -ENOMEM;
	l->fix[l->fix_cnt].pc = pc;
	l->fix[l->fix_cnt].func = func;
	l->fix_cnt++;
	return 0;
}

/* Resolve instruction i of function fi.  Returns the function it references
 * (call or address) in *ref, or -1. */
static int resolve_insn(struct linker *l, int fi, uint32_t i, int *ref)
{
	const struct elf_file *f = l->f;
	const struct elf_func *fn = &f->funcs[fi];
	const struct elf_sec *sec = &f->secs[fn->sec];
	uint32_t sec_insn = fn->off / 8 + i;
	uint32_t pc = (uint32_t)l->placed[fi] + i;
	struct bpf_insn *in = &l->out[pc];
	int32_t rel = sec->rel_sym[sec_insn];
	char *err = l->err;
	size_t errsz = l->errsz;
	int rc = 0;

	*ref = -1;
	if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) {
		int64_t target;
		int tsec = fn->sec;

		if (rel) {
			const struct elf_sym *sym = &f->syms[rel - 1];
			if (sym->shndx == SHN_UNDEF)
				ERR("%s: insn %u: call to missing function '%s' (extern functions are "
				    "not supported)", sec->name, sec_insn, sym->name);
			if (sym->shndx != f->text_sec || f->text_sec < 0)
				ERR("%s: insn %u: call to '%s', which is not a function in .text",
				    sec->name, sec_insn, sym->name);
			target = (int64_t)sym->value + ((int64_t)in->imm + 1) * 8;
			tsec = f->text_sec;
		} else {
			target = ((int64_t)sec_insn + in->imm + 1) * 8;
		}
		*ref = target < 0 ? -1 : ibpf_elf_file_func_at(f, tsec, (uint64_t)target);
		if (*ref < 0)
			ERR("%s: insn %u: call to %s+0x%llx, which is not the start of a function",
			    sec->name, sec_insn, f->secs[tsec].name, (long long)target);
		return add_fixup(l, pc, *ref);
	}
	if (!rel)
		return 0;
	const struct elf_sym *sym = &f->syms[rel - 1];
	if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
		ERR("%s: insn %u: relocation against '%s' on an instruction that is neither "
		    "a call nor a 64-bit load (opcode 0x%02x)", sec->name, sec_insn,
		    sym->name, in->code);
	if (sec_insn + 1 >= sec->size / 8)
		ERR("%s: insn %u: ld_imm64 cut off at the end of the section", sec->name, sec_insn);
	if (sym->shndx == SHN_UNDEF)
		ERR("%s: insn %u: relocation against missing symbol '%s' (externs are not "
		    "supported)", sec->name, sec_insn, sym->name);
	if (sym->shndx >= f->sec_cnt)
		ERR("%s: insn %u: relocation against '%s' in a special section", sec->name,
		    sec_insn, sym->name);
	const struct elf_sec *ts = &f->secs[sym->shndx];
	if (ts->kind == SEC_TEXT || ts->kind == SEC_PROG) {
		uint64_t target = sym->value + (uint64_t)(int64_t)in->imm;
		*ref = ibpf_elf_file_func_at(f, sym->shndx, target);
		if (*ref < 0 || ts->kind != SEC_TEXT)
			ERR("%s: insn %u: address of %s+0x%llx, which is not the start of a "
			    "function in .text", sec->name, sec_insn, ts->name,
			    (unsigned long long)target);
		in->src_reg = BPF_PSEUDO_FUNC;
		return add_fixup(l, pc, *ref);
	}
	if (ts->kind == SEC_MAPS) {
		struct ibpf_map *m = NULL;
		for (size_t k = 0; k < l->obj->map_cnt; k++)
			if (!l->obj->maps[k]->section && l->obj->maps[k]->sec_offset == sym->value)
				m = l->obj->maps[k];
		if (!m || in->imm)
			ERR("%s: insn %u: '%s' is not a map defined in .maps", sec->name,
			    sec_insn, sym->name);
		in->src_reg = BPF_PSEUDO_MAP_FD;
		in->imm = (int32_t)m->index;
		note_map(l, (int)m->index);
		return 0;
	}
	if (ts->kind == SEC_DATA || ts->kind == SEC_CALLX) {
		uint64_t off = sym->value + (uint64_t)(int64_t)in->imm;
		uint32_t moff;
		int mi = off > ts->size ? -1 : ibpf_elf_sec_map_at(ts, off, &moff);
		if (mi < 0)
			ERR("%s: insn %u: offset %llu of %s is in no map", sec->name, sec_insn,
			    (unsigned long long)off, ts->name);
		in->src_reg = BPF_PSEUDO_MAP_VALUE;
		in->imm = mi;
		in[1].imm = (int32_t)moff;
		note_map(l, mi);
		return 0;
	}
	ERR("%s: insn %u: relocation against '%s' in section %s, which is not code, a "
	    "map or global data", sec->name, sec_insn, sym->name, ts->name);
out:
	return rc;
}

/* Depth-first append starting at function `root`: scan it; every new
 * function it references is appended and scanned before the scan goes on. */
static int append_tree(struct linker *l, int root)
{
	struct frame { int fi; uint32_t next; } *stack;
	size_t depth = 0;
	int rc = 0;

	if (l->placed[root] >= 0)
		return 0;
	stack = calloc(l->f->func_cnt + 1, sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	if ((rc = place(l, root)))
		goto done;
	stack[depth++] = (struct frame){ root, 0 };
	while (depth) {
		struct frame *fr = &stack[depth - 1];
		int ref;

		if (fr->next >= l->f->funcs[fr->fi].len) {
			depth--;
			continue;
		}
		if ((rc = resolve_insn(l, fr->fi, fr->next++, &ref)))
			goto done;
		if (ref >= 0 && l->placed[ref] < 0) {
			if ((rc = place(l, ref)))
				goto done;
			stack[depth++] = (struct frame){ ref, 0 };
		}
	}
done:
	free(stack);
	return rc;
}

/* Write the pc-relative immediates of calls and function addresses. */
static void apply_fixups(struct linker *l)
{
	for (size_t i = 0; i < l->fix_cnt; i++) {
		struct bpf_insn *in = &l->out[l->fix[i].pc];
		in->imm = l->placed[l->fix[i].func] - (int32_t)l->fix[i].pc - 1;
	}
}

int ibpf_link_program(const struct elf_file *f, struct ibpf_object *obj, int entry,
		      struct ibpf_program *prog, char *err, size_t errsz)
{
	struct linker l = { .f = f, .obj = obj, .err = err, .errsz = errsz };
	int rc = 0;

	l.placed = malloc((f->func_cnt + 1) * sizeof(*l.placed));
	l.subs = calloc(f->func_cnt + 1, sizeof(*l.subs));
	l.maps_used = calloc(obj->map_cnt + 1, sizeof(*l.maps_used));
	if (!l.placed || !l.subs || !l.maps_used) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < f->func_cnt; i++)
		l.placed[i] = -1;
	if ((rc = append_tree(&l, entry)))
		goto out;
	/* Functions reachable through tables the program references. */
	for (size_t k = 0; k < l.maps_used_cnt; k++) {
		const struct ibpf_map *m = obj->maps[l.maps_used[k]];
		for (size_t s = 0; s < m->func_slot_cnt; s++) {
			int fi = ibpf_elf_file_func_at(f, f->text_sec, m->func_slot_text_off[s]);
			if (fi >= 0 && (rc = append_tree(&l, fi)))
				goto out;
		}
	}
	apply_fixups(&l);
	/* The first program to reach a table decides the values user space sees
	 * (the byte offset of each function in that program, as upstream). A
	 * program whose layout differs gets a private view of the table with its
	 * own offsets: the table is frozen, so nobody can tell the copies apart. */
	for (size_t k = 0; k < l.maps_used_cnt && !rc; k++) {
		struct ibpf_map *m = obj->maps[l.maps_used[k]];
		uint8_t *view = NULL;

		if (!m->func_slot_cnt)
			continue;
		for (size_t s = 0; s < m->func_slot_cnt; s++) {
			int fi = ibpf_elf_file_func_at(f, f->text_sec, m->func_slot_text_off[s]);
			uint64_t v = (uint64_t)l.placed[fi] * 8, old;
			memcpy(&old, m->data + m->func_slots[s], 8);
			if (!m->layout_owner) {
				memcpy(m->data + m->func_slots[s], &v, 8);
				continue;
			}
			if (old == v)
				continue;
			if (!view) {
				size_t bytes = (size_t)m->max_entries * m->elem_size;
				if (!(view = malloc(bytes))) {
					rc = -ENOMEM;
					break;
				}
				memcpy(view, m->data, bytes);
			}
			memcpy(view + m->func_slots[s], &v, 8);
		}
		if (!m->layout_owner)
			m->layout_owner = prog->name;
		if (view) {
			struct ibpf_map_view *nv = realloc(prog->views,
							   (prog->view_cnt + 1) * sizeof(*nv));
			if (!nv) {
				free(view);
				rc = -ENOMEM;
				break;
			}
			prog->views = nv;
			nv[prog->view_cnt].map = m;
			nv[prog->view_cnt++].data = view;
		}
	}
	if (rc)
		goto out;
	prog->insns = l.out;
	prog->insn_cnt = l.out_cnt;
	prog->subprogs = l.subs;
	prog->subprog_cnt = l.sub_cnt;
	l.out = NULL;
	l.subs = NULL;
out:
	if (l.subs)
		for (size_t i = 0; i < l.sub_cnt; i++)
			free(l.subs[i].name);
	free(l.subs);
	free(l.out);
	free(l.fix);
	free(l.placed);
	free(l.maps_used);
	return rc;
}
