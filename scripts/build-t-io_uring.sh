#!/bin/bash
# Build fio's t/io_uring (the upstream simple-dio series' headline ruler)
# from Debian's fio source package and install it as OUT (default
# build/guest-bin/t-io_uring). The source comes through scripts/private-apt.sh
# (its own sources.list with sid deb-src; the machine's /etc/apt is not
# touched); only t/io_uring is built, nothing of fio is copied into this
# repository.
#   scripts/build-t-io_uring.sh [OUT]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/guest-bin/t-io_uring}
src=$top/build/src/fio
apt=$top/scripts/private-apt.sh
mkdir -p "$src"
ls "$top"/build/apt/lists/*Sources* >/dev/null 2>&1 || "$apt" update >/dev/null
ver=$("$apt" cache showsrc fio | awk '/^Version:/ { print $2; exit }')
[ -n "$ver" ] || { echo "build-t-io_uring: no fio source package in the private apt lists" >&2; exit 1; }
upver=${ver#*:}
upver=${upver%-*}
tree=$src/fio-$upver
if [ ! -d "$tree" ]; then
	# apt verifies each file it fetches against the signed Sources index.
	# Some mirrors hold only the upstream tarball (.dsc and debian.tar
	# missing): then unpack that, since t/io_uring needs no Debian patch.
	(cd "$src" && "$apt" source --download-only "fio=$ver") >"$src/fetch.log" 2>&1 ||
		echo "build-t-io_uring: apt source fio incomplete (see $src/fetch.log)" >&2
	dsc=$src/fio_${ver#*:}.dsc orig=$src/fio_$upver.orig.tar.gz
	if [ -f "$dsc" ] && [ -f "$src/fio_${ver#*:}.debian.tar.xz" ]; then
		(cd "$src" && dpkg-source --no-check -x "$dsc" "$tree.tmp") >/dev/null
	elif [ -f "$orig" ]; then
		# apt keeps a file only when its hashes match; check again anyway.
		want=$("$apt" cache showsrc fio | awk -v f="fio_$upver.orig.tar.gz" '
			/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == f { print $1; exit }')
		have=$(sha256sum "$orig" | cut -d' ' -f1)
		[ -n "$want" ] && [ "$want" = "$have" ] ||
			{ echo "build-t-io_uring: $orig: sha256 $have, Sources says '$want'" >&2; exit 1; }
		rm -rf "$tree.tmp" && mkdir "$tree.tmp"
		tar -xzf "$orig" -C "$tree.tmp" --strip-components=1
	else
		echo "build-t-io_uring: could not fetch fio $ver source:" >&2
		tail -n 5 "$src/fetch.log" >&2
		exit 1
	fi
	mv "$tree.tmp" "$tree"
fi
# --disable-native: the guest's TCG CPU lacks some of the host's extensions.
if [ ! -f "$tree/config-host.mak" ]; then
	(cd "$tree" && ./configure --disable-native) >"$src/configure.log" 2>&1 ||
		{ echo "build-t-io_uring: configure failed, see $src/configure.log" >&2; exit 1; }
fi
make -C "$tree" -j2 t/io_uring >"$src/make.log" 2>&1 ||
	{ echo "build-t-io_uring: make t/io_uring failed:" >&2; tail -n 20 "$src/make.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
install -m 0755 "$tree/t/io_uring" "$out"
# For the bench results (not executable, so not copied into the guest).
echo "t/io_uring of fio $ver (Debian source package)" >"$out.version"
echo "t/io_uring from fio $ver: $out"
