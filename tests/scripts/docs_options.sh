# The help, the man pages and docs/cli.md agree: every long option that `PROGRAM COMMAND
# --help` lists is described in man/PROGRAM.1 and in docs/cli.md for that command, and a
# default that --help shows (CLI11's `--opt TYPE=VALUE`, or `(default: VALUE)` in its text)
# is the one each document states where it states one.
#
# Where an option is looked for. The options that PROGRAM --help lists (those of every
# command; a command's --help repeats them with the same line) are checked once, in the
# options section: man's OPTIONS, cli.md's first `### Options...` under `## PROGRAM`. Any
# other option is looked for in its command's part: man's tagged paragraph of the command
# under SOURCES or COMMANDS, cli.md's `### COMMAND` (with its `####` sections), or, for a
# command without a heading of its own (isc-log), the `###` section that gives its usage as
# `PROGRAM COMMAND`.
#
# Where a default is read. In a paragraph about the option (man: a tagged paragraph of
# OPTIONS whose tag names it; cli.md: a bullet that starts with it), every "Default: X",
# "Default X", "defaults to X" and "X, the default"; anywhere in the part, "--opt (default:
# X)" and "--opt defaults to X". A document that states none is not checked for it.
docs_dir=$(cd "$(dirname "$0")/../../docs" && pwd)
man_dir=$(cd "$(dirname "$0")/../../man" && pwd)
source "$(dirname "$0")/lib.bash" "$1"
command -v man >/dev/null || { echo "SKIP: no man (package man-db)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

for program in fostat-collect fostat-query; do
  "$bin/$program" --help >"$program.help"
  # One line per paragraph and ASCII hyphens, so that an option is never broken at a line end.
  MANWIDTH=1000 man -E ascii -l "$man_dir/$program.1" >"$program.man" 2>/dev/null ||
    fail "man $program.1 does not render"
  commands=$(sed -n '/^Subcommands:/,$p' "$program.help" | awk '/^  [a-z]/ { print $1 }')
  [[ -n $commands ]] || fail "$program --help lists no command"
  for command in $commands; do
    "$bin/$program" "$command" --help >"$program.$command.help"
  done
  echo "$commands" >"$program.commands"
done

python3 - "$docs_dir/cli.md" <<'EOF'
import re
import sys

cli_md = open(sys.argv[1], encoding="utf-8").read()
failures = []
checked = 0


def parse_help(path):
    """{--option: (help line, default or None)} of one --help output."""
    options, last = {}, None
    spec = re.compile(r"^  ((?:-\w,)?--[\w-]+)(?: [A-Z_]+(?:=(\S+))?)?(?: REQUIRED)?(?: \.\.\.)?(?:\s+(.*))?$")
    in_options = False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line == "Options:":
            in_options = True
            continue
        if not in_options:
            continue
        if not line.strip() or not line.startswith(" "):
            if line.strip():
                in_options = False
            continue
        m = spec.match(line)
        if m:
            name = m.group(1).split(",")[-1]
            last = name
            options[name] = [line.strip(), m.group(2), m.group(3) or ""]
        elif last and line.startswith("    "):  # a description continued on the next line
            options[last][0] += " " + line.strip()
            options[last][2] += " " + line.strip()
    result = {}
    for name, (text, default, description) in options.items():
        if name == "--help":
            continue
        if default is None:
            m = re.search(r"[(;]\s*default:?\s+([^);]*)", description)
            default = m.group(1).strip() if m else None
        result[name] = (text, default)
    return result


def normalise(text):
    return re.sub(r"\s+", " ", text.replace("`", "").replace("*", "")).strip()


def mentions(text, option):
    return re.search(re.escape(option) + r"(?![\w-])", text) is not None


def statements(text):
    """The defaults a paragraph states."""
    found = [m.group(1) for m in re.finditer(
        r"(?:\bDefault:?|\bdefault:|\(default:?|\bdefaults to|\bdefault is)\s+(.+?)(?=\.\s|\.$|;|\)|$)",
        text)]
    found += [m.group(1) for m in re.finditer(r"(\S+), the default\b", text)]
    return found


def inline_statements(text, option):
    """'--opt (default: X)' and '--opt defaults to X' anywhere in a part."""
    pattern = re.escape(option) + r"(?![\w-])[^()\-.;]{0,40}?(?:\(default:? ([^)]*)\)|\bdefaults to ([^,;.)]*))"
    return [m.group(1) or m.group(2) for m in re.finditer(pattern, text)]


STOP = {"the", "this", "a", "an", "of", "to", "up", "else", "and", "or"}


def words(text):
    return [w for w in re.findall(r"[\w$./%-]+", text.lower().replace("'s", "")) if w not in STOP]


def agrees(default, statement):
    statement = statement.lower().replace("'s", "")
    wanted = words(default)
    return all(re.search(r"(?<![\w.-])" + re.escape(w) + r"(?![\w-])", statement) for w in wanted)


# --- docs/cli.md ---------------------------------------------------------------------------
def md_sections(program):
    """(options section, {heading: text}) of '## program'."""
    m = re.search(r"^## " + re.escape(program) + r"\n(.*?)(?=^## |\Z)", cli_md, re.M | re.S)
    if not m:
        return "", {}
    body = m.group(1)
    sections = {}
    for s in re.finditer(r"^### ([^\n]*)\n(.*?)(?=^### |\Z)", body, re.M | re.S):
        sections[s.group(1).strip()] = s.group(2)
    common = next((t for h, t in sections.items() if h.startswith("Options")), "")
    return common, sections


def md_part(program, command, sections):
    if command in sections:
        return sections[command]
    usage = "`" + program + " " + command + " "
    return next((t for t in sections.values() if usage in t), None)


def md_paragraphs(text):
    """The bullets of a part, each as one line."""
    items, current = [], None
    for line in text.split("\n"):
        if line.startswith("- "):
            if current is not None:
                items.append(current)
            current = line
        elif current is not None and line.startswith("  "):
            current += " " + line.strip()
        else:
            if current is not None:
                items.append(current)
            current = None
    if current is not None:
        items.append(current)
    return items


def md_option_defaults(text, option):
    found = []
    for item in md_paragraphs(text):
        lead = re.match(r"^- ((?:`[^`]*`(?:, | and | or )?)+):", item)
        if lead and mentions(lead.group(1), option):
            found += statements(normalise(item))
    return found + inline_statements(normalise(text), option)


# --- man pages -----------------------------------------------------------------------------
def man_sections(path):
    sections, name = {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if re.match(r"^[A-Z][A-Z ]+$", line):
            name = line
            sections[name] = []
        elif name:
            sections[name].append(line)
    return sections


def man_entries(lines):
    """The tagged paragraphs of a section: (tag line, whole text)."""
    entries = []
    for line in lines:
        if re.match(r"^ {7}\S", line):
            entries.append([line.strip(), line.strip()])
        elif line.strip() and entries and line.startswith("        "):
            entries[-1][1] += " " + line.strip()
    return entries


def man_part(sections, command):
    for name in ("SOURCES", "COMMANDS"):
        text = [e[1] for e in man_entries(sections.get(name, [])) if e[0].split()[0] == command]
        if text:
            return " ".join(text)
    return None


def man_option_defaults(options_entries, part, option):
    found = []
    for tag, text in options_entries:
        if mentions(tag, option):
            found += statements(text)
    return found + inline_statements(part or "", option)


# --- the check -----------------------------------------------------------------------------
for program in ("fostat-collect", "fostat-query"):
    top = parse_help(program + ".help")
    commands = open(program + ".commands").read().split()
    md_common, md_secs = md_sections(program)
    man_secs = man_sections(program + ".man")
    man_options = man_entries(man_secs.get("OPTIONS", []))
    man_common = " ".join(e[1] for e in man_options)
    if not md_common:
        failures.append(f"docs/cli.md: no '### Options' section under '## {program}'")
    if not man_common:
        failures.append(f"man/{program}.1: no OPTIONS section")
    def check(who, option, default, md_text, man_text, option_entries, part):
        global checked
        checked += 1
        if not mentions(md_text, option):
            failures.append(f"{who}: not in docs/cli.md ({part})")
        if not mentions(man_text, option):
            failures.append(f"{who}: not in man/{program}.1 ({part})")
        if default is None:
            return
        for doc, stated in (
                ("docs/cli.md", md_option_defaults(md_text, option)),
                (f"man/{program}.1", man_option_defaults(option_entries, man_text, option))):
            stated = list(dict.fromkeys(s.strip() for s in stated))
            if stated and not any(agrees(default, s) for s in stated):
                said = "; ".join(repr(s) for s in stated)
                failures.append(f"{who}: --help shows the default {default!r}, {doc} says {said}")

    # The options of every command: once, against the options sections.
    for option, (line, default) in top.items():
        check(f"{program} {option} (every command)", option, default, md_common, man_common,
              man_options, "the options of every command")
    for command in commands:
        options = parse_help(f"{program}.{command}.help")
        if not options:
            failures.append(f"{program} {command} --help: no option found (has its format changed?)")
        md_text = md_part(program, command, md_secs)
        man_text = man_part(man_secs, command)
        if md_text is None:
            failures.append(f"docs/cli.md has no section for {program} {command}")
        if man_text is None:
            failures.append(f"man/{program}.1 has no paragraph for {program} {command}")
        if md_text is None or man_text is None:
            continue
        for option, (line, default) in options.items():
            if option in top and top[option][0] == line:
                continue  # an option of every command, checked above
            check(f"{program} {command} {option}", option, default, md_text, man_text, [],
                  f"the part on {command}")

for f in failures:
    print("FAIL: " + f, file=sys.stderr)
if failures:
    sys.exit(1)
if checked < 40:
    print(f"FAIL: only {checked} options found in the --help of both programs", file=sys.stderr)
    sys.exit(1)
print(f"help, man pages and docs/cli.md agree on {checked} options and their defaults")
EOF
