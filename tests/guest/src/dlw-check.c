// SPDX-License-Identifier: GPL-2.0
/*
 * dlw-check: reader and replayer of a dm-log-writes log device.
 *
 *   dlw-check list LOG                  every entry, then a summary line
 *   dlw-check marks LOG                 the marks: "INDEX NAME" a line
 *   dlw-check replay LOG DEV [--end-entry N | --end-mark NAME]
 *                        [--durable [--ignore-fua]]
 *
 * The log format is the kernel's (Documentation/admin-guide/device-mapper/
 * log-writes.rst, drivers/md/dm-log-writes.c): a super block in the first
 * sector, then per entry one sector holding the entry header (and a mark's
 * name), followed by the entry's data, nr_sectors sectors of it unless the
 * entry is a discard. The sector size is the data device's logical block
 * size, given in the super block; entry sectors are in that unit too.
 *
 * The target logs a write only once it is known durable: plain writes when
 * the next PREFLUSH completes (spliced in just before it), FUA writes when
 * they complete. Replaying entries 0..N therefore reproduces what the disk
 * held at entry N, except for what the log cannot order on its own: the
 * data of a PREFLUSH write without FUA, and the writes the target spliced
 * in unflushed when it was torn down. --durable replays only what flush
 * and FUA semantics guarantee at the end point (every write before the
 * last PREFLUSH entry, and FUA writes), so a write that needed FUA or a
 * flush and got neither is absent from the image. --ignore-fua is a
 * deliberately wrong model (FUA treated as a plain write), only to show
 * that a check built on this replay can fail.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <unistd.h>
#include "guest-util.h"

#define LOG_FLUSH	(1 << 0)
#define LOG_FUA		(1 << 1)
#define LOG_DISCARD	(1 << 2)
#define LOG_MARK	(1 << 3)
#define LOG_METADATA	(1 << 4)
#define LOG_KNOWN	(LOG_FLUSH | LOG_FUA | LOG_DISCARD | LOG_MARK | LOG_METADATA)
#define LOG_MAGIC	0x6a736677736872ULL
#define LOG_VERSION	1
#define COPY_CHUNK	(1 << 20)

/* On-disk layouts, little endian. */
struct log_super {
	uint64_t magic;
	uint64_t version;
	uint64_t nr_entries;
	uint32_t sectorsize;
} __attribute__((packed));

struct log_entry_hdr {
	uint64_t sector;
	uint64_t nr_sectors;
	uint64_t flags;
	uint64_t data_len;
} __attribute__((packed));

struct entry {
	uint64_t sector, nr_sectors, flags;
	uint64_t data_off;	/* byte offset of the data in the log */
	char mark[256];
};

struct log {
	const char *path;
	int fd;
	uint64_t size;		/* bytes */
	uint32_t sectorsize;
	uint64_t nr_entries;
	struct entry *entries;
};

static uint64_t dev_size(int fd, const char *path)
{
	struct stat st;
	uint64_t size;

	if (fstat(fd, &st))
		die("cannot stat %s: %s", path, strerror(errno));
	if (S_ISREG(st.st_mode))
		return st.st_size;
	if (ioctl(fd, BLKGETSIZE64, &size))
		die("cannot size %s: %s", path, strerror(errno));
	return size;
}

static void read_at(struct log *log, void *buf, size_t len, uint64_t off,
		    const char *what)
{
	ssize_t r;

	if (off + len > log->size)
		die("%s: truncated log: %s at byte %llu needs %zu bytes, the log has %llu",
		    log->path, what, (unsigned long long)off, len,
		    (unsigned long long)log->size);
	r = pread(log->fd, buf, len, off);
	if (r != (ssize_t)len)
		die("%s: read of %s at byte %llu failed: %s", log->path, what,
		    (unsigned long long)off, r < 0 ? strerror(errno) : "short read");
}

/* Read the super block and every entry header; dies on any inconsistency. */
static void log_open(struct log *log, const char *path)
{
	struct log_super super;
	uint64_t off, i;
	char *sector;

	log->path = path;
	log->fd = open(path, O_RDONLY);
	if (log->fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	log->size = dev_size(log->fd, path);
	read_at(log, &super, sizeof(super), 0, "super block");
	if (le64toh(super.magic) != LOG_MAGIC)
		die("%s: not a dm-log-writes log: magic %#llx, expected %#llx",
		    path, (unsigned long long)le64toh(super.magic), LOG_MAGIC);
	if (le64toh(super.version) != LOG_VERSION)
		die("%s: log version %llu, this tool reads version %d", path,
		    (unsigned long long)le64toh(super.version), LOG_VERSION);
	log->sectorsize = le32toh(super.sectorsize);
	if (log->sectorsize < 512 || log->sectorsize > 65536 ||
	    (log->sectorsize & (log->sectorsize - 1)))
		die("%s: bad sector size %u in the super block", path,
		    log->sectorsize);
	log->nr_entries = le64toh(super.nr_entries);
	if (log->nr_entries > log->size / log->sectorsize)
		die("%s: truncated log: the super block counts %llu entries, room for at most %llu",
		    path, (unsigned long long)log->nr_entries,
		    (unsigned long long)(log->size / log->sectorsize));
	log->entries = calloc(log->nr_entries ? log->nr_entries : 1,
			      sizeof(*log->entries));
	sector = malloc(log->sectorsize);
	if (!log->entries || !sector)
		die("%s", "out of memory");

	off = log->sectorsize;
	for (i = 0; i < log->nr_entries; i++) {
		struct entry *e = &log->entries[i];
		struct log_entry_hdr hdr;
		uint64_t data_len, data_bytes;
		char what[64];

		snprintf(what, sizeof(what), "entry %llu", (unsigned long long)i);
		read_at(log, sector, log->sectorsize, off, what);
		memcpy(&hdr, sector, sizeof(hdr));
		e->sector = le64toh(hdr.sector);
		e->nr_sectors = le64toh(hdr.nr_sectors);
		e->flags = le64toh(hdr.flags);
		data_len = le64toh(hdr.data_len);
		if (e->flags & ~(uint64_t)LOG_KNOWN)
			die("%s: entry %llu at byte %llu: unknown flags %#llx",
			    path, (unsigned long long)i, (unsigned long long)off,
			    (unsigned long long)e->flags);
		if (e->flags & LOG_MARK) {
			if (data_len >= sizeof(e->mark) ||
			    data_len > log->sectorsize - sizeof(hdr))
				die("%s: entry %llu: mark of %llu bytes", path,
				    (unsigned long long)i,
				    (unsigned long long)data_len);
			memcpy(e->mark, sector + sizeof(hdr), data_len);
			e->mark[data_len] = '\0';
		} else if (data_len) {
			/* The kernel writes inline data only for marks. */
			die("%s: entry %llu: %llu bytes of inline data on a non-mark entry",
			    path, (unsigned long long)i,
			    (unsigned long long)data_len);
		}
		off += log->sectorsize;
		e->data_off = off;
		if (!(e->flags & LOG_DISCARD) && !(e->flags & LOG_MARK)) {
			if (e->nr_sectors > log->size / log->sectorsize)
				die("%s: truncated log: entry %llu claims %llu sectors",
				    path, (unsigned long long)i,
				    (unsigned long long)e->nr_sectors);
			data_bytes = e->nr_sectors * log->sectorsize;
			if (off + data_bytes > log->size)
				die("%s: truncated log: entry %llu's %llu data bytes at byte %llu run past its end (%llu)",
				    path, (unsigned long long)i,
				    (unsigned long long)data_bytes,
				    (unsigned long long)off,
				    (unsigned long long)log->size);
			off += data_bytes;
		}
	}
	free(sector);
}

static void flag_names(uint64_t flags, char *buf, size_t len)
{
	static const char *const names[] = { "FLUSH", "FUA", "DISCARD", "MARK",
					     "METADATA" };
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int b = 0; b < 5; b++)
		if (flags & (1u << b))
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      names[b]);
	if (!n)
		snprintf(buf, len, "WRITE");
}

static int cmd_list(struct log *log)
{
	uint64_t counts[5] = { 0 }, writes = 0;
	char flags[64];

	for (uint64_t i = 0; i < log->nr_entries; i++) {
		struct entry *e = &log->entries[i];

		flag_names(e->flags, flags, sizeof(flags));
		if (e->flags & LOG_MARK)
			printf("%llu mark %s\n", (unsigned long long)i, e->mark);
		else
			printf("%llu %s sector %llu len %llu\n",
			       (unsigned long long)i, flags,
			       (unsigned long long)e->sector,
			       (unsigned long long)e->nr_sectors);
		for (unsigned int b = 0; b < 5; b++)
			counts[b] += !!(e->flags & (1u << b));
		writes += !(e->flags & (LOG_DISCARD | LOG_MARK)) &&
			  e->nr_sectors;
	}
	printf("# %llu entries, sector size %u: %llu data writes, %llu flush, %llu fua, %llu discard, %llu metadata, %llu marks\n",
	       (unsigned long long)log->nr_entries, log->sectorsize,
	       (unsigned long long)writes, (unsigned long long)counts[0],
	       (unsigned long long)counts[1], (unsigned long long)counts[2],
	       (unsigned long long)counts[4], (unsigned long long)counts[3]);
	return 0;
}

static int cmd_marks(struct log *log)
{
	for (uint64_t i = 0; i < log->nr_entries; i++)
		if (log->entries[i].flags & LOG_MARK)
			printf("%llu %s\n", (unsigned long long)i,
			       log->entries[i].mark);
	return 0;
}

/* Zero a discarded range: what a discard leaves is undefined, zero is the
 * contents the checks can least mistake for data.
 */
static void zero_range(int fd, bool blockdev, uint64_t off, uint64_t len,
		       const char *dev)
{
	static char zeros[COPY_CHUNK];
	uint64_t range[2] = { off, len };

	if (blockdev && !ioctl(fd, BLKZEROOUT, range))
		return;
	while (len) {
		size_t n = len < COPY_CHUNK ? len : COPY_CHUNK;

		if (pwrite(fd, zeros, n, off) != (ssize_t)n)
			die("zeroing %s at byte %llu failed: %s", dev,
			    (unsigned long long)off, strerror(errno));
		off += n;
		len -= n;
	}
}

static int cmd_replay(struct log *log, int argc, char **argv)
{
	uint64_t end = log->nr_entries ? log->nr_entries - 1 : 0;
	uint64_t last_flush = UINT64_MAX, applied = 0, skipped = 0, i;
	const char *dev, *end_mark = NULL;
	bool durable = false, ignore_fua = false, have_entry = false;
	uint64_t dev_bytes;
	struct stat st;
	char *buf;
	int fd;

	if (argc < 4)
		die("%s", "usage: replay LOG DEV [--end-entry N | --end-mark NAME] [--durable [--ignore-fua]]");
	dev = argv[3];
	for (int a = 4; a < argc; a++) {
		if (!strcmp(argv[a], "--end-entry") && a + 1 < argc) {
			end = parse_size(argv[++a]);
			have_entry = true;
		} else if (!strcmp(argv[a], "--end-mark") && a + 1 < argc) {
			end_mark = argv[++a];
		} else if (!strcmp(argv[a], "--durable")) {
			durable = true;
		} else if (!strcmp(argv[a], "--ignore-fua")) {
			ignore_fua = true;
		} else {
			die("unknown replay option '%s'", argv[a]);
		}
	}
	if (end_mark && have_entry)
		die("%s", "--end-entry and --end-mark exclude each other");
	if (ignore_fua && !durable)
		die("%s", "--ignore-fua only changes --durable");
	if (!log->nr_entries)
		die("%s: the log has no entries", log->path);
	if (end_mark) {
		for (i = 0; i < log->nr_entries; i++)
			if ((log->entries[i].flags & LOG_MARK) &&
			    !strcmp(log->entries[i].mark, end_mark))
				break;
		if (i == log->nr_entries)
			die("%s: no mark named '%s'", log->path, end_mark);
		end = i;
	} else if (end >= log->nr_entries) {
		die("%s: entry %llu is past the last entry, %llu", log->path,
		    (unsigned long long)end,
		    (unsigned long long)log->nr_entries - 1);
	}

	/* Validate the target before writing anything to it. */
	fd = open(dev, O_WRONLY);
	if (fd < 0)
		die("cannot open %s: %s", dev, strerror(errno));
	if (fstat(fd, &st))
		die("cannot stat %s: %s", dev, strerror(errno));
	dev_bytes = dev_size(fd, dev);
	for (i = 0; i <= end; i++) {
		struct entry *e = &log->entries[i];

		if (e->flags & LOG_MARK)
			continue;
		if ((e->sector + e->nr_sectors) * log->sectorsize > dev_bytes)
			die("%s: entry %llu writes up to byte %llu, %s has %llu",
			    log->path, (unsigned long long)i,
			    (unsigned long long)((e->sector + e->nr_sectors) *
						 log->sectorsize),
			    dev, (unsigned long long)dev_bytes);
		if (e->flags & LOG_FLUSH)
			last_flush = i;
	}

	buf = malloc(COPY_CHUNK);
	if (!buf)
		die("%s", "out of memory");
	for (i = 0; i <= end; i++) {
		struct entry *e = &log->entries[i];
		uint64_t off = e->sector * log->sectorsize;
		uint64_t len = e->nr_sectors * log->sectorsize;
		bool fua = (e->flags & LOG_FUA) && !ignore_fua;

		if ((e->flags & LOG_MARK) || !len)
			continue;
		/*
		 * Durable at the end point: completed before a PREFLUSH that
		 * completed (the log puts such writes before the flush entry),
		 * or written with FUA. A PREFLUSH entry's own data is not
		 * covered by its flush.
		 */
		if (durable && !fua &&
		    (last_flush == UINT64_MAX || i >= last_flush)) {
			skipped++;
			continue;
		}
		applied++;
		if (e->flags & LOG_DISCARD) {
			zero_range(fd, S_ISBLK(st.st_mode), off, len, dev);
			continue;
		}
		for (uint64_t done = 0; done < len;) {
			size_t n = len - done < COPY_CHUNK ? len - done : COPY_CHUNK;
			ssize_t r = pread(log->fd, buf, n, e->data_off + done);

			if (r != (ssize_t)n)
				die("%s: reading entry %llu's data failed: %s",
				    log->path, (unsigned long long)i,
				    r < 0 ? strerror(errno) : "short read");
			if (pwrite(fd, buf, n, off + done) != (ssize_t)n)
				die("writing %s at byte %llu failed: %s", dev,
				    (unsigned long long)(off + done),
				    strerror(errno));
			done += n;
		}
	}
	if (fsync(fd) || close(fd))
		die("flushing %s failed: %s", dev, strerror(errno));
	free(buf);
	printf("replayed entries 0..%llu%s%s: %llu applied, %llu not yet durable\n",
	       (unsigned long long)end, durable ? " (durable only" : "",
	       durable ? (ignore_fua ? ", FUA ignored)" : ")") : "",
	       (unsigned long long)applied, (unsigned long long)skipped);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: dlw-check list LOG\n"
		"       dlw-check marks LOG\n"
		"       dlw-check replay LOG DEV [--end-entry N | --end-mark NAME] [--durable [--ignore-fua]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct log log;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "list") && strcmp(argv[1], "marks") &&
	    strcmp(argv[1], "replay"))
		usage();
	log_open(&log, argv[2]);
	if (!strcmp(argv[1], "list"))
		return cmd_list(&log);
	if (!strcmp(argv[1], "marks"))
		return cmd_marks(&log);
	return cmd_replay(&log, argc, argv);
}
