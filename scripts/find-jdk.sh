# Sourced by ./jkeras and ./run-tests: finds a JDK >= 25 (jkeras builds and runs on it; the
# default `java` on many machines is older). Sets JKERAS_JAVA_HOME, or explains and returns 1.
#
# Order: $JAVA_HOME if it is >= 25; /usr/lib/jvm/*25*; any /usr/lib/jvm/* (and macOS
# /Library/Java/JavaVirtualMachines/*/Contents/Home) whose `release` file says >= 25;
# finally `java` on PATH if it is >= 25.

JKERAS_MIN_JDK=25

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing if it is not a JDK.
jkeras_jdk_version() {
    local home=$1 v=""
    [ -x "$home/bin/java" ] || return 0
    [ -x "$home/bin/javac" ] || return 0   # a JRE cannot build jkeras
    if [ -r "$home/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)
    fi
    if [ -z "$v" ]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    v=${v#1.}                 # 1.8.0 -> 8.0
    v=${v%%[!0-9]*}           # 25.0.3 -> 25, 25-ea -> 25
    if [ -n "$v" ]; then echo "$v"; fi
}

jkeras_is_new_enough() {
    local v
    v=$(jkeras_jdk_version "$1")
    [ -n "$v" ] && [ "$v" -ge "$JKERAS_MIN_JDK" ]
}

jkeras_find_jdk() {
    local candidate seen=""
    if [ -n "${JAVA_HOME:-}" ]; then
        if jkeras_is_new_enough "$JAVA_HOME"; then
            JKERAS_JAVA_HOME=$JAVA_HOME
            return 0
        fi
        seen="JAVA_HOME=$JAVA_HOME (version $(jkeras_jdk_version "$JAVA_HOME"))"
    fi
    for candidate in /usr/lib/jvm/*"$JKERAS_MIN_JDK"* /usr/lib/jvm/* \
                     /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$candidate" ] || continue
        if jkeras_is_new_enough "$candidate"; then
            JKERAS_JAVA_HOME=$candidate
            return 0
        fi
    done
    if command -v java >/dev/null 2>&1; then
        candidate=$(command -v java)
        candidate=$(readlink -f "$candidate" 2>/dev/null || echo "$candidate")
        candidate=$(dirname "$(dirname "$candidate")")
        if jkeras_is_new_enough "$candidate"; then
            JKERAS_JAVA_HOME=$candidate
            return 0
        fi
        seen="${seen:+$seen, }java on PATH is version $(jkeras_jdk_version "$candidate")"
    fi
    {
        echo "error: jkeras needs a JDK $JKERAS_MIN_JDK or newer and found none${seen:+ ($seen)}."
        echo "Install one (e.g. Temurin $JKERAS_MIN_JDK from https://adoptium.net, or 'apt-get install temurin-$JKERAS_MIN_JDK-jdk')" \
             "and set JAVA_HOME to it."
    } >&2
    return 1
}

# Maven 3.8's bundled Guava pokes sun.misc.Unsafe; JDK 24+ warns about it on every build.
jkeras_quiet_maven_opts() {
    case " ${MAVEN_OPTS:-} " in
        *sun-misc-unsafe-memory-access*) ;;
        *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
    esac
}
