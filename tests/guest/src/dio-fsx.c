// SPDX-License-Identifier: GPL-2.0
/*
 * dio-fsx: model-checking and race tester for O_DIRECT reads and writes
 * (simple-dio).
 *
 *   dio-fsx run FILE [--seed S] [--ops N] [--max-size B] [--log F]
 *                    [--mix default|overwrite] [--replay F] [--no-poll] [--verbose]
 *                    [--inject-faults]
 *       A seeded random mix of operations on FILE (created, truncated),
 *       every read checked byte for byte against an in-memory model of the
 *       file. Reads: O_DIRECT pread, preadv2 RWF_NOWAIT (EAGAIN: retried
 *       without), preadv2 RWF_HIPRI, libaio, io_uring, io_uring IOPOLL;
 *       aligned (512 B .. 1 MiB) and misaligned (must be -EINVAL, or, over
 *       holes and unwritten extents only, the right bytes: that is what
 *       the kernel's iomap does). Mutations: buffered and mmap writes,
 *       O_DIRECT writes on seven engines (pwrite, pwritev2 RWF_DSYNC,
 *       RWF_NOWAIT (EAGAIN or a part written: the rest retried without,
 *       counted), RWF_HIPRI, libaio, io_uring, io_uring IOPOLL), misaligned
 *       O_DIRECT writes (-EINVAL, or written whole where the kernel takes
 *       the buffer), fallocate (plain, KEEP_SIZE), punch hole, zero range,
 *       collapse and insert range, FICLONERANGE within the file (skipped
 *       and counted if EOPNOTSUPP), truncate up and down, fsync, fdatasync.
 *       --mix overwrite: the first half of --max-size written and synced
 *       first, then O_DIRECT writes are 43% of the ops, most of them 4K-16K
 *       overwrites of written blocks inside i_size. The op sequence depends
 *       on the seed only, so one seed gives one final model whatever path
 *       served the I/O: the last line prints the model's checksum.
 *       --log writes one line per op; --replay runs such a log instead.
 *       On a mismatch: the op number and line, the first differing offset,
 *       expected and read bytes, the file's FIEMAP extent map; exit 1.
 *
 *   dio-fsx race FILE --case C [--rounds N] [--size B] [--readers N] [--seed S]
 *       O_DIRECT reader threads against one mutator, per round one
 *       transition per sector from an old to a new content (zeros or a
 *       generation-tagged pattern), so every read sector is classified:
 *       it must be the old or the new content, the new one once the
 *       mutation covering it has returned, never anything else; reads never
 *       return bytes past any size the file had while they ran. Cases:
 *       hole-dio, hole-buffered, extend, truncate, punch, unwritten,
 *       buffered, mmap; and overwrite-*: the file written, one thread
 *       overwriting its 4K-16K segments with O_DIRECT on every write engine
 *       while a second mutator works on the other segments: overwrite-dio
 *       (a second O_DIRECT overwriter), overwrite-bufread (the same, every
 *       other reader buffered), overwrite-buffered, overwrite-mmap,
 *       overwrite-truncate (above half the file), overwrite-punch,
 *       overwrite-fallocate, overwrite-reflink (every block shared with a
 *       donor file, clones of another donor's new content; needs reflink).
 *
 *   --inject-faults (run and race): the fault-injection run (debug kernel,
 *       failslab and fail_make_request with task-filter). Each thread is
 *       marked in /proc/thread-self/make-it-fail only while it issues the
 *       O_DIRECT reads under test; a read so marked may fail with EIO,
 *       ENOMEM or EAGAIN, counted; nothing else is let through: a read
 *       that returns bytes is checked in full, and run's final whole-file
 *       check and race's end-of-round check read unmarked and accept no
 *       error at all.
 *
 *   dio-fsx nowait FILE
 *       RWF_NOWAIT reads in fixed situations (clean, dirty page cache,
 *       hole, unwritten, under writeback); prints one result line per
 *       situation, to be compared between the kernel's path and ours.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libaio.h>
#include <liburing.h>
#include <linux/falloc.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "guest-util.h"

#define PAGE 4096
#define SECT 512
#define MAX_READ (1u << 20)

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* Data of a write tagged @dseed at file offset @off onwards. */
static void fill_data(uint8_t *buf, size_t len, uint64_t off, uint64_t dseed)
{
	size_t i = 0;

	while (i < len) {
		uint64_t x = off + i, w = mix((x >> 3) ^ (dseed << 24));

		for (unsigned int b = x & 7; b < 8 && i < len; b++, i++)
			buf[i] = (uint8_t)(w >> (b * 8));
	}
}

static void print_fiemap(int fd, FILE *out)
{
	const unsigned int n = 512;
	struct fiemap *fm = calloc(1, sizeof(*fm) + n * sizeof(struct fiemap_extent));

	if (!fm)
		return;
	fm->fm_length = FIEMAP_MAX_OFFSET;
	fm->fm_extent_count = n;
	if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
		fprintf(out, "# FIEMAP failed: %s\n", strerror(errno));
		free(fm);
		return;
	}
	fprintf(out, "# FIEMAP: %u extents (logical physical length flags)\n",
		fm->fm_mapped_extents);
	for (unsigned int i = 0; i < fm->fm_mapped_extents; i++) {
		struct fiemap_extent *e = &fm->fm_extents[i];

		fprintf(out, "#   %10llu %12llu %10llu 0x%x%s%s%s\n",
			(unsigned long long)e->fe_logical,
			(unsigned long long)e->fe_physical,
			(unsigned long long)e->fe_length, e->fe_flags,
			e->fe_flags & FIEMAP_EXTENT_UNWRITTEN ? " unwritten" : "",
			e->fe_flags & FIEMAP_EXTENT_DELALLOC ? " delalloc" : "",
			e->fe_flags & FIEMAP_EXTENT_LAST ? " last" : "");
	}
	free(fm);
}

static void hexline(FILE *out, const char *what, const uint8_t *p, size_t n)
{
	fprintf(out, "#   %-8s", what);
	for (size_t i = 0; i < n; i++)
		fprintf(out, " %02x", p[i]);
	fputc('\n', out);
}

/* Logical block size for O_DIRECT on @fd (statx DIOALIGN, else 512). */
static uint32_t dio_align(int fd)
{
#ifdef STATX_DIOALIGN
	struct statx stx;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align)
		return stx.stx_dio_offset_align;
#else
	(void)fd;
#endif
	return SECT;
}

/* ---- read engines, shared by run and race ---- */

enum engine { E_PREAD, E_NOWAIT, E_HIPRI, E_LIBAIO, E_URING, E_URING_POLL, NR_ENGINES };
static const char *const engine_names[NR_ENGINES] = {
	"pread", "preadv2-nowait", "preadv2-hipri", "libaio", "io_uring",
	"io_uring-poll",
};

/* O_DIRECT write engines: the read engines' twins, and RWF_DSYNC. */
enum wengine { W_PWRITE, W_DSYNC, W_NOWAIT, W_HIPRI, W_LIBAIO, W_URING, W_URING_POLL, NR_WENGINES };
static const char *const wengine_names[NR_WENGINES] = {
	"pwrite", "pwritev2-dsync", "pwritev2-nowait", "pwritev2-hipri", "libaio",
	"io_uring", "io_uring-poll",
};

struct engines {
	int fd;
	io_context_t aio;
	struct io_uring ring, pring;
	bool have_pring;
	uint64_t eagain;	/* RWF_NOWAIT reads retried */
	uint64_t w_eagain;	/* RWF_NOWAIT writes retried */
	uint64_t w_nowait_short; /* RWF_NOWAIT writes that wrote part, rest retried */
	uint64_t w_async_eagain; /* io_uring/libaio writes -EAGAIN, retried with pwrite */
};

/*
 * --inject-faults: mark_fail() brackets the reads under test; injected()
 * counts a marked read's failure with one of the errors a fault injector
 * can cause there: EIO (fail_make_request), ENOMEM (the kernel's path
 * failing its kmalloc), EAGAIN. Everything else is checked as ever.
 */
static bool inject;
static __thread int fail_fd = -1;
static uint64_t injected_eio, injected_enomem, injected_eagain;

static void mark_fail(bool on)
{
	if (!inject)
		return;
	if (fail_fd < 0)
		fail_fd = open("/proc/thread-self/make-it-fail", O_WRONLY);
	if (fail_fd < 0 || pwrite(fail_fd, on ? "1" : "0", 1, 0) != 1)
		die("--inject-faults: cannot write /proc/thread-self/make-it-fail: %s", strerror(errno));
}

static bool injected(int64_t ret)
{
	uint64_t *c = ret == -EIO ? &injected_eio : ret == -ENOMEM ? &injected_enomem :
		      ret == -EAGAIN ? &injected_eagain : NULL;

	if (!inject || !c)
		return false;
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
	return true;
}

static void print_injected(void)
{
	if (inject)
		printf("# injected faults: %" PRIu64 " reads failed (%" PRIu64 " EIO, %" PRIu64
		       " ENOMEM, %" PRIu64 " EAGAIN)\n",
		       injected_eio + injected_enomem + injected_eagain, injected_eio,
		       injected_enomem, injected_eagain);
}

static void engines_init(struct engines *e, int fd, unsigned int qd, bool poll)
{
	int ret;

	memset(e, 0, sizeof(*e));
	e->fd = fd;
	if (io_setup(qd, &e->aio))
		die("io_setup: %s", strerror(errno));
	ret = io_uring_queue_init(qd, &e->ring, 0);
	if (ret)
		die("io_uring_queue_init: %s", strerror(-ret));
	if (poll) {
		ret = io_uring_queue_init(qd, &e->pring, IORING_SETUP_IOPOLL);
		if (ret)
			die("io_uring_queue_init(IOPOLL): %s", strerror(-ret));
		e->have_pring = true;
	}
}

static void engines_exit(struct engines *e)
{
	io_destroy(e->aio);
	io_uring_queue_exit(&e->ring);
	if (e->have_pring)
		io_uring_queue_exit(&e->pring);
}

struct rd {
	uint64_t off;
	uint32_t len;
	uint8_t *buf;
	int64_t ret;
};

/* Run @n reads on one engine, all submitted together for the async ones. */
static void engine_read(struct engines *e, enum engine eng, struct rd *r, int n)
{
	if (eng == E_URING_POLL && !e->have_pring)
		eng = E_URING;
	switch (eng) {
	case E_PREAD:
	case E_NOWAIT:
	case E_HIPRI:
		for (int i = 0; i < n; i++) {
			struct iovec iov = { r[i].buf, r[i].len };
			ssize_t x;

			if (eng == E_PREAD) {
				x = pread(e->fd, r[i].buf, r[i].len, r[i].off);
			} else {
				x = preadv2(e->fd, &iov, 1, r[i].off,
					    eng == E_NOWAIT ? RWF_NOWAIT : RWF_HIPRI);
				if (x < 0 && errno == EAGAIN && eng == E_NOWAIT) {
					e->eagain++;
					x = preadv2(e->fd, &iov, 1, r[i].off, 0);
				}
			}
			r[i].ret = x < 0 ? -errno : x;
		}
		return;
	case E_LIBAIO: {
		struct iocb cbs[16], *cbp[16];
		struct io_event ev[16];
		int s, sub = 0, got = 0;

		for (int i = 0; i < n; i++) {
			io_prep_pread(&cbs[i], e->fd, r[i].buf, r[i].len, r[i].off);
			cbs[i].data = &r[i];
			cbp[i] = &cbs[i];
		}
		while (sub < n) {
			s = io_submit(e->aio, n - sub, cbp + sub);
			if (s > 0)
				sub += s;
			/* --inject-faults: the iocb's allocation failed; again. */
			else if (!inject || (s != -EAGAIN && s != -ENOMEM))
				break;
		}
		if (sub < n) {
			for (int i = sub; i < n; i++)
				r[i].ret = i == sub && s < 0 ? s : -ECANCELED;
			n = sub;
		}
		while (got < n) {
			int k = io_getevents(e->aio, 1, n - got, ev, NULL);

			if (k < 0) {
				if (k == -EINTR)
					continue;
				die("io_getevents: %s", strerror(-k));
			}
			for (int i = 0; i < k; i++)
				((struct rd *)ev[i].data)->ret = (int64_t)ev[i].res;
			got += k;
		}
		return;
	}
	default: {
		struct io_uring *ring = eng == E_URING_POLL ? &e->pring : &e->ring;
		int ret;

		for (int i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			if (!sqe)
				die("%s", "io_uring: no sqe");
			io_uring_prep_read(sqe, e->fd, r[i].buf, r[i].len, r[i].off);
			io_uring_sqe_set_data(sqe, &r[i]);
		}
		for (int sub = 0; sub < n; sub += ret) {
			ret = io_uring_submit_and_wait(ring, n - sub);
			/* --inject-faults: a request's allocation failed; again. */
			if (inject && (ret == -EAGAIN || ret == -ENOMEM))
				ret = 0;
			else if (ret <= 0)
				die("io_uring_submit: %s", ret ? strerror(-ret) : "nothing submitted");
		}
		for (int got = 0; got < n; got++) {
			struct io_uring_cqe *cqe;

			ret = io_uring_wait_cqe(ring, &cqe);
			if (ret)
				die("io_uring_wait_cqe: %s", strerror(-ret));
			((struct rd *)io_uring_cqe_get_data(cqe))->ret = cqe->res;
			io_uring_cqe_seen(ring, cqe);
		}
	}
	}
}

/* An O_DIRECT write of @len bytes at @off: bytes written or -errno. */
static int64_t engine_write(struct engines *e, enum wengine w, const uint8_t *buf,
			    uint64_t len, uint64_t off)
{
	static const int flags[NR_WENGINES] = {
		[W_DSYNC] = RWF_DSYNC, [W_NOWAIT] = RWF_NOWAIT, [W_HIPRI] = RWF_HIPRI,
	};
	struct iovec iov = { (void *)buf, len };
	int64_t x;

	if (w == W_URING_POLL && !e->have_pring)
		w = W_URING;
	switch (w) {
	case W_PWRITE:
		x = pwrite(e->fd, buf, len, off);
		return x < 0 ? -errno : x;
	case W_DSYNC:
	case W_NOWAIT:
	case W_HIPRI:
		x = pwritev2(e->fd, &iov, 1, off, flags[w]);
		if (x < 0 && errno == EAGAIN && w == W_NOWAIT) {
			/* The kernel's answer where it would block: retry without. */
			e->w_eagain++;
			x = pwritev2(e->fd, &iov, 1, off, 0);
		} else if (x > 0 && (uint64_t)x < len && w == W_NOWAIT) {
			/* Part written before it would block: the rest without. */
			int64_t y;

			e->w_nowait_short++;
			y = pwrite(e->fd, buf + x, len - x, off + x);
			if (y < 0)
				return -errno;
			x += y;
		}
		return x < 0 ? -errno : x;
	case W_LIBAIO: {
		struct iocb cb, *cbp = &cb;
		struct io_event ev;
		int k;

		io_prep_pwrite(&cb, e->fd, (void *)buf, len, off);
		k = io_submit(e->aio, 1, &cbp);
		if (k != 1)
			return k < 0 ? k : -ECANCELED;
		while ((k = io_getevents(e->aio, 1, 1, &ev, NULL)) != 1)
			if (k != -EINTR)
				die("io_getevents: %s", strerror(-k));
		x = (int64_t)(long)ev.res;
		break;
	}
	default: {
		struct io_uring *ring = w == W_URING_POLL ? &e->pring : &e->ring;
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		struct io_uring_cqe *cqe;
		int ret;

		if (!sqe)
			die("%s", "io_uring: no sqe");
		io_uring_prep_write(sqe, e->fd, buf, len, off);
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			die("io_uring_submit: %s", strerror(-ret));
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret)
			die("io_uring_wait_cqe: %s", strerror(-ret));
		x = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	}
	/* io_uring's and libaio's cue to retry (seen on reads racing appends). */
	if (x == -EAGAIN) {
		e->w_async_eagain++;
		x = pwrite(e->fd, buf, len, off);
		return x < 0 ? -errno : x;
	}
	return x;
}

/* ================= run: the op mix against a model ================= */

enum kind {
	K_READ, K_READ_MIS, K_WRITE_BUF, K_WRITE_DIO, K_WRITE_MMAP, K_FALLOC,
	K_FALLOC_KEEP, K_PUNCH, K_ZERO, K_ZERO_KEEP, K_COLLAPSE, K_INSERT,
	K_TRUNCATE, K_FSYNC, K_FDATASYNC, K_WRITE_DIO_MIS, K_CLONE, NR_KINDS
};
static const char *const kind_names[NR_KINDS] = {
	"read", "read-misaligned", "write-buffered", "write-direct",
	"write-mmap", "fallocate", "fallocate-keep", "punch-hole",
	"zero-range", "zero-range-keep", "collapse-range", "insert-range",
	"truncate", "fsync", "fdatasync", "write-direct-misaligned", "clone-range",
};
/* Per mille; reads take the rest. The default mix: reads first. */
static const unsigned int kind_weight[NR_KINDS] = {
	[K_READ_MIS] = 40, [K_WRITE_BUF] = 80, [K_WRITE_DIO] = 70,
	[K_WRITE_MMAP] = 30, [K_FALLOC] = 25, [K_FALLOC_KEEP] = 15,
	[K_PUNCH] = 30, [K_ZERO] = 20, [K_ZERO_KEEP] = 10, [K_COLLAPSE] = 15,
	[K_INSERT] = 15, [K_TRUNCATE] = 30, [K_FSYNC] = 4, [K_FDATASYNC] = 4,
	[K_WRITE_DIO_MIS] = 10, [K_CLONE] = 10,
};
/*
 * --mix overwrite: after a fill phase, O_DIRECT writes are the largest
 * share, most of them overwrites of written blocks inside i_size (what a
 * simple write path may take); the rest of the mix keeps making holes,
 * unwritten extents, shared extents (clones), cached pages and EOF moves,
 * so that every reason to leave such a path comes up.
 */
static const unsigned int overwrite_weight[NR_KINDS] = {
	[K_WRITE_DIO] = 430, [K_WRITE_DIO_MIS] = 20, [K_READ_MIS] = 20,
	[K_WRITE_BUF] = 30, [K_WRITE_MMAP] = 15, [K_FALLOC] = 10,
	[K_FALLOC_KEEP] = 15, [K_PUNCH] = 25, [K_ZERO] = 15, [K_ZERO_KEEP] = 10,
	[K_COLLAPSE] = 5, [K_INSERT] = 5, [K_TRUNCATE] = 10, [K_FSYNC] = 5,
	[K_FDATASYNC] = 5, [K_CLONE] = 15,
};

/* Kinds whose log line names an engine: reads and O_DIRECT writes. */
static bool is_read(enum kind k) { return k == K_READ || k == K_READ_MIS; }
static bool is_dio_write(enum kind k) { return k == K_WRITE_DIO || k == K_WRITE_DIO_MIS; }

struct fop {
	enum kind kind;
	unsigned int eng;	/* reads: enum engine; O_DIRECT writes: enum wengine */
	uint64_t off, len;
	uint32_t boff;		/* reads, O_DIRECT writes: offset of the buffer in its page */
	uint64_t dseed;		/* writes: data tag; clones: the source offset */
};

static struct {
	const char *file, *log, *replay;
	uint64_t seed, nops, max_size, poll_max;
	bool poll, verbose, poll_one_extent, poll_inside_eof, eio_past_eof, overwrite;
	bool poll_write_aligned, mis_write_inside_eof;
} ro = { .poll_max = UINT64_MAX,  .seed = 1, .nops = 10000, .max_size = 4 << 20, .poll = true };

static uint8_t *model;		/* max_size bytes; zero beyond msize */
static uint64_t msize;
static uint32_t lbs, fsbs;
static int dfd, bfd;		/* O_DIRECT and buffered descriptors */
static uint8_t *rbuf, *wbuf;
static struct engines eng;
static uint64_t count_kind[NR_KINDS], count_eng[NR_ENGINES], skipped[NR_KINDS];
static uint64_t count_weng[NR_WENGINES];
static uint64_t mis_einval, mis_ok, mis_digest = 0xcbf29ce484222325ULL;
static uint64_t wmis_einval, wmis_ok, nfill;
static uint64_t bytes_checked;

static uint64_t rng;
static uint64_t rnd(void) { return mix(rng++); }
static uint64_t rnd_below(uint64_t n) { return n ? rnd() % n : 0; }
static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t align_down(uint64_t v, uint64_t a) { return v / a * a; }

/* A mutation's length: mostly small, sometimes up to 256 KiB. */
static uint64_t mut_len(void)
{
	uint64_t c = rnd_below(100);

	if (c < 60)
		return 1 + rnd_below(16384);
	if (c < 90)
		return 1 + rnd_below(65536);
	return 1 + rnd_below(262144);
}

/*
 * --mix overwrite: an O_DIRECT write's place. Mostly 4K-16K, fs-block
 * aligned, inside the file; some sub-block aligned, some up to 1 MiB,
 * some across or past EOF (extending).
 */
static void gen_overwrite(struct fop *op)
{
	uint64_t c = rnd_below(100);

	if (c < 55)
		op->len = fsbs;
	else if (c < 80)
		op->len = (2 + rnd_below(3)) * fsbs;
	else if (c < 92)
		op->len = (1 + rnd_below(16)) * fsbs;
	else if (c < 97)
		op->len = (1 + rnd_below(262144 / lbs)) * lbs;
	else
		op->len = (1 + rnd_below(MAX_READ / lbs)) * lbs;
	c = rnd_below(100);
	if (c < 80 && msize >= op->len)
		op->off = align_down(rnd_below(msize - op->len + 1), fsbs);
	else if (c < 88 && msize >= op->len)
		op->off = align_down(rnd_below(msize - op->len + 1), lbs);
	else if (c < 96)	/* ends past EOF */
		op->off = align_down(msize - min64(msize, rnd_below(op->len)), lbs);
	else			/* past EOF, leaving a hole */
		op->off = align_down(msize + rnd_below(65536), lbs);
}

/*
 * A misaligned O_DIRECT write: offset, length or buffer. A misaligned
 * length stays inside one fs block, so it is one mapping and the kernel
 * refuses it before it writes anything (its check is per mapping).
 */
static void gen_write_mis(struct fop *op)
{
	/* Inside --max-size as it is: no clipping may align it. */
	op->off = align_down(rnd_below(min64(msize + 65536, ro.max_size - 5 * fsbs)), fsbs);
	switch (rnd_below(3)) {
	case 0:
		op->len = (1 + rnd_below(4)) * fsbs;
		op->off += 1 + rnd_below(lbs - 1);
		break;
	case 1:
		op->len = align_down(rnd_below(fsbs), lbs) + 1 + rnd_below(lbs - 1);
		break;
	default:
		op->len = (1 + rnd_below(4)) * fsbs;
		op->boff = 1 + rnd_below(63);
		break;
	}
	/*
	 * --mis-write-inside-eof: misaligned writes end inside EOF, or are
	 * none. On 6.1, with no module loaded, xfs zeroes from EOF to the
	 * start of a write past EOF before the write is refused, and that
	 * zeroing moves i_size to the end of EOF's block (fsx seed 15 op 7885:
	 * EOF 214016, a write at 270336 misaligned by its buffer: -EINVAL and
	 * size 217088).
	 */
	if (ro.mis_write_inside_eof && op->off + op->len > msize) {
		uint64_t mis = op->off % fsbs;

		if (msize < op->len + mis + fsbs) {
			memset(op, 0, sizeof(*op));
			op->kind = K_FDATASYNC;
			return;
		}
		op->off = align_down(msize - op->len - mis, fsbs) + mis;
	}
}

static void gen_op(struct fop *op, uint64_t opno)
{
	const unsigned int *weight = ro.overwrite ? overwrite_weight : kind_weight;
	uint64_t c, acc = 0;

	memset(op, 0, sizeof(*op));
	op->dseed = mix(ro.seed ^ (opno << 1)) | 1;
	/* --mix overwrite: first the file's first half, written and synced. */
	if (opno < nfill) {
		op->kind = K_WRITE_DIO;
		op->eng = W_PWRITE;
		op->off = opno * MAX_READ;
		op->len = min64(MAX_READ, ro.max_size / 2 - op->off);
		return;
	}
	if (ro.overwrite && opno == nfill) {
		op->kind = K_FSYNC;
		return;
	}
	c = rnd_below(1000);
	op->kind = K_READ;
	for (int k = 1; k < NR_KINDS; k++) {
		acc += weight[k];
		if (c < acc) {
			op->kind = k;
			break;
		}
	}
	switch (op->kind) {
	case K_READ:
	case K_READ_MIS: {
		uint64_t sc = rnd_below(100), oc = rnd_below(100);

		op->eng = rnd_below(NR_ENGINES);
		if (sc < 55)
			op->len = (1 + rnd_below(PAGE / lbs)) * lbs;
		else if (sc < 80)
			op->len = (1 + rnd_below(65536 / lbs)) * lbs;
		else if (sc < 92)
			op->len = (1 + rnd_below(262144 / lbs)) * lbs;
		else
			op->len = (1 + rnd_below(MAX_READ / lbs)) * lbs;
		if (oc < 45)		/* fs-block aligned: simple-path material */
			op->off = align_down(rnd_below(msize + 1), fsbs);
		else if (oc < 80)
			op->off = align_down(rnd_below(msize + 1), lbs);
		else if (oc < 92)	/* around EOF */
			op->off = align_down(msize - min64(msize, rnd_below(2 * op->len)), lbs);
		else
			op->off = align_down(rnd_below(ro.max_size), lbs);
		if (rnd_below(100) < 12)
			op->boff = PAGE - lbs;	/* across a page end, still aligned */
		if (op->kind == K_READ_MIS) {
			switch (rnd_below(3)) {
			case 0: op->off += 1 + rnd_below(lbs - 1); break;
			case 1: op->len += 1 + rnd_below(lbs - 1); break;
			default: op->boff = 1 + rnd_below(63); break;
			}
			if (op->len > MAX_READ)
				op->len -= lbs;
		}
		break;
	}
	case K_WRITE_BUF:
	case K_FALLOC:
	case K_FALLOC_KEEP:
	case K_PUNCH:
	case K_ZERO:
	case K_ZERO_KEEP:
		op->off = rnd_below(msize + 65536);
		op->len = mut_len();
		break;
	case K_WRITE_DIO:
		op->eng = rnd_below(NR_WENGINES);
		if (ro.overwrite) {
			gen_overwrite(op);
			break;
		}
		op->len = align_down(mut_len(), lbs) + lbs;
		op->off = align_down(rnd_below(msize + 65536), rnd_below(2) ? fsbs : lbs);
		break;
	case K_WRITE_DIO_MIS:
		op->eng = rnd_below(NR_WENGINES);
		gen_write_mis(op);
		break;
	case K_CLONE:
		/* Source in dseed; do_clone() skips what FICLONERANGE refuses. */
		op->len = (1 + rnd_below(16)) * fsbs;
		op->dseed = align_down(rnd_below(msize + 1), fsbs);
		op->off = align_down(rnd_below(msize + 1), fsbs);
		break;
	case K_WRITE_MMAP:
		if (!msize) {
			op->kind = K_WRITE_BUF;
			op->off = 0;
			op->len = mut_len();
			break;
		}
		op->off = rnd_below(msize);
		op->len = min64(mut_len(), msize - op->off);
		break;
	case K_COLLAPSE:
	case K_INSERT:
		op->len = (1 + rnd_below(rnd_below(4) ? 4 : 64)) * fsbs;
		op->off = align_down(rnd_below(msize + 1), fsbs);
		break;
	case K_TRUNCATE:
		if (ro.overwrite) {
			/*
			 * Small moves, so the file stays mostly written; down
			 * when extending writes have filled most of --max-size,
			 * so that they keep coming.
			 */
			uint64_t d = rnd_below(65536);

			if (msize > ro.max_size / 4 * 3)
				op->len = msize - min64(msize, 4 * d);
			else
				op->len = rnd_below(2) ? msize - min64(msize, d) : msize + d;
		} else if (rnd_below(2))
			op->len = rnd_below(msize + 1);
		else
			op->len = msize + rnd_below(262144);
		if (rnd_below(2))
			op->len = align_down(op->len, fsbs);
		break;
	default:
		break;
	}
	if (!is_read(op->kind) && op->kind != K_TRUNCATE && op->kind != K_CLONE &&
	    op->kind != K_WRITE_DIO_MIS && op->off + op->len > ro.max_size) {
		if (op->off >= ro.max_size)
			op->off = align_down(ro.max_size / 2, fsbs);
		op->len = min64(op->len, ro.max_size - op->off);
		if (op->kind == K_WRITE_DIO || op->kind == K_COLLAPSE || op->kind == K_INSERT)
			op->len = align_down(op->len, op->kind == K_WRITE_DIO ? lbs : fsbs);
		if (!op->len)
			op->kind = K_FDATASYNC;
	}
	if (op->kind == K_TRUNCATE && op->len > ro.max_size)
		op->len = ro.max_size;
}

static void format_op(char *s, size_t n, const struct fop *op)
{
	snprintf(s, n, "%s %s %" PRIu64 " %" PRIu64 " %u %" PRIx64,
		 kind_names[op->kind],
		 is_read(op->kind) ? engine_names[op->eng] :
		 is_dio_write(op->kind) ? wengine_names[op->eng] : "-",
		 op->off, op->len, op->boff, op->dseed);
}

static bool parse_op(const char *line, struct fop *op)
{
	char k[32], e[32];
	unsigned long long no;
	int i;

	memset(op, 0, sizeof(*op));
	if (sscanf(line, "%llu %31s %31s %" SCNu64 " %" SCNu64 " %u %" SCNx64,
		   &no, k, e, &op->off, &op->len, &op->boff, &op->dseed) != 7)
		return false;
	for (i = 0; i < NR_KINDS && strcmp(k, kind_names[i]); i++)
		;
	if (i == NR_KINDS)
		return false;
	op->kind = i;
	if (is_read(op->kind)) {
		for (i = 0; i < NR_ENGINES && strcmp(e, engine_names[i]); i++)
			;
		if (i == NR_ENGINES)
			return false;
		op->eng = i;
	} else if (is_dio_write(op->kind)) {
		for (i = 0; i < NR_WENGINES && strcmp(e, wengine_names[i]); i++)
			;
		if (i == NR_WENGINES)
			return false;
		op->eng = i;
	}
	return true;
}

static void fail(uint64_t opno, const struct fop *op, const char *fmt, ...)
{
	char s[200];
	va_list ap;

	format_op(s, sizeof(s), op);
	fflush(stdout);
	printf("# FAIL op %" PRIu64 ": %s\n# ", opno, s);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n# model size %" PRIu64 ", seed %" PRIu64 "\n", msize, ro.seed);
	print_fiemap(bfd, stdout);
	fflush(stdout);
	exit(1);
}

static void model_zero(uint64_t from, uint64_t to)
{
	if (to > from)
		memset(model + from, 0, to - from);
}

static void model_resize(uint64_t size)
{
	if (size < msize)
		model_zero(size, msize);
	msize = size;
}

/* Compare @n read bytes at @off with the model; fail on the first diff. */
static void check_bytes(uint64_t opno, const struct fop *op, uint64_t off,
			const uint8_t *buf, uint64_t n)
{
	if (!memcmp(buf, model + off, n)) {
		bytes_checked += n;
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (buf[i] == model[off + i])
			continue;
		uint64_t s = i >= 8 ? i - 8 : 0, e = min64(n, s + 24);

		printf("# first difference at file offset %" PRIu64 " (byte %" PRIu64 " of the read)\n",
		       off + i, i);
		printf("# bytes %" PRIu64 "..%" PRIu64 ":\n", off + s, off + e - 1);
		hexline(stdout, "expected", model + off + s, e - s);
		hexline(stdout, "read", buf + s, e - s);
		fail(opno, op, "read returned wrong bytes");
	}
}

/*
 * At most one extent, not delalloc, under [off, off + len): a read there
 * is at most one bio with data (holes and unwritten ranges issue none).
 */
static bool one_extent(uint64_t off, uint64_t len)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent fe[2];
	} m;

	memset(&m, 0, sizeof(m));
	m.fm.fm_start = off;
	m.fm.fm_length = len;
	m.fm.fm_extent_count = 2;
	if (ioctl(bfd, FS_IOC_FIEMAP, &m.fm))
		return false;
	return m.fm.fm_mapped_extents == 0 ||
	       (m.fm.fm_mapped_extents == 1 &&
		!(m.fe[0].fe_flags & (FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_UNKNOWN)));
}

static uint64_t poll_diverted, poll_eof_diverted, eio_past_eof, poll_wsub_diverted;
static bool final_pass;		/* final_check: unmarked, no error accepted */

/*
 * Whether an IOPOLL read or write of [off, off + len) goes to the plain
 * ring instead, by the options below (writes follow the reads' rules).
 */
static bool poll_divert(uint64_t off, uint64_t len)
{
	/*
	 * --poll-max-len B: IOPOLL I/O longer than B, or (B at most one fs
	 * block) not inside one fs block, goes to the plain ring instead.
	 */
	if (len > ro.poll_max || (ro.poll_max <= fsbs && off % fsbs + len > fsbs))
		return true;
	/*
	 * --poll-one-extent: IOPOLL reads spanning several extents go to the
	 * plain ring. On 6.12 a bio of a later extent that is physically just
	 * before the first one front-merges into the polled request in the
	 * plug; blk_mq_start_request() then sets the poll cookie on the new
	 * head bio only (not polled), the polled bio the iocb polls has none,
	 * and the request is never polled: 30 s null_blk timeout, -ETIMEDOUT.
	 */
	if (ro.poll_one_extent && !one_extent(off, len)) {
		poll_diverted++;
		return true;
	}
	/*
	 * --poll-inside-eof: IOPOLL reads that end past EOF go to the plain
	 * ring. On 6.1, without any module, such a read over a hole at EOF
	 * completes short at once; io_uring then reads the rest (0 bytes) and
	 * the IOPOLL completion reports that last result, 0, not the bytes
	 * read (fsx: seed 15, op 256 on ext4 and xfs). 6.12 reports them.
	 */
	if (ro.poll_inside_eof && off + len > msize) {
		poll_eof_diverted++;
		return true;
	}
	return false;
}

static void do_read(uint64_t opno, const struct fop *op)
{
	uint64_t want = op->off >= msize ? 0 : min64(op->len, msize - op->off);
	struct rd r = { .off = op->off, .len = op->len, .buf = rbuf + op->boff };
	enum engine en = op->eng;

	if (en == E_URING_POLL && poll_divert(op->off, op->len))
		en = E_URING;
	memset(r.buf, 0xa5, op->len);
	if (!final_pass)
		mark_fail(true);
	engine_read(&eng, en, &r, 1);
	if (!final_pass) {
		mark_fail(false);
		if (injected(r.ret))
			return;
	}
	count_eng[en]++;
	/*
	 * --eio-past-eof: xfs keeps speculative delalloc preallocation past
	 * EOF; an O_DIRECT read that reaches into it gets -EIO from iomap
	 * ("Direct I/O collision with buffered writes!" in dmesg) on the
	 * kernel's own path, with or without the module (the module sends
	 * every read past EOF there), at a point that depends on background
	 * work. Accept that -EIO only if the same read cut at EOF (rounded up
	 * to a sector, so it stays in EOF's fs block) returns the model's bytes.
	 */
	if (r.ret == -EIO && ro.eio_past_eof && want && op->off + op->len > msize) {
		struct rd cut = { .off = op->off, .buf = r.buf,
				  .len = (want + SECT - 1) / SECT * SECT };

		if (op->kind == K_READ_MIS) {
			/* As a served read: the digest must not depend on it. */
			mis_digest = mix(mis_digest ^ (opno << 1));
			eio_past_eof++;
			return;
		}
		memset(cut.buf, 0xa5, cut.len);
		engine_read(&eng, E_PREAD, &cut, 1);
		if (cut.ret != (int64_t)want)
			fail(opno, op, "read past EOF returned -EIO and the read cut at EOF returned %" PRId64
			     ", expected %" PRIu64, cut.ret, want);
		check_bytes(opno, op, op->off, cut.buf, want);
		eio_past_eof++;
		return;
	}
	if (op->kind == K_READ_MIS) {
		/* -EINVAL, or what the kernel's hole/unwritten path returns. */
		mis_digest = mix(mis_digest ^ (opno << 1) ^ (r.ret == -EINVAL));
		if (r.ret == -EINVAL) {
			mis_einval++;
			return;
		}
		if (r.ret != (int64_t)want)
			fail(opno, op, "misaligned read returned %" PRId64 ", expected -EINVAL or %" PRIu64,
			     r.ret, want);
		mis_ok++;
		check_bytes(opno, op, op->off, r.buf, want);
		return;
	}
	if (r.ret == -EOPNOTSUPP && op->eng == E_URING_POLL)
		fail(opno, op, "IOPOLL read: EOPNOTSUPP (no poll queue? use --no-poll)");
	if (r.ret != (int64_t)want)
		fail(opno, op, "read returned %" PRId64 " (%s), expected %" PRIu64, r.ret,
		     r.ret < 0 ? strerror((int)-r.ret) : "short/long", want);
	check_bytes(opno, op, op->off, r.buf, want);
}

static void do_write(uint64_t opno, const struct fop *op)
{
	ssize_t w;

	fill_data(wbuf, op->len, op->off, op->dseed);
	if (op->kind == K_WRITE_MMAP) {
		uint64_t start = align_down(op->off, PAGE);
		size_t maplen = op->off + op->len - start;
		uint8_t *m = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_SHARED, bfd, start);

		if (m == MAP_FAILED)
			fail(opno, op, "mmap: %s", strerror(errno));
		memcpy(m + (op->off - start), wbuf, op->len);
		if (munmap(m, maplen))
			fail(opno, op, "munmap: %s", strerror(errno));
		w = op->len;
	} else if (op->kind == K_WRITE_DIO) {
		enum wengine we = op->eng;

		if (we == W_URING_POLL && poll_divert(op->off, op->len))
			we = W_URING;
		/*
		 * --poll-write-aligned: IOPOLL writes not aligned to fs blocks
		 * go to the plain ring. On 7.2 and 7.3, with no module loaded,
		 * a polled sub-block write ending at an EOF inside a block
		 * never completed (null_blk timeout, -ETIMEDOUT; ext4 and xfs,
		 * fsx-write seed 24 op 93: 4096 bytes at 4181504, EOF 4185600);
		 * on 6.1 a polled 3584-byte write at 102400 (ext4, fsx seed 15,
		 * op 2332).
		 */
		if (we == W_URING_POLL && ro.poll_write_aligned && (op->off | op->len) % fsbs) {
			we = W_URING;
			poll_wsub_diverted++;
		}
		w = engine_write(&eng, we, wbuf, op->len, op->off);
		count_weng[we]++;
		if (w != (ssize_t)op->len)
			fail(opno, op, "O_DIRECT write (%s) returned %zd: %s", wengine_names[we], w,
			     w < 0 ? strerror((int)-w) : "short");
	} else {
		w = pwrite(bfd, wbuf, op->len, op->off);
	}
	if (w != (ssize_t)op->len)
		fail(opno, op, "write returned %zd: %s", w, w < 0 ? strerror(errno) : "short");
	memcpy(model + op->off, wbuf, op->len);
	if (op->off + op->len > msize)
		msize = op->off + op->len;
}

/*
 * A misaligned O_DIRECT write fails with -EINVAL (iomap's alignment check)
 * and changes nothing the model holds (blocks the file system may have
 * allocated first read as zeros, as the hole did), or, where the kernel
 * takes the buffer as it is (7.2 and 7.3 take a buffer misaligned by 22
 * bytes), writes every byte. Which one is in the misaligned digest, so
 * every state must give the kernel's answer.
 */
static void do_write_mis(uint64_t opno, const struct fop *op)
{
	uint8_t *buf = wbuf + op->boff;
	enum wengine we = op->eng;
	int64_t r;

	/* Where the kernel takes it, it is a write: the IOPOLL rules hold. */
	if (we == W_URING_POLL && (poll_divert(op->off, op->len) ||
				   (ro.poll_write_aligned && (op->off | op->len) % fsbs)))
		we = W_URING;
	fill_data(buf, op->len, op->off, op->dseed);
	r = engine_write(&eng, we, buf, op->len, op->off);
	count_weng[we]++;
	mis_digest = mix(mis_digest ^ (opno << 1) ^ (r == -EINVAL));
	if (r == -EINVAL) {
		wmis_einval++;
		return;
	}
	if (r != (int64_t)op->len)
		fail(opno, op, "misaligned O_DIRECT write (%s) returned %" PRId64 " (%s), expected -EINVAL or %" PRIu64,
		     wengine_names[we], r, r < 0 ? strerror((int)-r) : "short", op->len);
	wmis_ok++;
	memcpy(model + op->off, buf, op->len);
	msize = max64(msize, op->off + op->len);
}

/*
 * FICLONERANGE within the file (xfs with reflink: the blocks become
 * shared, and an O_DIRECT overwrite of them must copy on write). Only
 * whole blocks below the block holding EOF, source and destination apart;
 * the rest, and file systems without reflink, are skipped and counted.
 */
static void do_clone(uint64_t opno, const struct fop *op)
{
	uint64_t src = op->dseed, dst = op->off, len = op->len, top = align_down(msize, fsbs);
	struct file_clone_range r = {
		.src_fd = bfd, .src_offset = src, .src_length = len, .dest_offset = dst,
	};

	if (!len || len % fsbs || src + len > top || dst + len > top ||
	    (src < dst + len && dst < src + len)) {
		skipped[K_CLONE]++;
		return;
	}
	if (ioctl(bfd, FICLONERANGE, &r)) {
		if (errno == EOPNOTSUPP || errno == EXDEV) {
			skipped[K_CLONE]++;
			return;
		}
		fail(opno, op, "FICLONERANGE from %" PRIu64 ": %s", src, strerror(errno));
	}
	memcpy(model + dst, model + src, len);
}

static void do_falloc(uint64_t opno, const struct fop *op)
{
	static const int modes[NR_KINDS] = {
		[K_FALLOC] = 0, [K_FALLOC_KEEP] = FALLOC_FL_KEEP_SIZE,
		[K_PUNCH] = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		[K_ZERO] = FALLOC_FL_ZERO_RANGE,
		[K_ZERO_KEEP] = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		[K_COLLAPSE] = FALLOC_FL_COLLAPSE_RANGE,
		[K_INSERT] = FALLOC_FL_INSERT_RANGE,
	};
	uint64_t end = op->off + op->len;

	/* The ranges these refuse by definition; the model knows the rule. */
	if (op->kind == K_COLLAPSE && end >= msize) {
		skipped[op->kind]++;
		return;
	}
	if (op->kind == K_INSERT && (op->off >= msize || msize + op->len > ro.max_size)) {
		skipped[op->kind]++;
		return;
	}
	if (fallocate(bfd, modes[op->kind], op->off, op->len)) {
		if (errno == EOPNOTSUPP) {
			skipped[op->kind]++;
			return;
		}
		fail(opno, op, "fallocate: %s", strerror(errno));
	}
	switch (op->kind) {
	case K_FALLOC:
		msize = max64(msize, end);
		break;
	case K_PUNCH:
	case K_ZERO_KEEP:
		model_zero(op->off, min64(end, msize));
		break;
	case K_ZERO:
		model_zero(op->off, end);
		msize = max64(msize, end);
		break;
	case K_COLLAPSE:
		memmove(model + op->off, model + end, msize - end);
		model_resize(msize - op->len);
		model_zero(msize, msize + op->len);
		break;
	case K_INSERT:
		memmove(model + end, model + op->off, msize - op->off);
		model_zero(op->off, end);
		msize += op->len;
		break;
	default:
		break;
	}
}

static void run_op(uint64_t opno, const struct fop *op)
{
	count_kind[op->kind]++;
	switch (op->kind) {
	case K_READ:
	case K_READ_MIS:
		do_read(opno, op);
		break;
	case K_WRITE_BUF:
	case K_WRITE_DIO:
	case K_WRITE_MMAP:
		do_write(opno, op);
		break;
	case K_WRITE_DIO_MIS:
		do_write_mis(opno, op);
		break;
	case K_CLONE:
		do_clone(opno, op);
		break;
	case K_TRUNCATE:
		if (ftruncate(bfd, op->len))
			fail(opno, op, "ftruncate: %s", strerror(errno));
		model_resize(op->len);
		break;
	case K_FSYNC:
		if (fsync(bfd))
			fail(opno, op, "fsync: %s", strerror(errno));
		break;
	case K_FDATASYNC:
		if (fdatasync(bfd))
			fail(opno, op, "fdatasync: %s", strerror(errno));
		break;
	default:
		do_falloc(opno, op);
	}
}

/* The whole file, O_DIRECT, against the model; and its size. */
static void final_check(uint64_t opno)
{
	struct fop op = { .kind = K_READ, .eng = E_PREAD };
	struct stat st;

	if (fstat(bfd, &st))
		die("fstat: %s", strerror(errno));
	if ((uint64_t)st.st_size != msize)
		fail(opno, &op, "file size %" PRIu64 ", model %" PRIu64, (uint64_t)st.st_size, msize);
	final_pass = true;
	for (op.off = 0; op.off < msize; op.off += MAX_READ) {
		op.len = MAX_READ;
		do_read(opno, &op);
	}
}

static int cmd_run(int argc, char **argv)
{
	FILE *log = NULL, *replay = NULL;
	struct statvfs sv;
	struct fop op;
	uint64_t opno, h;
	char line[256];
	/* Options without a value: each sets one flag. */
	const struct { const char *name; bool *flag; bool value; } flags[] = {
		{ "--no-poll", &ro.poll, false },
		{ "--verbose", &ro.verbose, true },
		{ "--poll-one-extent", &ro.poll_one_extent, true },
		{ "--poll-inside-eof", &ro.poll_inside_eof, true },
		{ "--eio-past-eof", &ro.eio_past_eof, true },
		{ "--poll-write-aligned", &ro.poll_write_aligned, true },
		{ "--mis-write-inside-eof", &ro.mis_write_inside_eof, true },
		{ "--inject-faults", &inject, true },
	};
	const size_t nflags = sizeof(flags) / sizeof(*flags);

	if (argc < 3)
		die("%s", "usage: dio-fsx run FILE [--seed S] [--ops N] [--max-size B] [--mix default|overwrite] [--log F] [--replay F] [--no-poll] [--poll-max-len B] [--poll-one-extent] [--poll-inside-eof] [--poll-write-aligned] [--mis-write-inside-eof] [--eio-past-eof] [--inject-faults] [--verbose]");
	ro.file = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
		size_t f;

		for (f = 0; f < nflags && strcmp(a, flags[f].name); f++)
			;
		if (f < nflags) {
			*flags[f].flag = flags[f].value;
			continue;
		}
		i++;
		if (!strcmp(a, "--seed"))
			ro.seed = parse_size(v);
		else if (!strcmp(a, "--ops"))
			ro.nops = parse_size(v);
		else if (!strcmp(a, "--max-size"))
			ro.max_size = parse_size(v);
		else if (!strcmp(a, "--poll-max-len"))
			ro.poll_max = parse_size(v);
		else if (!strcmp(a, "--log"))
			ro.log = v;
		else if (!strcmp(a, "--replay"))
			ro.replay = v;
		else if (!strcmp(a, "--mix") && (!strcmp(v, "default") || !strcmp(v, "overwrite")))
			ro.overwrite = !strcmp(v, "overwrite");
		else if (!strcmp(a, "--mix"))
			die("--mix %s: default or overwrite", v);
		else
			die("unknown option %s", a);
	}
	mark_fail(false);	/* --inject-faults: fail now if it cannot mark */
	bfd = open(ro.file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	dfd = open(ro.file, O_RDWR | O_DIRECT);
	if (bfd < 0 || dfd < 0)
		die("cannot open %s: %s", ro.file, strerror(errno));
	lbs = dio_align(dfd);
	fsbs = !fstatvfs(bfd, &sv) && sv.f_bsize ? sv.f_bsize : PAGE;
	if (fsbs < lbs)
		fsbs = lbs;
	ro.max_size = align_down(ro.max_size, fsbs);
	if (ro.max_size < 16 * (uint64_t)fsbs)
		die("%s", "--max-size too small");
	if (ro.overwrite)
		nfill = (ro.max_size / 2 + MAX_READ - 1) / MAX_READ;
	model = calloc(1, ro.max_size + MAX_READ);
	if (posix_memalign((void **)&rbuf, PAGE, MAX_READ + 2 * PAGE) ||
	    posix_memalign((void **)&wbuf, PAGE, ro.max_size + PAGE) || !model)
		die("%s", "out of memory");
	engines_init(&eng, dfd, 4, ro.poll);
	if (ro.log && !(log = fopen(ro.log, "w")))
		die("cannot write %s", ro.log);
	if (ro.replay && !(replay = fopen(ro.replay, "r")))
		die("cannot read %s", ro.replay);
	rng = mix(ro.seed);
	printf("# dio-fsx run %s: seed %" PRIu64 ", %s, max size %" PRIu64 ", lbs %u, fs block %u\n",
	       ro.file, ro.seed, replay ? ro.replay : "generated ops", ro.max_size, lbs, fsbs);
	for (opno = 0; replay || opno < ro.nops; opno++) {
		if (replay) {
			if (!fgets(line, sizeof(line), replay))
				break;
			if (line[0] == '#' || line[0] == '\n') {
				opno--;
				continue;
			}
			if (!parse_op(line, &op))
				die("bad log line: %s", line);
		} else {
			gen_op(&op, opno);
		}
		if (log || ro.verbose) {
			format_op(line, sizeof(line), &op);
			if (log)
				fprintf(log, "%" PRIu64 " %s\n", opno, line);
			if (ro.verbose)
				printf("%" PRIu64 " %s\n", opno, line);
			if (log && !(opno & 255))
				fflush(log);
		}
		run_op(opno, &op);
	}
	if (log)
		fclose(log);
	final_check(opno);
	h = fnv(0xcbf29ce484222325ULL, model, msize) ^ mix(msize);
	printf("# mix %s (%" PRIu64 " fill writes first)\n# ops:", ro.overwrite ? "overwrite" : "default", nfill);
	for (int k = 0; k < NR_KINDS; k++)
		printf(" %s %" PRIu64, kind_names[k], count_kind[k]);
	printf("\n# reads by engine:");
	for (int k = 0; k < NR_ENGINES; k++)
		printf(" %s %" PRIu64, engine_names[k], count_eng[k]);
	printf("; nowait EAGAIN (retried) %" PRIu64 "; IOPOLL reads sent to the plain ring: over several extents %" PRIu64
	       ", past EOF %" PRIu64 "; -EIO past EOF (xfs delalloc, cut read correct) %" PRIu64 "\n",
	       eng.eagain, poll_diverted, poll_eof_diverted, eio_past_eof);
	printf("# O_DIRECT writes by engine:");
	for (int k = 0; k < NR_WENGINES; k++)
		printf(" %s %" PRIu64, wengine_names[k], count_weng[k]);
	printf("; nowait EAGAIN (retried) %" PRIu64 ", nowait part-written (rest retried) %" PRIu64
	       ", io_uring/libaio EAGAIN (retried with pwrite) %" PRIu64
	       ", IOPOLL sub-block writes sent to the plain ring %" PRIu64 "\n",
	       eng.w_eagain, eng.w_nowait_short, eng.w_async_eagain, poll_wsub_diverted);
	printf("# misaligned reads: %" PRIu64 " EINVAL, %" PRIu64 " served (holes/unwritten); misaligned O_DIRECT writes: %"
	       PRIu64 " EINVAL, %" PRIu64 " written; skipped: collapse %" PRIu64 " insert %" PRIu64 " clone %" PRIu64
	       " (EOPNOTSUPP or outside the file)\n",
	       mis_einval, mis_ok, wmis_einval, wmis_ok, skipped[K_COLLAPSE], skipped[K_INSERT], skipped[K_CLONE]);
	printf("# clone-range: %" PRIu64 " done, %" PRIu64 " skipped\n",
	       count_kind[K_CLONE] - skipped[K_CLONE], skipped[K_CLONE]);
	print_injected();
	printf("# %" PRIu64 " ops, %" PRIu64 " bytes checked\n", opno, bytes_checked);
	printf("model size %" PRIu64 " checksum %016" PRIx64 " misaligned %016" PRIx64 "\n",
	       msize, h, mis_digest);
	engines_exit(&eng);
	close(dfd);
	close(bfd);
	return 0;
}

/* ================= race: readers against one mutator ================= */

#define NONE UINT32_MAX		/* content that must never be read */
#define SALT 0x5d10f00dULL
#define MAX_SIZES 4096

/* Sector @x of generation @g: a tagged header word, then the pattern. */
static void fill_gen(uint8_t *buf, uint64_t x, uint64_t len, uint32_t g)
{
	for (uint64_t s = 0; s < len; s += SECT) {
		uint64_t *w = (uint64_t *)(buf + s);

		w[0] = g ^ mix((x + s) ^ SALT);
		for (int i = 1; i < SECT / 8; i++)
			w[i] = mix((x + s + 8 * i) ^ ((uint64_t)g << 40));
	}
}

/* 0: zeros; g: generation g's sector; NONE: anything else (garbage). */
static uint32_t classify(const uint8_t *buf, uint64_t x)
{
	const uint64_t *w = (const uint64_t *)buf;
	uint64_t g;
	int i;

	for (i = 0; i < SECT / 8 && !w[i]; i++)
		;
	if (i == SECT / 8)
		return 0;
	g = w[0] ^ mix(x ^ SALT);
	if (!g || g >= NONE)
		return NONE;
	for (i = 1; i < SECT / 8; i++)
		if (w[i] != mix((x + 8 * i) ^ (g << 40)))
			return NONE;
	return (uint32_t)g;
}

/* Word @i of sector @x in content @kind (0: zeros, g: generation g). */
static uint64_t sector_word(uint32_t kind, uint64_t x, int i)
{
	if (!kind || kind == NONE)
		return 0;
	return i ? mix((x + 8 * i) ^ ((uint64_t)kind << 40)) : kind ^ mix(x ^ SALT);
}

/*
 * Each byte old or new: a store through mmap racing with writeback (memcpy
 * may store byte by byte, so even a word can be half written).
 */
static bool torn_ok(const uint8_t *buf, uint64_t x, uint32_t old, uint32_t new)
{
	for (int i = 0; i < SECT / 8; i++) {
		uint64_t o = sector_word(old, x, i), n = sector_word(new, x, i);

		for (int b = 0; b < 8; b++) {
			uint8_t v = buf[8 * i + b];

			if (v != (uint8_t)(o >> (8 * b)) && v != (uint8_t)(n >> (8 * b)))
				return false;
		}
	}
	return true;
}

enum rcase { C_HOLE_DIO, C_HOLE_BUF, C_EXTEND, C_EXTEND_DIO, C_EXTEND_BUF, C_TRUNCATE,
	     C_PUNCH, C_UNWRITTEN, C_BUFFERED, C_MMAP,
	     /* O_DIRECT overwrites of written blocks against a second mutator */
	     C_OW_DIO, C_OW_BUFREAD, C_OW_BUFFERED, C_OW_MMAP, C_OW_TRUNCATE, C_OW_PUNCH,
	     C_OW_FALLOC, C_OW_REFLINK, NR_CASES };
static const char *const case_names[NR_CASES] = {
	"hole-dio", "hole-buffered", "extend", "extend-dio", "extend-buffered",
	"truncate", "punch", "unwritten", "buffered", "mmap",
	"overwrite-dio", "overwrite-bufread", "overwrite-buffered", "overwrite-mmap",
	"overwrite-truncate", "overwrite-punch", "overwrite-fallocate", "overwrite-reflink",
};
#define IS_EXTEND(c) ((c) == C_EXTEND || (c) == C_EXTEND_DIO || (c) == C_EXTEND_BUF)
#define IS_OW(c) ((c) >= C_OW_DIO)
#define IS_MMAP(c) ((c) == C_MMAP || (c) == C_OW_MMAP)

static struct {
	const char *file;
	enum rcase c;
	uint64_t size, seed;
	unsigned int rounds, readers;
	bool poll;
	unsigned int engines;	/* bit mask of the readers' engines */
} rc = { .poll = true, .engines = (1u << NR_ENGINES) - 1,  .size = 2 << 20, .seed = 1, .rounds = 6, .readers = 2, .c = NR_CASES };

static uint32_t *old_c, *new_c;	/* per sector, this round */
static uint8_t *done;		/* per sector: the mutation covering it returned */
static uint64_t size_log[MAX_SIZES];
static unsigned int size_seq, size_done;	/* started / completed size changes */
static int stop, failed;
static uint64_t race_reads, race_short, race_new, race_old, race_torn, race_eagain;
static pthread_barrier_t bar;
static int mfd_b, mfd_d;	/* mutator's buffered and O_DIRECT fds */
/* Overwrite cases: the round's segments, whose each (0: the O_DIRECT overwriter, 1: the other). */
static uint64_t *ow_so, *ow_sl, ow_writes;
static uint8_t *ow_own, *ow_hbuf;
static unsigned int ow_n;
static struct engines ow_we, ow_hw;	/* the overwriter's and the helper's */
static int dn_old, dn_new;		/* overwrite-reflink: donors of old and new content */
/*
 * overwrite-buffered and overwrite-mmap: the overwriter's and the
 * helper's segments lie in alternate chunks this large. A folio (xfs:
 * large, up to PMD size) dirtied by a buffered or mmap store and also
 * covering part of an O_DIRECT write's range cannot be invalidated by
 * it; its writeback then puts the folio's stale copy of that range over
 * the O_DIRECT data ("Page cache invalidation failure on direct I/O",
 * the kernel's path alike: 6.12 xfs, overwrite-mmap, long run). Mixing
 * the two in one folio is what the kernel warns about, so the case keeps
 * them a folio apart and races the rest (locks, invalidation, writeback).
 */
#define FOLIO_SPAN (2u << 20)
#define IS_FOLIO_APART(c) ((c) == C_OW_BUFFERED || (c) == C_OW_MMAP)

static void race_fail(const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	printf("# FAIL race %s: ", case_names[rc.c]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	funlockfile(stdout);
	__atomic_store_n(&failed, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
}

/* Publish a size change around the syscall that makes it. */
static void size_begin(uint64_t size)
{
	unsigned int n = __atomic_load_n(&size_seq, __ATOMIC_RELAXED) + 1;

	if (n >= MAX_SIZES)
		die("%s", "too many size changes in a round");
	size_log[n] = size;
	__atomic_store_n(&size_seq, n, __ATOMIC_SEQ_CST);
}

static void size_end(void)
{
	__atomic_store_n(&size_done, __atomic_load_n(&size_seq, __ATOMIC_RELAXED), __ATOMIC_SEQ_CST);
}

static void mark_done(uint64_t off, uint64_t len)
{
	for (uint64_t s = off / SECT; s < (off + len) / SECT; s++)
		__atomic_store_n(&done[s], 1, __ATOMIC_RELEASE);
}

struct snap {
	unsigned int seq0;
	uint8_t done[64];	/* done[] before the read, per sector */
};

static void reader_check(const struct rd *rd, const struct snap *sn, unsigned int seq1,
			 enum engine en)
{
	uint64_t lo = UINT64_MAX, hi = 0, off = rd->off, len = rd->len;
	int64_t r = rd->ret;

	for (unsigned int k = sn->seq0; k <= seq1; k++) {
		lo = min64(lo, size_log[k]);
		hi = max64(hi, size_log[k]);
	}
	uint64_t rmin = lo > off ? min64(len, lo - off) : 0;
	uint64_t rmax = hi > off ? min64(len, hi - off) : 0;

	__atomic_fetch_add(&race_reads, 1, __ATOMIC_RELAXED);
	if (r < 0 && injected(r))
		return;
	if (r < 0) {
		race_fail("%s read off %" PRIu64 " len %" PRIu64 ": %s (file size %" PRIu64 "..%" PRIu64
			  " meanwhile)", engine_names[en], off, len, strerror((int)-r), lo, hi);
		print_fiemap(mfd_b, stdout);
		return;
	}
	if ((uint64_t)r < rmin || (uint64_t)r > rmax || r % SECT) {
		race_fail("%s read off %" PRIu64 " len %" PRIu64 " returned %" PRId64
			  ", the file's size was %" PRIu64 "..%" PRIu64 " meanwhile",
			  engine_names[en], off, len, r, lo, hi);
		return;
	}
	if ((uint64_t)r < len)
		__atomic_fetch_add(&race_short, 1, __ATOMIC_RELAXED);
	for (uint64_t b = 0; b < (uint64_t)r; b += SECT) {
		uint64_t s = (off + b) / SECT;
		uint32_t got = classify(rd->buf + b, off + b);
		bool ok = got == new_c[s] || (!sn->done[b / SECT] && got == old_c[s]);

		/*
		 * Stores through a shared mapping are not atomic against the
		 * writeback the read triggers: while the store runs, a sector
		 * may mix old and new words (also on the kernel's own path).
		 */
		if ((got == NONE || !ok) && IS_MMAP(rc.c) && !sn->done[b / SECT] &&
		    torn_ok(rd->buf + b, off + b, old_c[s], new_c[s])) {
			__atomic_fetch_add(&race_torn, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (got == NONE || !ok) {
			race_fail("%s read off %" PRIu64 " len %" PRIu64 ": sector at %" PRIu64
				  " is %s%u, old %d new %d, new content %s before the read",
				  engine_names[en], off, len, off + b, got == NONE ? "garbage " : "generation ",
				  got == NONE ? 0 : got, (int)old_c[s], (int)new_c[s],
				  sn->done[b / SECT] ? "complete" : "not complete");
			print_fiemap(mfd_b, stdout);
			return;
		}
		if (got == new_c[s] && new_c[s] != old_c[s])
			__atomic_fetch_add(&race_new, 1, __ATOMIC_RELAXED);
		else
			__atomic_fetch_add(&race_old, 1, __ATOMIC_RELAXED);
	}
}

static void *reader(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	struct engines e;
	struct rd rds[4];
	struct snap sn[4];
	uint8_t *mem;
	uint64_t st = mix(rc.seed ^ (id + 1) * 7919);
	/* overwrite-bufread: every other reader reads through the page cache. */
	bool bufrd = rc.c == C_OW_BUFREAD && !(id % 2);
	int fd = open(rc.file, bufrd ? O_RDONLY : O_RDONLY | O_DIRECT);

	if (fd < 0 || posix_memalign((void **)&mem, PAGE, 4 * 32768))
		die("reader: %s", strerror(errno));
	engines_init(&e, fd, 4, rc.poll);
	for (unsigned int round = 0; round < rc.rounds; round++) {
		pthread_barrier_wait(&bar);
		for (uint64_t i = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
			enum engine en = (enum engine)(mix(st++) % NR_ENGINES);

			while (!(rc.engines & (1u << en)))
				en = (en + 1) % NR_ENGINES;
			if (bufrd)
				en = E_PREAD;
			/*
			 * IOPOLL: one aligned 4K read at a time, so one bio or
			 * none. On 6.12 a bio that front-merges into a polled
			 * request in the plug (another read of the batch, or a
			 * later extent of the same read) becomes its head and
			 * the poll cookie is set on that bio only: a polled bio
			 * nobody can poll, 30 s null_blk timeout (also without
			 * the module).
			 */
			int n = en >= E_LIBAIO && en != E_URING_POLL ? 1 + (int)(mix(st++) % 4) : 1;
			unsigned int seq0 = __atomic_load_n(&size_done, __ATOMIC_SEQ_CST);
			uint64_t cur = size_log[__atomic_load_n(&size_seq, __ATOMIC_SEQ_CST)];

			for (int k = 0; k < n; k++) {
				uint64_t x = mix(st++), len, off;

				if (x % 2)	/* one fs block, block aligned */
					len = PAGE, off = (x >> 8) % (rc.size / PAGE) * PAGE;
				else
					len = ((x >> 4) % 32 + 1) * SECT,
					off = (x >> 12) % (rc.size / SECT) * SECT;
				if ((IS_EXTEND(rc.c) || rc.c == C_TRUNCATE || rc.c == C_OW_TRUNCATE) &&
				    (x >> 60) < 10) {
					/* Around the current EOF. */
					uint64_t d = (x >> 20) % 64 * SECT;

					off = cur > d ? cur - d : 0;
				}
				if (en == E_URING_POLL)
					len = PAGE, off = off / PAGE * PAGE;
				if (off + len > rc.size)
					off = rc.size - len;
				rds[k] = (struct rd){ .off = off, .len = (uint32_t)len,
						      .buf = mem + k * 32768 };
				memset(rds[k].buf, 0xa5, len);
				sn[k].seq0 = seq0;
				for (uint64_t b = 0; b < len; b += SECT)
					sn[k].done[b / SECT] =
						__atomic_load_n(&done[(off + b) / SECT], __ATOMIC_ACQUIRE);
			}
			mark_fail(true);
			engine_read(&e, en, rds, n);
			/*
			 * io_uring may complete a read with -EAGAIN when it races
			 * with an extending write (xfs, 6.12, also without the
			 * module): the caller's cue to retry. Retried with pread.
			 */
			for (int k = 0; k < n; k++) {
				if (rds[k].ret == -EAGAIN && (en == E_URING || en == E_URING_POLL)) {
					__atomic_fetch_add(&race_eagain, 1, __ATOMIC_RELAXED);
					engine_read(&e, E_PREAD, &rds[k], 1);
				}
			}
			mark_fail(false);
			unsigned int seq1 = __atomic_load_n(&size_seq, __ATOMIC_SEQ_CST);

			for (int k = 0; k < n; k++)
				reader_check(&rds[k], &sn[k], seq1, en);
		}
		pthread_barrier_wait(&bar);
	}
	engines_exit(&e);
	free(mem);
	close(fd);
	return NULL;
}

static void xpwrite(int fd, const void *buf, uint64_t len, uint64_t off)
{
	ssize_t w = pwrite(fd, buf, len, off);

	if (w != (ssize_t)len)
		die("pwrite %" PRIu64 "+%" PRIu64 ": %s", off, len, w < 0 ? strerror(errno) : "short");
}

static void xfalloc(int fd, int mode, uint64_t off, uint64_t len)
{
	if (fallocate(fd, mode, off, len))
		die("fallocate(%d) %" PRIu64 "+%" PRIu64 ": %s", mode, off, len, strerror(errno));
}

static void xtrunc(int fd, uint64_t size)
{
	if (ftruncate(fd, size))
		die("ftruncate %" PRIu64 ": %s", size, strerror(errno));
}

static uint64_t mst;
static uint64_t mrnd(uint64_t n) { return mix(mst++) % n; }

/* Segments of @unit multiples covering [0, size), in random order. */
static unsigned int segments(uint64_t *off, uint64_t *len, uint64_t unit, uint64_t maxu)
{
	unsigned int n = 0;

	for (uint64_t x = 0; x < rc.size; n++) {
		off[n] = x;
		len[n] = min64((1 + mrnd(maxu)) * unit, rc.size - x);
		x += len[n];
	}
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int j = (unsigned int)mrnd(i + 1);
		uint64_t t = off[i];

		off[i] = off[j], off[j] = t;
		t = len[i], len[i] = len[j], len[j] = t;
	}
	return n;
}

/* FICLONERANGE of [off, off + len) from @src to the same place in the file. */
static void xclone(int src, uint64_t off, uint64_t len)
{
	struct file_clone_range r = {
		.src_fd = src, .src_offset = off, .src_length = len, .dest_offset = off,
	};

	if (ioctl(mfd_b, FICLONERANGE, &r))
		die("FICLONERANGE %" PRIu64 "+%" PRIu64 ": %s%s", off, len, strerror(errno),
		    errno == EOPNOTSUPP || errno == EXDEV ? " (needs reflink: xfs -m reflink=1)" : "");
}

/*
 * Overwrite cases' old state: the whole file written (generation g - 1;
 * overwrite-reflink: cloned from a donor, so every block is shared), cut
 * into 4K-16K segments, each the overwriter's or the helper's. The
 * overwriter writes generation g over its own; the helper's become g
 * (O_DIRECT, buffered, mmap writes, clones of a donor holding g) or zeros
 * (punch, fallocate); overwrite-truncate: the overwriter keeps below half
 * the file, the helper truncates above it down and up again.
 */
static void ow_setup(uint32_t g, uint8_t *buf)
{
	bool zeroes = rc.c == C_OW_PUNCH || rc.c == C_OW_FALLOC;

	xtrunc(mfd_b, 0);
	fill_gen(buf, 0, rc.size, g - 1);
	if (rc.c == C_OW_REFLINK) {
		xtrunc(dn_old, 0);
		xpwrite(dn_old, buf, rc.size, 0);
		fill_gen(buf, 0, rc.size, g);
		xtrunc(dn_new, 0);
		xpwrite(dn_new, buf, rc.size, 0);
		if (fsync(dn_old) || fsync(dn_new))
			die("fsync: %s", strerror(errno));
		xclone(dn_old, 0, rc.size);
	} else {
		xpwrite(mfd_d, buf, rc.size, 0);
	}
	ow_n = segments(ow_so, ow_sl, PAGE, 4);
	for (unsigned int i = 0; i < ow_n; i++) {
		uint64_t so = ow_so[i], end = so + ow_sl[i];

		if (rc.c == C_OW_TRUNCATE)
			ow_own[i] = end > rc.size / 2;
		else if (!IS_FOLIO_APART(rc.c))
			ow_own[i] = (uint8_t)mrnd(2);
		else if (so / FOLIO_SPAN != (end - 1) / FOLIO_SPAN)
			ow_own[i] = 2;	/* across a chunk boundary: nobody's */
		else
			ow_own[i] = so / FOLIO_SPAN % 2;
		for (uint64_t s = so / SECT; s < end / SECT; s++) {
			old_c[s] = g - 1;
			if (rc.c == C_OW_TRUNCATE)
				new_c[s] = s >= rc.size / 2 / SECT ? 0 : ow_own[i] ? g - 1 : g;
			else
				new_c[s] = ow_own[i] == 2 ? g - 1 : ow_own[i] && zeroes ? 0 : g;
		}
	}
}

static void ow_write(struct engines *e, enum wengine w, const uint8_t *buf, uint64_t len, uint64_t off)
{
	int64_t r = engine_write(e, w, buf, len, off);

	if (r != (int64_t)len)
		race_fail("O_DIRECT overwrite (%s) off %" PRIu64 " len %" PRIu64 " returned %" PRId64 " (%s)",
			  wengine_names[w], off, len, r, r < 0 ? strerror((int)-r) : "short");
	__atomic_fetch_add(&ow_writes, 1, __ATOMIC_RELAXED);
}

/* The second mutator of an overwrite case, on its own segments. */
static void *ow_helper(void *arg)
{
	uint32_t g = (uint32_t)(uintptr_t)arg;
	uint8_t *m = NULL;

	if (rc.c == C_OW_TRUNCATE) {
		/* Down to ever smaller sizes in the upper half, back up each time. */
		uint64_t prev = rc.size, lowest = rc.size / 2;

		while (prev > lowest && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
			uint64_t x = prev - (1 + mrnd(64)) * SECT;

			if (mrnd(2))
				x = align_down(x, PAGE);
			x = max64(x, lowest);
			size_begin(x);
			xtrunc(mfd_b, x);
			size_end();
			mark_done(x, prev - x);
			size_begin(rc.size);
			xtrunc(mfd_b, rc.size);
			size_end();
			prev = x;
		}
		return NULL;
	}
	if (rc.c == C_OW_MMAP) {
		m = mmap(NULL, rc.size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd_b, 0);
		if (m == MAP_FAILED)
			die("mmap: %s", strerror(errno));
	}
	for (unsigned int i = 0, k = 0; i < ow_n && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
		uint64_t off = ow_so[i], len = ow_sl[i];

		if (ow_own[i] != 1)
			continue;
		switch (rc.c) {
		case C_OW_DIO:
		case C_OW_BUFREAD:
			fill_gen(ow_hbuf, off, len, g);
			ow_write(&ow_hw, (enum wengine)((k + 3) % NR_WENGINES), ow_hbuf, len, off);
			break;
		case C_OW_BUFFERED:
			fill_gen(ow_hbuf, off, len, g);
			xpwrite(mfd_b, ow_hbuf, len, off);
			if (k % 16 == 15 && sync_file_range(mfd_b, 0, 0, SYNC_FILE_RANGE_WRITE))
				die("sync_file_range: %s", strerror(errno));
			break;
		case C_OW_MMAP:
			fill_gen(ow_hbuf, off, len, g);
			memcpy(m + off, ow_hbuf, len);
			break;
		case C_OW_PUNCH:
			xfalloc(mfd_b, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len);
			break;
		case C_OW_FALLOC:
			/* Unwritten either way: zero range, or punch and preallocate. */
			if (k % 2) {
				xfalloc(mfd_b, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, off, len);
			} else {
				xfalloc(mfd_b, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len);
				xfalloc(mfd_b, FALLOC_FL_KEEP_SIZE, off, len);
			}
			break;
		case C_OW_REFLINK:
			xclone(dn_new, off, len);
			break;
		default:
			break;
		}
		mark_done(off, len);
		k++;
	}
	if (m)
		munmap(m, rc.size);
	return NULL;
}

/* An overwrite round: the overwriter here, the helper in a thread beside it. */
static void ow_mutate(uint32_t g, uint8_t *buf)
{
	pthread_t h;

	if (pthread_create(&h, NULL, ow_helper, (void *)(uintptr_t)g))
		die("%s", "pthread_create");
	for (unsigned int i = 0, k = 0; i < ow_n && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
		if (ow_own[i] != 0)
			continue;
		fill_gen(buf, ow_so[i], ow_sl[i], g);
		ow_write(&ow_we, (enum wengine)(k++ % NR_WENGINES), buf, ow_sl[i], ow_so[i]);
		mark_done(ow_so[i], ow_sl[i]);
	}
	pthread_join(h, NULL);
}

/* Set up round @g's old state (readers are parked). */
static void race_setup(uint32_t g, uint8_t *buf)
{
	uint64_t nsec = rc.size / SECT;

	memset(done, 0, nsec);
	size_seq = size_done = 0;
	size_log[0] = rc.size;
	for (uint64_t s = 0; s < nsec; s++)
		old_c[s] = 0, new_c[s] = g;
	switch (rc.c) {
	case C_HOLE_DIO:
	case C_HOLE_BUF:
		xtrunc(mfd_b, 0);
		xtrunc(mfd_b, rc.size);
		break;
	case C_UNWRITTEN:
		xtrunc(mfd_b, 0);
		xtrunc(mfd_b, rc.size);
		xfalloc(mfd_b, 0, 0, rc.size / 2);
		break;
	case C_EXTEND:
	case C_EXTEND_DIO:
	case C_EXTEND_BUF:
		xtrunc(mfd_b, 0);
		fill_gen(buf, 0, rc.size / 4, g);
		xpwrite(mfd_d, buf, rc.size / 4, 0);
		size_log[0] = rc.size / 4;
		for (uint64_t s = 0; s < nsec; s++)
			old_c[s] = s < nsec / 4 ? g : NONE;
		mark_done(0, rc.size / 4);
		break;
	case C_TRUNCATE:
	case C_PUNCH:
		xtrunc(mfd_b, 0);
		fill_gen(buf, 0, rc.size, g);
		xpwrite(mfd_d, buf, rc.size, 0);
		for (uint64_t s = 0; s < nsec; s++)
			old_c[s] = g, new_c[s] = 0;
		break;
	case C_BUFFERED:
	case C_MMAP:
		xtrunc(mfd_b, 0);
		fill_gen(buf, 0, rc.size, g - 1);
		xpwrite(mfd_d, buf, rc.size, 0);
		for (uint64_t s = 0; s < nsec; s++)
			old_c[s] = g - 1;
		break;
	default:
		if (IS_OW(rc.c))
			ow_setup(g, buf);
		break;
	}
	if (fsync(mfd_b))
		die("fsync: %s", strerror(errno));
}

static void race_mutate(uint32_t g, uint8_t *buf, uint64_t *so, uint64_t *sl)
{
	unsigned int n;

	switch (rc.c) {
	case C_HOLE_DIO:
	case C_HOLE_BUF:
	case C_UNWRITTEN:
		n = segments(so, sl, rc.c == C_HOLE_DIO ? SECT : PAGE, rc.c == C_HOLE_DIO ? 16 : 4);
		for (unsigned int i = 0; i < n && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
			if (rc.c == C_UNWRITTEN && so[i] >= rc.size / 2)
				/* Allocate unwritten first, then write (convert). */
				xfalloc(mfd_b, FALLOC_FL_KEEP_SIZE, so[i], sl[i]);
			fill_gen(buf, so[i], sl[i], g);
			xpwrite(rc.c == C_HOLE_BUF ? mfd_b : mfd_d, buf, sl[i], so[i]);
			mark_done(so[i], sl[i]);
			if (rc.c == C_HOLE_BUF && i % 32 == 31 && fdatasync(mfd_b))
				die("fdatasync: %s", strerror(errno));
		}
		break;
	case C_BUFFERED:
	case C_MMAP: {
		uint8_t *m = NULL;

		if (rc.c == C_MMAP) {
			m = mmap(NULL, rc.size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd_b, 0);
			if (m == MAP_FAILED)
				die("mmap: %s", strerror(errno));
		}
		n = segments(so, sl, SECT, 32);
		for (unsigned int i = 0; i < n && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
			fill_gen(buf, so[i], sl[i], g);
			if (m)
				memcpy(m + so[i], buf, sl[i]);
			else
				xpwrite(mfd_b, buf, sl[i], so[i]);
			mark_done(so[i], sl[i]);
			if (i % 64 == 63 && sync_file_range(mfd_b, 0, 0, SYNC_FILE_RANGE_WRITE))
				die("sync_file_range: %s", strerror(errno));
		}
		if (m)
			munmap(m, rc.size);
		break;
	}
	case C_PUNCH:
		n = segments(so, sl, SECT, 64);
		for (unsigned int i = 0; i < n && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
			xfalloc(mfd_b, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, so[i], sl[i]);
			mark_done(so[i], sl[i]);
		}
		break;
	case C_EXTEND:
	case C_EXTEND_DIO:
	case C_EXTEND_BUF: {
		uint64_t cur = rc.size / 4;

		/* extend: O_DIRECT and buffered appends alternating. */
		for (unsigned int i = 0; cur < rc.size && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
			bool bufd = rc.c == C_EXTEND_BUF || (rc.c == C_EXTEND && i % 2);
			uint64_t len = min64((1 + mrnd(bufd ? 32 : 8)) * (bufd ? SECT : PAGE), rc.size - cur);

			fill_gen(buf, cur, len, g);
			size_begin(cur + len);
			xpwrite(bufd ? mfd_b : mfd_d, buf, len, cur);
			size_end();
			mark_done(cur, len);
			cur += len;
		}
		break;
	}
	case C_TRUNCATE: {
		/* Down to ever smaller sizes, back up to the full size each time. */
		uint64_t prev = rc.size, nsec = rc.size / SECT, lowest = nsec / 4;

		for (uint64_t s = 0; s < lowest; s++)
			new_c[s] = g;	/* never truncated away this round */
		while (prev > lowest * SECT && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
			uint64_t x = prev - (1 + mrnd(64)) * SECT;

			if (mrnd(2))
				x = align_down(x, PAGE);
			if (x < lowest * SECT)
				x = lowest * SECT;
			size_begin(x);
			xtrunc(mfd_b, x);
			size_end();
			mark_done(x, prev - x);
			size_begin(rc.size);
			xtrunc(mfd_b, rc.size);
			size_end();
			prev = x;
		}
		break;
	}
	default:
		if (IS_OW(rc.c))
			ow_mutate(g, buf);
		break;
	}
}

/* The whole file after a round: every sector its new content. */
static void race_verify(uint8_t *buf)
{
	uint64_t size = size_log[size_seq];
	struct stat st;
	ssize_t r;

	if (fstat(mfd_b, &st) || (uint64_t)st.st_size != size) {
		race_fail("file size %" PRIu64 " after the round, expected %" PRIu64,
			  (uint64_t)st.st_size, size);
		return;
	}
	r = pread(mfd_d, buf, size, 0);
	if (r != (ssize_t)size) {
		race_fail("final read returned %zd", r);
		return;
	}
	for (uint64_t b = 0; b < size; b += SECT) {
		uint32_t got = classify(buf + b, b);

		if (got != new_c[b / SECT]) {
			race_fail("after the round the sector at %" PRIu64 " is %u, expected %u",
				  b, got, new_c[b / SECT]);
			print_fiemap(mfd_b, stdout);
			return;
		}
	}
}

static int cmd_race(int argc, char **argv)
{
	pthread_t th[16];
	uint8_t *buf, *vbuf;
	uint64_t *so, *sl, nsec;
	struct timespec t0, t1;
	bool size_given = false;

	if (argc < 3)
		die("%s", "usage: dio-fsx race FILE --case C [--rounds N] [--size B] [--readers N] [--seed S] [--engines E,E..] [--no-poll] [--inject-faults]");
	rc.file = argv[2];
	for (int i = 3; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(a, "--no-poll")) {
			rc.poll = false;
			i--;
		} else if (!strcmp(a, "--inject-faults")) {
			inject = true;
			i--;
		} else if (!strcmp(a, "--case")) {
			for (rc.c = 0; rc.c < NR_CASES && strcmp(v, case_names[rc.c]); rc.c++)
				;
		} else if (!strcmp(a, "--rounds")) {
			rc.rounds = (unsigned int)parse_size(v);
		} else if (!strcmp(a, "--size")) {
			rc.size = parse_size(v);
			size_given = true;
		} else if (!strcmp(a, "--readers")) {
			rc.readers = (unsigned int)parse_size(v);
		} else if (!strcmp(a, "--seed")) {
			rc.seed = parse_size(v);
		} else if (!strcmp(a, "--engines")) {
			char *list = strdup(v), *tok, *save = NULL;

			rc.engines = 0;
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				unsigned int e;

				for (e = 0; e < NR_ENGINES && strcmp(tok, engine_names[e]); e++)
					;
				if (e == NR_ENGINES)
					die("unknown engine %s", tok);
				rc.engines |= 1u << e;
			}
			free(list);
		} else {
			die("unknown option %s", a);
		}
	}
	if (rc.c == NR_CASES)
		die("%s", "--case: hole-dio hole-buffered extend extend-dio extend-buffered truncate punch unwritten buffered mmap"
		    " overwrite-dio overwrite-bufread overwrite-buffered overwrite-mmap overwrite-truncate overwrite-punch"
		    " overwrite-fallocate overwrite-reflink");
	if (IS_FOLIO_APART(rc.c) && !size_given)
		rc.size = 2 * FOLIO_SPAN;
	if (IS_FOLIO_APART(rc.c) && rc.size < 2 * FOLIO_SPAN)
		die("--size: %s needs two chunks of %u bytes", case_names[rc.c], FOLIO_SPAN);
	if (rc.size % (64 * PAGE) || !rc.readers || rc.readers > 16 || !rc.rounds || !rc.engines)
		die("%s", "bad --size (multiple of 256K), --readers (1..16) or --rounds");
	nsec = rc.size / SECT;
	mark_fail(false);	/* --inject-faults: fail now if it cannot mark */
	mfd_b = open(rc.file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	mfd_d = open(rc.file, O_RDWR | O_DIRECT);
	old_c = calloc(nsec, sizeof(*old_c));
	new_c = calloc(nsec, sizeof(*new_c));
	done = calloc(nsec, 1);
	so = calloc(nsec, sizeof(*so));
	sl = calloc(nsec, sizeof(*sl));
	if (mfd_b < 0 || mfd_d < 0 || !old_c || !new_c || !done || !so || !sl ||
	    posix_memalign((void **)&buf, PAGE, rc.size) ||
	    posix_memalign((void **)&vbuf, PAGE, rc.size))
		die("setup: %s", strerror(errno));
	if (IS_OW(rc.c)) {
		ow_so = calloc(nsec, sizeof(*ow_so));
		ow_sl = calloc(nsec, sizeof(*ow_sl));
		ow_own = calloc(nsec, 1);
		if (!ow_so || !ow_sl || !ow_own || posix_memalign((void **)&ow_hbuf, PAGE, 16 * PAGE))
			die("%s", "out of memory");
		engines_init(&ow_we, mfd_d, 4, rc.poll);
		engines_init(&ow_hw, mfd_d, 4, rc.poll);
	}
	if (rc.c == C_OW_REFLINK) {
		char name[4096];

		snprintf(name, sizeof(name), "%s.donor-old", rc.file);
		dn_old = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		snprintf(name, sizeof(name), "%s.donor-new", rc.file);
		dn_new = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (dn_old < 0 || dn_new < 0)
			die("donor files: %s", strerror(errno));
	}
	mst = mix(rc.seed ^ 0x1234);
	pthread_barrier_init(&bar, NULL, rc.readers + 1);
	for (unsigned int i = 0; i < rc.readers; i++)
		pthread_create(&th[i], NULL, reader, (void *)(uintptr_t)i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int round = 0; round < rc.rounds; round++) {
		uint32_t g = 2 + round;

		race_setup(g, buf);
		__atomic_store_n(&stop, 0, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&bar);
		race_mutate(g, buf, so, sl);
		/* Let the readers see the final state for a moment too. */
		usleep(20000);
		__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&bar);
		if (__atomic_load_n(&failed, __ATOMIC_SEQ_CST))
			break;
		race_verify(vbuf);
		if (__atomic_load_n(&failed, __ATOMIC_SEQ_CST))
			break;
	}
	for (unsigned int i = 0; i < rc.readers; i++) {
		/* Readers parked at a barrier after a failure: release them. */
		if (__atomic_load_n(&failed, __ATOMIC_SEQ_CST))
			break;
		pthread_join(th[i], NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# race %s: %u rounds, %u readers, %" PRIu64 " reads (%" PRIu64 " short at EOF), sectors seen old %"
	       PRIu64 " new %" PRIu64 " mixed-by-mmap-store %" PRIu64 ", io_uring EAGAIN retried %" PRIu64 ", %.1fs: %s\n",
	       case_names[rc.c], rc.rounds, rc.readers, race_reads, race_short, race_old,
	       race_new, race_torn, race_eagain, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       failed ? "FAILED" : "all reads old or new, never garbage, never past EOF");
	if (IS_OW(rc.c))
		printf("# O_DIRECT overwrites %" PRIu64 ", nowait EAGAIN (retried) %" PRIu64
		       ", io_uring/libaio EAGAIN (retried with pwrite) %" PRIu64 "\n", ow_writes,
		       ow_we.w_eagain + ow_hw.w_eagain, ow_we.w_async_eagain + ow_hw.w_async_eagain);
	print_injected();
	fflush(stdout);
	if (failed)
		_exit(1);
	return 0;
}

/* ================= nowait: RWF_NOWAIT results by situation ================= */

static int cmd_nowait(int argc, char **argv)
{
	uint8_t *buf;
	int b, d;

	if (argc < 3)
		die("%s", "usage: dio-fsx nowait FILE");
	b = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
	d = open(argv[2], O_RDWR | O_DIRECT);
	if (b < 0 || d < 0 || posix_memalign((void **)&buf, PAGE, 1 << 20))
		die("cannot open %s", argv[2]);
	/* 0..1M written and synced; 1M..2M a hole; 2M..3M unwritten. */
	fill_data(buf, 1 << 20, 0, 77);
	xpwrite(d, buf, 1 << 20, 0);
	xtrunc(b, 4 << 20);
	xfalloc(b, FALLOC_FL_KEEP_SIZE, 2 << 20, 1 << 20);
	if (fsync(b))
		die("%s", "fsync");

	struct { const char *what; uint64_t off, len; int prep; } t[] = {
		{ "clean mapped 4K", 8192, 4096, 0 },
		{ "clean mapped 64K", 65536, 65536, 0 },
		{ "hole 4K", (1 << 20) + 8192, 4096, 0 },
		{ "unwritten 4K", (2 << 20) + 8192, 4096, 0 },
		{ "mapped+hole 8K", (1 << 20) - 4096, 8192, 0 },
		{ "dirty page cache 4K", 16384, 4096, 1 },
		{ "dirty page next to the range", 24576, 4096, 2 },
		{ "dirty page inside a 64K read", 131072, 65536, 3 },
		{ "clean page cache 4K", 40960, 4096, 4 },
		{ "dirty hole 4K", (1 << 20) + 65536, 4096, 1 },
		{ "dirty unwritten 4K", (2 << 20) + 65536, 4096, 1 },
		{ "past EOF", 5 << 20, 4096, 0 },
	};
	for (unsigned int i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct iovec iov = { buf, t[i].len };
		uint8_t one = 0x5a;
		ssize_t r;

		switch (t[i].prep) {
		case 1:
			xpwrite(b, &one, 1, t[i].off + 100);
			break;
		case 2:
			xpwrite(b, &one, 1, t[i].off + t[i].len + 100);
			break;
		case 3:
			xpwrite(b, &one, 1, t[i].off + 40000);
			break;
		case 4:
			if (pread(b, buf, 4096, t[i].off) != 4096)
				die("%s", "buffered read");
			break;
		}
		r = preadv2(d, &iov, 1, t[i].off, RWF_NOWAIT);
		printf("nowait %-32s %s\n", t[i].what,
		       r >= 0 ? "ok" : errno == EAGAIN ? "EAGAIN" : strerror(errno));
		if (r < 0 && errno != EAGAIN)
			printf("# unexpected error %s\n", strerror(errno));
		if (fsync(b))
			die("%s", "fsync");
	}
	close(b);
	close(d);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "run"))
		return cmd_run(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "race"))
		return cmd_race(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "nowait"))
		return cmd_nowait(argc, argv);
	fprintf(stderr, "usage: dio-fsx run|race|nowait FILE ...\n");
	return 2;
}
