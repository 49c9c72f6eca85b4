// Input and output helpers shared by the writ subcommands: bounded reads of files and
// stdin, `-` and `@FILE` arguments, private key files, and error lines.
#ifndef WRIT_CLI_CLI_IO_H_
#define WRIT_CLI_CLI_IO_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "writ/result.h"

namespace writ::cli {

// The most any single input (token, claims, key file) may hold.
inline constexpr std::size_t kMaxInputBytes = 1 << 20;

// A string whose bytes are wiped when it is destroyed, for key files read from disk.
// The buffer is sized once, so no unwiped copy is left behind by reallocation.
class WipedString {
 public:
  WipedString() = default;
  explicit WipedString(std::string text) : text_(std::move(text)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  WipedString(WipedString&& other) noexcept;
  WipedString& operator=(WipedString&& other) noexcept;
  ~WipedString();

  std::string_view view() const { return text_; }
  std::string& mutable_text() { return text_; }

 private:
  void Wipe();
  std::string text_;
};

// The whole of `path` (at most kMaxInputBytes); kIo or kTooLarge on failure. The
// detail names the path, never the contents.
Result<WipedString> ReadFileLimited(const std::string& path);

// All of standard input (at most kMaxInputBytes).
Result<std::string> ReadStdinLimited();

// A token argument: `-` reads standard input and trims surrounding ASCII whitespace
// (so `echo $TOKEN | writ verify -` works); anything else is the token itself.
Result<std::string> ReadTokenArgument(const std::string& argument);

// A JSON argument: `@FILE` reads FILE (`@-` reads standard input); anything else is
// the JSON text itself.
Result<std::string> ReadInlineOrFile(const std::string& argument);

// Creates `path` with mode 0600 and writes `contents` to it. Refuses (kIo) when the
// path exists, including as a symlink: O_CREAT|O_EXCL makes the check and the creation
// one step, and the mode is set at creation, so the file is never readable by others.
// On a failed write the partial file is removed.
Status WritePrivateFile(const std::string& path, std::string_view contents);

// `text` with control characters (C0, DEL, and C1 as UTF-8) replaced by '?', so that a
// token-supplied string cannot drive the terminal it is printed on.
std::string PrintableText(std::string_view text);

// Prints "writ: error: MESSAGE" on stderr.
void PrintError(std::string_view message);
// Prints "writ: error: CODE: DETAIL" on stderr.
void PrintError(const Error& error);
// "CODE: DETAIL".
std::string FormatError(const Error& error);

}  // namespace writ::cli

#endif  // WRIT_CLI_CLI_IO_H_
