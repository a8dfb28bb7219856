// ZipWriter and UnzipTo: see zip_archive.h.
#include "lambda/zip_archive.h"

#include <sys/stat.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace unum::lambda {

namespace fs = std::filesystem;

namespace {

std::string ZipError(zip_t* z) {
  return z ? zip_strerror(z) : "unknown libzip error";
}

std::string OpenError(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

bool SafeName(const std::string& name) {
  if (name.empty() || name.front() == '/') return false;
  for (const auto& part : fs::path(name)) {
    if (part == "..") return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<ZipWriter>> ZipWriter::Create(const std::string& path) {
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (z == nullptr) {
    return Status::Unavailable("cannot create zip " + path + ": " +
                               OpenError(code));
  }
  return std::unique_ptr<ZipWriter>(new ZipWriter(z, path));
}

ZipWriter::~ZipWriter() {
  if (zip_ != nullptr) zip_discard(zip_);
}

Status ZipWriter::SetMode(long long index, const std::string& name,
                          unsigned mode) {
  const zip_uint32_t attributes =
      static_cast<zip_uint32_t>(S_IFREG | (mode & 07777)) << 16;
  if (zip_file_set_external_attributes(zip_, index, 0, ZIP_OPSYS_UNIX,
                                       attributes) != 0) {
    return Status::Internal(path_ + ": cannot set the mode of " + name + ": " +
                            ZipError(zip_));
  }
  // Fast deflate: zips are written on every build, and level 1 costs a
  // few percent of size for a third of the time.
  if (zip_set_file_compression(zip_, index, ZIP_CM_DEFLATE, 1) != 0) {
    return Status::Internal(path_ + ": cannot set the compression of " + name +
                            ": " + ZipError(zip_));
  }
  names_.push_back(name);
  return Status::Ok();
}

Status ZipWriter::AddFile(const std::string& name, const std::string& source) {
  std::error_code ec;
  const fs::file_status st = fs::status(source, ec);
  if (ec || !fs::is_regular_file(st)) {
    return Status::NotFound(path_ + ": " + source + " is not a file");
  }
  zip_source_t* src = zip_source_file(zip_, source.c_str(), 0, -1);
  if (src == nullptr) {
    return Status::Internal(path_ + ": cannot read " + source + ": " +
                            ZipError(zip_));
  }
  const zip_int64_t index = zip_file_add(zip_, name.c_str(), src,
                                         ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(src);
    return Status::Internal(path_ + ": cannot add " + name + ": " +
                            ZipError(zip_));
  }
  return SetMode(index, name, static_cast<unsigned>(st.permissions()));
}

Status ZipWriter::AddContent(const std::string& name, std::string content,
                             unsigned mode) {
  contents_.push_back(std::move(content));
  const std::string& data = contents_.back();
  zip_source_t* src = zip_source_buffer(zip_, data.data(), data.size(), 0);
  if (src == nullptr) {
    return Status::Internal(path_ + ": " + ZipError(zip_));
  }
  const zip_int64_t index = zip_file_add(zip_, name.c_str(), src,
                                         ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(src);
    return Status::Internal(path_ + ": cannot add " + name + ": " +
                            ZipError(zip_));
  }
  return SetMode(index, name, mode);
}

Status ZipWriter::Close() {
  if (zip_close(zip_) != 0) {
    Status s = Status::Unavailable("cannot write zip " + path_ + ": " +
                                   ZipError(zip_));
    zip_discard(zip_);
    zip_ = nullptr;
    return s;
  }
  zip_ = nullptr;
  return Status::Ok();
}

namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

Result<std::unique_ptr<zip_t, ZipCloser>> OpenForReading(
    const std::string& path) {
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (z == nullptr) {
    return Status::InvalidArgument("cannot open zip " + path + ": " +
                                   OpenError(code));
  }
  return std::unique_ptr<zip_t, ZipCloser>(z);
}

}  // namespace

Result<std::vector<std::string>> ZipEntryNames(const std::string& zip_path) {
  UNUM_ASSIGN_OR_RETURN(auto z, OpenForReading(zip_path));
  std::vector<std::string> names;
  const zip_int64_t n = zip_get_num_entries(z.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z.get(), i, 0);
    names.push_back(name ? name : "");
  }
  return names;
}

Status UnzipTo(const std::string& zip_path, const std::string& dir) {
  UNUM_ASSIGN_OR_RETURN(auto z, OpenForReading(zip_path));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Status::Unavailable("cannot create " + dir + ": " + ec.message());
  const zip_int64_t n = zip_get_num_entries(z.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* raw = zip_get_name(z.get(), i, 0);
    const std::string name = raw ? raw : "";
    if (!SafeName(name)) {
      return Status::InvalidArgument(zip_path + ": unsafe entry name \"" +
                                     name + "\"");
    }
    const fs::path target = fs::path(dir) / name;
    if (name.back() == '/') {
      fs::create_directories(target, ec);
      continue;
    }
    fs::create_directories(target.parent_path(), ec);
    std::unique_ptr<zip_file_t, FileCloser> in(zip_fopen_index(z.get(), i, 0));
    if (!in) {
      return Status::DataLoss(zip_path + ": cannot read " + name + ": " +
                              ZipError(z.get()));
    }
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    char buffer[65536];
    zip_int64_t got = 0;
    while ((got = zip_fread(in.get(), buffer, sizeof(buffer))) > 0) {
      out.write(buffer, got);
    }
    out.close();
    if (got < 0 || !out) {
      return Status::DataLoss(zip_path + ": cannot unpack " + name + " to " +
                              target.string());
    }
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(z.get(), i, 0, &opsys, &attributes) ==
            0 &&
        opsys == ZIP_OPSYS_UNIX) {
      fs::permissions(target, static_cast<fs::perms>((attributes >> 16) & 0777),
                      ec);
    }
  }
  return Status::Ok();
}

}  // namespace unum::lambda
