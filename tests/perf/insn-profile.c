// SPDX-License-Identifier: GPL-2.0
/*
 * insn-profile: a QEMU TCG plugin that counts executed guest instructions
 * per translation block, in windows the guest marks itself.
 *
 *   -plugin insn-profile.so,out=FILE,mark=0xADDR
 *
 * Every time a translation block starting at guest virtual address ADDR
 * runs (the guest's sdio-mark helper puts its one function there), the
 * counts gathered since the previous mark are appended to FILE as
 *
 *   W <n>                window n begins (the counts below ended it)
 *   <vaddr> <insns> <execs>
 *
 * with one line per block that ran in the window; insns is the block's
 * length, so insns * execs is what it cost. The same again at exit.
 * Counting is an inline add per block, so the guest's instruction stream,
 * and with it icount's clock, is unchanged.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t execs;		/* bumped by generated code */
	uint64_t reported;	/* execs at the last mark */
};

/* Blocks never move once handed to QEMU, so they live in fixed chunks. */
#define CHUNK_BLOCKS 65536
static struct block **chunks;
static size_t nr_blocks, nr_chunks;

/* Open-addressing index from (vaddr, insns) to block number + 1. */
static uint32_t *index_slots;
static size_t index_size;

static FILE *out;
static uint64_t mark_vaddr;
static unsigned int window;

static struct block *block_at(size_t i)
{
	return &chunks[i / CHUNK_BLOCKS][i % CHUNK_BLOCKS];
}

static size_t slot_of(uint64_t vaddr, uint64_t insns, size_t size)
{
	uint64_t h = (vaddr ^ (insns << 56)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20) & (size - 1);
}

static void index_grow(void)
{
	size_t size = index_size ? index_size * 2 : 1 << 20;
	uint32_t *slots = calloc(size, sizeof(*slots));

	if (!slots) {
		fprintf(stderr, "insn-profile: out of memory\n");
		abort();
	}
	for (size_t i = 0; i < nr_blocks; i++) {
		struct block *b = block_at(i);
		size_t s = slot_of(b->vaddr, b->insns, size);

		while (slots[s])
			s = (s + 1) & (size - 1);
		slots[s] = (uint32_t)(i + 1);
	}
	free(index_slots);
	index_slots = slots;
	index_size = size;
}

static struct block *block_get(uint64_t vaddr, uint64_t insns)
{
	size_t s;
	struct block *b;

	if ((nr_blocks + 1) * 2 > index_size)
		index_grow();
	for (s = slot_of(vaddr, insns, index_size); index_slots[s];
	     s = (s + 1) & (index_size - 1)) {
		b = block_at(index_slots[s] - 1);
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	}
	if (nr_blocks == nr_chunks * CHUNK_BLOCKS) {
		struct block **c = realloc(chunks, (nr_chunks + 1) * sizeof(*c));

		if (!c || !(c[nr_chunks] = calloc(CHUNK_BLOCKS, sizeof(**c)))) {
			fprintf(stderr, "insn-profile: out of memory\n");
			abort();
		}
		chunks = c;
		nr_chunks++;
	}
	b = block_at(nr_blocks++);
	b->vaddr = vaddr;
	b->insns = insns;
	index_slots[s] = (uint32_t)nr_blocks;
	return b;
}

static void report_window(void)
{
	fprintf(out, "W %u\n", window++);
	for (size_t i = 0; i < nr_blocks; i++) {
		struct block *b = block_at(i);

		if (b->execs == b->reported)
			continue;
		fprintf(out, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", b->vaddr,
			b->insns, b->execs - b->reported);
		b->reported = b->execs;
	}
	fflush(out);
}

static void on_mark(unsigned int vcpu_index, void *userdata)
{
	(void)vcpu_index;
	(void)userdata;
	report_window();
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b = block_get(vaddr, qemu_plugin_tb_n_insns(tb));

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->execs, 1);
	if (vaddr == mark_vaddr)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_mark,
						     QEMU_PLUGIN_CB_NO_REGS, NULL);
}

static void on_qemu_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	report_window();
	fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	const char *path = NULL;

	(void)info;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
		else if (!strncmp(argv[i], "mark=", 5))
			mark_vaddr = strtoull(argv[i] + 5, NULL, 0);
		else {
			fprintf(stderr, "insn-profile: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	if (!path || !mark_vaddr) {
		fprintf(stderr, "insn-profile: needs out=FILE and mark=ADDR\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
