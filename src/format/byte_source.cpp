#include "format/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fostat/error.h"

namespace fostat {
namespace {

class FileSource : public ByteSource {
  public:
    FileSource(std::string path, int fd, bool owned)
        : path_(std::move(path)), fd_(fd), owned_(owned) {
        struct stat st {};
        if (fstat(fd_, &st) == 0 && S_ISREG(st.st_mode))
            size_ = static_cast<std::uint64_t>(st.st_size);
    }
    ~FileSource() override {
        if (owned_)
            ::close(fd_);
    }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::size_t read(char* buffer, std::size_t size) override {
        for (;;) {
            const ssize_t n = ::read(fd_, buffer, size);
            if (n >= 0)
                return static_cast<std::size_t>(n);
            if (errno == EINTR)
                continue;
            throw InputError(path_ + ": cannot read: " + std::strerror(errno));
        }
    }
    std::optional<std::uint64_t> size() const override { return size_; }

  private:
    std::string path_;
    int fd_;
    bool owned_;
    std::optional<std::uint64_t> size_;
};

}  // namespace

std::size_t StringSource::read(char* buffer, std::size_t size) {
    const std::size_t n = std::min({size, chunk_, text_.size() - offset_});
    std::memcpy(buffer, text_.data() + offset_, n);
    offset_ += n;
    return n;
}

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
    if (path == "-")
        return std::make_unique<FileSource>("<stdin>", STDIN_FILENO, false);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw InputError(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw InputError(path + ": is a directory, not a file");
    }
    return std::make_unique<FileSource>(path, fd, true);
}

}  // namespace fostat
