#!/bin/bash
# make deb: build simple-dio-dkms_VERSION_all.deb and diobench_VERSION_ARCH.deb
# into build/deb/ (or OUT=dir). Builds in a copy of the tree (the files git
# tracks or would track, as they are in the working tree), so the source tree
# stays clean. The version is dkms.conf's PACKAGE_VERSION: debian/changelog is
# written from it in the copy, and exists nowhere else.
#
#   scripts/build-deb.sh          # needs debhelper, dh-dkms, dpkg-dev and tools' build deps
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$top/build/deb}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
[ -n "$ver" ] || { echo "build-deb: no PACKAGE_VERSION in dkms.conf" >&2; exit 2; }
[[ "$ver" =~ ^[0-9][A-Za-z0-9.+~]*$ ]] ||
	{ echo "build-deb: PACKAGE_VERSION '$ver' is not a native Debian version" >&2; exit 2; }
for c in dpkg-buildpackage dh dh_dkms; do
	command -v "$c" >/dev/null ||
		{ echo "build-deb: no $c (apt-get install debhelper dh-dkms dpkg-dev; or make deps)" >&2; exit 2; }
done

work=$out/work src=$out/work/simple-dio-$ver
rm -rf "$work"
mkdir -p "$src"
paths=(debian dkms.conf kmod tools scripts/simple-dio-unload)
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked and untracked-but-not-ignored files; skips build output and
	# files deleted in the working tree.
	git -C "$top" ls-files -z -co --exclude-standard -- "${paths[@]}" |
		while IFS= read -r -d '' f; do [ -e "$top/$f" ] && printf '%s\0' "$f"; done |
		tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
	desc=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
	date=$(git -C "$top" log -1 --format=%aD 2>/dev/null || date -R)
else
	tar -C "$top" --exclude=build -cf - "${paths[@]}" | tar -C "$src" -xf -
	desc="no git" date=$(date -R)
fi
maint=$(sed -n 's/^Maintainer: *//p' "$src/debian/control")
cat >"$src/debian/changelog" <<EOT
simple-dio ($ver) unstable; urgency=medium

  * Built from the simple-dio source tree ($desc).

 -- $maint  $date
EOT

echo "build-deb: simple-dio $ver in $src (log: $out/build.log)"
export DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (full log: $out/build.log; tree kept in $src)" >&2
	exit 1
fi
rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo
# The .changes also lists diobench-dbgsym (a .deb with bookworm's debhelper,
# a .ddeb with newer ones): moved along, so lintian can read the .changes.
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
mv "$work"/*.ddeb "$out"/ 2>/dev/null || true
rm -rf "$work"
ls -1 "$out"/*.deb
