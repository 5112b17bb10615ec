#include "storage/remote_write.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace fostat {
namespace {

std::optional<std::int64_t> optional_integer(const SQLite::Column& column) {
    if (column.isNull())
        return std::nullopt;
    return column.getInt64();
}

void bind_optional(SQLite::Statement& s, int index, const std::optional<std::int64_t>& value) {
    if (value)
        s.bind(index, *value);
    else
        s.bind(index);
}

}  // namespace

std::map<std::string, PushMark> read_push_marks(SQLite::Database& db, const std::string& endpoint) {
    SQLite::Statement select(
        db, "SELECT server, sent_through, unsent_from FROM remote_write WHERE endpoint = ?");
    select.bind(1, endpoint);
    std::map<std::string, PushMark> marks;
    while (select.executeStep()) {
        marks[select.getColumn(0).getString()] = {optional_integer(select.getColumn(1)),
                                                  optional_integer(select.getColumn(2))};
    }
    return marks;
}

void write_push_mark(SQLite::Database& db, const std::string& endpoint, const std::string& server,
                     const PushMark& mark) {
    SQLite::Statement upsert(db,
                             "INSERT INTO remote_write (endpoint, server, sent_through, "
                             "unsent_from) VALUES (?, ?, ?, ?) ON CONFLICT (endpoint, server) "
                             "DO UPDATE SET sent_through = excluded.sent_through, "
                             "unsent_from = excluded.unsent_from");
    upsert.bind(1, endpoint);
    upsert.bind(2, server);
    bind_optional(upsert, 3, mark.sent_through);
    bind_optional(upsert, 4, mark.unsent_from);
    upsert.exec();
}

void record_push(SQLite::Database& db, std::int64_t run_id, const PushRecord& record) {
    SQLite::Statement update(
        db, "UPDATE runs SET pushed = ?, push_failures = ?, push_message = ? WHERE id = ?");
    update.bind(1, record.pushed);
    update.bind(2, record.failures);
    if (record.message.empty())
        update.bind(3);
    else
        update.bind(3, record.message);
    update.bind(4, run_id);
    update.exec();
}

}  // namespace fostat
