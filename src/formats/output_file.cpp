#include "formats/output_file.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <system_error>

#include "fostat/error.h"
#include "os/files.h"

namespace fs = std::filesystem;

namespace fostat {
namespace {

// The file that writing `path` would change: symlinks followed, even a dangling one (whose
// target does not exist yet).
fs::path resolve(const fs::path& path) {
    fs::path p = path;
    std::error_code error;
    for (int hops = 0; hops < 40 && fs::is_symlink(p, error); ++hops) {
        const fs::path link = fs::read_symlink(p, error);
        if (error)
            break;
        p = link.is_absolute() ? link : p.parent_path() / link;
    }
    const fs::path full = fs::weakly_canonical(p, error);
    return error ? p : full;
}

std::string random_suffix() {
    std::random_device random;
    std::string text;
    for (int i = 0; i < 2; ++i) {
        std::array<char, 9> hex{};
        std::snprintf(hex.data(), hex.size(), "%08x", static_cast<unsigned>(random()));
        text += hex.data();
    }
    return text;
}

}  // namespace

OutputFile::OutputFile(std::string option, const std::string& path)
    : option_(std::move(option)), shown_(path), target_(resolve(path)) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);  // through symlinks
    if (!error && fs::exists(status) && !fs::is_regular_file(status)) {
        direct_ = true;
        out_.open(path, std::ios::binary);
        if (!out_)
            throw InputError(option_ + " " + shown_ + ": cannot write to it");
        return;
    }
    const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    // Hidden, beside the target (a rename within one file system is atomic), and created
    // exclusively ("x"), so that no other file is ever written through it.
    for (int attempt = 0;; ++attempt) {
        temp_ = dir / ("." + target_.filename().string() + ".fostat-" + random_suffix() + ".tmp");
        if (std::FILE* file = std::fopen(temp_.string().c_str(), "wbx")) {
            std::fclose(file);
            break;
        }
        if (errno != EEXIST || attempt == 10) {
            throw InputError(option_ + " " + shown_ + ": cannot create a file in " + dir.string() +
                             ": " + std::strerror(errno));
        }
    }
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        std::error_code ignored;
        fs::remove(temp_, ignored);
        throw InputError(option_ + " " + shown_ + ": cannot write in " + dir.string());
    }
}

OutputFile::~OutputFile() {
    if (committed_ || direct_)
        return;
    out_.close();
    std::error_code ignored;
    fs::remove(temp_, ignored);
}

void OutputFile::commit() {
    const auto fail = [&](const std::string& what) {
        out_.close();
        std::error_code ignored;
        fs::remove(temp_, ignored);
        throw Error(option_ + " " + shown_ + ": " + what + "; the file was left as it was");
    };
    out_.flush();
    if (direct_) {
        if (!out_)
            throw Error(option_ + " " + shown_ + ": write failed");
        committed_ = true;
        return;
    }
    if (!out_)
        fail("write failed (disk full?)");
    out_.close();
    if (!out_ || !os::sync_file(temp_))
        fail("write failed (disk full?)");
    std::error_code error;
    const fs::file_status old = fs::status(target_, error);
    if (!error && fs::exists(old))
        fs::permissions(temp_, old.permissions(), error);
    fs::rename(temp_, target_, error);
    if (error)
        fail("cannot replace it: " + error.message());
    committed_ = true;
    // The rename itself reaches the disk with its directory.
    os::sync_directory(target_.has_parent_path() ? target_.parent_path() : fs::path("."));
}

void refuse_output_over_database(std::string_view option, const std::string& path,
                                 const std::string& database) {
    const std::string named = std::string(option) + " " + path;
    std::error_code error;
    if (fs::is_directory(path, error))
        throw InputError(named + ": is a directory; name a file to write");
    if (database.empty() || database == ":memory:")
        return;
    const fs::path resolved = resolve(path);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string file = database + suffix;
        bool same = fs::exists(file, error) && fs::exists(path, error)
                        ? fs::equivalent(path, file, error)
                        : resolved == resolve(file);
        if (!same)
            continue;
        const std::string what = *suffix == '\0' ? "the database " + database
                                                 : file + ", a file of the database " + database;
        throw InputError(named + ": that is " + what +
                         "; writing it would destroy the database: write elsewhere");
    }
}

}  // namespace fostat
