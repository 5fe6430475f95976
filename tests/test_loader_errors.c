/* test_loader_errors.c - bad input to the loader: every case must fail with a
 * clear message naming what is wrong and where (checked by exact substring),
 * never crash, never load half an object.
 *
 * Inputs: real objects corrupted byte by byte here, the BPF C sources in
 * tests/progs/bad_*.bpf.c (they compile; they must not load), and files in
 * tests/bad_objs/ (fuzzer reproducers, a host object).  Paths under tests/
 * are relative to the repository root, where `make check` runs the tests. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <ibpf/ibpf.h>
#include "test.h"

#define BAD_OBJS "tests/bad_objs/"

static const char *const compilers[] = { "", ".clang14" };

/* ---- helpers ---------------------------------------------------------------- */

static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*size = n;
	return buf;
}

/* A compiled test object ("simple_test.o") read into memory. */
static uint8_t *read_obj(const char *name, size_t *size)
{
	uint8_t *b = read_all(test_obj(name), size);
	if (!b)
		fprintf(stderr, "  cannot read %s\n", test_obj(name));
	return b;
}

/* Open bytes as object `name`; returns NULL and the error in log, or the
 * object (the caller closes it). */
static struct ibpf_object *open_bytes(const void *buf, size_t size, const char *name,
				      char *log, size_t logsz)
{
	IBPF_OPTS(ibpf_object_open_opts, o, .object_name = name, .log_buf = log,
		  .log_size = logsz);
	log[0] = 0;
	errno = 0;
	return ibpf_object__open_mem(buf, size, &o);
}

/* Opening must fail with errno set and "NAME: " followed by a message
 * containing `want`.  Returns 0 when it does (the message is in log). */
static int open_fails(const void *buf, size_t size, const char *name, const char *want,
		      char *log, size_t logsz)
{
	char prefix[256];
	struct ibpf_object *obj = open_bytes(buf, size, name, log, logsz);
	int e = errno;

	if (obj) {
		fprintf(stderr, "  %s: opened, expected failure with \"%s\"\n", name, want);
		ibpf_object__close(obj);
		return -1;
	}
	snprintf(prefix, sizeof(prefix), "%s: ", name);
	if (!e || strncmp(log, prefix, strlen(prefix)) || !strstr(log, want)) {
		fprintf(stderr, "  %s: errno %d, expected \"%s%s\" in:\n  %s\n", name, e, prefix,
			want, log);
		return -1;
	}
	return 0;
}

#define CHECK_OPEN_FAILS(buf, size, name, want) do {                          \
	char _log[1024];                                                      \
	CHECK(open_fails(buf, size, name, want, _log, sizeof(_log)) == 0);    \
	} while (0)

/* A compiled bad_*.bpf.c must fail to open from its file, with the file's
 * name first in the message. */
static int file_fails(const char *file, const char *want)
{
	char log[1024] = "", prefix[256];
	IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj = ibpf_object__open_file(test_obj(file), &o);

	if (obj) {
		fprintf(stderr, "  %s: opened, expected failure with \"%s\"\n", file, want);
		ibpf_object__close(obj);
		return -1;
	}
	snprintf(prefix, sizeof(prefix), "%s: ", file);
	if (strncmp(log, prefix, strlen(prefix)) || !strstr(log, want)) {
		fprintf(stderr, "  expected \"%s%s\" in:\n  %s\n", prefix, want, log);
		return -1;
	}
	return 0;
}

/* Both compilers' builds of tests/progs/NAME.bpf.c fail with `want`. */
#define CHECK_BAD_PROG(name, want) do {                                       \
	for (int _c = 0; _c < 2; _c++) {                                      \
		char _f[128];                                                 \
		snprintf(_f, sizeof(_f), "%s%s.o", name, compilers[_c]);      \
		CHECK(file_fails(_f, want) == 0);                             \
	} } while (0)

/* ELF surgery on a little-endian ELF64 image (bounds-checked). */
static Elf64_Ehdr *ehdr(uint8_t *b, size_t size)
{
	return size >= sizeof(Elf64_Ehdr) ? (Elf64_Ehdr *)b : NULL;
}

static Elf64_Shdr *shdr(uint8_t *b, size_t size, size_t i)
{
	Elf64_Ehdr *eh = ehdr(b, size);
	if (!eh || i >= eh->e_shnum || eh->e_shoff > size ||
	    (i + 1) * sizeof(Elf64_Shdr) > size - eh->e_shoff)
		return NULL;
	return (Elf64_Shdr *)(b + eh->e_shoff + i * sizeof(Elf64_Shdr));
}

/* Index of the section called `name`, or -1. */
static int find_sec(uint8_t *b, size_t size, const char *name)
{
	Elf64_Ehdr *eh = ehdr(b, size);
	Elf64_Shdr *strs = eh ? shdr(b, size, eh->e_shstrndx) : NULL;

	if (!strs)
		return -1;
	for (size_t i = 1; i < eh->e_shnum; i++) {
		Elf64_Shdr *s = shdr(b, size, i);
		size_t len = strlen(name);
		if (s && strs->sh_offset + s->sh_name + len < size &&
		    !memcmp(b + strs->sh_offset + s->sh_name, name, len + 1))
			return (int)i;
	}
	return -1;
}

/* The symbol called `name` in .symtab, or NULL. */
static Elf64_Sym *find_sym(uint8_t *b, size_t size, const char *name)
{
	int st = find_sec(b, size, ".symtab");
	Elf64_Shdr *sh = st < 0 ? NULL : shdr(b, size, (size_t)st);
	Elf64_Shdr *str = sh ? shdr(b, size, sh->sh_link) : NULL;

	if (!str || sh->sh_offset + sh->sh_size > size)
		return NULL;
	for (size_t off = 0; off + sizeof(Elf64_Sym) <= sh->sh_size; off += sizeof(Elf64_Sym)) {
		Elf64_Sym *sym = (Elf64_Sym *)(b + sh->sh_offset + off);
		size_t len = strlen(name);
		if (str->sh_offset + sym->st_name + len < size &&
		    !memcmp(b + str->sh_offset + sym->st_name, name, len + 1))
			return sym;
	}
	return NULL;
}

/* A fresh copy of simple_test.o (clang-19) and the header of one of its
 * sections, for one corruption. */
struct victim {
	uint8_t *b;
	size_t size;
	Elf64_Shdr *sec;
};

static int victim(struct victim *v, const char *sec)
{
	v->b = read_obj("simple_test.o", &v->size);
	v->sec = NULL;
	if (!v->b)
		return -1;
	if (sec) {
		int i = find_sec(v->b, v->size, sec);
		v->sec = i < 0 ? NULL : shdr(v->b, v->size, (size_t)i);
		if (!v->sec || v->sec->sh_offset + v->sec->sh_size > v->size) {
			fprintf(stderr, "  simple_test.o has no section %s\n", sec);
			free(v->b);
			return -1;
		}
	}
	return 0;
}

/* ---- truncated and non-BPF files ------------------------------------------ */

TEST(loader_err_truncated)
{
	static const char *const objs[] = { "simple_test.o", "calculon.clang14.o" };
	char want[256];

	for (size_t k = 0; k < 2; k++) {
		size_t size;
		uint8_t *b = read_obj(objs[k], &size);
		Elf64_Ehdr *eh;

		CHECK(b);
		eh = ehdr(b, size);
		CHECK(eh);
		/* The control: the whole file opens. */
		{
			char log[1024];
			struct ibpf_object *obj = open_bytes(b, size, objs[k], log, sizeof(log));
			if (!obj)
				fprintf(stderr, "  %s\n", log);
			CHECK(obj);
			ibpf_object__close(obj);
		}
		CHECK_OPEN_FAILS(b, 0, objs[k], "file too short for an ELF header (0 bytes)");
		CHECK_OPEN_FAILS(b, 16, objs[k], "file too short for an ELF header (16 bytes)");
		CHECK_OPEN_FAILS(b, 63, objs[k], "file too short for an ELF header (63 bytes)");
		/* clang writes the section headers last: any cut loses some. */
		const size_t cuts[] = { 64, 1000, size / 2, eh->e_shoff, eh->e_shoff + 100, size - 1 };
		for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
			snprintf(want, sizeof(want), "section header table (offset %llu, %u entries) "
				 "runs past the end of the file (%zu bytes): truncated?",
				 (unsigned long long)eh->e_shoff, eh->e_shnum, cuts[c]);
			CHECK_OPEN_FAILS(b, cuts[c], objs[k], want);
		}
		/* Every other cut fails too, with a message (under ASan: and
		 * without reading past the cut, which is why each cut is a fresh
		 * allocation of exactly that size). */
		for (size_t cut = 0; cut < size; cut++) {
			char log[1024];
			uint8_t *t = malloc(cut ? cut : 1);
			CHECK(t);
			memcpy(t, b, cut);
			struct ibpf_object *obj = open_bytes(t, cut, objs[k], log, sizeof(log));
			free(t);
			if (obj) {
				ibpf_object__close(obj);
				fprintf(stderr, "  %s cut at %zu opened\n", objs[k], cut);
			}
			CHECK(!obj);
			CHECK(strlen(log) > strlen(objs[k]) + 2);
		}
		free(b);
	}
}

TEST(loader_err_not_elf)
{
	static const char text[] = "#!/bin/sh\necho this is a shell script, not an ELF object\n"
				   "echo padded to more than sixty-four bytes\n";
	size_t size;
	uint8_t *b;

	CHECK_OPEN_FAILS(text, sizeof(text), "script.o", "not an ELF file");
	/* A host x86-64 relocatable object (tests/bad_objs/host_x86_64.c). */
	b = read_all(BAD_OBJS "host_x86_64.elf", &size);
	CHECK(b);
	CHECK_OPEN_FAILS(b, size, "host_x86_64.elf", "not a BPF object (machine 62, expected 247)");
	free(b);
	/* A host executable: this test program. */
	b = read_all("/proc/self/exe", &size);
	CHECK(b);
	CHECK_OPEN_FAILS(b, size, "test_runner", "not a BPF object (machine 62, expected 247)");
	free(b);
	/* Through the file API the message starts with the file's name. */
	{
		char log[1024] = "";
		IBPF_OPTS(ibpf_object_open_opts, o, .log_buf = log, .log_size = sizeof(log));
		struct ibpf_object *obj = ibpf_object__open_file(BAD_OBJS "host_x86_64.elf", &o);
		CHECK(!obj);
		CHECK_STR_CONTAINS(log, "host_x86_64.elf: not a BPF object (machine 62");
		obj = ibpf_object__open_file(BAD_OBJS "no_such_file.o", &o);
		CHECK(!obj);
		CHECK_EQ(errno, ENOENT);
		CHECK_STR_CONTAINS(log, "tests/bad_objs/no_such_file.o: cannot open: ");
	}
}

TEST(loader_err_elf_header)
{
	struct victim v;

	CHECK(victim(&v, NULL) == 0);
	ehdr(v.b, v.size)->e_machine = EM_X86_64;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "not a BPF object (machine 62, expected 247)");
	ehdr(v.b, v.size)->e_machine = 247;
	ehdr(v.b, v.size)->e_type = ET_EXEC;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "not a relocatable object (ELF type 2)");
	ehdr(v.b, v.size)->e_type = ET_REL;
	v.b[EI_DATA] = ELFDATA2MSB;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "big-endian BPF objects are not supported");
	v.b[EI_DATA] = ELFDATA2LSB;
	v.b[EI_CLASS] = ELFCLASS32;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "not a 64-bit ELF file");
	v.b[EI_CLASS] = ELFCLASS64;
	v.b[1] = 'X';
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "not an ELF file");
	free(v.b);
}

/* ---- garbage inside sections ------------------------------------------------ */

TEST(loader_err_garbage_btf)
{
	struct victim v;

	CHECK(victim(&v, ".BTF") == 0);
	memset(v.b + v.sec->sh_offset, 0xa5, v.sec->sh_size);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "BTF: bad magic 0xa5a5 (expected 0xeb9f)");
	free(v.b);

	CHECK(victim(&v, ".BTF.ext") == 0);
	memset(v.b + v.sec->sh_offset, 0x5a, v.sec->sh_size);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "BTF.ext: bad magic 0x5a5a (expected 0xeb9f)");
	free(v.b);

	/* Right magic, then garbage: the type section claims more than there is. */
	CHECK(victim(&v, ".BTF") == 0);
	memset(v.b + v.sec->sh_offset + 8, 0xff, 16);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "BTF: ");
	free(v.b);
}

TEST(loader_err_section_out_of_file)
{
	struct victim v;
	char want[256];

	CHECK(victim(&v, ".BTF") == 0);
	v.sec->sh_offset = v.size - 8;
	snprintf(want, sizeof(want), "section .BTF: bytes %zu..%llu run past the end of the file "
		 "(%zu bytes)", v.size - 8, (unsigned long long)(v.size - 8 + v.sec->sh_size),
		 v.size);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", want);
	free(v.b);

	CHECK(victim(&v, "syscall") == 0);
	v.sec->sh_size = 1ull << 62;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "section syscall: bytes ");
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "run past the end of the file");
	free(v.b);
}

TEST(loader_err_program_section)
{
	struct victim v;
	char want[256];

	/* Not a whole number of instructions. */
	CHECK(victim(&v, "syscall") == 0);
	v.sec->sh_size -= 4;
	snprintf(want, sizeof(want), "section syscall: size %llu is not a multiple of the "
		 "8-byte instruction", (unsigned long long)v.sec->sh_size);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", want);
	free(v.b);

	/* Code without bytes (found by fuzz_loader: the relocations of such a
	 * section were written through a NULL table). */
	CHECK(victim(&v, "syscall") == 0);
	v.sec->sh_type = SHT_NOBITS;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o",
			 "section syscall: executable section without contents (SHT_NOBITS)");
	free(v.b);

	/* The function symbol claims more bytes than its section has. */
	CHECK(victim(&v, "syscall") == 0);
	Elf64_Sym *sym = find_sym(v.b, v.size, "simple_test");
	CHECK(sym);
	sym->st_size = v.sec->sh_size + 8;
	snprintf(want, sizeof(want), "function 'simple_test': bytes 0+%llu do not fit section "
		 "syscall (%llu bytes, 8-byte instructions)",
		 (unsigned long long)sym->st_size, (unsigned long long)v.sec->sh_size);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", want);
	free(v.b);
}

TEST(loader_err_symbols_and_relocations)
{
	struct victim v;
	int rel;

	/* No symbol table: what `strip` leaves. */
	CHECK(victim(&v, ".symtab") == 0);
	v.sec->sh_type = SHT_PROGBITS;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o",
			 "no symbol table (.symtab): was the object stripped?");
	free(v.b);

	/* A relocation naming a symbol past the table. */
	CHECK(victim(&v, ".relsyscall") == 0);
	Elf64_Rel *r = (Elf64_Rel *)(v.b + v.sec->sh_offset);
	r->r_info = ELF64_R_INFO(0xffffu, ELF64_R_TYPE(r->r_info));
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "section .relsyscall: relocation at 0x");
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "names symbol 65535, past the symbol table");
	free(v.b);

	/* A relocation that is not on an instruction boundary. */
	CHECK(victim(&v, ".relsyscall") == 0);
	r = (Elf64_Rel *)(v.b + v.sec->sh_offset);
	r->r_offset += 3;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "section syscall: relocation at offset 0x");
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "is not on an instruction");
	free(v.b);

	/* A relocation section whose target section does not exist. */
	CHECK(victim(&v, ".relsyscall") == 0);
	v.sec->sh_info = 0xffff;
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o",
			 "section .relsyscall: target section 65535 out of range");
	free(v.b);

	/* A relocation against an instruction that cannot take one. */
	CHECK(victim(&v, "syscall") == 0);
	rel = find_sec(v.b, v.size, ".relsyscall");
	CHECK(rel > 0);
	r = (Elf64_Rel *)(v.b + shdr(v.b, v.size, (size_t)rel)->sh_offset);
	/* Make the relocated instruction a plain mov r0, 0. */
	uint8_t *insn = v.b + v.sec->sh_offset + r->r_offset;
	memcpy(insn, (const uint8_t[]){ 0xb7, 0, 0, 0, 0, 0, 0, 0 }, 8);
	CHECK_OPEN_FAILS(v.b, v.size, "simple_test.o", "neither a call nor a 64-bit load "
			 "(opcode 0xb7)");
	free(v.b);
}

/* Garbage code loads (decoding errors are kept for run / verify time) and
 * then refuses to run, naming the program and the instruction. */
TEST(loader_err_garbage_code)
{
	struct victim v;
	struct ibpf_object *obj;
	char log[1024];

	CHECK(victim(&v, "syscall") == 0);
	memset(v.b + v.sec->sh_offset, 0xff, 8);
	obj = open_bytes(v.b, v.size, "simple_test.o", log, sizeof(log));
	free(v.b);
	if (!obj)
		fprintf(stderr, "  %s\n", log);
	CHECK(obj);
	{
		uint64_t ctx = 7;
		IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			  .log_buf = log, .log_size = sizeof(log));
		int rc = ibpf_prog_test_run_opts(ibpf_object__find_program_by_name(obj,
							"simple_test"), &o);
		ibpf_object__close(obj);
		CHECK_EQ(rc, -EINVAL);
		CHECK_STR_CONTAINS(log, "program 'simple_test': insn 0: unknown opcode (code 0xff)");
	}
}

/* ---- BPF C that compiles but must not load (tests/progs/bad_*.bpf.c) ------- */

TEST(loader_err_extern)
{
	CHECK_BAD_PROG("bad_extern", "syscall: insn 0: relocation against missing symbol "
		       "'bad_missing_var' (externs are not supported)");
	CHECK_BAD_PROG("bad_extern_call", "syscall: insn 1: call to missing function "
		       "'bad_missing_func' (extern functions are not supported)");
}

TEST(loader_err_unsupported_map_type)
{
	CHECK_BAD_PROG("bad_ringbuf", "map 'bad_rb': unsupported map type 27");
}

TEST(loader_err_fptr_in_writable_data)
{
	CHECK_BAD_PROG("bad_fptr_data", "section .data: offset 0x0 holds a pointer to function "
		       "'bad_target' in writable data, which user space can rewrite; declare "
		       "the table 'const' (.rodata) or put it in SEC(\"callx\")");
}

/* A table slot naming a program's entry function (not a .text subprogram). */
TEST(loader_err_fptr_to_program_section)
{
	CHECK_BAD_PROG("bad_fptr_progsec", "section .rodata: offset 0x8 points into section "
		       "syscall; data may only point to functions in .text");
}

TEST(loader_err_legacy_maps)
{
	CHECK_BAD_PROG("bad_legacy_maps", "section maps: legacy map definitions "
		       "(struct bpf_map_def in SEC(\"maps\")) are not supported; declare "
		       "BTF-defined maps in SEC(\".maps\")");
}

TEST(loader_err_call_table_entry)
{
	CHECK_BAD_PROG("bad_callx_entry", "call table 'bad_table_num': entry 1 holds 0x3, "
		       "which is not a function pointer");
	CHECK_BAD_PROG("bad_callx_var", "section callx: offset 0x8 points into section "
		       ".rodata; data may only point to functions in .text");
}

/* ---- fuzzer reproducers ------------------------------------------------------ */

/* Every file the fuzzer once crashed on (tests/bad_objs/fuzz_*.elf) must
 * now open cleanly or fail with a message; run whatever opens. */
TEST(loader_err_fuzz_reproducers)
{
	static const char *const files[] = {
		"fuzz_nobits_exec_rel.elf",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256], log[1024];
		size_t size;
		uint8_t *b;
		struct ibpf_object *obj;

		snprintf(path, sizeof(path), BAD_OBJS "%s", files[i]);
		b = read_all(path, &size);
		if (!b)
			fprintf(stderr, "  cannot read %s\n", path);
		CHECK(b);
		obj = open_bytes(b, size, files[i], log, sizeof(log));
		free(b);
		if (!obj) {
			CHECK(strlen(log) > strlen(files[i]) + 2);
			continue;
		}
		for (struct ibpf_program *p = ibpf_object__next_program(obj, NULL); p;
		     p = ibpf_object__next_program(obj, p)) {
			uint8_t ctx[64] = { 0 };
			IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = sizeof(ctx),
				  .flags = IBPF_RUN_CHECKED, .log_buf = log, .log_size = sizeof(log));
			ibpf_prog_test_run_opts(p, &o);
		}
		ibpf_object__close(obj);
	}
}
