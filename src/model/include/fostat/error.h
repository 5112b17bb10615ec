// One exception hierarchy; its category decides the exit status (docs/design.md § Exit status).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace fostat {

// Monitoring-plugin exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitWarning = 1;
inline constexpr int kExitCritical = 2;
inline constexpr int kExitError = 3;

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
    virtual int exit_code() const { return kExitError; }
};

// The user gave something we cannot use: an option, a file, a line. The message names it.
class InputError : public Error {
  public:
    using Error::Error;
};

// A sample that another with other values at the same server, scope and time was already
// stored before (or came earlier in the same run). The message says what is stored and what
// came; the command that can overwrite stored samples says how (docs/design.md § Layers).
class AlreadyStored : public InputError {
  public:
    using InputError::InputError;
};

// A server the collector talks to could not be reached, timed out, or answered something
// unusable. The message names the server and the command.
class SourceError : public Error {
  public:
    using Error::Error;
};

// The database refused, is missing, or is of another schema version.
class StorageError : public Error {
  public:
    using Error::Error;
};

// A bounded, printable rendering of input for error messages: 'abc', cut after 40
// characters ("..."), shown as terminal_text shows it (src/model/include/fostat/text.h): control
// characters and bytes that are not UTF-8 escaped (\x1b, \n, \xff), printable UTF-8 as it is.
std::string excerpt(std::string_view text);

// "file:line: message", the shape every input error takes.
std::string at_line(const std::string& input, std::uint64_t line, const std::string& message);

}  // namespace fostat
