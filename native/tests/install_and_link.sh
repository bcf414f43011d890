#!/usr/bin/env bash
# CTest: `cmake --install` into a fresh prefix, then build a program against the installed library the way a user
# does (pkg-config switchboard) and run it: the header, the versioned soname and the .pc file all work.
set -euo pipefail
build_dir="$1"
source_dir="$2"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
libdir="$(dirname "$(find "$prefix" -name switchboard.pc)")/.."
test -f "$prefix/include/switchboard.h"
test -L "$libdir/libswitchboard.so" && test -L "$libdir/libswitchboard.so.0" && test -f "$libdir/libswitchboard.a"
soname="$(objdump -p "$libdir/libswitchboard.so" | awk '/SONAME/ {print $2}')"
[[ "$soname" == "libswitchboard.so.0" ]] || { echo "soname is '$soname', expected libswitchboard.so.0" >&2; exit 1; }
export PKG_CONFIG_PATH="$libdir/pkgconfig"
[[ "$(pkg-config --modversion switchboard)" == "0.1.0" ]]
cat > "$prefix/user.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <switchboard.h>
int main(void)
{
    sb_context *ctx = NULL;
    if (0 != sb_context_init(&ctx) || 0 != strcmp("BACK_PRESSURED", sb_offer_status_name(SB_BACK_PRESSURED)))
    {
        return 1;
    }
    sb_context_close(ctx);
    printf("linked against libswitchboard %d.%d.%d\n", SB_VERSION_MAJOR, SB_VERSION_MINOR, SB_VERSION_PATCH);
    return 0;
}
C
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$prefix/user" "$prefix/user.c" $(pkg-config --cflags --libs switchboard)
LD_LIBRARY_PATH="$libdir" "$prefix/user"
