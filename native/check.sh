#!/usr/bin/env bash
# The native checks CI runs (from the Maven build's verify phase, module `native`), and the longer fuzzing by hand:
#   1. libswitchboard and its CTest tests built with AddressSanitizer + UndefinedBehaviorSanitizer
#      (-fno-sanitize-recover=all: the first report fails the test), in build/asan;
#   2. the libFuzzer targets (clang; libFuzzer is in Debian's libclang-rt-14-dev), in build/fuzz, each run for
#      --fuzz-seconds (default 30) from the seed corpus in fuzz/corpus/<target> plus what earlier runs kept in
#      build/fuzz/corpus-<target>. A crash or leak is written to build/fuzz/findings-<target>-* and fails the check.
# Usage: native/check.sh [--codecs DIR] [--fuzz-seconds N] [--no-sanitizers] [--no-fuzz]
#   native/check.sh --no-sanitizers --fuzz-seconds 3600     # an hour per target
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

codecs="../codecs/target/generated-c"
seconds=30
sanitizers=1
fuzz=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --codecs) codecs="$2"; shift 2 ;;
        --fuzz-seconds) seconds="$2"; shift 2 ;;
        --no-sanitizers) sanitizers=0; shift ;;
        --no-fuzz) fuzz=0; shift ;;
        *) echo "native/check.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 ]] || { echo "native/check.sh: --fuzz-seconds must be >= 1" >&2; exit 2; }

if [[ $sanitizers -eq 1 ]]; then
    echo "native/check.sh: ASan+UBSan build and CTest (build/asan)" >&2
    cmake -S . -B build/asan -DSB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DSB_CODECS_DIR="$codecs" >/dev/null
    cmake --build build/asan -j2 >/dev/null
    ctest --test-dir build/asan --output-on-failure
fi

if [[ $fuzz -eq 1 ]]; then
    if ! command -v clang >/dev/null 2>&1; then
        echo "native/check.sh: clang is not installed (apt-get install clang libclang-rt-14-dev; .ci/run does)," \
            "so the libFuzzer targets cannot be built; -Dswitchboard.native.checks.skip=true skips these checks" >&2
        exit 1
    fi
    echo "native/check.sh: libFuzzer targets, ${seconds} s each (build/fuzz)" >&2
    cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DSB_FUZZ=ON -DSB_BUILD_TESTS=OFF -DSB_BUILD_EXAMPLES=OFF \
        -DCMAKE_BUILD_TYPE=Debug -DSB_CODECS_DIR="$codecs" >/dev/null
    cmake --build build/fuzz -j2 --target fuzz_frame fuzz_inbox >/dev/null
    for target in frame inbox; do
        mkdir -p "build/fuzz/corpus-$target"
        log="build/fuzz/fuzz_$target.log"
        if ! "build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
            -artifact_prefix="build/fuzz/findings-$target-" "build/fuzz/corpus-$target" "fuzz/corpus/$target" \
            >"$log" 2>&1; then
            tail -60 "$log" >&2
            echo "native/check.sh: fuzz_$target found a crash: build/fuzz/findings-$target-*" >&2
            exit 1
        fi
        echo "native/check.sh: fuzz_$target: $(grep -E '^Done' "$log" | tail -1), nothing found" >&2
    done
fi
