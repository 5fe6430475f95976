/* memory.c - the JIT's code pages.  A mapping is writable while the code and
 * its call table are written, then sealed: code pages read + execute, table
 * pages read-only.  No page is ever writable and executable at once. */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jit/jit_internal.h"

static size_t page_round(size_t n)
{
	long ps = sysconf(_SC_PAGESIZE);
	size_t p = ps > 0 ? (size_t)ps : 4096;

	return (n + p - 1) / p * p;
}

int jit_mem_alloc(struct jit_mem *m, size_t code_size, size_t data_size)
{
	void *p;

	m->code_size = page_round(code_size ? code_size : 1);
	m->size = m->code_size + page_round(data_size ? data_size : 1);
	p = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		m->base = NULL;
		return -errno;
	}
	m->base = p;
	return 0;
}

int jit_mem_seal(struct jit_mem *m)
{
	if (mprotect(m->base, m->code_size, PROT_READ | PROT_EXEC))
		return -errno;
	if (mprotect(m->base + m->code_size, m->size - m->code_size, PROT_READ))
		return -errno;
	return 0;
}

void jit_mem_free(struct jit_mem *m)
{
	if (m->base)
		munmap(m->base, m->size);
	m->base = NULL;
}
