/* btf.c - reading .BTF and .BTF.ext (see btf.h for the contract).
 *
 * The .BTF section is copied into three private buffers: the type section
 * (malloc'd, so 4-byte aligned; every record is a multiple of 4 bytes, so
 * each struct btf_type and its trailing records are read in place), an
 * offset table indexed by type id, and the string section.  Parsing runs in
 * three passes over the copied type section:
 *
 *   1. walk the records, checking that each header and its trailing records
 *      (whose size depends on the kind and vlen) fit in the section;
 *   2. check every name offset and every type reference against the string
 *      section and the type count, so later lookups never go out of range;
 *   3. reject reference cycles among the kinds that have a single referenced
 *      type (modifiers, typedef, pointer, array, var, func, tags): no valid C
 *      produces one, and rejecting them makes ibpf_btf_skip_mods() and
 *      ibpf_btf_type_size() loops finite.
 *
 * Function signatures are rendered the way bpftool prints a function's header
 * line in `bpftool prog dump xlated` (bpftool v7.1.0 on the development
 * machine, compared against clang-19 and clang-14 objects):
 *
 *   int simple_test(struct simple_ctx * ctx)          pointer: "T * name"
 *   void void_ret(struct simple_ctx * ctx)             void return
 *   int noargs()                                       (void) prints "()"
 *   __u32 f(__u32 a, unsigned int b, my_u64_t c)       typedefs by name
 *   int f(const struct simple_ctx * ctx, const int x)  const before the type
 *   const char * cp                                    char *const cp (!)
 *   restrict int * rp                                  int *restrict rp
 *   struct simple_ctx * * pp                           double pointer
 *   int [4]* arr                                       int (*arr)[4]
 *   int (int)* cb                                      int (*cb)(int)
 *   int (struct simple_ctx *, long)* cb2               unnamed proto params
 *   int ()* f, void (int, ...)* g                      no params, varargs
 *   struct  * p, union  * u, enum  e                   anonymous (two spaces)
 *   struct fwd_only * f                                forward declaration
 *   enum big b, float * f                              ENUM64, FLOAT
 *   const struct simple_ctx * ret_ptr(...)             pointer return
 *   long callback(__u32 index, void * ctx)             no "static" for linkage
 *
 * A modifier prints before what it modifies, in BTF chain order (hence
 * "const char * cp" for a const pointer).  A parameter without a name drops
 * the trailing space of its type.  bpftool v7.1.0 cannot render TYPE_TAG
 * (e.g. `int __attribute__((btf_type_tag("user"))) *p`): it then prints no
 * header line at all; ibpf_btf_func_signature() mirrors that by returning
 * -EOPNOTSUPP with an empty buffer. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/btf.h"

#define BTF_MAX_DEPTH 32          /* nesting bound for the signature renderer */
#define BTF_PTR_SIZE 8            /* BPF is a 64-bit target */

struct ibpf_btf {
	unsigned char *types;     /* copy of the type section */
	uint32_t types_len;
	uint32_t *offs;           /* offs[id] = offset of type id in types; offs[0] unused */
	uint32_t cnt;             /* number of types including void */
	char *strs;               /* copy of the string section, NUL-terminated */
	uint32_t strs_len;
};

struct ext_sec {
	struct ibpf_btf_ext_sec pub;
	struct ibpf_btf_func_rec *funcs;
	struct ibpf_btf_line_rec *lines;
};

struct ibpf_btf_ext {
	struct ext_sec *secs;
	size_t nsecs;
};

static void seterr(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static const char *kind_name(unsigned kind)
{
	static const char *const names[] = {
		[BTF_KIND_UNKN] = "UNKN", [BTF_KIND_INT] = "INT",
		[BTF_KIND_PTR] = "PTR", [BTF_KIND_ARRAY] = "ARRAY",
		[BTF_KIND_STRUCT] = "STRUCT", [BTF_KIND_UNION] = "UNION",
		[BTF_KIND_ENUM] = "ENUM", [BTF_KIND_FWD] = "FWD",
		[BTF_KIND_TYPEDEF] = "TYPEDEF", [BTF_KIND_VOLATILE] = "VOLATILE",
		[BTF_KIND_CONST] = "CONST", [BTF_KIND_RESTRICT] = "RESTRICT",
		[BTF_KIND_FUNC] = "FUNC", [BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
		[BTF_KIND_VAR] = "VAR", [BTF_KIND_DATASEC] = "DATASEC",
		[BTF_KIND_FLOAT] = "FLOAT", [BTF_KIND_DECL_TAG] = "DECL_TAG",
		[BTF_KIND_TYPE_TAG] = "TYPE_TAG", [BTF_KIND_ENUM64] = "ENUM64",
	};
	if (kind < sizeof(names) / sizeof(names[0]) && names[kind])
		return names[kind];
	return "unknown";
}

static unsigned t_kind(const struct btf_type *t) { return BTF_INFO_KIND(t->info); }
static unsigned t_vlen(const struct btf_type *t) { return BTF_INFO_VLEN(t->info); }
static bool t_kflag(const struct btf_type *t) { return BTF_INFO_KFLAG(t->info); }

/* Bytes of records that follow the struct btf_type of this kind, or -1 for a
 * kind this parser does not know (so its size is unknown). */
static long long trailing_size(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case BTF_KIND_INT:        return sizeof(uint32_t);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:   return 0;
	case BTF_KIND_ARRAY:      return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:      return (long long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:       return (long long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO: return (long long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:        return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:    return (long long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:   return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64:     return (long long)vlen * sizeof(struct btf_enum64);
	default:                  return -1;
	}
}

/* ---- accessors ---------------------------------------------------------- */

uint32_t ibpf_btf_type_cnt(const struct ibpf_btf *btf)
{
	return btf ? btf->cnt : 0;
}

const struct btf_type *ibpf_btf_type(const struct ibpf_btf *btf, uint32_t id)
{
	if (!btf || id == 0 || id >= btf->cnt)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->offs[id]);
}

const char *ibpf_btf_str(const struct ibpf_btf *btf, uint32_t off)
{
	if (!btf || off >= btf->strs_len)
		return NULL;
	return btf->strs + off;
}

static const char *t_name(const struct ibpf_btf *btf, const struct btf_type *t)
{
	const char *s = ibpf_btf_str(btf, t->name_off);
	return s ? s : "";
}

uint32_t ibpf_btf_find(const struct ibpf_btf *btf, int kind, const char *name)
{
	if (!btf)
		return 0;
	if (!name)
		name = "";
	for (uint32_t id = 1; id < btf->cnt; id++) {
		const struct btf_type *t = ibpf_btf_type(btf, id);
		if ((int)t_kind(t) == kind && strcmp(t_name(btf, t), name) == 0)
			return id;
	}
	return 0;
}

static bool is_mod(unsigned kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_CONST || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

/* Terminates: parsing rejected every cycle through modifiers. */
uint32_t ibpf_btf_skip_mods(const struct ibpf_btf *btf, uint32_t id)
{
	const struct btf_type *t;

	while ((t = ibpf_btf_type(btf, id)) && is_mod(t_kind(t)))
		id = t->type;
	return id;
}

long ibpf_btf_type_size(const struct ibpf_btf *btf, uint32_t id)
{
	uint64_t mult = 1, size;
	const struct btf_type *t;

	/* Terminates: parsing rejected cycles through arrays/modifiers/vars. */
	for (;;) {
		t = ibpf_btf_type(btf, id);
		if (!t)
			return -EINVAL;          /* void or out of range */
		switch (t_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_FLOAT:
		case BTF_KIND_DATASEC:
			size = t->size;
			goto done;
		case BTF_KIND_PTR:
			size = BTF_PTR_SIZE;
			goto done;
		case BTF_KIND_ARRAY: {
			const struct btf_array *a = (const struct btf_array *)(t + 1);
			if (a->nelems && mult > (uint64_t)LONG_MAX / a->nelems)
				return -EOVERFLOW;
			mult *= a->nelems;
			id = a->type;
			break;
		}
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR:
			id = t->type;
			break;
		default:                         /* FUNC, FUNC_PROTO, FWD, DECL_TAG */
			return -EINVAL;
		}
	}
done:
	if (size && mult > (uint64_t)LONG_MAX / size)
		return -EOVERFLOW;
	return (long)(mult * size);
}

/* ---- parsing .BTF -------------------------------------------------------- */

void ibpf_btf_free(struct ibpf_btf *btf)
{
	if (!btf)
		return;
	free(btf->types);
	free(btf->offs);
	free(btf->strs);
	free(btf);
}

/* Pass 1: walk the records; count them when offs is NULL, else record offsets. */
static int walk_types(struct ibpf_btf *btf, uint32_t *count, char *err, size_t errsz)
{
	uint32_t off = 0, id = 1;

	while (off < btf->types_len) {
		const struct btf_type *t;
		uint32_t left = btf->types_len - off;
		long long extra;

		if (left < sizeof(struct btf_type)) {
			seterr(err, errsz, "BTF: type %u runs past the end of the type section "
			       "(offset %u: %u bytes left, a type header needs %zu)",
			       id, off, left, sizeof(struct btf_type));
			return -EINVAL;
		}
		if (id > BTF_MAX_TYPE) {
			seterr(err, errsz, "BTF: more than %u types", BTF_MAX_TYPE);
			return -EINVAL;
		}
		t = (const struct btf_type *)(btf->types + off);
		if (t->info & 0x60ff0000u) {
			seterr(err, errsz, "BTF: type %u has unused info bits set (info 0x%08x)",
			       id, t->info);
			return -EINVAL;
		}
		extra = trailing_size(t_kind(t), t_vlen(t));
		if (extra < 0 || t_kind(t) == BTF_KIND_UNKN) {
			seterr(err, errsz, "BTF: type %u has unknown kind %u", id, t_kind(t));
			return -EINVAL;
		}
		if ((unsigned long long)extra > left - sizeof(struct btf_type)) {
			seterr(err, errsz, "BTF: type %u (%s, vlen %u) runs past the end of the "
			       "type section (needs %lld bytes at offset %u, %u left)",
			       id, kind_name(t_kind(t)), t_vlen(t),
			       (long long)sizeof(struct btf_type) + extra, off, left);
			return -EINVAL;
		}
		if (btf->offs)
			btf->offs[id] = off;
		off += (uint32_t)(sizeof(struct btf_type) + extra);
		id++;
	}
	*count = id;
	return 0;
}

static int check_name(const struct ibpf_btf *btf, uint32_t id, uint32_t name_off,
		      const char *what, char *err, size_t errsz)
{
	if (name_off < btf->strs_len)
		return 0;
	seterr(err, errsz, "BTF: type %u (%s): %s name offset %u is outside the string "
	       "section (%u bytes)", id, kind_name(t_kind(ibpf_btf_type(btf, id))), what,
	       name_off, btf->strs_len);
	return -EINVAL;
}

static int check_ref(const struct ibpf_btf *btf, uint32_t id, uint32_t ref,
		     const char *what, char *err, size_t errsz)
{
	if (ref < btf->cnt)
		return 0;
	seterr(err, errsz, "BTF: type %u (%s): %s refers to type %u, but the last type "
	       "is %u", id, kind_name(t_kind(ibpf_btf_type(btf, id))), what, ref,
	       btf->cnt - 1);
	return -EINVAL;
}

/* Pass 2: every name offset and type reference is in range. */
static int check_refs(const struct ibpf_btf *btf, char *err, size_t errsz)
{
	for (uint32_t id = 1; id < btf->cnt; id++) {
		const struct btf_type *t = ibpf_btf_type(btf, id);
		unsigned vlen = t_vlen(t);
		int e;

		if ((e = check_name(btf, id, t->name_off, "its", err, errsz)))
			return e;
		switch (t_kind(t)) {
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_FUNC:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			if ((e = check_ref(btf, id, t->type, "it", err, errsz)))
				return e;
			break;
		case BTF_KIND_ARRAY: {
			const struct btf_array *a = (const struct btf_array *)(t + 1);
			if ((e = check_ref(btf, id, a->type, "its element type", err, errsz)) ||
			    (e = check_ref(btf, id, a->index_type, "its index type", err, errsz)))
				return e;
			break;
		}
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION: {
			const struct btf_member *m = (const struct btf_member *)(t + 1);
			for (unsigned i = 0; i < vlen; i++) {
				if ((e = check_name(btf, id, m[i].name_off, "a member", err, errsz)) ||
				    (e = check_ref(btf, id, m[i].type, "a member", err, errsz)))
					return e;
			}
			break;
		}
		case BTF_KIND_ENUM: {
			const struct btf_enum *en = (const struct btf_enum *)(t + 1);
			for (unsigned i = 0; i < vlen; i++)
				if ((e = check_name(btf, id, en[i].name_off, "an enumerator", err, errsz)))
					return e;
			break;
		}
		case BTF_KIND_ENUM64: {
			const struct btf_enum64 *en = (const struct btf_enum64 *)(t + 1);
			for (unsigned i = 0; i < vlen; i++)
				if ((e = check_name(btf, id, en[i].name_off, "an enumerator", err, errsz)))
					return e;
			break;
		}
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *p = (const struct btf_param *)(t + 1);
			if ((e = check_ref(btf, id, t->type, "its return type", err, errsz)))
				return e;
			for (unsigned i = 0; i < vlen; i++) {
				if ((e = check_name(btf, id, p[i].name_off, "a parameter", err, errsz)) ||
				    (e = check_ref(btf, id, p[i].type, "a parameter", err, errsz)))
					return e;
			}
			break;
		}
		case BTF_KIND_DATASEC: {
			const struct btf_var_secinfo *v = (const struct btf_var_secinfo *)(t + 1);
			for (unsigned i = 0; i < vlen; i++)
				if ((e = check_ref(btf, id, v[i].type, "a variable", err, errsz)))
					return e;
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* The one type a kind refers to when it refers to exactly one, else 0. */
static uint32_t single_ref(const struct btf_type *t)
{
	switch (t_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return t->type;
	case BTF_KIND_ARRAY:
		return ((const struct btf_array *)(t + 1))->type;
	default:
		return 0;
	}
}

/* Pass 3: no cycle in the graph where each type points to its single_ref().
 * Each node has at most one successor, so one walk per unvisited node with
 * three colours finds every cycle in linear time. */
static int check_cycles(const struct ibpf_btf *btf, char *err, size_t errsz)
{
	unsigned char *state = calloc(btf->cnt, 1);   /* 0 new, 1 on path, 2 done */

	if (!state) {
		seterr(err, errsz, "BTF: out of memory");
		return -ENOMEM;
	}
	for (uint32_t start = 1; start < btf->cnt; start++) {
		uint32_t id = start;

		while (id && state[id] == 0) {
			state[id] = 1;
			id = single_ref(ibpf_btf_type(btf, id));
		}
		if (id && state[id] == 1) {
			seterr(err, errsz, "BTF: type %u (%s) is part of a reference cycle",
			       id, kind_name(t_kind(ibpf_btf_type(btf, id))));
			free(state);
			return -EINVAL;
		}
		for (id = start; id && state[id] == 1; id = single_ref(ibpf_btf_type(btf, id)))
			state[id] = 2;
	}
	free(state);
	return 0;
}

int ibpf_btf_parse(const void *data, size_t size, struct ibpf_btf **out,
		   char *err, size_t errsz)
{
	struct btf_header hdr;
	struct ibpf_btf *btf;
	uint64_t body, type_end, str_end;
	uint32_t count = 0;
	int e;

	if (!out) {
		seterr(err, errsz, "BTF: no output pointer");
		return -EINVAL;
	}
	*out = NULL;
	if (!data && size) {
		seterr(err, errsz, "BTF: no data");
		return -EINVAL;
	}
	if (size < sizeof(hdr)) {
		seterr(err, errsz, "BTF: section is %zu bytes, too short for the %zu-byte header",
		       size, sizeof(hdr));
		return -EINVAL;
	}
	memcpy(&hdr, data, sizeof(hdr));
	if (hdr.magic != BTF_MAGIC) {
		if (hdr.magic == 0x9FEB)
			seterr(err, errsz, "BTF: big-endian BTF (magic bytes eb 9f) is not supported");
		else
			seterr(err, errsz, "BTF: bad magic 0x%04x (expected 0x%04x)", hdr.magic,
			       BTF_MAGIC);
		return -EINVAL;
	}
	if (hdr.version != BTF_VERSION) {
		seterr(err, errsz, "BTF: unsupported version %u (expected %u)", hdr.version,
		       BTF_VERSION);
		return -EINVAL;
	}
	if (hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > size) {
		seterr(err, errsz, "BTF: header length %u is out of range (at least %zu, at most "
		       "the section size %zu)", hdr.hdr_len, sizeof(hdr), size);
		return -EINVAL;
	}
	body = size - hdr.hdr_len;
	type_end = (uint64_t)hdr.type_off + hdr.type_len;
	str_end = (uint64_t)hdr.str_off + hdr.str_len;
	if (type_end > body) {
		seterr(err, errsz, "BTF: type section (offset %u, length %u) runs past the end "
		       "of the data (%llu bytes after the header)", hdr.type_off, hdr.type_len,
		       (unsigned long long)body);
		return -EINVAL;
	}
	if (str_end > body) {
		seterr(err, errsz, "BTF: string section (offset %u, length %u) runs past the end "
		       "of the data (%llu bytes after the header)", hdr.str_off, hdr.str_len,
		       (unsigned long long)body);
		return -EINVAL;
	}
	if (hdr.type_off % 4) {
		seterr(err, errsz, "BTF: type section offset %u is not 4-byte aligned", hdr.type_off);
		return -EINVAL;
	}
	if (hdr.type_len && hdr.str_len && hdr.type_off < str_end && hdr.str_off < type_end) {
		seterr(err, errsz, "BTF: type section [%u, %llu) overlaps string section [%u, %llu)",
		       hdr.type_off, (unsigned long long)type_end, hdr.str_off,
		       (unsigned long long)str_end);
		return -EINVAL;
	}
	if (hdr.str_len == 0 || hdr.str_len > BTF_MAX_NAME_OFFSET + 1u) {
		seterr(err, errsz, "BTF: string section length %u is out of range (1..%u)",
		       hdr.str_len, BTF_MAX_NAME_OFFSET + 1u);
		return -EINVAL;
	}

	btf = calloc(1, sizeof(*btf));
	if (!btf) {
		seterr(err, errsz, "BTF: out of memory");
		return -ENOMEM;
	}
	btf->types_len = hdr.type_len;
	btf->strs_len = hdr.str_len;
	btf->types = malloc(hdr.type_len ? hdr.type_len : 1);
	btf->strs = malloc(hdr.str_len);
	if (!btf->types || !btf->strs) {
		e = -ENOMEM;
		seterr(err, errsz, "BTF: out of memory");
		goto fail;
	}
	memcpy(btf->types, (const unsigned char *)data + hdr.hdr_len + hdr.type_off, hdr.type_len);
	memcpy(btf->strs, (const unsigned char *)data + hdr.hdr_len + hdr.str_off, hdr.str_len);
	if (btf->strs[0] != '\0') {
		seterr(err, errsz, "BTF: string section does not start with an empty string");
		e = -EINVAL;
		goto fail;
	}
	if (btf->strs[hdr.str_len - 1] != '\0') {
		seterr(err, errsz, "BTF: string section (%u bytes) does not end with a NUL byte",
		       hdr.str_len);
		e = -EINVAL;
		goto fail;
	}

	if ((e = walk_types(btf, &count, err, errsz)))
		goto fail;
	btf->offs = calloc(count, sizeof(*btf->offs));
	if (!btf->offs) {
		e = -ENOMEM;
		seterr(err, errsz, "BTF: out of memory");
		goto fail;
	}
	if ((e = walk_types(btf, &count, err, errsz)))
		goto fail;
	btf->cnt = count;
	if ((e = check_refs(btf, err, errsz)) || (e = check_cycles(btf, err, errsz)))
		goto fail;
	*out = btf;
	return 0;
fail:
	ibpf_btf_free(btf);
	return e;
}

/* ---- function signatures, as bpftool prints them ------------------------- */

struct sig {
	char *buf;
	size_t size, pos;
	int err;                  /* first error, 0 while rendering goes well */
};

static void sig_put(struct sig *s, const char *str)
{
	size_t n = strlen(str);

	if (s->err)
		return;
	if (n >= s->size - s->pos) {
		s->err = -ENOSPC;
		return;
	}
	memcpy(s->buf + s->pos, str, n + 1);
	s->pos += n;
}

static void sig_put2(struct sig *s, const char *a, const char *b, const char *c)
{
	sig_put(s, a);
	sig_put(s, b);
	sig_put(s, c);
}

static void render_func(const struct ibpf_btf *btf, struct sig *s,
			const struct btf_type *proto, const char *name, int depth);

static void render_type(const struct ibpf_btf *btf, struct sig *s, uint32_t id, int depth)
{
	const struct btf_type *t;
	char num[16];

	if (s->err)
		return;
	if (depth > BTF_MAX_DEPTH) {
		s->err = -ELOOP;
		return;
	}
	if (id == 0) {
		sig_put(s, "void ");
		return;
	}
	t = ibpf_btf_type(btf, id);
	if (!t) {
		s->err = -EINVAL;
		return;
	}
	switch (t_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		sig_put2(s, t_name(btf, t), " ", "");
		break;
	case BTF_KIND_STRUCT:
		sig_put2(s, "struct ", t_name(btf, t), " ");
		break;
	case BTF_KIND_UNION:
		sig_put2(s, "union ", t_name(btf, t), " ");
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		sig_put2(s, "enum ", t_name(btf, t), " ");
		break;
	case BTF_KIND_FWD:
		sig_put2(s, t_kflag(t) ? "union " : "struct ", t_name(btf, t), " ");
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const struct btf_array *)(t + 1);
		render_type(btf, s, a->type, depth + 1);
		snprintf(num, sizeof(num), "[%u]", a->nelems);
		sig_put(s, num);
		break;
	}
	case BTF_KIND_PTR:
		render_type(btf, s, t->type, depth + 1);
		sig_put(s, "* ");
		break;
	case BTF_KIND_VOLATILE:
		sig_put(s, "volatile ");
		render_type(btf, s, t->type, depth + 1);
		break;
	case BTF_KIND_CONST:
		sig_put(s, "const ");
		render_type(btf, s, t->type, depth + 1);
		break;
	case BTF_KIND_RESTRICT:
		sig_put(s, "restrict ");
		render_type(btf, s, t->type, depth + 1);
		break;
	case BTF_KIND_FUNC_PROTO:
		render_func(btf, s, t, NULL, depth + 1);
		break;
	case BTF_KIND_FUNC: {
		const struct btf_type *proto = ibpf_btf_type(btf, t->type);
		if (!proto || t_kind(proto) != BTF_KIND_FUNC_PROTO) {
			s->err = -EINVAL;
			return;
		}
		render_func(btf, s, proto, t_name(btf, t), depth + 1);
		break;
	}
	default:        /* TYPE_TAG, DECL_TAG, VAR, DATASEC: bpftool prints nothing */
		s->err = -EOPNOTSUPP;
		break;
	}
}

static void render_func(const struct ibpf_btf *btf, struct sig *s,
			const struct btf_type *proto, const char *name, int depth)
{
	const struct btf_param *p = (const struct btf_param *)(proto + 1);

	render_type(btf, s, proto->type, depth + 1);
	sig_put2(s, name ? name : "", "(", "");
	for (unsigned i = 0; i < t_vlen(proto) && !s->err; i++) {
		if (i)
			sig_put(s, ", ");
		if (p[i].type == 0) {
			sig_put(s, "...");
			continue;
		}
		render_type(btf, s, p[i].type, depth + 1);
		if (s->err)
			return;
		if (p[i].name_off) {
			sig_put(s, ibpf_btf_str(btf, p[i].name_off));
		} else if (s->pos && s->buf[s->pos - 1] == ' ') {
			s->buf[--s->pos] = '\0';     /* unnamed: drop the type's trailing space */
		}
	}
	sig_put(s, ")");
}

/* Returns 0; -EINVAL if func_id is not a FUNC with a FUNC_PROTO (or the BTF
 * behind it is inconsistent); -EOPNOTSUPP for a type bpftool cannot render
 * (TYPE_TAG), where bpftool prints no header line; -ENOSPC if buf is too
 * small; -ELOOP if types nest deeper than BTF_MAX_DEPTH.  On error buf is "". */
int ibpf_btf_func_signature(const struct ibpf_btf *btf, uint32_t func_id,
			    char *buf, size_t size)
{
	const struct btf_type *t = ibpf_btf_type(btf, func_id), *proto;
	struct sig s = { buf, size, 0, 0 };

	if (!buf || !size)
		return -ENOSPC;
	buf[0] = '\0';
	if (!t || t_kind(t) != BTF_KIND_FUNC)
		return -EINVAL;
	proto = ibpf_btf_type(btf, t->type);
	if (!proto || t_kind(proto) != BTF_KIND_FUNC_PROTO)
		return -EINVAL;
	render_type(btf, &s, func_id, 0);
	if (s.err) {
		buf[0] = '\0';
		return s.err;
	}
	return 0;
}

/* ---- BTF-defined maps ---------------------------------------------------- */

/* The value of a map definition member: __uint(name, N) is a pointer to an
 * array of N elements; __ulong(name, N) is an anonymous enum with the single
 * enumerator N (ENUM64 when N needs 64 bits; clang-14 truncates such values
 * to 32 bits in a size-8 ENUM, nothing to recover there). */
static int map_field_value(const struct ibpf_btf *btf, const char *map, const char *field,
			   uint32_t type_id, uint64_t *val, char *err, size_t errsz)
{
	const struct btf_type *t = ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, type_id));

	if (t && t_kind(t) == BTF_KIND_PTR) {
		const struct btf_type *a = ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, t->type));
		if (a && t_kind(a) == BTF_KIND_ARRAY) {
			*val = ((const struct btf_array *)(a + 1))->nelems;
			return 0;
		}
	} else if (t && t_kind(t) == BTF_KIND_ENUM && t_vlen(t) == 1) {
		const struct btf_enum *e = (const struct btf_enum *)(t + 1);
		/* kflag set: signed enum, sign-extend (clang-19 writes -1 so) */
		*val = t_kflag(t) ? (uint64_t)(int64_t)e->val : (uint64_t)(uint32_t)e->val;
		return 0;
	} else if (t && t_kind(t) == BTF_KIND_ENUM64 && t_vlen(t) == 1) {
		const struct btf_enum64 *e = (const struct btf_enum64 *)(t + 1);
		*val = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
		return 0;
	}
	seterr(err, errsz, "BTF map '%s': member '%s' is neither __uint() (a pointer to an "
	       "array) nor __ulong() (an enum with one value)", map, field);
	return -EINVAL;
}

static int map_field_u32(const struct ibpf_btf *btf, const char *map, const char *field,
			 uint32_t type_id, uint32_t *val, char *err, size_t errsz)
{
	uint64_t v;
	int e = map_field_value(btf, map, field, type_id, &v, err, errsz);

	if (e)
		return e;
	if (v > UINT32_MAX) {
		seterr(err, errsz, "BTF map '%s': %s value %llu does not fit in 32 bits", map,
		       field, (unsigned long long)v);
		return -EINVAL;
	}
	*val = (uint32_t)v;
	return 0;
}

/* __type(key, T): a pointer to T; the size is sizeof(T). */
static int map_field_type_size(const struct ibpf_btf *btf, const char *map, const char *field,
			       uint32_t type_id, uint32_t *size, char *err, size_t errsz)
{
	const struct btf_type *t = ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, type_id));
	long sz;

	if (!t || t_kind(t) != BTF_KIND_PTR) {
		seterr(err, errsz, "BTF map '%s': member '%s' is not __type() (a pointer to the "
		       "%s type)", map, field, field);
		return -EINVAL;
	}
	sz = ibpf_btf_type_size(btf, t->type);
	if (sz < 0 || sz > UINT32_MAX) {
		seterr(err, errsz, "BTF map '%s': cannot size the %s type (type %u)", map, field,
		       t->type);
		return -EINVAL;
	}
	*size = (uint32_t)sz;
	return 0;
}

static int parse_map(const struct ibpf_btf *btf, const struct btf_var_secinfo *vi,
		     struct ibpf_btf_map_def *def, char *err, size_t errsz)
{
	const struct btf_type *var = ibpf_btf_type(btf, vi->type), *st;
	const struct btf_member *m;
	uint32_t key_type_size = 0, value_type_size = 0;
	bool have_key_type = false, have_value_type = false;
	bool have_key_size = false, have_value_size = false;
	int e = 0;

	if (!var || t_kind(var) != BTF_KIND_VAR) {
		seterr(err, errsz, "BTF: .maps entry at offset %u is type %u (%s), not a VAR",
		       vi->offset, vi->type, var ? kind_name(t_kind(var)) : "void");
		return -EINVAL;
	}
	memset(def, 0, sizeof(*def));
	def->name = t_name(btf, var);
	def->sec_offset = vi->offset;
	st = ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, var->type));
	if (!st || t_kind(st) != BTF_KIND_STRUCT) {
		seterr(err, errsz, "BTF map '%s': definition is %s, not a struct", def->name,
		       st ? kind_name(t_kind(st)) : "void");
		return -EINVAL;
	}
	m = (const struct btf_member *)(st + 1);
	for (unsigned i = 0; i < t_vlen(st) && !e; i++) {
		const char *f = ibpf_btf_str(btf, m[i].name_off);

		if (!strcmp(f, "type"))
			e = map_field_u32(btf, def->name, f, m[i].type, &def->type, err, errsz);
		else if (!strcmp(f, "max_entries"))
			e = map_field_u32(btf, def->name, f, m[i].type, &def->max_entries, err, errsz);
		else if (!strcmp(f, "map_flags"))
			e = map_field_u32(btf, def->name, f, m[i].type, &def->map_flags, err, errsz);
		else if (!strcmp(f, "map_extra"))
			e = map_field_value(btf, def->name, f, m[i].type, &def->map_extra, err, errsz);
		else if (!strcmp(f, "key_size")) {
			e = map_field_u32(btf, def->name, f, m[i].type, &def->key_size, err, errsz);
			have_key_size = true;
		} else if (!strcmp(f, "value_size")) {
			e = map_field_u32(btf, def->name, f, m[i].type, &def->value_size, err, errsz);
			have_value_size = true;
		} else if (!strcmp(f, "key")) {
			e = map_field_type_size(btf, def->name, f, m[i].type, &key_type_size, err, errsz);
			have_key_type = true;
		} else if (!strcmp(f, "value")) {
			e = map_field_type_size(btf, def->name, f, m[i].type, &value_type_size, err, errsz);
			have_value_type = true;
		}
		/* "values", "pinning", "numa_node" and unknown members: ignored */
	}
	if (e)
		return e;
	if (have_key_type) {
		if (have_key_size && def->key_size != key_type_size) {
			seterr(err, errsz, "BTF map '%s': conflicting key size: key_size is %u, "
			       "__type(key) is %u bytes", def->name, def->key_size, key_type_size);
			return -EINVAL;
		}
		def->key_size = key_type_size;
	}
	if (have_value_type) {
		if (have_value_size && def->value_size != value_type_size) {
			seterr(err, errsz, "BTF map '%s': conflicting value size: value_size is %u, "
			       "__type(value) is %u bytes", def->name, def->value_size,
			       value_type_size);
			return -EINVAL;
		}
		def->value_size = value_type_size;
	}
	return 0;
}

/* sec_offset is the DATASEC's var_secinfo offset as stored in the BTF.
 * clang (14 and 19) writes 0 there for every variable and leaves the real
 * offsets to the ELF symbol table (libbpf patches the DATASEC from the
 * symbols before loading), so a loader should place each map by the symbol
 * of the same name in the section. */
int ibpf_btf_maps(const struct ibpf_btf *btf, const char *sec,
		  struct ibpf_btf_map_def **out, size_t *cnt, char *err, size_t errsz)
{
	const struct btf_type *ds;
	const struct btf_var_secinfo *vi;
	struct ibpf_btf_map_def *defs;
	uint32_t id;
	unsigned n;

	if (!out || !cnt) {
		seterr(err, errsz, "BTF: no output pointer");
		return -EINVAL;
	}
	*out = NULL;
	*cnt = 0;
	if (!btf || !sec)
		return 0;
	id = ibpf_btf_find(btf, BTF_KIND_DATASEC, sec);
	if (!id)
		return 0;
	ds = ibpf_btf_type(btf, id);
	n = t_vlen(ds);
	if (!n)
		return 0;
	defs = calloc(n, sizeof(*defs));
	if (!defs) {
		seterr(err, errsz, "BTF: out of memory");
		return -ENOMEM;
	}
	vi = (const struct btf_var_secinfo *)(ds + 1);
	for (unsigned i = 0; i < n; i++) {
		int e = parse_map(btf, &vi[i], &defs[i], err, errsz);
		if (e) {
			free(defs);
			return e;
		}
	}
	*out = defs;
	*cnt = n;
	return 0;
}

/* ---- .BTF.ext ------------------------------------------------------------ */

/* The .BTF.ext header as clang writes it; core_relo_off/len only when
 * hdr_len covers them.  Not in the UAPI headers. */
#define EXT_HDR_MIN 24u           /* up to and including line_info_len */
#define FUNC_REC_MIN 8u           /* insn_off, type_id */
#define LINE_REC_MIN 16u          /* insn_off, file_name_off, line_off, line_col */

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

void ibpf_btf_ext_free(struct ibpf_btf_ext *ext)
{
	if (!ext)
		return;
	for (size_t i = 0; i < ext->nsecs; i++) {
		free(ext->secs[i].funcs);
		free(ext->secs[i].lines);
	}
	free(ext->secs);
	free(ext);
}

const struct ibpf_btf_ext_sec *ibpf_btf_ext_find(const struct ibpf_btf_ext *ext,
						 const char *sec_name)
{
	if (!ext || !sec_name)
		return NULL;
	for (size_t i = 0; i < ext->nsecs; i++)
		if (!strcmp(ext->secs[i].pub.sec_name, sec_name))
			return &ext->secs[i].pub;
	return NULL;
}

static struct ext_sec *ext_sec_get(struct ibpf_btf_ext *ext, const char *name)
{
	struct ext_sec *s;

	for (size_t i = 0; i < ext->nsecs; i++)
		if (!strcmp(ext->secs[i].pub.sec_name, name))
			return &ext->secs[i];
	s = realloc(ext->secs, (ext->nsecs + 1) * sizeof(*s));
	if (!s)
		return NULL;
	ext->secs = s;
	s = &ext->secs[ext->nsecs++];
	memset(s, 0, sizeof(*s));
	s->pub.sec_name = name;
	return s;
}

static int ext_func_recs(const struct ibpf_btf *btf, struct ext_sec *s, const char *sec,
			 const unsigned char *p, uint32_t rec_size, uint32_t n,
			 char *err, size_t errsz)
{
	size_t old = s->pub.func_cnt;
	struct ibpf_btf_func_rec *r = realloc(s->funcs, (old + n) * sizeof(*r));

	if (!r) {
		seterr(err, errsz, "BTF.ext: out of memory");
		return -ENOMEM;
	}
	s->funcs = r;
	s->pub.funcs = r;
	for (uint32_t i = 0; i < n; i++, p += rec_size) {
		const struct btf_type *t;
		uint32_t insn_off = rd32(p), type_id = rd32(p + 4);

		if (insn_off % 8) {
			seterr(err, errsz, "BTF.ext: func_info record %u of section '%s': insn_off "
			       "%u is not a multiple of 8", i, sec, insn_off);
			return -EINVAL;
		}
		t = ibpf_btf_type(btf, type_id);
		if (!t || t_kind(t) != BTF_KIND_FUNC) {
			seterr(err, errsz, "BTF.ext: func_info record %u of section '%s' refers to "
			       "type %u, which is not a FUNC", i, sec, type_id);
			return -EINVAL;
		}
		r[old + i].insn_off = insn_off;
		r[old + i].type_id = type_id;
		s->pub.func_cnt = old + i + 1;
	}
	return 0;
}

static int ext_line_recs(const struct ibpf_btf *btf, struct ext_sec *s, const char *sec,
			 const unsigned char *p, uint32_t rec_size, uint32_t n,
			 char *err, size_t errsz)
{
	size_t old = s->pub.line_cnt;
	struct ibpf_btf_line_rec *r = realloc(s->lines, (old + n) * sizeof(*r));

	if (!r) {
		seterr(err, errsz, "BTF.ext: out of memory");
		return -ENOMEM;
	}
	s->lines = r;
	s->pub.lines = r;
	for (uint32_t i = 0; i < n; i++, p += rec_size) {
		uint32_t insn_off = rd32(p), file_off = rd32(p + 4);
		uint32_t line_off = rd32(p + 8), line_col = rd32(p + 12);
		const char *file = ibpf_btf_str(btf, file_off), *line = ibpf_btf_str(btf, line_off);

		if (insn_off % 8) {
			seterr(err, errsz, "BTF.ext: line_info record %u of section '%s': insn_off "
			       "%u is not a multiple of 8", i, sec, insn_off);
			return -EINVAL;
		}
		if (!file || !line) {
			seterr(err, errsz, "BTF.ext: line_info record %u of section '%s': %s offset "
			       "%u is outside the BTF strings", i, sec, !file ? "file name" : "line",
			       !file ? file_off : line_off);
			return -EINVAL;
		}
		r[old + i].insn_off = insn_off;
		r[old + i].file = file;
		r[old + i].line = line;
		r[old + i].line_num = line_col >> 10;
		r[old + i].line_col = line_col & 0x3ff;
		s->pub.line_cnt = old + i + 1;
	}
	return 0;
}

/* One info block: u32 rec_size, then per ELF section: sec_name_off, num_info,
 * num_info records of rec_size bytes (extra bytes past what we read skipped). */
static int ext_block(const struct ibpf_btf *btf, struct ibpf_btf_ext *ext, const char *what,
		     bool is_line, const unsigned char *data, uint32_t len,
		     char *err, size_t errsz)
{
	uint32_t min = is_line ? LINE_REC_MIN : FUNC_REC_MIN, rec_size, pos = 4;

	if (len < 4) {
		seterr(err, errsz, "BTF.ext: %s is %u bytes, too short for its record size",
		       what, len);
		return -EINVAL;
	}
	rec_size = rd32(data);
	if (rec_size < min || rec_size % 4) {
		seterr(err, errsz, "BTF.ext: %s record size %u is invalid (at least %u, a "
		       "multiple of 4)", what, rec_size, min);
		return -EINVAL;
	}
	while (pos < len) {
		uint32_t name_off, n;
		const char *name;
		struct ext_sec *s;
		int e;

		if (len - pos < 8) {
			seterr(err, errsz, "BTF.ext: %s section header at byte %u is truncated "
			       "(%u bytes left, need 8)", what, pos, len - pos);
			return -EINVAL;
		}
		name_off = rd32(data + pos);
		n = rd32(data + pos + 4);
		pos += 8;
		name = ibpf_btf_str(btf, name_off);
		if (!name || !*name) {
			seterr(err, errsz, "BTF.ext: %s section name offset %u is not a name in the "
			       "BTF strings", what, name_off);
			return -EINVAL;
		}
		if (n == 0) {
			seterr(err, errsz, "BTF.ext: %s of section '%s' has no records", what, name);
			return -EINVAL;
		}
		if ((uint64_t)n * rec_size > len - pos) {
			seterr(err, errsz, "BTF.ext: %s of section '%s' claims %u records of %u "
			       "bytes, but only %u bytes are left", what, name, n, rec_size,
			       len - pos);
			return -EINVAL;
		}
		s = ext_sec_get(ext, name);
		if (!s) {
			seterr(err, errsz, "BTF.ext: out of memory");
			return -ENOMEM;
		}
		e = is_line ? ext_line_recs(btf, s, name, data + pos, rec_size, n, err, errsz)
			    : ext_func_recs(btf, s, name, data + pos, rec_size, n, err, errsz);
		if (e)
			return e;
		pos += n * rec_size;
	}
	return 0;
}

/* Checks that [off, off+len) lies in the data after the header. */
static int ext_range(const char *what, uint32_t hdr_len, uint32_t off, uint32_t len,
		     size_t size, char *err, size_t errsz)
{
	if ((uint64_t)hdr_len + off + len > size) {
		seterr(err, errsz, "BTF.ext: %s (offset %u, length %u) runs past the end of the "
		       "section (%zu bytes, header %u)", what, off, len, size, hdr_len);
		return -EINVAL;
	}
	return 0;
}

int ibpf_btf_ext_parse(const void *data, size_t size, const struct ibpf_btf *btf,
		       struct ibpf_btf_ext **out, char *err, size_t errsz)
{
	const unsigned char *d = data;
	uint32_t hdr_len, func_off, func_len, line_off, line_len;
	struct ibpf_btf_ext *ext;
	uint16_t magic;
	int e;

	if (!out) {
		seterr(err, errsz, "BTF.ext: no output pointer");
		return -EINVAL;
	}
	*out = NULL;
	if (!btf) {
		seterr(err, errsz, "BTF.ext: needs the .BTF section for its strings");
		return -EINVAL;
	}
	if (!d || size < 8) {
		seterr(err, errsz, "BTF.ext: section is %zu bytes, too short for a header", size);
		return -EINVAL;
	}
	memcpy(&magic, d, sizeof(magic));
	if (magic != BTF_MAGIC) {
		if (magic == 0x9FEB)
			seterr(err, errsz, "BTF.ext: big-endian BTF.ext (magic bytes eb 9f) is not "
			       "supported");
		else
			seterr(err, errsz, "BTF.ext: bad magic 0x%04x (expected 0x%04x)", magic,
			       BTF_MAGIC);
		return -EINVAL;
	}
	if (d[2] != 1) {
		seterr(err, errsz, "BTF.ext: unsupported version %u (expected 1)", d[2]);
		return -EINVAL;
	}
	hdr_len = rd32(d + 4);
	if (hdr_len < EXT_HDR_MIN || hdr_len > size) {
		seterr(err, errsz, "BTF.ext: header length %u is out of range (at least %u, at "
		       "most the section size %zu)", hdr_len, EXT_HDR_MIN, size);
		return -EINVAL;
	}
	func_off = rd32(d + 8);
	func_len = rd32(d + 12);
	line_off = rd32(d + 16);
	line_len = rd32(d + 20);
	if ((e = ext_range("func_info", hdr_len, func_off, func_len, size, err, errsz)) ||
	    (e = ext_range("line_info", hdr_len, line_off, line_len, size, err, errsz)))
		return e;
	if (hdr_len >= EXT_HDR_MIN + 8 &&
	    (e = ext_range("core_relo", hdr_len, rd32(d + 24), rd32(d + 28), size, err, errsz)))
		return e;

	ext = calloc(1, sizeof(*ext));
	if (!ext) {
		seterr(err, errsz, "BTF.ext: out of memory");
		return -ENOMEM;
	}
	if (func_len &&
	    (e = ext_block(btf, ext, "func_info", false, d + hdr_len + func_off, func_len,
			   err, errsz)))
		goto fail;
	if (line_len &&
	    (e = ext_block(btf, ext, "line_info", true, d + hdr_len + line_off, line_len,
			   err, errsz)))
		goto fail;
	*out = ext;
	return 0;
fail:
	ibpf_btf_ext_free(ext);
	return e;
}
