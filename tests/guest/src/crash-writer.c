// SPDX-License-Identifier: GPL-2.0
/*
 * crash-writer: the database-like writer of the crash-consistency test and
 * the checker of what a replayed (or cut) device kept of it.
 *
 *   crash-writer prep FILE SIZE          fill FILE with generation-0 records
 *                                        (O_DIRECT), fsync
 *   crash-writer run FILE JOURNAL --engine ENGINE [options]
 *   crash-writer verify FILE JOURNAL [--mark NAME]
 *
 * run overwrites random records of --rec bytes (4096 or 16384) in place,
 * O_DIRECT, and appends to JOURNAL what became durable when:
 *   w SEQ BLOCK NBLOCKS   a write completed (blocks of 4096 bytes)
 *   m NAME                every write journaled above is durable now; with
 *                         --dm DEV also a dm-log-writes mark NAME on DEV
 *   c NAME                --cut-cmd ran; NAME is the last m line before it
 * Engines: pwritev2 (RWF_DSYNC), odsync (an O_DSYNC descriptor, pwrite),
 * uring (io_uring writes with RWF_DSYNC, --qd in flight, never two on one
 * record) each with a mark "aSEQ" after every acknowledged write; fdatasync
 * (plain O_DIRECT writes, --batch of them, then fdatasync and a mark "sSEQ").
 *
 * Every 4096-byte block of a record describes itself: magic, sequence
 * number, file block, seed, its place in the record and a checksum over the
 * rest; its payload follows from those. verify checks that every block of
 * FILE holds a valid record for that block, written by that block's newest
 * write durable at mark NAME (default: the journal's last m line) or by a
 * later write to it; "lost" is an older one, "corrupt" anything else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/dm-ioctl.h>
#include <unistd.h>
#include "guest-util.h"

#define BLK		4096
#define REC_MAGIC	0x4853524331444953ULL	/* "SID1CRSH", little endian */
#define MAX_QD		16
#define MAX_REC_BLOCKS	4

struct rec_hdr {
	uint64_t magic;
	uint64_t seq;
	uint64_t block;
	uint64_t seed;
	uint32_t index;		/* this block's place in its record */
	uint32_t nblocks;	/* blocks in the record */
	uint64_t csum;
};

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t fnv1a(const void *p, size_t len, uint64_t h)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t block_csum(const uint8_t *blk)
{
	size_t at = offsetof(struct rec_hdr, csum);
	uint64_t h = fnv1a(blk, at, 0xcbf29ce484222325ULL);

	return fnv1a(blk + at + 8, BLK - at - 8, h);
}

static void fill_block(uint8_t *blk, uint64_t seq, uint64_t block,
		       uint64_t seed, uint32_t index, uint32_t nblocks)
{
	struct rec_hdr h = { REC_MAGIC, seq, block, seed, index, nblocks, 0 };
	uint64_t *w = (uint64_t *)blk;

	for (size_t i = sizeof(h) / 8; i < BLK / 8; i++)
		w[i] = mix(seed ^ (seq << 20) ^ (block << 40) ^ i);
	memcpy(blk, &h, sizeof(h));
	h.csum = block_csum(blk);
	memcpy(blk, &h, sizeof(h));
}

static void fill_record(uint8_t *buf, uint64_t seq, uint64_t block,
			uint64_t seed, uint32_t nblocks)
{
	for (uint32_t i = 0; i < nblocks; i++)
		fill_block(buf + (size_t)i * BLK, seq, block + i, seed, i,
			   nblocks);
}

/* 0: a valid record block for BLOCK (its seq in *seq); -1: anything else. */
static int parse_block(const uint8_t *blk, uint64_t block, uint64_t *seq)
{
	static uint8_t want[BLK];
	struct rec_hdr h;

	memcpy(&h, blk, sizeof(h));
	if (h.magic != REC_MAGIC || h.block != block ||
	    h.csum != block_csum(blk) || h.index >= h.nblocks ||
	    h.nblocks > MAX_REC_BLOCKS)
		return -1;
	fill_block(want, h.seq, h.block, h.seed, h.index, h.nblocks);
	*seq = h.seq;
	return memcmp(want, blk, BLK) ? -1 : 0;
}

static void *xalloc(size_t len)
{
	void *p = aligned_alloc(BLK, len);

	if (!p)
		die("%s", "out of memory");
	return p;
}

static int cmd_prep(int argc, char **argv)
{
	uint64_t size, nblocks;
	uint8_t *buf;
	int fd;

	if (argc != 4)
		die("%s", "usage: prep FILE SIZE");
	size = parse_size(argv[3]);
	if (!size || size % (MAX_REC_BLOCKS * BLK))
		die("size %s: not a positive multiple of %d", argv[3],
		    MAX_REC_BLOCKS * BLK);
	nblocks = size / BLK;
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	if (fd < 0)
		die("cannot create %s: %s", argv[2], strerror(errno));
	buf = xalloc(BLK);
	for (uint64_t b = 0; b < nblocks; b++) {
		fill_block(buf, 0, b, 0, 0, 1);
		if (pwrite(fd, buf, BLK, b * BLK) != BLK)
			die("write of block %llu of %s failed: %s",
			    (unsigned long long)b, argv[2], strerror(errno));
	}
	if (fsync(fd) || close(fd))
		die("fsync of %s failed: %s", argv[2], strerror(errno));
	free(buf);
	return 0;
}

/* The journal: one line a completed write, mark or cut. */
struct jwrite {
	uint64_t block;
	uint32_t nblocks;
	bool seen;
};

struct journal {
	struct jwrite *w;	/* by sequence number */
	uint64_t nr_seq;	/* highest seq + 1 */
	uint64_t cap;
};

static void journal_add(struct journal *j, uint64_t seq, uint64_t block,
			uint32_t nblocks)
{
	if (seq >= j->cap) {
		uint64_t cap = j->cap ? j->cap : 1024;

		while (cap <= seq)
			cap *= 2;
		j->w = realloc(j->w, cap * sizeof(*j->w));
		if (!j->w)
			die("%s", "out of memory");
		memset(j->w + j->cap, 0, (cap - j->cap) * sizeof(*j->w));
		j->cap = cap;
	}
	j->w[seq] = (struct jwrite){ block, nblocks, true };
	if (seq + 1 > j->nr_seq)
		j->nr_seq = seq + 1;
}

/*
 * Read JOURNAL. With REQUIRED (one entry a file block), also the newest
 * write to each block durable at mark MARK (the last m line when NULL);
 * returns the number of such writes. Dies on a malformed line, a
 * repeated sequence number or a mark it does not find.
 */
static uint64_t journal_read(const char *path, struct journal *j,
			     uint64_t *required, uint64_t nblocks,
			     const char *mark)
{
	uint64_t durable = 0, pending = 0, line_no = 0, seq, block;
	uint64_t *req_pending = NULL;
	char line[512], name[256];
	bool found = false;
	unsigned int n;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		die("cannot open journal %s: %s", path, strerror(errno));
	if (required) {
		req_pending = calloc(nblocks, sizeof(*req_pending));
		if (!req_pending)
			die("%s", "out of memory");
	}
	while (fgets(line, sizeof(line), f)) {
		line_no++;
		if (sscanf(line, "w %lu %lu %u", &seq, &block, &n) == 3) {
			if (!seq || (seq < j->cap && j->w[seq].seen))
				die("%s:%llu: sequence number %lu repeated or 0",
				    path, (unsigned long long)line_no, seq);
			if (!n || n > MAX_REC_BLOCKS ||
			    (required && block + n > nblocks))
				die("%s:%llu: write of blocks %lu+%u outside the file",
				    path, (unsigned long long)line_no, block, n);
			journal_add(j, seq, block, n);
			pending++;
			if (!required || found)
				continue;
			for (unsigned int i = 0; i < n; i++)
				if (seq > req_pending[block + i])
					req_pending[block + i] = seq;
		} else if (sscanf(line, "m %255s", name) == 1) {
			if (!required || found)
				continue;
			/* Everything journaled so far is durable now. */
			for (uint64_t b = 0; b < nblocks; b++)
				if (req_pending[b] > required[b])
					required[b] = req_pending[b];
			durable += pending;
			pending = 0;
			if (mark && !strcmp(name, mark))
				found = true;
		} else if (sscanf(line, "c %255s", name) != 1) {
			die("%s:%llu: malformed line '%.60s'", path,
			    (unsigned long long)line_no, line);
		}
	}
	fclose(f);
	free(req_pending);
	if (required && mark && !found)
		die("%s: no mark '%s'", path, mark);
	return durable;
}

static int cmd_verify(int argc, char **argv)
{
	uint64_t nblocks, durable, exact = 0, newer = 0, lost = 0, corrupt = 0;
	const char *mark = NULL;
	struct journal j = { 0 };
	uint64_t *required;
	struct stat st;
	uint8_t *buf;
	int fd;

	if (argc == 6 && !strcmp(argv[4], "--mark"))
		mark = argv[5];
	else if (argc != 4)
		die("%s", "usage: verify FILE JOURNAL [--mark NAME]");
	fd = open(argv[2], O_RDONLY | O_DIRECT);
	if (fd < 0 || fstat(fd, &st))
		die("cannot open %s: %s", argv[2], strerror(errno));
	if (!st.st_size || st.st_size % BLK)
		die("%s: size %lld is not a positive multiple of %d", argv[2],
		    (long long)st.st_size, BLK);
	nblocks = st.st_size / BLK;
	required = calloc(nblocks, sizeof(*required));
	if (!required)
		die("%s", "out of memory");
	durable = journal_read(argv[3], &j, required, nblocks, mark);
	buf = xalloc(BLK);
	for (uint64_t b = 0; b < nblocks; b++) {
		const char *why = NULL;
		uint64_t seq = 0;

		if (pread(fd, buf, BLK, b * BLK) != BLK)
			die("read of block %llu of %s failed: %s",
			    (unsigned long long)b, argv[2], strerror(errno));
		if (parse_block(buf, b, &seq))
			why = "not a valid record for this block";
		else if (seq && (seq >= j.nr_seq || !j.w[seq].seen ||
				 b < j.w[seq].block ||
				 b >= j.w[seq].block + j.w[seq].nblocks))
			why = "a sequence number never written to this block";
		if (why) {
			corrupt++;
			if (corrupt + lost <= 5)
				printf("block %llu: %s (seq %llu, required %llu)\n",
				       (unsigned long long)b, why,
				       (unsigned long long)seq,
				       (unsigned long long)required[b]);
		} else if (seq < required[b]) {
			lost++;
			if (corrupt + lost <= 5)
				printf("block %llu: lost: holds seq %llu, write %llu was durable\n",
				       (unsigned long long)b,
				       (unsigned long long)seq,
				       (unsigned long long)required[b]);
		} else if (seq == required[b]) {
			exact++;
		} else {
			newer++;
		}
	}
	close(fd);
	printf("verify %s: %llu blocks, %llu writes durable, %llu blocks hold their newest durable write, %llu a newer one, %llu lost, %llu corrupt\n",
	       mark ? mark : "(last mark)", (unsigned long long)nblocks,
	       (unsigned long long)durable, (unsigned long long)exact,
	       (unsigned long long)newer, (unsigned long long)lost,
	       (unsigned long long)corrupt);
	free(buf);
	free(required);
	free(j.w);
	return lost || corrupt ? 1 : 0;
}

/* A dm-log-writes mark through the DM_TARGET_MSG ioctl. */
static void dm_mark(int ctl, const char *dev, const char *name)
{
	union {
		struct dm_ioctl io;
		char buf[sizeof(struct dm_ioctl) + sizeof(struct dm_target_msg) + 128];
	} u;
	struct dm_target_msg *msg;

	memset(&u, 0, sizeof(u));
	u.io.version[0] = DM_VERSION_MAJOR;
	u.io.data_size = sizeof(u);
	u.io.data_start = sizeof(struct dm_ioctl);
	snprintf(u.io.name, sizeof(u.io.name), "%s", dev);
	msg = (struct dm_target_msg *)(u.buf + sizeof(struct dm_ioctl));
	msg->sector = 0;
	snprintf(msg->message, 128, "mark %s", name);
	if (ioctl(ctl, DM_TARGET_MSG, &u))
		die("dm message 'mark %s' to %s failed: %s", name, dev,
		    strerror(errno));
}

struct run {
	int fd, dm_ctl;
	const char *dm_dev, *cut_cmd;
	FILE *journal;
	uint64_t seed, rng, seq, nrecs, marks, cut_at, qd, batch;
	uint32_t rec_blocks;
	char last_mark[64];
	bool cut_done;
	uint64_t busy[MAX_QD];	/* records in flight, +1 (0: free) */
};

static uint64_t next_rand(struct run *r)
{
	r->rng = mix(r->rng);
	return r->rng;
}

/* A random record no write in flight touches. */
static uint64_t pick_record(struct run *r)
{
	for (;;) {
		uint64_t rec = next_rand(r) % r->nrecs;
		bool busy = false;

		for (uint64_t i = 0; i < r->qd; i++)
			busy |= r->busy[i] == rec + 1;
		if (!busy)
			return rec;
	}
}

static void jprintf(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void jprintf(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(r->journal, fmt, ap);
	va_end(ap);
	if (fflush(r->journal))
		die("journal write failed: %s", strerror(errno));
}

static void completed(struct run *r, uint64_t seq, uint64_t rec)
{
	jprintf(r, "w %llu %llu %u\n", (unsigned long long)seq,
		(unsigned long long)(rec * r->rec_blocks), r->rec_blocks);
}

/* Everything completed so far is durable: mark it, maybe cut. */
static void durable_mark(struct run *r, char kind, uint64_t seq)
{
	snprintf(r->last_mark, sizeof(r->last_mark), "%c%llu", kind,
		 (unsigned long long)seq);
	if (r->dm_dev)
		dm_mark(r->dm_ctl, r->dm_dev, r->last_mark);
	jprintf(r, "m %s\n", r->last_mark);
	if (r->cut_cmd && !r->cut_done && ++r->marks >= r->cut_at) {
		int rc = system(r->cut_cmd);

		if (rc)
			die("cut command '%s' failed (status %d)", r->cut_cmd,
			    rc);
		r->cut_done = true;
		jprintf(r, "c %s\n", r->last_mark);
	}
}

static void write_sync(struct run *r, uint8_t *buf, uint64_t rec, int flags)
{
	size_t len = (size_t)r->rec_blocks * BLK;
	struct iovec iov = { buf, len };
	ssize_t ret;

	fill_record(buf, r->seq, rec * r->rec_blocks, r->seed, r->rec_blocks);
	ret = pwritev2(r->fd, &iov, 1, (off_t)(rec * len), flags);
	if (ret != (ssize_t)len)
		die("write of record %llu failed: %s", (unsigned long long)rec,
		    ret < 0 ? strerror(errno) : "short write");
	completed(r, r->seq, rec);
}

static void run_uring(struct run *r, uint64_t ops)
{
	size_t len = (size_t)r->rec_blocks * BLK;
	uint64_t slot_seq[MAX_QD], issued = 0, done = 0;
	struct io_uring ring;
	uint8_t *bufs;
	int ret;

	ret = io_uring_queue_init(r->qd, &ring, 0);
	if (ret)
		die("io_uring_queue_init: %s", strerror(-ret));
	bufs = xalloc(len * r->qd);
	while (done < ops) {
		for (uint64_t s = 0; s < r->qd && issued < ops; s++) {
			struct io_uring_sqe *sqe;
			uint64_t rec;

			if (r->busy[s])
				continue;
			rec = pick_record(r);
			r->busy[s] = rec + 1;
			slot_seq[s] = r->seq++;
			fill_record(bufs + s * len, slot_seq[s],
				    rec * r->rec_blocks, r->seed,
				    r->rec_blocks);
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_write(sqe, r->fd, bufs + s * len, len,
					    rec * len);
			sqe->rw_flags = RWF_DSYNC;
			io_uring_sqe_set_data64(sqe, s);
			issued++;
		}
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			die("io_uring_submit: %s", strerror(-ret));
		for (;;) {
			struct io_uring_cqe *cqe;
			uint64_t s;

			if (io_uring_peek_cqe(&ring, &cqe))
				break;
			s = io_uring_cqe_get_data64(cqe);
			if (cqe->res != (int)len)
				die("io_uring write of record %llu: %s",
				    (unsigned long long)(r->busy[s] - 1),
				    cqe->res < 0 ? strerror(-cqe->res) :
						   "short write");
			io_uring_cqe_seen(&ring, cqe);
			completed(r, slot_seq[s], r->busy[s] - 1);
			durable_mark(r, 'a', slot_seq[s]);
			r->busy[s] = 0;
			done++;
		}
	}
	io_uring_queue_exit(&ring);
	free(bufs);
}

static int cmd_run(int argc, char **argv)
{
	struct run r = { .qd = 1, .batch = 8, .rec_blocks = 1, .seed = 1 };
	const char *engine = NULL;
	struct journal j = { 0 };
	uint64_t ops = 100;
	struct stat st;
	uint8_t *buf;
	int oflags = O_WRONLY | O_DIRECT;

	if (argc < 4)
		die("%s", "usage: run FILE JOURNAL --engine pwritev2|odsync|uring|fdatasync [--ops N] [--rec 4096|16384] [--seed S] [--qd N] [--batch N] [--dm DEV] [--cut-at MARKS --cut-cmd CMD]");
	for (int a = 4; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!val)
			die("option %s needs a value", opt);
		a++;
		if (!strcmp(opt, "--engine"))
			engine = val;
		else if (!strcmp(opt, "--ops"))
			ops = parse_size(val);
		else if (!strcmp(opt, "--rec"))
			r.rec_blocks = parse_size(val) / BLK;
		else if (!strcmp(opt, "--seed"))
			r.seed = parse_size(val);
		else if (!strcmp(opt, "--qd"))
			r.qd = parse_size(val);
		else if (!strcmp(opt, "--batch"))
			r.batch = parse_size(val);
		else if (!strcmp(opt, "--dm"))
			r.dm_dev = val;
		else if (!strcmp(opt, "--cut-at"))
			r.cut_at = parse_size(val);
		else if (!strcmp(opt, "--cut-cmd"))
			r.cut_cmd = val;
		else
			die("unknown run option '%s'", opt);
	}
	if (!engine)
		die("%s", "run needs --engine");
	if (r.rec_blocks != 1 && r.rec_blocks != MAX_REC_BLOCKS)
		die("--rec must be 4096 or 16384");
	if (!r.qd || r.qd > MAX_QD || !r.batch)
		die("--qd must be 1..%d and --batch positive", MAX_QD);
	if (!!r.cut_cmd != !!r.cut_at)
		die("%s", "--cut-at and --cut-cmd go together");
	if (strcmp(engine, "uring") && r.qd != 1)
		die("--qd is for the uring engine");
	if (!strcmp(engine, "odsync"))
		oflags |= O_DSYNC;
	else if (strcmp(engine, "pwritev2") && strcmp(engine, "uring") &&
		 strcmp(engine, "fdatasync"))
		die("unknown engine '%s'", engine);

	/* Continue the journal's sequence numbers. */
	if (!access(argv[3], F_OK))
		journal_read(argv[3], &j, NULL, 0, NULL);
	r.seq = j.nr_seq ? j.nr_seq : 1;
	free(j.w);
	r.rng = r.seed ^ (r.seq << 32);
	r.fd = open(argv[2], oflags);
	if (r.fd < 0 || fstat(r.fd, &st))
		die("cannot open %s: %s", argv[2], strerror(errno));
	r.nrecs = st.st_size / ((uint64_t)r.rec_blocks * BLK);
	if (r.nrecs <= r.qd)
		die("%s holds %llu records, not more than --qd %llu", argv[2],
		    (unsigned long long)r.nrecs, (unsigned long long)r.qd);
	r.journal = fopen(argv[3], "a");
	if (!r.journal)
		die("cannot open journal %s: %s", argv[3], strerror(errno));
	if (r.dm_dev) {
		r.dm_ctl = open("/dev/mapper/control", O_RDWR);
		if (r.dm_ctl < 0)
			die("cannot open /dev/mapper/control: %s",
			    strerror(errno));
	}

	buf = xalloc((size_t)r.rec_blocks * BLK);
	if (!strcmp(engine, "uring")) {
		run_uring(&r, ops);
	} else if (!strcmp(engine, "fdatasync")) {
		for (uint64_t i = 0; i < ops; r.seq++) {
			write_sync(&r, buf, pick_record(&r), 0);
			if (++i % r.batch && i < ops)
				continue;
			if (fdatasync(r.fd))
				die("fdatasync: %s", strerror(errno));
			durable_mark(&r, 's', r.seq);
		}
	} else {
		int flags = strcmp(engine, "pwritev2") ? 0 : RWF_DSYNC;

		for (uint64_t i = 0; i < ops; i++, r.seq++) {
			write_sync(&r, buf, pick_record(&r), flags);
			durable_mark(&r, 'a', r.seq);
		}
	}
	if (r.cut_cmd && !r.cut_done)
		die("the cut never ran: %llu marks, --cut-at %llu",
		    (unsigned long long)r.marks, (unsigned long long)r.cut_at);
	if (close(r.fd) || fclose(r.journal))
		die("%s", "close failed");
	free(buf);
	printf("%s: %llu writes of %u bytes, last mark %s\n", engine,
	       (unsigned long long)ops, r.rec_blocks * BLK, r.last_mark);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "prep"))
		return cmd_prep(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc, argv);
	fprintf(stderr,
		"usage: crash-writer prep FILE SIZE\n"
		"       crash-writer run FILE JOURNAL --engine ENGINE [options]\n"
		"       crash-writer verify FILE JOURNAL [--mark NAME]\n");
	return 2;
}
