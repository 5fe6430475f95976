/* maps.h - map storage shared by the loader (creation), the verifier (types
 * and sizes) and the engines (lookups from helpers and direct value access). */
#ifndef IBPF_MAPS_H
#define IBPF_MAPS_H

#include <stddef.h>
#include <stdint.h>
#include <ibpf/ibpf.h>

struct ibpf_hash_bucket;

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
/* Pointer to the value for key, or NULL (engines and the C API). */
void *ibpf_map_lookup(const struct ibpf_map *map, const void *key);
int ibpf_map_update(struct ibpf_map *map, const void *key, const void *value,
		    uint64_t flags);
int ibpf_map_delete(struct ibpf_map *map, const void *key);
int ibpf_map_next_key(const struct ibpf_map *map, const void *key, void *next);
/* Whether [ptr, ptr+size) lies inside one value of the map (checked mode). */
int ibpf_map_contains(const struct ibpf_map *map, uintptr_t ptr, size_t size);

#endif
