#!/usr/bin/env bash
# Builds a GRUB (BIOS) rescue ISO that boots the bare hypervisor with the test guest as dom0,
# menu in images/grub/grub.cfg. Boot it with QEMU -cdrom or Bochs (images/bochs/run.sh).
# Usage: images/iso.sh [out.iso] [hypervisor.elf] [dom0.elf]
# Defaults: images/out/xenlite-x86_64.iso from images/out/xenlite-x86_64-bare.elf and
# images/out/testguest-x86_64.elf (./build.sh image builds both).
# Needs grub-mkrescue (grub-pc-bin), xorriso and mtools (./build.sh deps installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
iso=${1:-images/out/xenlite-x86_64.iso}
hv=${2:-images/out/xenlite-x86_64-bare.elf}
dom0=${3:-images/out/testguest-x86_64.elf}
for f in "$hv" "$dom0"; do
  [ -f "$f" ] || { echo "iso.sh: $f is missing: run ./build.sh image first" >&2; exit 2; }
done
command -v grub-mkrescue >/dev/null || { echo "iso.sh: grub-mkrescue is missing (./build.sh deps)" >&2; exit 2; }

root=$iso.build
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$hv" "$root/boot/xenlite.elf"
cp "$dom0" "$root/boot/testguest.elf"
cp images/grub/grub.cfg "$root/boot/grub/grub.cfg"
# Only the modules the menu uses, no fonts/locales/themes: 1.3 MB instead of 10 MB, and GRUB
# starts faster under Bochs.
log=$iso.log
if ! grub-mkrescue -o "$iso" --install-modules="multiboot normal serial terminal configfile iso9660 biosdisk" \
    --fonts= --locales= --themes= "$root" >"$log" 2>&1; then
  cat "$log" >&2
  echo "iso.sh: grub-mkrescue failed (log above)" >&2
  exit 1
fi
rm -rf "$root" "$log"
echo "iso.sh: $iso ($(stat -c %s "$iso") bytes)"
