#!/usr/bin/env bash
# Runs the tests of runtime, keras-import and cli again on a Java 21 runtime, with the Vector API kernels.
# jkeras compiles for Java 21 (--release 21) but builds and tests on JDK 25; --release checks the API, not what
# Java 21's JIT does with it (its C2 boxed vectors in a kernel that JDK 25 compiles to registers), so the tests
# must run there too. ./run-tests calls this after the main build (it needs the modules installed).
#
# The Java 21 runtime: $JKERAS_JAVA21_HOME if set; else a Java 21 under /usr/lib/jvm; else Debian's OpenJDK 21
# runtime (trixie, openjdk-21-jre-headless), fetched once from deb.debian.org into
# ${XDG_CACHE_HOME:-~/.cache}/jkeras/java21-<Debian arch> with the C libraries it was built against (they are newer than an
# older distribution's, so its programs are pointed at them with patchelf, also from trixie). The archive's signed
# index is checked with gpgv against the machine's Debian keyring when both are there; every file against the
# SHA-256 the index gives. JKERAS_SKIP_JAVA21=1 skips this step (offline development; CI never sets it).
set -euo pipefail
shopt -s inherit_errexit # the lookup runs in $(...): a failed step there must stop it too
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ "${JKERAS_SKIP_JAVA21:-}" = 1 ]; then
    echo "java21-tests: skipped (JKERAS_SKIP_JAVA21=1)" >&2
    exit 0
fi

java_feature() { # the feature version of the java at $1, or nothing
    "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1
}

find_java21() {
    local home
    if [ -n "${JKERAS_JAVA21_HOME:-}" ]; then
        if [ "$(java_feature "$JKERAS_JAVA21_HOME/bin/java")" = 21 ]; then
            echo "$JKERAS_JAVA21_HOME"
            return 0
        fi
        echo "java21-tests: JKERAS_JAVA21_HOME=$JKERAS_JAVA21_HOME has no Java 21 bin/java" >&2
        return 1
    fi
    for home in /usr/lib/jvm/*21*; do
        if [ -x "$home/bin/java" ] && [ "$(java_feature "$home/bin/java" 2>/dev/null)" = 21 ]; then
            echo "$home"
            return 0
        fi
    done
    fetch_debian_java21
}

download() { # URL FILE, or says why not
    curl -fsS --retry 3 -m 600 -o "$2" "$1" || {
        echo "java21-tests: could not download $1; set JKERAS_JAVA21_HOME to a Java 21, or JKERAS_SKIP_JAVA21=1" \
            "to leave this step out (offline)" >&2
        return 1
    }
}

fetch_debian_java21() {
    local arch triplet loader mirror=${JKERAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
    case $(uname -m) in
        x86_64) arch=amd64; triplet=x86_64-linux-gnu; loader=ld-linux-x86-64.so.2 ;;
        aarch64) arch=arm64; triplet=aarch64-linux-gnu; loader=ld-linux-aarch64.so.1 ;;
        *) echo "java21-tests: no Java 21 found and no Debian build for $(uname -m); set JKERAS_JAVA21_HOME" >&2
           return 1 ;;
    esac
    local cache=${XDG_CACHE_HOME:-$HOME/.cache}/jkeras/java21-$arch
    local home=$cache/root/usr/lib/jvm/java-21-openjdk-$arch
    if [ -f "$cache/ready" ] && [ "$(java_feature "$home/bin/java" 2>/dev/null)" = 21 ]; then
        echo "$home"
        return 0
    fi
    for tool in curl xz dpkg-deb sha256sum; do
        command -v "$tool" >/dev/null 2>&1 || {
            echo "java21-tests: needs $tool to fetch Debian's OpenJDK 21 (or set JKERAS_JAVA21_HOME)" >&2
            return 1
        }
    done
    echo "java21-tests: fetching Debian trixie's OpenJDK 21 runtime into $cache (once)" >&2
    rm -rf "$cache"
    mkdir -p "$cache/debs"
    local dist=$mirror/dists/trixie index=main/binary-$arch/Packages.xz
    download "$dist/InRelease" "$cache/InRelease"
    download "$dist/$index" "$cache/Packages.xz"
    if command -v gpgv >/dev/null 2>&1 && [ -r /usr/share/keyrings/debian-archive-keyring.gpg ]; then
        gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg "$cache/InRelease" 2>/dev/null || {
            echo "java21-tests: the signature of $dist/InRelease does not verify against the Debian keyring" >&2
            return 1
        }
    else
        echo "java21-tests: gpgv or the Debian keyring missing: trixie's index is checked by hash only" >&2
    fi
    # the index's SHA-256, from the SHA256 section of InRelease
    local want
    want=$(awk -v f="$index" '/^SHA256:/{s=1; next} /^[^ ]/{s=0} s && $3==f {print $1}' "$cache/InRelease")
    echo "$want  $cache/Packages.xz" | sha256sum -c --quiet - || {
        echo "java21-tests: $dist/$index does not match its SHA-256 in InRelease" >&2
        return 1
    }
    xz -dc "$cache/Packages.xz" > "$cache/Packages"
    local pkg entry file sum
    for pkg in openjdk-21-jre-headless libc6 libstdc++6 libgcc-s1 zlib1g patchelf; do
        entry=$(awk -v p="$pkg" '$1=="Package:"{ok=($2==p)} ok&&$1=="Filename:"{f=$2}
            ok&&$1=="SHA256:"{s=$2} ok&&f&&s{print f, s; exit}' "$cache/Packages")
        if [ -z "$entry" ]; then
            echo "java21-tests: package $pkg not in trixie's index" >&2
            return 1
        fi
        file=${entry% *}
        sum=${entry#* }
        download "$mirror/$file" "$cache/debs/$pkg.deb"
        echo "$sum  $cache/debs/$pkg.deb" | sha256sum -c --quiet - || {
            echo "java21-tests: $mirror/$file does not match its SHA-256 in the index" >&2
            return 1
        }
        dpkg-deb -x "$cache/debs/$pkg.deb" "$cache/root"
    done
    local libs=$cache/root/usr/lib/$triplet
    local patchelf=("$libs/$loader" --library-path "$libs" "$cache/root/usr/bin/patchelf")
    # Debian links the runtime's configuration to /etc/java-21-openjdk: use the unpacked copies
    find "$home" -type l -lname '/etc/*' | while read -r link; do
        local target
        target=$(readlink "$link")
        rm "$link"
        if [ -e "$cache/root$target" ]; then cp -r "$cache/root$target" "$link"; fi
    done
    # every program and library of the runtime loads trixie's C library, not the machine's
    find "$home" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) | while read -r f; do
        head -c 4 "$f" | grep -q 'ELF' || continue
        if "${patchelf[@]}" --print-interpreter "$f" >/dev/null 2>&1; then
            "${patchelf[@]}" --set-interpreter "$libs/$loader" "$f"
        fi
        "${patchelf[@]}" --set-rpath "$libs:$home/lib:$home/lib/server" "$f"
    done
    rm -rf "$cache/debs" "$cache/Packages" "$cache/Packages.xz"
    if [ "$(java_feature "$home/bin/java")" != 21 ]; then
        echo "java21-tests: the unpacked runtime does not start:" >&2
        "$home/bin/java" -version >&2 || true
        return 1
    fi
    touch "$cache/ready"
    echo "$home"
}

JAVA21_HOME=$(find_java21)
echo "java21-tests: $("$JAVA21_HOME/bin/java" -version 2>&1 | sed -n 2p) at $JAVA21_HOME" >&2
cd "$ROOT"
# the modules' tests, forked on Java 21 (Maven and javac stay on the JDK 25 of ./run-tests); once, on the Vector API
# kernels: the scalar pass runs the same bytecode, which the JDK 25 pass already covers
exec mvn -B -Dstyle.color=never -pl runtime,keras-import,cli test -Djvm="$JAVA21_HOME/bin/java" \
    -Djkeras.scalar.skip=true
