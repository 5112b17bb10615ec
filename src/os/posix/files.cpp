#include "os/files.h"

#include <fcntl.h>
#include <unistd.h>

namespace fostat::os {
namespace {

// fsync(2) of a file or a directory.
bool sync_path(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

std::FILE* open_for_reading(const std::string& path) {
    return std::fopen(path.c_str(), "rbe");  // e: O_CLOEXEC
}

void set_stdin_binary() {}

std::filesystem::path stdin_path() {
    // Redirected from a file (< file), stdin has a size too; /dev/stdin leads to it.
    return "/dev/stdin";
}

bool sync_file(const std::filesystem::path& path) {
    return sync_path(path);
}

bool sync_directory(const std::filesystem::path& path) {
    return sync_path(path);
}

bool readable_by_everyone(const std::string& path) {
    std::error_code error;
    const auto perms = std::filesystem::status(path, error).permissions();
    return !error && (perms & std::filesystem::perms::others_read) != std::filesystem::perms::none;
}

}  // namespace fostat::os
