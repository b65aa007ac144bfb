#!/usr/bin/env bash
# A Slurm array of regsim shards, then a merge that waits for all of them.
# Submit from the repository root, on a login node:
#
#   tools/slurm/array.sh            # submits both jobs and prints their ids
#
# Each array task computes a contiguous slice of the replications into the
# shared journal folder; a task that is preempted or requeued keeps the
# blocks it finished. The merge checks that every replication is there
# once, from the same scenario, seed and regsim version, then writes OUT.
set -euo pipefail

# --- edit these -----------------------------------------------------------
SCENARIO=${SCENARIO:-scenarios/stress-2035.yaml}
REPLICATIONS=${REPLICATIONS:-100000}
SHARDS=${SHARDS:-16}               # array tasks (any number, even more than replications)
CORES=${CORES:-32}                 # cores per task (regsim threads)
TIME=${TIME:-02:00:00}             # wall time per task
PARTITION=${PARTITION:-}           # empty: the cluster's default
OUT=${OUT:-runs/stress-2035.h5}    # the merged run file
REGSIM=${REGSIM:-build/bin/regsim}
# ---------------------------------------------------------------------------

PARTS="${OUT}.shards"
mkdir -p "$(dirname "$OUT")" logs
partition=()
if [[ -n "$PARTITION" ]]; then partition=(--partition "$PARTITION"); fi

array=$(sbatch --parsable "${partition[@]}" --job-name regsim-shards \
  --array "1-${SHARDS}" --cpus-per-task "$CORES" --time "$TIME" --requeue \
  --output "logs/regsim-shard-%a.log" \
  --wrap "$REGSIM run $SCENARIO -n $REPLICATIONS -j $CORES --quiet \
          --shard \${SLURM_ARRAY_TASK_ID}/$SHARDS -o $PARTS")

merge=$(sbatch --parsable "${partition[@]}" --job-name regsim-merge \
  --dependency "afterok:${array}" --cpus-per-task 1 --time 01:00:00 \
  --output "logs/regsim-merge.log" \
  --wrap "$REGSIM merge $PARTS -o $OUT && rm -r $PARTS")

echo "shards: job ${array} (${SHARDS} tasks); merge: job ${merge} -> ${OUT}"
