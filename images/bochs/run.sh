#!/usr/bin/env bash
# Boots the GRUB ISO (images/iso.sh) in Bochs 2.7 with SVM + NPT (images/bochs/bochsrc), COM1 to a
# file, and prints that console when Bochs ends. Status 0 only when the guest printed
# "Test result: SUCCESS", the hypervisor stopped with status 0 and the machine powered off
# (Bochs itself exits 1 on any power-off, so its status is not used).
# Usage: images/bochs/run.sh [iso [cpu-model]]   Environment: BOCHS_TIMEOUT (seconds, default 180).
# cpu-model (or BOCHS_CPU): the Bochs cpu model, default ryzen (AMD SVM + NPT);
# corei7_sandy_bridge_2600k runs the same ISO under Intel VMX with EPT.
set -uo pipefail
cd "$(dirname "$0")/../.."
iso=$(realpath "${1:-images/out/xenlite-x86_64.iso}")
[ -f "$iso" ] || { echo "bochs/run.sh: $iso is missing: run images/iso.sh first" >&2; exit 2; }
command -v bochs >/dev/null || { echo "bochs/run.sh: bochs is missing (./build.sh deps)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Bochs' debugger is built in: "c" starts the machine instead of waiting at its prompt.
echo c >"$work/cmds"
start=$(date +%s.%N)
XL_CPU=${2:-${BOCHS_CPU:-ryzen}} XL_ISO=$iso XL_SERIAL=$work/com1.txt XL_LOG=$work/bochs.log \
  timeout "${BOCHS_TIMEOUT:-180}" bochs -q -f images/bochs/bochsrc -rc "$work/cmds" </dev/null >"$work/stdout.txt" 2>&1
status=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
cat "$work/com1.txt" 2>/dev/null
echo
if [ "$status" -eq 124 ]; then
  echo "bochs/run.sh: timed out after ${BOCHS_TIMEOUT:-180} s" >&2
  exit 124
fi
if grep -a -q '^Test result: SUCCESS' "$work/com1.txt" && grep -a -q 'machine stops with status 0' "$work/com1.txt" \
   && grep -q -E 'soft power off|Shutdown port' "$work/bochs.log"; then
  echo "bochs/run.sh: SUCCESS in ${elapsed} s ($(grep -a -c '^PASS ' "$work/com1.txt") PASS, powered off)" >&2
  exit 0
fi
echo "bochs/run.sh: FAILURE after ${elapsed} s (Bochs status $status); end of the Bochs log:" >&2
tail -30 "$work/bochs.log" >&2
exit 1
