/* maps.h - map storage shared by the loader (creation), the verifier (types
 * and sizes) and the engines (lookups from helpers and direct value access).
 *
 * Concurrency.  Several threads may run programs of one object and use its
 * maps through the API at the same time.  A hash map's table is guarded by
 * the map's lock; a value pointer handed out by ibpf_map_lookup stays valid
 * until every run that could hold it has ended, even if the element is
 * deleted or replaced meanwhile (the kernel's RCU guarantee): unlinked
 * elements are retired to the object's reclamation domain and freed once no
 * run that started before the unlink is still active.  Runs announce
 * themselves with ibpf_map_run_begin/quiesce/end (core/run.c).  Array values
 * never move; concurrent writes to one value race as they do in the kernel. */
#ifndef IBPF_MAPS_H
#define IBPF_MAPS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <ibpf/ibpf.h>

struct ibpf_hash_bucket;

/* One run of a program (or a span of runs) that may hold value pointers. */
struct ibpf_map_run {
	struct ibpf_map_run *next, *prev;
	/* Epoch when the run began or last held no pointers; elements retired
	 * at an earlier epoch than every active run's start can be freed. */
	_Atomic uint64_t start;
};

/* Epoch-based reclamation for the maps of one object. */
struct ibpf_map_domain {
	pthread_mutex_t lock;    /* runs list and retired list */
	_Atomic uint64_t epoch;  /* +1 per retired element */
	struct ibpf_map_run *runs;
	struct ibpf_hash_bucket *retired, **retired_tail; /* oldest first */
	size_t retired_cnt;
	int initialized;
};

struct ibpf_map {
	char *name;
	uint32_t index;          /* position in the object; the "fd" in insns */
	uint32_t type, key_size, value_size, max_entries, map_flags;
	uint64_t map_extra;
	char *section;           /* ELF section of a global data / callx map */
	uint32_t sec_offset;     /* .maps maps: offset of the definition */
	int frozen;              /* user space may no longer write */
	uint32_t elem_size;      /* array: value_size rounded up to 8 */
	uint8_t *data;           /* array values, max_entries * elem_size */
	/* hash */
	struct ibpf_hash_bucket **buckets;
	uint32_t n_buckets, count;
	pthread_mutex_t lock;    /* hash: buckets, chains and count */
	struct ibpf_map_domain *domain; /* where unlinked elements wait; NULL: free at once */
	/* 8-byte slots holding function pointers (read-only data, call tables):
	 * byte offset of the slot and the .text offset of the target. */
	uint32_t *func_slots;
	uint32_t *func_slot_text_off;
	size_t func_slot_cnt;
	const char *layout_owner;/* program whose layout the slot values follow */
};

/* Create a map; on error returns -errno with a reason in err. */
int ibpf_map_create(const char *name, uint32_t type, uint32_t key_size,
		    uint32_t value_size, uint32_t max_entries, uint32_t flags,
		    uint64_t extra, struct ibpf_map **out, char *err, size_t errsz);
void ibpf_map_free(struct ibpf_map *map);

int ibpf_map_is_array_like(const struct ibpf_map *map);

int ibpf_map_domain_init(struct ibpf_map_domain *d);
/* Frees every retired element; no run may be active. */
void ibpf_map_domain_destroy(struct ibpf_map_domain *d);
/* A run starts (its value pointers are protected from now on), reaches a
 * point where it holds no value pointer (between repeats), and ends.  r lives
 * in the caller (e.g. on its stack) from begin to end. */
void ibpf_map_run_begin(struct ibpf_map_domain *d, struct ibpf_map_run *r);
void ibpf_map_run_quiesce(struct ibpf_map_domain *d, struct ibpf_map_run *r);
void ibpf_map_run_end(struct ibpf_map_domain *d, struct ibpf_map_run *r);
/* Elements retired and not yet freed (tests). */
size_t ibpf_map_domain_pending(struct ibpf_map_domain *d);

/* Pointer to the value for key, or NULL (engines).  A hash value stays valid
 * until the caller's run ends; outside a run it may be freed by the next
 * delete or update of the key. */
void *ibpf_map_lookup(const struct ibpf_map *map, const void *key);
/* Copy the value for key into value (the C API); -ENOENT if absent. */
int ibpf_map_lookup_copy(const struct ibpf_map *map, const void *key, void *value);
int ibpf_map_update(struct ibpf_map *map, const void *key, const void *value,
		    uint64_t flags);
int ibpf_map_delete(struct ibpf_map *map, const void *key);
int ibpf_map_next_key(const struct ibpf_map *map, const void *key, void *next);
/* Hash maps: whether ptr lies inside one value (live or retired); *off is
 * its offset from the value's start (the self-check's question). */
int ibpf_map_value_offset(const struct ibpf_map *map, uintptr_t ptr, int64_t *off);
/* Whether [ptr, ptr+size) lies inside one value of the map (checked mode). */
int ibpf_map_contains(const struct ibpf_map *map, uintptr_t ptr, size_t size);

#endif
