#!/bin/bash
# Read "target engine config iops [min max runs]" result lines (as tally.sh
# prints them) on stdin and print one row per target and engine with the
# configs as columns (the median where a point ran several times) and,
# where both exist, the simple_read=1 over 0 gain.
awk '
$1 ~ /^(raw|ext4|xfs)$/ && (NF == 4 || NF == 7) && $4 ~ /^[0-9]+$/ {
	key = $1 " " $2
	if (!(key in seen)) { seen[key] = 1; keys[n++] = key }
	v[key, $3] = $4
	if (!($3 in cseen)) { cseen[$3] = 1; cols[m++] = $3 }
}
function fmt(x,   s, r) {
	s = sprintf("%d", x); r = ""
	while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r
}
END {
	if (!n) { print "no results"; exit 1 }
	printf "%-5s %-16s", "fs", "workload"
	for (j = 0; j < m; j++) printf " %16s", cols[j]
	printf " %9s\n", "gain"
	for (i = 0; i < n; i++) {
		split(keys[i], k, " ")
		printf "%-5s %-16s", k[1], k[2]
		for (j = 0; j < m; j++) printf " %16s", ((keys[i], cols[j]) in v) ? fmt(v[keys[i], cols[j]]) : "-"
		a = v[keys[i], "simple0"]; b = v[keys[i], "simple1"]
		if (a > 0 && b > 0) printf " %+8.2f%%", (b / a - 1) * 100
		printf "\n"
	}
}'
