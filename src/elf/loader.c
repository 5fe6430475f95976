/* loader.c - turn an ELF object into a struct ibpf_object: maps from .maps,
 * global data and callx sections; one linked program per function in a
 * program section; BTF function signatures and line info mapped onto the
 * linked instructions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/object.h"
#include "elf/btf.h"
#include "elf/elf_file.h"
#include "elf/link.h"

#define ERR(...) do { snprintf(err, errsz, __VA_ARGS__); return -EINVAL; } while (0)

static int add_map(struct ibpf_object *obj, struct ibpf_map *m)
{
	struct ibpf_map **n = realloc(obj->maps, (obj->map_cnt + 1) * sizeof(*n));
	if (!n) {
		ibpf_map_free(m);
		return -ENOMEM;
	}
	obj->maps = n;
	m->index = (uint32_t)obj->map_cnt;
	obj->maps[obj->map_cnt++] = m;
	return 0;
}

static int load_btf_maps(struct ibpf_object *obj, const struct elf_file *f,
			 char *err, size_t errsz)
{
	struct ibpf_btf_map_def *defs = NULL;
	size_t cnt = 0;
	int rc;

	if (f->maps_sec < 0)
		return 0;
	if (!obj->btf)
		ERR("section .maps: BTF-defined maps need BTF (compile with -g)");
	if ((rc = ibpf_btf_maps(obj->btf, ".maps", &defs, &cnt, err, errsz)))
		return rc;
	for (size_t i = 0; i < cnt && !rc; i++) {
		struct ibpf_map *m;
		rc = ibpf_map_create(defs[i].name, defs[i].type, defs[i].key_size,
				     defs[i].value_size, defs[i].max_entries, defs[i].map_flags,
				     defs[i].map_extra, &m, err, errsz);
		if (!rc) {
			/* clang leaves DATASEC offsets 0; the symbol has the real one. */
			int found = 0;
			for (size_t k = 0; k < f->sym_cnt && !found; k++)
				if (f->syms[k].shndx == f->maps_sec &&
				    !strcmp(f->syms[k].name, defs[i].name)) {
					m->sec_offset = (uint32_t)f->syms[k].value;
					found = 1;
				}
			if (!found) {
				snprintf(err, errsz, "map '%s': no symbol for it in .maps", defs[i].name);
				ibpf_map_free(m);
				rc = -EINVAL;
				break;
			}
			if (m->type == IBPF_MAP_TYPE_INSN_SET)
				m->frozen = 1;
			rc = add_map(obj, m);
		}
	}
	free(defs);
	return rc;
}

static int cmp_table(const void *a, const void *b)
{
	const struct sec_table *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* A SEC("callx") section: one frozen call-table map per variable in it (or
 * one for the whole section when it has no variable symbols). */
static int load_call_tables(struct ibpf_object *obj, struct elf_file *f, int si,
			    char *err, size_t errsz)
{
	struct elf_sec *s = &f->secs[si];
	size_t n = 0;
	int rc;

	if (s->size % 8 || !s->data)
		ERR("section %s: a call table must be an array of 8-byte function pointers "
		    "(size %zu)", s->name, s->size);
	s->tables = calloc(f->sym_cnt + 1, sizeof(*s->tables));
	if (!s->tables)
		return -ENOMEM;
	for (size_t k = 0; k < f->sym_cnt; k++) {
		const struct elf_sym *y = &f->syms[k];
		if (y->shndx != si || y->type != STT_OBJECT || !y->size)
			continue;
		if (y->value % 8 || y->size % 8 || y->value > s->size || y->size > s->size - y->value)
			ERR("section %s: table '%s' (offset %llu, %llu bytes) is not an array of "
			    "8-byte function pointers inside the section", s->name, y->name,
			    (unsigned long long)y->value, (unsigned long long)y->size);
		s->tables[n++] = (struct sec_table){ (uint32_t)y->value, (uint32_t)y->size, -1 };
	}
	if (!n)
		s->tables[n++] = (struct sec_table){ 0, (uint32_t)s->size, -1 };
	qsort(s->tables, n, sizeof(*s->tables), cmp_table);
	s->ntables = n;
	for (size_t t = 0; t < n; t++) {
		struct sec_table *tb = &s->tables[t];
		const char *name = s->name;
		struct ibpf_map *m;

		if (t && tb->start < s->tables[t - 1].start + s->tables[t - 1].size)
			ERR("section %s: call tables overlap at offset %u", s->name, tb->start);
		for (size_t k = 0; k < f->sym_cnt; k++)
			if (f->syms[k].shndx == si && f->syms[k].type == STT_OBJECT &&
			    f->syms[k].value == tb->start && f->syms[k].size == tb->size)
				name = f->syms[k].name;
		rc = ibpf_map_create(name, IBPF_MAP_TYPE_INSN_SET, 4, 8, tb->size / 8, 0,
				     IBPF_F_CALL_TABLE, &m, err, errsz);
		if (rc)
			return rc;
		m->section = strdup(s->name);
		if (!m->section) {
			ibpf_map_free(m);
			return -ENOMEM;
		}
		memcpy(m->data, s->data + tb->start, tb->size);
		m->frozen = 1;
		if ((rc = add_map(obj, m)))
			return rc;
		tb->map_idx = (int)m->index;
	}
	return 0;
}

static int load_data_maps(struct ibpf_object *obj, struct elf_file *f,
			  char *err, size_t errsz)
{
	for (size_t i = 1; i < f->sec_cnt; i++) {
		struct elf_sec *s = &f->secs[i];
		struct ibpf_map *m;
		int rc, callx = s->kind == SEC_CALLX;

		if (s->kind != SEC_DATA && !callx)
			continue;
		if (s->size == 0)
			continue;
		if (callx) {
			if ((rc = load_call_tables(obj, f, (int)i, err, errsz)))
				return rc;
			continue;
		} else {
			if (s->size > UINT32_MAX)
				ERR("section %s is too large", s->name);
			rc = ibpf_map_create(s->name, BPF_MAP_TYPE_ARRAY, 4, (uint32_t)s->size, 1,
					     s->readonly ? BPF_F_RDONLY_PROG : 0, 0, &m, err, errsz);
		}
		if (rc)
			return rc;
		m->section = strdup(s->name);
		if (!m->section) {
			ibpf_map_free(m);
			return -ENOMEM;
		}
		if (s->data)
			memcpy(m->data, s->data, s->size);
		m->frozen = callx || s->readonly;
		if ((rc = add_map(obj, m)))
			return rc;
		s->map_idx = (int)m->index;
	}
	/* Function pointers inside data: remember their slots. */
	for (size_t i = 0; i < f->data_rel_cnt; i++) {
		const struct elf_data_rel *r = &f->data_rels[i];
		uint32_t moff;
		int mi = ibpf_elf_sec_map_at(&f->secs[r->sec], r->off, &moff);
		if (mi < 0)
			ERR("section %s: function pointer at 0x%x is outside every table",
			    f->secs[r->sec].name, r->off);
		struct ibpf_map *m = obj->maps[mi];
		size_t n = m->func_slot_cnt;
		const struct elf_func *fn = &f->funcs[r->func];
		/* Slots are what the verifier turns into callable pointers: each
		 * must name one .text function, as a whole aligned 8 bytes. */
		if (fn->sec != f->text_sec)
			ERR("section %s: function pointer at 0x%x names %s() in section %s: only "
			    ".text functions (subprograms) may be stored in tables",
			    f->secs[r->sec].name, r->off, fn->name, f->secs[fn->sec].name);
		if (moff % 8 || (uint64_t)moff + 8 > (uint64_t)m->max_entries * m->elem_size)
			ERR("section %s: function pointer at 0x%x is not an aligned 8-byte slot",
			    f->secs[r->sec].name, r->off);
		for (size_t k = 0; k < n; k++)
			if (m->func_slots[k] == moff)
				ERR("section %s: two relocations on the function pointer at 0x%x",
				    f->secs[r->sec].name, r->off);
		uint32_t *a = realloc(m->func_slots, (n + 1) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		m->func_slots = a;
		a = realloc(m->func_slot_text_off, (n + 1) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		m->func_slot_text_off = a;
		m->func_slots[n] = moff;
		m->func_slot_text_off[n] = fn->off;
		m->func_slot_cnt = n + 1;
	}
	/* A call table holds nothing but function pointers (or NULL). */
	for (size_t k = 0; k < obj->map_cnt; k++) {
		struct ibpf_map *m = obj->maps[k];
		if (m->type != IBPF_MAP_TYPE_INSN_SET || !m->section)
			continue;
		for (uint32_t off = 0; off < m->max_entries * 8; off += 8) {
			uint64_t v;
			int is_slot = 0;
			for (size_t s = 0; s < m->func_slot_cnt; s++)
				is_slot |= m->func_slots[s] == off;
			memcpy(&v, m->data + off, 8);
			if (!is_slot && v)
				ERR("call table '%s': entry %u holds 0x%llx, which is not a "
				    "function pointer", m->name, off / 8, (unsigned long long)v);
		}
	}
	return 0;
}

static enum ibpf_prog_type prog_type_of(const char *sec)
{
	if (!strcmp(sec, "syscall") || !strncmp(sec, "syscall/", 8))
		return IBPF_PROG_TYPE_SYSCALL;
	return 0;
}

/* func_info and line_info: records are per ELF section with byte offsets;
 * each subprogram brings the records of its own range. */
static int attach_btf_ext(struct ibpf_object *obj, struct ibpf_program *p,
			  const struct elf_file *f)
{
	size_t cap = 0;

	if (!obj->btf_ext)
		return 0;
	for (size_t i = 0; i < p->subprog_cnt; i++) {
		struct ibpf_subprog *s = &p->subprogs[i];
		const char *secname = i == 0 ? p->sec_name : ".text";
		const struct ibpf_btf_ext_sec *es = ibpf_btf_ext_find(obj->btf_ext, secname);
		uint32_t lo = s->text_off, hi = s->text_off + s->len * 8;

		(void)f;
		if (!es)
			continue;
		for (size_t k = 0; k < es->func_cnt; k++)
			if (es->funcs[k].insn_off == lo)
				s->btf_id = es->funcs[k].type_id;
		for (size_t k = 0; k < es->line_cnt; k++) {
			const struct ibpf_btf_line_rec *r = &es->lines[k];
			if (r->insn_off < lo || r->insn_off >= hi || r->insn_off % 8)
				continue;
			if (p->line_cnt == cap) {
				cap = cap ? cap * 2 : 32;
				void *n = realloc(p->lines, cap * sizeof(*p->lines));
				if (!n)
					return -ENOMEM;
				p->lines = n;
			}
			struct ibpf_line_info *li = &p->lines[p->line_cnt++];
			li->insn = s->start + (r->insn_off - lo) / 8;
			li->file = r->file ? r->file : "";
			li->line = r->line ? r->line : "";
			li->line_num = r->line_num;
			li->line_col = r->line_col;
		}
	}
	return 0;
}

static int load_programs(struct ibpf_object *obj, const struct elf_file *f,
			 char *err, size_t errsz)
{
	size_t n = 0;

	for (size_t i = 0; i < f->func_cnt; i++)
		n += f->secs[f->funcs[i].sec].kind == SEC_PROG;
	obj->progs = calloc(n ? n : 1, sizeof(*obj->progs));
	if (!obj->progs)
		return -ENOMEM;
	for (size_t i = 0; i < f->func_cnt; i++) {
		const struct elf_func *fn = &f->funcs[i];
		struct ibpf_program *p;
		int rc;

		if (f->secs[fn->sec].kind != SEC_PROG)
			continue;
		p = &obj->progs[obj->prog_cnt++];
		p->obj = obj;
		p->name = strdup(fn->name);
		p->sec_name = strdup(f->secs[fn->sec].name);
		if (!p->name || !p->sec_name)
			return -ENOMEM;
		p->type = prog_type_of(p->sec_name);
		if ((rc = ibpf_link_program(f, obj, (int)i, p, err, errsz)))
			return rc;
		if ((rc = attach_btf_ext(obj, p, f)))
			return rc;
		p->subprog_of = malloc(p->insn_cnt * sizeof(*p->subprog_of));
		if (!p->subprog_of)
			return -ENOMEM;
		for (size_t k = 0; k < p->insn_cnt; k++)
			p->subprog_of[k] = -1;
		for (size_t k = 0; k < p->subprog_cnt; k++)
			p->subprog_of[p->subprogs[k].start] = (int32_t)k;
	}
	if (!obj->prog_cnt)
		ERR("no programs: no function in an executable section other than .text");
	return 0;
}

int ibpf_elf_load(struct ibpf_object *obj, const void *buf, size_t size,
		  char *err, size_t errsz)
{
	struct elf_file f;
	int rc;

	rc = ibpf_elf_file_open(&f, buf, size, err, errsz);
	if (!rc && f.btf_sec >= 0)
		rc = ibpf_btf_parse(f.secs[f.btf_sec].data, f.secs[f.btf_sec].size,
				    &obj->btf, err, errsz);
	if (!rc && f.btf_ext_sec >= 0 && obj->btf)
		rc = ibpf_btf_ext_parse(f.secs[f.btf_ext_sec].data, f.secs[f.btf_ext_sec].size,
					obj->btf, &obj->btf_ext, err, errsz);
	if (!rc)
		rc = load_btf_maps(obj, &f, err, errsz);
	if (!rc)
		rc = load_data_maps(obj, &f, err, errsz);
	if (!rc)
		rc = load_programs(obj, &f, err, errsz);
	ibpf_elf_file_close(&f);
	return rc;
}
