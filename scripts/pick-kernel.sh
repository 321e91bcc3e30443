#!/bin/bash
# Print the newest Debian 6.12 kernel release N+deb12-amd64 for which both
# linux-image-…-unsigned and linux-headers-… exist. KVER overrides. A release
# that is already installed wins over asking apt, so builds work offline.
set -euo pipefail
if [ -n "${KVER:-}" ]; then
	echo "$KVER"
	exit 0
fi
series=${KSERIES:-6.12}
pick() { sort -V | tail -n 1; }
installed=$(ls -d /usr/src/linux-headers-"$series".*+deb12-amd64 2>/dev/null |
	sed 's|.*/linux-headers-||' | while read -r k; do
		[ -e "/boot/vmlinuz-$k" ] && echo "$k"; done | pick || true)
if [ -n "$installed" ]; then
	echo "$installed"
	exit 0
fi
images=$(apt-cache pkgnames "linux-image-$series." 2>/dev/null |
	sed -n "s/^linux-image-\(${series//./\\.}\.[0-9]*+deb12-amd64\)-unsigned$/\1/p")
for k in $(echo "$images" | sort -Vr); do
	if apt-cache show "linux-headers-$k" >/dev/null 2>&1; then
		echo "$k"
		exit 0
	fi
done
echo "pick-kernel: no linux-image-$series.N+deb12-amd64-unsigned with headers" >&2
exit 1
