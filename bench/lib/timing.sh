# Shared by the bench/ scripts (sourced): timing shell commands and comparing medians.
#
#   compare LABEL GOAL RUNS ANCHOR_CMD CANDIDATE_CMD
#     Runs the two commands RUNS times each, alternating (anchor first), and prints
#     "LABEL: ANCHOR X, CANDIDATE Y, ratio Rx (goal <= GOALx: met|MISSED)"; GOAL "-" prints no goal.
#     ANCHOR and CANDIDATE name the two sides (default lxc-attach and helper).
#     A command that fails aborts the benchmark: a ratio of a broken run means nothing.

# Wall-clock seconds of one `eval "$1"` (bash's EPOCHREALTIME: no fork for the clock).
time_once() {
	local start end status=0
	start=$EPOCHREALTIME
	eval "$1" >/dev/null || status=$?
	if [ "$status" != 0 ]; then
		echo "bench: command failed with status $status: $1" >&2
		exit 1
	fi
	end=$EPOCHREALTIME
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }'
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Seconds as "12.3 ms" or "1.234 s".
human_time() {
	awk -v t="$1" 'BEGIN { if (t < 1) printf "%.1f ms", t * 1000; else printf "%.3f s", t }'
}

compare() {
	local label=$1 goal=$2 runs=$3 anchor=$4 candidate=$5 i a b ratio verdict
	local anchor_times=() candidate_times=()
	for ((i = 0; i < runs; i++)); do
		anchor_times+=("$(time_once "$anchor")")
		candidate_times+=("$(time_once "$candidate")")
	done
	a=$(printf '%s\n' "${anchor_times[@]}" | median)
	b=$(printf '%s\n' "${candidate_times[@]}" | median)
	ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
	if [ "$goal" = - ]; then
		verdict=""
	elif awk -v r="$ratio" -v g="$goal" 'BEGIN { exit !(r <= g) }'; then
		verdict=" (goal <= ${goal}x: met)"
	else
		verdict=" (goal <= ${goal}x: MISSED)"
	fi
	echo "$label: ${ANCHOR:-lxc-attach} $(human_time "$a"), ${CANDIDATE:-helper} $(human_time "$b"), ratio ${ratio}x$verdict"
}
