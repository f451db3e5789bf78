#!/usr/bin/env bash
# Boots the hypervisor image in QEMU the way Xen is booted (-kernel hypervisor,
# -initrd dom0, -append its command line) with the C# test guest as domain 0,
# shows the console, and exits when the machine powers off. Status 0 only when
# QEMU exited cleanly AND the guest printed "Test result: SUCCESS".
# Usage: images/run.sh [x86_64|arm64] [extra hypervisor options...]
# Environment: RUN_TIMEOUT (seconds, default 120), QEMU (binary), GIC (arm64: 2 or 3, default 3).
set -uo pipefail
cd "$(dirname "$0")/.."
arch=${1:-x86_64}
[ $# -gt 0 ] && shift
case $arch in x86_64|arm64) ;; *) echo "run.sh: unknown arch $arch (x86_64 or arm64)" >&2; exit 2 ;; esac
image=images/out/xenlite-$arch.elf
guest=images/out/testguest-$arch.elf
# arm64: QEMU passes -initrd and -append only to an Image-format kernel, so both are flat Images.
[ "$arch" = arm64 ] && { image=images/out/xenlite-arm64.bin; guest=images/out/testguest-arm64.bin; }
for f in "$image" "$guest"; do
  [ -f "$f" ] || { echo "run.sh: $f is missing: run ./build.sh image first" >&2; exit 2; }
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ "$arch" = arm64 ]; then
  # EL2 on QEMU virt; the PL011 on stdio; -semihosting gives failures a status (see boot/README.md).
  timeout "${RUN_TIMEOUT:-120}" "${QEMU:-qemu-system-aarch64}" -M "virt,virtualization=on,gic-version=${GIC:-3}" \
    -cpu max -m 1024 -display none -serial stdio -monitor none -no-reboot -semihosting \
    -kernel "$image" -initrd "$guest" -append "console=dtuart loglvl=all $*" </dev/null | tee "$log"
else
  # No display; COM1 on stdio; isa-debug-exit gives failures a status (see boot/README.md).
  timeout "${RUN_TIMEOUT:-120}" "${QEMU:-qemu-system-x86_64}" -accel tcg -cpu qemu64,+svm,+npt -m 256 \
    -display none -serial stdio -monitor none -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$image" -initrd "$guest" -append "console=com1 loglvl=all $*" </dev/null | tee "$log"
fi
status=${PIPESTATUS[0]}

if [ "$status" -eq 124 ]; then
  echo "run.sh: timed out after ${RUN_TIMEOUT:-120} s" >&2
  exit 124
fi
passes=$(grep -c '^PASS ' "$log" || true)
fails=$(grep -c '^FAIL ' "$log" || true)
if [ "$status" -eq 0 ] && grep -q '^Test result: SUCCESS' "$log" && [ "$fails" -eq 0 ]; then
  echo "run.sh: SUCCESS ($passes PASS, QEMU status 0)" >&2
  exit 0
fi
echo "run.sh: FAILURE (QEMU status $status, $passes PASS, $fails FAIL)" >&2
[ "$status" -ne 0 ] && exit "$status"
exit 1
