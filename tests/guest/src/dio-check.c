// SPDX-License-Identifier: GPL-2.0
/*
 * dio-check: guest-side I/O checker for simple-dio.
 *
 *   dio-check prep FILE SIZE [SEED]      write the known pattern (buffered)
 *   dio-check readn FILE N BS [--buffered]
 *                                        N reads of BS bytes, O_DIRECT
 *   dio-check diff FILE [options]        differential check, see usage()
 *
 * The pattern: the 64-bit word at file offset 8*w is mix(w ^ seed), so
 * every byte's expected value follows from its offset alone.
 *
 * diff runs one seeded random sequence of reads once per knob state and
 * requires every return value and every byte to match between states and
 * to match the pattern.
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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <sys/uio.h>
#include <unistd.h>
#include "guest-util.h"
#include "pattern.h"

#define PAGE 4096
#define MAX_QD 16

static int cmd_prep(int argc, char **argv)
{
	uint64_t size, seed, off;
	uint8_t *buf;
	int fd;

	if (argc < 4)
		die("%s", "usage: prep FILE SIZE [SEED]");
	size = parse_size(argv[3]);
	seed = argc > 4 ? parse_size(argv[4]) : 1;
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("cannot create %s", argv[2]);
	buf = malloc(1 << 20);
	for (off = 0; off < size; off += 1 << 20) {
		size_t n = size - off < (1 << 20) ? size - off : 1 << 20;

		fill_pattern(buf, n, off, seed);
		if (pwrite(fd, buf, n, off) != (ssize_t)n)
			die("write failed on %s", argv[2]);
	}
	if (fsync(fd) || close(fd))
		die("fsync failed on %s", argv[2]);
	free(buf);
	return 0;
}

/*
 * prep-frag FILE SIZE SEED CHUNK: write the pattern in CHUNK-sized O_DIRECT
 * writes, alternating with writes to FILE.fill, so FILE's extents are
 * (mostly) CHUNK long and reads larger than CHUNK straddle two of them.
 */
static int cmd_prep_frag(int argc, char **argv)
{
	uint64_t size, seed, chunk, off;
	char fill_name[4096];
	uint8_t *buf;
	int fd, ffd;

	if (argc < 6)
		die("%s", "usage: prep-frag FILE SIZE SEED CHUNK");
	size = parse_size(argv[3]);
	seed = parse_size(argv[4]);
	chunk = parse_size(argv[5]);
	snprintf(fill_name, sizeof(fill_name), "%s.fill", argv[2]);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	ffd = open(fill_name, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	if (fd < 0 || ffd < 0 || !chunk || chunk % PAGE ||
	    posix_memalign((void **)&buf, PAGE, chunk))
		die("cannot create %s", argv[2]);
	for (off = 0; off < size; off += chunk) {
		fill_pattern(buf, chunk, off, seed);
		if (pwrite(fd, buf, chunk, off) != (ssize_t)chunk ||
		    pwrite(ffd, buf, chunk, off) != (ssize_t)chunk)
			die("write failed on %s", argv[2]);
	}
	if (fsync(fd) || fsync(ffd) || close(fd) || close(ffd))
		die("fsync failed on %s", argv[2]);
	free(buf);
	return 0;
}

static int cmd_readn(int argc, char **argv)
{
	bool buffered = argc > 5 && !strcmp(argv[5], "--buffered");
	uint64_t n, bs, size, i;
	struct stat st;
	void *buf;
	int fd;

	if (argc < 5)
		die("%s", "usage: readn FILE N BS [--buffered]");
	n = parse_size(argv[3]);
	bs = parse_size(argv[4]);
	fd = open(argv[2], O_RDONLY | (buffered ? 0 : O_DIRECT));
	if (fd < 0 || fstat(fd, &st))
		die("cannot open %s", argv[2]);
	size = st.st_size / bs;
	if (!size || posix_memalign(&buf, PAGE, bs))
		die("%s too small", argv[2]);
	for (i = 0; i < n; i++) {
		ssize_t r = pread(fd, buf, bs, (i % size) * bs);

		if (r != (ssize_t)bs) {
			fprintf(stderr, "dio-check: read %llu returned %zd: %s\n",
				(unsigned long long)i, r, strerror(errno));
			return 1;
		}
	}
	close(fd);
	free(buf);
	return 0;
}

/* ---- diff ---- */

enum engine { E_PREAD, E_NOWAIT, E_HIPRI, E_LIBAIO, E_URING, E_URING_POLL };
static const char *const engine_names[] = {
	"pread", "preadv2-nowait", "preadv2-hipri", "libaio", "io_uring",
	"io_uring-poll",
};

struct op {
	uint64_t off;
	uint32_t len;
	uint32_t buf_off;	/* offset of the buffer in its slot */
	int64_t ret;		/* result of the first state */
	uint64_t hash;
};

struct opts {
	const char *file, *knob;
	uint64_t seed, pattern_seed, nops;
	uint32_t min_len, max_len, lbs;	/* min_len 0: lbs */
	uint64_t range_off, range_len;	/* reads confined here if range_len */
	enum engine engine;
	char states[2];		/* '0', '1' or '-' (leave the knob alone) */
	int qd;
	bool quiet;
	/*
	 * --accept: errors a fault-injection test allows (a read may fail
	 * with them in either state, so its result is not compared).
	 */
	int accept[8];
	int naccept;
	bool make_it_fail;	/* fault injection for our reads (task-filter) */
};

static struct opts o = {
	.knob = "/sys/kernel/iomap/simple_read", .seed = 1, .pattern_seed = 1,
	.nops = 1000, .max_len = 4096, .lbs = 512, .engine = E_PREAD,
	.states = { '0', '1' }, .qd = 8,
};

static uint64_t file_size;
static uint8_t *slots;		/* MAX_QD slots of max_len + 2 pages */
static size_t slot_size;
static uint64_t mismatches;
static uint64_t accepted[2];	/* reads failed with an --accept error, per state */

static bool is_accepted(int64_t ret)
{
	for (int i = 0; i < o.naccept; i++)
		if (ret == -o.accept[i])
			return true;
	return false;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	return mix(rng_state++);
}

/* A read length: lbs multiples from min_len (lbs if 0) to max_len. */
static uint32_t gen_len(void)
{
	uint32_t lo = o.min_len ? o.min_len / o.lbs : 1;

	return o.lbs * (uint32_t)(rnd() % (o.max_len / o.lbs - lo + 1) + lo);
}

/* The read sequence: mostly aligned in-file reads, plus the edge cases. */
static void gen_ops(struct op *ops)
{
	uint64_t blocks = file_size / o.lbs;

	if (o.range_len) {
		rng_state = o.seed;
		for (uint64_t i = 0; i < o.nops; i++) {
			ops[i].len = gen_len();
			if (ops[i].len > o.range_len)
				ops[i].len = o.range_len;
			ops[i].off = o.range_off +
				(rnd() % ((o.range_len - ops[i].len) / o.lbs + 1)) * o.lbs;
			ops[i].buf_off = 0;
		}
		return;
	}

	rng_state = o.seed;
	for (uint64_t i = 0; i < o.nops; i++) {
		struct op *op = &ops[i];
		uint64_t kind = rnd() % 100;

		op->len = gen_len();
		op->off = (rnd() % blocks) * o.lbs;
		op->buf_off = 0;
		if (kind < 10)		/* 512-aligned buffer across a page end */
			op->buf_off = PAGE - o.lbs;
		else if (kind < 13)	/* misaligned buffer */
			op->buf_off = 1 + rnd() % 63;
		else if (kind < 16)	/* misaligned offset */
			op->off += 1 + rnd() % (o.lbs - 1);
		else if (kind < 18)	/* straddles EOF */
			op->off = file_size - o.lbs;
		else if (kind < 19)	/* past EOF */
			op->off = file_size + o.lbs * (rnd() % 4);
		else if (kind < 25)	/* full max_len, block aligned */
			op->len = o.max_len, op->off &= ~(uint64_t)(o.max_len - 1);
		if (op->off + op->len > file_size && kind >= 19)
			op->off = file_size - op->len;
	}
}

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void report(uint64_t i, const struct op *op, const char *what,
		   int64_t ret)
{
	if (mismatches++ < 10)
		printf("# mismatch op %llu off %llu len %u buf+%u: %s (ret %lld)\n",
		       (unsigned long long)i, (unsigned long long)op->off,
		       op->len, op->buf_off, what, (long long)ret);
}

static void check_op(uint64_t i, struct op *op, const uint8_t *buf,
		     int64_t ret, int pass)
{
	uint64_t h = 0;

	if (ret > 0) {
		for (int64_t b = 0; b < ret; b++) {
			if (buf[b] != pattern_byte(o.pattern_seed, op->off + b)) {
				report(i, op, "bytes differ from the pattern", ret);
				break;
			}
		}
		h = hash_bytes(buf, ret);
	}
	if (ret > (int64_t)op->len)
		report(i, op, "returned more than asked", ret);
	if (is_accepted(ret))
		accepted[pass]++;
	if (pass == 0) {
		op->ret = ret;
		op->hash = h;
	} else if (is_accepted(ret) || is_accepted(op->ret)) {
		/* An injected fault in one state: bytes checked above. */
	} else if (op->ret != ret) {
		char what[64];

		snprintf(what, sizeof(what), "first state returned %lld",
			 (long long)op->ret);
		report(i, op, what, ret);
	} else if (op->hash != h) {
		report(i, op, "bytes differ between states", ret);
	}
}

static uint8_t *slot_buf(int slot, const struct op *op)
{
	uint8_t *b = slots + (size_t)slot * slot_size + op->buf_off;

	memset(b, 0xa5, op->len);
	return b;
}

static void run_sync(int fd, struct op *ops, int pass)
{
	for (uint64_t i = 0; i < o.nops; i++) {
		struct op *op = &ops[i];
		uint8_t *b = slot_buf(0, op);
		struct iovec iov = { b, op->len };
		ssize_t r;

		switch (o.engine) {
		case E_NOWAIT:
			r = preadv2(fd, &iov, 1, op->off, RWF_NOWAIT);
			break;
		case E_HIPRI:
			r = preadv2(fd, &iov, 1, op->off, RWF_HIPRI);
			break;
		default:
			r = pread(fd, b, op->len, op->off);
		}
		check_op(i, op, b, r < 0 ? -errno : r, pass);
	}
}

static void run_libaio(int fd, struct op *ops, int pass)
{
	io_context_t ctx = 0;
	struct iocb cbs[MAX_QD], *cbp[MAX_QD];
	struct io_event ev[MAX_QD];

	if (io_setup(o.qd, &ctx))
		die("%s", "io_setup failed");
	for (uint64_t i = 0; i < o.nops; i += o.qd) {
		int n = (int)(o.nops - i < (uint64_t)o.qd ? o.nops - i : (uint64_t)o.qd), got = 0;

		for (int k = 0; k < n; k++) {
			struct op *op = &ops[i + k];

			io_prep_pread(&cbs[k], fd, slot_buf(k, op), op->len,
				      op->off);
			cbs[k].data = (void *)(uintptr_t)k;
			cbp[k] = &cbs[k];
		}
		int s = io_submit(ctx, n, cbp);

		/* A submit-time error fails that iocb and stops the batch. */
		if (s < n) {
			int first = s < 0 ? 0 : s;

			for (int k = first; k < n; k++) {
				struct op *op = &ops[i + k];

				check_op(i + k, op, slots + (size_t)k * slot_size + op->buf_off,
					 k == first && s < 0 ? s : -ECANCELED, pass);
			}
			n = first;
		}
		while (got < n) {
			int r = io_getevents(ctx, 1, n - got, ev, NULL);

			if (r < 0)
				die("%s", "io_getevents failed");
			for (int e = 0; e < r; e++) {
				int k = (int)(uintptr_t)ev[e].data;
				struct op *op = &ops[i + k];

				check_op(i + k, op, slots + (size_t)k * slot_size + op->buf_off,
					 (int64_t)ev[e].res, pass);
			}
			got += r;
		}
	}
	io_destroy(ctx);
}

static void run_uring(int fd, struct op *ops, int pass, bool poll)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(o.qd, &ring, poll ? IORING_SETUP_IOPOLL : 0);

	if (ret)
		die("io_uring_queue_init: %s", strerror(-ret));
	for (uint64_t i = 0; i < o.nops; i += o.qd) {
		int n = (int)(o.nops - i < (uint64_t)o.qd ? o.nops - i : (uint64_t)o.qd);

		for (int k = 0; k < n; k++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			struct op *op = &ops[i + k];

			io_uring_prep_read(sqe, fd, slot_buf(k, op), op->len,
					   op->off);
			io_uring_sqe_set_data64(sqe, k);
		}
		ret = io_uring_submit_and_wait(&ring, n);
		if (ret < 0)
			die("io_uring_submit: %s", strerror(-ret));
		for (int got = 0; got < n; got++) {
			struct io_uring_cqe *cqe;

			ret = io_uring_wait_cqe(&ring, &cqe);
			if (ret)
				die("io_uring_wait_cqe: %s", strerror(-ret));
			int k = (int)io_uring_cqe_get_data64(cqe);
			struct op *op = &ops[i + k];

			check_op(i + k, op, slots + (size_t)k * slot_size + op->buf_off,
				 cqe->res, pass);
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
}

static int knob_read(void)
{
	char c = 0;
	int fd = open(o.knob, O_RDONLY);

	if (fd < 0 || read(fd, &c, 1) != 1)
		die("cannot read knob %s", o.knob);
	close(fd);
	return c;
}

static void knob_write(char v)
{
	int fd = open(o.knob, O_WRONLY);

	if (fd < 0 || write(fd, &v, 1) != 1)
		die("cannot write knob %s", o.knob);
	close(fd);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: dio-check diff FILE [--ops N] [--seed S] [--pattern-seed P]\n"
		"         [--engine pread|preadv2-nowait|preadv2-hipri|libaio|io_uring|io_uring-poll]\n"
		"         [--min-len B] [--max-len B] [--lbs B] [--qd N] [--knob PATH] [--states 01|0-|--]\n"
		"         [--range OFF,LEN] [--accept EIO,EAGAIN,ETIMEDOUT,ENOMEM]\n"
		"         [--make-it-fail 0|1]\n");
	exit(2);
}

/*
 * --make-it-fail 1: mark this thread for the fault injectors' task-filter
 * while it reads, not while it opens or switches states.
 */
static void set_make_it_fail(int fd, bool on)
{
	if (pwrite(fd, on ? "1" : "0", 1, 0) != 1)
		die("cannot write /proc/thread-self/make-it-fail: %s", strerror(errno));
}

/* --accept EIO,EAGAIN,...: the errors an injected fault may cause. */
static void parse_accept(const char *list)
{
	static const struct { const char *name; int err; } names[] = {
		{ "EIO", EIO }, { "EAGAIN", EAGAIN }, { "ETIMEDOUT", ETIMEDOUT },
		{ "ENOMEM", ENOMEM },
	};
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned int k;

		for (k = 0; k < sizeof(names) / sizeof(*names); k++)
			if (!strcmp(t, names[k].name))
				break;
		if (k == sizeof(names) / sizeof(*names))
			die("--accept: unknown error %s (EIO, EAGAIN, ETIMEDOUT, ENOMEM)", t);
		if (o.naccept == (int)(sizeof(o.accept) / sizeof(*o.accept)))
			die("%s", "--accept: too many errors");
		o.accept[o.naccept++] = names[k].err;
	}
}

static int cmd_diff(int argc, char **argv)
{
	struct stat st;
	struct op *ops;
	int fd, orig = 0, fail_fd = -1;

	if (argc < 3)
		usage();
	o.file = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--ops"))
			o.nops = parse_size(v);
		else if (!strcmp(a, "--seed"))
			o.seed = parse_size(v);
		else if (!strcmp(a, "--pattern-seed"))
			o.pattern_seed = parse_size(v);
		else if (!strcmp(a, "--min-len"))
			o.min_len = parse_size(v);
		else if (!strcmp(a, "--max-len"))
			o.max_len = parse_size(v);
		else if (!strcmp(a, "--lbs"))
			o.lbs = parse_size(v);
		else if (!strcmp(a, "--qd"))
			o.qd = parse_size(v);
		else if (!strcmp(a, "--range")) {
			char *comma = strchr(v, ',');

			if (!comma)
				usage();
			*comma = '\0';
			o.range_off = parse_size(v);
			o.range_len = parse_size(comma + 1);
		} else if (!strcmp(a, "--make-it-fail")) {
			o.make_it_fail = parse_size(v) != 0;
		} else if (!strcmp(a, "--accept")) {
			parse_accept(v);
		} else if (!strcmp(a, "--knob"))
			o.knob = v;
		else if (!strcmp(a, "--states") && strlen(v) == 2)
			memcpy(o.states, v, 2);
		else if (!strcmp(a, "--engine")) {
			unsigned int e;

			for (e = 0; e < sizeof(engine_names) / sizeof(*engine_names); e++)
				if (!strcmp(v, engine_names[e]))
					break;
			if (e == sizeof(engine_names) / sizeof(*engine_names))
				die("unknown engine %s", v);
			o.engine = e;
		} else {
			usage();
		}
	}
	if (o.qd < 1 || o.qd > MAX_QD || !o.max_len || o.max_len % o.lbs ||
	    o.min_len % o.lbs || o.min_len > o.max_len)
		die("%s", "bad --qd, --min-len, --max-len or --lbs");

	fd = open(o.file, O_RDONLY | O_DIRECT);
	if (fd < 0 || fstat(fd, &st))
		die("cannot open %s with O_DIRECT", o.file);
	file_size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &file_size))
		die("cannot size %s", o.file);
	if (file_size < 4 * (uint64_t)o.max_len)
		die("%s is too small", o.file);
	slot_size = o.max_len + 2 * PAGE;
	if (posix_memalign((void **)&slots, PAGE, slot_size * MAX_QD))
		die("%s", "out of memory");
	ops = calloc(o.nops, sizeof(*ops));
	if (!ops)
		die("%s", "out of memory");
	gen_ops(ops);

	if (o.states[0] != '-' || o.states[1] != '-')
		orig = knob_read();
	if (o.make_it_fail) {
		if (o.engine != E_PREAD && o.engine != E_NOWAIT && o.engine != E_HIPRI)
			die("%s", "--make-it-fail: sync engines only (a ring's set-up would fail too)");
		fail_fd = open("/proc/thread-self/make-it-fail", O_WRONLY);
		if (fail_fd < 0)
			die("cannot open /proc/thread-self/make-it-fail: %s", strerror(errno));
		/*
		 * The buffers faulted in before the thread is marked: an
		 * injected page allocation failure (fail_page_alloc) must land
		 * in a read, not in a page fault of ours.
		 */
		memset(slots, 0xa5, slot_size * MAX_QD);
	}
	for (int pass = 0; pass < 2; pass++) {
		if (o.states[pass] != '-')
			knob_write(o.states[pass]);
		if (o.make_it_fail)
			set_make_it_fail(fail_fd, true);
		switch (o.engine) {
		case E_LIBAIO:
			run_libaio(fd, ops, pass);
			break;
		case E_URING:
		case E_URING_POLL:
			run_uring(fd, ops, pass, o.engine == E_URING_POLL);
			break;
		default:
			run_sync(fd, ops, pass);
		}
		if (o.make_it_fail)
			set_make_it_fail(fail_fd, false);
	}
	if (fail_fd >= 0)
		close(fail_fd);
	if (orig)
		knob_write(orig);

	uint64_t full = 0, errs = 0, einval = 0, eio = 0, enotsup = 0;
	/* FNV-1a over every return value: runs on other kernels compare it. */
	uint64_t digest = 0xcbf29ce484222325ULL;

	for (uint64_t i = 0; i < o.nops; i++) {
		digest = (digest ^ (uint64_t)ops[i].ret) * 0x100000001b3ULL;
		full += ops[i].ret == ops[i].len;
		errs += ops[i].ret < 0;
		einval += ops[i].ret == -EINVAL;
		eio += ops[i].ret == -EIO;
		enotsup += ops[i].ret == -EOPNOTSUPP;
	}
	printf("# %s %s: %llu reads x 2 states (%c,%c): %llu full, %llu errors (%llu EINVAL, %llu EIO, %llu EOPNOTSUPP), %llu mismatches, returns %016llx\n",
	       engine_names[o.engine], o.file, (unsigned long long)o.nops,
	       o.states[0], o.states[1], (unsigned long long)full,
	       (unsigned long long)errs, (unsigned long long)einval,
	       (unsigned long long)eio, (unsigned long long)enotsup,
	       (unsigned long long)mismatches, (unsigned long long)digest);
	if (o.naccept)
		printf("# accepted errors: %llu in state %c, %llu in state %c\n",
		       (unsigned long long)accepted[0], o.states[0],
		       (unsigned long long)accepted[1], o.states[1]);
	close(fd);
	free(ops);
	free(slots);
	return mismatches ? 1 : 0;
}

/*
 * at FILE OFF LEN [--write] [--buf-off N] [--pattern-seed P]: one O_DIRECT
 * pread (or pwrite of the pattern) at OFF; prints "ret N" (or "ret -ERRNO")
 * and, for reads, "pattern ok|bad|zero".
 */
static int cmd_at(int argc, char **argv)
{
	uint64_t off, len, buf_off = 0, seed = 1;
	bool write_it = false, pat = true, zero = true;
	uint8_t *mem, *buf;
	ssize_t r;
	int fd;

	if (argc < 5)
		die("%s", "usage: at FILE OFF LEN [--write] [--buf-off N] [--pattern-seed P]");
	off = parse_size(argv[3]);
	len = parse_size(argv[4]);
	for (int i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--write"))
			write_it = true;
		else if (!strcmp(argv[i], "--buf-off") && i + 1 < argc)
			buf_off = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "--pattern-seed") && i + 1 < argc)
			seed = parse_size(argv[++i]);
		else
			die("bad argument %s", argv[i]);
	}
	fd = open(argv[2], (write_it ? O_RDWR : O_RDONLY) | O_DIRECT);
	if (fd < 0)
		die("cannot open %s", argv[2]);
	if (posix_memalign((void **)&mem, PAGE, len + 2 * PAGE))
		die("%s", "out of memory");
	buf = mem + buf_off;
	if (write_it) {
		fill_pattern(buf, len, off, seed);
		r = pwrite(fd, buf, len, off);
	} else {
		memset(buf, 0xa5, len);
		r = pread(fd, buf, len, off);
	}
	printf("ret %lld\n", (long long)(r < 0 ? -errno : r));
	if (!write_it && r > 0) {
		for (ssize_t b = 0; b < r; b++) {
			pat &= buf[b] == pattern_byte(seed, off + b);
			zero &= buf[b] == 0;
		}
		printf("pattern %s\n", pat ? "ok" : zero ? "zero" : "bad");
	}
	close(fd);
	free(mem);
	return 0;
}

/*
 * coherence FILE OFF: a buffered write that is not written back yet, then
 * an O_DIRECT read of the same range must return the new bytes.
 */
static int cmd_coherence(int argc, char **argv)
{
	uint8_t *buf;
	uint64_t off;
	int bfd, dfd;

	if (argc < 4)
		die("%s", "usage: coherence FILE OFF");
	off = parse_size(argv[3]);
	bfd = open(argv[2], O_RDWR);
	dfd = open(argv[2], O_RDONLY | O_DIRECT);
	if (bfd < 0 || dfd < 0 || posix_memalign((void **)&buf, PAGE, PAGE))
		die("cannot open %s", argv[2]);
	memset(buf, 0x5a, PAGE);
	if (pwrite(bfd, buf, PAGE, off) != PAGE)
		die("buffered write to %s failed", argv[2]);
	memset(buf, 0, PAGE);
	if (pread(dfd, buf, PAGE, off) != PAGE)
		die("O_DIRECT read of %s failed", argv[2]);
	for (int i = 0; i < PAGE; i++) {
		if (buf[i] != 0x5a) {
			printf("stale byte at %d: 0x%02x\n", i, buf[i]);
			return 1;
		}
	}
	printf("coherent\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "at"))
		return cmd_at(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "coherence"))
		return cmd_coherence(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "prep"))
		return cmd_prep(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "prep-frag"))
		return cmd_prep_frag(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "readn"))
		return cmd_readn(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return cmd_diff(argc, argv);
	fprintf(stderr, "usage: dio-check prep|prep-frag|readn|diff|at|coherence ...\n");
	return 2;
}
