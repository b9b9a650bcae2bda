#include "scenarios/incident/iso_time.hpp"

#include <array>

namespace stormlog::scenarios::incident {
namespace {

constexpr int64_t k_ns_per_s = 1'000'000'000;
constexpr int64_t k_s_per_day = 86'400;

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[static_cast<size_t>(month - 1)];
}

// Days from 1970-01-01 to the given date. The years are bounded (k_year_max), so counting them
// one by one is cheap and easier to check than a closed formula.
int64_t days_since_epoch(int year, int month, int day) {
    int64_t days = 0;
    for (int y = k_year_min; y < year; ++y) days += is_leap(y) ? 366 : 365;
    for (int m = 1; m < month; ++m) days += days_in_month(year, m);
    return days + day - 1;
}

// A cursor over the text that reads fixed-width numbers and literal characters.
class Cursor {
  public:
    explicit Cursor(std::string_view text) : text_(text) {}

    // `width` decimal digits, or nullopt.
    std::optional<int> digits(size_t width) {
        if (at_ + width > text_.size()) return std::nullopt;
        int n = 0;
        for (size_t i = 0; i < width; ++i) {
            const char c = text_[at_ + i];
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + (c - '0');
        }
        at_ += width;
        return n;
    }
    bool literal(char c) {
        if (at_ >= text_.size() || text_[at_] != c) return false;
        ++at_;
        return true;
    }
    bool one_of(std::string_view chars) {
        if (at_ >= text_.size() || chars.find(text_[at_]) == std::string_view::npos) return false;
        ++at_;
        return true;
    }
    char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
    bool done() const { return at_ == text_.size(); }

  private:
    std::string_view text_;
    size_t at_ = 0;
};

IsoTime refuse(std::string why) {
    return IsoTime{std::nullopt, std::move(why)};
}

// The fraction after the seconds' '.', as nanoseconds.
std::optional<int64_t> read_fraction(Cursor& c) {
    int64_t ns = 0;
    int64_t scale = k_ns_per_s;
    size_t count = 0;
    while (c.peek() >= '0' && c.peek() <= '9') {
        if (++count > 9) return std::nullopt;  // finer than a nanosecond
        scale /= 10;
        ns += *c.digits(1) * scale;
    }
    if (count == 0) return std::nullopt;
    return ns;
}

// The zone's offset east of UTC, in seconds.
std::optional<int64_t> read_zone(Cursor& c, std::string& why) {
    if (c.one_of("Zz")) return 0;
    const bool east = c.peek() == '+';
    if (!c.one_of("+-")) {
        why = "no time zone (end it with Z or an offset like +02:00)";
        return std::nullopt;
    }
    const auto hours = c.digits(2);
    c.literal(':');
    const auto minutes = c.digits(2);
    if (!hours || !minutes || *hours > 23 || *minutes > 59) {
        why = "the zone offset is not +HH:MM or -HH:MM";
        return std::nullopt;
    }
    const int64_t offset = (*hours * 60 + *minutes) * 60;
    return east ? offset : -offset;
}

}  // namespace

IsoTime parse_iso_time(std::string_view text) {
    Cursor c(text);
    const auto year = c.digits(4);
    const bool date_shape = year && c.literal('-');
    const auto month = date_shape ? c.digits(2) : std::nullopt;
    const auto day = month && c.literal('-') ? c.digits(2) : std::nullopt;
    if (!day) return refuse("not a date YYYY-MM-DD");
    if (*year < k_year_min || *year > k_year_max)
        return refuse("year " + std::to_string(*year) + " is not in " + std::to_string(k_year_min) +
                      ".." + std::to_string(k_year_max));
    if (*month < 1 || *month > 12) return refuse("month " + std::to_string(*month));
    if (*day < 1 || *day > days_in_month(*year, *month))
        return refuse("day " + std::to_string(*day) + " of month " + std::to_string(*month));
    if (!c.one_of("Tt ")) return refuse("no time after the date (YYYY-MM-DDTHH:MM:SS)");
    const auto hour = c.digits(2);
    const auto minute = hour && c.literal(':') ? c.digits(2) : std::nullopt;
    const auto second = minute && c.literal(':') ? c.digits(2) : std::nullopt;
    if (!second) return refuse("the time of day is not HH:MM:SS");
    // A leap second (:60) has no place on a timeline that is subtracted: refuse it plainly.
    if (*hour > 23 || *minute > 59 || *second > 59)
        return refuse("no such time of day " + std::string(text.substr(11, 8)));
    int64_t fraction_ns = 0;
    if (c.literal('.') || c.literal(',')) {
        const auto f = read_fraction(c);
        if (!f) return refuse("the fraction of a second has not 1 to 9 digits");
        fraction_ns = *f;
    }
    std::string why;
    const auto zone = read_zone(c, why);
    if (!zone) return refuse(why);
    if (!c.done()) return refuse("text after the time zone");
    const int64_t seconds = days_since_epoch(*year, *month, *day) * k_s_per_day +
                            (*hour * 60 + *minute) * 60 + *second - *zone;
    return IsoTime{seconds * k_ns_per_s + fraction_ns, ""};
}

}  // namespace stormlog::scenarios::incident
