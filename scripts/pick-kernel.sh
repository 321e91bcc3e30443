#!/bin/bash
# Print the newest Debian kernel release of series KSERIES (default 6.12) for
# which both linux-image-…-unsigned and linux-headers-… exist. KVER overrides.
# A release that is already installed wins over asking apt, so builds work
# offline. Debian 12 names 6.12 releases 6.12.N+deb12-amd64 and 6.1 releases
# 6.1.0-N-amd64 (the old ABI naming):
#
#   scripts/pick-kernel.sh              # e.g. 6.12.117+deb12-amd64
#   KSERIES=6.1 scripts/pick-kernel.sh  # e.g. 6.1.0-56-amd64
set -euo pipefail
if [ -n "${KVER:-}" ]; then
	echo "$KVER"
	exit 0
fi
series=${KSERIES:-6.12}
case "$series" in
6.1) re='6\.1\.0-[0-9]+-amd64' ;;
*) re="${series//./\\.}\\.[0-9]+\\+deb12-amd64" ;;
esac
pick() { grep -xE "$re" | sort -V | tail -n 1; }
installed=$(ls -d /usr/src/linux-headers-"$series".* 2>/dev/null |
	sed 's|.*/linux-headers-||' | while read -r k; do
		[ -e "/boot/vmlinuz-$k" ] && echo "$k"; done | pick || true)
if [ -n "$installed" ]; then
	echo "$installed"
	exit 0
fi
images=$(apt-cache pkgnames "linux-image-$series." 2>/dev/null |
	sed -n 's/^linux-image-\(.*\)-unsigned$/\1/p' | grep -xE "$re" || true)
for k in $(echo "$images" | sort -Vr); do
	if apt-cache show "linux-headers-$k" >/dev/null 2>&1; then
		echo "$k"
		exit 0
	fi
done
echo "pick-kernel: no linux-image-<$series release>-unsigned with headers" >&2
exit 1
