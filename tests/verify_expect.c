/* verify_expect.c - see verify_expect.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verify_expect.h"

const char *verify_last_line(const char *log, char *buf, size_t size)
{
	const char *end = log + strlen(log), *start;
	size_t len;

	while (end > log && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > log && start[-1] != '\n')
		start--;
	len = (size_t)(end - start);
	if (len >= size)
		len = size - 1;
	memcpy(buf, start, len);
	buf[len] = 0;
	return buf;
}

int verify_expect(struct ibpf_program *prog, const char *what, struct verify_want want)
{
	char log[16384] = "", last[4096];
	IBPF_OPTS(ibpf_verify_opts, o, .log_level = 0, .log_buf = log, .log_size = sizeof(log));
	int rc;

	if (!prog) {
		fprintf(stderr, "  %s: no program\n", what);
		return 0;
	}
	rc = ibpf_program__verify(prog, &o);
	verify_last_line(log, last, sizeof(last));
	if (!want.msg) {
		if (rc == 0 && o.err_insn == -1)
			return 1;
		fprintf(stderr, "  FALSE REJECT %s: verify returned %d at insn %d, want accepted; "
			"log:\n%s\n", what, rc, o.err_insn, log);
		return 0;
	}
	if (rc == 0) {
		fprintf(stderr, "  FALSE ACCEPT %s: want rejection at insn %d with\n"
			"      \"%s\"\n", what, want.insn, want.msg);
		return 0;
	}
	if ((rc == -EACCES || rc == -EINVAL) && o.err_insn == want.insn && !strcmp(last, want.msg))
		return 1;
	fprintf(stderr, "  %s: rejected (%d) at insn %d with\n      \"%s\"\n"
		"    want insn %d with\n      \"%s\"%s\n", what, rc, o.err_insn, last, want.insn,
		want.msg, rc == -EACCES || rc == -EINVAL ? "" : "\n    and -EACCES or -EINVAL");
	if (strchr(log, '\n') && strchr(log, '\n')[1])
		fprintf(stderr, "    whole log:\n%s", log);
	return 0;
}

int verify_raw_expect(const struct bpf_insn *insns, size_t n, uint32_t mem_size,
		      const char *what, struct verify_want want,
		      int (*accepted)(struct ibpf_program *p, uint32_t mem_size, const char *what))
{
	struct ibpf_object *obj = ibpf_object__open_raw(insns, n, NULL);
	struct ibpf_program *p;
	int ok;

	if (!obj) {
		fprintf(stderr, "  '%s': open failed: %s\n", what, strerror(errno));
		return 0;
	}
	p = ibpf_object__next_program(obj, NULL);
	ibpf_program__set_mem_size(p, mem_size);
	ok = verify_expect(p, what, want) && (want.msg || !accepted || accepted(p, mem_size, what));
	ibpf_object__close(obj);
	return ok;
}
