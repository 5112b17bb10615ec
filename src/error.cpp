#include "fostat/error.h"

namespace fostat {

std::string at_line(const std::string& input, std::uint64_t line, const std::string& message) {
    return input + ":" + std::to_string(line) + ": " + message;
}

}  // namespace fostat
