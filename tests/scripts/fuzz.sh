# libFuzzer on every parser of untrusted input (tools/fuzz), FOSTAT_FUZZ_SECONDS each
# (default 30) from the committed seed corpus tests/fuzz/corpus/: a crash, a sanitizer report
# or an exception other than the parser's own error fails.
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.bash" "$1"
"$src/tools/fuzz" --seconds "${FOSTAT_FUZZ_SECONDS:-30}" --work "$work"
