// The wine test's driver shows times in UTC only: it links src/model/time_text.cpp, whose
// TimeFormatter asks the time zone database only for a named zone, without Howard Hinnant's
// tz.cpp (Debian ships it compiled for Linux only). These stand in for the three functions
// time_text.cpp references, and fail if anything calls them.
#include <date/tz.h>

#include <stdexcept>

namespace {
[[noreturn]] void no_tz() {
    throw std::runtime_error("the wine test driver has no time zone database: UTC only");
}
}  // namespace

namespace date {

const tzdb& get_tzdb() {
    no_tz();
}

const time_zone* locate_zone(std::string_view) {
    no_tz();
}

sys_info time_zone::get_info_impl(sys_seconds) const {
    no_tz();
}

}  // namespace date
