#include "cli_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <utility>

#include <sodium.h>

namespace writ::cli {
namespace {

std::string ErrnoText(int error_number) { return std::strerror(error_number); }

// Reads everything from `fd` into `out` (pre-sized to kMaxInputBytes + 1), so the
// buffer never moves. kTooLarge past kMaxInputBytes.
Status ReadAll(int fd, std::string& out, std::string_view what) {
  out.resize(kMaxInputBytes + 1);
  std::size_t filled = 0;
  while (filled < out.size()) {
    ssize_t got = ::read(fd, out.data() + filled, out.size() - filled);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Fail(ErrorCode::kIo, "cannot read " + std::string(what) + ": " + ErrnoText(errno));
    }
    if (got == 0) {
      break;
    }
    filled += static_cast<std::size_t>(got);
  }
  if (filled > kMaxInputBytes) {
    return Fail(ErrorCode::kTooLarge,
                std::string(what) + " is larger than " + std::to_string(kMaxInputBytes) + " bytes");
  }
  out.resize(filled);
  return {};
}

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

WipedString::WipedString(WipedString&& other) noexcept : text_(std::move(other.text_)) {
  other.Wipe();
}

WipedString& WipedString::operator=(WipedString&& other) noexcept {
  if (this != &other) {
    Wipe();
    text_ = std::move(other.text_);
    other.Wipe();
  }
  return *this;
}

WipedString::~WipedString() { Wipe(); }

void WipedString::Wipe() {
  // Growing to the capacity never reallocates, and covers bytes past the old size.
  text_.resize(text_.capacity());
  sodium_memzero(text_.data(), text_.size());
  text_.clear();
}

Result<WipedString> ReadFileLimited(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Fail(ErrorCode::kIo, "cannot open " + path + ": " + ErrnoText(errno));
  }
  WipedString contents;
  Status read = ReadAll(fd, contents.mutable_text(), path);
  ::close(fd);
  if (!read) {
    return tl::unexpected(read.error());
  }
  return contents;
}

Result<std::string> ReadStdinLimited() {
  std::string contents;
  Status read = ReadAll(STDIN_FILENO, contents, "standard input");
  if (!read) {
    return tl::unexpected(read.error());
  }
  return contents;
}

Result<std::string> ReadTokenArgument(const std::string& argument) {
  if (argument != "-") {
    return argument;
  }
  Result<std::string> input = ReadStdinLimited();
  if (!input) {
    return input;
  }
  std::string_view token = *input;
  while (!token.empty() && IsAsciiSpace(token.front())) {
    token.remove_prefix(1);
  }
  while (!token.empty() && IsAsciiSpace(token.back())) {
    token.remove_suffix(1);
  }
  return std::string(token);
}

Result<std::string> ReadInlineOrFile(const std::string& argument) {
  if (argument.empty() || argument.front() != '@') {
    return argument;
  }
  std::string path = argument.substr(1);
  if (path == "-") {
    return ReadStdinLimited();
  }
  Result<WipedString> file = ReadFileLimited(path);
  if (!file) {
    return tl::unexpected(file.error());
  }
  return std::string(file->view());
}

Status WritePrivateFile(const std::string& path, std::string_view contents) {
  // O_EXCL: fail if the path exists (even as a dangling symlink); 0600 from the start.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Fail(ErrorCode::kIo, path + " already exists; refusing to overwrite it");
    }
    return Fail(ErrorCode::kIo, "cannot create " + path + ": " + ErrnoText(errno));
  }
  // The umask may have removed bits from 0600; it cannot have added any. Make it exact.
  bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
  std::size_t written = 0;
  while (ok && written < contents.size()) {
    ssize_t put = ::write(fd, contents.data() + written, contents.size() - written);
    if (put < 0 && errno == EINTR) {
      continue;
    }
    if (put <= 0) {
      ok = false;
      break;
    }
    written += static_cast<std::size_t>(put);
  }
  int saved_errno = errno;
  ok = ok && ::fsync(fd) == 0;
  if (::close(fd) != 0) {
    ok = false;
  }
  if (!ok) {
    ::unlink(path.c_str());
    return Fail(ErrorCode::kIo, "cannot write " + path + ": " + ErrnoText(saved_errno));
  }
  return {};
}

std::string PrintableText(std::string_view text) {
  std::string printable(text);
  for (std::size_t i = 0; i < printable.size(); ++i) {
    auto byte = static_cast<unsigned char>(printable[i]);
    auto next = i + 1 < printable.size() ? static_cast<unsigned char>(printable[i + 1]) : 0;
    if (byte < 0x20 || byte == 0x7f) {
      printable[i] = '?';
    } else if (byte == 0xc2 && next >= 0x80 && next <= 0x9f) {
      printable[i] = '?';
      printable[i + 1] = '?';
    }
  }
  return printable;
}

std::string FormatError(const Error& error) {
  return std::string(ErrorCodeName(error.code)) + ": " + error.detail;
}

void PrintError(std::string_view message) {
  std::cerr << "writ: error: " << PrintableText(message) << '\n';
}

void PrintError(const Error& error) { PrintError(FormatError(error)); }

}  // namespace writ::cli
