# shellcheck shell=bash
# TAP lines for the host test scripts (test-dkms.sh, test-deb.sh): one
# "ok - ..." / "not ok - ..." per step; a failing step shows the tail of
# what it printed. The caller sets log (a temporary file) and fail=0.
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; sed 's/^/#   /' "$log" | tail -n 25; fail=1; }
step() { # step "description" command...
	local what=$1; shift
	if "$@" >"$log" 2>&1; then ok "$what"; else not_ok "$what"; fi
}
check() { # check "description" DETAIL-IF-NOT test...
	local what=$1 detail=$2; shift 2
	if "$@"; then ok "$what"; else echo "$detail" >"$log"; not_ok "$what"; fi
}
