#!/usr/bin/env bash
# Regenerates ../StructLayoutTests.cs and ../ConstantTests.cs from Xen's public headers.
# Usage: generate.sh <xen checkout>   (needs clang with the x86 and AArch64 targets, python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export XEN_PUBLIC="$1/xen/include/public" WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$here/layouts.py" > "$WORK/layouts.txt"
python3 "$here/layout_tests.py" < "$WORK/layouts.txt" > "$here/../StructLayoutTests.cs"
python3 "$here/constant_tests.py" > "$here/../ConstantTests.cs"
