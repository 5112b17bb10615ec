# Every .cpp under src/ that a Windows build compiles (the two programs' main files too, the
# os layer's src/os/windows and not src/os/posix) compiles for Windows: mingw-w64's
# g++ checks each with -fsyntax-only as a Windows build sees it (_WIN32 defined, the
# definitions cmake/layers.cmake gives on WIN32), against mingw's C and C++ headers and only the
# headers of our dependencies (CLI11, nlohmann-json, date, SQLiteCpp, SQLite, libcurl, protobuf,
# snappy, and the remote-write messages protoc makes of src/push/remote_write.proto), linked
# into a scratch directory so that none of glibc's headers is on the include path.
# mingw-w64 brings some POSIX headers and functions that MSVC has not, so two more checks look
# at the code a Windows build compiles (after #ifdef _WIN32, before macros):
#   - no file of ours includes a POSIX-only header (unistd.h, poll.h, sys/socket.h, ...);
#   - no line of ours names a POSIX-only function or type (nanosleep, ssize_t, STDERR_FILENO,
#     ...) or a GCC/Clang built-in that cl.exe lacks (__builtin_*, __attribute__).
# Prints every file that fails and why. Not checked: linking (it needs the libraries built for
# Windows, docs/building-on-windows.md) and running. Installs mingw-w64 when missing (Debian
# 12); skipped (77) only when it cannot be installed. About a minute of CPU time: some 35 s
# on 2 idle cores.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

skip() { echo "SKIP: $*" >&2; exit 77; }
cxx=x86_64-w64-mingw32-g++-posix # the posix thread model: date/tz.h needs <mutex>
if ! command -v "$cxx" >/dev/null; then
  "$root/tools/install-deps" mingw-w64 >/dev/null 2>&1 || skip "mingw-w64 is not installed and could not be"
fi
start=$SECONDS

# The dependencies' headers alone.
mkdir inc
for h in CLI nlohmann date SQLiteCpp sqlite3.h sqlite3ext.h google snappy.h; do
  [[ -e /usr/include/$h ]] || fail "/usr/include/$h is missing (tools/install-deps)"
  ln -s "/usr/include/$h" "inc/$h"
done
curl_dir=$(dirname "$(find /usr/include -path '*/curl/curl.h' -print -quit)")
[[ -d $curl_dir ]] || fail "no curl/curl.h under /usr/include (tools/install-deps)"
ln -s "$curl_dir" inc/curl
# snappy generates snappy-stubs-public.h for its platform: Debian's includes <sys/uio.h>,
# where snappy's build for Windows (which has none) declares struct iovec itself.
sed 's|^#include <sys/uio.h>|struct iovec { void* iov_base; size_t iov_len; };  // as snappy on Windows|' \
  /usr/include/snappy-stubs-public.h >inc/snappy-stubs-public.h
# The build generates this header (CMakeLists.txt, protobuf_generate): so does the check.
protoc --cpp_out=inc -I "$root" "$root/src/push/remote_write.proto" ||
  fail "protoc cannot compile src/push/remote_write.proto (tools/install-deps)"

# The definitions of a Windows build, read from their one place (fostat_platform in
# cmake/layers.cmake).
mapfile -t defs < <(sed -n '/target_compile_definitions(fostat_platform INTERFACE/,/)/p' \
  "$root/cmake/layers.cmake" | tr ' ()' '\n\n\n' | grep -E '^[A-Z_][A-Z0-9_]*(=[0-9A-Za-z]+)?$' | grep -vx INTERFACE)
((${#defs[@]} >= 3)) || fail "no Windows definitions found in cmake/layers.cmake"
flags=(-std=c++20 "${defs[@]/#/-D}" -isystem inc)
# Every layer's headers (cmake/layers.cmake).
for d in "$root"/src/*/include; do flags+=(-I"$d"); done
# Headers MSVC does not have, though mingw-w64 has some of them.
posix_headers='/(unistd|poll|dirent|pthread|strings|sched|semaphore|libgen|getopt|termios|dlfcn|syslog|netdb|pwd|grp)\.h$|/sys/(time|select|socket|un|mman|wait|ioctl|param|file|resource|uio|utsname|poll)\.h$|/(netinet|arpa)/'
# Names MSVC does not declare (mingw-w64 declares some), and GCC/Clang built-ins.
posix_names='\b(__builtin_[A-Za-z_]+|__attribute__|nanosleep|usleep|gettimeofday|clock_gettime|localtime_r|gmtime_r|timegm|strptime|strcasecmp|strncasecmp|strtok_r|strerror_r|setenv|unsetenv|sigaction|sigemptyset|ssize_t|socklen_t|(STDIN|STDOUT|STDERR)_FILENO|O_CLOEXEC)\b'

# check SOURCE (relative to the root): writes SOURCE's problems to its .log; fails if any.
check() {
  local s=$1 log ok=0
  log=$(echo "$s" | tr / _).log
  : >"$log"
  # -H lists each header included, one dot per level: ours include no POSIX-only one.
  if ! "$cxx" "${flags[@]}" -fsyntax-only -H "$root/$s" 2>"$log.H"; then
    grep -v '^\.\+ \|^Multiple include guards\|^/[^ :]*$' "$log.H" >>"$log" || true
    ok=1
  fi
  awk -v root="$root/" -v src="$root/$s" -v re="$posix_headers" '
    /^\.+ / {
      depth = index($0, " ") - 1
      file = substr($0, depth + 2)
      parent = depth == 1 ? src : stack[depth - 1]
      stack[depth] = file
      if (index(parent, root) == 1 && file ~ re)
        print substr(parent, length(root) + 1) ": includes " file ", which MSVC does not have"
    }' "$log.H" | sort -u >>"$log"
  # The lines of our files that a Windows build compiles, comments cut, macros unexpanded.
  "$cxx" "${flags[@]}" -E -fdirectives-only "$root/$s" 2>/dev/null |
    awk -v root="$root/" '
      /^# [0-9]+ "/ { line = $2; file = $3; gsub(/"/, "", file); next }
      {
        if (index(file, root) == 1) {
          text = $0
          sub(/\/\/.*/, "", text)
          gsub(/\/\*[^*]*\*\//, "", text)
          print substr(file, length(root) + 1) ":" line ": " text
        }
        line++
      }' | grep -E "^[^:]+:[0-9]+: .*$posix_names" | sed 's/$/   <- not in MSVC/' >>"$log" || true
  [[ ! -s $log ]] && ((ok == 0))
}
export -f check
export cxx root posix_headers posix_names
export flags_text="${flags[*]}"

# The os layer's POSIX set is what a Windows build leaves out (CMakeLists.txt): its Windows set
# stands in for it.
mapfile -t sources < <(cd "$root" && find src -name '*.cpp' -not -path 'src/os/posix/*' | sort)
((${#sources[@]} > 40)) || fail "only ${#sources[@]} sources found under $root/src"
# xargs runs each check in a fresh bash, where arrays are not exported: rebuild flags there.
printf '%s\n' "${sources[@]}" |
  xargs -P2 -I{} bash -c 'read -ra flags <<<"$flags_text"; check "$1" || echo "$1" >>failed' _ {}

failed=0
if [[ -s failed ]]; then
  failed=$(wc -l <failed)
  while read -r s; do
    echo "--- $s does not compile for Windows:" >&2
    head -30 "$(echo "$s" | tr / _).log" >&2
  done < <(sort failed)
fi
note() { echo "windows_compile: $*" >&2; }
((failed == 0)) || fail "$failed of ${#sources[@]} sources do not compile for Windows: $(sort failed | tr '\n' ' ')"
note "pass: all ${#sources[@]} sources of a Windows build under src/ compile for Windows with $cxx; $((SECONDS - start)) s"
