#!/bin/bash
# apt-get with a private configuration under build/apt: Debian's sid and
# experimental suites (binaries and sources), trixie and trixie-security
# (binaries: Debian 13's own kernel), its own lists and cache. Never
# touches the machine's /etc/apt, never installs anything.
#
#   scripts/private-apt.sh update
#   scripts/private-apt.sh download linux-headers-7.3-amd64
#   scripts/private-apt.sh source --download-only fio
#   scripts/private-apt.sh cache pkgnames linux-image-7.
#
# The archive's Release files may be past Valid-Until by this machine's
# clock, hence Check-Valid-Until=false.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
root=${SDIO_APT_ROOT:-$top/build/apt}
mirror=${SDIO_APT_MIRROR:-http://deb.debian.org/debian}
security=${SDIO_APT_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
mkdir -p "$root/lists/partial" "$root/cache/archives/partial" "$root/etc/preferences.d" \
	"$root/etc/sources.list.d"
# An empty dpkg status of our own: nothing here is installed, and apt never
# gets the machine's files (or a device node) to rewrite.
[ -e "$root/status" ] || : >"$root/status"
key='[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]'
sources="deb $key $mirror sid main
deb $key $mirror experimental main
deb $key $mirror trixie main
deb $key $security trixie-security main
deb-src $key $mirror sid main"
# Rewritten when the suites change (a clone made before trixie was added);
# the old lists then no longer answer for them: fetch-kernel.sh updates.
if [ "$(cat "$root/etc/sources.list" 2>/dev/null)" != "$sources" ]; then
	echo "$sources" >"$root/etc/sources.list"
	rm -f "$root/update-stamp"
fi
opts=(-o Dir::Etc::SourceList="$root/etc/sources.list"
	-o Dir::Etc::SourceParts="$root/etc/sources.list.d"
	-o Dir::Etc::Preferences="$root/etc/preferences"
	-o Dir::Etc::PreferencesParts="$root/etc/preferences.d"
	-o Dir::State::Lists="$root/lists"
	-o Dir::State::status="$root/status"
	-o Dir::Cache="$root/cache"
	-o Acquire::Check-Valid-Until=false
	-o APT::Architecture=amd64
	-o APT::Sandbox::User=root
	-o Debug::NoLocking=true)
cmd=$1
shift
case "$cmd" in
cache) exec apt-cache "${opts[@]}" "$@" ;;
*) exec apt-get -q "${opts[@]}" "$cmd" "$@" ;;
esac
