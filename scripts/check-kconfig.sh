#!/bin/bash
# Check Kconfig.snippet with Debian's own kconfig `conf` (from linux-kbuild,
# installed with the headers): a tiny root Kconfig defines stubs for what the
# snippet depends on (DYNAMIC_FTRACE_WITH_DIRECT_CALLS, X86_64, FS_IOMAP,
# BLOCK as def_bool y; MODULES so a
# tristate can be m) and sources the snippet. Expected:
#   --alldefconfig  -> "# CONFIG_SIMPLE_DIO is not set" (no default: N)
#   --allmodconfig  -> CONFIG_SIMPLE_DIO=m
#   DYNAMIC_FTRACE_WITH_DIRECT_CALLS=n -> no CONFIG_SIMPLE_DIO line at all
#                      (depends on works)
#   a broken copy of the snippet (bad keyword) -> conf fails.
# Any kconfig warning on the real snippet fails the check. Runs every conf
# found (newest 6.12 kbuild, and 6.1's if installed), or CONF=/path/conf.
#
#   scripts/check-kconfig.sh    # one "ok - ..." / "not ok - ..." line per step
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${CONF:-}" ]; then
	confs=("$CONF")
else
	confs=()
	c=$(ls /usr/lib/linux-kbuild-6.12*/scripts/kconfig/conf 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$c" ] && confs+=("$c")
	c=/usr/lib/linux-kbuild-6.1/scripts/kconfig/conf
	[ -x "$c" ] && confs+=("$c")
fi
[ ${#confs[@]} -gt 0 ] || { echo "not ok - no kconfig conf (install linux-headers-<6.12 release>)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdio-kconfig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; sed 's/^/#   /' "$tmp/err" | head -n 15; fail=1; }

# root_kconfig SNIPPET DIRECT_CALLS_VALUE
root_kconfig() {
	cat >"$tmp/Kconfig" <<-KC
	mainmenu "simple-dio Kconfig check"
	config MODULES
		bool "Loadable modules"
		default y
		modules
	config DYNAMIC_FTRACE_WITH_DIRECT_CALLS
		def_bool $2
	config X86_64
		def_bool y
	config FS_IOMAP
		def_bool y
	config BLOCK
		def_bool y
	source "$1"
	KC
}
# run MODE: conf in $tmp, writes $tmp/.config, stderr in $tmp/err
run() {
	rm -f "$tmp/.config"
	(cd "$tmp" && srctree=$tmp KCONFIG_CONFIG=$tmp/.config "$conf" "$1" Kconfig \
		>/dev/null 2>"$tmp/err")
}
cp "$top/Kconfig.snippet" "$tmp/snippet"
sed 's/^\tdepends on /\tdepend on /' "$top/Kconfig.snippet" >"$tmp/broken"
cmp -s "$tmp/snippet" "$tmp/broken" && { echo "not ok - could not break a copy of the snippet"; exit 1; }

for conf in "${confs[@]}"; do
	v=$(echo "$conf" | sed -n 's|.*/linux-kbuild-\([^/]*\)/.*|\1|p')
	v=${v:-$conf}
	root_kconfig snippet y
	if run --alldefconfig && ! grep -qi 'warning\|error' "$tmp/err"; then
		ok "$v: conf --alldefconfig accepts Kconfig.snippet, no warnings"
	else
		not_ok "$v: conf --alldefconfig accepts Kconfig.snippet, no warnings"
	fi
	grep -x 'CONFIG_SIMPLE_DIO.*\|# CONFIG_SIMPLE_DIO is not set' "$tmp/.config" >"$tmp/err" 2>&1 || true
	if grep -qx '# CONFIG_SIMPLE_DIO is not set' "$tmp/.config" 2>/dev/null; then
		ok "$v: alldefconfig: # CONFIG_SIMPLE_DIO is not set"
	else
		not_ok "$v: alldefconfig: # CONFIG_SIMPLE_DIO is not set"
	fi
	if run --allmodconfig && grep -qx 'CONFIG_SIMPLE_DIO=m' "$tmp/.config"; then
		ok "$v: allmodconfig: CONFIG_SIMPLE_DIO=m"
	else
		not_ok "$v: allmodconfig: CONFIG_SIMPLE_DIO=m"
	fi
	root_kconfig snippet n
	if run --allmodconfig && ! grep -q 'CONFIG_SIMPLE_DIO' "$tmp/.config"; then
		ok "$v: without DYNAMIC_FTRACE_WITH_DIRECT_CALLS SIMPLE_DIO is not offered"
	else
		not_ok "$v: without DYNAMIC_FTRACE_WITH_DIRECT_CALLS SIMPLE_DIO is not offered"
	fi
	root_kconfig broken y
	if run --alldefconfig; then
		echo "conf accepted the broken snippet" >"$tmp/err"
		not_ok "$v: a broken snippet makes conf fail"
	else
		ok "$v: a broken snippet makes conf fail ($(head -n 1 "$tmp/err"))"
	fi
done
exit $fail
