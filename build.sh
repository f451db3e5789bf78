#!/usr/bin/env bash
# XenLite build entry point. Verbs:
#   ./build.sh                 build everything that exists (hosted core, toolstack CLI, images)
#   ./build.sh test [--filter <expr>]   install what is missing, build, run every test
#   ./build.sh run [--arch x86_64|arm64] build the demo image and boot it in QEMU
#   ./build.sh image [--arch …]          build images/out/xenlite-<arch>.elf (arm64: also the flat .bin);
#                                        from images/demo.json via `xenlite image build`
#                                        (arm64: with --set arch=arm64 and the arm64 test guest)
#   ./build.sh cli                       build the toolstack CLI at images/out/xenlite
#   ./build.sh bench [-- <BenchmarkDotNet args>]  run the hosted benchmarks
#   ./build.sh deps                      install missing system packages only
#   ./build.sh iso                       build the x86_64 image and its GRUB ISO images/out/xenlite-x86_64.iso
#                                        (images/iso.sh; boot it with QEMU -cdrom or images/bochs/run.sh)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
OUT=$ROOT/images/out
mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# System packages the build and the image tests need, keyed by a command each provides.
APT_NEEDS=(
  "qemu-system-x86_64:qemu-system-x86"
  "qemu-system-aarch64:qemu-system-arm"
  "clang:clang"
  "ld.lld:lld"
  "bochs:bochs"
  "dtc:device-tree-compiler"
  "grub-mkrescue:grub-pc-bin"
  "xorriso:xorriso"
  "mformat:mtools"
)

deps() {
  local missing=() pair
  for pair in "${APT_NEEDS[@]}"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK 10 is required (dotnet not on PATH)"
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing ${missing[*]} (apt)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  # bochs needs its BIOS images; grub/xorriso build boot ISOs for Bochs.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" bochsbios vgabios >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
}

build_hosted() {
  step "building the hosted core and tests"
  dotnet build XenLite.sln -c Release -nologo -v q -clp:ErrorsOnly || die "dotnet build failed"
}

build_cli() {
  if [ -f images/Cli/XenLite.Cli.csproj ]; then
    step "building the toolstack CLI (NativeAOT) → images/out/xenlite"
    dotnet publish images/Cli/XenLite.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly -o "$OUT/cli" \
      || die "publishing images/Cli/XenLite.Cli.csproj failed"
    cp "$OUT/cli/xenlite" "$OUT/xenlite"
  fi
}

# The guests the image tests boot (the C# conformance guest, the tiny assembly guests in
# images/guests/tiny), then the hypervisor image from images/demo.json through the image
# builder (`xenlite image build`: its plugins, the conformance guest embedded as dom0).
build_image() {
  local arch=$1 g
  [ -x boot/build-image.sh ] || die "boot/build-image.sh is missing"
  [ "$arch" = arm64 ] && { build_image_arm64; return; }
  step "building images/out/testguest-$arch.elf (images/guests/TestGuest)"
  boot/build-image.sh guest "$arch" "$OUT/testguest-$arch.elf" images/guests/$arch images/guests/TestGuest \
    || die "FAILED: test guest (step and file above)"
  step "building the dom0 agent and its ping-pong domU (images/guests/Agent, PingPong)"
  build_agent_guests "$arch"
  step "building the kexec dom0 (images/guests/KexecDom0)"
  build_kexec_dom0 "$arch"
  build_policy_agent "$arch"
  step "building the tiny guests (images/guests/tiny/*.S)"
  clang --target=i386-unknown-none-elf -c -o "$OUT/tiny-common.o" images/guests/tiny/common.S \
    || die "FAILED at step 'clang' (images/guests/tiny/common.S)"
  for g in images/guests/tiny/*.S; do
    [ "$(basename "$g")" = common.S ] && continue
    g=$(basename "$g" .S)
    clang --target=i386-unknown-none-elf -c -o "$OUT/tiny-$g.o" "images/guests/tiny/$g.S" \
      || die "FAILED at step 'clang' (images/guests/tiny/$g.S)"
    ld.lld -m elf_i386 -T images/guests/tiny/tiny.ld -o "$OUT/tiny-$g.elf" "$OUT/tiny-$g.o" "$OUT/tiny-common.o" \
      || die "FAILED at step 'ld.lld' (images/guests/tiny/$g.S)"
  done
  rm -f "$OUT"/tiny-*.o
  step "building the tiny PV64 guests (images/guests/pv64/*.S)"
  for g in images/guests/pv64/*.S; do
    g=$(basename "$g" .S)
    clang --target=x86_64-unknown-none-elf -c -o "$OUT/pv64-$g.o" "images/guests/pv64/$g.S" \
      || die "FAILED at step 'clang' (images/guests/pv64/$g.S)"
    ld.lld -m elf_x86_64 -T images/guests/pv64/pv64.ld -o "$OUT/pv64-$g.elf" "$OUT/pv64-$g.o" \
      || die "FAILED at step 'ld.lld' (images/guests/pv64/$g.S)"
  done
  rm -f "$OUT"/pv64-*.o
  step "building the tiny PV32 guests (images/guests/pv32/*.S)"
  for g in images/guests/pv32/*.S; do
    g=$(basename "$g" .S)
    clang --target=i386-unknown-none-elf -c -o "$OUT/pv32-$g.o" "images/guests/pv32/$g.S" \
      || die "FAILED at step 'clang' (images/guests/pv32/$g.S)"
    ld.lld -m elf_i386 -T images/guests/pv32/pv32.ld -o "$OUT/pv32-$g.elf" "$OUT/pv32-$g.o" \
      || die "FAILED at step 'ld.lld' (images/guests/pv32/$g.S)"
  done
  rm -f "$OUT"/pv32-*.o
  [ -x "$OUT/xenlite" ] || build_cli
  step "building images/out/xenlite-$arch.elf from images/demo.json (xenlite image build)"
  "$OUT/xenlite" image build images/demo.json -o "$OUT/xenlite-$arch.elf" \
    || die "FAILED: hypervisor image (step and file above)"
  step "building images/out/xenlite-$arch-bare.elf from images/bare.json (no embedded guest: dom0 from -initrd)"
  "$OUT/xenlite" image build images/bare.json -o "$OUT/xenlite-$arch-bare.elf" \
    || die "FAILED: bare hypervisor image (step and file above)"
  step "building images/out/flask-demo-$arch.elf from images/flask-demo.json (Flask enforcing, the policy agent as dom0)"
  "$OUT/xenlite" image build images/flask-demo.json -o "$OUT/flask-demo-$arch.elf" \
    || die "FAILED: flask-demo image (step and file above)"
}

# The dom0 policy agent of images/flask-demo.json: the arch's entry pieces (less Entry.cs), the
# TestGuest framework, AgentLib (its clock) and images/guests/PolicyAgent (framing, FLASK_LOAD, and
# its <arch>/ host line: COM2 on x86_64, a PCI 16550 on arm64).
build_policy_agent() {
  local arch=$1 common
  step "building the dom0 policy agent (images/guests/PolicyAgent)"
  common=$(find images/guests/$arch -maxdepth 1 -type f ! -name Entry.cs | sort)
  # shellcheck disable=SC2086
  boot/build-image.sh guest "$arch" "$OUT/policyagent-$arch.elf" $common images/guests/TestGuest \
    $(agent_part AgentLib "$arch") $(agent_part Dom0Entry "$arch") $(agent_part PolicyAgent "$arch") || die "FAILED: dom0 policy agent (step and file above)"
}

# The dom0 agent and the domU it builds: the arch's entry and runtime pieces of the test guest
# (less its Entry.cs), the TestGuest framework, and the shared AgentLib and each one's main, each
# as its own files plus its <arch>/ subdirectory. On arm64 the agent carries the ping-pong Image
# (a generated .incbin): our arm64 boot gives dom0 no ramdisk to find it in.
build_agent_guests() {
  local arch=$1 common embed=""
  common=$(find images/guests/$arch -maxdepth 1 -type f ! -name Entry.cs | sort)
  # shellcheck disable=SC2086
  boot/build-image.sh guest "$arch" "$OUT/pingpong-$arch.elf" $common images/guests/TestGuest \
    $(agent_part AgentLib "$arch") $(agent_part PingPong "$arch") || die "FAILED: ping-pong domU (step and file above)"
  if [ "$arch" = arm64 ]; then
    embed="$OUT/agent-arm64-domu.S"
    printf '    .section .rodata.domu, "a"\n    .balign 16\n    .globl agent_domu_start, agent_domu_end\nagent_domu_start:\n    .incbin "%s"\nagent_domu_end:\n' \
      "$OUT/pingpong-arm64.bin" >"$embed"
  fi
  # shellcheck disable=SC2086
  boot/build-image.sh guest "$arch" "$OUT/agent-$arch.elf" $common images/guests/TestGuest \
    $(agent_part AgentLib "$arch") $(agent_part Dom0Entry "$arch") $(agent_part Agent "$arch") $embed || die "FAILED: dom0 agent (step and file above)"
}

# images/guests/<part>'s own .cs files and its <arch>/ subdirectory (when there is one).
agent_part() {
  find "images/guests/$1" -maxdepth 1 -type f -name '*.cs' | sort
  if [ -d "images/guests/$1/$2" ]; then echo "images/guests/$1/$2"; fi
}

# The dom0 that reads hypfs and kexecs into tiny-kexec.elf: the agent's pieces less AgentLib.
build_kexec_dom0() {
  local arch=$1 common
  common=$(find images/guests/$arch -maxdepth 1 -type f ! -name Entry.cs | sort)
  # shellcheck disable=SC2086
  boot/build-image.sh guest "$arch" "$OUT/kexecdom0-$arch.elf" $common images/guests/TestGuest \
    $(agent_part Dom0Entry "$arch") $(agent_part KexecDom0 "$arch") || die "FAILED: kexec dom0 (step and file above)"
}

# arm64: the EL2 hypervisor image (ELF + flat Image) and the C# test guest as a flat Image.
build_image_arm64() {
  step "building images/out/testguest-arm64.bin (images/guests/arm64 + images/guests/TestGuest)"
  boot/build-image.sh guest arm64 "$OUT/testguest-arm64.elf" images/guests/arm64 images/guests/TestGuest \
    || die "FAILED: arm64 test guest (step and file above)"
  step "building the arm64 dom0 agent and its ping-pong domU (images/guests/Agent, PingPong)"
  build_agent_guests arm64
  [ -x "$OUT/xenlite" ] || build_cli
  step "building images/out/xenlite-arm64.elf and .bin from images/demo.json for arm64 (xenlite image build)"
  "$OUT/xenlite" image build images/demo.json --set arch=arm64 --set guests:0:kind=arm \
      --set guests:0:image=out/testguest-arm64.bin -o "$OUT/xenlite-arm64.elf" \
    || die "FAILED: arm64 hypervisor image (step and file above)"
  step "building images/out/xenlite-arm64-bare.elf and .bin from images/bare.json (no embedded guest)"
  "$OUT/xenlite" image build images/bare.json --set arch=arm64 -o "$OUT/xenlite-arm64-bare.elf" \
    || die "FAILED: bare arm64 hypervisor image (step and file above)"
  build_policy_agent arm64
  step "building images/out/flask-demo-arm64.elf and .bin from images/flask-demo.json for arm64 (Flask enforcing, the policy agent as dom0)"
  "$OUT/xenlite" image build images/flask-demo.json --set arch=arm64 --set hypervisor:console=dtuart --set guests:0:kind=arm \
      --set guests:0:image=out/policyagent-arm64.bin -o "$OUT/flask-demo-arm64.elf" \
    || die "FAILED: arm64 flask-demo image (step and file above)"
}

run_tests() {
  local filter=("$@") log
  log=$(mktemp)
  step "running tests"
  set +e
  dotnet test XenLite.sln -c Release --no-build -nologo "${filter[@]}" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # Sum the per-assembly summaries ("Failed: F, Passed: P, Skipped: S") into one line.
  awk '/(Passed|Failed)!  - Failed:/ {
         gsub(",", ""); for (i = 1; i <= NF; i++) {
           if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return $status
}

arch_arg() {
  local arch=x86_64
  while [ $# -gt 0 ]; do
    case $1 in
      --arch) arch=${2:?--arch needs a value}; shift 2 ;;
      --arch=*) arch=${1#*=}; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  case $arch in x86_64|arm64) ;; *) die "unknown arch $arch (x86_64 or arm64)" ;; esac
  echo "$arch"
}

verb=${1:-all}
[ $# -gt 0 ] && shift
case $verb in
  all)
    deps
    build_hosted
    build_cli
    build_image x86_64
    build_image arm64
    ;;
  deps) deps ;;
  cli) build_cli ;;
  test)
    args=()
    while [ $# -gt 0 ]; do
      case $1 in
        --filter) args+=(--filter "${2:?--filter needs an expression}"); shift 2 ;;
        --filter=*) args+=(--filter "${1#*=}"); shift ;;
        *) die "unknown option $1 (test takes --filter <expr>)" ;;
      esac
    done
    deps
    build_hosted
    build_cli
    build_image x86_64
    build_image arm64
    run_tests "${args[@]}"
    ;;
  image)
    arch=$(arch_arg "$@")
    deps
    build_cli
    build_image "$arch"
    ;;
  run)
    arch=$(arch_arg "$@")
    deps
    build_cli
    build_image "$arch"
    images/run.sh "$arch"
    ;;
  iso)
    [ $# -eq 0 ] || die "unknown option $1 (iso takes none)"
    deps
    build_cli
    build_image x86_64
    images/iso.sh
    ;;
  bench)
    [ "${1:-}" = "--" ] && shift
    dotnet run -c Release --project tests/XenLite.Bench/XenLite.Bench.csproj -- "$@"
    ;;
  *) die "unknown verb '$verb' (build, test, run, image, iso, cli, bench, deps)" ;;
esac
