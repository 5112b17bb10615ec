#pragma once

#include <string_view>
#include <vector>

namespace fostat {

// One schema/NNNN_name.sql file, compiled into the binary.
struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

// Every migration, in ascending version order (generated from schema/ at build time).
const std::vector<Migration>& migrations();

}  // namespace fostat
