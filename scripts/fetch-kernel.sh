#!/bin/bash
# Debian's kernels that this Debian 12 machine does not install: trixie's
# 6.12 (Debian 13) and the 7.x kernels from sid and experimental,
# downloaded through scripts/private-apt.sh and unpacked under
# build/kernels/RELEASE (vmlinuz, modules with a fresh modules.dep, config,
# System.map). Their headers live in a build tree of their own suite
# (suite-root.sh).
#
#   scripts/fetch-kernel.sh pick 7.3         # newest 7.3 release: 7.3-amd64 today
#   scripts/fetch-kernel.sh pick 6.12+deb13  # trixie's newest 6.12 (trixie or trixie-security)
#   scripts/fetch-kernel.sh pick 6.12+deb13-rt  # the same, its PREEMPT_RT flavour
#   scripts/fetch-kernel.sh fetch 7.3-amd64
#
# pick takes the highest package version of the series' amd64 images (the
# flavour-less ones unless it names a flavour) in any suite of the private
# apt, so 7.3 moving from experimental (7.3-amd64) to sid
# (7.3.N+deb14-amd64), 7.2 leaving sid or a trixie security update needs
# no change here. A series with +debN asks for that Debian release's builds
# only; a trailing -FLAVOUR (-rt) for that flavour's images
# (linux-image-6.12.118+deb13-rt-amd64) instead of the plain ones.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
apt=$top/scripts/private-apt.sh
kroot=$top/build/kernels

lists_fresh() {
	local stamp=$top/build/apt/update-stamp
	[ -e "$stamp" ] && [ -z "$(find "$stamp" -mmin +720)" ] && return 0
	"$apt" update >/dev/null && touch "$stamp"
}

pick() { # pick SERIES
	local series=$1 re best="" bestv="" p v
	local cached=$kroot/pick-$series
	local spec=$series flavour=""
	# A flavour is the word after a dash (a series itself has none).
	if [[ "$spec" == *-* ]]; then
		flavour=${spec##*-}- spec=${spec%-*}
	fi
	local base=${spec%%+*} suffix='(\+deb[0-9]+([.][0-9]+)?)?'
	# ABI bumps within a Debian release are named +debN.M (6.12.115+deb13.1).
	[[ "$spec" == *+deb* ]] && suffix="\\+${spec#*+}([.][0-9]+)?"
	re="^linux-image-${base//./\\.}([.][0-9]+)?$suffix-${flavour}amd64\$"
	lists_fresh
	# The answer holds as long as the lists it came from.
	if [ -s "$cached" ] && [ "$cached" -nt "$top/build/apt/update-stamp" ]; then
		cat "$cached"
		return 0
	fi
	for p in $("$apt" cache pkgnames "linux-image-$base" | grep -E "$re"); do
		v=$("$apt" cache show "$p" | sed -n 's/^Version: //p' | sort -V | tail -n 1)
		"$apt" cache show "${p/linux-image-/linux-headers-}" >/dev/null 2>&1 || continue
		if [ -z "$bestv" ] || dpkg --compare-versions "$v" gt "$bestv"; then
			best=${p#linux-image-} bestv=$v
		fi
	done
	[ -n "$best" ] || { echo "fetch-kernel: no $series amd64 image with headers in the private apt's suites" >&2; return 1; }
	mkdir -p "$kroot" && echo "$best" >"$cached"
	echo "$best"
}

fetch() { # fetch RELEASE
	local rel=$1 dir=$kroot/$1 dl p pkgs
	[ -e "$dir/.complete" ] && return 0
	lists_fresh
	rm -rf "$dir" && mkdir -p "$dir"
	dl=$(mktemp -d "$top/build/apt/dl.XXXXXX")
	# 7.x splits the image into binary, modules and base packages; 6.12
	# ships one (the signed image, what trixie's users boot).
	pkgs=(linux-binary linux-modules linux-base)
	"$apt" cache show "linux-binary-$rel" >/dev/null 2>&1 || pkgs=(linux-image)
	for p in "${pkgs[@]}"; do
		(cd "$dl" && "$apt" download "$p-$rel" >/dev/null)
	done
	for p in "$dl"/*.deb; do dpkg -x "$p" "$dir"; done
	rm -rf "$dl"
	# 7.x keeps vmlinuz under usr/lib/modules, 6.12 in boot; neither ships
	# a modules.dep.
	[ -e "$dir/usr/lib/modules/$rel/vmlinuz" ] || [ -e "$dir/boot/vmlinuz-$rel" ] ||
		{ echo "fetch-kernel: no vmlinuz in $rel's packages" >&2; return 1; }
	depmod -b "$dir/usr" "$rel"
	touch "$dir/.complete"
	echo "fetch-kernel: $rel in ${dir#"$top"/}"
}

case "${1:-}" in
pick) pick "$2" ;;
fetch) fetch "$2" ;;
*) echo "usage: fetch-kernel.sh pick SERIES | fetch RELEASE" >&2; exit 2 ;;
esac
