#!/usr/bin/env bash
# One MPI job: every rank computes blocks of replications with its threads,
# rank 0 hands the blocks out and assembles the run file. Submit from the
# repository root with `sbatch tools/slurm/mpi.sh`, after building with MPI:
#
#   cmake -S . -B build-mpi -DREGSIM_MPI=ON && cmake --build build-mpi --target regsim
#
# If the job dies (a node lost, the wall time reached), submit it again:
# --resume keeps every finished block and computes the rest.
#
# --- edit these (the #SBATCH lines too) ------------------------------------
#SBATCH --job-name=regsim-mpi
#SBATCH --nodes=16
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=32
#SBATCH --time=02:00:00
#SBATCH --output=logs/regsim-mpi-%j.log
SCENARIO=${SCENARIO:-scenarios/stress-2035.yaml}
REPLICATIONS=${REPLICATIONS:-100000}
OUT=${OUT:-runs/stress-2035.h5}
REGSIM=${REGSIM:-build-mpi/bin/regsim}
# ---------------------------------------------------------------------------
set -euo pipefail
mkdir -p "$(dirname "$OUT")" logs
threads=${SLURM_CPUS_PER_TASK:-1}
# srun starts one rank per task; mpirun works the same way outside Slurm.
srun "$REGSIM" run "$SCENARIO" -n "$REPLICATIONS" -j "$threads" -o "$OUT" --resume
