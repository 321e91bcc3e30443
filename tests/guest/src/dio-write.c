// SPDX-License-Identifier: GPL-2.0
/*
 * dio-write: O_DIRECT overwrites on every engine, for the simple write
 * path's guest tests.
 *
 *   dio-write fill FILE SIZE SEED [--bs B] [--engine E] [--qd N]
 *       Overwrite [0, SIZE) of FILE with the pattern of SEED (pattern.h)
 *       in B-byte O_DIRECT writes (default 4096), each block once, in a
 *       seeded random order. Engines: pwrite, pwritev2-dsync,
 *       pwritev2-nowait (EAGAIN: retried without RWF_NOWAIT, counted),
 *       pwritev2-hipri, odsync (pwrite on an O_DSYNC open), libaio,
 *       io_uring, io_uring-dsync, io_uring-poll (an IOPOLL ring). Every
 *       write must return B; the first that does not is reported with its
 *       errno and the tool exits 1. Prints "wrote N eagain M".
 *
 *   dio-write at FILE OFF LEN SEED [--append]
 *       One O_DIRECT write of the pattern at OFF (with --append: an
 *       O_APPEND open, so at EOF whatever OFF says); must return LEN.
 *
 *   dio-write verify FILE SIZE SEED [--buffered]
 *       [0, SIZE) of FILE must be the pattern of SEED, read with O_DIRECT
 *       (or through the page cache); the first differing offset is
 *       reported, exit 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "guest-util.h"
#include "pattern.h"

#define PAGE 4096
#define MAX_QD 32

enum engine {
	E_PWRITE, E_DSYNC, E_NOWAIT, E_HIPRI, E_ODSYNC, E_LIBAIO, E_URING,
	E_URING_DSYNC, E_URING_POLL, E_NR,
};
static const char *const engine_names[E_NR] = {
	"pwrite", "pwritev2-dsync", "pwritev2-nowait", "pwritev2-hipri",
	"odsync", "libaio", "io_uring", "io_uring-dsync", "io_uring-poll",
};

static uint64_t eagain;

static uint64_t step;	/* coprime to the block count: see order_init() */

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* The seeded order: i -> (i * step + seed) mod n, a permutation of n. */
static void order_init(uint64_t n, uint64_t seed)
{
	step = (mix(seed) % n) | 1;
	while (gcd(step, n) != 1)
		step++;
}

static uint64_t block_at(uint64_t i, uint64_t n, uint64_t seed)
{
	return (i * step + seed) % n;
}

static void fail_write(uint64_t off, int64_t ret)
{
	fprintf(stderr, "dio-write: write at %llu returned %lld (%s)\n",
		(unsigned long long)off, (long long)ret,
		ret < 0 ? strerror((int)-ret) : "short");
	exit(1);
}

static void fill_sync(int fd, enum engine e, uint8_t *buf, uint64_t bs,
		      uint64_t n, uint64_t seed)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = block_at(i, n, seed) * bs;
		struct iovec iov = { buf, bs };
		ssize_t r;

		fill_pattern(buf, bs, off, seed);
		switch (e) {
		case E_DSYNC:
			r = pwritev2(fd, &iov, 1, off, RWF_DSYNC);
			break;
		case E_NOWAIT:
			r = pwritev2(fd, &iov, 1, off, RWF_NOWAIT);
			if (r < 0 && errno == EAGAIN) {
				eagain++;
				r = pwrite(fd, buf, bs, off);
			}
			break;
		case E_HIPRI:
			r = pwritev2(fd, &iov, 1, off, RWF_HIPRI);
			break;
		default:
			r = pwrite(fd, buf, bs, off);
		}
		if (r != (ssize_t)bs)
			fail_write(off, r < 0 ? -errno : r);
	}
}

static void fill_libaio(int fd, uint8_t *bufs, uint64_t bs, uint64_t n,
			uint64_t seed, int qd)
{
	struct iocb cbs[MAX_QD], *cbp[MAX_QD];
	struct io_event ev[MAX_QD];
	io_context_t ctx = 0;

	if (io_setup(qd, &ctx))
		die("%s", "io_setup failed");
	for (uint64_t i = 0; i < n; i += qd) {
		int k, got = 0, batch = n - i < (uint64_t)qd ? (int)(n - i) : qd;

		for (k = 0; k < batch; k++) {
			uint64_t off = block_at(i + k, n, seed) * bs;
			uint8_t *b = bufs + k * bs;

			fill_pattern(b, bs, off, seed);
			io_prep_pwrite(&cbs[k], fd, b, bs, off);
			cbp[k] = &cbs[k];
		}
		if (io_submit(ctx, batch, cbp) != batch)
			fail_write(block_at(i, n, seed) * bs, -EIO);
		while (got < batch) {
			int r = io_getevents(ctx, 1, batch - got, ev, NULL);

			if (r < 0)
				die("%s", "io_getevents failed");
			for (k = 0; k < r; k++)
				if ((int64_t)ev[k].res != (int64_t)bs)
					fail_write(ev[k].obj->u.c.offset,
						   (int64_t)ev[k].res);
			got += r;
		}
	}
	io_destroy(ctx);
}

static void fill_uring(int fd, uint8_t *bufs, uint64_t bs, uint64_t n,
		       uint64_t seed, int qd, enum engine e)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(qd, &ring,
				      e == E_URING_POLL ? IORING_SETUP_IOPOLL : 0);

	if (ret)
		die("io_uring_queue_init: %s", strerror(-ret));
	for (uint64_t i = 0; i < n; i += qd) {
		int k, batch = n - i < (uint64_t)qd ? (int)(n - i) : qd;

		for (k = 0; k < batch; k++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			uint64_t off = block_at(i + k, n, seed) * bs;
			uint8_t *b = bufs + k * bs;

			fill_pattern(b, bs, off, seed);
			io_uring_prep_write(sqe, fd, b, bs, off);
			if (e == E_URING_DSYNC)
				sqe->rw_flags = RWF_DSYNC;
			io_uring_sqe_set_data64(sqe, off);
		}
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret < 0)
			die("io_uring_submit: %s", strerror(-ret));
		for (k = 0; k < batch; k++) {
			struct io_uring_cqe *cqe;

			ret = io_uring_wait_cqe(&ring, &cqe);
			if (ret)
				die("io_uring_wait_cqe: %s", strerror(-ret));
			if (cqe->res != (int)bs)
				fail_write(io_uring_cqe_get_data64(cqe), cqe->res);
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
}

static int cmd_fill(int argc, char **argv)
{
	uint64_t size, seed, bs = 4096, n;
	enum engine e = E_PWRITE;
	uint8_t *bufs;
	int qd = 16, fd, i, flags = O_WRONLY | O_DIRECT;

	if (argc < 5)
		die("%s", "usage: fill FILE SIZE SEED [--bs B] [--engine E] [--qd N]");
	size = parse_size(argv[3]);
	seed = parse_size(argv[4]);
	for (i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--bs") && i + 1 < argc) {
			bs = parse_size(argv[++i]);
		} else if (!strcmp(argv[i], "--qd") && i + 1 < argc) {
			qd = (int)parse_size(argv[++i]);
		} else if (!strcmp(argv[i], "--engine") && i + 1 < argc) {
			for (e = 0; e < E_NR; e++)
				if (!strcmp(argv[i + 1], engine_names[e]))
					break;
			if (e == E_NR)
				die("unknown engine '%s'", argv[i + 1]);
			i++;
		} else {
			die("unknown option '%s'", argv[i]);
		}
	}
	if (!bs || bs % 512 || !size || size % bs || qd < 1 || qd > MAX_QD)
		die("%s", "SIZE must be a multiple of B, B of 512; 1 <= qd <= 32");
	n = size / bs;
	order_init(n, seed);
	if (e == E_ODSYNC)
		flags |= O_DSYNC;
	fd = open(argv[2], flags);
	if (fd < 0)
		die("cannot open %s: %s", argv[2], strerror(errno));
	if (posix_memalign((void **)&bufs, PAGE, bs * qd))
		die("%s", "out of memory");
	switch (e) {
	case E_LIBAIO:
		fill_libaio(fd, bufs, bs, n, seed, qd);
		break;
	case E_URING:
	case E_URING_DSYNC:
	case E_URING_POLL:
		fill_uring(fd, bufs, bs, n, seed, qd, e);
		break;
	default:
		fill_sync(fd, e, bufs, bs, n, seed);
	}
	if (close(fd))
		die("close %s: %s", argv[2], strerror(errno));
	free(bufs);
	printf("wrote %llu eagain %llu\n", (unsigned long long)n,
	       (unsigned long long)eagain);
	return 0;
}

static int cmd_at(int argc, char **argv)
{
	bool append = argc > 6 && !strcmp(argv[6], "--append");
	uint64_t off, len, seed;
	struct stat st;
	uint8_t *buf;
	ssize_t r;
	int fd;

	if (argc < 6)
		die("%s", "usage: at FILE OFF LEN SEED [--append]");
	off = parse_size(argv[3]);
	len = parse_size(argv[4]);
	seed = parse_size(argv[5]);
	fd = open(argv[2], O_WRONLY | O_DIRECT | (append ? O_APPEND : 0));
	if (fd < 0 || fstat(fd, &st) || posix_memalign((void **)&buf, PAGE, len))
		die("cannot open %s: %s", argv[2], strerror(errno));
	if (append)
		off = st.st_size;
	fill_pattern(buf, len, off, seed);
	r = pwrite(fd, buf, len, off);
	if (r != (ssize_t)len)
		fail_write(off, r < 0 ? -errno : r);
	close(fd);
	free(buf);
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	bool buffered = argc > 5 && !strcmp(argv[5], "--buffered");
	const size_t chunk = 1 << 20;
	uint64_t size, seed, off;
	uint8_t *buf;
	int fd;

	if (argc < 5)
		die("%s", "usage: verify FILE SIZE SEED [--buffered]");
	size = parse_size(argv[3]);
	seed = parse_size(argv[4]);
	fd = open(argv[2], O_RDONLY | (buffered ? 0 : O_DIRECT));
	if (fd < 0 || posix_memalign((void **)&buf, PAGE, chunk))
		die("cannot open %s", argv[2]);
	for (off = 0; off < size; off += chunk) {
		size_t want = size - off < chunk ? size - off : chunk;
		ssize_t r = pread(fd, buf, want, off);

		if (r != (ssize_t)want) {
			fprintf(stderr, "dio-write: read at %llu returned %zd\n",
				(unsigned long long)off, r);
			return 1;
		}
		for (size_t b = 0; b < want; b++) {
			if (buf[b] != pattern_byte(seed, off + b)) {
				fprintf(stderr, "dio-write: %s differs from pattern %llu at offset %llu\n",
					argv[2], (unsigned long long)seed,
					(unsigned long long)(off + b));
				return 1;
			}
		}
	}
	close(fd);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "fill"))
		return cmd_fill(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "at"))
		return cmd_at(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc, argv);
	die("%s", "usage: dio-write fill|at|verify ... (see the source's header)");
}
