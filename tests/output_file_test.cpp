#include "formats/output_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "test_support.h"

namespace fostat {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// The directory's entries, hidden ones too.
std::size_t entries(const TempDir& dir) {
    const fs::path path = fs::path(dir.file("x")).parent_path();
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(path), fs::directory_iterator()));
}

TEST(OutputFile, CommitReplacesTheTargetWhole) {
    TempDir dir;
    const std::string target = dir.file("out.csv");
    write(target, "old\n");
    {
        OutputFile out("-o", target);
        out.stream() << "new\n";
        EXPECT_EQ(read(target), "old\n");  // not before commit()
        out.commit();
    }
    EXPECT_EQ(read(target), "new\n");
    EXPECT_EQ(entries(dir), 1u);  // no temporary file left
}

TEST(OutputFile, WithoutCommitTheTargetStaysAsItWas) {
    TempDir dir;
    const std::string target = dir.file("plot.svg");
    write(target, "<svg/>\n");
    {
        OutputFile out("-o", target);
        out.stream() << "half of a pic";
    }  // a command that failed
    EXPECT_EQ(read(target), "<svg/>\n");
    EXPECT_EQ(entries(dir), 1u);
}

TEST(OutputFile, WithoutCommitNoFileIsCreated) {
    TempDir dir;
    { OutputFile out("-o", dir.file("new.csv")); }
    EXPECT_FALSE(fs::exists(dir.file("new.csv")));
    EXPECT_EQ(entries(dir), 0u);
}

TEST(OutputFile, FollowsASymlinkAndKeepsIt) {
    TempDir dir;
    write(dir.file("real.csv"), "old\n");
    fs::create_symlink("real.csv", dir.file("link.csv"));
    OutputFile out("-o", dir.file("link.csv"));
    out.stream() << "new\n";
    out.commit();
    EXPECT_TRUE(fs::is_symlink(dir.file("link.csv")));
    EXPECT_EQ(read(dir.file("real.csv")), "new\n");
}

TEST(OutputFile, KeepsTheTargetsPermissions) {
    TempDir dir;
    const std::string target = dir.file("out.csv");
    write(target, "old\n");
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    OutputFile out("-o", target);
    out.stream() << "new\n";
    out.commit();
    EXPECT_EQ(fs::status(target).permissions(),
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

TEST(OutputFile, AMissingDirectoryIsAnInputErrorNamingThePath) {
    TempDir dir;
    try {
        OutputFile out("-o", dir.file("no/such/dir/out.csv"));
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("-o " + dir.file("no/such/dir/out.csv")),
                  std::string::npos)
            << e.what();
    }
}

TEST(OutputFile, ADeviceIsWrittenNotReplaced) {
    // Renaming a temporary file over /dev/null would replace the device with a file (as root).
    // (Not /dev/stdout here: opening it truncates the file the test's output goes to;
    // tests/scripts/trust_outputs.sh writes -o /dev/stdout into a pipe.)
    {
        OutputFile out("-o", "/dev/null");
        out.stream() << "x\n";
        out.commit();
        EXPECT_TRUE(fs::is_character_file("/dev/null"));
    }
    TempDir dir;
    fs::create_symlink("/dev/null", dir.file("null.csv"));
    OutputFile out("-o", dir.file("null.csv"));
    out.stream() << "x\n";
    out.commit();
    EXPECT_TRUE(fs::is_character_file("/dev/null"));
    EXPECT_TRUE(fs::is_symlink(dir.file("null.csv")));
    EXPECT_EQ(entries(dir), 1u);
}

TEST(RefuseOutputOverDatabase, TheDatabaseAndItsFilesThroughAnySymlink) {
    TempDir dir;
    const std::string db = dir.file("site.db");
    write(db, "SQLite format 3");
    write(db + "-wal", "");
    fs::create_symlink("site.db", dir.file("link.csv"));
    fs::create_symlink("site.db-shm", dir.file("dangling.csv"));  // -shm does not exist yet
    for (const std::string& path : {db, db + "-wal", db + "-shm", db + "-journal",
                                    dir.file("link.csv"), dir.file("dangling.csv")}) {
        try {
            refuse_output_over_database("-o", path, db);
            ADD_FAILURE() << path << " was not refused";
        } catch (const InputError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("-o " + path + ":"), std::string::npos) << message;
            EXPECT_NE(message.find(db), std::string::npos) << message;
        }
    }
    EXPECT_NO_THROW(refuse_output_over_database("-o", dir.file("site.csv"), db));
    EXPECT_NO_THROW(refuse_output_over_database("-o", dir.file("site.db.csv"), db));
}

TEST(RefuseOutputOverDatabase, ADatabaseReachedThroughASymlinkedDirectory) {
    TempDir dir;
    fs::create_directory(dir.file("data"));
    fs::create_directory_symlink("data", dir.file("alias"));
    write(dir.file("data/site.db"), "SQLite format 3");
    EXPECT_THROW(
        refuse_output_over_database("-o", dir.file("alias/site.db"), dir.file("data/site.db")),
        InputError);
}

TEST(RefuseOutputOverDatabase, ADirectory) {
    TempDir dir;
    fs::create_directory(dir.file("d"));
    EXPECT_THROW(refuse_output_over_database("--truth", dir.file("d"), dir.file("site.db")),
                 InputError);
}

}  // namespace
}  // namespace fostat
