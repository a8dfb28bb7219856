// Deployment zips (libzip): writing one with Unix permissions kept (the
// `bootstrap` must stay executable), and unpacking one safely (no entry
// may leave the target directory), as Lambda does with a function's code.
//
// Thread-safety: a ZipWriter is used by one thread; UnzipTo is reentrant.
#ifndef UNUM_LAMBDA_ZIP_ARCHIVE_H_
#define UNUM_LAMBDA_ZIP_ARCHIVE_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "unum/status.h"

typedef struct zip zip_t;

namespace unum::lambda {

class ZipWriter {
 public:
  // Creates (or truncates) the zip at `path`. Errors name the path.
  static Result<std::unique_ptr<ZipWriter>> Create(const std::string& path);
  ~ZipWriter();  // discards an unfinished zip

  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds the file at `source` as `name` (a relative path with '/'),
  // keeping its permission bits. The file is read at Close().
  Status AddFile(const std::string& name, const std::string& source);
  // Adds `content` as `name` with permission bits `mode`.
  Status AddContent(const std::string& name, std::string content,
                    unsigned mode = 0644);
  // Writes the zip. Errors name the path.
  Status Close();

  // The entry names added so far, in order.
  const std::vector<std::string>& names() const { return names_; }

 private:
  ZipWriter(zip_t* zip, std::string path) : zip_(zip), path_(std::move(path)) {}
  Status SetMode(long long index, const std::string& name, unsigned mode);

  zip_t* zip_;
  std::string path_;
  std::deque<std::string> contents_;  // kept alive until Close
  std::vector<std::string> names_;
};

// Unpacks `zip_path` into `dir` (created if missing), restoring Unix
// permission bits. kInvalidArgument for an entry whose name is absolute
// or contains "..".
Status UnzipTo(const std::string& zip_path, const std::string& dir);

// The entry names of a zip, in order (tests, listings).
Result<std::vector<std::string>> ZipEntryNames(const std::string& zip_path);

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_ZIP_ARCHIVE_H_
