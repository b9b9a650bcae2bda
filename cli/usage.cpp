#include "cli/usage.hpp"

#include <string_view>

#include "sim/text.hpp"

namespace stormlog::cli {
namespace {

std::vector<std::string> subcommand_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names.push_back(sub->get_name());
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : ", ") + names[i];
    return out;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
    const std::vector<std::string_view> views(candidates.begin(), candidates.end());
    return sim::did_you_mean(word, views);
}

// What a command that needs a subcommand is called in messages: "stormlog" or "stormlog list".
std::string path_of(const CLI::App& app) {
    const CLI::App* parent = app.get_parent();
    return parent ? path_of(*parent) + " " + app.get_name() : "stormlog";
}

}  // namespace

std::optional<std::string> command_word_error(const CLI::App& app,
                                              const std::vector<std::string>& args) {
    const CLI::App* at = &app;
    for (const std::string& word : args) {
        if (at->get_require_subcommand_min() == 0) return std::nullopt;  // words now are arguments
        if (word.starts_with("-")) return std::nullopt;  // an option: CLI11's to check
        if (at == &app && word == "help") return std::nullopt;
        const std::vector<std::string> names = subcommand_names(*at);
        const CLI::App* sub = nullptr;
        for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; })) {
            if (s->get_name() == word) sub = s;
        }
        if (sub == nullptr) {
            const std::string hint = suggestion(word, names);
            const std::string list = (hint.empty() ? " (" : hint.substr(0, hint.size() - 1) + "; ");
            if (at == &app)
                return "unknown command \"" + word + "\"" + list + "commands: " + joined(names) +
                       ")";
            return path_of(*at) + ": unknown kind \"" + word + "\"" + list +
                   "kinds: " + joined(names) + ")";
        }
        at = sub;
    }
    if (at->get_require_subcommand_min() == 0) return std::nullopt;
    // Nothing after a command that needs one more word.
    const std::string what = at == &app ? "a command" : "what to " + at->get_name();
    return path_of(*at) + " needs " + what + ": " + joined(subcommand_names(*at)) + " (" +
           path_of(*at) + " --help)";
}

const CLI::App* help_request(const CLI::App& app, const std::vector<std::string>& args) {
    if (args.empty() || args.front() != "help") return nullptr;
    const CLI::App* at = &app;
    for (size_t i = 1; i < args.size(); ++i) {
        const CLI::App* next = nullptr;
        for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; })) {
            if (s->get_name() == args[i]) next = s;
        }
        if (next == nullptr) return nullptr;
        at = next;
    }
    return at;
}

std::string extras_error(const CLI::App& app) {
    // The innermost command that was given: its options are what an unknown one was meant as.
    const CLI::App* at = &app;
    for (;;) {
        const std::vector<const CLI::App*> given =
            at->get_subcommands([](const CLI::App* s) { return s->parsed(); });
        if (given.empty()) break;
        at = given.front();
    }
    std::vector<std::string> options;
    for (const CLI::Option* o : at->get_options()) {
        for (const std::string& name : o->get_lnames()) options.push_back("--" + name);
    }
    std::string line;
    for (const std::string& extra : app.remaining(true)) {
        line += line.empty() ? "" : "; ";
        if (extra.starts_with("-")) {
            const std::string name = extra.substr(0, extra.find('='));
            line += "unknown option " + name + suggestion(name, options);
        } else {
            line += "unexpected argument \"" + extra + "\"";
        }
    }
    return line.empty() ? "unexpected arguments" : line + " (" + path_of(*at) + " --help)";
}

}  // namespace stormlog::cli
