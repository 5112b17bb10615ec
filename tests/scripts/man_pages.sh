# man/*.1: groff has nothing to warn about, and each page names every source or command of
# its program's --help.
man_dir=$(cd "$(dirname "$0")/../../man" && pwd)
source "$(dirname "$0")/lib.bash" "$1"
command -v man >/dev/null || { echo "SKIP: no man (package man-db)"; exit 77; }
for page in fostat-collect fostat-query; do
  MANWIDTH=80 man --warnings -E UTF-8 -l "$man_dir/$page.1" >"$page.txt" 2>"$page.err" ||
    fail "man $page.1: $(cat "$page.err")"
  [[ ! -s $page.err ]] || fail "man --warnings $page.1: $(cat "$page.err")"
  commands=$("$bin/$page" --help | sed -n '/^Subcommands:/,$p' | awk '/^  [a-z]/ { print $1 }')
  for command in $commands; do
    grep -q "^       $command\b" "$page.txt" || fail "$page.1 does not describe $command"
  done
done
echo "man pages: no warnings, every command described"
