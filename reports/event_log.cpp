#include "reports/event_log.hpp"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "scenarios/json_syntax.hpp"

namespace stormlog::reports {
namespace {

// An event is one flat object; anything nested deeper is not one.
constexpr size_t k_depth_max = 4;

// A JSON string literal. Names and details come from scenario files and code; a byte that is not
// UTF-8 is replaced rather than failing a run that has already happened.
std::string json_string(std::string_view text) {
    return nlohmann::json(std::string(text))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string hex16(uint64_t value) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016" PRIx64, value);
    return buf;
}

bool is_hex16(const std::string& s) {
    if (s.size() != 16) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

bool fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
}

// The string field `key` of `j`, required unless `optional`; false with `error` set if it has
// the wrong type, is missing or is empty.
bool string_field(const nlohmann::json& j, const char* key, bool optional, std::string& out,
                  std::string& error) {
    const auto it = j.find(key);
    if (it == j.end()) return optional || fail(error, std::string(key) + ": missing");
    if (!it->is_string())
        return fail(error, std::string(key) + ": expected a string, got " + it->dump());
    out = it->get<std::string>();
    if (out.empty() && !optional) return fail(error, std::string(key) + ": empty");
    return true;
}

}  // namespace

void EventLogWriter::on_node(uint32_t id, std::string_view name) {
    if (nodes_.size() <= id) nodes_.resize(id + 1);
    nodes_[id] = json_string(name);
}

void EventLogWriter::on_record(const sim::TraceRecord& r, std::string_view detail) {
    static const std::string no_node = json_string("-");
    const bool named = r.node < nodes_.size() && !nodes_[r.node].empty();
    line_ = "{\"t_ns\":" + std::to_string(r.at.ns()) + ",\"t\":\"" + event_time(r.at.ns()) +
            "\",\"node\":";
    if (r.node == sim::k_no_node) {
        line_ += no_node;
    } else {
        // A node the sink was not told about cannot happen (Simulation names each as it adds
        // it); its id keeps the line honest if it ever did.
        line_ += named ? nodes_[r.node] : json_string("node#" + std::to_string(r.node));
    }
    line_ += ",\"kind\":" + json_string(event_kind_name(r.kind)) + ",\"digest\":\"" +
             hex16(r.digest) + "\"";
    if (!detail.empty()) line_ += ",\"detail\":" + json_string(detail);
    line_ += "}\n";
    out_ << line_;
    ++events_;
}

std::string event_time(int64_t t_ns) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%" PRId64 ".%09" PRId64 "s", t_ns / 1'000'000'000,
                  t_ns % 1'000'000'000);
    return buf;
}

std::string event_kind_name(uint64_t kind_id) {
    const std::string_view name = sim::trace_kind_name(kind_id);
    return name.empty() ? "kind#" + hex16(kind_id) : std::string(name);
}

bool same_event(const Event& a, const Event& b) {
    return a.t_ns == b.t_ns && a.node == b.node && a.kind == b.kind && a.digest == b.digest;
}

bool parse_event(std::string_view text, Event& out, std::string& error) {
    if (text.empty()) return fail(error, "an empty line (each line is one event)");
    const std::string line(text);
    const scenarios::Syntax syntax = scenarios::check_syntax(line, k_depth_max);
    if (!syntax.ok)
        return fail(error, "malformed JSON at column " + std::to_string(syntax.offset + 1) + ": " +
                               scenarios::short_reason(syntax.reason));
    if (!syntax.duplicate_paths.empty())
        return fail(error, syntax.duplicate_paths.front() + ": given twice");
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) return fail(error, "malformed JSON");
    if (!j.is_object()) return fail(error, "expected a JSON object, got " + j.dump());
    const auto t = j.find("t_ns");
    if (t == j.end()) return fail(error, "t_ns: missing");
    if (!t->is_number_integer() || t->get<int64_t>() < 0)
        return fail(error, "t_ns: expected a whole number of nanoseconds, got " + t->dump());
    out.t_ns = t->get<int64_t>();
    std::string time_text;
    if (!string_field(j, "t", true, time_text, error) ||
        !string_field(j, "node", false, out.node, error) ||
        !string_field(j, "kind", false, out.kind, error) ||
        !string_field(j, "digest", false, out.digest, error))
        return false;
    if (!is_hex16(out.digest))
        return fail(error, "digest: expected 16 hex digits, got \"" + out.digest + "\"");
    out.detail.clear();
    return string_field(j, "detail", true, out.detail, error);
}

bool EventLogReader::open(const std::string& path, std::string& error) {
    path_ = path;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return fail(error, path + ": cannot read: it is a directory");
    in_.open(path, std::ios::binary);
    if (!in_) return fail(error, path + ": cannot read");
    return true;
}

bool EventLogReader::next(Event& out, std::string& error) {
    error.clear();
    if (!std::getline(in_, text_)) {
        if (in_.bad()) return fail(error, path_ + ": cannot read");
        return false;
    }
    ++line_;
    if (!parse_event(text_, out, error)) {
        error = path_ + ":" + std::to_string(line_) + ": " + error;
        return false;
    }
    out.line = line_;
    return true;
}

}  // namespace stormlog::reports
