#include "cli/collect_config.h"

#include <istream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fostat/error.h"

namespace fostat {
namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return "";
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::string unquoted(std::string text) {
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
        text.back() == text.front())
        return text.substr(1, text.size() - 2);
    return text;
}

std::string source_list(const CLI::App& app) {
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({}))
        names += (names.empty() ? "[" : ", [") + sub->get_name() + "]";
    return names;
}

// Where each key of the file is, and the one source section it has (empty: none). Reads
// the lines as CLI11's ConfigBase::from_config does, and refuses what that parser would
// let through silently: a line that is not a section, a comment or `key = value`; a
// section that is not a source; a second source.
struct FileLayout {
    std::map<std::string, std::uint64_t> key_lines;  // "kea.socket" or "db" -> line
    std::string source;
    std::uint64_t source_line = 0;
};

FileLayout scan_file(const std::string& text, const std::string& path, const CLI::App& app) {
    FileLayout layout;
    std::istringstream lines(text);
    std::string section;  // "" above the first section
    std::string line;
    for (std::uint64_t number = 1; std::getline(lines, line); ++number) {
        line = trimmed(line);
        if (line.empty() || line.front() == '#' || line.front() == ';')
            continue;
        if (line.front() == '[' && line.back() == ']') {
            section = trimmed(line.substr(1, line.size() - 2));
            if (section.size() >= 2 && section.front() == '[' && section.back() == ']')
                section = trimmed(section.substr(1, section.size() - 2));
            if (section == "default") {
                section.clear();
                continue;
            }
            if (app.get_subcommands([&](const CLI::App* sub) { return sub->get_name() == section; })
                    .empty()) {
                throw CLI::ConfigError(at_line(
                    path, number,
                    "[" + excerpt(section) + "] is not a source; name one of " + source_list(app)));
            }
            if (!layout.source.empty() && layout.source != section) {
                throw CLI::ConfigError(
                    at_line(path, number,
                            "[" + section + "] after [" + layout.source + "] (line " +
                                std::to_string(layout.source_line) +
                                "): a file configures one source; give each its own file"));
            }
            layout.source = section;
            layout.source_line = number;
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string::npos || trimmed(line.substr(0, equals)).empty()) {
            throw CLI::ConfigError(
                at_line(path, number,
                        "expected `key = value` or a [source] section, found " + excerpt(line)));
        }
        std::string key = trimmed(line.substr(0, equals));
        if (key.find('.') == std::string::npos)
            key = unquoted(key);
        layout.key_lines.emplace(section.empty() ? key : section + "." + key, number);
        // An array may go on over several lines, up to its closing bracket.
        std::string value = trimmed(line.substr(equals + 1));
        if (const auto comment = value.find('#'); comment != std::string::npos)
            value = trimmed(value.substr(0, comment));
        if (value.size() > 1 && value.front() == '[') {
            while (value.back() != ']' && std::getline(lines, line)) {
                ++number;
                value = trimmed(line);
                if (value.empty())
                    value = " ";
            }
        }
    }
    return layout;
}

// CLI11's TOML reader, which also applies the file to the options itself: only then does
// an option given on the command line win over the file wherever it was given (each
// option of every command exists twice, before and after the command word, bound to one
// variable), and does an error name the file and line. CLI11 2.1's own handling of
// sections would run the source's callback once more at the section's end.
class CollectConfig : public CLI::ConfigTOML {
  public:
    explicit CollectConfig(CLI::App& app) : app_(&app) {}

    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
        const std::string path = app_->get_config_ptr()->as<std::string>();
        const std::string text{std::istreambuf_iterator<char>(input), {}};
        const FileLayout layout = scan_file(text, path, *app_);
        std::istringstream again(text);
        const std::vector<CLI::ConfigItem> items = CLI::ConfigTOML::from_config(again);

        const std::vector<CLI::App*> named = app_->get_subcommands();
        CLI::App* source = named.empty() ? nullptr : named.front();
        if (source && !layout.source.empty() && source->get_name() != layout.source) {
            throw CLI::ConfigError(at_line(path, layout.source_line,
                                           "configures [" + layout.source +
                                               "], but the command line names " +
                                               source->get_name()));
        }
        if (!source && layout.source.empty()) {
            throw CLI::ConfigError(path + ": no source; put the source's options under one of " +
                                   source_list(*app_) + ", or name it on the command line");
        }
        if (!source)
            source = app_->get_subcommand(layout.source);

        for (const CLI::ConfigItem& item : items) {
            if (item.name == "++" || item.name == "--")
                continue;  // CLI11's marks of a section's start and end
            apply(item, path, layout, *source);
        }
        if (!named.empty())
            return {};
        // The mark by which CLI11 takes a section as its subcommand given (configurable()).
        CLI::ConfigItem chosen;
        chosen.parents = {source->get_name()};
        chosen.name = "++";
        return {chosen};
    }

  private:
    static CLI::Option* find_option(CLI::App& app, const std::string& key) {
        if (CLI::Option* option = app.get_option_no_throw("--" + key))
            return option;
        if (key.size() == 1) {
            if (CLI::Option* option = app.get_option_no_throw("-" + key))
                return option;
        }
        // The input files of import and isc-log, FILE on the command line.
        if (key == "files" || key == "file")
            return app.get_option_no_throw("FILE");
        return nullptr;
    }

    void apply(const CLI::ConfigItem& item, const std::string& path, const FileLayout& layout,
               CLI::App& source) const {
        const std::string name = item.fullname();
        const auto found = layout.key_lines.find(name);
        const std::uint64_t line = found == layout.key_lines.end() ? 0 : found->second;
        auto error = [&](const std::string& message) {
            return CLI::ConfigError(line > 0 ? at_line(path, line, message)
                                             : path + ": " + message);
        };
        if (item.parents.size() > 1 ||
            (item.parents.size() == 1 && item.parents.front() != source.get_name())) {
            throw error(name + ": a key of another section; a file configures one source");
        }
        CLI::App& owner = item.parents.empty() ? *app_ : source;
        CLI::Option* option = find_option(owner, item.name);
        if (option == app_->get_config_ptr())
            throw error("config: a config file cannot name another");
        if (option == nullptr || !option->get_configurable()) {
            const std::string command = item.parents.empty()
                                            ? app_->get_name()
                                            : app_->get_name() + " " + source.get_name();
            throw error("unknown key " + excerpt(item.name) + ": " + command + " has no option --" +
                        item.name +
                        (item.parents.empty()
                             ? "; the source's options go under [" + source.get_name() + "]"
                             : ""));
        }
        // The command line wins, before or after the command word.
        CLI::App& other = item.parents.empty() ? source : *app_;
        CLI::Option* twin = find_option(other, item.name);
        if (option->count() > 0 || (twin && twin != app_->get_config_ptr() && twin->count() > 0))
            return;
        try {
            if (option->get_expected_min() == 0) {
                option->add_result(option->get_flag_value(item.name, to_flag(item)));
            } else {
                option->add_result(item.inputs);
            }
            option->run_callback();
        } catch (const CLI::Error& e) {
            throw error(item.name + ": " + e.what());
        } catch (const InputError& e) {  // a value read as it is parsed (cli/option_values.h)
            throw error(e.what());
        }
    }

    CLI::App* app_;
};

}  // namespace

void add_config_option(CLI::App& app) {
    app.set_config("--config", "",
                   "read the options of one source from FILE (TOML: a [source] section of "
                   "key = value lines, e.g. [kea] socket = \"/run/kea/kea4-ctrl-socket\"); "
                   "the command line overrides it. Before the command word.")
        ->type_name("FILE");
    app.config_formatter(std::make_shared<CollectConfig>(app));
    for (CLI::App* sub : app.get_subcommands({}))
        sub->configurable();
}

}  // namespace fostat
