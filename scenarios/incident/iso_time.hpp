#pragma once
// Wall-clock timestamps of an incident timeline: ISO-8601 text -> nanoseconds since the Unix
// epoch (UTC). Only the importer reads them, to subtract one from another: the simulation itself
// never sees a wall clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stormlog::scenarios::incident {

// Years outside this range are refused: nanoseconds since 1970 in an int64 reach 2262, and no
// incident timeline needs more.
constexpr int k_year_min = 1970;
constexpr int k_year_max = 2199;

struct IsoTime {
    std::optional<int64_t> ns;  // since 1970-01-01T00:00:00Z, when the text is a timestamp
    std::string why_not;        // otherwise: what is wrong ("month 13", "no time zone", ...)
};

// Reads "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)". A space may stand for the "T" (as
// logs write it), the fraction has 1 to 9 digits, and the zone is required: a timeline put
// together from several teams' logs mixes zones, and a time without one cannot be ordered.
IsoTime parse_iso_time(std::string_view text);

}  // namespace stormlog::scenarios::incident
