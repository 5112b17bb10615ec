#pragma once

#include <string_view>

#include <SQLiteCpp/Column.h>

namespace fostat {

// The bytes of a BLOB column, valid until the statement steps again.
inline std::string_view blob_view(const SQLite::Column& column) {
    return {static_cast<const char*>(column.getBlob()),
            static_cast<std::size_t>(column.getBytes())};
}

}  // namespace fostat
