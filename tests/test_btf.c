/* test_btf.c - .BTF / .BTF.ext parsing (src/elf/btf.c).
 *
 * The real objects are tests/progs/btf_sample.bpf.c compiled by clang-19 and
 * clang-14; their sections are read here with libelf directly, so these tests
 * do not depend on the rest of the loader.  Signature strings are exactly
 * what `bpftool prog dump xlated` (v7.1.0) printed for that object loaded
 * into the kernel.  Hand-built BTF blobs cover the kinds and the malformed
 * inputs clang never writes. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "elf/btf.h"

#define CHECK_STR_EQ(a, b) do {                                              \
	const char *_x = (a), *_y = (b);                                     \
	if (!_x || strcmp(_x, _y)) {                                         \
		fprintf(stderr, "  %s:%d: expected \"%s\", got \"%s\"\n",    \
			__FILE__, __LINE__, _y, _x ? _x : "(null)");         \
		test_failed = 1; return;                                     \
	} } while (0)

/* ---- reading the test objects with libelf --------------------------------- */

struct sym {
	char name[64];
	char sec[64];
	uint64_t value;
	int type;                 /* STT_* */
};

struct obj {
	unsigned char *btf, *ext;
	size_t btf_size, ext_size;
	struct sym syms[128];
	int nsyms;
};

static void obj_free(struct obj *o)
{
	free(o->btf);
	free(o->ext);
	memset(o, 0, sizeof(*o));
}

static unsigned char *copy_data(Elf_Scn *scn, size_t *size)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	unsigned char *p;

	if (!d || !d->d_buf)
		return NULL;
	p = malloc(d->d_size ? d->d_size : 1);
	if (p)
		memcpy(p, d->d_buf, d->d_size);
	*size = d->d_size;
	return p;
}

static const char *scn_name(Elf *e, size_t shstrndx, size_t idx)
{
	Elf_Scn *scn = elf_getscn(e, idx);
	GElf_Shdr sh;
	const char *n;

	if (!scn || !gelf_getshdr(scn, &sh))
		return "";
	n = elf_strptr(e, shstrndx, sh.sh_name);
	return n ? n : "";
}

/* 0 on success; fills .BTF, .BTF.ext and the symbol table. */
static int obj_read(const char *path, struct obj *o)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *e;
	int fd;

	memset(o, 0, sizeof(*o));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "  cannot open %s (built by the Makefile from tests/progs)\n", path);
		return -1;
	}
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getshdrstrndx(e, &shstrndx)) {
		if (e)
			elf_end(e);
		close(fd);
		return -1;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, ".BTF"))
			o->btf = copy_data(scn, &o->btf_size);
		else if (!strcmp(name, ".BTF.ext"))
			o->ext = copy_data(scn, &o->ext_size);
		else if (sh.sh_type == SHT_SYMTAB) {
			Elf_Data *d = elf_getdata(scn, NULL);
			size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;

			for (size_t i = 0; d && i < n && o->nsyms < 128; i++) {
				GElf_Sym s;
				const char *sn;
				struct sym *out = &o->syms[o->nsyms];

				if (!gelf_getsym(d, (int)i, &s))
					continue;
				sn = elf_strptr(e, sh.sh_link, s.st_name);
				if (!sn || !*sn || s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE)
					continue;
				snprintf(out->name, sizeof(out->name), "%s", sn);
				snprintf(out->sec, sizeof(out->sec), "%s",
					 scn_name(e, shstrndx, s.st_shndx));
				out->value = s.st_value;
				out->type = GELF_ST_TYPE(s.st_info);
				o->nsyms++;
			}
		}
	}
	elf_end(e);
	close(fd);
	return o->btf ? 0 : -1;
}

static const struct sym *sym_at(const struct obj *o, const char *sec, uint64_t value, int type)
{
	for (int i = 0; i < o->nsyms; i++)
		if (o->syms[i].type == type && o->syms[i].value == value &&
		    !strcmp(o->syms[i].sec, sec))
			return &o->syms[i];
	return NULL;
}

static int count_syms(const struct obj *o, const char *sec, int type)
{
	int n = 0;

	for (int i = 0; i < o->nsyms; i++)
		n += o->syms[i].type == type && !strcmp(o->syms[i].sec, sec);
	return n;
}

static const struct sym *sym_named(const struct obj *o, const char *name)
{
	for (int i = 0; i < o->nsyms; i++)
		if (!strcmp(o->syms[i].name, name))
			return &o->syms[i];
	return NULL;
}

/* ---- the sample object ---------------------------------------------------- */

/* What bpftool v7.1.0 printed for btf_sample (see the comment at the top of
 * tests/progs/btf_sample.bpf.c), the same for clang-19 and clang-14. */
static const struct { const char *name, *sig; } sample_sigs[] = {
	{ "simple_test", "int simple_test(struct simple_ctx * ctx)" },
	{ "pick_slot", "slot_t pick_slot(const struct simple_ctx * ctx, unsigned int nslots)" },
	{ "record", "void record(struct sample_val * v, __u64 bytes)" },
	{ "run_loop", "long run_loop(long (__u32, void *)* cb, void * data)" },
	{ "loop_cb", "long loop_cb(__u32 index, void * data)" },
	{ "global_update", "int global_update(struct simple_ctx * ctx, __u32 slot)" },
	{ "no_args", "int no_args()" },
};

static void check_sample_btf(const struct ibpf_btf *btf)
{
	char buf[256];
	uint32_t id;

	CHECK(ibpf_btf_type_cnt(btf) > 20);
	CHECK(ibpf_btf_type(btf, 0) == NULL);
	CHECK(ibpf_btf_type(btf, ibpf_btf_type_cnt(btf)) == NULL);
	CHECK_STR_EQ(ibpf_btf_str(btf, 0), "");
	CHECK(ibpf_btf_str(btf, 0xffffffffu) == NULL);

	for (size_t i = 0; i < sizeof(sample_sigs) / sizeof(sample_sigs[0]); i++) {
		id = ibpf_btf_find(btf, BTF_KIND_FUNC, sample_sigs[i].name);
		CHECK(id != 0);
		CHECK_EQ(ibpf_btf_func_signature(btf, id, buf, sizeof(buf)), 0);
		CHECK_STR_EQ(buf, sample_sigs[i].sig);
	}
	/* too small a buffer: an error and an empty string, never a cut line */
	id = ibpf_btf_find(btf, BTF_KIND_FUNC, "simple_test");
	CHECK_EQ(ibpf_btf_func_signature(btf, id, buf, 10), -ENOSPC);
	CHECK_STR_EQ(buf, "");
	CHECK_EQ(ibpf_btf_func_signature(btf, id, buf, strlen(sample_sigs[0].sig)), -ENOSPC);
	CHECK_EQ(ibpf_btf_func_signature(btf, id, buf, strlen(sample_sigs[0].sig) + 1), 0);
	CHECK_STR_EQ(buf, sample_sigs[0].sig);
	/* not a FUNC */
	CHECK_EQ(ibpf_btf_func_signature(btf, ibpf_btf_find(btf, BTF_KIND_STRUCT, "simple_ctx"),
					 buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(ibpf_btf_func_signature(btf, 0, buf, sizeof(buf)), -EINVAL);

	/* sizes and modifiers */
	CHECK_EQ(ibpf_btf_type_size(btf, ibpf_btf_find(btf, BTF_KIND_STRUCT, "sample_key")), 16);
	CHECK_EQ(ibpf_btf_type_size(btf, ibpf_btf_find(btf, BTF_KIND_STRUCT, "sample_val")), 24);
	CHECK_EQ(ibpf_btf_type_size(btf, ibpf_btf_find(btf, BTF_KIND_STRUCT, "simple_ctx")), 16);
	id = ibpf_btf_find(btf, BTF_KIND_TYPEDEF, "slot_t");
	CHECK(id != 0);
	CHECK_EQ(ibpf_btf_type_size(btf, id), 4);
	CHECK_EQ(BTF_INFO_KIND(ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, id))->info), BTF_KIND_INT);
	CHECK_STR_EQ(ibpf_btf_str(btf, ibpf_btf_type(btf, ibpf_btf_skip_mods(btf, id))->name_off),
		     "unsigned int");
	CHECK(ibpf_btf_type_size(btf, 0) < 0);
	CHECK(ibpf_btf_type_size(btf, ibpf_btf_find(btf, BTF_KIND_FUNC, "record")) < 0);
	CHECK_EQ(ibpf_btf_find(btf, BTF_KIND_FUNC, "no_such_function"), 0);
	id = ibpf_btf_find(btf, BTF_KIND_VAR, "_license");
	CHECK(id != 0);
	CHECK_EQ(ibpf_btf_type_size(btf, id), 4);
}

static void check_sample_map_defs(const struct obj *o, const struct ibpf_btf_map_def *m,
				  size_t n)
{
	CHECK_EQ(n, 4);
	CHECK(m != NULL);

	CHECK_STR_EQ(m[0].name, "arr_map");
	CHECK_EQ(m[0].type, BPF_MAP_TYPE_ARRAY);
	CHECK_EQ(m[0].key_size, 4);
	CHECK_EQ(m[0].value_size, 24);
	CHECK_EQ(m[0].max_entries, 16);
	CHECK_EQ(m[0].map_flags, 0);
	CHECK_EQ(m[0].map_extra, 0);

	CHECK_STR_EQ(m[1].name, "hash_map");
	CHECK_EQ(m[1].type, BPF_MAP_TYPE_HASH);
	CHECK_EQ(m[1].key_size, 16);
	CHECK_EQ(m[1].value_size, 8);
	CHECK_EQ(m[1].max_entries, 1024);
	CHECK_EQ(m[1].map_flags, BPF_F_NO_PREALLOC);
	CHECK_EQ(m[1].map_extra, 0);

	CHECK_STR_EQ(m[2].name, "sized_map");
	CHECK_EQ(m[2].type, BPF_MAP_TYPE_HASH);
	CHECK_EQ(m[2].key_size, 12);
	CHECK_EQ(m[2].value_size, 40);
	CHECK_EQ(m[2].max_entries, 64);

	CHECK_STR_EQ(m[3].name, "bloom_map");
	CHECK_EQ(m[3].type, BPF_MAP_TYPE_BLOOM_FILTER);
	CHECK_EQ(m[3].key_size, 0);
	CHECK_EQ(m[3].value_size, 8);
	CHECK_EQ(m[3].max_entries, 100);
	CHECK_EQ(m[3].map_extra, 3);

	/* Every map is a symbol in .maps.  clang leaves the DATASEC offsets 0
	 * (libbpf fills them in from the symbols), so sec_offset is either
	 * that 0 or the symbol's value. */
	for (size_t i = 0; i < n; i++) {
		const struct sym *s = sym_named(o, m[i].name);
		CHECK(s != NULL);
		CHECK_STR_EQ(s->sec, ".maps");
		CHECK(m[i].sec_offset == 0 || m[i].sec_offset == s->value);
	}
}

static void check_sample_maps(const struct ibpf_btf *btf, const struct obj *o)
{
	struct ibpf_btf_map_def *m = NULL;
	size_t n = 99;
	char err[256] = "";

	if (ibpf_btf_maps(btf, ".maps", &m, &n, err, sizeof(err)))
		fprintf(stderr, "  %s\n", err);
	check_sample_map_defs(o, m, n);
	free(m);
	if (test_failed)
		return;

	/* no such DATASEC: success, nothing */
	m = (void *)1;
	CHECK_EQ(ibpf_btf_maps(btf, ".nomaps", &m, &n, err, sizeof(err)), 0);
	CHECK(m == NULL);
	CHECK_EQ(n, 0);
}

static void check_sample_ext_recs(const struct ibpf_btf *btf, const struct obj *o,
				  const struct ibpf_btf_ext *ext)
{
	const struct ibpf_btf_ext_sec *s;
	char buf[256];
	bool found = false, found_text = false;

	CHECK(ibpf_btf_ext_find(ext, "no_such_section") == NULL);

	/* the program section: one function at offset 0 */
	s = ibpf_btf_ext_find(ext, "syscall");
	CHECK(s != NULL);
	CHECK_STR_EQ(s->sec_name, "syscall");
	CHECK_EQ(s->func_cnt, 1);
	CHECK_EQ(s->funcs[0].insn_off, 0);
	CHECK_EQ(ibpf_btf_func_signature(btf, s->funcs[0].type_id, buf, sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "int simple_test(struct simple_ctx * ctx)");

	/* line info: the first record is the function's opening line; the
	 * marked line is line 150 of the source, column 2 */
	CHECK(s->line_cnt > 5);
	CHECK_EQ(s->lines[0].insn_off, 0);
	CHECK_STR_EQ(s->lines[0].line, "int simple_test(struct simple_ctx *ctx)");
	CHECK_EQ(s->lines[0].line_num, 137);
	for (size_t i = 0; i < s->line_cnt; i++) {
		const struct ibpf_btf_line_rec *l = &s->lines[i];
		size_t fl = strlen(l->file), sl = strlen("tests/progs/btf_sample.bpf.c");

		CHECK(fl >= sl && !strcmp(l->file + fl - sl, "tests/progs/btf_sample.bpf.c"));
		CHECK_EQ(l->insn_off % 8, 0);
		if (i)
			CHECK(l->insn_off >= s->lines[i - 1].insn_off);
		if (strstr(l->line, "line-info probe")) {
			CHECK_STR_EQ(l->line, "\tbpf_map_update_elem(&hash_map, &k, &one, BPF_ANY); "
				     "/* line-info probe */");
			CHECK_EQ(l->line_num, 150);
			CHECK_EQ(l->line_col, 2);
			found = true;
		}
	}
	CHECK(found);

	/* .text: one func_info per subprogram, at the offsets of its symbol */
	s = ibpf_btf_ext_find(ext, ".text");
	CHECK(s != NULL);
	CHECK_EQ(s->func_cnt, 6);
	CHECK_EQ(s->func_cnt, count_syms(o, ".text", STT_FUNC));
	CHECK_EQ(s->funcs[0].insn_off, 0);
	for (size_t i = 0; i < s->func_cnt; i++) {
		const struct btf_type *t = ibpf_btf_type(btf, s->funcs[i].type_id);
		const struct sym *sy = sym_at(o, ".text", s->funcs[i].insn_off, STT_FUNC);

		if (i)
			CHECK(s->funcs[i].insn_off > s->funcs[i - 1].insn_off);
		CHECK(t != NULL);
		CHECK_EQ(BTF_INFO_KIND(t->info), BTF_KIND_FUNC);
		CHECK(sy != NULL);
		CHECK_STR_EQ(ibpf_btf_str(btf, t->name_off), sy->name);
	}
	CHECK(s->line_cnt > 5);
	for (size_t i = 0; i < s->line_cnt; i++) {
		if (strstr(s->lines[i].line, "return bpf_loop(4, cb, data, 0);")) {
			CHECK_EQ(s->lines[i].line_num, 112);
			found_text = true;
		}
	}
	CHECK(found_text);
}

static void check_sample_ext(const struct ibpf_btf *btf, const struct obj *o)
{
	struct ibpf_btf_ext *ext = NULL;
	char err[256] = "";

	CHECK(o->ext != NULL);
	if (ibpf_btf_ext_parse(o->ext, o->ext_size, btf, &ext, err, sizeof(err)))
		fprintf(stderr, "  %s\n", err);
	CHECK(ext != NULL);
	check_sample_ext_recs(btf, o, ext);
	ibpf_btf_ext_free(ext);
}

static void check_sample(const char *objname)
{
	struct ibpf_btf *btf = NULL;
	struct obj o;
	char err[256] = "";

	if (obj_read(test_obj(objname), &o)) {
		fprintf(stderr, "  %s: cannot read .BTF\n", test_obj(objname));
		obj_free(&o);
		test_failed = 1;
		return;
	}
	if (ibpf_btf_parse(o.btf, o.btf_size, &btf, err, sizeof(err))) {
		fprintf(stderr, "  %s: %s\n", objname, err);
		obj_free(&o);
		test_failed = 1;
		return;
	}
	check_sample_btf(btf);
	if (!test_failed)
		check_sample_maps(btf, &o);
	if (!test_failed)
		check_sample_ext(btf, &o);
	ibpf_btf_free(btf);
	obj_free(&o);
}

TEST(btf_sample_clang19)
{
	check_sample("btf_sample.o");
}

TEST(btf_sample_clang14)
{
	check_sample("btf_sample.clang14.o");
}

/* ---- robustness: truncated and corrupted real sections --------------------- */

/* Exercise every query on a BTF that parsed; ASan/UBSan watch. */
static void poke(const struct ibpf_btf *btf, const struct obj *o)
{
	struct ibpf_btf_map_def *m = NULL;
	struct ibpf_btf_ext *ext = NULL;
	size_t n;
	char buf[512], err[256];

	for (uint32_t id = 0; id < ibpf_btf_type_cnt(btf) + 2; id++) {
		const struct btf_type *t = ibpf_btf_type(btf, id);
		(void)ibpf_btf_type_size(btf, id);
		(void)ibpf_btf_skip_mods(btf, id);
		if (ibpf_btf_func_signature(btf, id, buf, sizeof(buf)) == 0)
			(void)strlen(buf);
		if (t)
			(void)ibpf_btf_str(btf, t->name_off);
	}
	if (ibpf_btf_maps(btf, ".maps", &m, &n, err, sizeof(err)) == 0)
		free(m);
	if (o && o->ext && ibpf_btf_ext_parse(o->ext, o->ext_size, btf, &ext, err, sizeof(err)) == 0) {
		(void)ibpf_btf_ext_find(ext, ".text");
		ibpf_btf_ext_free(ext);
	}
}

TEST(btf_truncated_prefixes)
{
	struct ibpf_btf *btf = NULL;
	struct obj o;
	char err[256];

	CHECK_EQ(obj_read(test_obj("btf_sample.o"), &o), 0);
	for (size_t len = 0; len < o.btf_size; len++) {
		/* a copy of exactly len bytes, so ASan sees any read past it */
		unsigned char *p = malloc(len ? len : 1);
		int rc;

		memcpy(p, o.btf, len);
		err[0] = '\0';
		rc = ibpf_btf_parse(p, len, &btf, err, sizeof(err));
		free(p);
		if (rc == 0) {
			ibpf_btf_free(btf);
			obj_free(&o);
			fprintf(stderr, "  prefix of %zu bytes parsed\n", len);
			CHECK(0);
		}
		CHECK_EQ(rc, -EINVAL);
		CHECK(btf == NULL);
		CHECK(strncmp(err, "BTF: ", 5) == 0);
	}
	obj_free(&o);
}

TEST(btf_ext_truncated_prefixes)
{
	struct ibpf_btf *btf = NULL;
	struct ibpf_btf_ext *ext;
	struct obj o;
	char err[256];

	CHECK_EQ(obj_read(test_obj("btf_sample.o"), &o), 0);
	CHECK(o.ext != NULL);
	CHECK_EQ(ibpf_btf_parse(o.btf, o.btf_size, &btf, err, sizeof(err)), 0);
	for (size_t len = 0; len < o.ext_size; len++) {
		unsigned char *p = malloc(len ? len : 1);
		int rc;

		memcpy(p, o.ext, len);
		err[0] = '\0';
		ext = NULL;
		rc = ibpf_btf_ext_parse(p, len, btf, &ext, err, sizeof(err));
		free(p);
		if (rc == 0) {
			ibpf_btf_ext_free(ext);
			ibpf_btf_free(btf);
			obj_free(&o);
			fprintf(stderr, "  prefix of %zu bytes parsed\n", len);
			CHECK(0);
		}
		CHECK_EQ(rc, -EINVAL);
		CHECK(ext == NULL);
		CHECK(strncmp(err, "BTF.ext: ", 9) == 0);
	}
	ibpf_btf_free(btf);
	obj_free(&o);
}

TEST(btf_byte_flips)
{
	static const unsigned char masks[] = { 0xff, 0x01, 0x80, 0x10, 0x40 };
	struct ibpf_btf *btf;
	struct obj o;
	char err[256];
	int ok = 0, bad = 0;

	CHECK_EQ(obj_read(test_obj("btf_sample.o"), &o), 0);
	for (size_t i = 0; i < o.btf_size; i++) {
		for (size_t k = 0; k < sizeof(masks); k++) {
			unsigned char *p = malloc(o.btf_size);
			int rc;

			memcpy(p, o.btf, o.btf_size);
			p[i] ^= masks[k];
			btf = NULL;
			err[0] = '\0';
			rc = ibpf_btf_parse(p, o.btf_size, &btf, err, sizeof(err));
			free(p);       /* the parsed BTF must not point into the input */
			if (rc == 0) {
				ok++;
				poke(btf, &o);
				ibpf_btf_free(btf);
			} else {
				bad++;
				CHECK(rc == -EINVAL);
				CHECK(err[0] != '\0');
			}
		}
	}
	/* both outcomes happen: flips in names and sizes still parse */
	CHECK(ok > 0);
	CHECK(bad > 0);
	obj_free(&o);
}

TEST(btf_ext_byte_flips)
{
	static const unsigned char masks[] = { 0xff, 0x01, 0x80, 0x08 };
	struct ibpf_btf *btf = NULL;
	struct ibpf_btf_ext *ext;
	struct obj o;
	char err[256];

	CHECK_EQ(obj_read(test_obj("btf_sample.clang14.o"), &o), 0);
	CHECK(o.ext != NULL);
	CHECK_EQ(ibpf_btf_parse(o.btf, o.btf_size, &btf, err, sizeof(err)), 0);
	for (size_t i = 0; i < o.ext_size; i++) {
		for (size_t k = 0; k < sizeof(masks); k++) {
			unsigned char *p = malloc(o.ext_size);
			int rc;

			memcpy(p, o.ext, o.ext_size);
			p[i] ^= masks[k];
			ext = NULL;
			err[0] = '\0';
			rc = ibpf_btf_ext_parse(p, o.ext_size, btf, &ext, err, sizeof(err));
			free(p);
			if (rc == 0) {
				const struct ibpf_btf_ext_sec *s = ibpf_btf_ext_find(ext, ".text");
				for (size_t j = 0; s && j < s->line_cnt; j++)
					(void)strlen(s->lines[j].line);
				ibpf_btf_ext_free(ext);
			} else {
				CHECK(rc == -EINVAL);
				CHECK(err[0] != '\0');
			}
		}
	}
	ibpf_btf_free(btf);
	obj_free(&o);
}

/* Several random bytes overwritten at once, from a fixed seed. */
TEST(btf_random_corruption)
{
	struct ibpf_btf *btf;
	struct obj o;
	char err[256];
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	CHECK_EQ(obj_read(test_obj("btf_sample.clang14.o"), &o), 0);
	for (int iter = 0; iter < 3000; iter++) {
		unsigned char *p = malloc(o.btf_size);
		int flips;

		memcpy(p, o.btf, o.btf_size);
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		flips = 1 + (int)(seed >> 60) % 4;
		for (int f = 0; f < flips; f++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			p[(seed >> 33) % o.btf_size] = (unsigned char)(seed >> 17);
		}
		btf = NULL;
		if (ibpf_btf_parse(p, o.btf_size, &btf, err, sizeof(err)) == 0) {
			free(p);
			poke(btf, &o);
			ibpf_btf_free(btf);
		} else {
			free(p);
			CHECK(err[0] != '\0');
		}
	}
	obj_free(&o);
}

/* ---- hand-built BTF ------------------------------------------------------- */

#define INFO(kind, vlen, kflag) ((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (vlen))

struct bb {
	uint32_t w[1024];
	size_t nw;
	char s[2048];
	uint32_t ns;
};

static void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	b->ns = 1;                        /* offset 0: "" */
}

static uint32_t bb_str(struct bb *b, const char *s)
{
	uint32_t off;

	if (!s || !*s)
		return 0;
	off = b->ns;
	memcpy(b->s + off, s, strlen(s) + 1);
	b->ns += (uint32_t)strlen(s) + 1;
	return off;
}

static void bb_w(struct bb *b, uint32_t v)
{
	b->w[b->nw++] = v;
}

/* A struct btf_type; the trailing records follow with bb_w(). */
static void bb_t(struct bb *b, const char *name, uint32_t info, uint32_t size_or_type)
{
	bb_w(b, bb_str(b, name));
	bb_w(b, info);
	bb_w(b, size_or_type);
}

/* Header + types + strings into out; returns the size. */
static size_t bb_build(const struct bb *b, unsigned char *out)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
		.type_off = 0, .type_len = (uint32_t)(b->nw * 4),
		.str_off = (uint32_t)(b->nw * 4), .str_len = b->ns,
	};
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), b->w, b->nw * 4);
	memcpy(out + sizeof(h) + b->nw * 4, b->s, b->ns);
	return sizeof(h) + b->nw * 4 + b->ns;
}

static int bb_parse(const struct bb *b, struct ibpf_btf **btf, char *err, size_t errsz)
{
	static unsigned char data[sizeof(struct btf_header) + sizeof(b->w) + sizeof(b->s)];
	size_t n = bb_build(b, data);

	err[0] = '\0';
	*btf = NULL;
	return ibpf_btf_parse(data, n, btf, err, errsz);
}

/* Types 1..5 shared by several tests: int, unsigned int, __u32, ptr, long */
static void bb_base(struct bb *b)
{
	bb_t(b, "int", INFO(BTF_KIND_INT, 0, 0), 4);          /* 1 */
	bb_w(b, BTF_INT_SIGNED << 24 | 32);
	bb_t(b, "unsigned int", INFO(BTF_KIND_INT, 0, 0), 4); /* 2 */
	bb_w(b, 32);
	bb_t(b, "__u32", INFO(BTF_KIND_TYPEDEF, 0, 0), 2);    /* 3 */
	bb_t(b, NULL, INFO(BTF_KIND_PTR, 0, 0), 0);           /* 4: void * */
	bb_t(b, "long", INFO(BTF_KIND_INT, 0, 0), 8);         /* 5 */
	bb_w(b, BTF_INT_SIGNED << 24 | 64);
}

TEST(btf_every_kind)
{
	struct ibpf_btf *btf;
	struct bb b;
	char err[256], buf[512];

	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 6: int[3][5] outer */
	bb_w(&b, 7); bb_w(&b, 2); bb_w(&b, 3);
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 7: int[5] */
	bb_w(&b, 1); bb_w(&b, 2); bb_w(&b, 5);
	bb_t(&b, "pair", INFO(BTF_KIND_STRUCT, 2, 0), 16);    /* 8 */
	bb_w(&b, bb_str(&b, "a")); bb_w(&b, 1); bb_w(&b, 0);
	bb_w(&b, bb_str(&b, "b")); bb_w(&b, 5); bb_w(&b, 64);
	bb_t(&b, "either", INFO(BTF_KIND_UNION, 1, 0), 8);    /* 9 */
	bb_w(&b, bb_str(&b, "x")); bb_w(&b, 5); bb_w(&b, 0);
	bb_t(&b, "color", INFO(BTF_KIND_ENUM, 2, 0), 4);      /* 10 */
	bb_w(&b, bb_str(&b, "RED")); bb_w(&b, 0);
	bb_w(&b, bb_str(&b, "BLUE")); bb_w(&b, 1);
	bb_t(&b, "opaque", INFO(BTF_KIND_FWD, 0, 0), 0);      /* 11 */
	bb_t(&b, NULL, INFO(BTF_KIND_VOLATILE, 0, 0), 1);     /* 12: volatile int */
	bb_t(&b, NULL, INFO(BTF_KIND_CONST, 0, 0), 4);        /* 13: const (void *) */
	bb_t(&b, NULL, INFO(BTF_KIND_RESTRICT, 0, 0), 15);    /* 14 -> 15 */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 12);         /* 15: volatile int * */
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 3, 0), 1);   /* 16: int (int a, float *, ...) */
	bb_w(&b, bb_str(&b, "a")); bb_w(&b, 1);
	bb_w(&b, 0); bb_w(&b, 24);
	bb_w(&b, 0); bb_w(&b, 0);
	bb_t(&b, "fn", INFO(BTF_KIND_FUNC, BTF_FUNC_GLOBAL, 0), 16); /* 17 */
	bb_t(&b, "gv", INFO(BTF_KIND_VAR, 0, 0), 5);          /* 18: long gv */
	bb_w(&b, BTF_VAR_GLOBAL_ALLOCATED);
	bb_t(&b, ".data", INFO(BTF_KIND_DATASEC, 1, 0), 16);  /* 19 */
	bb_w(&b, 18); bb_w(&b, 0); bb_w(&b, 16);
	bb_t(&b, "double", INFO(BTF_KIND_FLOAT, 0, 0), 8);    /* 20 */
	bb_t(&b, "tag", INFO(BTF_KIND_DECL_TAG, 0, 0), 17);   /* 21 */
	bb_w(&b, (uint32_t)-1);
	bb_t(&b, "user", INFO(BTF_KIND_TYPE_TAG, 0, 0), 1);   /* 22 */
	bb_t(&b, "big", INFO(BTF_KIND_ENUM64, 1, 0), 8);      /* 23 */
	bb_w(&b, bb_str(&b, "HUGE")); bb_w(&b, 5); bb_w(&b, 1);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 25);         /* 24: float * */
	bb_t(&b, "float", INFO(BTF_KIND_FLOAT, 0, 0), 4);     /* 25 */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 16);         /* 26: ptr to proto 16 */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 11);         /* 27: struct opaque * */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 22);         /* 28: int __tag * */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 7);          /* 29: int (*)[5] */
	/* 30: everything bpftool can print, in one prototype */
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 10, 0), 4);
	bb_w(&b, bb_str(&b, "p")); bb_w(&b, 8);
	bb_w(&b, bb_str(&b, "u")); bb_w(&b, 9);
	bb_w(&b, bb_str(&b, "c")); bb_w(&b, 10);
	bb_w(&b, bb_str(&b, "o")); bb_w(&b, 27);
	bb_w(&b, bb_str(&b, "cp")); bb_w(&b, 13);
	bb_w(&b, bb_str(&b, "rp")); bb_w(&b, 14);
	bb_w(&b, bb_str(&b, "cb")); bb_w(&b, 26);
	bb_w(&b, bb_str(&b, "d")); bb_w(&b, 20);
	bb_w(&b, bb_str(&b, "h")); bb_w(&b, 23);
	bb_w(&b, bb_str(&b, "arr")); bb_w(&b, 29);
	bb_t(&b, "kitchen_sink", INFO(BTF_KIND_FUNC, BTF_FUNC_STATIC, 0), 30); /* 31 */
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 1, 0), 0);   /* 32: void (int __tag *t) */
	bb_w(&b, bb_str(&b, "t")); bb_w(&b, 28);
	bb_t(&b, "tagged", INFO(BTF_KIND_FUNC, 0, 0), 32);    /* 33 */
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 0);   /* 34: void (void) */
	bb_t(&b, "nothing", INFO(BTF_KIND_FUNC, 0, 0), 34);   /* 35 */
	bb_t(&b, "opaque_u", INFO(BTF_KIND_FWD, 0, 1), 0);    /* 36: union fwd */
	bb_t(&b, NULL, INFO(BTF_KIND_STRUCT, 0, 0), 0);       /* 37: anonymous struct */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 37);         /* 38 */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 36);         /* 39 */
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 3, 0), 3);   /* 40: __u32 (p, q, unnamed int) */
	bb_w(&b, bb_str(&b, "p")); bb_w(&b, 38);
	bb_w(&b, bb_str(&b, "q")); bb_w(&b, 39);
	bb_w(&b, 0); bb_w(&b, 1);
	bb_t(&b, "anon", INFO(BTF_KIND_FUNC, 0, 0), 40);      /* 41 */

	if (bb_parse(&b, &btf, err, sizeof(err)))
		fprintf(stderr, "  %s\n", err);
	CHECK(btf != NULL);
	CHECK_EQ(ibpf_btf_type_cnt(btf), 42);

	CHECK_EQ(ibpf_btf_type_size(btf, 6), 60);             /* int[3][5] */
	CHECK_EQ(ibpf_btf_type_size(btf, 8), 16);
	CHECK_EQ(ibpf_btf_type_size(btf, 9), 8);
	CHECK_EQ(ibpf_btf_type_size(btf, 10), 4);
	CHECK(ibpf_btf_type_size(btf, 11) < 0);               /* fwd */
	CHECK_EQ(ibpf_btf_type_size(btf, 12), 4);
	CHECK_EQ(ibpf_btf_type_size(btf, 14), 8);             /* restrict pointer */
	CHECK(ibpf_btf_type_size(btf, 16) < 0);               /* proto */
	CHECK_EQ(ibpf_btf_type_size(btf, 18), 8);             /* var -> long */
	CHECK_EQ(ibpf_btf_type_size(btf, 19), 16);            /* datasec */
	CHECK_EQ(ibpf_btf_type_size(btf, 20), 8);
	CHECK(ibpf_btf_type_size(btf, 21) < 0);               /* decl tag */
	CHECK_EQ(ibpf_btf_type_size(btf, 22), 4);             /* type tag -> int */
	CHECK_EQ(ibpf_btf_type_size(btf, 23), 8);
	CHECK_EQ(ibpf_btf_type_size(btf, 42), -EINVAL);

	CHECK_EQ(ibpf_btf_skip_mods(btf, 14), 15);            /* restrict -> ptr */
	CHECK_EQ(ibpf_btf_skip_mods(btf, 12), 1);             /* volatile -> int */
	CHECK_EQ(ibpf_btf_skip_mods(btf, 22), 1);             /* type tag -> int */
	CHECK_EQ(ibpf_btf_skip_mods(btf, 3), 2);              /* typedef */
	CHECK_EQ(ibpf_btf_skip_mods(btf, 8), 8);

	CHECK_EQ(ibpf_btf_find(btf, BTF_KIND_ENUM64, "big"), 23);
	CHECK_EQ(ibpf_btf_find(btf, BTF_KIND_DATASEC, ".data"), 19);
	CHECK_EQ(ibpf_btf_find(btf, BTF_KIND_STRUCT, NULL), 37);   /* anonymous */
	CHECK_EQ(ibpf_btf_find(btf, BTF_KIND_FUNC, "fn"), 17);

	CHECK_EQ(ibpf_btf_func_signature(btf, 17, buf, sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "int fn(int a, float *, ...)");
	CHECK_EQ(ibpf_btf_func_signature(btf, 31, buf, sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "void * kitchen_sink(struct pair p, union either u, enum color c, "
		     "struct opaque * o, const void * cp, restrict volatile int * rp, "
		     "int (int a, float *, ...)* cb, double d, enum big h, int [5]* arr)");
	CHECK_EQ(ibpf_btf_func_signature(btf, 35, buf, sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "void nothing()");
	CHECK_EQ(ibpf_btf_func_signature(btf, 41, buf, sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "__u32 anon(struct  * p, union opaque_u * q, int)");
	/* bpftool v7.1.0 prints no header line when a type tag is involved */
	strcpy(buf, "junk");
	CHECK_EQ(ibpf_btf_func_signature(btf, 33, buf, sizeof(buf)), -EOPNOTSUPP);
	CHECK_STR_EQ(buf, "");
	CHECK_EQ(ibpf_btf_func_signature(btf, 16, buf, sizeof(buf)), -EINVAL); /* a proto */
	CHECK_EQ(ibpf_btf_func_signature(btf, 1000, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(ibpf_btf_func_signature(btf, 17, buf, 0), -ENOSPC);
	ibpf_btf_free(btf);
}

TEST(btf_maps_handmade)
{
	struct ibpf_btf_map_def *m = NULL;
	struct ibpf_btf *btf;
	size_t n = 0;
	struct bb b;
	char err[256];

	bb_init(&b);
	bb_base(&b);
	bb_t(&b, "__ARRAY_SIZE_TYPE__", INFO(BTF_KIND_INT, 0, 0), 4); /* 6 */
	bb_w(&b, 32);
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 7: int[9] (type = 9) */
	bb_w(&b, 1); bb_w(&b, 6); bb_w(&b, 9);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 7);          /* 8 */
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 9: int[100] */
	bb_w(&b, 1); bb_w(&b, 6); bb_w(&b, 100);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 9);          /* 10 */
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 5);          /* 11: long * (key) */
	bb_t(&b, NULL, INFO(BTF_KIND_ENUM64, 1, 0), 8);       /* 12: __ulong 0x100000003 */
	bb_w(&b, bb_str(&b, "__u0")); bb_w(&b, 3); bb_w(&b, 1);
	bb_t(&b, "m1def", INFO(BTF_KIND_STRUCT, 5, 0), 40);   /* 13 */
	bb_w(&b, bb_str(&b, "type")); bb_w(&b, 8); bb_w(&b, 0);
	bb_w(&b, bb_str(&b, "max_entries")); bb_w(&b, 10); bb_w(&b, 64);
	bb_w(&b, bb_str(&b, "key")); bb_w(&b, 11); bb_w(&b, 128);
	bb_w(&b, bb_str(&b, "map_extra")); bb_w(&b, 12); bb_w(&b, 192);
	bb_w(&b, bb_str(&b, "whatever")); bb_w(&b, 1); bb_w(&b, 256);   /* ignored */
	bb_t(&b, "m1", INFO(BTF_KIND_VAR, 0, 0), 13);         /* 14 */
	bb_w(&b, BTF_VAR_GLOBAL_ALLOCATED);
	bb_t(&b, NULL, INFO(BTF_KIND_ENUM, 1, 1), 4);         /* 15: signed __ulong -1 */
	bb_w(&b, bb_str(&b, "__u1")); bb_w(&b, (uint32_t)-1);
	bb_t(&b, NULL, INFO(BTF_KIND_STRUCT, 3, 0), 24);      /* 16 */
	bb_w(&b, bb_str(&b, "map_extra")); bb_w(&b, 15); bb_w(&b, 0);
	bb_w(&b, bb_str(&b, "value_size")); bb_w(&b, 10); bb_w(&b, 64);
	bb_w(&b, bb_str(&b, "key_size")); bb_w(&b, 8); bb_w(&b, 128);
	bb_t(&b, NULL, INFO(BTF_KIND_CONST, 0, 0), 16);       /* 17: const struct */
	bb_t(&b, "m2", INFO(BTF_KIND_VAR, 0, 0), 17);         /* 18 */
	bb_w(&b, BTF_VAR_GLOBAL_ALLOCATED);
	bb_t(&b, ".maps", INFO(BTF_KIND_DATASEC, 2, 0), 64);  /* 19 */
	bb_w(&b, 14); bb_w(&b, 0); bb_w(&b, 40);
	bb_w(&b, 18); bb_w(&b, 40); bb_w(&b, 24);
	/* error cases, each in its own DATASEC */
	bb_t(&b, NULL, INFO(BTF_KIND_STRUCT, 2, 0), 16);      /* 20: conflicting key size */
	bb_w(&b, bb_str(&b, "key")); bb_w(&b, 11); bb_w(&b, 0);
	bb_w(&b, bb_str(&b, "key_size")); bb_w(&b, 8); bb_w(&b, 64);
	bb_t(&b, "bad_key", INFO(BTF_KIND_VAR, 0, 0), 20);    /* 21 */
	bb_w(&b, 1);
	bb_t(&b, ".maps.conflict", INFO(BTF_KIND_DATASEC, 1, 0), 16); /* 22 */
	bb_w(&b, 21); bb_w(&b, 0); bb_w(&b, 16);
	bb_t(&b, NULL, INFO(BTF_KIND_STRUCT, 1, 0), 4);       /* 23: max_entries is an int */
	bb_w(&b, bb_str(&b, "max_entries")); bb_w(&b, 1); bb_w(&b, 0);
	bb_t(&b, "bad_field", INFO(BTF_KIND_VAR, 0, 0), 23);  /* 24 */
	bb_w(&b, 1);
	bb_t(&b, ".maps.field", INFO(BTF_KIND_DATASEC, 1, 0), 4); /* 25 */
	bb_w(&b, 24); bb_w(&b, 0); bb_w(&b, 4);
	bb_t(&b, "notstruct", INFO(BTF_KIND_VAR, 0, 0), 1);   /* 26 */
	bb_w(&b, 1);
	bb_t(&b, ".maps.int", INFO(BTF_KIND_DATASEC, 1, 0), 4); /* 27 */
	bb_w(&b, 26); bb_w(&b, 0); bb_w(&b, 4);
	bb_t(&b, ".maps.novar", INFO(BTF_KIND_DATASEC, 1, 0), 4); /* 28 */
	bb_w(&b, 1); bb_w(&b, 0); bb_w(&b, 4);
	bb_t(&b, NULL, INFO(BTF_KIND_STRUCT, 1, 0), 8);       /* 29: max_entries is 64-bit */
	bb_w(&b, bb_str(&b, "max_entries")); bb_w(&b, 12); bb_w(&b, 0);
	bb_t(&b, "too_big", INFO(BTF_KIND_VAR, 0, 0), 29);    /* 30 */
	bb_w(&b, 1);
	bb_t(&b, ".maps.big", INFO(BTF_KIND_DATASEC, 1, 0), 8); /* 31 */
	bb_w(&b, 30); bb_w(&b, 0); bb_w(&b, 8);

	CHECK_EQ(bb_parse(&b, &btf, err, sizeof(err)), 0);
	CHECK_EQ(ibpf_btf_maps(btf, ".maps", &m, &n, err, sizeof(err)), 0);
	CHECK_EQ(n, 2);
	CHECK_STR_EQ(m[0].name, "m1");
	CHECK_EQ(m[0].sec_offset, 0);
	CHECK_EQ(m[0].type, 9);
	CHECK_EQ(m[0].max_entries, 100);
	CHECK_EQ(m[0].key_size, 8);
	CHECK_EQ(m[0].value_size, 0);
	CHECK(m[0].map_extra == 0x100000003ull);
	CHECK_STR_EQ(m[1].name, "m2");
	CHECK_EQ(m[1].sec_offset, 40);
	CHECK(m[1].map_extra == UINT64_MAX);
	CHECK_EQ(m[1].value_size, 100);
	CHECK_EQ(m[1].key_size, 9);
	free(m);

	m = NULL;
	CHECK_EQ(ibpf_btf_maps(btf, ".maps.conflict", &m, &n, err, sizeof(err)), -EINVAL);
	CHECK(m == NULL);
	CHECK_EQ(n, 0);
	CHECK_STR_CONTAINS(err, "BTF map 'bad_key': conflicting key size");
	CHECK_EQ(ibpf_btf_maps(btf, ".maps.field", &m, &n, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "BTF map 'bad_field': member 'max_entries' is neither __uint()");
	CHECK_EQ(ibpf_btf_maps(btf, ".maps.int", &m, &n, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "BTF map 'notstruct': definition is INT, not a struct");
	CHECK_EQ(ibpf_btf_maps(btf, ".maps.novar", &m, &n, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "not a VAR");
	CHECK_EQ(ibpf_btf_maps(btf, ".maps.big", &m, &n, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "BTF map 'too_big': max_entries value 4294967299 does not fit");
	ibpf_btf_free(btf);
}

static void expect_parse_error(struct bb *b, const char *msg)
{
	struct ibpf_btf *btf;
	char err[256];

	CHECK_EQ(bb_parse(b, &btf, err, sizeof(err)), -EINVAL);
	CHECK(btf == NULL);
	CHECK_STR_CONTAINS(err, msg);
}

TEST(btf_malformed_types)
{
	struct bb b;

	/* a type whose members run past the section */
	bb_init(&b);
	bb_base(&b);
	bb_t(&b, "s", INFO(BTF_KIND_STRUCT, 3, 0), 12);       /* 6: 3 members, 1 present */
	bb_w(&b, 0); bb_w(&b, 1); bb_w(&b, 0);
	expect_parse_error(&b, "BTF: type 6 (STRUCT, vlen 3) runs past the end of the type section");
	if (test_failed)
		return;

	/* a header cut short */
	bb_init(&b);
	bb_base(&b);
	bb_w(&b, 0); bb_w(&b, INFO(BTF_KIND_PTR, 0, 0));
	expect_parse_error(&b, "BTF: type 6 runs past the end of the type section");
	if (test_failed)
		return;

	/* unknown kind */
	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(25, 0, 0), 0);
	expect_parse_error(&b, "BTF: type 6 has unknown kind 25");
	if (test_failed)
		return;

	/* kind 0 inside the section */
	bb_init(&b);
	bb_t(&b, NULL, 0, 0);
	expect_parse_error(&b, "BTF: type 1 has unknown kind 0");
	if (test_failed)
		return;

	/* unused info bits */
	bb_init(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0) | 0x00010000u, 0);
	expect_parse_error(&b, "unused info bits");
	if (test_failed)
		return;

	/* a dangling reference */
	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 99);
	expect_parse_error(&b, "BTF: type 6 (PTR): it refers to type 99, but the last type is 6");
	if (test_failed)
		return;

	/* a dangling member */
	bb_init(&b);
	bb_t(&b, "s", INFO(BTF_KIND_STRUCT, 1, 0), 4);
	bb_w(&b, 0); bb_w(&b, 7); bb_w(&b, 0);
	expect_parse_error(&b, "a member refers to type 7");
	if (test_failed)
		return;

	/* a name outside the string section */
	bb_init(&b);
	bb_w(&b, 5000); bb_w(&b, INFO(BTF_KIND_FWD, 0, 0)); bb_w(&b, 0);
	expect_parse_error(&b, "name offset 5000 is outside the string section");
	if (test_failed)
		return;

	/* cycles: const -> const, ptr -> typedef -> ptr, array of itself */
	bb_init(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_CONST, 0, 0), 1);
	expect_parse_error(&b, "reference cycle");
	if (test_failed)
		return;
	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 7);          /* 6 */
	bb_t(&b, "loop_t", INFO(BTF_KIND_TYPEDEF, 0, 0), 6);  /* 7 */
	expect_parse_error(&b, "reference cycle");
	if (test_failed)
		return;
	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 6 */
	bb_w(&b, 6); bb_w(&b, 1); bb_w(&b, 2);
	expect_parse_error(&b, "reference cycle");
}

TEST(btf_proto_cycle_and_limits)
{
	struct ibpf_btf *btf;
	struct bb b;
	char err[256], buf[4096];

	/* A prototype whose parameter points back to it: legal to parse (no
	 * single-reference cycle), the renderer stops at its depth bound. */
	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 1, 0), 1);   /* 6: int (p) */
	bb_w(&b, bb_str(&b, "p")); bb_w(&b, 7);
	bb_t(&b, NULL, INFO(BTF_KIND_PTR, 0, 0), 6);          /* 7 */
	bb_t(&b, "rec", INFO(BTF_KIND_FUNC, 0, 0), 6);        /* 8 */
	/* FUNC pointing at a non-proto */
	bb_t(&b, "broken", INFO(BTF_KIND_FUNC, 0, 0), 1);     /* 9 */
	/* an array whose size overflows */
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 10: long[0xffffffff] */
	bb_w(&b, 5); bb_w(&b, 1); bb_w(&b, 0xffffffffu);
	bb_t(&b, NULL, INFO(BTF_KIND_ARRAY, 0, 0), 0);        /* 11: [0xffffffff] of 10 */
	bb_w(&b, 10); bb_w(&b, 1); bb_w(&b, 0xffffffffu);
	CHECK_EQ(bb_parse(&b, &btf, err, sizeof(err)), 0);
	CHECK_EQ(ibpf_btf_func_signature(btf, 8, buf, sizeof(buf)), -ELOOP);
	CHECK_STR_EQ(buf, "");
	CHECK_EQ(ibpf_btf_func_signature(btf, 9, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(ibpf_btf_type_size(btf, 10), 0xffffffffll * 8);
	CHECK_EQ(ibpf_btf_type_size(btf, 11), -EOVERFLOW);
	ibpf_btf_free(btf);
}

TEST(btf_bad_headers)
{
	unsigned char data[256];
	struct btf_header h;
	struct ibpf_btf *btf;
	struct bb b;
	char err[256];
	size_t n;

	bb_init(&b);
	bb_base(&b);
	n = bb_build(&b, data);
	memcpy(&h, data, sizeof(h));

	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), 0);
	ibpf_btf_free(btf);
	CHECK_EQ(ibpf_btf_parse(data, 10, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "BTF: section is 10 bytes, too short for the 24-byte header");

	data[0] = 0xeb; data[1] = 0x9f;                         /* byte-swapped magic */
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "big-endian");
	data[0] = 0x12; data[1] = 0x34;
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "BTF: bad magic 0x3412");
	memcpy(data, &h, sizeof(h));

	data[2] = 2;
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "unsupported version 2");
	memcpy(data, &h, sizeof(h));

	h.hdr_len = 16;
	memcpy(data, &h, sizeof(h));
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "header length 16 is out of range");
	h.hdr_len = sizeof(h);

	h.str_len += 1;
	memcpy(data, &h, sizeof(h));
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "string section (offset");
	CHECK_STR_CONTAINS(err, "runs past the end of the data");
	h.str_len -= 1;

	h.type_off = 0xfffffffcu;                  /* overflowing offset + length */
	memcpy(data, &h, sizeof(h));
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "type section (offset 4294967292");
	h.type_off = 0;

	h.type_len -= 4;                           /* the last INT loses its u32 */
	memcpy(data, &h, sizeof(h));
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "BTF: type 5 (INT, vlen 0) runs past the end of the type section");
	h.type_len += 4;

	h.str_off -= 4;                            /* overlaps the types */
	memcpy(data, &h, sizeof(h));
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "overlaps");
	h.str_off += 4;

	h.type_off = 2;                            /* misaligned */
	memcpy(data, &h, sizeof(h));
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "not 4-byte aligned");
	h.type_off = 0;
	memcpy(data, &h, sizeof(h));

	data[n - 1] = 'x';                         /* strings not NUL-terminated */
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), -EINVAL);
	CHECK_STR_CONTAINS(err, "does not end with a NUL byte");
	data[n - 1] = '\0';

	/* a longer header: extra bytes skipped, sections relative to its end */
	{
		unsigned char big[300];
		h.hdr_len = sizeof(h) + 8;
		memcpy(big, &h, sizeof(h));
		memset(big + sizeof(h), 0, 8);
		memcpy(big + sizeof(h) + 8, data + sizeof(h), n - sizeof(h));
		CHECK_EQ(ibpf_btf_parse(big, n + 8, &btf, err, sizeof(err)), 0);
		CHECK_EQ(ibpf_btf_type_cnt(btf), 6);
		CHECK_STR_EQ(ibpf_btf_str(btf, ibpf_btf_type(btf, 5)->name_off), "long");
		ibpf_btf_free(btf);
	}
	/* an empty type section is fine */
	bb_init(&b);
	n = bb_build(&b, data);
	CHECK_EQ(ibpf_btf_parse(data, n, &btf, err, sizeof(err)), 0);
	CHECK_EQ(ibpf_btf_type_cnt(btf), 1);
	ibpf_btf_free(btf);
	/* no err buffer: still an error code, nothing written */
	CHECK_EQ(ibpf_btf_parse(data, 3, &btf, NULL, 0), -EINVAL);
}

/* ---- hand-built .BTF.ext -------------------------------------------------- */

/* Header (24 bytes) + func_info block + line_info block from word lists. */
static size_t eb_build(unsigned char *out, const uint32_t *fi, size_t nfi,
		       const uint32_t *li, size_t nli)
{
	uint32_t hdr[6] = { BTF_MAGIC | 1u << 16, 24, 0, (uint32_t)(nfi * 4),
			    (uint32_t)(nfi * 4), (uint32_t)(nli * 4) };

	memcpy(out, hdr, sizeof(hdr));
	if (nfi)
		memcpy(out + 24, fi, nfi * 4);
	if (nli)
		memcpy(out + 24 + nfi * 4, li, nli * 4);
	return 24 + (nfi + nli) * 4;
}

TEST(btf_ext_handmade)
{
	unsigned char data[512];
	struct ibpf_btf_ext *ext;
	const struct ibpf_btf_ext_sec *s;
	struct ibpf_btf *btf;
	struct bb b;
	char err[256];
	uint32_t text, prog, file, l1, l2;
	size_t n;

	bb_init(&b);
	bb_base(&b);
	bb_t(&b, NULL, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1);   /* 6 */
	bb_t(&b, "f", INFO(BTF_KIND_FUNC, 0, 0), 6);          /* 7 */
	bb_t(&b, "g", INFO(BTF_KIND_FUNC, 0, 0), 6);          /* 8 */
	text = bb_str(&b, ".text");
	prog = bb_str(&b, "syscall");
	file = bb_str(&b, "/src/x.bpf.c");
	l1 = bb_str(&b, "int f(void)");
	l2 = bb_str(&b, "\treturn 1;");
	CHECK_EQ(bb_parse(&b, &btf, err, sizeof(err)), 0);

	{
		/* func_info with 12-byte records (one extra word skipped);
		 * line_info with the standard 16 bytes; .text in both blocks,
		 * "syscall" only in func_info, then .text again (appended) */
		uint32_t fi[] = { 12, text, 2, 0, 7, 0xdead, 16, 8, 0xbeef,
				  prog, 1, 0, 7, 0,
				  text, 1, 40, 7, 0 };
		uint32_t li[] = { 16, text, 2, 0, file, l1, 3u << 10 | 0,
					  8, file, l2, 4u << 10 | 9 };
		n = eb_build(data, fi, sizeof(fi) / 4, li, sizeof(li) / 4);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), 0);
		s = ibpf_btf_ext_find(ext, ".text");
		CHECK(s != NULL);
		CHECK_EQ(s->func_cnt, 3);
		CHECK_EQ(s->funcs[0].insn_off, 0);
		CHECK_EQ(s->funcs[0].type_id, 7);
		CHECK_EQ(s->funcs[1].insn_off, 16);
		CHECK_EQ(s->funcs[1].type_id, 8);
		CHECK_EQ(s->funcs[2].insn_off, 40);
		CHECK_EQ(s->line_cnt, 2);
		CHECK_STR_EQ(s->lines[1].file, "/src/x.bpf.c");
		CHECK_STR_EQ(s->lines[1].line, "\treturn 1;");
		CHECK_EQ(s->lines[1].line_num, 4);
		CHECK_EQ(s->lines[1].line_col, 9);
		CHECK_EQ(s->lines[1].insn_off, 8);
		s = ibpf_btf_ext_find(ext, "syscall");
		CHECK(s != NULL);
		CHECK_EQ(s->func_cnt, 1);
		CHECK_EQ(s->line_cnt, 0);
		CHECK(s->lines == NULL);
		ibpf_btf_ext_free(ext);
	}
	{
		uint32_t fi[] = { 4, text, 1, 0 };         /* record smaller than 8 */
		n = eb_build(data, fi, 4, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "BTF.ext: func_info record size 4 is invalid");
	}
	{
		uint32_t li[] = { 12, text, 1, 0, file, l1 }; /* line record smaller than 16 */
		n = eb_build(data, NULL, 0, li, 6);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "BTF.ext: line_info record size 12 is invalid");
	}
	{
		uint32_t fi[] = { 8, text, 3, 0, 7, 8, 8 }; /* claims 3 records, has 1.5 */
		n = eb_build(data, fi, 7, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "func_info of section '.text' claims 3 records of 8 bytes");
	}
	{
		uint32_t fi[] = { 8, text, 0x40000000u, 0, 7 }; /* n * rec_size overflows 32 bits */
		n = eb_build(data, fi, 5, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "claims 1073741824 records");
	}
	{
		uint32_t fi[] = { 8, text, 1, 0, 1 };       /* type 1 is an INT */
		n = eb_build(data, fi, 5, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "refers to type 1, which is not a FUNC");
	}
	{
		uint32_t fi[] = { 8, 9999, 1, 0, 7 };       /* section name out of range */
		n = eb_build(data, fi, 5, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "section name offset 9999");
	}
	{
		uint32_t fi[] = { 8, text, 1, 4, 7 };       /* insn_off not a multiple of 8 */
		n = eb_build(data, fi, 5, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "insn_off 4 is not a multiple of 8");
	}
	{
		uint32_t li[] = { 16, text, 1, 0, 9999, l1, 0 }; /* file name out of range */
		n = eb_build(data, NULL, 0, li, 7);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "file name offset 9999 is outside the BTF strings");
	}
	{
		uint32_t fi[] = { 8, text, 1, 0, 7, text };   /* trailing partial section header */
		n = eb_build(data, fi, 6, NULL, 0);
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "section header at byte 20 is truncated");
	}
	{
		uint32_t fi[] = { 8, text, 1, 0, 7 };
		n = eb_build(data, fi, 5, NULL, 0);
		data[2] = 7;                                  /* version */
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "BTF.ext: unsupported version 7");
		data[2] = 1;
		data[0] = 0xeb; data[1] = 0x9f;
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "big-endian");
		data[0] = 0x9f; data[1] = 0xeb;
		data[12] = 200;                               /* func_info_len past the end */
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "BTF.ext: func_info (offset 0, length 200) runs past the end");
		data[12] = 20;
		data[4] = 8;                                  /* hdr_len too small */
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "BTF.ext: header length 8 is out of range");
		data[4] = 24;
		CHECK_EQ(ibpf_btf_ext_parse(data, n, NULL, &ext, err, sizeof(err)), -EINVAL);
		CHECK_STR_CONTAINS(err, "needs the .BTF section");
		CHECK_EQ(ibpf_btf_ext_parse(data, n, btf, &ext, err, sizeof(err)), 0);
		CHECK_EQ(ibpf_btf_ext_find(ext, ".text")->func_cnt, 1);
		ibpf_btf_ext_free(ext);
	}
	ibpf_btf_ext_free(NULL);
	ibpf_btf_free(btf);
	ibpf_btf_free(NULL);
}
