#!/bin/bash
# Print the newest Debian kernel release of series KSERIES (default 6.12) for
# which both linux-image-…-unsigned and linux-headers-… exist. KVER overrides.
# A release that is already installed wins over asking apt, so builds work
# offline. The machine's own Debian release names the builds: Debian 12
# names 6.12 releases 6.12.N+deb12-amd64 (bookworm-backports) and 6.1
# releases 6.1.0-N-amd64 (the old ABI naming); Debian 13 names its 6.12
# 6.12.N+deb13-amd64 (6.12.N+deb13.M-amd64 after an ABI bump) and has no
# 6.1:
#
#   scripts/pick-kernel.sh              # e.g. 6.12.118+deb12-amd64 (Debian 13: 6.12.118+deb13-amd64)
#   KSERIES=6.1 scripts/pick-kernel.sh  # e.g. 6.1.0-56-amd64
set -euo pipefail
if [ -n "${KVER:-}" ]; then
	echo "$KVER"
	exit 0
fi
series=${KSERIES:-6.12}
# shellcheck disable=SC1091 # the machine's, not ours
debian=$(. /etc/os-release 2>/dev/null && echo "${VERSION_ID:-}")
case "$debian" in
12|13) ;;
*) echo "pick-kernel: this is not Debian 12 or 13 (/etc/os-release VERSION_ID '$debian'): name KVER" >&2; exit 1 ;;
esac
case "$series" in
6.1) re='6\.1\.0-[0-9]+-amd64' ;;
*) re="${series//./\\.}\\.[0-9]+\\+deb$debian([.][0-9]+)?-amd64" ;;
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
