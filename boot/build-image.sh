#!/usr/bin/env bash
# Builds XenLite's freestanding pieces. Usage:
#   build-image.sh runtime  <out-dir>                      core library only
#   build-image.sh check-hv <out-dir> <file.cs|dir>...     compile C# against the runtime
#                                                          alone (-nostdlib): proves no BCL use
#   build-image.sh image x86_64 <out.elf> [--embed <blob>] [file.cs|dir]...
#                                                          bootable Multiboot ELF; the extra
#                                                          sources must define
#                                                          XenLite.ImageMain.Run(BootInfo);
#                                                          none given = the boot demo; --embed
#                                                          places a module blob in .rodata
#                                                          (xl_embedded_start/size)
#   build-image.sh image arm64 <out.elf> [file.cs|dir]...  EL2 image for QEMU virt: the ELF
#                                                          and the flat Image <out>.bin
#                                                          (64-byte arm64 Image header)
#   build-image.sh guest x86_64 <out.elf> <file|dir>...    freestanding guest (e.g. a PVH test
#                                                          guest): the given .cs, .S and exactly
#                                                          one .ld linker script, plus the shared
#                                                          runtime and CPU helpers (Cpu.cs,
#                                                          Power.cs, cpu.S, runtime.S, idt.S)
#   build-image.sh guest arm64 <out.elf> <file|dir>...     the same for an EL1 guest (shares only
#                                                          arm64/runtime.S); also <out>.bin
# Directories given as sources contribute all their *.cs files (recursively; for
# `guest` also *.S and *.ld).
# Environment: DOTNET (default dotnet), CSC (csc.dll), ILC (ilc binary), CLANG, LLD,
# OBJCOPY (arm64 flat Image; default llvm-objcopy).
set -euo pipefail

BOOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DOTNET="${DOTNET:-dotnet}"
CSC="${CSC:-/usr/share/dotnet/sdk/10.0.401/Roslyn/bincore/csc.dll}"
CLANG="${CLANG:-clang}"
LLD="${LLD:-ld.lld}"
ILC_VERSION=10.0.12
RUNTIME_NAME=XenLite.Runtime
# Warnings that are expected in freestanding code (pointers to managed types,
# extern intrinsics, unused private fields that are layout contracts).
NOWARN=8500,626,169,649,0436,660,661,0414,0162

STEP=0
STEPS=1
TARGET_ARCH=x86_64   # image/guest target: x86_64 or arm64
progress() { STEP=$((STEP + 1)); echo "[$STEP/$STEPS] $*"; }
fail() { echo "build-image: FAILED at step '$1' ($2)" >&2; exit 1; }

# Runs a compiler step; on failure shows its output and names the first file
# it complained about.
run_step() {
    local name="$1" log="$2" hint="$3"; shift 3
    if ! "$@" >"$log" 2>&1; then
        grep -E 'error|Error|undefined' "$log" | head -40 >&2 || cat "$log" >&2
        local file
        file="$(grep -oE '^[^ (:]+\.(cs|S)' "$log" | head -1 || true)"
        fail "$name" "${file:-$hint}; full log: $log"
    fi
}

# Expands directories into their .cs files.
cs_sources() {
    local s
    for s in "$@"; do
        if [[ -d "$s" ]]; then find "$s" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort
        elif [[ -f "$s" ]]; then echo "$s"
        else fail "sources" "no such file: $s"; fi
    done
}

csc() { "$DOTNET" "$CSC" -nologo -nostdlib -noconfig -unsafe -optimize+ -deterministic \
        -runtimemetadataversion:v4.0.30319 -langversion:latest -nowarn:$NOWARN "$@"; }

build_runtime() {
    local out="$1"
    mkdir -p "$out"
    local -a files
    progress "csc runtime -> $out/$RUNTIME_NAME.dll"
    mapfile -t files < <(find "$BOOT/runtime" -name '*.cs' -not -path '*/selftest/*' -not -path '*/obj/*' | sort)
    run_step "csc runtime" "$out/csc-runtime.log" "$BOOT/runtime" \
        csc -target:library -out:"$out/$RUNTIME_NAME.dll" "${files[@]}"
}

# Finds (restoring once) the pinned ILCompiler package; caches the path.
find_ilc() {
    if [[ -n "${ILC:-}" ]]; then echo "$ILC"; return; fi
    local cache="${XDG_CACHE_HOME:-$HOME/.cache}/xenlite/ilc-$ILC_VERSION.path"
    if [[ -f "$cache" && -x "$(cat "$cache")" ]]; then cat "$cache"; return; fi
    local log root
    log="$(mktemp)"
    "$DOTNET" restore "$BOOT/runtime/ilc/IlcPackage.csproj" >"$log" 2>&1 || { cat "$log" >&2; fail "restore ILCompiler" "$BOOT/runtime/ilc/IlcPackage.csproj"; }
    root="${NUGET_PACKAGES:-$("$DOTNET" nuget locals global-packages --list | sed 's/^global-packages: //')}"
    local ilc="${root%/}/runtime.linux-x64.microsoft.dotnet.ilcompiler/$ILC_VERSION/tools/ilc"
    [[ -x "$ilc" ]] || fail "restore ILCompiler" "ilc not found at $ilc"
    mkdir -p "$(dirname "$cache")"
    echo "$ilc" >"$cache"
    echo "$ilc"
}

cmd_check_hv() {
    [[ $# -ge 2 ]] || { echo "usage: build-image.sh check-hv <out-dir> <file.cs|dir>..." >&2; exit 2; }
    local out="$1"; shift
    local -a files
    mapfile -t files < <(cs_sources "$@")
    STEPS=2
    build_runtime "$out"
    progress "csc ${#files[@]} file(s) against the runtime only -> $out/check-hv.dll"
    run_step "csc check-hv" "$out/csc-check-hv.log" "$*" \
        csc -target:library -r:"$out/$RUNTIME_NAME.dll" -out:"$out/check-hv.dll" "${files[@]}"
    echo "check-hv: OK (${#files[@]} file(s) use only what the freestanding runtime provides)"
}

cmd_image() {
    [[ $# -ge 2 ]] || { echo "usage: build-image.sh image x86_64 <out.elf> [--embed <blob>] [file.cs|dir]..." >&2; exit 2; }
    local arch="$1" out="$2" blob=""; shift 2
    if [[ "${1:-}" == --embed ]]; then
        [[ $# -ge 2 && -f "$2" ]] || fail "arguments" "--embed needs an existing blob file"
        blob="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2
    fi
    if [[ $# -eq 0 ]]; then
        echo "note: no image sources given: building the boot demo (boot/$arch/demo + runtime self-test)"
        set -- "$BOOT/$arch/demo" "$BOOT/runtime/selftest"
    fi
    [[ "$arch" == x86_64 || "$arch" == arm64 ]] || fail "arguments" "unsupported arch '$arch' (x86_64 or arm64)"
    local arch_dir="$BOOT/$arch"
    TARGET_ARCH="$arch"
    local -a extra kernel
    mapfile -t extra < <(cs_sources "$@")
    # The arch's boot code plus boot/common, the arch-neutral C# it uses (console
    # formatting, crash-report text, command-line lookups).
    mapfile -t kernel < <(find "$arch_dir" -maxdepth 1 -name '*.cs' | sort; find "$BOOT/common" -name '*.cs' | sort)
    CS_FILES=("${kernel[@]}" "${extra[@]}")
    mapfile -t ASM_FILES < <(find "$arch_dir" -maxdepth 1 -name '*.S' | sort)
    # Extra source directories may bring their own assembly (the hypervisor's VMRUN stub).
    local s
    for s in "$@"; do
        [[ -d "$s" ]] && mapfile -t -O "${#ASM_FILES[@]}" ASM_FILES < <(find "$s" -name '*.S' | sort)
    done
    ASM_FILES+=("$(embedded_asm "$arch" "${out%.elf}.build" "$blob")")
    compile_and_link "$out" "$arch_dir/link.ld" "${#kernel[@]} boot + ${#extra[@]} extra files" "$arch_dir"
    if [[ "$arch" == arm64 ]]; then
        # The flat Image QEMU (and Linux-style loaders) take: file offset 0 = the header.
        local bin="${out%.elf}.bin"
        "${OBJCOPY:-llvm-objcopy}" -O binary "$out" "$bin" || fail "objcopy" "$out"
        echo "image: $bin ($(stat -c %s "$bin") bytes, flat arm64 Image)"
    fi
}

# The embedding step: an assembly file placing the module blob `xenlite image build`
# assembled (guests, boot policy, command-line defaults; see images/Builder/Embed/ModuleBlob.cs)
# in .rodata, page-aligned, with two accessors the image calls: xl_embedded_start and
# xl_embedded_size (0 when nothing is embedded). Prints the .S file's path.
embedded_asm() {
    local arch="$1" work="$2" blob="$3" s
    mkdir -p "$work"
    s="$work/embedded.S"
    {
        echo "// Generated by build-image.sh: the embedded-module blob (${blob:-none})."
        echo '    .section .rodata.xenlite_embedded, "a"'
        echo '    .balign 4096'
        echo '    .globl xl_embedded_blob'
        echo 'xl_embedded_blob:'
        [[ -n "$blob" ]] && echo "    .incbin \"$blob\""
        echo 'xl_embedded_blob_end:'
        echo '    .text'
        echo '    .globl xl_embedded_start'
        echo '    .globl xl_embedded_size'
        if [[ "$arch" == arm64 ]]; then
            echo 'xl_embedded_start:'
            echo '    adrp x0, xl_embedded_blob'
            echo '    add x0, x0, :lo12:xl_embedded_blob'
            echo '    ret'
            echo 'xl_embedded_size:'
            echo '    ldr x0, 1f'
            echo '    ret'
            echo '    .balign 8'
            echo '1:  .quad xl_embedded_blob_end - xl_embedded_blob'
        else
            echo 'xl_embedded_start:'
            echo '    movabs $xl_embedded_blob, %rax'
            echo '    ret'
            echo 'xl_embedded_size:'
            echo '    movabs $(xl_embedded_blob_end - xl_embedded_blob), %rax'
            echo '    ret'
        fi
    } >"$s"
    echo "$s"
}

# A guest built on the same runtime: its own entry, linker script and C#, plus
# the platform pieces it shares with the hypervisor image.
cmd_guest() {
    [[ $# -ge 3 ]] || { echo "usage: build-image.sh guest x86_64 <out.elf> <file.cs|file.S|file.ld|dir>..." >&2; exit 2; }
    local arch="$1" out="$2"; shift 2
    [[ "$arch" == x86_64 || "$arch" == arm64 ]] || fail "arguments" "unsupported arch '$arch' (x86_64 or arm64)"
    local arch_dir="$BOOT/$arch" s
    local -a own_cs=() own_asm=() scripts=()
    for s in "$@"; do
        [[ -e "$s" ]] || fail "sources" "no such file: $s"
        if [[ -d "$s" ]]; then
            mapfile -t -O "${#own_cs[@]}" own_cs < <(find "$s" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
            mapfile -t -O "${#own_asm[@]}" own_asm < <(find "$s" -name '*.S' | sort)
            mapfile -t -O "${#scripts[@]}" scripts < <(find "$s" -name '*.ld' | sort)
        else
            case "$s" in
                *.cs) own_cs+=("$s") ;;
                *.S) own_asm+=("$s") ;;
                *.ld) scripts+=("$s") ;;
                *) fail "sources" "not a .cs, .S or .ld file: $s" ;;
            esac
        fi
    done
    [[ ${#scripts[@]} -eq 1 ]] || fail "sources" "need exactly one .ld linker script, got ${#scripts[@]}: ${scripts[*]:-none}"
    if [[ "$arch" == arm64 ]]; then
        # An arm64 guest runs at EL1: of boot/arm64 it shares only the runtime symbols
        # (its own entry brings the CPU helpers), and it is booted as a flat Image.
        TARGET_ARCH=arm64
        CS_FILES=("${own_cs[@]}")
        ASM_FILES=("$arch_dir/runtime.S" "${own_asm[@]}")
        compile_and_link "$out" "${scripts[0]}" "${#own_cs[@]} guest files" "${own_cs[0]:-$arch_dir}"
        local bin="${out%.elf}.bin"
        "${OBJCOPY:-llvm-objcopy}" -O binary "$out" "$bin" || fail "objcopy" "$out"
        echo "image: $bin ($(stat -c %s "$bin") bytes, flat arm64 Image)"
        return
    fi
    CS_FILES=("$arch_dir/Cpu.cs" "$arch_dir/Power.cs" "${own_cs[@]}")
    ASM_FILES=("$arch_dir/cpu.S" "$arch_dir/runtime.S" "$arch_dir/idt.S" "${own_asm[@]}")
    compile_and_link "$out" "${scripts[0]}" "2 shared + ${#own_cs[@]} guest files" "${own_cs[0]:-$arch_dir}"
}

# csc (runtime, then CS_FILES as one assembly) -> ilc -> clang (each of
# ASM_FILES) -> ld.lld with the given linker script. Intermediates go to
# <out>.build/, a symbol map to <out>.map.
compile_and_link() {
    local out="$1" script="$2" what="$3" hint="$4"
    local work="${out%.elf}.build"
    mkdir -p "$work" "$(dirname "$out")"
    STEPS=5

    build_runtime "$work"

    progress "csc image ($what) -> $work/XenLite.Image.dll"
    run_step "csc image" "$work/csc-image.log" "$hint" \
        csc -target:library -r:"$work/$RUNTIME_NAME.dll" -out:"$work/XenLite.Image.dll" "${CS_FILES[@]}"

    local ilc ilc_arch=x64 clang_target=x86_64-unknown-none-elf
    [[ "$TARGET_ARCH" == arm64 ]] && { ilc_arch=arm64; clang_target=aarch64-unknown-none-elf; }
    ilc="$(find_ilc)"
    progress "ilc -> $work/image.o"
    run_step "ilc" "$work/ilc.log" "$work/XenLite.Image.dll" \
        "$ilc" "$work/XenLite.Image.dll" "$work/$RUNTIME_NAME.dll" -o "$work/image.o" \
        --systemmodule "$RUNTIME_NAME" --nativelib -O --targetos linux --targetarch "$ilc_arch"

    progress "clang ${#ASM_FILES[@]} .S files"
    local objs=() s o
    for s in "${ASM_FILES[@]}"; do
        o="$work/$(basename "${s%.S}").o"
        [[ " ${objs[*]} " != *" $o "* ]] || fail "clang" "two .S files named $(basename "$s")"
        run_step "clang $(basename "$s")" "$work/clang.log" "$s" \
            "$CLANG" --target="$clang_target" -c -ffreestanding -o "$o" "$s"
        objs+=("$o")
    done

    progress "ld.lld -> $out"
    if ! "$LLD" -static --no-pie -z max-page-size=4096 -z norelro --no-dynamic-linker \
            -T "$script" -o "$out" "${objs[@]}" "$work/image.o" >"$work/lld.log" 2>&1; then
        cat "$work/lld.log" >&2
        if grep -q 'RhpThrowEx\|RhpRethrow' "$work/lld.log"; then
            echo "hint: C# 'throw'/'try' is not supported in the image; return error codes instead" >&2
        fi
        fail "ld.lld" "$(grep -oE 'referenced by [^ ]+' "$work/lld.log" | head -1 || echo "$script")"
    fi
    nm -n "$out" >"${out%.elf}.map" 2>/dev/null || true
    echo "image: $out ($(stat -c %s "$out") bytes; symbols in ${out%.elf}.map)"
}

case "${1:-}" in
    runtime) shift; [[ $# -eq 1 ]] || { echo "usage: build-image.sh runtime <out-dir>" >&2; exit 2; }; build_runtime "$1" ;;
    check-hv) shift; cmd_check_hv "$@" ;;
    image) shift; cmd_image "$@" ;;
    guest) shift; cmd_guest "$@" ;;
    *) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
