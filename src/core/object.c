/* object.c - the public object / program / map API over what the loader
 * built.  Opening decodes every program once; decoding errors are kept and
 * reported when the program is verified or run. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/object.h"
#include "core/opts.h"
#include "elf/btf.h"
#include "jit/jit.h"
#include "verifier/facts.h"

void ibpf_log(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

void ibpf_object_free_contents(struct ibpf_object *obj)
{
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		struct ibpf_program *p = &obj->progs[i];
		for (size_t k = 0; k < p->subprog_cnt; k++)
			free(p->subprogs[k].name);
		free(p->subprogs);
		free(p->name);
		free(p->sec_name);
		free(p->insns);
		free(p->decoded);
		free(p->exec);
		ibpf_jit_free(p->jit);
		ibpf_jit_free(p->jit_selfcheck);
		free(p->lines);
		free(p->subprog_of);
		for (size_t k = 0; k < p->view_cnt; k++)
			free(p->views[k].data);
		free(p->views);
		ibpf_facts_free(p->facts);
	}
	free(obj->progs);
	for (size_t i = 0; i < obj->map_cnt; i++)
		ibpf_map_free(obj->maps[i]);
	free(obj->maps);
	ibpf_map_domain_destroy(&obj->maps_domain);
	if (obj->setup_lock_ok)
		pthread_mutex_destroy(&obj->setup_lock);
	obj->setup_lock_ok = 0;
	ibpf_btf_ext_free(obj->btf_ext);
	ibpf_btf_free(obj->btf);
	free(obj->name);
}

void ibpf_object__close(struct ibpf_object *obj)
{
	if (!obj)
		return;
	ibpf_object_free_contents(obj);
	free(obj);
}

/* Decode each program; a failure is remembered in decode_err. */
static int decode_programs(struct ibpf_object *obj)
{
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		struct ibpf_program *p = &obj->progs[i];
		p->decoded = calloc(p->insn_cnt + 1, sizeof(*p->decoded));
		if (!p->decoded)
			return -ENOMEM;
		if (ibpf_decode_program(p->insns, p->insn_cnt, p->decoded, p->decode_err,
					sizeof(p->decode_err)))
			p->decode_failed = 1;
	}
	return 0;
}

static struct ibpf_object *finish_open(struct ibpf_object *obj, int rc,
				       const struct ibpf_object_open_opts *opts,
				       const char *err)
{
	if (!rc)
		rc = decode_programs(obj);
	if (!rc)
		rc = ibpf_map_domain_init(&obj->maps_domain);
	if (!rc) {
		for (size_t i = 0; i < obj->map_cnt; i++)
			obj->maps[i]->domain = &obj->maps_domain;
		rc = pthread_mutex_init(&obj->setup_lock, NULL) ? -ENOMEM : 0;
		obj->setup_lock_ok = !rc;
	}
	if (rc) {
		if (opts && opts->log_buf)
			ibpf_log(opts->log_buf, opts->log_size, "%s: %s", obj->name ? obj->name : "object",
				 err[0] ? err : strerror(-rc));
		ibpf_object__close(obj);
		errno = -rc;
		return NULL;
	}
	return obj;
}

struct ibpf_object *ibpf_object__open_mem(const void *buf, size_t size,
					  const struct ibpf_object_open_opts *user_opts)
{
	struct ibpf_object_open_opts o, *opts = &o;
	struct ibpf_object *obj;
	char err[512] = "";
	int rc;

	if (!IBPF_OPTS_VALID(user_opts, struct ibpf_object_open_opts) || (!buf && size)) {
		errno = EINVAL;
		return NULL;
	}
	IBPF_OPTS_COPY(o, user_opts);
	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	obj->name = strdup(opts && opts->object_name ? opts->object_name : "object");
	rc = obj->name ? ibpf_elf_load(obj, buf, size, err, sizeof(err)) : -ENOMEM;
	return finish_open(obj, rc, opts, err);
}

struct ibpf_object *ibpf_object__open_file(const char *path,
					   const struct ibpf_object_open_opts *opts)
{
	struct ibpf_object_open_opts o;
	struct ibpf_object *obj;
	FILE *fp;
	char *buf = NULL;
	size_t size = 0, cap = 0, n;

	if (!path || !IBPF_OPTS_VALID(opts, struct ibpf_object_open_opts)) {
		errno = EINVAL;
		return NULL;
	}
	IBPF_OPTS_COPY(o, opts);
	if (!o.object_name)
		o.object_name = base_name(path);
	fp = fopen(path, "rb");
	if (!fp) {
		int e = errno;
		ibpf_log(o.log_buf, o.log_size, "%s: cannot open: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	for (;;) {
		if (size == cap) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > (1u << 30) || !(nb = realloc(buf, cap))) {
				free(buf);
				fclose(fp);
				ibpf_log(o.log_buf, o.log_size, "%s: file too large", path);
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + size, 1, cap - size, fp);
		size += n;
		if (n == 0)
			break;
	}
	fclose(fp);
	obj = ibpf_object__open_mem(buf, size, &o);
	free(buf);
	return obj;
}

struct ibpf_object *ibpf_object__open_raw(const struct bpf_insn *insns, size_t cnt,
					  const struct ibpf_object_open_opts *user_opts)
{
	struct ibpf_object_open_opts o, *opts = &o;
	struct ibpf_object *obj;
	struct ibpf_program *p;
	char err[256] = "";
	int rc = 0;

	if (!IBPF_OPTS_VALID(user_opts, struct ibpf_object_open_opts) || (!insns && cnt)) {
		errno = EINVAL;
		return NULL;
	}
	IBPF_OPTS_COPY(o, user_opts);
	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	obj->name = strdup(opts && opts->object_name ? opts->object_name : "raw");
	obj->progs = p = calloc(1, sizeof(*p));
	if (!obj->name || !p)
		return finish_open(obj, -ENOMEM, opts, err);
	obj->prog_cnt = 1;
	p->obj = obj;
	p->name = strdup("raw");
	p->sec_name = strdup("raw");
	p->type = IBPF_PROG_TYPE_RAW;
	p->insns = malloc((cnt ? cnt : 1) * sizeof(*insns));
	p->subprogs = calloc(1, sizeof(*p->subprogs));
	p->subprog_of = malloc((cnt ? cnt : 1) * sizeof(*p->subprog_of));
	if (!p->name || !p->sec_name || !p->insns || !p->subprogs || !p->subprog_of ||
	    !(p->subprogs[0].name = strdup("raw")))
		return finish_open(obj, -ENOMEM, opts, err);
	if (cnt)
		memcpy(p->insns, insns, cnt * sizeof(*insns));
	p->insn_cnt = cnt;
	p->subprog_cnt = 1;
	p->subprogs[0].len = (uint32_t)cnt;
	for (size_t i = 0; i < cnt; i++)
		p->subprog_of[i] = -1;
	if (cnt)
		p->subprog_of[0] = 0;
	/* Raw streams call local functions without a symbol table: every
	 * bpf-to-bpf call target and function address starts a subprogram. */
	for (size_t i = 0; i < cnt && !rc; i++) {
		long t;
		if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == BPF_PSEUDO_CALL)
			t = (long)i + 1 + insns[i].imm;
		else if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
			 insns[i].src_reg == BPF_PSEUDO_FUNC)
			t = (long)i + 1 + insns[i].imm;
		else
			continue;
		if (t <= 0 || t >= (long)cnt || p->subprog_of[t] >= 0)
			continue;     /* bad targets are reported by the decoder */
		struct ibpf_subprog *ns = realloc(p->subprogs, (p->subprog_cnt + 1) * sizeof(*ns));
		if (!ns) {
			rc = -ENOMEM;
			break;
		}
		p->subprogs = ns;
		memset(&ns[p->subprog_cnt], 0, sizeof(*ns));
		ns[p->subprog_cnt].start = (uint32_t)t;
		p->subprog_of[t] = (int32_t)p->subprog_cnt++;
	}
	/* Sort subprograms by start and give them lengths and names. */
	for (size_t i = 1; i < p->subprog_cnt; i++)
		for (size_t j = i; j > 0 && p->subprogs[j].start < p->subprogs[j - 1].start; j--) {
			struct ibpf_subprog t = p->subprogs[j];
			p->subprogs[j] = p->subprogs[j - 1];
			p->subprogs[j - 1] = t;
		}
	for (size_t i = 0; i < p->subprog_cnt && !rc; i++) {
		struct ibpf_subprog *s = &p->subprogs[i];
		char nm[32];
		uint32_t end = i + 1 < p->subprog_cnt ? p->subprogs[i + 1].start : (uint32_t)cnt;
		s->len = end - s->start;
		p->subprog_of[s->start] = (int32_t)i;
		if (!s->name) {
			snprintf(nm, sizeof(nm), "func_%u", s->start);
			if (!(s->name = strdup(nm)))
				rc = -ENOMEM;
		}
	}
	return finish_open(obj, rc, opts, err);
}

const char *ibpf_object__name(const struct ibpf_object *obj) { return obj->name; }

/* ---- programs ---- */

struct ibpf_program *ibpf_object__next_program(const struct ibpf_object *obj,
					       const struct ibpf_program *prev)
{
	size_t i = prev ? (size_t)(prev - obj->progs) + 1 : 0;
	return i < obj->prog_cnt ? &obj->progs[i] : NULL;
}

struct ibpf_program *ibpf_object__find_program_by_name(const struct ibpf_object *obj,
						       const char *name)
{
	for (size_t i = 0; i < obj->prog_cnt; i++)
		if (!strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	errno = ENOENT;
	return NULL;
}

const char *ibpf_program__name(const struct ibpf_program *p) { return p->name; }
const char *ibpf_program__section_name(const struct ibpf_program *p) { return p->sec_name; }
enum ibpf_prog_type ibpf_program__type(const struct ibpf_program *p) { return p->type; }
size_t ibpf_program__insn_cnt(const struct ibpf_program *p) { return p->insn_cnt; }
const struct bpf_insn *ibpf_program__insns(const struct ibpf_program *p) { return p->insns; }
size_t ibpf_program__subprog_cnt(const struct ibpf_program *p) { return p->subprog_cnt; }

int ibpf_program__subprog(const struct ibpf_program *p, size_t idx,
			  struct ibpf_subprog_info *info)
{
	if (idx >= p->subprog_cnt)
		return -ENOENT;
	const struct ibpf_subprog *s = &p->subprogs[idx];
	info->name = s->name;
	info->start = s->start;
	info->insn_cnt = s->len;
	info->is_global = s->is_global;
	info->btf_id = s->btf_id;
	return 0;
}

int ibpf_program__subprog_at(const struct ibpf_program *p, uint32_t insn)
{
	if (insn >= p->insn_cnt || p->subprog_of[insn] < 0)
		return -ENOENT;
	return p->subprog_of[insn];
}

int ibpf_program__func_signature(const struct ibpf_program *p, size_t idx,
				 char *buf, size_t size)
{
	if (idx >= p->subprog_cnt || !p->obj->btf || !p->subprogs[idx].btf_id)
		return -ENOENT;
	return ibpf_btf_func_signature(p->obj->btf, p->subprogs[idx].btf_id, buf, size);
}

size_t ibpf_program__line_info_cnt(const struct ibpf_program *p) { return p->line_cnt; }

const struct ibpf_line_info *ibpf_program__line_info(const struct ibpf_program *p, size_t i)
{
	return i < p->line_cnt ? &p->lines[i] : NULL;
}

/* ---- maps ---- */

struct ibpf_map *ibpf_object__next_map(const struct ibpf_object *obj,
				       const struct ibpf_map *prev)
{
	size_t i = prev ? prev->index + 1 : 0;
	return i < obj->map_cnt ? obj->maps[i] : NULL;
}

struct ibpf_map *ibpf_object__find_map_by_name(const struct ibpf_object *obj,
					       const char *name)
{
	for (size_t i = 0; i < obj->map_cnt; i++)
		if (!strcmp(obj->maps[i]->name, name))
			return obj->maps[i];
	errno = ENOENT;
	return NULL;
}

struct ibpf_map *ibpf_object__map_by_index(const struct ibpf_object *obj, uint32_t idx)
{
	return idx < obj->map_cnt ? obj->maps[idx] : NULL;
}

const char *ibpf_map__name(const struct ibpf_map *m) { return m->name; }
uint32_t ibpf_map__index(const struct ibpf_map *m) { return m->index; }
uint32_t ibpf_map__type(const struct ibpf_map *m) { return m->type; }
uint32_t ibpf_map__key_size(const struct ibpf_map *m) { return m->key_size; }
uint32_t ibpf_map__value_size(const struct ibpf_map *m) { return m->value_size; }
uint32_t ibpf_map__max_entries(const struct ibpf_map *m) { return m->max_entries; }
uint32_t ibpf_map__map_flags(const struct ibpf_map *m) { return m->map_flags; }
uint64_t ibpf_map__map_extra(const struct ibpf_map *m) { return m->map_extra; }
int ibpf_map__is_frozen(const struct ibpf_map *m) { return m->frozen; }
const char *ibpf_map__section(const struct ibpf_map *m) { return m->section; }

size_t ibpf_map__func_slots(const struct ibpf_map *m, uint32_t *offsets, size_t cap)
{
	for (size_t i = 0; i < m->func_slot_cnt && i < cap; i++)
		offsets[i] = m->func_slots[i];
	return m->func_slot_cnt;
}

static int check_sizes(const struct ibpf_map *m, size_t key_sz, size_t value_sz)
{
	if (key_sz != m->key_size || (value_sz != (size_t)-1 && value_sz != m->value_size))
		return -EINVAL;
	return 0;
}

int ibpf_map__lookup_elem(const struct ibpf_map *m, const void *key, size_t key_sz,
			  void *value, size_t value_sz, uint64_t flags)
{
	if (!key || !value || flags || check_sizes(m, key_sz, value_sz))
		return -EINVAL;
	return ibpf_map_lookup_copy(m, key, value);
}

int ibpf_map__update_elem(struct ibpf_map *m, const void *key, size_t key_sz,
			  const void *value, size_t value_sz, uint64_t flags)
{
	if (!key || !value || check_sizes(m, key_sz, value_sz))
		return -EINVAL;
	if (m->frozen)
		return -EPERM;
	return ibpf_map_update(m, key, value, flags);
}

int ibpf_map__delete_elem(struct ibpf_map *m, const void *key, size_t key_sz,
			  uint64_t flags)
{
	if (!key || flags || check_sizes(m, key_sz, (size_t)-1))
		return -EINVAL;
	if (m->frozen)
		return -EPERM;
	return ibpf_map_delete(m, key);
}

int ibpf_map__get_next_key(const struct ibpf_map *m, const void *cur_key,
			   void *next_key, size_t key_sz)
{
	if (!next_key || check_sizes(m, key_sz, (size_t)-1))
		return -EINVAL;
	return ibpf_map_next_key(m, cur_key, next_key);
}

int ibpf_program_slot_subprog(const struct ibpf_program *p, const struct ibpf_map *m,
			      size_t slot)
{
	if (slot >= m->func_slot_cnt)
		return -1;
	for (size_t i = 1; i < p->subprog_cnt; i++)
		if (p->subprogs[i].in_text && p->subprogs[i].text_off == m->func_slot_text_off[slot])
			return (int)i;
	return -1;
}
